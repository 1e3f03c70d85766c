"""The interface language: which table of chrome strings and canonical names a page uses.

Chosen by ``?lang=`` (remembered in a cookie), else the cookie, else English. Only
the chrome and canonical entity names / story titles follow it; article text is
always shown in the language it was written in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from starlette.requests import Request

from storyline import resources

UI_LANGS = ("en", "uk", "ru")
DEFAULT = "en"
COOKIE = "ui_lang"


@cache
def _messages() -> dict[str, dict[str, str]]:
    return resources.load("web")


def ui_lang(request: Request) -> str:
    """The interface language asked for by this request."""
    for value in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if value in UI_LANGS:
            return value
    return DEFAULT


def translator(lang: str) -> Callable[[str], str]:
    """``t(key)`` for one language, falling back to English and then to the key itself."""
    table = _messages().get(lang, {})
    english = _messages()[DEFAULT]

    def t(key: str) -> str:
        return table.get(key) or english.get(key) or key

    return t


def _one_other(n: int) -> int:
    return 0 if n == 1 else 1


def _one_few_many(n: int) -> int:
    if n % 10 == 1 and n % 100 != 11:
        return 0
    return 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2


PLURAL_FORM: dict[str, Callable[[int], int]] = {
    "en": _one_other,
    "uk": _one_few_many,
    "ru": _one_few_many,
}
"""Which of a counted word's forms (see ``resources/web.json``, ``n_`` keys) a number
takes: CLDR's plural rules for cardinals (1 стаття, 2 статті, 5 статей, 21 стаття)."""


def counter(lang: str) -> Callable[[int, str], str]:
    """``n(count, key)``: the count and its word in the right form («21 стаття»), from the
    ``|``-separated forms under ``key`` (see :data:`PLURAL_FORM`)."""
    t = translator(lang)
    rule = PLURAL_FORM.get(lang, _one_other)

    def n(count: int, key: str) -> str:
        forms = t(key).split("|")
        return f"{count} {forms[min(rule(count), len(forms) - 1)]}"

    return n


def name_in(names: dict[str, str], fallback: str, lang: str) -> str:
    """An entity's canonical name in the interface language, if it has one there."""
    return names.get(lang) or fallback
