"""The facilitator's pages: workshop list, preparation (settings, parties, agenda) and the live console."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, UploadFile, WebSocket
from fastapi.responses import Response

from app import i18n
from app.methods import builtin_methods
from app.methods.yaml_io import MAX_YAML_BYTES, MethodFileError, method_from_agenda, method_to_yaml, parse_method_yaml
from app.models.base import parse_id
from app.models.workshops import HELP_MAX, PARTY_NAME_MAX, PROMPT_MAX, TITLE_MAX
from app.realtime.fanout import CONSOLE
from app.routes import live
from app.routes.deps import (
    CurrentFacilitator,
    Db,
    FormId,
    Id,
    OwnedWorkshop,
    console_done,
    csrf_protect,
    may_run,
    page,
    public_base_url,
    redirect,
    text_fields,
)
from app.services import agreements, board_links, saved_methods, steps, workshops
from app.services.errors import N_, Invalid
from app.services.rooms import load_room

router = APIRouter(dependencies=[Depends(csrf_protect)])

Title = Annotated[str, Form(max_length=TITLE_MAX * 2)]
Prompt = Annotated[str, Form(max_length=PROMPT_MAX * 2)]
HelpText = Annotated[str, Form(max_length=HELP_MAX * 2)]
PartyName = Annotated[str, Form(max_length=PARTY_NAME_MAX * 2)]


def _parse_date(raw: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid(N_("Enter the date as year-month-day, for example 2026-12-01.")) from None


def _console_url(workshop_id: int, anchor: str = "") -> str:
    return f"/workshops/{workshop_id}" + (f"#{anchor}" if anchor else "")


@router.get("/workshops")
async def workshop_list(request: Request, db: Db, facilitator: CurrentFacilitator) -> Response:
    return page(
        request,
        "facilitator/workshops.html",
        workshops=await workshops.list_workshops(db, owner_id=facilitator.id),
        methods=builtin_methods(),
        own_methods=await saved_methods.list_own(db, owner_id=facilitator.id),
        form={},
    )


@router.post("/workshops")
async def create_workshop(
    request: Request,
    db: Db,
    facilitator: CurrentFacilitator,
    title: Title,
    held_on: Annotated[str, Form(max_length=20)] = "",
    method: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    chosen = await saved_methods.resolve(db, owner_id=facilitator.id, choice=method)
    workshop = await workshops.create_workshop(
        db, owner_id=facilitator.id, title=title, held_on=_parse_date(held_on), method=chosen
    )
    return redirect(_console_url(workshop.id))


@router.post("/workshops/import")
async def import_method(request: Request, db: Db, facilitator: CurrentFacilitator, file: UploadFile) -> Response:
    """A method file (YAML) becomes a new workshop with that agenda; a bad file changes nothing."""
    raw = await file.read(MAX_YAML_BYTES + 1)
    try:
        method = parse_method_yaml(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return await _import_error(request, db, facilitator, i18n.gettext("The file is not a text (UTF-8) file."))
    except MethodFileError as error:
        message = (
            i18n.gettext("Line %(line)d: %(problem)s") % {"line": error.line, "problem": error.problem}
            if error.line
            else error.problem
        )
        return await _import_error(request, db, facilitator, message)
    workshop = await workshops.create_workshop(db, owner_id=facilitator.id, title=method.title, method=method)
    return redirect(_console_url(workshop.id))


async def _import_error(request: Request, db: Db, facilitator, message: str) -> Response:  # type: ignore[no-untyped-def]
    return page(
        request,
        "facilitator/workshops.html",
        status_code=422,
        workshops=await workshops.list_workshops(db, owner_id=facilitator.id),
        methods=builtin_methods(),
        own_methods=await saved_methods.list_own(db, owner_id=facilitator.id),
        form={},
        import_error=i18n.gettext("This method file cannot be used. %(problem)s") % {"problem": message},
    )


@router.get("/workshops/{workshop_id}/method.yaml")
async def export_method(db: Db, workshop: OwnedWorkshop) -> Response:
    agenda = await workshops.list_steps(db, workshop_id=workshop.id)
    if not agenda:
        raise Invalid(N_("The agenda is empty. Add a step first."))
    text = method_to_yaml(method_from_agenda(workshop.title, "", agenda))
    slug = re.sub(r"[^a-z0-9]+", "-", workshop.title.lower()).strip("-")[:60] or "werkvorm"
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{slug}.yaml"'},
    )


@router.get("/workshops/{workshop_id}")
async def console(request: Request, db: Db, workshop: OwnedWorkshop) -> Response:
    room = await load_room(db, workshop_id=workshop.id)
    return page(request, "facilitator/console.html", room=room, board_link=None)


@router.post("/workshops/{workshop_id}/settings")
async def update_settings(
    request: Request,
    db: Db,
    workshop: OwnedWorkshop,
    title: Title,
    held_on: Annotated[str, Form(max_length=20)] = "",
    show_names: Annotated[bool, Form()] = False,
) -> Response:
    events = await workshops.update_workshop(
        db, workshop=workshop, title=title, held_on=_parse_date(held_on), show_names=show_names
    )
    return await console_done(request, events, workshop.id, "settings")


@router.post("/workshops/{workshop_id}/parties")
async def add_party(request: Request, db: Db, workshop: OwnedWorkshop, name: PartyName) -> Response:
    events = await workshops.add_party(db, workshop=workshop, name=name)
    return await console_done(request, events, workshop.id, "parties")


@router.post("/workshops/{workshop_id}/parties/{party_id}")
async def rename_party(request: Request, db: Db, workshop: OwnedWorkshop, party_id: Id, name: PartyName) -> Response:
    events = await workshops.rename_party(db, workshop=workshop, party_id=party_id, name=name)
    return await console_done(request, events, workshop.id, "parties")


@router.post("/workshops/{workshop_id}/parties/{party_id}/delete")
async def remove_party(request: Request, db: Db, workshop: OwnedWorkshop, party_id: Id) -> Response:
    events = await workshops.remove_party(db, workshop=workshop, party_id=party_id)
    return await console_done(request, events, workshop.id, "parties")


@router.post("/workshops/{workshop_id}/steps")
async def add_step(
    request: Request,
    db: Db,
    workshop: OwnedWorkshop,
    prompt: Prompt,
    help_text: HelpText = "",
    kind: Annotated[str, Form(max_length=20)] = "open",
) -> Response:
    # The kind's own settings (options, statements, ...) come from the same form.
    fields = await text_fields(request)
    events = await steps.add_step(db, workshop=workshop, prompt=prompt, help_text=help_text, kind=kind, fields=fields)
    return await console_done(request, events, workshop.id, "agenda")


@router.post("/workshops/{workshop_id}/steps/{step_id}")
async def update_step(
    request: Request, db: Db, workshop: OwnedWorkshop, step_id: Id, prompt: Prompt, help_text: HelpText = ""
) -> Response:
    events = await steps.update_step(db, workshop=workshop, step_id=step_id, prompt=prompt, help_text=help_text)
    return await console_done(request, events, workshop.id, f"step-{step_id}")


@router.post("/workshops/{workshop_id}/steps/{step_id}/move")
async def move_step(
    request: Request, db: Db, workshop: OwnedWorkshop, step_id: Id, offset: Annotated[int, Form(ge=-1, le=1)]
) -> Response:
    events = await steps.move_step(db, workshop=workshop, step_id=step_id, offset=offset)
    return await console_done(request, events, workshop.id, f"step-{step_id}")


@router.post("/workshops/{workshop_id}/steps/{step_id}/delete")
async def delete_step(request: Request, db: Db, workshop: OwnedWorkshop, step_id: Id) -> Response:
    events = await steps.delete_step(db, workshop=workshop, step_id=step_id)
    return await console_done(request, events, workshop.id, "agenda")


@router.post("/workshops/{workshop_id}/steps/{step_id}/open")
async def set_step_open(
    request: Request, db: Db, workshop: OwnedWorkshop, step_id: Id, is_open: Annotated[bool, Form()]
) -> Response:
    events = await steps.set_step_open(db, workshop=workshop, step_id=step_id, is_open=is_open)
    return await console_done(request, events, workshop.id, "controls")


@router.post("/workshops/{workshop_id}/agreements")
async def draft_agreement(
    request: Request,
    db: Db,
    workshop: OwnedWorkshop,
    step_id: FormId,
    text: Annotated[str, Form(max_length=2000)],
    type: Annotated[str, Form(max_length=20)] = "working",  # noqa: A002
    owner_party_id: Annotated[str, Form(max_length=20)] = "",
    due_on: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    parties = await workshops.list_parties(db, workshop_id=workshop.id)
    owner = (parse_id(owner_party_id) or 0) if owner_party_id else None  # 0: no party, which the service refuses
    _, events = await agreements.draft_agreement(
        db,
        workshop=workshop,
        step_id=step_id,
        text=text,
        parties=parties,
        owner_party_id=owner,
        due_on=_parse_date(due_on),
        type_=type,
    )
    return await console_done(request, events, workshop.id, "controls")


@router.post("/workshops/{workshop_id}/agreements/{agreement_id}/status")
async def agreement_status(
    request: Request, db: Db, workshop: OwnedWorkshop, agreement_id: Id, status: Annotated[str, Form(max_length=10)]
) -> Response:
    events = await agreements.set_status(db, workshop=workshop, agreement_id=agreement_id, status=status)
    return await console_done(request, events, workshop.id, "controls")


@router.post("/workshops/{workshop_id}/steps/{step_id}/hidden")
async def set_results_hidden(
    request: Request, db: Db, workshop: OwnedWorkshop, step_id: Id, hidden: Annotated[bool, Form()]
) -> Response:
    events = await steps.set_results_hidden(db, workshop=workshop, step_id=step_id, hidden=hidden)
    return await console_done(request, events, workshop.id, "controls")


@router.post("/workshops/{workshop_id}/start")
async def start(request: Request, db: Db, workshop: OwnedWorkshop) -> Response:
    return await console_done(request, await workshops.start_workshop(db, workshop=workshop), workshop.id)


@router.post("/workshops/{workshop_id}/close")
async def close(request: Request, db: Db, workshop: OwnedWorkshop) -> Response:
    return await console_done(request, await workshops.close_workshop(db, workshop=workshop), workshop.id)


@router.post("/workshops/{workshop_id}/go")
async def go_to(request: Request, db: Db, workshop: OwnedWorkshop, step_id: FormId) -> Response:
    events = await workshops.go_to_step(db, workshop=workshop, step_id=step_id)
    return await console_done(request, events, workshop.id, "controls")


@router.post("/workshops/{workshop_id}/next")
async def next_step(request: Request, db: Db, workshop: OwnedWorkshop) -> Response:
    events = await workshops.go_relative(db, workshop=workshop, offset=1)
    return await console_done(request, events, workshop.id, "controls")


@router.post("/workshops/{workshop_id}/previous")
async def previous_step(request: Request, db: Db, workshop: OwnedWorkshop) -> Response:
    events = await workshops.go_relative(db, workshop=workshop, offset=-1)
    return await console_done(request, events, workshop.id, "controls")


@router.post("/workshops/{workshop_id}/board-link")
async def board_link(request: Request, db: Db, workshop: OwnedWorkshop) -> Response:
    token = await board_links.create_board_link(db, workshop=workshop)
    room = await load_room(db, workshop_id=workshop.id)
    link = f"{public_base_url(request)}/b/{token}"
    return page(request, "facilitator/console.html", room=room, board_link=link)


@router.websocket("/ws/console/{workshop_id}")
async def console_socket(websocket: WebSocket, workshop_id: Id) -> None:
    if not live.origin_allowed(websocket) or not await may_run(websocket, workshop_id):
        return await live.refuse(websocket)
    await live.serve(websocket, workshop_id=workshop_id, audience=CONSOLE)
