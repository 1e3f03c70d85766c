"""Small pieces every part of the store shares: paging, chunked ``IN`` lists, article rows
and the wall-clock ``published`` value.

Kept apart from :mod:`storyline.store` so the store's mixins (stories, quotes,
search) import them at the top instead of reaching back into the package.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from storyline.document import Article
from storyline.store.models import article_table

IN_CHUNK = 500
"""Most values one ``IN (…)`` list carries (SQLite limits bound parameters)."""
ARTICLE_COLUMNS = [c for c in article_table.c if c.name != "minhash"]


def chunked(values: Iterable[str], size: int = IN_CHUNK) -> Iterator[list[str]]:
    """``values`` without repeats, in order, in lists of at most ``size``."""
    wanted = list(dict.fromkeys(values))
    for i in range(0, len(wanted), size):
        yield wanted[i : i + size]


def paged(stmt: sa.Select[Any], limit: int | None, offset: int) -> sa.Select[Any]:
    """``stmt`` limited to one page; negative bounds are a caller's mistake."""
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must be >= 0, got {offset}")
    if offset:
        stmt = stmt.offset(offset)
    return stmt.limit(limit) if limit is not None else stmt


def to_article(row: Any) -> Article:
    published = aware(row.published, row.published_utcoffset)
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
        # columns of migration 0007: absent while an older migration reads the rows
        published_evidence=getattr(row, "published_evidence", None),
        cites=tuple(getattr(row, "cites", None) or ()),
        content_hash=row.content_hash,
        duplicate_of=row.duplicate_of,
        doc_sha256=row.doc_sha256,
    )


def wall_clock(value: datetime | date | None) -> datetime | None:
    """``value`` as the store keeps and compares ``published``: the wall-clock time, naive
    (an aware bound is compared by its own wall-clock value; a date is its midnight)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    return value.replace(tzinfo=None)


def aware(published: datetime | None, utcoffset: int | None) -> datetime | None:
    """A stored wall-clock time with the page's UTC offset put back (naive if it gave none)."""
    if published is not None and utcoffset is not None:
        return published.replace(tzinfo=timezone(timedelta(seconds=utcoffset)))
    return published
