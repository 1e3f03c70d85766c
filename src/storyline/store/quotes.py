"""Quotes across the store: who said what, where, and in which story.

A mixin of :class:`storyline.store.Store`. Quotes are written with their article
(``_insert_annotations``); this module only reads them, joined with what a reader
needs beside the words: the speaker's canonical entity, the article's outlet,
language and date, and its story.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from storyline.store.models import (
    article_table,
    entity_table,
    quote_mention_table,
    story_article_table,
)
from storyline.store.rows import paged

_A = article_table.c
_E = entity_table.c
_Q = quote_mention_table.c
_SA = story_article_table.c


def quote_id(article_id: str, seq: int) -> str:
    """Stable while the article is: ``q_`` + a hash of the article id and the quote's order."""
    return "q_" + hashlib.sha1(f"{article_id}#{seq}".encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    id: str
    article_id: str
    story_id: str | None
    text: str
    kind: str
    cue: str
    start: int
    end: int
    speaker_text: str | None
    speaker_entity_id: str | None
    speaker_name: str | None
    """The speaker's canonical (English/Latin) name, when the speaker is linked."""
    said_on: date | None
    """The article's publication day: when the words were reported as said."""
    lang: str | None
    outlet: str | None
    title: str | None


def _select() -> Any:
    return (
        sa.select(
            _Q.article_id,
            _Q.seq,
            _SA.story_id,
            _Q.text,
            _Q.kind,
            _Q.cue,
            _Q.start,
            _Q.end,
            _Q.speaker_text,
            _Q.speaker_entity_id,
            _E.name.label("speaker_name"),
            _A.published,
            _A.lang,
            _A.outlet,
            _A.title,
        )
        .select_from(quote_mention_table)
        .join(article_table, _A.id == _Q.article_id)
        .outerjoin(story_article_table, _SA.article_id == _Q.article_id)
        .outerjoin(entity_table, _E.id == _Q.speaker_entity_id)
    )


def _filters(stmt: Any, speaker: str | None, story_id: str | None, article_id: str | None) -> Any:
    if speaker is not None:
        stmt = stmt.where(_Q.speaker_entity_id == speaker)
    if story_id is not None:
        stmt = stmt.where(_SA.story_id == story_id)
    if article_id is not None:
        stmt = stmt.where(_Q.article_id == article_id)
    return stmt


def _to_record(row: Any) -> QuoteRecord:
    return QuoteRecord(
        id=quote_id(row.article_id, row.seq),
        article_id=row.article_id,
        story_id=row.story_id,
        text=row.text,
        kind=row.kind,
        cue=row.cue,
        start=row.start,
        end=row.end,
        speaker_text=row.speaker_text,
        speaker_entity_id=row.speaker_entity_id,
        speaker_name=row.speaker_name,
        said_on=row.published.date() if row.published is not None else None,
        lang=row.lang,
        outlet=row.outlet,
        title=row.title,
    )


class QuoteMethods:
    """Quote queries; mixed into :class:`storyline.store.Store`."""

    _connect: Any
    _errors: Any

    def quotes(
        self,
        *,
        speaker: str | None = None,
        story_id: str | None = None,
        article_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[QuoteRecord]:
        """Quotes matching every filter (``speaker``: an entity id), newest article first,
        then in text order."""
        stmt = _filters(_select(), speaker, story_id, article_id)
        stmt = stmt.order_by(_A.published.desc().nulls_last(), _Q.article_id, _Q.seq)
        with self._errors("read"), self._connect() as conn:
            return [_to_record(row) for row in conn.execute(paged(stmt, limit, offset))]

    def count_quotes(
        self,
        *,
        speaker: str | None = None,
        story_id: str | None = None,
        article_id: str | None = None,
    ) -> int:
        stmt = sa.select(sa.func.count()).select_from(
            quote_mention_table.outerjoin(story_article_table, _SA.article_id == _Q.article_id)
        )
        stmt = _filters(stmt, speaker, story_id, article_id)
        with self._errors("read"), self._connect() as conn:
            return int(conn.execute(stmt).scalar_one())

    def iter_quotes(self) -> Iterator[QuoteRecord]:
        """Every quote, streamed in a stable order (for export)."""
        stmt = _select().order_by(_Q.article_id, _Q.seq)
        with self._errors("read"), self._connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=1000).execute(stmt)
            yield from map(_to_record, result)
