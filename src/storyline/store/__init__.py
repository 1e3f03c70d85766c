"""The store: documents and articles in SQLite (default) or PostgreSQL.

>>> with Store.open("sqlite:///data/storyline.db") as store:   # doctest: +SKIP
...     store.add_article(doc, article)
...     store.articles(lang="ru", since=datetime(2022, 1, 1), limit=20)

:meth:`Store.open` migrates the database to the schema this code knows; the
plain constructor only connects (for tools that must not change a schema).
Values in and out are the frozen :class:`~storyline.document.Article`; no ORM
object leaves this module. Every database failure surfaces as a
:class:`~storyline.errors.StoreError` whose message is one line naming the URL
(password masked) and what to do.

Time semantics:

* ``published`` is kept as the wall-clock time the page gave. A naive value
  reads back naive; an aware one reads back with the same UTC offset (as a fixed
  ``timezone``). Ordering and the ``since``/``until`` filters compare wall-clock
  values; an aware bound is compared by its own wall-clock value.
* Filters are half-open: ``since <= published < until``. Articles without a
  ``published`` value are left out when either bound is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta, timezone
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from storyline.config import database_url
from storyline.document import Article, RawDocument
from storyline.errors import StoreError
from storyline.store.db import (
    WRITE,
    create_engine,
    current_revisions,
    head_revision,
    migrate,
    parse_url,
    safe_url,
    store_error,
)
from storyline.store.models import article_table, document_table

__all__ = ["Store", "StoreError"]

_A = article_table.c
_D = document_table.c
_ARTICLE_COLUMNS = [c for c in article_table.c if c.name != "minhash"]
_IN_CHUNK = 500


class Store:
    """Persistent documents and articles behind one database URL."""

    def __init__(self, url: str) -> None:
        self.url = parse_url(database_url(url))
        try:
            self._engine: Engine = create_engine(self.url)
        except StoreError:
            raise
        except (SQLAlchemyError, ImportError) as exc:
            raise store_error(self.url, exc, doing="open") from exc
        self._closed = False

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect and migrate the database to the head revision."""
        store = cls(url)
        try:
            migrate(store._engine)
        except BaseException:
            store.close()
            raise
        return store

    # ------------------------------------------------------------------ lifecycle

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for migrations and tests; the pipeline uses the methods)."""
        return self._engine

    def migrate(self) -> None:
        """Upgrade to the head revision; :meth:`open` already does this."""
        migrate(self._engine)

    def schema_revision(self) -> str | None:
        """The database's Alembic revision, ``None`` for an empty database."""
        with self._errors("read"):
            revs = current_revisions(self._engine)
        return ",".join(sorted(revs)) if revs else None

    @staticmethod
    def head_revision() -> str:
        """The newest schema revision this code knows."""
        return head_revision()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({safe_url(self.url)!r})"

    # ------------------------------------------------------------------ documents

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
            for i in range(0, len(wanted), _IN_CHUNK):
                chunk = wanted[i : i + _IN_CHUNK]
                found.update(conn.scalars(sa.select(_D.sha256).where(_D.sha256.in_(chunk))))
        return found

    # ------------------------------------------------------------------ articles

    def add_article(self, doc: RawDocument, article: Article, minhash: bytes | None = None) -> bool:
        """Store a document and its article in one transaction.

        Returns ``False`` and writes nothing when the document, the article id
        or an article for this document is already stored, so re-ingesting is
        harmless. Any failure rolls the whole transaction back: there is never
        a document without its article, nor half an article.
        """
        sha = doc.sha256
        if article.doc_sha256 and article.doc_sha256 != sha:
            raise ValueError(
                f"{article.id}: article.doc_sha256 {article.doc_sha256} is not the document's {sha}"
            )
        now = datetime.now(UTC)
        doc_row = {
            "sha256": sha,
            "source": doc.source,
            "url": doc.url,
            "content_type": doc.content_type,
            "received_at": now,
            "size": len(doc.data),
        }
        art_row = _article_row(article, sha, minhash, now)
        with (
            self._errors("add an article to"),
            self._connect(write=True) as conn,
            conn.begin() as tx,
        ):
            for table, row in ((document_table, doc_row), (article_table, art_row)):
                # RETURNING yields no row when ON CONFLICT DO NOTHING skipped the insert.
                if conn.execute(self._insert_ignore(table).values(row)).first() is None:
                    tx.rollback()
                    return False
        return True

    def article(self, article_id: str) -> Article | None:
        with self._errors("read"), self._connect() as conn:
            row = conn.execute(sa.select(*_ARTICLE_COLUMNS).where(_A.id == article_id)).first()
        return _to_article(row) if row is not None else None

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
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be >= 0, got {limit}")
        if offset < 0:
            raise ValueError(f"offset must be >= 0, got {offset}")
        stmt = _filtered(sa.select(*_ARTICLE_COLUMNS), lang, outlet, since, until)
        stmt = stmt.order_by(_A.published.desc().nulls_last(), _A.id)
        if offset:
            stmt = stmt.offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._errors("read"), self._connect() as conn:
            return [_to_article(row) for row in conn.execute(stmt)]

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

    # ------------------------------------------------------------------ internals

    @contextmanager
    def _connect(self, *, write: bool = False) -> Iterator[Connection]:
        if self._closed:
            raise StoreError(f"{safe_url(self.url)}: the store is closed")
        with self._engine.connect() as conn:
            if write:
                conn.execution_options(**{WRITE: True})
            yield conn

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            raise store_error(self.url, exc, doing=doing) from exc

    def _insert_ignore(self, table: sa.Table) -> Any:
        """INSERT … ON CONFLICT DO NOTHING RETURNING <primary key>."""
        dialect = postgresql if self._engine.dialect.name == "postgresql" else sqlite
        pk = next(iter(table.primary_key.columns))
        return dialect.insert(table).on_conflict_do_nothing().returning(pk)


# ---------------------------------------------------------------------- mapping


def _wall_clock(value: datetime | date | None) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    return value.replace(tzinfo=None)


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
        stmt = stmt.where(_A.published >= _wall_clock(since))
    if until is not None:
        stmt = stmt.where(_A.published < _wall_clock(until))
    return stmt


def _article_row(
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
        "content_hash": article.content_hash,
        "duplicate_of": article.duplicate_of,
        "minhash": minhash,
        "created_at": now,
    }


def _to_article(row: Any) -> Article:
    published = row.published
    if published is not None and row.published_utcoffset is not None:
        published = published.replace(tzinfo=timezone(timedelta(seconds=row.published_utcoffset)))
    return Article(
        id=row.id,
        source=row.source,
        text=row.text,
        title=row.title,
        lead=row.lead,
        url=row.url,
        external_id=row.external_id,
        outlet=row.outlet,
        author=row.author,
        lang=row.lang,
        lang_confidence=row.lang_confidence,
        published=published,
        published_precision=row.published_precision,
        published_inferred=bool(row.published_inferred),
        content_hash=row.content_hash,
        duplicate_of=row.duplicate_of,
        doc_sha256=row.doc_sha256,
    )
