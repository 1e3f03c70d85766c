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


def name_in(names: dict[str, str], fallback: str, lang: str) -> str:
    """An entity's canonical name in the interface language, if it has one there."""
    return names.get(lang) or fallback
