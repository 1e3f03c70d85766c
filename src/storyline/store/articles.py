"""Documents and articles: what was received, and the article extracted from it.

A mixin of :class:`storyline.store.Store` for reading them; they are written, with
everything found in them, by :meth:`storyline.store.Store.add_articles` in one
transaction (the row builders :func:`document_row` and :func:`article_row` are here).
``published`` is kept as the wall-clock time the page gave (:func:`wall_clock`); an
aware value reads back with its UTC offset.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from storyline.document import Article, RawDocument
from storyline.store.models import (
    article_table,
    document_table,
)
from storyline.store.rows import ARTICLE_COLUMNS, chunked, paged, to_article, wall_clock

_A = article_table.c
_D = document_table.c


class ArticleMethods:
    """Document and article queries; mixed into :class:`storyline.store.Store`."""

    _connect: Any
    _errors: Any

    def has_document(self, sha256: str) -> bool:
        with self._errors("read"), self._connect() as conn:
            return conn.execute(sa.select(_D.sha256).where(_D.sha256 == sha256)).first() is not None

    def known_documents(self, sha256s: Iterable[str]) -> set[str]:
        """The subset of ``sha256s`` already stored."""
        wanted = list(dict.fromkeys(sha256s))
        found: set[str] = set()
        if not wanted:
            return found
        with self._errors("read"), self._connect() as conn:
            for chunk in chunked(wanted):
                found.update(conn.scalars(sa.select(_D.sha256).where(_D.sha256.in_(chunk))))
        return found

    def article(self, article_id: str) -> Article | None:
        with self._errors("read"), self._connect() as conn:
            row = conn.execute(sa.select(*ARTICLE_COLUMNS).where(_A.id == article_id)).first()
        return to_article(row) if row is not None else None

    def articles_by_id(self, article_ids: Iterable[str]) -> list[Article]:
        """The stored ones of ``article_ids``, in the order asked, in a few queries."""
        found: dict[str, Article] = {}
        wanted = list(dict.fromkeys(article_ids))
        with self._errors("read"), self._connect() as conn:
            for chunk in chunked(wanted):
                stmt = sa.select(*ARTICLE_COLUMNS).where(_A.id.in_(chunk))
                found.update((row.id, to_article(row)) for row in conn.execute(stmt))
        return [found[a] for a in wanted if a in found]

    def articles(
        self,
        *,
        lang: str | None = None,
        outlet: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Articles matching every given filter, newest first (undated last), then by id."""
        stmt = _filtered(sa.select(*ARTICLE_COLUMNS), lang, outlet, since, until)
        stmt = paged(stmt.order_by(_A.published.desc().nulls_last(), _A.id), limit, offset)
        with self._errors("read"), self._connect() as conn:
            return [to_article(row) for row in conn.execute(stmt)]

    def count_articles(
        self,
        *,
        lang: str | None = None,
        outlet: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> int:
        stmt = _filtered(
            sa.select(sa.func.count()).select_from(article_table), lang, outlet, since, until
        )
        with self._errors("read"), self._connect() as conn:
            return int(conn.execute(stmt).scalar_one())

    def article_by_content_hash(self, content_hash: str) -> str | None:
        """Id of the earliest-stored non-duplicate article with this content hash."""
        if not content_hash:
            return None
        stmt = (
            sa.select(_A.id)
            .where(_A.content_hash == content_hash, _A.duplicate_of.is_(None))
            .order_by(_A.created_at, _A.id)
            .limit(1)
        )
        with self._errors("read"), self._connect() as conn:
            return conn.execute(stmt).scalar_one_or_none()

    def originals_by_content_hash(self, content_hashes: Iterable[str]) -> dict[str, str]:
        """:meth:`article_by_content_hash` for many hashes in a few queries (the hashes with
        no stored original are left out): the single writer asks once per batch."""
        wanted = [h for h in dict.fromkeys(content_hashes) if h]
        found: dict[str, str] = {}
        with self._errors("read"), self._connect() as conn:
            for chunk in chunked(wanted):
                stmt = (
                    sa.select(_A.content_hash, _A.id)
                    .where(_A.content_hash.in_(chunk), _A.duplicate_of.is_(None))
                    .order_by(_A.created_at.desc(), _A.id.desc())
                )
                # newest first, so the earliest stored is the one left in the dict
                found.update((row.content_hash, row.id) for row in conn.execute(stmt))
        return found

    def iter_minhashes(self) -> Iterator[tuple[str, bytes]]:
        """``(article_id, signature)`` of non-duplicate articles, in the order they were stored.

        Streams: memory stays flat however many articles there are.
        """
        stmt = (
            sa.select(_A.id, _A.minhash)
            .where(_A.duplicate_of.is_(None), _A.minhash.is_not(None))
            .order_by(_A.created_at, _A.id)
        )
        with self._errors("read"), self._connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=1000).execute(stmt)
            for article_id, signature in result:
                yield article_id, bytes(signature)

    def outlets(self) -> list[str]:
        """Every outlet of a stored article, for filters by outlet or outlet group."""
        with self._errors("read"), self._connect() as conn:
            stmt = sa.select(article_table.c.outlet).where(article_table.c.outlet.is_not(None))
            return sorted({row.outlet for row in conn.execute(stmt.distinct())})


def _filtered(
    stmt: Any,
    lang: str | None,
    outlet: str | None,
    since: datetime | None,
    until: datetime | None,
) -> Any:
    if lang is not None:
        stmt = stmt.where(_A.lang == lang)
    if outlet is not None:
        stmt = stmt.where(_A.outlet == outlet)
    if since is not None:
        stmt = stmt.where(_A.published >= wall_clock(since))
    if until is not None:
        stmt = stmt.where(_A.published < wall_clock(until))
    return stmt


def article_row(
    article: Article, doc_sha256: str, minhash: bytes | None, now: datetime
) -> dict[str, Any]:
    published = article.published
    offset: int | None = None
    if published is not None and published.tzinfo is not None:
        delta = published.utcoffset()
        offset = int(delta.total_seconds()) if delta is not None else None
        published = published.replace(tzinfo=None)
    return {
        "id": article.id,
        "doc_sha256": doc_sha256,
        "source": article.source,
        "external_id": article.external_id,
        "url": article.url,
        "outlet": article.outlet,
        "author": article.author,
        "lang": article.lang,
        "lang_confidence": article.lang_confidence,
        "title": article.title,
        "lead": article.lead,
        "text": article.text,
        "published": published,
        "published_utcoffset": offset,
        "published_precision": article.published_precision,
        "published_inferred": bool(article.published_inferred),
        "published_evidence": article.published_evidence,
        "cites": list(article.cites),
        "content_hash": article.content_hash,
        "duplicate_of": article.duplicate_of,
        "minhash": minhash,
        "created_at": now,
    }


def document_row(doc: RawDocument, now: datetime) -> dict[str, Any]:
    return {
        "sha256": doc.sha256,
        "source": doc.source,
        "url": doc.url,
        "content_type": doc.content_type,
        "received_at": now,
        "size": len(doc.data),
    }
