"""Carry forward: the facilitator turns the notes of an open question into a dots step (stippen plakken)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app import i18n
from app.models.workshops import PROMPT_MAX
from app.routes.deps import Db, Id, OwnedWorkshop, csrf_protect, page, publish, redirect, translate_error
from app.services import carry_forward, steps
from app.services.errors import N_, Invalid
from app.services.kinds.base import int_or_none
from app.services.kinds.dots import BUDGET_MAX, DEFAULT_BUDGET, MAX_ITEMS

router = APIRouter(dependencies=[Depends(csrf_protect)])

DEFAULT_PROMPT = N_("Where do you want to put your dots?")


async def _carry_page(
    request: Request,
    db: Db,
    workshop: OwnedWorkshop,
    step_id: int,
    *,
    status_code: int = 200,
    selected: set[str] | None = None,
    prompt: str | None = None,
    budget: str = str(DEFAULT_BUDGET),
    error: str = "",
) -> Response:
    step = await steps.step_of(db, workshop=workshop, step_id=step_id)
    notes = await carry_forward.notes_to_carry(db, workshop=workshop, step_id=step_id)
    return page(
        request,
        "facilitator/carry_forward.html",
        status_code=status_code,
        w=workshop,
        step=step,
        groups=carry_forward.group_by_parties(notes),
        notes=notes,
        selected=selected,  # None: everything checked
        prompt=i18n.gettext(DEFAULT_PROMPT) if prompt is None else prompt,
        budget=budget,
        budget_max=BUDGET_MAX,
        max_items=MAX_ITEMS,
        error=error,
    )


@router.get("/workshops/{workshop_id}/steps/{step_id}/carry")
async def carry_page(request: Request, db: Db, workshop: OwnedWorkshop, step_id: Id) -> Response:
    return await _carry_page(request, db, workshop, step_id)


@router.post("/workshops/{workshop_id}/steps/{step_id}/carry")
async def carry(
    request: Request,
    db: Db,
    workshop: OwnedWorkshop,
    step_id: Id,
    prompt: Annotated[str, Form(max_length=PROMPT_MAX * 2)] = "",
    budget: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Make the dots step; a bad selection or setting shows the page again with the message and changes nothing."""
    selected = [str(note) for note in (await request.form()).getlist("note")]
    try:
        dots = int_or_none(budget)
        if dots is None:
            raise Invalid(N_("The number of dots must be a whole number from 1 to %(max)d."), max=BUDGET_MAX)
        events = await carry_forward.add_dots_step_from_notes(
            db, workshop=workshop, source_step_id=step_id, selected=selected, prompt=prompt, budget=dots
        )
    except Invalid as error:
        keys = {carry_forward.as_item(s).casefold() for s in selected}
        return await _carry_page(
            request,
            db,
            workshop,
            step_id,
            status_code=422,
            selected=keys,
            prompt=prompt,
            budget=budget,
            error=translate_error(error),
        )
    await publish(request, events)
    return redirect(f"/workshops/{workshop.id}#step-{events[0].step_id}")
