"""The Jinja2 environment: autoescaped, gettext-aware, shared by pages, live fragments and exports."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from app import __version__, i18n, result_charts
from app.assets import asset_url
from app.models import SpeaksFor, WorkshopStatus
from app.result_charts.step_chart import step_chart
from app.services import agreements
from app.services.errors import N_
from app.services.kinds import KINDS
from app.services.phone_view import step_state
from app.services.timer import EXTENSIONS, MAX_MINUTES, PRESETS, timer_view

TEMPLATE_DIR = Path(__file__).parent / "templates"

SPEAKS_FOR_LABELS = {
    SpeaksFor.self: N_("for myself"),
    SpeaksFor.organisation: N_("on behalf of my organisation"),
    SpeaksFor.mandate: N_("with a mandate"),
}


STATUS_LABELS = {
    WorkshopStatus.draft: N_("in preparation"),
    WorkshopStatus.open: N_("running"),
    WorkshopStatus.closed: N_("closed"),
}


def status_text(value: str) -> str:
    return i18n.gettext(STATUS_LABELS.get(value, value))


def speaks_for_text(value: str) -> str:
    return i18n.gettext(SPEAKS_FOR_LABELS.get(value, value))


@lru_cache(maxsize=256)
def qr_svg(url: str) -> Markup:
    """The join link as an inline SVG QR code (segno; no JavaScript, no third-party host)."""
    # segno writes only numbers and path data into the SVG; the URL itself is encoded, never echoed.
    return Markup(segno.make(url, error="m").svg_inline(scale=1, border=2, svgclass="qr", omitsize=True))  # noqa: S704


def _format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%d-%m-%Y")


def _format_time(value: datetime | None) -> str:
    return value.strftime("%H:%M") if value else ""


def is_local_address(url: str) -> bool:
    """Does this link point at the computer it is opened on (localhost, 127.x, ::1)? Phones cannot use it."""
    host = (urlparse(url).hostname or "").lower()
    return host == "localhost" or host.endswith(".localhost") or host.startswith("127.") or host == "::1"


def _create_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["date_nl"] = _format_date
    env.filters["time"] = _format_time
    env.filters["party_names"] = lambda parties: {p.id: p.name for p in parties}
    env.globals["speaks_for_label"] = speaks_for_text
    env.globals["current_locale"] = i18n.current_locale
    env.globals["qr_svg"] = qr_svg
    env.globals["asset_url"] = asset_url
    env.globals["status_label"] = status_text
    env.globals["kinds"] = KINDS
    env.globals["step_state"] = step_state
    env.globals["app_version"] = __version__
    env.globals["is_local_address"] = is_local_address
    env.globals["agreement_type_labels"] = agreements.TYPE_LABELS
    env.globals["agreement_status_labels"] = agreements.STATUS_LABELS
    env.globals["consent_labels"] = agreements.LEVEL_LABELS
    env.globals.update(result_charts.TEMPLATE_GLOBALS)
    env.globals["step_chart"] = step_chart
    env.globals["language_names"] = i18n.LANGUAGE_NAMES
    env.globals["timer_of"] = timer_view
    env.globals.update(presets=PRESETS, extensions=EXTENSIONS, max_minutes=MAX_MINUTES)
    return env


env = _create_env()


def render(name: str, /, **context: Any) -> str:
    return env.get_template(name).render(**context)


def render_block(name: str, block: str, /, **context: Any) -> str:
    """Render one block of a template: the same markup for the full page and its live fragment."""
    template = env.get_template(name)
    ctx = template.new_context(context)
    return "".join(template.blocks[block](ctx))
