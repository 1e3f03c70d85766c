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

Entities evolve: :meth:`Store.add_article` upserts the canonical entities it is
given, and an update never loses what was known (``names`` gain languages,
``aliases`` and ``roles`` only grow, in first-seen order). :meth:`Store.load_entities`
returns them in the order they were first stored, to rebuild the linker.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from types import TracebackType
from typing import Any, Literal, NamedTuple, Self

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from storyline.config import database_url
from storyline.document import REDATABLE, STORYLINE, Article, Precision, RawDocument
from storyline.errors import StoreError
from storyline.nlp.annotations import (
    Annotations,
    DateMention,
    DurationMention,
    EntityMention,
    QuoteMention,
)
from storyline.nlp.terms import article_terms
from storyline.records import CanonicalEntity, Merge, Split
from storyline.store import search
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
from storyline.store.events import EventMethods, PartEvents, event_rows
from storyline.store.lock import OnWait, WriterBusy, writer_lock
from storyline.store.models import (
    article_table,
    date_mention_table,
    document_table,
    duration_mention_table,
    entity_table,
    mention_table,
    quote_mention_table,
)
from storyline.store.quotes import QuoteMethods, QuoteRecord
from storyline.store.rows import ARTICLE_COLUMNS, chunked, paged, to_article
from storyline.store.stories import (
    StoryChange,
    StoryMethods,
    StoryNotFound,
    StoryPlacement,
    StorySummary,
    apply_story_changes,
    placement_rows,
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
_E = entity_table.c
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
_ENTITY_COLUMNS = [_E.id, _E.type, _E.name, _E.names, _E.aliases, _E.roles]
_CONTEXT = 200
"""Longest sentence context :meth:`Store.entity_detail` gives a mention (characters)."""


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


class ArticleAnnotations(NamedTuple):
    """An article's annotations in the export contract's shapes (``article.entities/dates``)."""

    entities: list[dict[str, Any]]
    """``{"start", "end", "text", "type", "entity_id"}``; ``entity_id`` is ``None`` if unlinked."""
    dates: list[dict[str, Any]]
    """``{"start", "end", "text", "value", "grain"}`` and ``"inferred": True`` when inferred."""
    quotes: list[dict[str, Any]]
    """``{"start", "end", "text", "speaker_text", "speaker_entity_id", "kind"}``."""


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


class Store(StoryMethods, QuoteMethods, WatchMethods, EventMethods):
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
            for chunk in chunked(wanted):
                found.update(conn.scalars(sa.select(_D.sha256).where(_D.sha256.in_(chunk))))
        return found

    # ------------------------------------------------------------------ articles

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
        doc_rows = [_document_row(item.doc, now) for item in chosen]
        # A microsecond apart: "earliest stored" (originals, minhash replay) keeps batch order.
        columns = self._article_columns(conn)
        art_rows = [
            {
                k: v
                for k, v in _article_row(
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
        changed = self._upsert_entities(conn, entities, now) if entities else []
        _insert_annotations(
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
            search.index_entities(conn, changed)
        for item in chosen:
            if item.story is not None:
                placement_rows(conn, item.article.id, item.story, now)
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

    # ------------------------------------------------------------------ annotations

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
        rows = _date_rows(article_id, dates)
        with self._errors("update dates in"), self._connect(write=True) as conn, conn.begin():
            conn.execute(date_mention_table.delete().where(_DM.article_id == article_id))
            if rows:
                conn.execute(date_mention_table.insert(), rows)
            if published is not False:
                value, precision = published if published else (None, None)
                conn.execute(
                    article_table.update()
                    .where(
                        _A.id == article_id,
                        sa.or_(_A.published.is_(None), _A.published_evidence.in_(REDATABLE)),
                    )
                    .values(
                        published=_wall_clock(value),
                        published_utcoffset=None,
                        published_precision=precision,
                        published_inferred=value is not None,
                        published_evidence=STORYLINE if value is not None else None,
                    )
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

    # ------------------------------------------------------------------ entities

    def load_entities(self) -> list[CanonicalEntity]:
        """Every canonical entity, in the order they were first stored (to rebuild the linker)."""
        stmt = sa.select(*_ENTITY_COLUMNS).order_by(_E.created_seq, _E.id)
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
                published=_aware(a.published, a.published_utcoffset),
                published_precision=a.published_precision,
                mentions=tuple(
                    MentionRef(start, end, text, sentence_context(a.text, start, end))
                    for start, end, text in spans[a.id]
                ),
            )
            for a in arts
        )
        return EntityDetail(summary=summary, occurrences=occurrences)

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
                since=_wall_clock(since),
                until=_wall_clock(until),
                entity=entity,
                limit=limit,
                offset=offset,
            )

    def outlets(self) -> list[str]:
        """Every outlet of a stored article, for filters by outlet or outlet group."""
        with self._errors("read"), self._connect() as conn:
            stmt = sa.select(article_table.c.outlet).where(article_table.c.outlet.is_not(None))
            return sorted({row.outlet for row in conn.execute(stmt.distinct())})

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

    def _upsert_entities(
        self, conn: Connection, entities: Sequence[CanonicalEntity], now: datetime
    ) -> list[str]:
        """Create the new entities, merge the known ones (rows locked on PostgreSQL);
        returns the ids of those created or changed."""
        changed: list[str] = []
        given = {e.id: e for e in entities}
        found = self._locked_entities(conn, list(given))
        new = [e for eid, e in given.items() if eid not in found]
        if new:
            first = conn.execute(sa.select(sa.func.coalesce(sa.func.max(_E.created_seq), 0)))
            seq = int(first.scalar_one()) + 1
            rows = [
                {
                    "id": e.id,
                    "type": e.type,
                    "name": e.name,
                    "names": dict(e.names),
                    "aliases": list(dict.fromkeys(e.aliases)),
                    "roles": list(dict.fromkeys(e.roles)),
                    "created_seq": seq + i,
                    "created_at": now,
                    "updated_at": now,
                }
                for i, e in enumerate(new)
            ]
            dialect = postgresql if self._engine.dialect.name == "postgresql" else sqlite
            inserted: set[str] = set()
            for row in rows:
                stmt = dialect.insert(entity_table).on_conflict_do_nothing().returning(_E.id)
                inserted.update(conn.scalars(stmt.values(row)))
            # Another writer created some of them meanwhile (PostgreSQL): merge into theirs.
            changed.extend(e.id for e in new if e.id in inserted)
            raced = [e.id for e in new if e.id not in inserted]
            found.update(self._locked_entities(conn, raced))
        for eid, old in found.items():
            merged = _merge_entity(old, given[eid])
            if merged != old:
                values = {
                    "type": merged.type,
                    "name": merged.name,
                    "names": merged.names,
                    "aliases": list(merged.aliases),
                    "roles": list(merged.roles),
                    "updated_at": now,
                }
                conn.execute(entity_table.update().where(_E.id == eid).values(values))
                changed.append(eid)
        return changed

    def _locked_entities(self, conn: Connection, ids: list[str]) -> dict[str, CanonicalEntity]:
        found: dict[str, CanonicalEntity] = {}
        for chunk in chunked(ids):
            stmt = sa.select(*_ENTITY_COLUMNS).where(_E.id.in_(chunk))
            if self._engine.dialect.name == "postgresql":
                stmt = stmt.order_by(_E.id).with_for_update()
            found.update((row.id, _to_entity(row)) for row in conn.execute(stmt))
        return found

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
        "published_evidence": article.published_evidence,
        "cites": list(article.cites),
        "content_hash": article.content_hash,
        "duplicate_of": article.duplicate_of,
        "minhash": minhash,
        "created_at": now,
    }


def _aware(published: datetime | None, utcoffset: int | None) -> datetime | None:
    if published is not None and utcoffset is not None:
        return published.replace(tzinfo=timezone(timedelta(seconds=utcoffset)))
    return published


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


def _document_row(doc: RawDocument, now: datetime) -> dict[str, Any]:
    return {
        "sha256": doc.sha256,
        "source": doc.source,
        "url": doc.url,
        "content_type": doc.content_type,
        "received_at": now,
        "size": len(doc.data),
    }


def _insert_annotations(
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
    )


def _to_entity(row: Any) -> CanonicalEntity:
    return CanonicalEntity(
        id=row.id,
        type=row.type,
        name=row.name,
        names=dict(row.names or {}),
        aliases=tuple(row.aliases or ()),
        roles=tuple(row.roles or ()),
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


_SENTENCE_ENDS = ".!?…\n"


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
