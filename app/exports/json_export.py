"""JSON: the complete workshop as a versioned document, for backup and for moving it to another installation.

Its schema lives in app/services/transfer.py (which imports it). Records refer to each other by `ref`, a number
that counts each list from 1 in the order the records were made; the installation's own ids, join code, review
link and phone tokens are never written. Two exports of the same data differ only in `exported_at`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    Agreement,
    AgreementResponse,
    Answer,
    Participant,
    Party,
    ReportReview,
    Step,
    StepKind,
    Workshop,
)
from app.models.base import utcnow
from app.services.transfer import FORMAT, VERSION, WorkshopDocument, map_role_parties


async def _rows(db: AsyncSession, model: Any, *where: Any) -> list:
    return list((await db.scalars(select(model).where(*where).order_by(model.id))).all())


def _refs(rows: list) -> dict[int, int]:
    return {row.id: position for position, row in enumerate(rows, start=1)}


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


async def workshop_document(db: AsyncSession, *, workshop: Workshop, exported_at: datetime | None = None) -> dict:
    """The document as JSON-ready data, validated against the import schema (so every export imports)."""
    wid = workshop.id
    parties = await _rows(db, Party, Party.workshop_id == wid)
    steps = await _rows(db, Step, Step.workshop_id == wid)
    participants = await _rows(db, Participant, Participant.workshop_id == wid)
    answers = await _rows(db, Answer, Answer.workshop_id == wid)
    agreements = await _rows(db, Agreement, Agreement.workshop_id == wid)
    responses = await _rows(
        db, AgreementResponse, AgreementResponse.agreement_id.in_([a.id for a in agreements] or [0])
    )
    reviews = await _rows(db, ReportReview, ReportReview.workshop_id == wid)
    party, step, participant, answer = _refs(parties), _refs(steps), _refs(participants), _refs(answers)
    kinds = {s.id: s.kind for s in steps}

    def answer_value(a: Answer) -> dict | None:
        if a.value is not None and kinds[a.step_id] == StepKind.roles:
            return map_role_parties(a.value, party)
        return a.value

    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _utc(exported_at or utcnow()),
        "workshop": {
            "title": workshop.title,
            "held_on": workshop.held_on,
            "status": workshop.status,
            "show_names": workshop.show_names,
            "current_step": step.get(workshop.current_step_id),
            "created_at": _utc(workshop.created_at),
            "started_at": _utc(workshop.started_at),
            "closed_at": _utc(workshop.closed_at),
            "summary": workshop.summary,
            "report_status": workshop.report_status,
            "report_hidden": workshop.report_hidden,
            "report_for_participants": workshop.report_for_participants,
            "finalized_at": _utc(workshop.finalized_at),
        },
        "parties": [{"ref": party[p.id], "name": p.name, "position": p.position} for p in parties],
        "steps": [
            {
                "ref": step[s.id],
                "position": s.position,
                "kind": s.kind,
                "prompt": s.prompt,
                "help_text": s.help_text,
                "facilitator_notes": s.facilitator_notes,
                "is_open": s.is_open,
                "results_hidden": s.results_hidden,
                "config": s.config,
                "moderated": s.moderated,
                "timer_seconds": s.timer_seconds,
                "timer_ends_at": _utc(s.timer_ends_at),
                "timer_remaining": s.timer_remaining,
                "timer_auto_close": s.timer_auto_close,
                "summary": s.summary,
            }
            for s in steps
        ],
        "participants": [
            {
                "ref": participant[p.id],
                "party": party[p.party_id],
                "display_name": p.display_name,
                "speaks_for": p.speaks_for,
                "joined_at": _utc(p.joined_at),
                "removed_at": _utc(p.removed_at),
                "on_behalf": p.on_behalf,
            }
            for p in participants
        ],
        "answers": [
            {
                "ref": answer[a.id],
                "step": step[a.step_id],
                "participant": participant[a.participant_id],
                "party": party[a.party_id],
                "text": a.text,
                "value": answer_value(a),
                "category": a.category,
                "idempotency_key": a.idempotency_key,
                "status": a.status,
                "highlighted": a.highlighted,
                "cluster": a.cluster,
                "merged_into": answer.get(a.merged_into_id),
                "edited_by_facilitator": a.edited_by_facilitator,
                "created_at": _utc(a.created_at),
                "updated_at": _utc(a.updated_at),
            }
            for a in answers
        ],
        "agreements": [
            {
                "ref": position,
                "step": step.get(a.step_id),
                "owner_party": party.get(a.owner_party_id),
                "text": a.text,
                "due_on": a.due_on,
                "type": a.type,
                "status": a.status,
                "position": a.position,
                "created_at": _utc(a.created_at),
                "updated_at": _utc(a.updated_at),
                "responses": [
                    {
                        "participant": participant[r.participant_id],
                        "party": party[r.party_id],
                        "level": r.level,
                        "reason": r.reason,
                        "updated_at": _utc(r.updated_at),
                    }
                    for r in responses
                    if r.agreement_id == a.id
                ],
            }
            for position, a in enumerate(agreements, start=1)
        ],
        "reviews": [
            {
                "party": party[r.party_id],
                "verdict": r.verdict,
                "reviewer_name": r.reviewer_name,
                "comment": r.comment,
                "created_at": _utc(r.created_at),
            }
            for r in reviews
        ],
    }
    return WorkshopDocument.model_validate_json(json.dumps(data, default=_json_default)).model_dump(mode="json")


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def render_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
