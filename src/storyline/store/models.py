"""Tables of the store, as SQLAlchemy 2 declarative models.

These models describe the schema at the *head* revision and are what queries are
written against. The migrations in ``migrations/versions`` are the source of
truth for how a database gets there: each revision spells out its own DDL and
never imports this module, so an old revision keeps meaning what it meant. A
test compares the migrated schema with these models, so the two cannot drift.

Conventions for later tables (entity, mention, story, …):

* every constraint and index has a deterministic name (``NAMING_CONVENTION``),
  so a later revision can drop or alter it by name, on SQLite (batch mode) too;
* timestamps the store stamps itself are UTC (:class:`UTCDateTime`);
* a child of ``article`` references ``article.id`` with ``ON DELETE CASCADE``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PRECISIONS = ("minute", "hour", "day", "month", "year")
ENTITY_TYPES = ("PER", "ORG", "LOC", "EVT", "MISC")
DATE_GRAINS = ("day", "month", "year")


class UTCDateTime(TypeDecorator[datetime]):
    """An instant, stored as naive UTC and read back as an aware UTC datetime.

    Naive input is taken to be UTC already. Stored naive so that SQLite (which
    has no time zone type) and PostgreSQL hold the same value.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Document(Base):
    """One input as received (the bytes themselves are not kept)."""

    __tablename__ = "document"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    size: Mapped[int] = mapped_column(BigInteger)


class ArticleRow(Base):
    """A cleaned article. ``published`` is the wall-clock time as the page gave it.

    A time zone, when the page stated one, is kept apart as ``published_utcoffset``
    (seconds east of UTC), so that filters and ordering compare what the outlet
    printed and a naive value reads back naive.
    """

    __tablename__ = "article"
    __table_args__ = (
        CheckConstraint(
            "published_precision IS NULL OR published_precision IN "
            "('minute', 'hour', 'day', 'month', 'year')",
            name="published_precision",
        ),
        Index(None, "lang"),
        Index(None, "outlet"),
        Index(None, "published"),
        Index(None, "content_hash"),
        Index(None, "duplicate_of"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    doc_sha256: Mapped[str] = mapped_column(String(64), ForeignKey("document.sha256"), unique=True)
    source: Mapped[str] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(16))
    lang_confidence: Mapped[float | None] = mapped_column(Float)
    title: Mapped[str | None] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))
    published_utcoffset: Mapped[int | None] = mapped_column(Integer)
    published_precision: Mapped[str | None] = mapped_column(String(8))
    published_inferred: Mapped[bool] = mapped_column(Boolean, server_default=false())
    published_evidence: Mapped[str | None] = mapped_column(String(32))
    cites: Mapped[list[str] | None] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(128), server_default="")
    duplicate_of: Mapped[str | None] = mapped_column(
        String(40), ForeignKey("article.id", ondelete="SET NULL")
    )
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EntityRow(Base):
    """A canonical entity: one person, organization, place… across languages and forms.

    ``names`` maps a language to the best full form seen in it, ``aliases`` lists
    every surface form seen, ``roles`` the roles held (English). Entities evolve
    as articles arrive; ``created_seq`` numbers them in the order they were first
    stored, so the linker is rebuilt in the same order every time.
    """

    __tablename__ = "entity"
    __table_args__ = (
        CheckConstraint("type IN ('PER', 'ORG', 'LOC', 'EVT', 'MISC')", name="type"),
        Index(None, "created_seq"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    type: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(Text)
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    aliases: Mapped[list[str]] = mapped_column(JSON)
    roles: Mapped[list[str]] = mapped_column(JSON)
    forms: Mapped[dict[str, dict[str, int]] | None] = mapped_column(JSON, nullable=True)
    """Language → form → how often it was linked (what ``names`` are chosen from)."""
    created_seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MentionRow(Base):
    """An entity mention: ``article.text[start:end]``, linked to an entity when known."""

    __tablename__ = "mention"
    __table_args__ = (
        CheckConstraint("type IN ('PER', 'ORG', 'LOC', 'EVT', 'MISC')", name="type"),
        Index(None, "entity_id"),
        # Counting an entity's distinct articles (entity list, entity page, story surface)
        # reads this index alone instead of fetching every mention row.
        Index(None, "entity_id", "article_id"),
    )

    article_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    """Order of the mention in the article's annotations (0, 1, …)."""
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(8))
    normal: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(16))
    role: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[str | None] = mapped_column(String(40), ForeignKey("entity.id"))


class DateMentionRow(Base):
    """A date the article's text states (or implies): ISO ``value`` at a ``grain``."""

    __tablename__ = "date_mention"
    __table_args__ = (
        CheckConstraint("grain IN ('day', 'month', 'year')", name="grain"),
        Index(None, "value"),
    )

    article_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(String(64))
    grain: Mapped[str] = mapped_column(String(8))
    inferred: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str] = mapped_column(String(16))


class DurationMentionRow(Base):
    """A duration the article's text states: ISO 8601 ``value`` (``PT7H30M``)."""

    __tablename__ = "duration_mention"

    article_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(String(64))
    approximate: Mapped[bool] = mapped_column(Boolean)


class StoryRow(Base):
    """A story: articles about one developing piece of news, across languages.

    The reading surface (``title`` … ``score``) is derived from the members and
    recomputed whenever they change; ``stale`` marks a story whose members changed
    in a transaction that has not yet recomputed it (an interrupted batch leaves
    it set; the next write or read repairs it). A story merged into another keeps
    its row with ``merged_into`` set and no members, so its id keeps resolving.
    ``score`` ranks stories for the front page (see ``storyline.assemble.surface``).
    """

    __tablename__ = "story"
    __table_args__ = (
        Index(None, "score"),
        Index(None, "stale"),
        Index(None, "merged_into"),
        # Every new story asks max(created_seq): without it, a scan of all stories each time.
        Index(None, "created_seq"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    titles: Mapped[dict[str, str]] = mapped_column(JSON)
    summary: Mapped[str | None] = mapped_column(Text)
    languages: Mapped[dict[str, int]] = mapped_column(JSON)
    outlets: Mapped[dict[str, int]] = mapped_column(JSON)
    first_published: Mapped[str | None] = mapped_column(String(10))
    last_published: Mapped[str | None] = mapped_column(String(10))
    top_entities: Mapped[list[str]] = mapped_column(JSON)
    size: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    merged_into: Mapped[str | None] = mapped_column(String(40), ForeignKey("story.id"))
    stale: Mapped[bool] = mapped_column(Boolean)
    created_seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StoryArticleRow(Base):
    """Which story an article belongs to, and in what order it was clustered.

    ``features`` is what the clusterer saw of the article (its ``StoryInput``), so
    the clusterer is rebuilt by replaying these rows in ``seq`` order without
    re-annotating anything; ``assigned_by`` says how it got here (cluster,
    duplicate, merge, split).
    """

    __tablename__ = "story_article"
    __table_args__ = (Index(None, "story_id"), Index(None, "seq"))

    article_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    story_id: Mapped[str] = mapped_column(String(40), ForeignKey("story.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    features: Mapped[dict[str, object] | None] = mapped_column(JSON)
    assigned_by: Mapped[str] = mapped_column(String(16))


class StoryHistoryRow(Base):
    """A merge or split, kept so that old story ids and links keep meaning something."""

    __tablename__ = "story_history"
    __table_args__ = (Index(None, "story_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    story_id: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(16))
    other_story_id: Mapped[str | None] = mapped_column(String(40))
    article_ids: Mapped[list[str]] = mapped_column(JSON)
    automatic: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuoteMentionRow(Base):
    """Words an article attributes to a speaker: ``article.text[start:end]``.

    ``speaker_seq`` is the entity mention the speaker resolved to (a name, or the
    person a pronoun or role word refers to); ``speaker_entity_id`` its canonical
    entity, kept here so "everything X said" is one indexed query.
    """

    __tablename__ = "quote_mention"
    __table_args__ = (
        CheckConstraint("kind IN ('direct', 'indirect')", name="kind"),
        Index(None, "speaker_entity_id"),
    )

    article_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    cue: Mapped[str] = mapped_column(Text)
    speaker_text: Mapped[str | None] = mapped_column(Text)
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)
    speaker_seq: Mapped[int | None] = mapped_column(Integer)
    speaker_entity_id: Mapped[str | None] = mapped_column(String(40), ForeignKey("entity.id"))


class WatchRow(Base):
    """Something a reader follows without coming back to look: an entity, a story, or a
    search query (``target``: the entity or story id, or the query's words). ``storyline
    digest`` and the watch's feed say what is new for it; the same kind and target are
    one watch."""

    __tablename__ = "watch"
    __table_args__ = (
        CheckConstraint("kind IN ('entity', 'story', 'query')", name="kind"),
        UniqueConstraint("kind", "target"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    target: Mapped[str] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(Text)
    webhook: Mapped[str | None] = mapped_column(Text)
    """An http(s) address ``storyline digest --notify`` posts the watch's news to."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


ARTICLE_NEWEST_FIRST = "ix_article_published_desc_id"
"""The article lists' order (``published DESC NULLS LAST, id``) as an index, so a page is
read off it instead of sorting every article. SQLite's ``CREATE INDEX`` takes no
``NULLS LAST``, and needs none: it sorts NULL lowest, so ``DESC`` already puts it last;
migration 0006 spells the index for each dialect."""

Index(ARTICLE_NEWEST_FIRST, ArticleRow.published.desc().nulls_last(), ArticleRow.id)

document_table = Document.__table__
article_table = ArticleRow.__table__
entity_table = EntityRow.__table__
mention_table = MentionRow.__table__
date_mention_table = DateMentionRow.__table__
duration_mention_table = DurationMentionRow.__table__
story_table = StoryRow.__table__
story_article_table = StoryArticleRow.__table__
story_history_table = StoryHistoryRow.__table__
quote_mention_table = QuoteMentionRow.__table__
watch_table = WatchRow.__table__
