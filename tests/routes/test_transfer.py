"""JSON backup and move through the ASGI app: download, restore as a new workshop, rights, CSRF and clear errors."""

import json

from tests.conftest import create_started_workshop, join_phone, login_new_facilitator, new_client
from tests.routes.test_access import second_facilitator


async def upload(client, content: bytes, name: str = "back-up.json", csrf: str | None = None):
    if not client.cookies.get("olive_csrf"):
        await client.get("/")
    return await client.post(
        "/workshops/import-json",
        data={"csrf_token": client.cookies["olive_csrf"] if csrf is None else csrf},
        files={"file": (name, content, "application/json")},
    )


async def test_download_and_restore_as_a_new_workshop(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client, title="Warmtenet <Noord>")
    phone = await new_client(app)
    await join_phone(phone, code, "Gemeente", "Gert")
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert f'href="/workshops/{workshop_id}/export.json"' in console

    exported = await client.get(f"/workshops/{workshop_id}/export.json")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("application/json")
    assert 'attachment; filename="warmtenet-noord.json"' == exported.headers["content-disposition"]
    document = exported.json()
    assert document["workshop"]["title"] == "Warmtenet <Noord>"
    assert document["participants"][0]["display_name"] == "Gert"

    listing = (await client.get("/workshops")).text
    assert 'action="/workshops/import-json"' in listing and 'id="workshop-file"' in listing
    restored = await upload(client, exported.content)
    assert restored.status_code == 303
    new_id = int(restored.headers["location"].rsplit("/", 1)[1])
    assert new_id != workshop_id
    again = (await client.get(f"/workshops/{new_id}/export.json")).json()
    document["workshop"]["status"] = "draft"  # an open workshop comes in as a draft
    assert {**again, "exported_at": None} == {**document, "exported_at": None}
    # The phone's cookie still opens the original, and nothing in the copy (whose token hashes are fresh).
    assert (await phone.get(f"/p/{workshop_id}")).status_code == 200
    phone.cookies.set(f"olive_p_{new_id}", phone.cookies[f"olive_p_{workshop_id}"])
    assert (await phone.get(f"/p/{new_id}")).status_code == 404
    await phone.aclose()


async def test_only_the_owner_downloads(app, client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    bert = await second_facilitator(app, client)
    assert (await bert.get(f"/workshops/{workshop_id}/export.json")).status_code == 404
    anonymous = await new_client(app)
    response = await anonymous.get(f"/workshops/{workshop_id}/export.json", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert (await upload(anonymous, b"{}")).status_code == 401
    await bert.aclose()
    await anonymous.aclose()


async def test_restored_workshop_belongs_to_the_importer(app, client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    exported = await client.get(f"/workshops/{workshop_id}/export.json")
    bert = await second_facilitator(app, client)
    restored = await upload(bert, exported.content)
    assert restored.status_code == 303
    new_id = int(restored.headers["location"].rsplit("/", 1)[1])
    assert (await bert.get(f"/workshops/{new_id}")).status_code == 200
    assert (await client.get(f"/workshops/{new_id}")).status_code == 404
    await bert.aclose()


async def test_import_needs_the_csrf_token(client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    exported = await client.get(f"/workshops/{workshop_id}/export.json")
    before = (await client.get("/workshops")).text.count('<li><a href="/workshops/')
    response = await upload(client, exported.content, csrf="forged")
    assert response.status_code == 403
    assert (await client.get("/workshops")).text.count('<li><a href="/workshops/') == before


async def test_a_bad_file_is_explained_on_the_list_page_and_creates_nothing(client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    document = (await client.get(f"/workshops/{workshop_id}/export.json")).json()
    before = (await client.get("/workshops")).text.count('<li><a href="/workshops/')

    not_json = await upload(client, b"dit is geen json", name="notities.txt")
    assert not_json.status_code == 422
    assert 'id="import-json-error"' in not_json.text and "notities.txt" in not_json.text
    assert "geen geldige JSON" in not_json.text and 'aria-invalid="true"' in not_json.text

    document["version"] = 7
    newer = await upload(client, json.dumps(document).encode())
    assert newer.status_code == 422 and "versie 7" in newer.text

    document["version"] = 1
    current = document["workshop"]["current_step"]
    document["workshop"]["current_step"] = 99  # a step that is not in the file
    dangling = await upload(client, json.dumps(document).encode())
    assert dangling.status_code == 422 and "workshop.current_step: step 99 is not in the file" in dangling.text

    document["workshop"]["current_step"] = current
    document["workshop"]["title"] = "<script>alert(1)</script>" + "x" * 300
    too_long = await upload(client, json.dumps(document).encode())
    assert too_long.status_code == 422 and "workshop.title" in too_long.text and "<script>alert" not in too_long.text

    too_big = await upload(client, b" " * (10 * 1024 * 1024 + 10))
    assert too_big.status_code == 422 and "te groot" in too_big.text
    assert (await client.get("/workshops")).text.count('<li><a href="/workshops/') == before
