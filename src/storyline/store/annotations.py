"""What was found in each article: entity, date, duration and quote mentions.

A mixin of :class:`storyline.store.Store`. The rows are written with their article
(:func:`insert_annotations`, in the window's transaction) and read back as the NLP's
own values (:meth:`AnnotationMethods.annotations`) or in the export contract's shapes
(:meth:`AnnotationMethods.articles_annotations`). Sentences and tokens are not stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Literal, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storyline.document import REDATABLE, STORYLINE, Precision
from storyline.nlp.annotations import (
    Annotations,
    DateMention,
    DurationMention,
    EntityMention,
    QuoteMention,
)
from storyline.store.models import (
    article_table,
    date_mention_table,
    duration_mention_table,
    mention_table,
    quote_mention_table,
)
from storyline.store.rows import chunked, wall_clock

DateChange = tuple[str, Sequence[DateMention], tuple[datetime, Precision] | Literal[False] | None]
"""(article id, its dates, its publication date or ``False``): see
:meth:`AnnotationMethods.replace_dates`."""

_A = article_table.c
_M = mention_table.c
_DM = date_mention_table.c
_DU = duration_mention_table.c
_Q = quote_mention_table.c


_QUOTE_FIELDS = (
    _Q.start,
    _Q.end,
    _Q.text,
    _Q.kind,
    _Q.cue,
    _Q.speaker_text,
    _Q.speaker_start,
    _Q.speaker_end,
    _Q.speaker_seq.label("speaker"),
)


class ArticleAnnotations(NamedTuple):
    """An article's annotations in the export contract's shapes (``article.entities/dates``)."""

    entities: list[dict[str, Any]]
    """``{"start", "end", "text", "type", "entity_id"}``; ``entity_id`` is ``None`` if unlinked."""
    dates: list[dict[str, Any]]
    """``{"start", "end", "text", "value", "grain"}`` and ``"inferred": True`` when inferred."""
    quotes: list[dict[str, Any]]
    """``{"start", "end", "text", "speaker_text", "speaker_entity_id", "kind"}``."""


class AnnotationMethods:
    """Annotation queries; mixed into :class:`storyline.store.Store`."""

    _connect: Any
    _errors: Any

    def annotations(self, article_id: str) -> Annotations | None:
        """The stored entity, date and duration mentions of an article (``None``: no article).

        Sentences and tokens are not stored; the entity links are in :meth:`mention_entity_ids`.
        """
        with self._errors("read"), self._connect() as conn:
            lang = conn.execute(sa.select(_A.lang).where(_A.id == article_id)).first()
            if lang is None:
                return None
            ents = conn.execute(
                sa.select(
                    _M.start, _M.end, _M.text, _M.type, _M.normal, _M.lang, _M.role, _M.source
                )
                .where(_M.article_id == article_id)
                .order_by(_M.seq)
            )
            entities = tuple(EntityMention(**row._mapping) for row in ents)
            dts = conn.execute(
                sa.select(
                    _DM.start, _DM.end, _DM.text, _DM.value, _DM.grain, _DM.inferred, _DM.kind
                )
                .where(_DM.article_id == article_id)
                .order_by(_DM.seq)
            )
            dates = tuple(DateMention(**row._mapping) for row in dts)
            durs = conn.execute(
                sa.select(_DU.start, _DU.end, _DU.text, _DU.value, _DU.approximate)
                .where(_DU.article_id == article_id)
                .order_by(_DU.seq)
            )
            durations = tuple(DurationMention(**row._mapping) for row in durs)
            qts = conn.execute(
                sa.select(*_QUOTE_FIELDS).where(_Q.article_id == article_id).order_by(_Q.seq)
            )
            quotes = tuple(QuoteMention(**row._mapping) for row in qts)
        return Annotations(
            article_id=article_id,
            lang=lang[0],
            entities=entities,
            dates=dates,
            durations=durations,
            quotes=quotes,
        )

    def replace_dates(
        self,
        article_id: str,
        dates: Sequence[DateMention],
        published: tuple[datetime, Precision] | Literal[False] | None = False,
    ) -> None:
        """Put ``dates`` in place of the article's date mentions (one transaction): the
        year of a yearless date can be learnt later, from the story the page is in.

        ``published`` (a value and its precision, or ``None``) replaces a publication date
        inferred from the story or read from a crawler's token (:data:`REDATABLE`), never
        one the page or its container stated; ``False`` leaves the publication date alone."""
        self.replace_many_dates([(article_id, dates, published)])

    def replace_many_dates(self, changes: Sequence[DateChange]) -> None:
        """:meth:`replace_dates` for many articles in one transaction, each statement run
        once for them all: the single writer re-dates the undated pages of every story a
        window touched, and a commit per page cost more than finding their dates."""
        if not changes:
            return
        ids = [article_id for article_id, _, _ in changes]
        rows = [row for article_id, dates, _ in changes for row in _date_rows(article_id, dates)]
        published = [
            {
                "b_id": article_id,
                "published": wall_clock(value[0] if value else None),
                "published_utcoffset": None,
                "published_precision": value[1] if value else None,
                "published_inferred": bool(value),
                "published_evidence": STORYLINE if value else None,
            }
            for article_id, _, value in changes
            if value is not False
        ]
        with self._errors("update dates in"), self._connect(write=True) as conn, conn.begin():
            for chunk in chunked(ids):
                conn.execute(date_mention_table.delete().where(_DM.article_id.in_(chunk)))
            if rows:
                conn.execute(date_mention_table.insert(), rows)
            if published:
                conn.execute(
                    article_table.update().where(
                        _A.id == sa.bindparam("b_id"),
                        # no IN: an expanding parameter cannot run as executemany
                        sa.or_(
                            _A.published.is_(None),
                            *(_A.published_evidence == e for e in sorted(REDATABLE)),
                        ),
                    ),
                    published,
                )

    def mention_entity_ids(self, article_id: str) -> list[str]:
        """The entity id of each entity mention of the article, in order (``""``: not linked)."""
        stmt = sa.select(_M.entity_id).where(_M.article_id == article_id).order_by(_M.seq)
        with self._errors("read"), self._connect() as conn:
            return [eid or "" for eid in conn.scalars(stmt)]

    def article_annotations(self, article_id: str) -> ArticleAnnotations:
        """The article's ``entities`` and ``dates`` as the export contract shapes them.

        Empty lists for an article without annotations or not stored at all.
        """
        return self.articles_annotations([article_id])[article_id]

    def articles_annotations(self, article_ids: Iterable[str]) -> dict[str, ArticleAnnotations]:
        """:meth:`article_annotations` for many articles in a few queries (one per table
        and 500 ids); every id asked for is a key of the result."""
        wanted = list(dict.fromkeys(article_ids))
        result = {aid: ArticleAnnotations([], [], []) for aid in wanted}
        with self._errors("read"), self._connect() as conn:
            for chunk in chunked(wanted):
                ents = conn.execute(
                    sa.select(_M.article_id, _M.start, _M.end, _M.text, _M.type, _M.entity_id)
                    .where(_M.article_id.in_(chunk))
                    .order_by(_M.article_id, _M.seq)
                )
                for row in ents:
                    result[row.article_id].entities.append(
                        {
                            "start": row.start,
                            "end": row.end,
                            "text": row.text,
                            "type": row.type,
                            "entity_id": row.entity_id,
                        }
                    )
                dts = conn.execute(
                    sa.select(
                        _DM.article_id,
                        _DM.start,
                        _DM.end,
                        _DM.text,
                        _DM.value,
                        _DM.grain,
                        _DM.inferred,
                    )
                    .where(_DM.article_id.in_(chunk))
                    .order_by(_DM.article_id, _DM.seq)
                )
                for row in dts:
                    record: dict[str, Any] = {
                        "start": row.start,
                        "end": row.end,
                        "text": row.text,
                        "value": row.value,
                        "grain": row.grain,
                    }
                    if row.inferred:
                        record["inferred"] = True
                    result[row.article_id].dates.append(record)
                qts = conn.execute(
                    sa.select(
                        _Q.article_id,
                        _Q.start,
                        _Q.end,
                        _Q.text,
                        _Q.speaker_text,
                        _Q.speaker_entity_id,
                        _Q.kind,
                    )
                    .where(_Q.article_id.in_(chunk))
                    .order_by(_Q.article_id, _Q.seq)
                )
                for row in qts:
                    result[row.article_id].quotes.append(
                        {k: v for k, v in row._mapping.items() if k != "article_id"}
                    )
        return result


def insert_annotations(
    conn: Connection, annotated: Sequence[tuple[str, Annotations, Sequence[str]]]
) -> None:
    """Every mention of every ``(article_id, annotations, entity_ids)``, one multi-row
    INSERT per table."""
    mentions: list[dict[str, Any]] = []
    dates: list[dict[str, Any]] = []
    durations: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []
    for article_id, notes, entity_ids in annotated:
        mentions.extend(_mention_rows(article_id, notes, entity_ids))
        dates.extend(_date_rows(article_id, notes.dates))
        durations.extend(_duration_rows(article_id, notes))
        quotes.extend(_quote_rows(article_id, notes, entity_ids))
    for table, rows in (
        (mention_table, mentions),
        (date_mention_table, dates),
        (duration_mention_table, durations),
        (quote_mention_table, quotes),
    ):
        if rows:
            conn.execute(table.insert(), rows)


def _mention_rows(
    article_id: str, annotations: Annotations, entity_ids: Sequence[str]
) -> list[dict[str, Any]]:
    return [
        {
            "article_id": article_id,
            "seq": seq,
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "type": m.type,
            "normal": m.normal,
            "lang": m.lang,
            "role": m.role,
            "source": m.source,
            "entity_id": (entity_ids[seq] if entity_ids else "") or None,
        }
        for seq, m in enumerate(annotations.entities)
    ]


def _duration_rows(article_id: str, annotations: Annotations) -> list[dict[str, Any]]:
    return [
        {
            "article_id": article_id,
            "seq": seq,
            "start": d.start,
            "end": d.end,
            "text": d.text,
            "value": d.value,
            "approximate": bool(d.approximate),
        }
        for seq, d in enumerate(annotations.durations)
    ]


def _quote_rows(
    article_id: str, annotations: Annotations, entity_ids: Sequence[str]
) -> list[dict[str, Any]]:
    return [
        {
            "article_id": article_id,
            "seq": seq,
            "start": q.start,
            "end": q.end,
            "text": q.text,
            "kind": q.kind,
            "cue": q.cue,
            "speaker_text": q.speaker_text,
            "speaker_start": q.speaker_start,
            "speaker_end": q.speaker_end,
            "speaker_seq": q.speaker,
            "speaker_entity_id": (
                entity_ids[q.speaker] or None if entity_ids and q.speaker is not None else None
            ),
        }
        for seq, q in enumerate(annotations.quotes)
    ]


def _date_rows(article_id: str, dates: Sequence[DateMention]) -> list[dict[str, Any]]:
    return [
        {
            "article_id": article_id,
            "seq": seq,
            "start": d.start,
            "end": d.end,
            "text": d.text,
            "value": d.value,
            "grain": d.grain,
            "inferred": bool(d.inferred),
            "kind": d.kind,
        }
        for seq, d in enumerate(dates)
    ]
