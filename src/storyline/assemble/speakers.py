"""Quotes grouped by who said them: the story page and the story dossier show the same
grouping, so it lives here rather than in either of them."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol, TypeVar


class _Quote(Protocol):
    @property
    def speaker_name(self) -> str | None: ...
    @property
    def speaker_text(self) -> str | None: ...
    @property
    def speaker_entity_id(self) -> str | None: ...
    @property
    def article_id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def kind(self) -> str: ...


Q = TypeVar("Q", bound=_Quote)


def by_speaker(quotes: Iterable[Q]) -> list[tuple[str, str | None, list[Q]]]:
    """(speaker name, entity id, quotes), the most quoted speaker first.

    A linked speaker is keyed by its canonical name, so «Песков» and «спикера Кремля»
    land under one Dmitry Peskov; an unlinked one by the words the page used.
    """
    groups: dict[tuple[str, str | None], list[Q]] = defaultdict(list)
    for q in quotes:
        groups[(q.speaker_name or q.speaker_text or "?", q.speaker_entity_id)].append(q)
    found = [(n, e, _once(qs)) for (n, e), qs in groups.items()]
    return sorted(found, key=lambda group: -len(group[2]))


def _once(quotes: list[Q]) -> list[Q]:
    """Each of a page's quotes once: a page that repeats its lead in the body, or quotes a
    word of a longer quote again («нежеланием»), says nothing new the second time. Direct
    and indirect speech stay apart: the speaker's own words are kept beside the clause
    that reports them."""
    kept: dict[tuple[str, str], list[str]] = defaultdict(list)
    """(page, kind) → the words of the quotes kept there, longest first."""
    chosen: set[int] = set()
    for q in sorted(quotes, key=lambda q: -len(q.text)):
        words, seen = _words(q.text), kept[(q.article_id, q.kind)]
        if not any(words in longer for longer in seen):
            seen.append(words)
            chosen.add(id(q))
    return [q for q in quotes if id(q) in chosen]


def _words(text: str) -> str:
    """The words of ``text``, space-padded so that one text holds another by whole words."""
    return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "
