"""Backup and move: a workshop as a JSON document, and importing one as a new workshop."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import Response

from app import i18n
from app.exports.json_export import render_json, workshop_document
from app.methods import builtin_methods
from app.routes.deps import CurrentFacilitator, Db, OwnedWorkshop, csrf_protect, page, redirect, translate_error
from app.routes.exports import _filename
from app.services import saved_methods, transfer, workshops
from app.services.errors import Invalid

router = APIRouter(dependencies=[Depends(csrf_protect)])


@router.get("/workshops/{workshop_id}/export.json")
async def export_json(db: Db, workshop: OwnedWorkshop) -> Response:
    document = await workshop_document(db, workshop=workshop)
    return Response(
        render_json(document),
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename(workshop.title, "json")}"'},
    )


@router.post("/workshops/import-json")
async def import_json(request: Request, db: Db, facilitator: CurrentFacilitator, file: UploadFile) -> Response:
    """A JSON export becomes a new workshop of this facilitator; a bad file changes nothing."""
    owner_id = facilitator.id  # read before a rollback expires the loaded objects
    raw = await file.read(transfer.MAX_JSON_BYTES + 1)
    try:
        workshop = await transfer.import_workshop(db, owner_id=owner_id, document=raw)
    except Invalid as error:
        name = (file.filename or "")[:100]
        message = translate_error(error)
        if name:
            message = i18n.gettext("%(file)s: %(problem)s") % {"file": name, "problem": message}
        return page(
            request,
            "facilitator/workshops.html",
            status_code=422,
            workshops=await workshops.list_workshops(db, owner_id=owner_id),
            methods=builtin_methods(),
            own_methods=await saved_methods.list_own(db, owner_id=owner_id),
            form={},
            json_import_error=message,
        )
    return redirect(f"/workshops/{workshop.id}")
