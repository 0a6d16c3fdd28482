"""What one person sees of the current step on their phone: the step, their own answers (or response, or consent)
and what the answer form needs. One read model for the phone's page, its answers after a write, and the live frames.

Most phones have nothing of their own in a step that just became current, so the live path renders the step's
form once for all of them (`blank_view`) and reads a personal view only for the few who already answered it
(`who_answered`): a step change costs no request per phone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Agreement, AgreementResponse, Answer, Participant, Party, Step, Workshop
from app.models.participation import ANSWER_MAX
from app.services import agreements, answers
from app.services.kinds import get_kind
from app.services.kinds.base import FormLike
from app.services.kinds.scale import SCALES
from app.services.rooms import RoomState
from app.services.workshops import list_parties


@dataclass(slots=True)
class PhoneView:
    workshop: Workshop
    step: Step | None
    parties: list[Party]
    agreements: list = field(default_factory=list)  # an agreements step: every agreement with its consent
    mine: list[Answer] = field(default_factory=list)  # own notes of an open question
    response: Answer | None = None  # own response of a structured step
    my_consent: dict[int, AgreementResponse] = field(default_factory=dict)

    @property
    def structured(self) -> bool:
        return self.step is not None and get_kind(self.step.kind).structured

    @property
    def state(self) -> str:
        """Step, open state, workshop status and agreements: when any of it changes, the phone's part changes."""
        step = self.step
        items = "".join(f"{item.agreement.id}{item.agreement.status}." for item in self.agreements)
        return f"{step.id if step else ''}:{step.is_open if step else ''}:{self.workshop.status}:{items}"

    def context(self, *, idempotency_key: str = "", draft_fields: FormLike | None = None, **form: Any) -> dict:
        """The template context of participant/_mine.html. An empty idempotency key is filled in by the phone
        (frames rendered once for every phone cannot carry one key each)."""
        step = self.step
        structured = self.structured
        return {
            "workshop": self.workshop,
            "step": step,
            "agreements": self.agreements,
            "my_consent": self.my_consent,
            "mine": self.mine,
            "structured": structured,
            "response": self.response,
            # A refused response comes back as it was sent (dots, matrix), not as the last saved one.
            "draft_response": (
                get_kind(step.kind).draft_response(step.config, draft_fields)
                if step is not None and structured and draft_fields is not None
                else None
            ),
            "scales": SCALES,
            "parties": self.parties if structured else [],
            "categories": (step.config.get("categories") or []) if step is not None and not structured else [],
            "idempotency_key": idempotency_key,
            "answer_max": ANSWER_MAX,
            "phone_state": self.state,
            "error": "",
            "draft": "",
            "draft_category": "",
            "editing": None,
            "saved": False,
            **form,
        }


async def phone_view(db: AsyncSession, *, participant: Participant) -> PhoneView | None:
    """This participant's view of their workshop's current step."""
    workshop = await db.get(Workshop, participant.workshop_id)
    if workshop is None:
        return None
    step = await db.get(Step, workshop.current_step_id) if workshop.current_step_id is not None else None
    parties = await list_parties(db, workshop_id=workshop.id)
    view = PhoneView(workshop=workshop, step=step, parties=parties)
    if step is None:
        return view
    if step.kind == "agreements":
        view.agreements = await agreements.consent_for_step(db, step_id=step.id, parties=parties)
        view.my_consent = await agreements.my_responses(db, participant=participant, step_id=step.id)
    elif view.structured:
        view.response = await answers.my_response(db, participant=participant, step_id=step.id)
    else:
        view.mine = await answers.my_answers(db, participant=participant, step_id=step.id)
    return view


def blank_view(state: RoomState) -> PhoneView:
    """The view of someone with nothing of their own in the current step, from the room state already read."""
    step = state.current.step if state.current else None
    items = (state.current.result or []) if state.current and step and step.kind == "agreements" else []
    return PhoneView(workshop=state.workshop, step=step, parties=state.parties, agreements=list(items))


def step_state(state: RoomState) -> str:
    """The state every phone's step region carries; a phone's own part carries the same when it belongs to it."""
    return blank_view(state).state


async def who_answered(db: AsyncSession, *, step: Step) -> set[int]:
    """The participants with something of their own in this step (notes, a response or consent)."""
    if step.kind == "agreements":
        rows = await db.scalars(
            select(AgreementResponse.participant_id)
            .join(Agreement, Agreement.id == AgreementResponse.agreement_id)
            .where(Agreement.step_id == step.id)
            .distinct()
        )
    else:
        rows = await db.scalars(select(Answer.participant_id).where(Answer.step_id == step.id).distinct())
    return set(rows.all())
