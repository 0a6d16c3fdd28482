"""Phones: join by code, see the current step, add/edit/delete own notes; the phone's WebSocket."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, WebSocket
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from app import i18n
from app.models import Participant, SpeaksFor, Workshop
from app.models.participation import ANSWER_MAX, DISPLAY_NAME_MAX, IDEMPOTENCY_KEY_MAX
from app.realtime.connections import CLOSE_REMOVED
from app.realtime.fanout import PHONE
from app.routes import live
from app.routes.deps import (
    PARTICIPANT_COOKIE_PREFIX,
    Db,
    FormId,
    Id,
    OptionalFormId,
    QueryId,
    ReadDb,
    cookie_options,
    csrf_protect,
    guarded_lookup,
    is_htmx,
    page,
    publish,
    rate_limited,
    redirect,
    text_fields,
    translate_error,
)
from app.services import agreements, answers, participants, workshops
from app.services.errors import N_, DomainError, Forbidden, Gone, NotFound, WorkshopEnded
from app.services.kinds.base import FormLike
from app.services.phone_view import phone_view
from app.services.rooms import load_room

router = APIRouter(dependencies=[Depends(csrf_protect)])

AnswerText = Annotated[str, Form(max_length=ANSWER_MAX * 4)]
IdemKey = Annotated[str, Form(max_length=IDEMPOTENCY_KEY_MAX)]


def participant_cookie(workshop_id: int) -> str:
    return f"{PARTICIPANT_COOKIE_PREFIX}{workshop_id}"


async def current_participant(request: Request, workshop_id: Id) -> Participant:
    """The phone's participant, looked up in a session of its own: no lock held, and a later reader session
    of the same request starts a fresh snapshot that sees the request's own write."""
    async with request.app.state.db.reader() as db:
        participant = await participants.participant_by_token(
            db, workshop_id=workshop_id, token=request.cookies.get(participant_cookie(workshop_id))
        )
    if participant is None:
        raise NotFound(N_("You have not joined this workshop on this device. Scan the code again to join."))
    if participant.removed_at is not None:
        raise Forbidden(N_("The facilitator has removed you from this workshop."))
    return participant


Me = Annotated[Participant, Depends(current_participant)]


async def _open_workshop(db: AsyncSession, code: str) -> Workshop:
    return await workshops.open_workshop_by_code(db, code=code)


@router.post("/join")
async def join_by_code(request: Request, db: Db, code: Annotated[str, Form(max_length=40)]) -> Response:
    try:
        workshop = await guarded_lookup(request, "join code", code, lambda: _open_workshop(db, code))
    except DomainError as error:  # NotFound, or TooMany after many wrong codes
        return page(
            request,
            "home.html",
            status_code=error.status,
            needs_setup=False,
            join_error=translate_error(error),
            code=code,
        )
    return redirect(f"/j/{workshop.join_code}")


@router.get("/j/{code}")
async def join_page(request: Request, code: str, db: Db) -> Response:
    try:
        workshop = await guarded_lookup(request, "join code", code, lambda: _open_workshop(db, code))
    except WorkshopEnded as ended:
        # The link or QR code of a workshop that is over: its own phones see it as it ended (with the report, when
        # the facilitator allows it); anyone else reads that it has ended.
        if request.cookies.get(participant_cookie(ended.workshop_id)):
            return redirect(f"/p/{ended.workshop_id}")
        raise
    me = await participants.participant_by_token(
        db, workshop_id=workshop.id, token=request.cookies.get(participant_cookie(workshop.id))
    )
    if me is not None and me.removed_at is None:  # a removed participant may join again, as someone new
        return redirect(f"/p/{workshop.id}")
    return page(
        request,
        "participant/join.html",
        workshop=workshop,
        parties=await workshops.list_parties(db, workshop_id=workshop.id),
        form={},
    )


@router.post("/j/{code}")
async def join(
    request: Request,
    code: str,
    db: Db,
    read_db: ReadDb,
    party_id: OptionalFormId = None,
    display_name: Annotated[str, Form(max_length=DISPLAY_NAME_MAX * 2)] = "",
    speaks_for: Annotated[str, Form(max_length=20)] = SpeaksFor.self,
) -> Response:
    form = {"display_name": display_name, "party_id": party_id, "speaks_for": speaks_for}
    # A wrong code counts as a guess; the joins themselves are limited below.
    await guarded_lookup(request, "join code", code, lambda: _open_workshop(read_db, code), count_success=False)

    async def join_page_again(status_code: int, error: str) -> Response:
        workshop = await workshops.open_workshop_by_code(read_db, code=code)
        parties = await workshops.list_parties(read_db, workshop_id=workshop.id)
        return page(
            request,
            "participant/join.html",
            status_code=status_code,
            workshop=workshop,
            parties=parties,
            form=form,
            error=error,
        )

    if await rate_limited(request, request.app.state.settings.join_rate_limit, "join"):
        return await join_page_again(429, i18n.gettext("Many people are joining at once. Wait a moment and try again."))
    try:
        workshop = await workshops.open_workshop_by_code(db, code=code)
        participant, token, events = await participants.join(
            db, workshop=workshop, party_id=party_id, display_name=display_name, speaks_for=speaks_for
        )
    except DomainError as error:
        await db.rollback()
        return await join_page_again(422, translate_error(error))
    await publish(request, events)
    response = redirect(f"/p/{participant.workshop_id}")
    response.set_cookie(
        participant_cookie(participant.workshop_id), token, max_age=30 * 24 * 3600, **cookie_options(request)
    )
    return response


async def _mine_context(db: Db, me: Participant, **form) -> dict:  # type: ignore[no-untyped-def]
    """The phone's own part, with a fresh idempotency key for its form; `form` keeps what was typed or refused."""
    view = await phone_view(db, participant=me)
    if view is None:
        raise NotFound(N_("This workshop does not exist."))
    return view.context(idempotency_key=uuid.uuid4().hex, me=me, **form)


async def _phone_page(request: Request, db: Db, me: Participant, status_code: int = 200, **mine) -> Response:
    room = await load_room(db, workshop_id=me.workshop_id, answers=False, people=False)
    party = next((p for p in room.parties if p.id == me.party_id), None)
    return page(
        request,
        "participant/phone.html",
        status_code=status_code,
        room=room,
        party=party,
        **await _mine_context(db, me, **mine),
    )


def _mine_fragment(request: Request, context: dict, status_code: int = 200) -> Response:
    return page(request, "participant/_mine.html", status_code=status_code, **context)


@router.get("/p/{workshop_id}")
async def phone(request: Request, db: Db, me: Me, edit: QueryId = None) -> Response:
    return await _phone_page(request, db, me, editing=edit)


@router.get("/p/{workshop_id}/mine")
async def mine(request: Request, db: Db, me: Me, edit: QueryId = None) -> Response:
    return _mine_fragment(request, await _mine_context(db, me, editing=edit))


async def _answer_result(
    request: Request,
    db: Db,
    read_db: ReadDb,
    me: Participant,
    action,
    *,
    draft: str = "",
    draft_category: str = "",
    editing: int | None = None,
    draft_fields: FormLike | None = None,
) -> Response:
    """Run a write; answer with the phone's own notes (htmx) or the whole page (plain form post).

    Only the write itself runs in the writer session (on SQLite: BEGIN IMMEDIATE, the database's write lock);
    the rate limit comes before it and the rendering after it, on a reader session.
    """
    if await rate_limited(request, request.app.state.settings.answer_rate_limit, "answer", str(me.id)):
        error = i18n.gettext("You are sending very fast. Wait a moment and try again.")
        return await _answer_error(request, read_db, me, error, draft, editing, 429, draft_category, draft_fields)
    try:
        events = await action()
    except DomainError as error:
        await db.rollback()
        status = 410 if isinstance(error, Gone) else 422
        return await _answer_error(
            request, read_db, me, translate_error(error), draft, editing, status, draft_category, draft_fields
        )
    await publish(request, events)
    if is_htmx(request):
        return _mine_fragment(request, await _mine_context(read_db, me, saved=True))
    return redirect(f"/p/{me.workshop_id}")


async def _answer_error(
    request: Request,
    db: ReadDb,
    me: Participant,
    error: str,
    draft: str,
    editing: int | None,
    status: int,
    draft_category: str = "",
    draft_fields: FormLike | None = None,
) -> Response:
    kept = {
        "error": error,
        "draft": draft,
        "draft_category": draft_category,
        "editing": editing,
        "draft_fields": draft_fields,
    }
    if is_htmx(request):
        # 422 is swapped by htmx (see the htmx-config meta tag): the form comes back with the text kept.
        return _mine_fragment(request, await _mine_context(db, me, **kept), status_code=422)
    return await _phone_page(request, db, me, status_code=status, **kept)


@router.post("/p/{workshop_id}/answers")
async def add_answer(
    request: Request,
    db: Db,
    read_db: ReadDb,
    me: Me,
    step_id: FormId,
    text: AnswerText,
    idempotency_key: IdemKey,
    category: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    async def action():  # type: ignore[no-untyped-def]
        _, events = await answers.add_answer(
            db, participant=me, step_id=step_id, text=text, idempotency_key=idempotency_key, category=category
        )
        return events

    return await _answer_result(request, db, read_db, me, action, draft=text, draft_category=category)


@router.post("/p/{workshop_id}/responses")
async def submit_response(
    request: Request, db: Db, read_db: ReadDb, me: Me, step_id: FormId, idempotency_key: IdemKey
) -> Response:
    """A vote or ratings for a structured step; the kind reads its own fields from the form."""
    fields = await text_fields(request)

    async def action():  # type: ignore[no-untyped-def]
        _, events = await answers.submit_response(
            db, participant=me, step_id=step_id, fields=fields, idempotency_key=idempotency_key
        )
        return events

    return await _answer_result(request, db, read_db, me, action, draft_fields=fields)


@router.post("/p/{workshop_id}/agreements/{agreement_id}")
async def respond_to_agreement(
    request: Request,
    db: Db,
    read_db: ReadDb,
    me: Me,
    agreement_id: Id,
    level: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Consent to an agreement: eens, kan ermee leven, or bezwaar with a reason. A refused response comes back
    with the participant's choice and reason still filled in."""
    if await rate_limited(request, request.app.state.settings.answer_rate_limit, "answer", str(me.id)):
        error = i18n.gettext("You are sending very fast. Wait a moment and try again.")
        return await _answer_error(request, read_db, me, error, "", None, 429)
    try:
        events = await agreements.respond(db, participant=me, agreement_id=agreement_id, level=level, reason=reason)
    except DomainError as error:
        await db.rollback()
        if not is_htmx(request):
            return await _phone_page(request, read_db, me, status_code=422, error=translate_error(error))
        context = await _mine_context(read_db, me, error=translate_error(error))
        context["draft_consent"] = {"agreement_id": agreement_id, "level": level, "reason": reason}
        return _mine_fragment(request, context, status_code=422)
    await publish(request, events)
    if is_htmx(request):
        return _mine_fragment(request, await _mine_context(read_db, me, saved=True))
    return redirect(f"/p/{me.workshop_id}")


@router.post("/p/{workshop_id}/answers/{answer_id}")
async def edit_answer(request: Request, db: Db, read_db: ReadDb, me: Me, answer_id: Id, text: AnswerText) -> Response:
    async def action():  # type: ignore[no-untyped-def]
        _, events = await answers.edit_answer(db, participant=me, answer_id=answer_id, text=text)
        return events

    return await _answer_result(request, db, read_db, me, action, draft=text, editing=answer_id)


@router.post("/p/{workshop_id}/answers/{answer_id}/delete")
async def delete_answer(request: Request, db: Db, read_db: ReadDb, me: Me, answer_id: Id) -> Response:
    async def action():  # type: ignore[no-untyped-def]
        return await answers.delete_answer(db, participant=me, answer_id=answer_id)

    return await _answer_result(request, db, read_db, me, action)


@router.websocket("/ws/phone/{workshop_id}")
async def phone_socket(websocket: WebSocket, workshop_id: Id) -> None:
    if not live.origin_allowed(websocket):
        return await live.refuse(websocket)
    async with websocket.app.state.db.reader() as db:
        me = await participants.participant_by_token(
            db, workshop_id=workshop_id, token=websocket.cookies.get(participant_cookie(workshop_id))
        )
    if me is None:
        return await live.refuse(websocket)
    if me.removed_at is not None:  # accepted, then closed with the code that makes the phone say why
        await websocket.accept()
        return await websocket.close(code=CLOSE_REMOVED)
    await live.serve(websocket, workshop_id=workshop_id, audience=PHONE, participant_id=me.id)
