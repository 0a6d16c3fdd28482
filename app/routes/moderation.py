"""The console's moderation of the current step's answers, removing participants, and answering on someone's
behalf. Thin: every action is one service call; htmx gets 204 (the WebSocket updates the console), a plain form
post a redirect back to the console."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.models import Participant, Step, Workshop
from app.models.participation import ANSWER_MAX, CLUSTER_MAX, DISPLAY_NAME_MAX, IDEMPOTENCY_KEY_MAX
from app.routes.deps import (
    Db,
    FormId,
    Id,
    OptionalFormId,
    OwnedWorkshop,
    QueryId,
    ReadDb,
    console_done,
    csrf_protect,
    is_htmx,
    page,
    publish,
    redirect,
    text_fields,
    translate_error,
)
from app.services import agreements, answers, moderation, proxy, workshops
from app.services.errors import DomainError
from app.services.kinds import get_kind
from app.services.kinds.base import FormLike
from app.services.kinds.scale import SCALES
from app.services.rooms import answer_views

router = APIRouter(dependencies=[Depends(csrf_protect)])

NoteText = Annotated[str, Form(max_length=ANSWER_MAX * 4)]
ClusterName = Annotated[str, Form(max_length=CLUSTER_MAX * 4)]
IdemKey = Annotated[str, Form(max_length=IDEMPOTENCY_KEY_MAX)]


@router.post("/workshops/{workshop_id}/steps/{step_id}/moderated")
async def set_moderated(
    request: Request, db: Db, workshop: OwnedWorkshop, step_id: Id, moderated: Annotated[bool, Form()]
) -> Response:
    events = await moderation.set_moderated(db, workshop=workshop, step_id=step_id, moderated=moderated)
    return await console_done(request, events, workshop.id, "console-answers")


@router.post("/workshops/{workshop_id}/steps/{step_id}/approve-all")
async def approve_all(request: Request, db: Db, workshop: OwnedWorkshop, step_id: Id) -> Response:
    events = await moderation.approve_all(db, workshop=workshop, step_id=step_id)
    return await console_done(request, events, workshop.id, "console-answers")


@router.post("/workshops/{workshop_id}/answers/{answer_id}/approve")
async def approve(request: Request, db: Db, workshop: OwnedWorkshop, answer_id: Id) -> Response:
    events = await moderation.approve(db, workshop=workshop, answer_id=answer_id)
    return await console_done(request, events, workshop.id, "console-answers")


@router.post("/workshops/{workshop_id}/answers/{answer_id}/hidden")
async def set_hidden(
    request: Request, db: Db, workshop: OwnedWorkshop, answer_id: Id, hidden: Annotated[bool, Form()]
) -> Response:
    events = await moderation.set_hidden(db, workshop=workshop, answer_id=answer_id, hidden=hidden)
    return await console_done(request, events, workshop.id, "console-answers")


@router.post("/workshops/{workshop_id}/answers/{answer_id}/highlight")
async def set_highlight(
    request: Request, db: Db, workshop: OwnedWorkshop, answer_id: Id, highlighted: Annotated[bool, Form()]
) -> Response:
    events = await moderation.set_highlight(db, workshop=workshop, answer_id=answer_id, highlighted=highlighted)
    return await console_done(request, events, workshop.id, "console-answers")


@router.post("/workshops/{workshop_id}/answers/{answer_id}/text")
async def correct(request: Request, db: Db, workshop: OwnedWorkshop, answer_id: Id, text: NoteText) -> Response:
    events = await moderation.correct(db, workshop=workshop, answer_id=answer_id, text=text)
    return await console_done(request, events, workshop.id, "console-answers")


@router.get("/workshops/{workshop_id}/merge-form")
async def merge_form(request: Request, db: Db, workshop: OwnedWorkshop) -> Response:
    """The merge form of the current step, loaded when the facilitator opens it: every note that can be merged."""
    step = await db.get(Step, workshop.current_step_id) if workshop.current_step_id is not None else None
    views = await answer_views(db, workshop_id=workshop.id, step_id=step.id) if step is not None else []
    mergeable = [a for a in views if a.merged_into_id is None and a.status != "hidden" and not a.removed]
    return page(
        request,
        "facilitator/_merge_form.html",
        step=step,
        mergeable=mergeable if step is not None else [],
        base=f"/workshops/{workshop.id}",
    )


@router.post("/workshops/{workshop_id}/merge")
async def merge(
    request: Request,
    db: Db,
    workshop: OwnedWorkshop,
    answer_id: FormId,
    into_id: FormId,
) -> Response:
    events = await moderation.merge(db, workshop=workshop, answer_id=answer_id, into_id=into_id)
    return await console_done(request, events, workshop.id, "console-answers")


@router.post("/workshops/{workshop_id}/answers/{answer_id}/unmerge")
async def unmerge(request: Request, db: Db, workshop: OwnedWorkshop, answer_id: Id) -> Response:
    events = await moderation.unmerge(db, workshop=workshop, answer_id=answer_id)
    return await console_done(request, events, workshop.id, "console-answers")


@router.post("/workshops/{workshop_id}/answers/{answer_id}/cluster")
async def set_cluster(
    request: Request, db: Db, workshop: OwnedWorkshop, answer_id: Id, cluster: ClusterName = ""
) -> Response:
    events = await moderation.set_cluster(db, workshop=workshop, answer_ids=[answer_id], cluster=cluster)
    return await console_done(request, events, workshop.id, "console-answers")


@router.post("/workshops/{workshop_id}/steps/{step_id}/clusters")
async def rename_cluster(
    request: Request, db: Db, workshop: OwnedWorkshop, step_id: Id, cluster: ClusterName, new_name: ClusterName = ""
) -> Response:
    """Rename a group; an empty new name dissolves it."""
    events = await moderation.rename_cluster(db, workshop=workshop, step_id=step_id, cluster=cluster, new_name=new_name)
    return await console_done(request, events, workshop.id, "console-answers")


@router.post("/workshops/{workshop_id}/participants/{participant_id}/remove")
async def remove_participant(request: Request, db: Db, workshop: OwnedWorkshop, participant_id: Id) -> Response:
    events = await moderation.remove_participant(db, workshop=workshop, participant_id=participant_id)
    return await console_done(request, events, workshop.id, "console-answers")


@router.post("/workshops/{workshop_id}/participants/{participant_id}/restore")
async def restore_participant(request: Request, db: Db, workshop: OwnedWorkshop, participant_id: Id) -> Response:
    events = await moderation.restore_participant(db, workshop=workshop, participant_id=participant_id)
    return await console_done(request, events, workshop.id, "console-answers")


# Answering on someone's behalf. The form is personal to this console (idempotency key, chosen person), so it is
# fetched by the console itself and re-fetched when the current step changes (data-follows, app.js).


async def _on_behalf_context(  # type: ignore[no-untyped-def]
    db: ReadDb,
    workshop_id: int,
    *,
    person_id: int | None = None,
    error: str = "",
    draft: str = "",
    saved=False,
    draft_fields: FormLike | None = None,
    draft_consent: dict | None = None,
) -> dict:
    workshop = await db.get(Workshop, workshop_id)  # read in this session: the write may just have committed
    step = await db.get(Step, workshop.current_step_id) if workshop.current_step_id else None
    people = await proxy.list_people(db, workshop_id=workshop.id)
    person: Participant | None = next((p for p in people if p.id == person_id), None)
    kind = get_kind(step.kind) if step else None
    response = (
        await answers.my_response(db, participant=person, step_id=step.id)
        if person and kind is not None and kind.structured
        else None
    )
    parties = await workshops.list_parties(db, workshop_id=workshop.id)
    consent_items: list = []
    consent_given: dict = {}
    if person and step is not None and step.kind == "agreements":
        consent_items = await agreements.consent_for_step(db, step_id=step.id, parties=parties)
        consent_given = await agreements.my_responses(db, participant=person, step_id=step.id)
    return {
        "workshop": workshop,
        "step": step,
        "kind": kind,
        "people": people,
        "agreements": consent_items,
        "my_consent": consent_given,
        "draft_consent": draft_consent,
        # A refused response comes back as it was sent (see Kind.draft_response).
        "draft_response": (
            kind.draft_response(step.config, draft_fields) if kind and kind.structured and draft_fields else None
        ),
        "person": person,
        "parties": parties,
        "response": response,
        "categories": (step.config.get("categories") or []) if step and kind and not kind.structured else [],
        "scales": SCALES,
        "idempotency_key": uuid.uuid4().hex,
        "error": error,
        "draft": draft,
        "saved": saved,
        "answer_max": ANSWER_MAX,
        "name_max": DISPLAY_NAME_MAX,
    }


def _on_behalf_fragment(request: Request, context: dict, status_code: int = 200) -> Response:
    return page(request, "facilitator/_on_behalf.html", status_code=status_code, **context)


@router.get("/workshops/{workshop_id}/on-behalf")
async def on_behalf_form(request: Request, db: ReadDb, workshop: OwnedWorkshop, person: QueryId = None) -> Response:
    return _on_behalf_fragment(request, await _on_behalf_context(db, workshop.id, person_id=person))


async def _on_behalf_write(request: Request, db: Db, read_db: ReadDb, workshop: Workshop, action, **kept) -> Response:
    """Run a write for the person; answer with the form again (saved, or with the error and the typed text)."""
    person_id = kept.pop("person_id", None)
    workshop_id = workshop.id  # read before the write: a rollback expires the writer session's objects
    try:
        person_id, events = await action()
    except DomainError as error:
        await db.rollback()
        context = await _on_behalf_context(
            read_db, workshop_id, person_id=person_id, error=translate_error(error), **kept
        )
        return _on_behalf_fragment(request, context, status_code=422)
    await publish(request, events)
    if not is_htmx(request):
        return redirect(f"/workshops/{workshop_id}#console-on-behalf")
    context = await _on_behalf_context(read_db, workshop_id, person_id=person_id, saved=True)
    return _on_behalf_fragment(request, context)


@router.post("/workshops/{workshop_id}/on-behalf/people")
async def add_person(
    request: Request,
    db: Db,
    read_db: ReadDb,
    workshop: OwnedWorkshop,
    party_id: OptionalFormId = None,
    display_name: Annotated[str, Form(max_length=DISPLAY_NAME_MAX * 2)] = "",
) -> Response:
    async def action():  # type: ignore[no-untyped-def]
        person, events = await proxy.add_person(db, workshop=workshop, party_id=party_id, display_name=display_name)
        return person.id, events

    return await _on_behalf_write(request, db, read_db, workshop, action)


@router.post("/workshops/{workshop_id}/on-behalf/{person_id}/answers")
async def add_answer_for(
    request: Request,
    db: Db,
    read_db: ReadDb,
    workshop: OwnedWorkshop,
    person_id: Id,
    step_id: FormId,
    text: NoteText,
    idempotency_key: IdemKey,
    category: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    async def action():  # type: ignore[no-untyped-def]
        person = await proxy.person_of(db, workshop=workshop, participant_id=person_id)
        _, events = await answers.add_answer(
            db, participant=person, step_id=step_id, text=text, idempotency_key=idempotency_key, category=category
        )
        return person.id, events

    return await _on_behalf_write(request, db, read_db, workshop, action, person_id=person_id, draft=text)


@router.post("/workshops/{workshop_id}/on-behalf/{person_id}/responses")
async def submit_response_for(
    request: Request,
    db: Db,
    read_db: ReadDb,
    workshop: OwnedWorkshop,
    person_id: Id,
    step_id: FormId,
    idempotency_key: IdemKey,
) -> Response:
    fields = await text_fields(request)

    async def action():  # type: ignore[no-untyped-def]
        person = await proxy.person_of(db, workshop=workshop, participant_id=person_id)
        _, events = await answers.submit_response(
            db, participant=person, step_id=step_id, fields=fields, idempotency_key=idempotency_key
        )
        return person.id, events

    return await _on_behalf_write(request, db, read_db, workshop, action, person_id=person_id, draft_fields=fields)


@router.post("/workshops/{workshop_id}/on-behalf/{person_id}/agreements/{agreement_id}")
async def respond_for(
    request: Request,
    db: Db,
    read_db: ReadDb,
    workshop: OwnedWorkshop,
    person_id: Id,
    agreement_id: Id,
    level: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Consent to an agreement for someone without a phone; a refused one comes back as it was given."""

    async def action():  # type: ignore[no-untyped-def]
        person = await proxy.person_of(db, workshop=workshop, participant_id=person_id)
        events = await agreements.respond(db, participant=person, agreement_id=agreement_id, level=level, reason=reason)
        return person.id, events

    draft_consent = {"agreement_id": agreement_id, "level": level, "reason": reason}
    return await _on_behalf_write(
        request, db, read_db, workshop, action, person_id=person_id, draft_consent=draft_consent
    )
