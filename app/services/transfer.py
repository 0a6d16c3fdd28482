"""Moving a workshop between installations: the JSON document's schema and importing it (backup and move).

The document (see app/exports/json_export.py) refers to its own records by `ref`: a number that counts each list
from 1 in the order the records were made. Database ids never leave the installation, so exporting, importing and
exporting again gives the same document, apart from `exported_at`.

An import is strict: a document that is not JSON, has another format or version, breaks a model's limits or refers
to a record that is not in the file is refused with a message naming what is wrong, and nothing is written.
The imported workshop belongs to the importing facilitator, has no join code and no review link; an open workshop
comes in as a draft (start it again for a new code), and every participant gets a fresh random token hash, so no
phone can log in with a cookie from the other installation.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.methods import MAX_STEPS
from app.models import (
    Agreement,
    AgreementResponse,
    AgreementStatus,
    AgreementType,
    Answer,
    AnswerStatus,
    ConsentLevel,
    Participant,
    Party,
    ReportHidden,
    ReportReview,
    ReportStatus,
    ReviewVerdict,
    SpeaksFor,
    Step,
    StepKind,
    Workshop,
    WorkshopStatus,
)
from app.models.agreements import AGREEMENT_MAX, REASON_MAX
from app.models.participation import ANSWER_MAX, CLUSTER_MAX, DISPLAY_NAME_MAX, IDEMPOTENCY_KEY_MAX
from app.models.reports import REVIEW_COMMENT_MAX, REVIEWER_NAME_MAX
from app.models.workshops import HELP_MAX, NOTES_MAX, PARTY_NAME_MAX, PROMPT_MAX, SUMMARY_MAX, TITLE_MAX
from app.services import documents
from app.services.errors import N_, DomainError, Invalid
from app.services.text import BlockText, LineText
from app.services.tokens import hash_token, new_token
from app.services.workshops import MAX_PARTIES

FORMAT = "opgroeiruimte-live/workshop"
VERSION = 1
MAX_JSON_BYTES = 10 * 1024 * 1024

Ref = Annotated[int, Field(ge=1)]  # a record's number inside the document


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class WorkshopData(_Record):
    title: LineText = Field(min_length=1, max_length=TITLE_MAX)
    held_on: date | None
    status: WorkshopStatus
    show_names: bool
    current_step: Ref | None
    created_at: AwareDatetime
    started_at: AwareDatetime | None
    closed_at: AwareDatetime | None
    summary: BlockText = Field(max_length=SUMMARY_MAX)
    report_status: ReportStatus
    report_hidden: ReportHidden
    report_for_participants: bool
    finalized_at: AwareDatetime | None


class PartyData(_Record):
    ref: Ref
    name: LineText = Field(min_length=1, max_length=PARTY_NAME_MAX)
    position: int


class StepData(_Record):
    ref: Ref
    position: int
    kind: StepKind
    prompt: BlockText = Field(min_length=1, max_length=PROMPT_MAX)
    help_text: BlockText = Field(max_length=HELP_MAX)
    facilitator_notes: BlockText = Field(max_length=NOTES_MAX)
    is_open: bool
    results_hidden: bool
    config: dict[str, Any]
    moderated: bool
    timer_seconds: int | None = Field(ge=0)
    timer_ends_at: AwareDatetime | None
    timer_remaining: int | None = Field(ge=0)
    timer_auto_close: bool
    summary: BlockText = Field(max_length=SUMMARY_MAX)


class ParticipantData(_Record):
    ref: Ref
    party: Ref
    display_name: LineText = Field(max_length=DISPLAY_NAME_MAX)
    speaks_for: SpeaksFor
    joined_at: AwareDatetime
    removed_at: AwareDatetime | None
    on_behalf: bool


class AnswerData(_Record):
    ref: Ref
    step: Ref
    participant: Ref
    party: Ref
    text: BlockText = Field(max_length=ANSWER_MAX)
    value: dict[str, Any] | None
    category: int | None = Field(ge=0)
    idempotency_key: str = Field(min_length=1, max_length=IDEMPOTENCY_KEY_MAX)
    status: AnswerStatus
    highlighted: bool
    cluster: LineText = Field(max_length=CLUSTER_MAX)
    merged_into: Ref | None
    edited_by_facilitator: bool
    created_at: AwareDatetime
    updated_at: AwareDatetime


class ConsentData(_Record):
    participant: Ref
    party: Ref
    level: ConsentLevel
    reason: LineText = Field(max_length=REASON_MAX)
    updated_at: AwareDatetime


class AgreementData(_Record):
    ref: Ref
    step: Ref | None
    owner_party: Ref | None
    text: LineText = Field(min_length=1, max_length=AGREEMENT_MAX)
    due_on: date | None
    type: AgreementType
    status: AgreementStatus
    position: int
    created_at: AwareDatetime
    updated_at: AwareDatetime
    responses: list[ConsentData]


class ReviewData(_Record):
    party: Ref
    verdict: ReviewVerdict
    reviewer_name: LineText = Field(max_length=REVIEWER_NAME_MAX)
    comment: BlockText = Field(max_length=REVIEW_COMMENT_MAX)
    created_at: AwareDatetime


class WorkshopDocument(_Record):
    format: str
    version: int
    exported_at: AwareDatetime
    workshop: WorkshopData
    parties: list[PartyData] = Field(min_length=1, max_length=MAX_PARTIES)
    steps: list[StepData] = Field(max_length=MAX_STEPS)
    participants: list[ParticipantData]
    answers: list[AnswerData]
    agreements: list[AgreementData]
    reviews: list[ReviewData]


class _Refused(Exception):
    def __init__(self, problem: str) -> None:
        self.problem = problem


def _refuse(problem: str) -> Invalid:
    return Invalid(N_("This file cannot be imported: %(problem)s"), problem=problem)


def parse_document(document: str | bytes | dict) -> WorkshopDocument:
    """The validated document, or Invalid naming the first problem."""
    if isinstance(document, dict):
        document = json.dumps(document)
    if len(document) > MAX_JSON_BYTES:
        raise Invalid(N_("The file is too large: at most %(max)d MB."), max=MAX_JSON_BYTES // (1024 * 1024))
    if isinstance(document, bytes):
        try:
            document = document.decode("utf-8-sig")  # a byte order mark in front is fine
        except UnicodeDecodeError:
            raise Invalid(N_("The file is not a text (UTF-8) file.")) from None
    if documents.json_too_deep(document):
        raise _refuse(f"arrays and objects are nested more than {documents.MAX_DEPTH} deep")
    try:
        raw = json.loads(document)
    except json.JSONDecodeError as error:
        raise Invalid(N_("The file is not valid JSON (the problem is on line %(line)d)."), line=error.lineno) from None
    except ValueError:  # an integer of thousands of digits: Python refuses to convert it
        raise _refuse("a number in the file is too large") from None
    problem = documents.first_bad_value(raw)
    if problem:
        raise _refuse(problem)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise Invalid(N_("This file is not a workshop exported from Opgroeiruimte Live (JSON)."))
    if raw.get("version") != VERSION:
        raise Invalid(
            N_("This file has version %(version)s; this installation reads version %(supported)d."),
            version=str(raw.get("version"))[:20],
            supported=VERSION,
        )
    try:
        parsed = WorkshopDocument.model_validate_json(document)
        _check_references(parsed)
    except ValidationError as error:
        first = error.errors()[0]
        raise _refuse(f"{documents.where(first.get('loc', ()))}: {first.get('msg', '')}") from None
    except _Refused as refused:
        raise _refuse(refused.problem) from None
    return parsed


def _index(items: list, what: str) -> dict[int, Any]:
    refs: dict[int, Any] = {}
    for position, item in enumerate(items):
        if item.ref in refs:
            raise _Refused(f"{what}[{position}].ref: {item.ref} appears twice")
        refs[item.ref] = item
    return refs


def _resolve(refs: dict[int, Any], ref: int | None, where: str, what: str) -> None:
    if ref is not None and ref not in refs:
        raise _Refused(f"{where}: {what} {ref} is not in the file")


def _check_references(doc: WorkshopDocument) -> None:
    from app.services.kinds import get_kind  # the kinds import the models; keep this module light to import

    parties = _index(doc.parties, "parties")
    steps = _index(doc.steps, "steps")
    participants = _index(doc.participants, "participants")
    answers = _index(doc.answers, "answers")
    _index(doc.agreements, "agreements")
    w = doc.workshop
    _resolve(steps, w.current_step, "workshop.current_step", "step")
    if w.report_status == ReportStatus.final and (w.status != WorkshopStatus.closed or w.finalized_at is None):
        raise _Refused("workshop.report_status: a final report needs a closed workshop and finalized_at")
    if len({p.name for p in doc.parties}) != len(doc.parties):
        raise _Refused("parties: two parties have the same name")
    for i, step in enumerate(doc.steps):
        try:
            step.config = get_kind(step.kind).parse_config(step.config)
        except DomainError as error:
            raise _Refused(f"steps[{i}].config: {error}") from None
    for i, participant in enumerate(doc.participants):
        _resolve(parties, participant.party, f"participants[{i}].party", "party")
    keys: set[tuple[int, str]] = set()
    responses: set[tuple[int, int]] = set()
    for i, answer in enumerate(doc.answers):
        _resolve(steps, answer.step, f"answers[{i}].step", "step")
        _resolve(participants, answer.participant, f"answers[{i}].participant", "participant")
        _resolve(parties, answer.party, f"answers[{i}].party", "party")
        _resolve(answers, answer.merged_into, f"answers[{i}].merged_into", "answer")
        if answer.merged_into is not None and (
            answer.merged_into == answer.ref or answers[answer.merged_into].step != answer.step
        ):
            raise _Refused(f"answers[{i}].merged_into: must be another answer to the same step")
        if (answer.participant, answer.idempotency_key) in keys:
            raise _Refused(f"answers[{i}].idempotency_key: appears twice for one participant")
        keys.add((answer.participant, answer.idempotency_key))
        step = steps[answer.step]
        kind = get_kind(step.kind)
        if kind.structured != (answer.value is not None):
            raise _Refused(
                f"answers[{i}].value: a {step.kind} step takes " + ("a response" if kind.structured else "notes")
            )
        if answer.value is not None:
            if (answer.participant, answer.step) in responses:
                raise _Refused(f"answers[{i}]: a second response of one participant to one step")
            responses.add((answer.participant, answer.step))
            try:
                kind.check_response(step.config, answer.value)
            except DomainError as error:
                raise _Refused(f"answers[{i}].value: {error}") from None
            if step.kind == StepKind.roles:
                _check_role_parties(answer.value, parties, f"answers[{i}].value")
        categories = (step.config.get("categories") or []) if step.kind == StepKind.open else []
        if answer.category is not None and answer.category >= len(categories):
            raise _Refused(f"answers[{i}].category: the step has no category {answer.category}")
    for i, agreement in enumerate(doc.agreements):
        _resolve(steps, agreement.step, f"agreements[{i}].step", "step")
        _resolve(parties, agreement.owner_party, f"agreements[{i}].owner_party", "party")
        seen: set[int] = set()
        for j, consent in enumerate(agreement.responses):
            where = f"agreements[{i}].responses[{j}]"
            _resolve(participants, consent.participant, f"{where}.participant", "participant")
            _resolve(parties, consent.party, f"{where}.party", "party")
            if consent.participant in seen:
                raise _Refused(f"{where}.participant: answered this agreement twice")
            seen.add(consent.participant)
    for i, review in enumerate(doc.reviews):
        _resolve(parties, review.party, f"reviews[{i}].party", "party")


def _check_role_parties(value: dict, parties: dict[int, Any], where: str) -> None:
    roles = value.get("roles")
    if not isinstance(roles, dict) or not all(isinstance(per_task, dict) for per_task in roles.values()):
        raise _Refused(f"{where}: a roles response needs {{'roles': {{task: {{party: role}}}}}}")
    for per_task in roles.values():
        for party in per_task:
            if not str(party).isdigit() or int(party) not in parties:
                raise _Refused(f"{where}: party {party} is not in the file")


def map_role_parties(value: dict, ids: dict[int, int]) -> dict:
    """A roles response names parties by key; translate them (ids -> refs on export, refs -> ids on import).
    A key that names no party of the workshop is left out: the kind ignores such keys anyway."""
    return {
        **value,
        "roles": {
            task: {str(ids[int(p)]): role for p, role in per_task.items() if str(p).isdigit() and int(p) in ids}
            for task, per_task in value.get("roles", {}).items()
        },
    }


async def import_workshop(db: AsyncSession, *, owner_id: int, document: str | bytes | dict) -> Workshop:
    """Restore a workshop from its JSON document, in one transaction; see the module's docstring."""
    # Checking up to 10 MB takes a second of CPU: in a thread, so live rooms on this worker keep their pace.
    doc = await asyncio.to_thread(parse_document, document)
    try:
        workshop = await _write(db, owner_id=owner_id, doc=doc)
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise _refuse("the records contradict each other (a duplicate the database refuses)") from None
    except BaseException:
        await db.rollback()
        raise
    return workshop


async def _write(db: AsyncSession, *, owner_id: int, doc: WorkshopDocument) -> Workshop:
    w = doc.workshop
    workshop = Workshop(
        owner_id=owner_id,
        title=w.title,
        held_on=w.held_on,
        status=WorkshopStatus.draft if w.status == WorkshopStatus.open else w.status,
        join_code=None,
        show_names=w.show_names,
        created_at=w.created_at,
        started_at=w.started_at,
        closed_at=w.closed_at,
        summary=w.summary,
        report_status=w.report_status,
        report_hidden=w.report_hidden,
        report_for_participants=w.report_for_participants,
        finalized_at=w.finalized_at,
        review_token_hash=None,
    )
    db.add(workshop)
    await db.flush()
    wid = workshop.id

    async def insert(rows: list[tuple[int, Any]]) -> dict[int, int]:
        db.add_all([row for _, row in rows])
        await db.flush()
        return {ref: row.id for ref, row in rows}

    party_ids = await insert([(p.ref, Party(workshop_id=wid, name=p.name, position=p.position)) for p in doc.parties])
    step_ids = await insert([(s.ref, Step(workshop_id=wid, **s.model_dump(exclude={"ref"}))) for s in doc.steps])
    workshop.current_step_id = step_ids.get(w.current_step) if w.current_step else None
    participant_ids = await insert(
        [
            (
                p.ref,
                Participant(
                    workshop_id=wid,
                    party_id=party_ids[p.party],
                    token_hash=hash_token(new_token()),  # unusable: nobody knows the token
                    **p.model_dump(exclude={"ref", "party"}),
                ),
            )
            for p in doc.participants
        ]
    )
    kinds = {s.ref: s.kind for s in doc.steps}
    answers = [
        (
            a.ref,
            Answer(
                workshop_id=wid,
                step_id=step_ids[a.step],
                participant_id=participant_ids[a.participant],
                party_id=party_ids[a.party],
                value=map_role_parties(a.value, party_ids)
                if a.value is not None and kinds[a.step] == StepKind.roles
                else a.value,
                **a.model_dump(exclude={"ref", "step", "participant", "party", "value", "merged_into"}),
            ),
        )
        for a in doc.answers
    ]
    answer_ids = await insert(answers)
    for (_, answer), data in zip(answers, doc.answers, strict=True):
        if data.merged_into is not None:  # after all answers exist: a note can be merged into a later one
            answer.merged_into_id = answer_ids[data.merged_into]
    for a in doc.agreements:
        agreement = Agreement(
            workshop_id=wid,
            step_id=step_ids[a.step] if a.step else None,
            owner_party_id=party_ids[a.owner_party] if a.owner_party else None,
            **a.model_dump(exclude={"ref", "step", "owner_party", "responses"}),
        )
        db.add(agreement)
        await db.flush()
        db.add_all(
            AgreementResponse(
                agreement_id=agreement.id,
                participant_id=participant_ids[c.participant],
                party_id=party_ids[c.party],
                level=c.level,
                reason=c.reason,
                updated_at=c.updated_at,
            )
            for c in a.responses
        )
        await db.flush()
    db.add_all(
        ReportReview(workshop_id=wid, party_id=party_ids[r.party], **r.model_dump(exclude={"party"}))
        for r in doc.reviews
    )
    await db.flush()
    return workshop
