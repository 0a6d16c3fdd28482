"""Poll: single or multiple choice; counts per party and overall."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel, Field, field_validator

from app.i18n import gettext as _
from app.models import Party
from app.services.errors import N_, Invalid
from app.services.kinds.base import (
    FormLike,
    Kind,
    ResponseView,
    ValueForm,
    clean_items,
    int_or_none,
    lines,
    party_names,
    whole_numbers,
)

OPTION_MAX = 200
MAX_OPTIONS = 12


class PollConfig(BaseModel):
    options: list[str] = Field(min_length=2, max_length=MAX_OPTIONS)
    multiple: bool = False

    @field_validator("options")
    @classmethod
    def _clean(cls, options: list[str]) -> list[str]:
        return clean_items(options, max_length=OPTION_MAX, what="option", plural="options")


@dataclass(frozen=True, slots=True)
class PollCounts:
    """How often each option was chosen by one group (a party, or everyone)."""

    name: str
    respondents: int
    counts: list[int]

    def share(self, index: int) -> float:
        return self.counts[index] / self.respondents if self.respondents else 0.0


@dataclass(frozen=True, slots=True)
class PollResult:
    options: list[str]
    multiple: bool
    parties: list[tuple[Party, PollCounts]]
    overall: PollCounts


class PollKind(Kind):
    name = "poll"
    label = N_("Poll")
    config_model = PollConfig

    def config_from_form(self, form: FormLike) -> dict:
        return self.parse_config({"options": lines(form.get("options")), "multiple": form.get("multiple") == "true"})

    def parse_response(self, config: dict, form: FormLike) -> dict:
        raw = form.getlist("choice")
        choices = sorted({c for c in (int_or_none(r) for r in raw) if c is not None})
        if not choices:
            raise Invalid(N_("Choose an option first."))
        if len(choices) != len(raw) or any(not 0 <= c < len(config["options"]) for c in choices):
            raise Invalid(N_("That is not one of the options."))
        if not config.get("multiple") and len(choices) > 1:
            raise Invalid(N_("Choose one option."))
        return {"choices": choices}

    def response_form(self, config: dict, value: dict) -> FormLike:
        return ValueForm(choice=[str(c) for c in whole_numbers(value.get("choices"))])

    def describe_response(self, config: dict, value: dict, *, party_names: Mapping[int, str] | None = None) -> str:
        options = config["options"]
        return "; ".join(options[c] for c in value.get("choices", []) if 0 <= c < len(options))

    def summary_table(self, result: PollResult) -> tuple[list[str], list[list[str]]]:
        header = [_("Option"), *party_names(result.parties), _("Everyone")]
        rows = [
            [option, *(str(c.counts[i]) for _p, c in result.parties), str(result.overall.counts[i])]
            for i, option in enumerate(result.options)
        ]
        return header, rows

    def aggregate(self, config: dict, parties: list[Party], responses: list[ResponseView]) -> PollResult:
        options = config["options"]

        def count(name: str, group: list[ResponseView]) -> PollCounts:
            counts = [0] * len(options)
            for response in group:
                for choice in response.value.get("choices", []):
                    if 0 <= choice < len(options):
                        counts[choice] += 1
            return PollCounts(name=name, respondents=len(group), counts=counts)

        per_party = [(p, count(p.name, [r for r in responses if r.party_id == p.id])) for p in parties]
        return PollResult(
            options=options,
            multiple=bool(config.get("multiple")),
            parties=per_party,
            overall=count("", responses),
        )


POLL = PollKind()
