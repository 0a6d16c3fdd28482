"""2×2 matrix: items rated on two axes (impact × waarschijnlijkheid, invloed × belang); mean position per party.

A response holds one ``[x, y]`` pair per item (or ``None`` for a skipped item). The aggregate gives, per item, the
mean position per party and overall, the quadrant of each mean, and marks items whose party positions lie far apart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from app.i18n import gettext as _
from app.models import Party
from app.services import text
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

ITEM_MAX = 200
MAX_ITEMS = 15
AXIS_LABEL_MAX = 60
LOW = 1
GAP = 1.5  # parties whose mean positions lie at least this far apart (in scale points) are highlighted

LEVELS = ("low", "middle", "high")
LEVEL_WORDS = {  # msgids: "%(axis)s" is the axis label as the facilitator wrote it (any word class reads right)
    "low": N_("%(axis)s low"),
    "middle": N_("%(axis)s middle"),
    "high": N_("%(axis)s high"),
}


class MatrixConfig(BaseModel):
    items: list[str] = Field(min_length=1, max_length=MAX_ITEMS)
    x_label: str = "Impact"
    y_label: str = "Waarschijnlijkheid"
    points: Literal[5] = 5  # a 1..points scale on both axes; fixed for now

    @field_validator("items")
    @classmethod
    def _clean_items(cls, items: list[str]) -> list[str]:
        return clean_items(items, max_length=ITEM_MAX, what="item", plural="items")

    @field_validator("x_label", "y_label")
    @classmethod
    def _clean_label(cls, label: str) -> str:
        cleaned = text.line(str(label))
        if not cleaned or len(cleaned) > AXIS_LABEL_MAX:
            raise ValueError(f"an axis name needs 1 to {AXIS_LABEL_MAX} characters")
        return cleaned


def level(mean: float, low: int, high: int) -> str:
    """Where a mean lies on one axis: below the midline, on it, or above it."""
    middle = (low + high) / 2
    if math.isclose(mean, middle, abs_tol=1e-9):
        return "middle"
    return "high" if mean > middle else "low"


def axis_word(label: str) -> str:
    """An axis label inside a sentence: "Impact" -> "impact", but "CO2-reductie" stays as it is."""
    if len(label) >= 2 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def quadrant_name(quadrant: str, x_label: str, y_label: str) -> str:
    """ "high/low" -> "Impact hoog, Haalbaar laag" (in the current language). The axis label comes first, as
    written, so it reads right whether it is a noun ("Belang") or an adjective ("Haalbaar")."""
    x_level, y_level = quadrant.split("/")
    x_words = _(LEVEL_WORDS[x_level]) % {"axis": x_label}
    y_words = _(LEVEL_WORDS[y_level]) % {"axis": y_label}
    return f"{x_words}, {y_words}"


@dataclass(frozen=True, slots=True)
class Position:
    """The mean position one group (a party, or everyone) gave one item."""

    name: str
    count: int
    mean_x: float | None
    mean_y: float | None
    quadrant: str | None  # "high/low": the x level, then the y level; None without ratings


@dataclass(frozen=True, slots=True)
class ItemResult:
    number: int  # 1-based, as on the plot
    item: str
    parties: list[tuple[Party, Position]]
    overall: Position
    distance: float | None  # largest distance between two parties' mean positions (parties with ratings only)
    highlighted: bool


@dataclass(frozen=True, slots=True)
class MatrixResult:
    x_label: str
    y_label: str
    low: int
    high: int
    items: list[ItemResult]

    def quadrant_name(self, position: Position) -> str:
        return quadrant_name(position.quadrant, self.x_label, self.y_label) if position.quadrant else "\u2013"


def format_position(position: Position) -> str:
    if position.mean_x is None or position.mean_y is None:
        return "\u2013"
    return f"{position.mean_x:.1f}/{position.mean_y:.1f}"


class MatrixKind(Kind):
    name = "matrix"
    label = N_("2×2 matrix")
    config_model = MatrixConfig

    def config_from_form(self, form: FormLike) -> dict:
        # The console's field is "matrix_items" (one form holds every kind's settings); "items" is the plain name.
        items = lines(form.get("matrix_items")) or lines(form.get("items"))
        raw: dict = {"items": items}
        for key in ("x_label", "y_label"):
            value = (form.get(key) or "").strip()
            if value:
                raw[key] = value
        return self.parse_config(raw)

    def parse_response(self, config: dict, form: FormLike) -> dict:
        high = config.get("points", 5)
        ratings: list[list[int] | None] = []
        for index, item in enumerate(config["items"]):
            if form.get(f"clear-{index}"):
                ratings.append(None)
                continue
            raw = [form.get(f"x-{index}"), form.get(f"y-{index}")]
            given = [value not in (None, "") for value in raw]
            if not any(given):
                ratings.append(None)
                continue
            if not all(given):
                raise Invalid(
                    N_("Give \u201c%(item)s\u201d a score for both %(x)s and %(y)s, or for neither."),
                    item=item,
                    x=axis_word(config["x_label"]),
                    y=axis_word(config["y_label"]),
                )
            x, y = (int_or_none(value) for value in raw)
            if x is None or y is None or not (LOW <= x <= high and LOW <= y <= high):
                raise Invalid(N_("A rating must lie between %(low)d and %(high)d."), low=LOW, high=high)
            ratings.append([x, y])
        if all(rating is None for rating in ratings):
            raise Invalid(N_("Rate at least one item."))
        return {"ratings": ratings}

    def response_form(self, config: dict, value: dict) -> FormLike:
        fields: dict[str, str] = {}
        for i, rating in enumerate(whole_numbers(value.get("ratings"), optional=True, pairs=True)):
            if rating is not None:
                fields[f"x-{i}"], fields[f"y-{i}"] = str(rating[0]), str(rating[1])
        return ValueForm(fields)

    def draft_response(self, config: dict, form: FormLike) -> dict | None:
        ratings = []
        for index in range(len(config["items"])):
            pair = [int_or_none(form.get(f"{axis}-{index}")) for axis in ("x", "y")]
            ratings.append(None if form.get(f"clear-{index}") or pair == [None, None] else pair)
        return {"ratings": ratings}

    def describe_response(self, config: dict, value: dict, *, party_names: Mapping[int, str] | None = None) -> str:
        ratings = value.get("ratings", [])
        parts = []
        for index, item in enumerate(config["items"]):
            rating = ratings[index] if index < len(ratings) else None
            if rating:
                parts.append(f"{item}: {config['x_label']} {rating[0]}, {config['y_label']} {rating[1]}")
        return "; ".join(parts)

    def summary_table(self, result: MatrixResult) -> tuple[list[str], list[list[str]]]:
        parties = party_names(result.items[0].parties) if result.items else []
        axes = f"x = {result.x_label}, y = {result.y_label}"
        header = [
            _("Item") + f" ({axes})",
            *(f"{name} x/y" for name in parties),
            _("Everyone") + " x/y",
            _("Quadrant"),
        ]
        rows = []
        for item in result.items:
            mark = " (" + _("large difference") + ")" if item.highlighted else ""
            rows.append(
                [
                    f"{item.number}. {item.item}{mark}",
                    *(format_position(position) for _party, position in item.parties),
                    format_position(item.overall),
                    result.quadrant_name(item.overall),
                ]
            )
        return header, rows

    def aggregate(self, config: dict, parties: list[Party], responses: list[ResponseView]) -> MatrixResult:
        high = config.get("points", 5)

        def position(name: str, group: list[ResponseView], index: int) -> Position:
            pairs = []
            for response in group:
                values = response.value.get("ratings", [])
                pair = values[index] if index < len(values) else None
                if pair and len(pair) == 2 and all(LOW <= v <= high for v in pair):
                    pairs.append(pair)
            if not pairs:
                return Position(name=name, count=0, mean_x=None, mean_y=None, quadrant=None)
            mean_x = sum(p[0] for p in pairs) / len(pairs)
            mean_y = sum(p[1] for p in pairs) / len(pairs)
            quadrant = f"{level(mean_x, LOW, high)}/{level(mean_y, LOW, high)}"
            return Position(name=name, count=len(pairs), mean_x=mean_x, mean_y=mean_y, quadrant=quadrant)

        results = []
        for index, item in enumerate(config["items"]):
            per_party = [(p, position(p.name, [r for r in responses if r.party_id == p.id], index)) for p in parties]
            points = [(pos.mean_x, pos.mean_y) for _p, pos in per_party if pos.count]
            distance = max((math.dist(a, b) for a, b in combinations(points, 2)), default=None)
            results.append(
                ItemResult(
                    number=index + 1,
                    item=item,
                    parties=per_party,
                    overall=position("", responses, index),
                    distance=distance,
                    highlighted=distance is not None and distance >= GAP,
                )
            )
        return MatrixResult(x_label=config["x_label"], y_label=config["y_label"], low=LOW, high=high, items=results)


MATRIX = MatrixKind()
