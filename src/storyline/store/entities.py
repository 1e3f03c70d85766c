"""The entity half of the store: canonical entities, their counts and where they are named.

A mixin of :class:`storyline.store.Store`, like :mod:`storyline.store.stories`.
Entities evolve: the ingest upserts them with each window it writes, and an update
never loses what was known (``names`` gain languages, ``aliases`` and
``roles`` only grow, in first-seen order). :meth:`EntityMethods.load_entities` returns
them in the order they were first stored, to rebuild the linker.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from storyline.records import CanonicalEntity
from storyline.store.models import (
    article_table,
    entity_table,
    mention_table,
)
from storyline.store.rows import aware, chunked, paged

_A = article_table.c
_E = entity_table.c
_M = mention_table.c


_ENTITY_COLUMNS = [_E.id, _E.type, _E.name, _E.names, _E.aliases, _E.roles]
_LINKER_COLUMNS = [*_ENTITY_COLUMNS, _E.forms]
"""With the form counts: what rebuilding a linker (and merging into a row) needs."""


_CONTEXT = 200
"""Longest sentence context :meth:`Store.entity_detail` gives a mention (characters)."""


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """A canonical entity and how often the store mentions it."""

    id: str
    type: str
    name: str
    names: dict[str, str]
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    mentions: int
    articles: int
    """Distinct articles with at least one mention."""

    @property
    def entity(self) -> CanonicalEntity:
        return CanonicalEntity(self.id, self.type, self.name, self.names, self.aliases, self.roles)


@dataclass(frozen=True, slots=True)
class MentionRef:
    """One mention of an entity: ``article.text[start:end]`` and the sentence around it."""

    start: int
    end: int
    text: str
    context: str


@dataclass(frozen=True, slots=True)
class EntityArticle:
    """An article that mentions an entity, with those mentions in text order."""

    article_id: str
    title: str | None
    lang: str | None
    published: datetime | None
    mentions: tuple[MentionRef, ...]
    published_precision: str | None = None


@dataclass(frozen=True, slots=True)
class EntityDetail:
    summary: EntitySummary
    occurrences: tuple[EntityArticle, ...]
    """Newest article first (undated last), at most the ``limit`` asked for."""

    @property
    def entity(self) -> CanonicalEntity:
        return self.summary.entity


_SENTENCE_ENDS = ".!?…\n"


class EntityMethods:
    """Entity queries and upserts; mixed into :class:`storyline.store.Store`."""

    _connect: Any
    _errors: Any
    _engine: Engine

    def load_entities(self) -> list[CanonicalEntity]:
        """Every canonical entity, in the order they were first stored (to rebuild the linker)."""
        stmt = sa.select(*_LINKER_COLUMNS).order_by(_E.created_seq, _E.id)
        with self._errors("read"), self._connect() as conn:
            return [_to_entity(row) for row in conn.execute(stmt)]

    def entities_by_id(self, entity_ids: Iterable[str]) -> dict[str, CanonicalEntity]:
        """The stored ones of ``entity_ids``, keyed by id, in the order they were first stored
        (the order a linker is built in)."""
        rows: list[Any] = []
        with self._errors("read"), self._connect() as conn:
            for chunk in chunked(entity_ids):
                stmt = sa.select(*_ENTITY_COLUMNS, _E.created_seq).where(_E.id.in_(chunk))
                rows.extend(conn.execute(stmt))
        rows.sort(key=lambda row: (row.created_seq, row.id))
        return {row.id: _to_entity(row) for row in rows}

    def entity(self, entity_id: str) -> CanonicalEntity | None:
        with self._errors("read"), self._connect() as conn:
            row = conn.execute(sa.select(*_ENTITY_COLUMNS).where(_E.id == entity_id)).first()
        return _to_entity(row) if row is not None else None

    def entity_rows(
        self,
        *,
        type: str | None = None,
        lang: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[EntitySummary]:
        """Entities with their mention and article counts: most articles first, then most
        mentions, then by name.

        ``lang`` keeps the entities mentioned at least once in that language; the
        counts stay over every language.
        """
        stmt = paged(_entity_summaries(type, lang), limit, offset)
        with self._errors("read"), self._connect() as conn:
            return [_to_summary(row) for row in conn.execute(stmt)]

    def iter_entity_rows(
        self,
        *,
        type: str | None = None,
        lang: str | None = None,
    ) -> Iterator[EntitySummary]:
        """:meth:`entity_rows` without a limit, streamed: memory stays flat."""
        stmt = _entity_summaries(type, lang)
        with self._errors("read"), self._connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=1000).execute(stmt)
            for row in result:
                yield _to_summary(row)

    def count_entities(
        self,
        type: str | None = None,
        lang: str | None = None,
    ) -> int:
        stmt = _entity_filters(sa.select(sa.func.count()).select_from(entity_table), type, lang)
        with self._errors("read"), self._connect() as conn:
            return int(conn.execute(stmt).scalar_one())

    def entity_detail(self, entity_id: str, *, limit: int | None = None) -> EntityDetail | None:
        """The entity, its counts, and the articles mentioning it (newest first, undated
        last, at most ``limit``) with each mention's surface form and sentence."""
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be >= 0, got {limit}")
        summary_stmt = _entity_summaries(None, None).where(_E.id == entity_id)
        in_entity = sa.select(_M.article_id).where(_M.entity_id == entity_id).distinct()
        articles_stmt = (
            sa.select(
                _A.id,
                _A.title,
                _A.lang,
                _A.published,
                _A.published_utcoffset,
                _A.published_precision,
                _A.text,
            )
            .where(_A.id.in_(in_entity))
            .order_by(_A.published.desc().nulls_last(), _A.id)
        )
        if limit is not None:
            articles_stmt = articles_stmt.limit(limit)
        with self._errors("read"), self._connect() as conn:
            row = conn.execute(summary_stmt).first()
            if row is None:
                return None
            summary = _to_summary(row)
            arts = list(conn.execute(articles_stmt))
            spans: dict[str, list[tuple[int, int, str]]] = {a.id: [] for a in arts}
            ids = list(spans)
            for chunk in chunked(ids):
                stmt = (
                    sa.select(_M.article_id, _M.start, _M.end, _M.text)
                    .where(_M.entity_id == entity_id, _M.article_id.in_(chunk))
                    .order_by(_M.article_id, _M.seq)
                )
                for m in conn.execute(stmt):
                    spans[m.article_id].append((m.start, m.end, m.text))
        occurrences = tuple(
            EntityArticle(
                article_id=a.id,
                title=a.title,
                lang=a.lang,
                published=aware(a.published, a.published_utcoffset),
                published_precision=a.published_precision,
                mentions=tuple(
                    MentionRef(start, end, text, sentence_context(a.text, start, end))
                    for start, end, text in spans[a.id]
                ),
            )
            for a in arts
        )
        return EntityDetail(summary=summary, occurrences=occurrences)

    def _upsert_entities(
        self, conn: Connection, entities: Sequence[CanonicalEntity], now: datetime
    ) -> list[str]:
        """Create the new entities, merge the known ones (rows locked on PostgreSQL), each
        statement run once for the window; returns the ids of those whose names or aliases
        (what search indexes) are new or changed. Most entities a window touches change
        only their form counts, and re-indexing those was a third of the window's write."""
        renamed: list[str] = []
        given = {e.id: e for e in entities}
        found = self._locked_entities(conn, list(given))
        new = [e for eid, e in given.items() if eid not in found]
        if new:
            first = conn.execute(sa.select(sa.func.coalesce(sa.func.max(_E.created_seq), 0)))
            seq = int(first.scalar_one()) + 1
            rows = [
                {
                    "id": e.id,
                    **_entity_values(e),
                    "created_seq": seq + i,
                    "created_at": now,
                    "updated_at": now,
                }
                for i, e in enumerate(new)
            ]
            dialect = postgresql if self._engine.dialect.name == "postgresql" else sqlite
            stmt = dialect.insert(entity_table).on_conflict_do_nothing().returning(_E.id)
            inserted = set(conn.scalars(stmt, rows))
            # Another writer created some of them meanwhile (PostgreSQL): merge into theirs.
            renamed.extend(e.id for e in new if e.id in inserted)
            raced = [e.id for e in new if e.id not in inserted]
            found.update(self._locked_entities(conn, raced))
        updates = []
        for eid, old in found.items():
            merged = _merge_entity(old, given[eid])
            if merged != old:
                updates.append({"b_id": eid, **_entity_values(merged), "updated_at": now})
                if _searched(merged) != _searched(old):
                    renamed.append(eid)
        if updates:
            conn.execute(entity_table.update().where(_E.id == sa.bindparam("b_id")), updates)
        return renamed

    def _locked_entities(self, conn: Connection, ids: list[str]) -> dict[str, CanonicalEntity]:
        found: dict[str, CanonicalEntity] = {}
        for chunk in chunked(ids):
            stmt = sa.select(*_LINKER_COLUMNS).where(_E.id.in_(chunk))
            if self._engine.dialect.name == "postgresql":
                stmt = stmt.order_by(_E.id).with_for_update()
            found.update((row.id, _to_entity(row)) for row in conn.execute(stmt))
        return found


def _entity_values(entity: CanonicalEntity) -> dict[str, Any]:
    """The columns an entity row keeps of ``entity`` (created or merged into)."""
    return {
        "type": entity.type,
        "name": entity.name,
        "names": dict(entity.names),
        "aliases": list(dict.fromkeys(entity.aliases)),
        "roles": list(dict.fromkeys(entity.roles)),
        "forms": entity.forms or None,
    }


def _searched(entity: CanonicalEntity) -> tuple[object, ...]:
    """What :func:`storyline.store.search.index_entities` indexes of an entity."""
    return entity.name, entity.names, entity.aliases


def _merge_entity(old: CanonicalEntity, new: CanonicalEntity) -> CanonicalEntity:
    """``new`` over ``old`` without losing anything: names gain languages, aliases and
    roles only grow (first-seen order)."""
    return CanonicalEntity(
        id=old.id,
        type=new.type or old.type,
        name=new.name or old.name,
        names={**old.names, **{k: v for k, v in new.names.items() if v}},
        aliases=tuple(dict.fromkeys((*old.aliases, *new.aliases))),
        roles=tuple(dict.fromkeys((*old.roles, *new.roles))),
        forms=new.forms or old.forms,  # the linker's counts include what it loaded
    )


def _to_entity(row: Any) -> CanonicalEntity:
    return CanonicalEntity(
        id=row.id,
        type=row.type,
        name=row.name,
        names=dict(row.names or {}),
        aliases=tuple(row.aliases or ()),
        roles=tuple(row.roles or ()),
        forms=dict(getattr(row, "forms", None) or {}),
    )


def _entity_filters(stmt: Any, type_: str | None, lang: str | None) -> Any:
    if type_ is not None:
        stmt = stmt.where(_E.type == type_)
    if lang is not None:
        stmt = stmt.where(sa.exists().where(_M.entity_id == _E.id, _M.lang == lang))
    return stmt


def _entity_summaries(type_: str | None, lang: str | None) -> Any:
    counts = (
        sa.select(
            _M.entity_id.label("entity_id"),
            sa.func.count().label("mentions"),
            sa.func.count(sa.distinct(_M.article_id)).label("articles"),
        )
        .where(_M.entity_id.is_not(None))
        .group_by(_M.entity_id)
        .subquery("counts")
    )
    mentions = sa.func.coalesce(counts.c.mentions, 0).label("mentions")
    articles = sa.func.coalesce(counts.c.articles, 0).label("articles")
    stmt = sa.select(*_ENTITY_COLUMNS, mentions, articles).select_from(
        entity_table.outerjoin(counts, counts.c.entity_id == _E.id)
    )
    stmt = _entity_filters(stmt, type_, lang)
    return stmt.order_by(articles.desc(), mentions.desc(), _E.name, _E.id)


def _to_summary(row: Any) -> EntitySummary:
    return EntitySummary(
        id=row.id,
        type=row.type,
        name=row.name,
        names=dict(row.names or {}),
        aliases=tuple(row.aliases or ()),
        roles=tuple(row.roles or ()),
        mentions=int(row.mentions),
        articles=int(row.articles),
    )


def sentence_context(text: str, start: int, end: int, width: int = _CONTEXT) -> str:
    """The sentence around ``text[start:end]``, cut to about ``width`` characters (with …)."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_ENDS) + 1
    ends = [i for i in (text.find(c, end) for c in _SENTENCE_ENDS) if i >= 0]
    right = min(ends) + 1 if ends else len(text)
    prefix = suffix = ""
    room = max(0, width - (end - start))
    if start - left > room // 2:
        left, prefix = start - room // 2, "…"
    if right - end > room - (start - left):
        right, suffix = end + room - (start - left), "…"
    return prefix + " ".join(text[left:right].split()) + suffix
