"""The report (verslag): the facilitator's report page with its summaries and options, and its downloads."""

from __future__ import annotations

import contextvars
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.exports.docx_export import render_docx
from app.exports.pdf import html_to_pdf, report_html
from app.exports.xlsx_export import render_xlsx
from app.i18n import current_locale, gettext
from app.models import ReportStatus
from app.models.workshops import SUMMARY_MAX
from app.routes.deps import Db, Id, OwnedWorkshop, csrf_protect, is_htmx, page, redirect, translate_error
from app.routes.exports import download
from app.services import report as reports
from app.services import reviews, workshops
from app.services import text as user_text
from app.services.errors import Invalid
from app.templating import render

router = APIRouter(dependencies=[Depends(csrf_protect)])

Summary = Annotated[str, Form(max_length=SUMMARY_MAX * 2)]
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report_url(workshop_id: int, anchor: str = "") -> str:
    return f"/workshops/{workshop_id}/report" + (f"#{anchor}" if anchor else "")


async def report_page_response(  # type: ignore[no-untyped-def]
    request: Request, db: Db, workshop, status_code: int = 200, failed: dict | None = None, **extra
) -> Response:
    """The facilitator's report page (also after the review routes' actions, with their messages in `extra`)."""
    report = await reports.build_report(db, workshop=workshop)
    return page(
        request,
        "report/report.html",
        status_code=status_code,
        report=report,
        editable=not report.final,
        failed=failed or {},
        review=await reviews.review_status(db, workshop=workshop),
        **extra,
    )


@router.get("/workshops/{workshop_id}/report")
async def report_page(request: Request, db: Db, workshop: OwnedWorkshop) -> Response:
    return await report_page_response(request, db, workshop)


async def _saved_summary(  # type: ignore[no-untyped-def]
    request: Request, db: Db, workshop, summary_id: str, action: str, label: str, save
) -> Response:
    """Save a summary; htmx gets the summary's partial back (saved, or the error with the text kept)."""
    text = (await request.form()).get("summary", "")
    text = text if isinstance(text, str) else ""
    try:
        await save()
    except Invalid as error:
        failed = {summary_id: {"text": text, "error": translate_error(error)}}
        if not is_htmx(request):
            return await report_page_response(request, db, workshop, status_code=422, failed=failed)
        return _summary_fragment(request, summary_id, action, label, text, failed=failed, status_code=422)
    if not is_htmx(request):
        return redirect(_report_url(workshop.id, summary_id))
    return _summary_fragment(request, summary_id, action, label, user_text.block(text), saved=True)


def _summary_fragment(  # type: ignore[no-untyped-def]
    request: Request, summary_id, action, label, text, failed=None, saved=False, status_code=200
) -> Response:
    html = render(
        "report/_summary.html",
        editable=True,
        csrf_token=request.state.csrf_token,
        summary_id=summary_id,
        summary_action=action,
        summary_label=label,
        summary_text=text,
        summary_max=SUMMARY_MAX,
        failed=failed or {},
        saved=saved,
    )
    return Response(html, status_code=status_code, media_type="text/html")


@router.post("/workshops/{workshop_id}/report/summary")
async def save_workshop_summary(request: Request, db: Db, workshop: OwnedWorkshop, summary: Summary = "") -> Response:
    async def save() -> None:
        await reports.set_workshop_summary(db, workshop=workshop, summary=summary)

    action = f"/workshops/{workshop.id}/report/summary"
    label = gettext("Summary of the whole workshop")
    return await _saved_summary(request, db, workshop, "report-summary", action, label, save)


@router.post("/workshops/{workshop_id}/report/steps/{step_id}/summary")
async def save_step_summary(
    request: Request, db: Db, workshop: OwnedWorkshop, step_id: Id, summary: Summary = ""
) -> Response:
    async def save() -> None:
        await reports.set_step_summary(db, workshop=workshop, step_id=step_id, summary=summary)

    action = f"/workshops/{workshop.id}/report/steps/{step_id}/summary"
    agenda = await workshops.list_steps(db, workshop_id=workshop.id)
    number = next((n for n, step in enumerate(agenda, 1) if step.id == step_id), 0)
    label = gettext("Summary of step %(n)d") % {"n": number}
    return await _saved_summary(request, db, workshop, f"step-summary-{step_id}", action, label, save)


@router.post("/workshops/{workshop_id}/report/options")
async def save_options(
    db: Db,
    workshop: OwnedWorkshop,
    report_hidden: Annotated[str, Form(max_length=10)] = "omit",
    report_for_participants: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    await reports.set_report_options(
        db, workshop=workshop, report_hidden=report_hidden, report_for_participants=report_for_participants == "on"
    )
    return redirect(_report_url(workshop.id, "report-options"))


async def _in_thread(fn, *args):  # type: ignore[no-untyped-def]
    """CPU-bound rendering off the event loop (the live room keeps going), with the request's language."""
    return await run_in_threadpool(contextvars.copy_context().run, fn, *args)


async def _rendered(request: Request, db: Db, workshop, fmt: str, render_fn) -> bytes:  # type: ignore[no-untyped-def]
    """A download rendered in a worker thread. A final report never changes, so its downloads are kept
    (app.exports.final_cache): phones asking for it at once share one render."""
    if workshop.report_status != ReportStatus.final:
        return await _in_thread(render_fn, await reports.build_report(db, workshop=workshop))
    key = (workshop.id, workshop.finalized_at.isoformat(), current_locale(), fmt)
    cache = request.app.state.final_reports
    report = None if key in cache else await reports.build_report(db, workshop=workshop)
    return await cache.get(key, lambda: _in_thread(render_fn, report))


def _pdf(report: reports.Report) -> bytes:
    return html_to_pdf(report_html(report))


async def report_pdf_response(request: Request, db: Db, workshop) -> Response:  # type: ignore[no-untyped-def]
    """The report as PDF (the facilitator's download and the participants')."""
    return download(await _rendered(request, db, workshop, "pdf", _pdf), PDF, workshop.title, "pdf")


@router.get("/workshops/{workshop_id}/report.pdf")
async def report_pdf(request: Request, db: Db, workshop: OwnedWorkshop) -> Response:
    return await report_pdf_response(request, db, workshop)


@router.get("/workshops/{workshop_id}/report.docx")
async def report_docx(request: Request, db: Db, workshop: OwnedWorkshop) -> Response:
    return download(await _rendered(request, db, workshop, "docx", render_docx), DOCX, workshop.title, "docx")


@router.get("/workshops/{workshop_id}/report.xlsx")
async def report_xlsx(request: Request, db: Db, workshop: OwnedWorkshop) -> Response:
    return download(await _rendered(request, db, workshop, "xlsx", render_xlsx), XLSX, workshop.title, "xlsx")
