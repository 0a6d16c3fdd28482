"""Own methods: save a workshop's agenda, duplicate, import, edit as YAML (line-numbered errors), use, delete."""

import re

import yaml

from tests.conftest import PASSWORD, login_new_facilitator, new_client, post


async def edit_page(client, method_id: int) -> str:
    page = await client.get(f"/methods/{method_id}/edit")
    assert page.status_code == 200
    return page.text


def textarea(html: str) -> str:
    import html as html_lib

    return html_lib.unescape(re.search(r'<textarea id="method-text"[^>]*>(.*?)</textarea>', html, re.S).group(1))


async def test_save_edit_and_reuse_an_agenda(client):
    await login_new_facilitator(client)
    created = await post(client, "/workshops", {"title": "Startgesprek Zuid", "method": "startgesprek"})
    workshop_id = int(created.headers["location"].rsplit("/", 1)[1])
    saved = await post(client, f"/workshops/{workshop_id}/save-method")
    assert saved.status_code == 303
    method_id = int(re.search(r"/methods/(\d+)/edit", saved.headers["location"]).group(1))
    text = textarea(await edit_page(client, method_id))
    data = yaml.safe_load(text)
    assert data["title"] == "Startgesprek Zuid" and [s["kind"] for s in data["steps"]] == ["scale", "open", "poll"]

    # A broken edit: the message names the line, the text comes back as typed, nothing is saved.
    broken = text.replace("kind: poll", "kind: tarot")
    response = await post(client, f"/methods/{method_id}", {"text": broken})
    assert response.status_code == 422 and re.search(r"Regel \d+", response.text)
    assert "tarot" in response.text
    assert "tarot" not in textarea(await edit_page(client, method_id))

    data["title"] = "Ons startgesprek"
    data["steps"] = data["steps"][:2]
    ok = await post(client, f"/methods/{method_id}", {"text": yaml.safe_dump(data, allow_unicode=True)})
    assert ok.status_code == 303
    listing = (await client.get("/methods")).text
    assert "Ons startgesprek" in listing

    # A new workshop from the own method has its (edited) agenda.
    workshops_page = (await client.get("/workshops")).text
    assert f'value="own-{method_id}"' in workshops_page
    new = await post(client, "/workshops", {"title": "Tweede sessie", "method": f"own-{method_id}"})
    new_id = int(new.headers["location"].rsplit("/", 1)[1])
    exported = yaml.safe_load((await client.get(f"/workshops/{new_id}/method.yaml")).text)
    assert [s["kind"] for s in exported["steps"]] == ["scale", "open"]


async def test_duplicate_import_and_delete(client):
    await login_new_facilitator(client)
    duplicated = await post(client, "/methods/duplicate", {"source": "verhelderen"})
    method_id = int(re.search(r"/methods/(\d+)/edit", duplicated.headers["location"]).group(1))
    assert "Verhelderen (kopie)" in await edit_page(client, method_id)
    copy_of_copy = await post(client, "/methods/duplicate", {"source": f"own-{method_id}"})
    assert copy_of_copy.status_code == 303
    unknown = await post(client, "/methods/duplicate", {"source": "bestaat-niet"})
    assert unknown.status_code == 404

    await client.get("/")
    imported = await client.post(
        "/methods/import",
        data={"csrf_token": client.cookies["olive_csrf"]},
        files={"file": ("w.yaml", b"title: Eigen\nsteps:\n  - prompt: Wat vind jij?\n", "application/yaml")},
    )
    assert imported.status_code == 303
    bad = await client.post(
        "/methods/import",
        data={"csrf_token": client.cookies["olive_csrf"]},
        files={"file": ("w.yaml", b"title: Kapot\nsteps:\n  - kind: poll\n    prompt: P\n", "application/yaml")},
    )
    assert bad.status_code == 422 and "Regel" in bad.text
    assert (await post(client, f"/methods/{method_id}/delete")).status_code == 303
    assert (await client.get(f"/methods/{method_id}/edit")).status_code == 404


async def test_own_methods_are_private(app, client):
    await login_new_facilitator(client)
    duplicated = await post(client, "/methods/duplicate", {"source": "startgesprek"})
    method_id = int(re.search(r"/methods/(\d+)/edit", duplicated.headers["location"]).group(1))
    await post(client, "/facilitators", {"email": "bert@example.nl", "name": "Bert", "password": PASSWORD})
    bert = await new_client(app)
    await post(bert, "/login", {"email": "bert@example.nl", "password": PASSWORD})
    assert (await bert.get(f"/methods/{method_id}/edit")).status_code == 404
    assert (await bert.get(f"/methods/{method_id}.yaml")).status_code == 404
    assert (
        await post(bert, f"/methods/{method_id}", {"text": "title: Gekaapt\nsteps:\n  - prompt: x\n"})
    ).status_code == 404
    assert (await post(bert, "/workshops", {"title": "x", "method": f"own-{method_id}"})).status_code == 404
    assert (await post(bert, f"/methods/{method_id}/delete")).status_code == 404
    assert "Startgesprek (kopie)" in (await client.get("/methods")).text
    await bert.aclose()
