"""CSV: one row per answer. Cells are escaped against spreadsheet formula injection."""

from __future__ import annotations

import csv
import io

from app.i18n import gettext as _
from app.models import Party, Workshop
from app.services.kinds import get_kind
from app.services.rooms import AnswerView, StepResult
from app.templating import speaks_for_text

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading formula character gets a quote in front."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _answer_text(result: StepResult, answer: AnswerView) -> str:
    if answer.value is None:
        return answer.text
    return get_kind(result.step.kind).describe_response(result.step.config, answer.value)


def _category(result: StepResult, answer: AnswerView) -> str:
    categories = result.step.config.get("categories") or []
    return categories[answer.category] if answer.category is not None and 0 <= answer.category < len(categories) else ""


def render_csv(workshop: Workshop, parties: list[Party], results: list[StepResult]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # Category comes last, so spreadsheets built on the earlier columns keep working.
    header = [_("Step"), _("Question"), _("Party"), _("Name"), _("Speaks"), _("Answer"), _("Time (UTC)")]
    writer.writerow([*header, _("Category")])
    for number, result in enumerate(results, start=1):
        for column in result.columns:
            for answer in column.answers:
                writer.writerow(
                    [
                        number,
                        safe_cell(result.step.prompt),
                        safe_cell(column.party.name),
                        safe_cell(answer.author if workshop.show_names else ""),
                        speaks_for_text(answer.speaks_for),
                        safe_cell(_answer_text(result, answer)),
                        answer.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                        safe_cell(_category(result, answer)),
                    ]
                )
    return buffer.getvalue()
