"""Agreements (afspraken): drafted live by the facilitator, answered with a consent level by participants.

Agreements are their own records (with owner party, due date, type and status idee -> concept -> akkoord),
so later workshops of the same partnership can carry them forward.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    Agreement,
    AgreementResponse,
    AgreementStatus,
    AgreementType,
    ConsentLevel,
    Participant,
    Party,
    Step,
    Workshop,
)
from app.models.agreements import AGREEMENT_MAX, REASON_MAX
from app.models.base import utcnow
from app.services.answers import answerable_step
from app.services.errors import N_, Invalid, NotFound
from app.services.events import Event, EventKind
from app.services.text import line as clean_line
from app.services.workshops import ensure_not_closed

MAX_AGREEMENTS_PER_STEP = 30

TYPE_LABELS = {
    AgreementType.working: N_("working agreement"),
    AgreementType.plan: N_("plan of action"),
    AgreementType.intent: N_("letter of intent"),
    AgreementType.collaboration: N_("collaboration agreement"),
    AgreementType.covenant: N_("covenant"),
}
STATUS_LABELS = {
    AgreementStatus.idea: N_("idea"),
    AgreementStatus.draft: N_("draft"),
    AgreementStatus.agreed: N_("agreed"),
}
LEVEL_LABELS = {
    ConsentLevel.agree: N_("agree"),
    ConsentLevel.accept: N_("can live with it"),
    ConsentLevel.object: N_("objection"),
}


@dataclass(frozen=True, slots=True)
class Objection:
    party: Party
    reason: str


@dataclass(slots=True)
class AgreementConsent:
    """An agreement with the consent given per party."""

    agreement: Agreement
    owner: Party | None
    per_party: list[tuple[Party, dict[str, int]]]  # party -> {level: count}
    objections: list[Objection] = field(default_factory=list)
    records: list[AgreementResponse] = field(default_factory=list)  # every response, oldest first (exports)

    @property
    def responses(self) -> int:
        return sum(sum(counts.values()) for _party, counts in self.per_party)


def _clean(text: str, owner_party_id: int | None, type_: str, parties: list[Party]) -> tuple[str, int | None]:
    text = clean_line(text)
    if not text:
        raise Invalid(N_("Write the agreement first."))
    if len(text) > AGREEMENT_MAX:
        raise Invalid(N_("An agreement can have at most %(max)d characters."), max=AGREEMENT_MAX)
    if type_ not in AgreementType.__members__.values():
        raise Invalid(N_("Choose the type of agreement."))
    if owner_party_id is not None and owner_party_id not in {p.id for p in parties}:
        raise Invalid(N_("Choose the owner among the workshop's parties."))
    return text, owner_party_id


async def _agreements_step(db: AsyncSession, workshop: Workshop, step_id: int) -> Step:
    step = await db.get(Step, step_id)
    if step is None or step.workshop_id != workshop.id:
        raise NotFound(N_("This step does not exist."))
    if step.kind != "agreements":
        raise Invalid(N_("Agreements are drafted in an agreements step."))
    return step


async def draft_agreement(
    db: AsyncSession,
    *,
    workshop: Workshop,
    step_id: int,
    text: str,
    parties: list[Party],
    owner_party_id: int | None = None,
    due_on: date | None = None,
    type_: str = AgreementType.working,
) -> tuple[Agreement, list[Event]]:
    ensure_not_closed(workshop)
    step = await _agreements_step(db, workshop, step_id)
    text, owner_party_id = _clean(text, owner_party_id, type_, parties)
    count = await db.scalar(select(func.count()).select_from(Agreement).where(Agreement.step_id == step.id))
    if count >= MAX_AGREEMENTS_PER_STEP:
        raise Invalid(N_("A step can hold at most %(max)d agreements."), max=MAX_AGREEMENTS_PER_STEP)
    agreement = Agreement(
        workshop_id=workshop.id,
        step_id=step.id,
        text=text,
        owner_party_id=owner_party_id,
        due_on=due_on,
        type=type_,
        status=AgreementStatus.draft,
        position=count,
    )
    db.add(agreement)
    await db.commit()
    return agreement, [Event(workshop.id, EventKind.step, step.id)]


async def set_status(db: AsyncSession, *, workshop: Workshop, agreement_id: int, status: str) -> list[Event]:
    ensure_not_closed(workshop)
    agreement = await db.get(Agreement, agreement_id)
    if agreement is None or agreement.workshop_id != workshop.id:
        raise NotFound(N_("This agreement does not exist."))
    if status not in AgreementStatus.__members__.values():
        raise Invalid(N_("Unknown status."))
    agreement.status = status
    agreement.updated_at = utcnow()
    await db.commit()
    return [Event(workshop.id, EventKind.step, agreement.step_id)]


async def respond(
    db: AsyncSession, *, participant: Participant, agreement_id: int, level: str, reason: str = ""
) -> list[Event]:
    """Give (or change) one's consent. An objection needs a reason."""
    agreement = await db.get(Agreement, agreement_id)
    if agreement is None or agreement.workshop_id != participant.workshop_id:
        raise NotFound(N_("This agreement does not exist."))
    await answerable_step(db, participant=participant, step_id=agreement.step_id)
    if level not in ConsentLevel.__members__.values():
        raise Invalid(N_("Choose whether you agree, can live with it, or object."))
    reason = clean_line(reason)
    if level == ConsentLevel.object and not reason:
        raise Invalid(N_("An objection needs a reason: say what would have to change."))
    if len(reason) > REASON_MAX:
        raise Invalid(N_("The reason can have at most %(max)d characters."), max=REASON_MAX)
    response = await db.scalar(
        select(AgreementResponse).where(
            AgreementResponse.agreement_id == agreement.id, AgreementResponse.participant_id == participant.id
        )
    )
    if response is None:
        response = AgreementResponse(
            agreement_id=agreement.id, participant_id=participant.id, party_id=participant.party_id, level=level
        )
        db.add(response)
    response.level = level
    response.reason = reason if level == ConsentLevel.object else ""
    response.updated_at = utcnow()
    try:
        await db.commit()
    except IntegrityError:  # a concurrent first response of the same participant won
        await db.rollback()
        raise Invalid(N_("Your response crossed another one. Send it again.")) from None
    return [Event(participant.workshop_id, EventKind.answers, agreement.step_id)]


async def my_responses(db: AsyncSession, *, participant: Participant, step_id: int) -> dict[int, AgreementResponse]:
    rows = await db.scalars(
        select(AgreementResponse)
        .join(Agreement, Agreement.id == AgreementResponse.agreement_id)
        .where(AgreementResponse.participant_id == participant.id, Agreement.step_id == step_id)
    )
    return {r.agreement_id: r for r in rows.all()}


async def consent_for_step(db: AsyncSession, *, step_id: int, parties: list[Party]) -> list[AgreementConsent]:
    """Every agreement of a step with its consent per party and its objections (with reasons)."""
    agreements = list(
        (
            await db.scalars(
                select(Agreement).where(Agreement.step_id == step_id).order_by(Agreement.position, Agreement.id)
            )
        ).all()
    )
    responses = (
        list(
            (
                await db.scalars(
                    select(AgreementResponse)
                    .join(Participant, Participant.id == AgreementResponse.participant_id)
                    .where(
                        AgreementResponse.agreement_id.in_([a.id for a in agreements]),
                        Participant.removed_at.is_(None),  # a removed participant's consent no longer counts
                    )
                )
            ).all()
        )
        if agreements
        else []
    )
    return tally_consent(agreements, responses, parties)


def tally_consent(
    agreements: list[Agreement], responses: list[AgreementResponse], parties: list[Party]
) -> list[AgreementConsent]:
    """Consent per agreement and party, and the objections: a plain function of the records."""
    by_party = {p.id: p for p in parties}
    result = []
    for agreement in agreements:
        mine = [r for r in responses if r.agreement_id == agreement.id]
        per_party = [
            (
                p,
                {
                    level.value: sum(1 for r in mine if r.party_id == p.id and r.level == level)
                    for level in ConsentLevel
                },
            )
            for p in parties
        ]
        objections = [
            Objection(party=by_party[r.party_id], reason=r.reason)
            for r in sorted(mine, key=lambda r: r.updated_at)
            if r.level == ConsentLevel.object and r.party_id in by_party
        ]
        result.append(
            AgreementConsent(
                agreement=agreement,
                owner=by_party.get(agreement.owner_party_id) if agreement.owner_party_id else None,
                per_party=per_party,
                objections=objections,
                records=sorted(mine, key=lambda r: (r.updated_at, r.id)),
            )
        )
    return result
