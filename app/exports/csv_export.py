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


def _agreement_rows(writer, number: int, result: StepResult, party_names: dict[int, str]) -> None:  # type: ignore[no-untyped-def]
    """Agreements: one row per consent given (the agreement, the level and an objection's reason)."""
    from app.services.agreements import LEVEL_LABELS

    for item in result.result or []:
        for record in item.records:
            answer = f"{item.agreement.text}: {_(LEVEL_LABELS.get(record.level, record.level))}"
            if record.reason:
                answer += f" ({record.reason})"
            writer.writerow(
                [
                    number,
                    safe_cell(result.step.prompt),
                    safe_cell(party_names.get(record.party_id, "")),
                    "",
                    "",
                    safe_cell(answer),
                    record.updated_at.strftime("%Y-%m-%d %H:%M:%S"),
                    "",
                ]
            )


def render_csv(workshop: Workshop, parties: list[Party], results: list[StepResult]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # Category comes last, so spreadsheets built on the earlier columns keep working.
    header = [_("Step"), _("Question"), _("Party"), _("Name"), _("Speaks"), _("Answer"), _("Time (UTC)")]
    writer.writerow([*header, _("Category")])
    for number, result in enumerate(results, start=1):
        if result.step.kind == "agreements":
            _agreement_rows(writer, number, result, {p.id: p.name for p in parties})
            continue
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
