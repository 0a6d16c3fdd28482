"""Dots (prioriteren met stippen): every participant spreads a budget of dots over items; totals and a ranking per
party and overall.

The items are typed by the facilitator, or carried forward from an open question's notes
(see app/services/carry_forward.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel, Field, field_validator, model_validator

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

ITEM_MAX = 200
MIN_ITEMS = 2
MAX_ITEMS = 30
BUDGET_MAX = 20
DEFAULT_BUDGET = 5
TOP = 3  # the ranking list per party on the board


class DotsConfig(BaseModel):
    items: list[str] = Field(min_length=MIN_ITEMS, max_length=MAX_ITEMS)
    budget: int = Field(default=DEFAULT_BUDGET, ge=1, le=BUDGET_MAX)
    max_per_item: int | None = None  # None: the whole budget may go to one item

    @field_validator("items")
    @classmethod
    def _clean(cls, items: list[str]) -> list[str]:
        return clean_items(items, max_length=ITEM_MAX, what="item", plural="items")

    @model_validator(mode="after")
    def _max_within_budget(self) -> DotsConfig:
        if self.max_per_item is None:
            self.max_per_item = self.budget
        if not 1 <= self.max_per_item <= self.budget:
            raise ValueError("max_per_item must lie between 1 and the budget")
        return self


@dataclass(frozen=True, slots=True)
class DotsTally:
    """The dots one group (a party, or everyone) put on each item."""

    name: str
    respondents: int
    dots: list[int]

    @property
    def total(self) -> int:
        return sum(self.dots)

    @property
    def ranking(self) -> list[int]:
        """Item indexes, most dots first; equal totals keep the items' order."""
        return sorted(range(len(self.dots)), key=lambda i: (-self.dots[i], i))

    def top(self, n: int = TOP) -> list[int]:
        """The first `n` items of the ranking that got any dots."""
        return [i for i in self.ranking if self.dots[i] > 0][:n]


@dataclass(frozen=True, slots=True)
class DotsResult:
    items: list[str]
    budget: int
    max_per_item: int
    parties: list[tuple[Party, DotsTally]]
    overall: DotsTally

    @property
    def order(self) -> list[int]:
        """The overall ranking: how the board, the table and the exports list the items."""
        return self.overall.ranking


def _whole_number(raw: object, message: str, **params: object) -> int | None:
    """A form field as an int; empty means None; anything else that is not a whole number is refused."""
    if raw is None or str(raw).strip() == "":
        return None
    value = int_or_none(raw)
    if value is None:
        raise Invalid(message, **params)
    return value


class DotsKind(Kind):
    name = "dots"
    label = N_("Dots (prioritise)")
    config_model = DotsConfig

    def config_from_form(self, form: FormLike) -> dict:
        items = lines(form.get("items"))
        if len(items) < MIN_ITEMS:
            raise Invalid(N_("Give at least %(min)d items, one per line."), min=MIN_ITEMS)
        if len(items) > MAX_ITEMS:
            raise Invalid(N_("A dots step can have at most %(max)d items."), max=MAX_ITEMS)
        if any(len(item) > ITEM_MAX for item in items):
            raise Invalid(N_("An item can have at most %(max)d characters."), max=ITEM_MAX)
        if len({item.casefold() for item in items}) != len(items):
            raise Invalid(N_("Every item may appear only once."))
        budget_message = N_("The number of dots must be a whole number from 1 to %(max)d.")
        budget = _whole_number(form.get("budget"), budget_message, max=BUDGET_MAX)
        budget = DEFAULT_BUDGET if budget is None else budget
        if not 1 <= budget <= BUDGET_MAX:
            raise Invalid(budget_message, max=BUDGET_MAX)
        most_message = N_("The most dots per item must be a whole number from 1 to %(budget)d.")
        most = _whole_number(form.get("max_per_item"), most_message, budget=budget)
        if most is not None and not 1 <= most <= budget:
            raise Invalid(most_message, budget=budget)
        return self.parse_config({"items": items, "budget": budget, "max_per_item": most})

    def parse_response(self, config: dict, form: FormLike) -> dict:
        budget, most = config["budget"], config["max_per_item"]
        dots: list[int] = []
        for index in range(len(config["items"])):
            n = _whole_number(form.get(f"dots-{index}"), N_("Enter the number of dots as a whole number."))
            n = 0 if n is None else n
            if n < 0:
                raise Invalid(N_("The number of dots cannot be negative."))
            if n > most:
                raise Invalid(N_("You put too many dots on one item: the most is %(max)d."), max=most)
            dots.append(n)
        total = sum(dots)
        if total > budget == 1:
            raise Invalid(N_("You only have one dot; you spent %(total)d."), total=total)
        if total > budget:
            raise Invalid(N_("You only have %(budget)d dots; you spent %(total)d."), budget=budget, total=total)
        if total == 0:
            raise Invalid(N_("Put at least one dot on an item."))
        return {"dots": dots}

    def response_form(self, config: dict, value: dict) -> FormLike:
        return ValueForm({f"dots-{i}": str(n) for i, n in enumerate(whole_numbers(value.get("dots")))})

    def draft_response(self, config: dict, form: FormLike) -> dict | None:
        return {"dots": [str(form.get(f"dots-{index}") or "")[:10] for index in range(len(config["items"]))]}

    def describe_response(self, config: dict, value: dict, *, party_names: Mapping[int, str] | None = None) -> str:
        dots = _valid_dots(value, len(config["items"]))
        return "; ".join(f"{item}: {dots[i]}" for i, item in enumerate(config["items"]) if dots[i])

    def summary_table(self, result: DotsResult) -> tuple[list[str], list[list[str]]]:
        header = [_("Item"), *party_names(result.parties), _("Everyone")]
        rows = [
            [result.items[i], *(str(t.dots[i]) for _p, t in result.parties), str(result.overall.dots[i])]
            for i in result.order
        ]
        return header, rows

    def aggregate(self, config: dict, parties: list[Party], responses: list[ResponseView]) -> DotsResult:
        items = config["items"]

        def tally(name: str, group: list[ResponseView]) -> DotsTally:
            dots = [0] * len(items)
            for response in group:
                for i, n in enumerate(_valid_dots(response.value, len(items))):
                    dots[i] += n
            return DotsTally(name=name, respondents=len(group), dots=dots)

        return DotsResult(
            items=list(items),
            budget=config["budget"],
            max_per_item=config["max_per_item"],
            parties=[(p, tally(p.name, [r for r in responses if r.party_id == p.id])) for p in parties],
            overall=tally("", responses),
        )


def _valid_dots(value: dict | None, count: int) -> list[int]:
    """A stored response's dots, one per item; anything that is not a non-negative whole number counts as 0."""
    raw = (value or {}).get("dots") or []
    dots = [n if isinstance(n, int) and not isinstance(n, bool) and n > 0 else 0 for n in raw[:count]]
    return dots + [0] * (count - len(dots))


DOTS = DotsKind()
