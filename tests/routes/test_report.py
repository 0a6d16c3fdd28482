"""The report page and its downloads through the ASGI app: rights, CSRF, plain and htmx forms, final refuses edits."""

import asyncio
import io
import re

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import create_started_workshop, csrf_of, login_new_facilitator, new_client, post
from tests.routes.test_access import second_facilitator


async def _step_ids(client, workshop_id: int) -> list[str]:
    page = (await client.get(f"/workshops/{workshop_id}/report")).text
    return re.findall(r'id="step-summary-(\d+)"', page)


async def test_the_report_page_shows_the_workshop_and_is_linked_from_the_console(client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert f'href="/workshops/{workshop_id}/report"' in console
    page = await client.get(f"/workshops/{workshop_id}/report")
    assert page.status_code == 200
    html = page.text
    assert '<h1 id="report-title" hx-disable>Warmtenet Noord</h1>' in html
    assert 'id="report-review"' in html and "concept" in html
    assert "Partijen en aanwezigen" in html and "Waarden en doelen" in html
    for download in ("report.pdf", "report.docx", "report.xlsx", "export.md", "export.csv"):
        assert f"/workshops/{workshop_id}/{download}" in html


async def test_summaries_save_with_a_plain_form_and_with_htmx(client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    response = await post(client, f"/workshops/{workshop_id}/report/summary", {"summary": "Een <b>goede</b> sessie."})
    assert response.status_code == 303 and response.headers["location"].endswith("/report#report-summary")
    step_id = (await _step_ids(client, workshop_id))[0]
    response = await client.post(
        f"/workshops/{workshop_id}/report/steps/{step_id}/summary",
        data={"summary": "Vertrouwen eerst."},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(client)},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<div class="report-summary" id="step-summary-{step_id}">')
    assert "Vertrouwen eerst." in response.text and "Opgeslagen." in response.text
    page = (await client.get(f"/workshops/{workshop_id}/report")).text
    assert "Een &lt;b&gt;goede&lt;/b&gt; sessie." in page and "<b>goede</b>" not in page
    # Too long: a clear message, the text kept in the form, nothing saved.
    long = "x" * 10001
    response = await post(client, f"/workshops/{workshop_id}/report/summary", {"summary": long})
    assert response.status_code == 422
    assert "hoogstens 10000 tekens" in response.text and long in response.text
    page = (await client.get(f"/workshops/{workshop_id}/report")).text
    assert "Een &lt;b&gt;goede&lt;/b&gt; sessie." in page


async def test_options_switch_between_omit_and_mark(client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    response = await post(
        client, f"/workshops/{workshop_id}/report/options", {"report_hidden": "mark", "report_for_participants": "on"}
    )
    assert response.status_code == 303
    page = (await client.get(f"/workshops/{workshop_id}/report")).text
    assert re.search(r'value="mark" checked', page) and re.search(r'name="report_for_participants" checked', page)
    response = await post(client, f"/workshops/{workshop_id}/report/options", {"report_hidden": "everything"})
    assert response.status_code == 422


async def test_downloads_are_real_files_named_after_the_workshop(client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    pdf = await client.get(f"/workshops/{workshop_id}/report.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert 'filename="warmtenet-noord.pdf"' in pdf.headers["content-disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Warmtenet Noord" in text
    docx = await client.get(f"/workshops/{workshop_id}/report.docx")
    assert 'filename="warmtenet-noord.docx"' in docx.headers["content-disposition"]
    assert Document(io.BytesIO(docx.content)).paragraphs[0].text == "Warmtenet Noord"
    xlsx = await client.get(f"/workshops/{workshop_id}/report.xlsx")
    assert 'filename="warmtenet-noord.xlsx"' in xlsx.headers["content-disposition"]
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Overzicht"


async def test_only_the_owner_reaches_the_report_and_posts_need_csrf(app, client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    anonymous = await new_client(app)
    for suffix in ("report", "report.pdf", "report.docx", "report.xlsx"):
        response = await anonymous.get(f"/workshops/{workshop_id}/{suffix}", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    bert = await second_facilitator(app, client)
    for suffix in ("report", "report.pdf", "report.docx", "report.xlsx", "export.csv"):
        response = await bert.get(f"/workshops/{workshop_id}/{suffix}")
        assert response.status_code == 404 and "Warmtenet" not in response.text
    response = await post(bert, f"/workshops/{workshop_id}/report/summary", {"summary": "Overgenomen"})
    assert response.status_code == 404
    # Without the CSRF token the owner's own post is refused too.
    response = await client.post(f"/workshops/{workshop_id}/report/summary", data={"summary": "Vals"})
    assert response.status_code == 403
    page = (await client.get(f"/workshops/{workshop_id}/report")).text
    assert "Overgenomen" not in page and "Vals" not in page
    await anonymous.aclose()
    await bert.aclose()


async def test_a_final_report_refuses_edits_and_shows_no_forms(app, client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    step_id = (await _step_ids(client, workshop_id))[0]
    await post(client, f"/workshops/{workshop_id}/report/summary", {"summary": "Vastgesteld."})
    async with app.state.db.writer() as db:
        from app.models import Workshop

        workshop = await db.get(Workshop, workshop_id)
        workshop.report_status = "final"
        await db.commit()
    for url, data in (
        (f"/workshops/{workshop_id}/report/summary", {"summary": "Toch anders"}),
        (f"/workshops/{workshop_id}/report/steps/{step_id}/summary", {"summary": "Toch anders"}),
        (f"/workshops/{workshop_id}/report/options", {"report_hidden": "mark"}),
    ):
        response = await post(client, url, data)
        assert response.status_code == 409 and "definitief" in response.text
    page = (await client.get(f"/workshops/{workshop_id}/report")).text
    assert "<textarea" not in page and 'id="report-options"' not in page
    assert "Vastgesteld." in page and "definitief" in page


async def test_a_final_reports_downloads_are_rendered_once_also_when_asked_for_at_once(app, client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    cache = app.state.final_reports
    concept = [await client.get(f"/workshops/{workshop_id}/report.pdf") for _ in range(2)]
    assert all(r.status_code == 200 for r in concept) and cache.renders == 0  # a concept can still change
    await post(client, f"/workshops/{workshop_id}/close")
    final = await post(client, f"/workshops/{workshop_id}/report/final", {"confirm": "on"})
    assert final.status_code == 303
    pdfs = await asyncio.gather(*(client.get(f"/workshops/{workshop_id}/report.pdf") for _ in range(4)))
    assert {r.status_code for r in pdfs} == {200} and len({r.content for r in pdfs}) == 1
    assert cache.renders == 1
    assert (await client.get(f"/workshops/{workshop_id}/report.pdf")).content == pdfs[0].content
    await client.get(f"/workshops/{workshop_id}/report.docx")
    await client.get(f"/workshops/{workshop_id}/report.docx")
    assert cache.renders == 2  # one per format (and language)
