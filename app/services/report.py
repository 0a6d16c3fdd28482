"""The report (verslag): one read model for the report page and every download, and the facilitator's edits.

`build_report` gathers what the report shows: attendance per party, every step with its answers per party side by
side (visible ones, and, as the facilitator chooses, the withheld ones left out or marked), the kind's results,
the agreements with consent per party, and the summaries. Every format (HTML, PDF, DOCX, XLSX, Markdown, CSV)
renders this same model, so they never disagree about what is in the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.i18n import ngettext
from app.models import Agreement, AgreementResponse, Participant, Party, Step, Workshop
from app.models.workshops import SUMMARY_MAX, ReportHidden, ReportStatus
from app.services import reviews  # an akkoord is for one version: a change withdraws it
from app.services.agreements import AgreementConsent, tally_consent
from app.services.errors import N_, Invalid, NotFound
from app.services.kinds import get_kind
from app.services.rooms import AnswerView, StepResult, workshop_results
from app.services.text import block as clean_block
from app.services.workshops import ensure_report_editable

# Why an answer is marked in the report. Keys are stable (tests, CSS classes); values are msgids.
MARK_LABELS = {
    "hidden": N_("hidden"),
    "pending": N_("not approved"),
    "removed": N_("participant removed"),
    "merged": N_("merged"),
    "on_behalf": N_("entered on someone's behalf"),
    "edited": N_("corrected by the facilitator"),
}
# Marks that say an answer was withheld from the board (the rest only describe a counted answer).
WITHHELD_MARKS = ("hidden", "pending", "removed", "merged")


@dataclass(frozen=True, slots=True)
class ReportAnswer:
    """One answer as the report writes it: its text (a structured response described in words) and its marks."""

    view: AnswerView
    text: str
    category: str
    marks: tuple[str, ...]

    @property
    def withheld(self) -> bool:
        return not self.view.visible

    @property
    def mark_labels(self) -> list[str]:
        """The marks as msgids, for the formats to translate."""
        return [MARK_LABELS[m] for m in self.marks]


@dataclass(slots=True)
class ReportColumn:
    party: Party
    answers: list[ReportAnswer] = field(default_factory=list)

    @property
    def counted(self) -> list[ReportAnswer]:
        return [a for a in self.answers if not a.withheld]

    @property
    def withheld(self) -> list[ReportAnswer]:
        return [a for a in self.answers if a.withheld]

    @property
    def on_behalf(self) -> int:
        return sum(1 for a in self.answers if a.view.on_behalf)

    @property
    def on_behalf_note(self) -> str:
        """For a structured step: how many of this party's responses were entered on someone's behalf."""
        return ngettext(
            "%(num)d response entered on someone's behalf.",
            "%(num)d responses entered on someone's behalf.",
            self.on_behalf,
        ) % {"num": self.on_behalf}


@dataclass(slots=True)
class ReportStep:
    number: int
    result: StepResult  # counted (visible) answers only: charts and tables come from it
    columns: list[ReportColumn]  # the answers the report writes, per party
    omitted: int  # withheld answers left out (report_hidden == omit)

    @property
    def step(self) -> Step:
        return self.result.step

    @property
    def kind(self) -> str:
        return self.result.step.kind

    @property
    def structured(self) -> bool:
        return self.result.result is not None and self.kind != "agreements"

    def table(self) -> tuple[list[str], list[list[str]]] | None:
        """The kind's results as a plain table (header, rows), or None for open questions."""
        if self.result.result is None:
            return None
        return get_kind(self.kind).summary_table(self.result.result)


@dataclass(frozen=True, slots=True)
class Attendance:
    party: Party
    participants: int  # not removed; people entered on their behalf included
    on_behalf: int


@dataclass(slots=True)
class Report:
    workshop: Workshop
    parties: list[Party]
    attendance: list[Attendance]
    steps: list[ReportStep]
    agreements: list[AgreementConsent]
    summary_max: int = SUMMARY_MAX

    @property
    def title(self) -> str:
        return self.workshop.title

    @property
    def held_on(self) -> date | None:
        return self.workshop.held_on

    @property
    def summary(self) -> str:
        return self.workshop.summary

    @property
    def status(self) -> str:
        return self.workshop.report_status

    @property
    def final(self) -> bool:
        return self.workshop.report_status == ReportStatus.final

    @property
    def marks_withheld(self) -> bool:
        return self.workshop.report_hidden == ReportHidden.mark

    @property
    def participants_total(self) -> int:
        return sum(a.participants for a in self.attendance)

    @property
    def omitted_total(self) -> int:
        return sum(s.omitted for s in self.steps)

    def agreements_table(self) -> tuple[list[str], list[list[str]]]:
        """Agreements and action points as a plain table: text, type, owner, due, status, consent per party."""
        return get_kind("agreements").summary_table(self.agreements)


def answer_marks(answer: AnswerView) -> tuple[str, ...]:
    marks = []
    if answer.removed:
        marks.append("removed")
    if answer.merged_into_id is not None:
        marks.append("merged")
    if answer.status == "hidden":
        marks.append("hidden")
    elif answer.status == "pending":
        marks.append("pending")
    if answer.on_behalf:
        marks.append("on_behalf")
    if answer.edited_by_facilitator:
        marks.append("edited")
    return tuple(marks)


def _describe(step: Step, answer: AnswerView, party_names: dict[int, str]) -> str:
    if answer.value is None:
        return answer.text
    return get_kind(step.kind).describe_response(step.config, answer.value, party_names=party_names)


def _category(step: Step, answer: AnswerView) -> str:
    categories = step.config.get("categories") or []
    return categories[answer.category] if answer.category is not None and 0 <= answer.category < len(categories) else ""


def _report_step(number: int, result: StepResult, parties: list[Party], mark: bool) -> ReportStep:
    step = result.step
    columns = {p.id: ReportColumn(party=p) for p in parties}
    party_names = {p.id: p.name for p in parties}
    counted = [a for c in result.columns for a in c.answers]
    written = sorted([*counted, *result.withheld], key=lambda a: (a.created_at, a.id)) if mark else counted
    for answer in written:
        if answer.party_id in columns:
            text = _describe(step, answer, party_names)
            view = ReportAnswer(answer, text, _category(step, answer), answer_marks(answer))
            columns[answer.party_id].answers.append(view)
    omitted = 0 if mark else len(result.withheld)
    return ReportStep(number=number, result=result, columns=list(columns.values()), omitted=omitted)


async def _attendance(db: AsyncSession, *, workshop_id: int, parties: list[Party]) -> list[Attendance]:
    rows = (
        await db.execute(
            select(Participant.party_id, Participant.on_behalf, func.count())
            .where(Participant.workshop_id == workshop_id, Participant.removed_at.is_(None))
            .group_by(Participant.party_id, Participant.on_behalf)
        )
    ).all()
    total: dict[int, int] = {}
    proxies: dict[int, int] = {}
    for party_id, on_behalf, count in rows:
        total[party_id] = total.get(party_id, 0) + count
        if on_behalf:
            proxies[party_id] = proxies.get(party_id, 0) + count
    return [Attendance(p, total.get(p.id, 0), proxies.get(p.id, 0)) for p in parties]


async def _agreements(db: AsyncSession, *, workshop_id: int, steps: list[Step], parties: list[Party]) -> list:
    """Every agreement of the workshop, in agenda order, with consent per party (removed participants not counted)."""
    order = {s.id: s.position for s in steps}
    agreements = sorted(
        (await db.scalars(select(Agreement).where(Agreement.workshop_id == workshop_id))).all(),
        key=lambda a: (order.get(a.step_id, len(order)), a.position, a.id),
    )
    if not agreements:
        return []
    responses = (
        await db.scalars(
            select(AgreementResponse)
            .join(Participant, Participant.id == AgreementResponse.participant_id)
            .where(AgreementResponse.agreement_id.in_([a.id for a in agreements]), Participant.removed_at.is_(None))
        )
    ).all()
    return tally_consent(list(agreements), list(responses), parties)


async def build_report(db: AsyncSession, *, workshop: Workshop) -> Report:
    """The report of a workshop, as every format renders it."""
    parties, results = await workshop_results(db, workshop_id=workshop.id)
    mark = workshop.report_hidden == ReportHidden.mark
    steps = [_report_step(n, r, parties, mark) for n, r in enumerate(results, start=1)]
    return Report(
        workshop=workshop,
        parties=parties,
        attendance=await _attendance(db, workshop_id=workshop.id, parties=parties),
        steps=steps,
        agreements=await _agreements(db, workshop_id=workshop.id, steps=[r.step for r in results], parties=parties),
    )


# --- The facilitator's edits ----------------------------------------------------------------------------------


def _clean_summary(text: str) -> str:
    text = clean_block(text)
    if len(text) > SUMMARY_MAX:
        raise Invalid(N_("A summary can have at most %(max)d characters."), max=SUMMARY_MAX)
    return text


async def set_workshop_summary(db: AsyncSession, *, workshop: Workshop, summary: str) -> list[Any]:
    ensure_report_editable(workshop)
    workshop.summary = _clean_summary(summary)
    await reviews.withdraw_approvals(db, workshop=workshop, changed=workshop)
    await db.commit()
    return []


async def set_step_summary(db: AsyncSession, *, workshop: Workshop, step_id: int, summary: str) -> list[Any]:
    ensure_report_editable(workshop)
    step = await db.get(Step, step_id)
    if step is None or step.workshop_id != workshop.id:
        raise NotFound(N_("This step does not exist."))
    step.summary = _clean_summary(summary)
    await reviews.withdraw_approvals(db, workshop=workshop, changed=step)
    await db.commit()
    return []


async def set_report_options(
    db: AsyncSession, *, workshop: Workshop, report_hidden: str, report_for_participants: bool
) -> list[Any]:
    ensure_report_editable(workshop)
    if report_hidden not in ReportHidden.__members__.values():
        raise Invalid(N_("Choose whether withheld answers are left out or marked."))
    workshop.report_hidden = report_hidden
    workshop.report_for_participants = report_for_participants
    await reviews.withdraw_approvals(db, workshop=workshop, changed=workshop)
    await db.commit()
    return []
