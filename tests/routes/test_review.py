"""Approval before final through the ASGI app: the review link and page, CSRF, rate limit, final, and the
participants' download."""

import re

import httpx

from app.main import create_app
from tests.conftest import create_started_workshop, join_phone, login_new_facilitator, make_settings, new_client, post


def review_link_of(html: str) -> str:
    return re.search(r'<code class="review-link" id="review-link">http://testserver(/r/[^<]+)</code>', html).group(1)


def party_ids(html: str) -> dict[str, str]:
    return dict(
        (name, pid) for pid, name in re.findall(r'name="party_id" value="(\d+)"[^>]*><span hx-disable>([^<]+)<', html)
    )


async def review(client, link: str, **fields) -> httpx.Response:
    return await post(client, link, fields)


async def setup(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client)
    made = await post(client, f"/workshops/{workshop_id}/report/review-link")
    assert made.status_code == 200
    return workshop_id, code, review_link_of(made.text)


async def test_review_as_both_parties_then_final_and_the_phone_downloads(app, client):
    workshop_id, code, link = await setup(app, client)
    phone = await new_client(app)
    await join_phone(phone, code, "Gemeente")
    reviewer = await new_client(app)
    page = await reviewer.get(link)
    assert page.status_code == 200 and "Warmtenet Noord" in page.text and 'id="report-body"' in page.text
    ids = party_ids(page.text)
    sent = await review(
        reviewer, link, party_id=ids["Initiatief"], reviewer_name="Ineke", verdict="comment", comment="<b>Punt 2</b>"
    )
    assert sent.status_code == 303
    thanks = await reviewer.get(sent.headers["location"])
    assert "opmerking is ontvangen" in thanks.text and "&lt;b&gt;Punt 2&lt;/b&gt;" in thanks.text
    for party, name in (("Gemeente", "Gert"), ("Initiatief", "Ineke")):
        assert (
            await review(reviewer, link, party_id=ids[party], reviewer_name=name, verdict="approve")
        ).status_code == 303

    report = (await client.get(f"/workshops/{workshop_id}/report")).text
    assert "akkoord door Gert" in report and "akkoord door Ineke" in report
    assert "Sluit eerst de sessie af" in report
    refused = await post(client, f"/workshops/{workshop_id}/report/final")
    assert refused.status_code == 409
    await post(
        client, f"/workshops/{workshop_id}/report/options", {"report_hidden": "omit", "report_for_participants": "on"}
    )
    await post(client, f"/workshops/{workshop_id}/close")
    # The options changed after the akkoorden: they were withdrawn, so final needs a confirmation now.
    assert (await post(client, f"/workshops/{workshop_id}/report/final")).status_code == 409
    assert (await client.get(f"/p/{workshop_id}/report.pdf")).status_code == 404
    assert (await phone.get(f"/p/{workshop_id}/report.pdf")).status_code == 404  # not final yet
    for party, name in (("Gemeente", "Gert"), ("Initiatief", "Ineke")):
        await review(reviewer, link, party_id=ids[party], reviewer_name=name, verdict="approve")
    final = await post(client, f"/workshops/{workshop_id}/report/final")
    assert final.status_code == 303

    closed = await reviewer.get(link)
    assert "Dit verslag is definitief" in closed.text and 'name="verdict"' not in closed.text
    late = await review(reviewer, link, party_id=ids["Gemeente"], reviewer_name="Gert", verdict="approve")
    assert late.status_code == 409
    phone_page = (await phone.get(f"/p/{workshop_id}")).text
    assert f'href="/p/{workshop_id}/report.pdf"' in phone_page and "Download het verslag (PDF)" in phone_page
    pdf = await phone.get(f"/p/{workshop_id}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for c in (phone, reviewer):
        await c.aclose()


async def test_token_checks_and_a_new_link_kills_the_old(app, client):
    workshop_id, _, link = await setup(app, client)
    anonymous = await new_client(app)
    assert (await anonymous.get(link)).status_code == 200
    assert (await anonymous.get("/r/not-a-token")).status_code == 404
    assert (await anonymous.get("/r/" + "x" * 300)).status_code == 404
    newer = review_link_of((await post(client, f"/workshops/{workshop_id}/report/review-link")).text)
    assert newer != link
    gone = await anonymous.get(link)
    assert gone.status_code == 404 and "niet (meer) geldig" in gone.text
    assert (await review(anonymous, link, party_id="1", reviewer_name="X", verdict="approve")).status_code == 404
    # Only the owner makes links or makes the report final.
    assert (await post(anonymous, f"/workshops/{workshop_id}/report/review-link")).status_code == 401
    await anonymous.aclose()


async def test_review_form_needs_csrf_and_keeps_what_was_typed(app, client):
    _, _, link = await setup(app, client)
    reviewer = await new_client(app)
    page = await reviewer.get(link)
    assert reviewer.cookies.get("olive_csrf")  # the review page sets the CSRF cookie
    ids = party_ids(page.text)
    forged = await reviewer.post(
        link, data={"party_id": ids["Gemeente"], "reviewer_name": "G", "verdict": "approve", "csrf_token": "nope"}
    )
    assert forged.status_code == 403
    missing = await review(
        reviewer, link, party_id=ids["Gemeente"], reviewer_name="Gert", verdict="comment", comment=""
    )
    assert missing.status_code == 422 and "Schrijf eerst uw opmerking" in missing.text
    assert 'value="Gert"' in missing.text and "checked" in missing.text
    await reviewer.aclose()


async def test_the_review_page_is_rate_limited(tmp_path, sqlite_url):
    app = create_app(make_settings(tmp_path, sqlite_url, join_rate_limit="3/minute"))
    async with app.router.lifespan_context(app):
        client = await new_client(app)
        _, _, link = await setup(app, client)
        reviewer = await new_client(app)
        statuses = [(await reviewer.get(link)).status_code for _ in range(4)]
        assert statuses[:3] == [200, 200, 200] and statuses[3] == 429
        for c in (client, reviewer):
            await c.aclose()
