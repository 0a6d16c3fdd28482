"""Role division results: no chart, a table (tasks x parties) is the view; helpers that put roles into words."""

from __future__ import annotations

from app.services.kinds.roles import ROLE_NAMES, role_label, view_text

TEMPLATE_GLOBALS = {"roles_view_text": view_text, "role_label": role_label, "role_names": ROLE_NAMES}
