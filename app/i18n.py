"""gettext via Babel. Dutch is the default; the locale of the current request or render is a context variable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LOCALES = ("nl", "en")
DEFAULT_LOCALE = "nl"
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}

_current: ContextVar[str] = ContextVar("locale", default=DEFAULT_LOCALE)


@cache
def translations(locale: str) -> NullTranslations:
    return Translations.load(LOCALE_DIR, [locale], domain="messages")


def current_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> None:
    _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    token = _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def pick_locale(cookie: str | None, accept_language: str | None) -> str:
    """The `lang` cookie wins; otherwise the first supported language in Accept-Language; otherwise Dutch."""
    if cookie in LOCALES:
        return cookie
    if accept_language:
        weighted = []
        for index, part in enumerate(accept_language.split(",")):
            tag, _, params = part.strip().partition(";")
            quality = 1.0
            if params.strip().startswith("q="):
                try:
                    quality = float(params.strip()[2:])
                except ValueError:
                    quality = 0.0
            weighted.append((-quality, index, tag.strip().lower().split("-")[0]))
        for _, _, lang in sorted(weighted):
            if lang in LOCALES:
                return lang
    return DEFAULT_LOCALE
