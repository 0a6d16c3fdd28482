"""Open question: free notes; a participant may add several.

Optionally the notes fall into named categories (e.g. "Kansen / Risico's / Onzekerheden"), and the board can show
them as a word cloud per party instead of as notes.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from app.services.errors import N_, Invalid
from app.services.kinds.base import FormLike, Kind, clean_items, int_or_none, lines

CATEGORY_MAX = 60
MAX_CATEGORIES = 6
CLOUD_WORDS = 40  # per party
CLOUD_SIZES = 5  # size classes cloud-1 .. cloud-5
MIN_WORD = 3

# Common Dutch words that say nothing about the content (lower case). Words under MIN_WORD letters go anyway.
STOP_WORDS = frozenset(
    """
    aan al alle als ben bij dan dat de deze die dit doe doen door dus een eens en er ga gaan had heb hebben heeft
    hem het hier hij hoe hun iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet
    niets nog nu of om omdat ons onze ook op over te tegen toch tot u uit van veel voor want waren was wat we
    wel werd wie wij wil worden wordt zal ze zei zich zij zijn zo zoals zonder zou
    """.split()
)

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


class OpenConfig(BaseModel):
    categories: list[str] = Field(default_factory=list, max_length=MAX_CATEGORIES)
    display: Literal["notes", "wordcloud"] = "notes"

    @field_validator("categories")
    @classmethod
    def _clean(cls, categories: list[str]) -> list[str]:
        return clean_items(categories, max_length=CATEGORY_MAX, what="category", plural="categories")


@dataclass(frozen=True, slots=True)
class CloudWord:
    word: str
    count: int
    size: int  # 1 (rare) .. CLOUD_SIZES (the most frequent word of the party)


def words(text: str) -> list[str]:
    """The words of a text that count for a cloud: lower case, letters only, no stop words, at least 3 letters."""
    return [w for w in _WORD.findall(text.lower()) if len(w) >= MIN_WORD and w not in STOP_WORDS]


def word_counts(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(words(text))
    return counts


def word_cloud(texts: Iterable[str], limit: int = CLOUD_WORDS) -> list[CloudWord]:
    """The most frequent words (ties alphabetically), each with a size class relative to the most frequent one."""
    counts = word_counts(texts)
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    if not top:
        return []
    most = top[0][1]
    return [CloudWord(word, count, max(1, math.ceil(CLOUD_SIZES * count / most))) for word, count in top]


def parse_category(categories: list[str], raw: object) -> int | None:
    """The category of a new note: required (an index into the categories) when there are categories."""
    given = raw is not None and str(raw).strip() != ""
    if not categories:
        if given:
            raise Invalid(N_("This question has no categories."))
        return None
    if not given:
        raise Invalid(N_("Choose a category for your answer."))
    index = int_or_none(raw)
    if index is None or not 0 <= index < len(categories):
        raise Invalid(N_("That is not one of the categories."))
    return index


class OpenKind(Kind):
    name = "open"
    label = N_("Open question")
    structured = False
    config_model = OpenConfig

    def config_from_form(self, form: FormLike) -> dict:
        return self.parse_config(
            {"categories": lines(form.get("categories")), "display": form.get("display") or "notes"}
        )

    def parse_category(self, config: dict, raw: object) -> int | None:
        return parse_category(config.get("categories") or [], raw)


OPEN = OpenKind()
