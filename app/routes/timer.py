"""Routes: the step timer, controlled from the console (htmx posts; the live regions show the result)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.routes.deps import Db, Id, OwnedWorkshop, console_done, csrf_protect
from app.services import timer

router = APIRouter(dependencies=[Depends(csrf_protect)])

# Minutes arrive as text: the service turns anything that is not a whole number in range into a clear message.
Minutes = Annotated[str, Form(max_length=20)]


@router.post("/workshops/{workshop_id}/steps/{step_id}/timer/start")
async def start(
    request: Request,
    db: Db,
    workshop: OwnedWorkshop,
    step_id: Id,
    minutes: Minutes = "",
    preset: Minutes = "",
    auto_close: Annotated[bool, Form()] = False,
) -> Response:
    """A preset button (1, 2, 3, 5, 10 minutes) wins over the free number of minutes."""
    events = await timer.start_timer(
        db, workshop=workshop, step_id=step_id, minutes=preset or minutes, auto_close=auto_close
    )
    return await console_done(request, events, workshop.id, "console-timer")


@router.post("/workshops/{workshop_id}/steps/{step_id}/timer/pause")
async def pause(request: Request, db: Db, workshop: OwnedWorkshop, step_id: Id) -> Response:
    events = await timer.pause_timer(db, workshop=workshop, step_id=step_id)
    return await console_done(request, events, workshop.id, "console-timer")


@router.post("/workshops/{workshop_id}/steps/{step_id}/timer/resume")
async def resume(request: Request, db: Db, workshop: OwnedWorkshop, step_id: Id) -> Response:
    events = await timer.resume_timer(db, workshop=workshop, step_id=step_id)
    return await console_done(request, events, workshop.id, "console-timer")


@router.post("/workshops/{workshop_id}/steps/{step_id}/timer/extend")
async def extend(request: Request, db: Db, workshop: OwnedWorkshop, step_id: Id, minutes: Minutes = "") -> Response:
    events = await timer.extend_timer(db, workshop=workshop, step_id=step_id, minutes=minutes)
    return await console_done(request, events, workshop.id, "console-timer")


@router.post("/workshops/{workshop_id}/steps/{step_id}/timer/stop")
async def stop(request: Request, db: Db, workshop: OwnedWorkshop, step_id: Id) -> Response:
    events = await timer.stop_timer(db, workshop=workshop, step_id=step_id)
    return await console_done(request, events, workshop.id, "console-timer")
