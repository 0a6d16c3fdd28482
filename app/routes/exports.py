"""Downloads of a workshop: Markdown and CSV."""

from __future__ import annotations

import re

from fastapi import APIRouter
from fastapi.responses import Response

from app.exports.csv_export import render_csv
from app.exports.markdown import render_markdown
from app.routes.deps import Db, OwnedWorkshop
from app.services.rooms import workshop_results

router = APIRouter()


def _filename(title: str, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "workshop"
    return f"{slug}.{extension}"


@router.get("/workshops/{workshop_id}/export.md")
async def export_markdown(db: Db, workshop: OwnedWorkshop) -> Response:
    parties, results = await workshop_results(db, workshop_id=workshop.id)
    return Response(
        render_markdown(workshop, parties, results),
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename(workshop.title, "md")}"'},
    )


@router.get("/workshops/{workshop_id}/export.csv")
async def export_csv(db: Db, workshop: OwnedWorkshop) -> Response:
    parties, results = await workshop_results(db, workshop_id=workshop.id)
    # A BOM so that Excel opens the UTF-8 file with the right characters.
    return Response(
        "\ufeff" + render_csv(workshop, parties, results),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename(workshop.title, "csv")}"'},
    )
