"""Quotes grouped by who said them: the story page and the story dossier show the same
grouping, so it lives here rather than in either of them."""

from __future__ import annotations

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


Q = TypeVar("Q", bound=_Quote)


def by_speaker(quotes: Iterable[Q]) -> list[tuple[str, str | None, list[Q]]]:
    """(speaker name, entity id, quotes), the most quoted speaker first.

    A linked speaker is keyed by its canonical name, so «Песков» and «спикера Кремля»
    land under one Dmitry Peskov; an unlinked one by the words the page used.
    """
    groups: dict[tuple[str, str | None], list[Q]] = defaultdict(list)
    for q in quotes:
        groups[(q.speaker_name or q.speaker_text or "?", q.speaker_entity_id)].append(q)
    return [(n, e, qs) for (n, e), qs in sorted(groups.items(), key=lambda kv: -len(kv[1]))]
