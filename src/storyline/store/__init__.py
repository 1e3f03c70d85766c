"""The store: documents, articles, their annotations and entities, in SQLite or PostgreSQL.

>>> with Store.open("sqlite:///data/storyline.db") as store:   # doctest: +SKIP
...     store.add_article(doc, article, annotations=ann, entity_ids=ids, entities=touched)
...     store.articles(lang="ru", since=datetime(2022, 1, 1), limit=20)
...     store.entity_rows(type="PER", limit=20)

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

:class:`Store` is put together from one mixin per table family, each in its own
module: documents and articles (:mod:`~storyline.store.articles`), their mentions
(:mod:`~storyline.store.annotations`), canonical entities
(:mod:`~storyline.store.entities`), stories (:mod:`~storyline.store.stories`),
quotes (:mod:`~storyline.store.quotes`) and the rest beside them. This module opens
the database and writes a window of articles with everything found in them in one
transaction (:meth:`Store.add_articles`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from storyline.config import database_url
from storyline.document import Article, RawDocument
from storyline.errors import StoreError
from storyline.nlp.annotations import Annotations
from storyline.nlp.terms import article_terms
from storyline.records import CanonicalEntity, Merge, Split
from storyline.store import search
from storyline.store.accounts import AccountMethods, StoredAccount
from storyline.store.annotations import AnnotationMethods, ArticleAnnotations, insert_annotations
from storyline.store.articles import ArticleMethods, article_row, document_row
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
from storyline.store.entities import (
    EntityArticle,
    EntityDetail,
    EntityMethods,
    EntitySummary,
    MentionRef,
)
from storyline.store.events import EventMethods, PartEvents, event_rows
from storyline.store.lock import OnWait, WriterBusy, writer_lock
from storyline.store.models import article_table, document_table
from storyline.store.quotes import QuoteMethods, QuoteRecord
from storyline.store.rows import chunked, wall_clock
from storyline.store.stories import (
    StoryChange,
    StoryMethods,
    StoryNotFound,
    StoryPlacement,
    StorySummary,
    apply_story_changes,
    placements_rows,
)
from storyline.store.watches import Watch, WatchMethods, WatchTargetNotFound

__all__ = [
    "ArticleAnnotations",
    "EntityArticle",
    "EntityDetail",
    "EntitySummary",
    "MentionRef",
    "NewArticle",
    "QuoteRecord",
    "Store",
    "StoreError",
    "StoredAccount",
    "StoryChange",
    "StoryNotFound",
    "StoryPlacement",
    "StorySummary",
    "Watch",
    "WatchTargetNotFound",
    "WriterBusy",
]

_A = article_table.c
_D = document_table.c


@dataclass(frozen=True, slots=True)
class NewArticle:
    """One article for :meth:`Store.add_articles`, with everything :meth:`Store.add_article`
    takes for it (see there)."""

    doc: RawDocument
    article: Article
    minhash: bytes | None = None
    annotations: Annotations | None = None
    entity_ids: Sequence[str] = ()
    story: StoryPlacement | None = None
    search_terms: str | None = None
    events: tuple[str, Mapping[str, PartEvents]] | None = None
    """The date reference and, per text, the event mentions found in the article
    (:mod:`storyline.store.events`); ``None``: none found (no annotation asked for)."""


class _Raced(Exception):
    """Another writer stored one of a batch's documents or articles after we looked."""


class Store(
    ArticleMethods,
    AnnotationMethods,
    EntityMethods,
    StoryMethods,
    QuoteMethods,
    WatchMethods,
    EventMethods,
    AccountMethods,
):
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
        self._has_search: bool | None = None
        self._columns: frozenset[str] | None = None

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
        self._has_search = None
        self._columns = None

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

    @contextmanager
    def writer(
        self, *, on_wait: OnWait | None = None, timeout: float | None = None
    ) -> Iterator[None]:
        """Be this store's only writer for the ``with`` block: an ingest holds it from
        before it loads the store into memory until it ends (see
        :mod:`storyline.store.lock`). ``on_wait`` hears once, in one line, that another
        writer holds it; past ``timeout`` seconds :class:`WriterBusy` is raised."""
        self._check_open()
        with writer_lock(self._engine, on_wait=on_wait, timeout=timeout):
            yield

    # ------------------------------------------------------------------ writing

    def add_article(
        self,
        doc: RawDocument,
        article: Article,
        minhash: bytes | None = None,
        *,
        annotations: Annotations | None = None,
        entity_ids: Sequence[str] = (),
        entities: Sequence[CanonicalEntity] = (),
        story: StoryPlacement | None = None,
        search_terms: str | None = None,
    ) -> bool:
        """Store a document, its article and what was found in it, in one transaction.

        ``annotations`` gives the article's entity, date and duration mentions;
        ``entity_ids[i]`` links entity mention ``i`` to a canonical entity (``""``:
        not linked; an empty sequence: none linked). ``entities`` are upserted
        first (created, or updated without losing names, aliases or roles), so the
        mentions may point at them; a link to an entity neither given nor stored
        is a constraint failure. ``story`` puts the article into a story (created
        if new, marked stale until :func:`storyline.assemble.surface.refresh_stories`).
        ``search_terms`` are the article's index terms when the caller computed them
        already (the ingest workers do); the entities created or changed here are
        re-indexed for search.

        Returns ``False`` and writes nothing when the document, the article id
        or an article for this document is already stored, so re-ingesting is
        harmless. Any failure rolls the whole transaction back: there is never
        a document without its article, nor half an article or its annotations.
        """
        item = NewArticle(doc, article, minhash, annotations, entity_ids, story, search_terms)
        return self.add_articles([item], entities=entities)[0]

    def add_articles(
        self,
        items: Sequence[NewArticle],
        *,
        entities: Sequence[CanonicalEntity] = (),
        story_changes: Sequence[Merge | Split] = (),
    ) -> list[bool]:
        """:meth:`add_article` for many articles in one transaction, each table written with
        one multi-row statement: on PostgreSQL a commit per article, not the NLP, would bound
        the single writer.

        ``entities`` (every entity the items link to, in first-touch order) are upserted
        once. ``story_changes`` (the automatic merges and splits the clusterer made while
        placing the items) are written after them in the same transaction, so the store
        never holds a window without the merges it caused (see
        :func:`~storyline.store.stories.apply_story_changes`). Returns, per item, whether
        it was stored; an item whose document or article id is already stored, or repeats
        an earlier item's, is skipped and the others go in. A failure rolls back every
        item. When another writer stores one of them meanwhile (PostgreSQL), the batch is
        retried one article per transaction, so each is stored exactly once, and the
        story changes follow in a transaction of their own.
        """
        for item in items:
            _check(item)
        if not items:
            self.apply_story_changes(story_changes)
            return []
        now = datetime.now(UTC)
        try:
            with (
                self._errors("add an article to"),
                self._connect(write=True) as conn,
                conn.begin(),
            ):
                stored = self._write_articles(conn, items, entities, now)
                if story_changes:
                    apply_story_changes(conn, story_changes, now)
                return stored
        except _Raced:
            if len(items) == 1:
                stored = [False]
            else:
                stored = [self.add_articles([item], entities=entities)[0] for item in items]
            self.apply_story_changes(story_changes)
            return stored

    def _write_articles(
        self,
        conn: Connection,
        items: Sequence[NewArticle],
        entities: Sequence[CanonicalEntity],
        now: datetime,
    ) -> list[bool]:
        fresh = self._unstored(conn, items)
        if not fresh:
            return [False] * len(items)
        chosen = [items[n] for n in fresh]
        doc_rows = [document_row(item.doc, now) for item in chosen]
        # A microsecond apart: "earliest stored" (originals, minhash replay) keeps batch order.
        columns = self._article_columns(conn)
        art_rows = [
            {
                k: v
                for k, v in article_row(
                    i.article, i.doc.sha256, i.minhash, now + timedelta(microseconds=n)
                ).items()
                if k in columns
            }
            for n, i in enumerate(chosen)
        ]
        for table, rows in ((document_table, doc_rows), (article_table, art_rows)):
            # RETURNING leaves out the rows ON CONFLICT DO NOTHING skipped: another writer's.
            if len(conn.execute(self._insert_ignore(table), rows).all()) != len(rows):
                raise _Raced
        renamed = self._upsert_entities(conn, entities, now) if entities else []
        insert_annotations(
            conn,
            [
                (i.article.id, i.annotations, i.entity_ids)
                for i in chosen
                if i.annotations is not None
            ],
        )
        event_rows(conn, [(i.article.id, *i.events) for i in chosen if i.events is not None])
        if self._searchable(conn):
            search.index_articles(
                conn,
                [
                    (i.article.id, i.search_terms)
                    if i.search_terms is not None
                    else (i.article.id, article_terms(i.article))
                    for i in chosen
                ],
            )
            search.index_entities(conn, renamed)
        placements_rows(conn, [(i.article.id, i.story) for i in chosen if i.story is not None], now)
        stored = set(fresh)
        return [n in stored for n in range(len(items))]

    def _unstored(self, conn: Connection, items: Sequence[NewArticle]) -> list[int]:
        """Positions of the items to write: neither their document nor their article id is
        stored or taken by an earlier item (an article for a stored document implies the
        document is stored)."""
        docs = self._existing(conn, _D.sha256, [i.doc.sha256 for i in items])
        ids = self._existing(conn, _A.id, [i.article.id for i in items])
        fresh: list[int] = []
        for n, item in enumerate(items):
            if item.doc.sha256 in docs or item.article.id in ids:
                continue
            docs.add(item.doc.sha256)
            ids.add(item.article.id)
            fresh.append(n)
        return fresh

    @staticmethod
    def _existing(conn: Connection, column: Any, values: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunked(values):
            found.update(conn.scalars(sa.select(column).where(column.in_(chunk))))
        return found

    # ------------------------------------------------------------------ search

    def search(
        self,
        q: str,
        *,
        lang: str | None = None,
        outlet: str | None = None,
        outlets: Sequence[str] | None = None,
        since: datetime | date | None = None,
        until: datetime | date | None = None,
        entity: str | None = None,
        limit: int | None = 20,
        offset: int = 0,
    ) -> search.SearchResult:
        """Articles matching every word of ``q`` in any form, then those mentioning an
        entity whose name matches (see :mod:`storyline.store.search`)."""
        with self._errors("search"), self._connect() as conn:
            return search.search(
                conn,
                q,
                lang=lang,
                outlet=outlet,
                outlets=outlets,
                since=wall_clock(since),
                until=wall_clock(until),
                entity=entity,
                limit=limit,
                offset=offset,
            )

    # ------------------------------------------------------------------ internals

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"{safe_url(self.url)}: the store is closed")

    @contextmanager
    def _connect(self, *, write: bool = False) -> Iterator[Connection]:
        self._check_open()
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

    def _searchable(self, conn: Connection) -> bool:
        """Whether articles are indexed for search here (asked of the database once)."""
        if self._has_search is None:
            self._has_search = search.has_index(conn)
        return self._has_search

    def _article_columns(self, conn: Connection) -> frozenset[str]:
        """The article table's columns here (asked once): a store opened on an older
        revision without migrating it writes only what that revision holds."""
        if self._columns is None:
            self._columns = frozenset(c["name"] for c in sa.inspect(conn).get_columns("article"))
        return self._columns

    def _insert_ignore(self, table: sa.Table) -> Any:
        """INSERT … ON CONFLICT DO NOTHING RETURNING <primary key>."""
        dialect = postgresql if self._engine.dialect.name == "postgresql" else sqlite
        pk = next(iter(table.primary_key.columns))
        return dialect.insert(table).on_conflict_do_nothing().returning(pk)


# ---------------------------------------------------------------------- checks


def _check(item: NewArticle) -> None:
    """Refuse, before anything is written, an item whose parts do not belong together."""
    article, annotations = item.article, item.annotations
    sha = item.doc.sha256
    if article.doc_sha256 and article.doc_sha256 != sha:
        raise ValueError(
            f"{article.id}: article.doc_sha256 {article.doc_sha256} is not the document's {sha}"
        )
    if annotations is not None and annotations.article_id not in ("", article.id):
        raise ValueError(
            f"{article.id}: annotations are for another article, {annotations.article_id}"
        )
    n_mentions = len(annotations.entities) if annotations is not None else 0
    if item.entity_ids and len(item.entity_ids) != n_mentions:
        raise ValueError(
            f"{article.id}: {len(item.entity_ids)} entity ids for {n_mentions} entity mentions"
        )
