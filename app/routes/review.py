"""Approval before final: the review link and page for the parties' representatives, making the report final,
and the participants' download of the final report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app import i18n
from app.models import ReportStatus, Workshop, WorkshopStatus
from app.models.reports import REVIEW_COMMENT_MAX, REVIEWER_NAME_MAX
from app.routes.deps import (
    Db,
    OptionalFormId,
    OwnedWorkshop,
    csrf_protect,
    guarded_lookup,
    page,
    public_base_url,
    publish,
    rate_limited,
    redirect,
    translate_error,
)
from app.routes.participant import Me
from app.routes.report import report_page_response, report_pdf_response
from app.services import report as reports
from app.services import reviews
from app.services.errors import N_, Conflict, Invalid, NotFound, TooMany

router = APIRouter(dependencies=[Depends(csrf_protect)])


@router.post("/workshops/{workshop_id}/report/review-link")
async def make_review_link(request: Request, db: Db, workshop: OwnedWorkshop) -> Response:
    token = await reviews.create_review_link(db, workshop=workshop)
    link = f"{public_base_url(request)}/r/{token}"
    return await report_page_response(request, db, workshop, review_link=link)


@router.post("/workshops/{workshop_id}/report/final")
async def make_final(
    request: Request, db: Db, workshop: OwnedWorkshop, confirm: Annotated[str, Form(max_length=10)] = ""
) -> Response:
    workshop_id = workshop.id
    try:
        events = await reviews.make_final(db, workshop=workshop, confirmed=confirm == "on")
    except Conflict as error:
        return await report_page_response(request, db, workshop, 409, review_error=translate_error(error))
    await publish(request, events)
    return redirect(f"/workshops/{workshop_id}/report#report-review")


async def _review_page(  # type: ignore[no-untyped-def]
    request: Request, db: Db, workshop: Workshop, token: str, status_code: int = 200, **extra
) -> Response:
    report = await reports.build_report(db, workshop=workshop)
    return page(
        request,
        "review/review.html",
        status_code=status_code,
        report=report,
        editable=False,
        token=token,
        review=await reviews.review_status(db, workshop=workshop),
        comment_max=REVIEW_COMMENT_MAX,
        name_max=REVIEWER_NAME_MAX,
        **{"form": {}, "error": "", "saved": "", **extra},
    )


async def _lookup(request: Request, db: Db, token: str) -> Workshop:
    return await guarded_lookup(
        request, "review link", token, lambda: reviews.workshop_for_review(db, token=token), count_success=False
    )


async def _too_many(request: Request) -> bool:
    return await rate_limited(request, request.app.state.settings.join_rate_limit, "review")


@router.get("/r/{token}")
async def review_page(request: Request, db: Db, token: str, saved: str = "") -> Response:
    if await _too_many(request):
        raise TooMany(N_("Many people are opening this page at once. Wait a moment and try again."))
    workshop = await _lookup(request, db, token)
    return await _review_page(request, db, workshop, token, saved=saved if saved in ("approve", "comment") else "")


@router.post("/r/{token}")
async def submit_review(
    request: Request,
    db: Db,
    token: str,
    party_id: OptionalFormId = None,
    reviewer_name: Annotated[str, Form(max_length=REVIEWER_NAME_MAX * 2)] = "",
    verdict: Annotated[str, Form(max_length=10)] = "",
    comment: Annotated[str, Form(max_length=REVIEW_COMMENT_MAX * 2)] = "",
) -> Response:
    form = {"party_id": party_id, "reviewer_name": reviewer_name, "verdict": verdict, "comment": comment}
    workshop = await _lookup(request, db, token)
    if await _too_many(request):
        message = i18n.gettext("Many people are opening this page at once. Wait a moment and try again.")
        return await _review_page(request, db, workshop, token, 429, form=form, error=message)
    workshop_id = workshop.id
    try:
        await reviews.submit_review(
            db, workshop=workshop, party_id=party_id, reviewer_name=reviewer_name, verdict=verdict, comment=comment
        )
    except (Invalid, Conflict) as error:
        await db.rollback()
        workshop = await db.get(Workshop, workshop_id)
        return await _review_page(request, db, workshop, token, error.status, form=form, error=translate_error(error))
    return redirect(f"/r/{token}?saved={verdict}#review-form")


@router.get("/p/{workshop_id}/report.pdf")
async def participant_report(request: Request, db: Db, me: Me) -> Response:
    """The final report for a participant's own workshop, when the facilitator allows it and the workshop closed."""
    workshop = await db.get(Workshop, me.workshop_id)
    if (
        workshop is None
        or not workshop.report_for_participants
        or workshop.report_status != ReportStatus.final
        or workshop.status != WorkshopStatus.closed
    ):
        raise NotFound(N_("The report is not available yet. The facilitator shares it once it is final."))
    return await report_pdf_response(request, db, workshop)
