"""Scale: statements rated on a labelled scale; distribution and mean per party, large gaps highlighted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

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
    format_mean,
    int_or_none,
    lines,
    party_names,
    whole_numbers,
)

STATEMENT_MAX = 300
MAX_STATEMENTS = 12


@dataclass(frozen=True, slots=True)
class Scale:
    low: int
    high: int
    labels: dict[int, str]  # msgids for the points that carry a label
    gap: float  # a difference in means between parties at least this large is highlighted


SCALES: dict[str, Scale] = {
    "agree5": Scale(
        1,
        5,
        {
            1: N_("strongly disagree"),
            2: N_("disagree"),
            3: N_("neutral"),
            4: N_("agree"),
            5: N_("strongly agree"),
        },
        gap=1.5,
    ),
    "zero10": Scale(0, 10, {0: N_("not at all"), 10: N_("completely")}, gap=3.0),
}


class ScaleConfig(BaseModel):
    statements: list[str] = Field(min_length=1, max_length=MAX_STATEMENTS)
    scale: Literal["agree5", "zero10"] = "agree5"

    @field_validator("statements")
    @classmethod
    def _clean(cls, statements: list[str]) -> list[str]:
        return clean_items(statements, max_length=STATEMENT_MAX, what="statement", plural="statements", unique=False)


@dataclass(frozen=True, slots=True)
class Ratings:
    """The ratings one group (a party, or everyone) gave one statement."""

    name: str
    distribution: dict[int, int]  # scale point -> how many gave it

    @property
    def count(self) -> int:
        return sum(self.distribution.values())

    @property
    def mean(self) -> float | None:
        if not self.count:
            return None
        return sum(point * n for point, n in self.distribution.items()) / self.count


@dataclass(frozen=True, slots=True)
class StatementResult:
    statement: str
    parties: list[tuple[Party, Ratings]]
    overall: Ratings
    gap: float | None  # largest difference between the parties' means (parties with ratings only)
    highlighted: bool


@dataclass(frozen=True, slots=True)
class ScaleResult:
    scale: Scale
    statements: list[StatementResult]


class ScaleKind(Kind):
    name = "scale"
    label = N_("Scale")
    config_model = ScaleConfig

    def config_from_form(self, form: FormLike) -> dict:
        return self.parse_config({"statements": lines(form.get("statements")), "scale": form.get("scale") or "agree5"})

    def parse_response(self, config: dict, form: FormLike) -> dict:
        scale = SCALES[config["scale"]]
        ratings: list[int | None] = []
        for index in range(len(config["statements"])):
            raw = form.get(f"rating-{index}")
            if raw in (None, ""):
                ratings.append(None)
                continue
            point = int_or_none(raw)
            if point is None or not scale.low <= point <= scale.high:
                raise Invalid(N_("A rating must lie between %(low)d and %(high)d."), low=scale.low, high=scale.high)
            ratings.append(point)
        if all(r is None for r in ratings):
            raise Invalid(N_("Rate at least one statement."))
        return {"ratings": ratings}

    def response_form(self, config: dict, value: dict) -> FormLike:
        ratings = whole_numbers(value.get("ratings"), optional=True)
        return ValueForm({f"rating-{i}": "" if r is None else str(r) for i, r in enumerate(ratings)})

    def describe_response(self, config: dict, value: dict, *, party_names: Mapping[int, str] | None = None) -> str:
        ratings = value.get("ratings", [])
        return "; ".join(
            f"{statement}: {ratings[i]}"
            for i, statement in enumerate(config["statements"])
            if i < len(ratings) and ratings[i] is not None
        )

    def summary_table(self, result: ScaleResult) -> tuple[list[str], list[list[str]]]:
        parties = party_names(result.statements[0].parties) if result.statements else []
        header = [_("Statement"), *parties, _("Everyone")]
        rows = []
        for s in result.statements:
            mark = " (" + _("large difference") + ")" if s.highlighted else ""
            rows.append(
                [s.statement + mark, *(format_mean(r.mean) for _p, r in s.parties), format_mean(s.overall.mean)]
            )
        return header, rows

    def aggregate(self, config: dict, parties: list[Party], responses: list[ResponseView]) -> ScaleResult:
        scale = SCALES[config["scale"]]

        def ratings(name: str, group: list[ResponseView], index: int) -> Ratings:
            distribution = dict.fromkeys(range(scale.low, scale.high + 1), 0)
            for response in group:
                values = response.value.get("ratings", [])
                point = values[index] if index < len(values) else None
                if point is not None and scale.low <= point <= scale.high:
                    distribution[point] += 1
            return Ratings(name=name, distribution=distribution)

        results = []
        for index, statement in enumerate(config["statements"]):
            per_party = [(p, ratings(p.name, [r for r in responses if r.party_id == p.id], index)) for p in parties]
            means = [r.mean for _, r in per_party if r.mean is not None]
            gap = max(means) - min(means) if len(means) >= 2 else None
            results.append(
                StatementResult(
                    statement=statement,
                    parties=per_party,
                    overall=ratings("", responses, index),
                    gap=gap,
                    highlighted=gap is not None and gap >= scale.gap,
                )
            )
        return ScaleResult(scale=scale, statements=results)


SCALE = ScaleKind()
