"""PDF: the report page's own HTML body and SVG charts, laid out for A4 by WeasyPrint with a print stylesheet.

WeasyPrint fetches nothing from the network: its URL fetcher serves only our own static files (the stylesheets)
and refuses everything else, so user text can never make the server request a URL.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.services.report import Report
from app.templating import render

STATIC_DIR = (Path(__file__).resolve().parent.parent / "static").resolve()
BASE_URL = STATIC_DIR.as_uri() + "/"


class RefusedFetch(ValueError):
    """A URL outside our static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves file:// URLs inside app/static; refuses every other URL (http, https, data, files elsewhere)."""

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
        if path is None or not path.is_relative_to(STATIC_DIR) or not path.is_file():
            raise RefusedFetch(f"not fetched: {url[:80]}")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": media_type})


def report_html(report: Report) -> str:
    """The standalone HTML document the PDF is made from (the report body, not editable)."""
    return render("report/print.html", report=report, editable=False)


def html_to_pdf(html: str) -> bytes:
    """Lay out a report document (CPU-bound: routes run it in a worker thread)."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()


def render_pdf(report: Report) -> bytes:
    return html_to_pdf(report_html(report))
