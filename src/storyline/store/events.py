"""Event mentions: what each article reports happened, found once at ingest.

A story's account (events, timeline, conflicts, coverage) is merged from these rows
when read, so a reader never runs the NLP and every process reads the same account.
Two tables, children of ``article``:

* ``event_part``: one row per text of an article (``text``, ``title``, ``lead``) whose
  mentions were found: the date reference they were found against (``reference``: a
  page re-dated by its story must have them found again) and the text's entity
  mentions with their canonical ids (``entities``), which finding them again needs,
  since only the body's are kept in ``mention``;
* ``event_mention``: one row per mention (:class:`~storyline.nlp.events.LinkedMention`),
  its place and participants already canonical entity ids.

An article without ``event_part`` rows was stored before these tables (or ingested
without annotation): the reader finds its mentions itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from storyline.nlp.annotations import EntityMention
from storyline.nlp.events import Attribute, LinkedMention
from storyline.store.models import Base
from storyline.store.rows import chunked


class EventPartRow(Base):
    """One text of an article whose event mentions were found (see the module doc)."""

    __tablename__ = "event_part"

    article_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    part: Mapped[str] = mapped_column(String(8), primary_key=True)
    reference: Mapped[str] = mapped_column(String(32))
    entities: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class EventMentionRow(Base):
    """One clause of an article reporting a happening, its entities canonical ids."""

    __tablename__ = "event_mention"

    article_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    part: Mapped[str] = mapped_column(String(8), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    trigger: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(32))
    date: Mapped[str | None] = mapped_column(String(32))
    grain: Mapped[str | None] = mapped_column(String(8))
    date_inferred: Mapped[bool] = mapped_column(Boolean)
    place: Mapped[str | None] = mapped_column(String(40))
    participants: Mapped[list[list[str]]] = mapped_column(JSON)
    attributes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    planned: Mapped[bool] = mapped_column(Boolean)
    antecedent: Mapped[int | None] = mapped_column(Integer)


event_part_table = EventPartRow.__table__
event_mention_table = EventMentionRow.__table__
_P = event_part_table.c
_EM = event_mention_table.c

Linked = tuple[tuple[EntityMention, str], ...]
"""A text's entity mentions, each with its canonical id (``""``: not linked)."""


@dataclass(frozen=True, slots=True)
class PartEvents:
    """One text of an article: its entity mentions with their ids, and its event mentions."""

    entities: Linked
    mentions: tuple[LinkedMention, ...]


@dataclass(frozen=True, slots=True)
class ArticleEventRows:
    """What is stored of one article's event mentions."""

    reference: str
    """The date reference they were found against (the finder's key; see the module doc)."""
    parts: Mapping[str, tuple[LinkedMention, ...]]


def event_rows(
    conn: Connection,
    articles: Sequence[tuple[str, str, Mapping[str, PartEvents]]],
    replace: bool = False,
) -> None:
    """Write the event parts and mentions of each ``(article_id, reference, parts)``, one
    multi-row INSERT per table; ``replace``: the articles' earlier rows go first."""
    if not articles:
        return
    if replace:
        for chunk in chunked(article_id for article_id, _, _ in articles):
            conn.execute(event_mention_table.delete().where(_EM.article_id.in_(chunk)))
            conn.execute(event_part_table.delete().where(_P.article_id.in_(chunk)))
    part_rows: list[dict[str, Any]] = []
    mention_rows: list[dict[str, Any]] = []
    for article_id, reference, parts in articles:
        for name, found in parts.items():
            part_rows.append(
                {
                    "article_id": article_id,
                    "part": name,
                    "reference": reference,
                    "entities": [_entity_json(m, eid) for m, eid in found.entities],
                }
            )
            mention_rows.extend(
                _mention_row(article_id, name, seq, m) for seq, m in enumerate(found.mentions)
            )
    if part_rows:
        conn.execute(event_part_table.insert(), part_rows)
    if mention_rows:
        conn.execute(event_mention_table.insert(), mention_rows)


def _entity_json(m: EntityMention, entity_id: str) -> dict[str, Any]:
    return {
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "type": m.type,
        "normal": m.normal,
        "lang": m.lang,
        "role": m.role,
        "source": m.source,
        "entity_id": entity_id,
    }


def _mention_row(article_id: str, part: str, seq: int, m: LinkedMention) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "part": part,
        "seq": seq,
        "start": m.start,
        "end": m.end,
        "sentence_start": m.sentence_start,
        "sentence_end": m.sentence_end,
        "trigger": m.trigger,
        "type": m.type,
        "date": m.date,
        "grain": m.grain,
        "date_inferred": m.date_inferred,
        "place": m.place,
        "participants": [list(p) for p in m.participants],
        "attributes": [[a.name, a.value, a.approximate, a.start, a.end] for a in m.attributes],
        "planned": m.planned,
        "antecedent": m.antecedent,
    }


def _to_mention(row: Any) -> LinkedMention:
    return LinkedMention(
        part=row.part,
        start=row.start,
        end=row.end,
        sentence_start=row.sentence_start,
        sentence_end=row.sentence_end,
        trigger=row.trigger,
        type=row.type,
        date=row.date,
        grain=row.grain,
        date_inferred=bool(row.date_inferred),
        place=row.place,
        participants=tuple((e, kind) for e, kind in row.participants),
        attributes=tuple(
            Attribute(name, value, bool(approximate), start, end)
            for name, value, approximate, start, end in row.attributes
        ),
        planned=bool(row.planned),
        antecedent=row.antecedent,
    )


class EventMethods:
    """Event mention queries; mixed into :class:`storyline.store.Store`."""

    _connect: Any
    _errors: Any

    def article_event_rows(self, article_ids: Iterable[str]) -> dict[str, ArticleEventRows]:
        """The stored event mentions of each article that has them (two queries per 500
        ids); an article stored without them is not a key."""
        found: dict[str, ArticleEventRows] = {}
        with self._errors("read"), self._connect() as conn:
            for chunk in chunked(article_ids):
                parts: dict[str, dict[str, list[LinkedMention]]] = {}
                references: dict[str, str] = {}
                stmt = sa.select(_P.article_id, _P.part, _P.reference).where(
                    _P.article_id.in_(chunk)
                )
                for row in conn.execute(stmt):
                    references[row.article_id] = row.reference
                    parts.setdefault(row.article_id, {})[row.part] = []
                stmt = (
                    sa.select(event_mention_table)
                    .where(_EM.article_id.in_(chunk))
                    .order_by(_EM.article_id, _EM.part, _EM.seq)
                )
                for row in conn.execute(stmt):
                    parts[row.article_id][row.part].append(_to_mention(row))
                for article_id, reference in references.items():
                    by_part = parts[article_id]
                    found[article_id] = ArticleEventRows(
                        reference, {name: tuple(by_part[name]) for name in by_part}
                    )
        return found

    def event_references(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Article id → the date reference its stored mentions were found against (only
        the articles that have them): cheap, to tell whether an account is still current."""
        found: dict[str, str] = {}
        with self._errors("read"), self._connect() as conn:
            for chunk in chunked(article_ids):
                stmt = sa.select(_P.article_id, _P.reference).where(_P.article_id.in_(chunk))
                found.update((row.article_id, row.reference) for row in conn.execute(stmt))
        return found

    def event_entities(self, article_ids: Iterable[str]) -> dict[str, dict[str, Linked]]:
        """Article id → part → the entity mentions (with ids) the article's stored event
        mentions were found with (only the articles that have them). Many articles at
        once: the writer finds the events of all the pages a window re-dated again."""
        found: dict[str, dict[str, Linked]] = {}
        with self._errors("read"), self._connect() as conn:
            for chunk in chunked(article_ids):
                stmt = (
                    sa.select(_P.article_id, _P.part, _P.entities)
                    .where(_P.article_id.in_(chunk))
                    .order_by(_P.article_id, _P.part)
                )
                for row in conn.execute(stmt):
                    found.setdefault(row.article_id, {})[row.part] = tuple(
                        (
                            EntityMention(
                                start=e["start"],
                                end=e["end"],
                                text=e["text"],
                                type=e["type"],
                                normal=e["normal"],
                                lang=e["lang"],
                                role=e["role"],
                                source=e["source"],
                            ),
                            e["entity_id"],
                        )
                        for e in row.entities
                    )
        return found

    def replace_event_rows(
        self, articles: Sequence[tuple[str, str, Mapping[str, PartEvents]]]
    ) -> None:
        """Put each ``(article_id, reference, parts)`` in place of the article's stored
        event mentions (one transaction): a page re-dated by its story reads its dates, so
        its mentions, anew; an article stored before these tables gets its first."""
        with (
            self._errors("update event mentions in"),
            self._connect(write=True) as conn,
            conn.begin(),
        ):
            event_rows(conn, articles, replace=True)
