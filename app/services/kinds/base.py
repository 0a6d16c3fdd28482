"""The shape every step kind has."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from app.models import Party
from app.services import text as user_text
from app.services.errors import N_, Invalid


class FormLike(Protocol):
    """A submitted form: starlette's FormData, or a dict of lists in tests."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


@dataclass(frozen=True, slots=True)
class ResponseView:
    """One participant's response to a structured step."""

    participant_id: int
    party_id: int
    value: dict


class Kind:
    name: str = ""
    label: str = ""  # msgid
    structured: bool = True  # one response per participant (stored in Answer.value); False: free notes
    takes_notes: bool = True  # an unstructured kind that takes no notes keeps records of its own (agreements)
    config_model: type[BaseModel] | None = None

    def parse_config(self, raw: Mapping[str, Any]) -> dict:
        """Validate a step's settings; returns the normalised config to store."""
        if self.config_model is None:
            return {}
        try:
            return self.config_model.model_validate(dict(raw)).model_dump()
        except ValidationError as error:
            raise Invalid(
                N_("The settings of this step are not valid: %(problem)s"), problem=_first_problem(error)
            ) from None

    def config_from_form(self, form: FormLike) -> dict:
        """The facilitator's form fields -> a validated config."""
        return self.parse_config({})

    def parse_response(self, config: dict, form: FormLike) -> dict:
        raise NotImplementedError

    def response_form(self, config: dict, value: dict) -> FormLike:
        """The form that gives this stored response (the inverse of parse_response), for check_response. Raises
        Invalid when the value does not even have the response's shape."""
        raise NotImplementedError

    def check_response(self, config: dict, value: Any) -> dict:
        """A response that did not come from a form (a backup): it must be exactly what parse_response makes of
        the form that gives it, so every rule of the kind holds for it and nothing else is in it."""
        if not isinstance(value, dict):
            raise Invalid(N_("A response must be an object."))
        parsed = self.parse_response(config, self.response_form(config, value))
        if not _same(parsed, value):
            raise Invalid(N_("This response does not have the form this kind of step stores."))
        return parsed

    def draft_response(self, config: dict, form: FormLike) -> dict | None:
        """What the participant filled in, in the shape of a response but unchecked, so that a refused form comes
        back as it was sent instead of as the last saved response. None: the kind's form has nothing to keep."""
        return None

    def aggregate(self, config: dict, parties: list[Party], responses: list[ResponseView]) -> Any:
        raise NotImplementedError

    def describe_response(self, config: dict, value: dict, *, party_names: Mapping[int, str] | None = None) -> str:
        """One response in words, for exports (a CSV cell). `party_names` (party id -> name) names parties that a
        response refers to (roles)."""
        raise NotImplementedError

    def summary_table(self, result: Any) -> tuple[list[str], list[list[str]]]:
        """The aggregate as a plain table (header, rows) for exports: one row per item, a column per party."""
        raise NotImplementedError


class ValueForm(dict):
    """A form made from a stored response: a value or a list of values per field (check_response)."""

    def get(self, key: str, default: Any = None) -> Any:
        value = super().get(key, default)
        return value[0] if isinstance(value, list) else value

    def getlist(self, key: str) -> list[Any]:
        value = super().get(key, [])
        return value if isinstance(value, list) else [value]


def whole_numbers(value: Any, *, optional: bool = False, pairs: bool = False) -> list:
    """A response's list of whole numbers (or None where `optional`, or [x, y] pairs), else Invalid."""

    def number(item: Any) -> bool:
        return type(item) is int

    def fits(item: Any) -> bool:
        if item is None:
            return optional
        if pairs:
            return type(item) is list and len(item) == 2 and all(number(n) for n in item)
        return number(item)

    if type(value) is not list or not all(fits(item) for item in value):
        raise Invalid(N_("A response holds something other than whole numbers where they belong."))
    return value


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (True is not 1 here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def party_names(parties: list[tuple[Party, Any]]) -> list[str]:
    return [party.name for party, _ in parties]


def format_mean(value: float | None) -> str:
    return "\u2013" if value is None else f"{value:.1f}"


def _first_problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    return f"{where}: {first.get('msg', '')}" if where else str(first.get("msg", ""))


def clean_items(items: list[str], *, max_length: int, what: str, plural: str, unique: bool = True) -> list[str]:
    """The items of a kind's settings (options, statements, tasks, ...): spaces tidied, each 1..max_length
    characters and, when `unique`, different from each other (ignoring case)."""
    cleaned = [user_text.line(str(item)) for item in items]
    if any(not item or len(item) > max_length for item in cleaned):
        raise ValueError(f"every {what} needs 1 to {max_length} characters")
    if unique and len({item.casefold() for item in cleaned}) != len(cleaned):
        raise ValueError(f"{plural} must differ")
    return cleaned


def lines(text: str | None) -> list[str]:
    """One item per non-empty line, trimmed (how facilitators type options and statements)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def int_or_none(raw: Any) -> int | None:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return None
