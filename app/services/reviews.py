"""Approval before final: the review link, akkoord or a comment per party, and making the report final.

Choices (see README): an akkoord is given to a version of the report, so any change to what the report shows
(a summary, an option) withdraws the akkoorden given so far; comments are kept. The facilitator makes the report
final only after the workshop is closed; when not every party has given its akkoord, only with an explicit
"toch definitief maken" confirmation. After that the final version is fixed (workshops.ensure_report_editable).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Party, ReportReview, ReportStatus, ReviewVerdict, Workshop, WorkshopStatus
from app.models.base import utcnow
from app.models.reports import REVIEW_COMMENT_MAX, REVIEWER_NAME_MAX
from app.services import text
from app.services.errors import N_, Conflict, Invalid, NotFound
from app.services.events import Event, EventKind
from app.services.tokens import hash_token, new_token
from app.services.workshops import ensure_report_editable, list_parties


@dataclass(slots=True)
class PartyApproval:
    party: Party
    approval: ReportReview | None = None  # the party's current akkoord


@dataclass(slots=True)
class ReviewStatus:
    parties: list[PartyApproval]
    comments: list[tuple[Party, ReportReview]] = field(default_factory=list)
    link_made: bool = False

    @property
    def approved(self) -> int:
        return sum(1 for p in self.parties if p.approval is not None)

    @property
    def all_approved(self) -> bool:
        return all(p.approval is not None for p in self.parties)


async def create_review_link(db: AsyncSession, *, workshop: Workshop) -> str:
    """A new review link; the previous one stops working. Only the token's hash is stored."""
    token = new_token()
    workshop.review_token_hash = hash_token(token)
    await db.commit()
    return token


async def workshop_for_review(db: AsyncSession, *, token: str) -> Workshop:
    workshop = None
    if token and len(token) <= 100:
        workshop = await db.scalar(select(Workshop).where(Workshop.review_token_hash == hash_token(token)))
    if workshop is None:
        raise NotFound(N_("This review link is not valid (any more). Ask the facilitator for the current link."))
    return workshop


async def review_status(db: AsyncSession, *, workshop: Workshop) -> ReviewStatus:
    parties = await list_parties(db, workshop_id=workshop.id)
    rows = (
        await db.scalars(
            select(ReportReview)
            .where(ReportReview.workshop_id == workshop.id)
            .order_by(ReportReview.created_at, ReportReview.id)
        )
    ).all()
    by_id = {p.id: PartyApproval(party=p) for p in parties}
    comments = []
    for row in rows:
        if row.party_id not in by_id:
            continue
        if row.verdict == ReviewVerdict.approve:
            by_id[row.party_id].approval = row
        else:
            comments.append((by_id[row.party_id].party, row))
    return ReviewStatus(
        parties=list(by_id.values()), comments=comments, link_made=workshop.review_token_hash is not None
    )


async def submit_review(
    db: AsyncSession, *, workshop: Workshop, party_id: int | None, reviewer_name: str, verdict: str, comment: str
) -> list[Event]:
    """A representative speaks for one party: akkoord (replaces the party's earlier one) or a comment (kept)."""
    ensure_report_editable(workshop)
    party = await db.get(Party, party_id) if party_id is not None else None
    if party is None or party.workshop_id != workshop.id:
        raise Invalid(N_("Choose the party you speak for."))
    name = text.line(reviewer_name)
    if not name:
        raise Invalid(N_("Fill in your name."))
    if len(name) > REVIEWER_NAME_MAX:
        raise Invalid(N_("A name can have at most %(max)d characters."), max=REVIEWER_NAME_MAX)
    comment = text.block(comment)
    if len(comment) > REVIEW_COMMENT_MAX:
        raise Invalid(N_("A comment can have at most %(max)d characters."), max=REVIEW_COMMENT_MAX)
    if verdict == ReviewVerdict.approve:
        await db.execute(
            delete(ReportReview).where(
                ReportReview.workshop_id == workshop.id,
                ReportReview.party_id == party.id,
                ReportReview.verdict == ReviewVerdict.approve,
            )
        )
        comment = ""
    elif verdict == ReviewVerdict.comment:
        if not comment:
            raise Invalid(N_("Write your comment first."))
    else:
        raise Invalid(N_("Choose akkoord or a comment."))
    db.add(
        ReportReview(workshop_id=workshop.id, party_id=party.id, verdict=verdict, reviewer_name=name, comment=comment)
    )
    await db.commit()
    return []


async def withdraw_approvals(db: AsyncSession, *, workshop: Workshop, changed: object | None = None) -> None:
    """Called by a change to the report before its commit: the akkoorden given so far were for another version and
    are withdrawn (comments stay). With `changed`, only when that object really changed."""
    if changed is None or db.is_modified(changed):
        await db.execute(
            delete(ReportReview).where(
                ReportReview.workshop_id == workshop.id, ReportReview.verdict == ReviewVerdict.approve
            )
        )


async def make_final(db: AsyncSession, *, workshop: Workshop, confirmed: bool = False) -> list[Event]:
    ensure_report_editable(workshop)
    if workshop.status != WorkshopStatus.closed:
        raise Conflict(N_("Close the workshop first; then the report can be made final."))
    status = await review_status(db, workshop=workshop)
    if not status.all_approved and not confirmed:
        raise Conflict(N_("Not every party has given its akkoord. Tick the box to make the report final anyway."))
    workshop.report_status = ReportStatus.final
    workshop.finalized_at = utcnow()
    await db.commit()
    return [Event(workshop.id, EventKind.workshop)]
