"""Downloads of a workshop as text: Markdown and CSV, from the same report as the report page (report.py)."""

from __future__ import annotations

import re

from fastapi import APIRouter
from fastapi.responses import Response

from app.exports.csv_export import render_csv
from app.exports.markdown import render_markdown
from app.routes.deps import Db, OwnedWorkshop
from app.services.report import build_report

router = APIRouter()


def _filename(title: str, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "workshop"
    return f"{slug}.{extension}"


def download(body: bytes | str, media_type: str, title: str, extension: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{_filename(title, extension)}"'},
    )


@router.get("/workshops/{workshop_id}/export.md")
async def export_markdown(db: Db, workshop: OwnedWorkshop) -> Response:
    report = await build_report(db, workshop=workshop)
    return download(render_markdown(report), "text/markdown; charset=utf-8", workshop.title, "md")


@router.get("/workshops/{workshop_id}/export.csv")
async def export_csv(db: Db, workshop: OwnedWorkshop) -> Response:
    report = await build_report(db, workshop=workshop)
    # A BOM so that Excel opens the UTF-8 file with the right characters.
    return download("\ufeff" + render_csv(report), "text/csv; charset=utf-8", workshop.title, "csv")
