"""The facilitator's methods (werkvormen): the built-in ones and their own — save, duplicate, import, edit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import Response

from app import i18n
from app.methods import builtin_methods
from app.methods.yaml_io import MAX_YAML_BYTES, MethodFileError
from app.routes.deps import CurrentFacilitator, Db, Id, OwnedWorkshop, csrf_protect, page, redirect
from app.services import saved_methods

router = APIRouter(dependencies=[Depends(csrf_protect)])


def _file_problem(error: MethodFileError) -> str:
    if error.line:
        return i18n.gettext("Line %(line)d: %(problem)s") % {"line": error.line, "problem": error.problem}
    return error.problem


async def _methods_page(request: Request, db: Db, facilitator, status_code: int = 200, **extra) -> Response:  # type: ignore[no-untyped-def]
    return page(
        request,
        "facilitator/methods.html",
        status_code=status_code,
        methods=builtin_methods(),
        own_methods=await saved_methods.list_own(db, owner_id=facilitator.id),
        **extra,
    )


@router.get("/methods")
async def methods(request: Request, db: Db, facilitator: CurrentFacilitator) -> Response:
    return await _methods_page(request, db, facilitator)


@router.post("/workshops/{workshop_id}/save-method")
async def save_agenda(request: Request, db: Db, facilitator: CurrentFacilitator, workshop: OwnedWorkshop) -> Response:
    saved = await saved_methods.save_from_workshop(db, owner_id=facilitator.id, workshop=workshop)
    return redirect(f"/methods/{saved.id}/edit")


@router.post("/methods/duplicate")
async def duplicate(
    request: Request, db: Db, facilitator: CurrentFacilitator, source: Annotated[str, Form(max_length=60)]
) -> Response:
    saved = await saved_methods.duplicate(db, owner_id=facilitator.id, source=source)
    return redirect(f"/methods/{saved.id}/edit")


@router.post("/methods/import")
async def import_method(request: Request, db: Db, facilitator: CurrentFacilitator, file: UploadFile) -> Response:
    raw = await file.read(MAX_YAML_BYTES + 1)
    try:
        saved = await saved_methods.import_yaml(db, owner_id=facilitator.id, text=raw.decode("utf-8"))
    except UnicodeDecodeError:
        problem = i18n.gettext("The file is not a text (UTF-8) file.")
        return await _methods_page(request, db, facilitator, 422, import_error=problem)
    except MethodFileError as error:
        problem = i18n.gettext("This method file cannot be used. %(problem)s") % {"problem": _file_problem(error)}
        return await _methods_page(request, db, facilitator, 422, import_error=problem)
    return redirect(f"/methods/{saved.id}/edit")


@router.get("/methods/{method_id}/edit")
async def edit_form(request: Request, db: Db, facilitator: CurrentFacilitator, method_id: Id) -> Response:
    saved = await saved_methods.get_own(db, owner_id=facilitator.id, method_id=method_id)
    return page(request, "facilitator/method_edit.html", saved=saved, text=saved_methods.to_yaml(saved), error="")


@router.post("/methods/{method_id}")
async def save_edit(
    request: Request,
    db: Db,
    facilitator: CurrentFacilitator,
    method_id: Id,
    text: Annotated[str, Form(max_length=MAX_YAML_BYTES)],
) -> Response:
    owner_id = facilitator.id  # read before a rollback expires the loaded objects
    try:
        await saved_methods.update_from_yaml(db, owner_id=owner_id, method_id=method_id, text=text)
    except MethodFileError as error:
        await db.rollback()
        saved = await saved_methods.get_own(db, owner_id=owner_id, method_id=method_id)
        # The text comes back as typed, with the problem and its line: nothing was saved.
        return page(
            request, "facilitator/method_edit.html", status_code=422, saved=saved, text=text, error=_file_problem(error)
        )
    return redirect("/methods")


@router.post("/methods/{method_id}/delete")
async def delete(request: Request, db: Db, facilitator: CurrentFacilitator, method_id: Id) -> Response:
    await saved_methods.delete_own(db, owner_id=facilitator.id, method_id=method_id)
    return redirect("/methods")


@router.get("/methods/{method_id}.yaml")
async def download(db: Db, facilitator: CurrentFacilitator, method_id: Id) -> Response:
    saved = await saved_methods.get_own(db, owner_id=facilitator.id, method_id=method_id)
    return Response(
        saved_methods.to_yaml(saved),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="werkvorm.yaml"'},
    )
