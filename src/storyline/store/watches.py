"""Watches, and the reads that say what is new: when each article was stored, the newest
stories.

A mixin of :class:`storyline.store.Store`. A watch is what a reader follows (an entity,
a story, a search query); what is *new* for it is told by when articles reached this
store (``article.created_at``), not by when they say they were published: a page
published last week and ingested today is news to the reader, and a page with a wrong
date must not hide or flood a digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

import sqlalchemy as sa

from storyline.errors import StoreError
from storyline.store.models import (
    article_table,
    entity_table,
    mention_table,
    story_table,
    watch_table,
)
from storyline.store.rows import chunked
from storyline.store.stories import StorySummary, _to_summary

_A = article_table.c
_E = entity_table.c
_M = mention_table.c
_S = story_table.c
_W = watch_table.c

WatchKind = Literal["entity", "story", "query"]
WATCH_KINDS: tuple[str, ...] = get_args(WatchKind)


class WatchTargetNotFound(StoreError):
    """A watch on an entity or a story the store does not know: a typo would otherwise
    be a watch that stays silent for ever."""


@dataclass(frozen=True, slots=True)
class Watch:
    id: str
    kind: str
    """``entity``, ``story`` or ``query``."""
    target: str
    """The entity or story id, or the query's words."""
    label: str | None
    created_at: datetime
    webhook: str | None = None
    """Where ``storyline digest --notify`` posts what is new (http or https)."""


def watch_id(kind: str, target: str) -> str:
    """Stable for a kind and target, so adding the same watch twice names one watch."""
    return "w_" + hashlib.sha1(f"{kind}\n{target}".encode()).hexdigest()[:12]


def _to_watch(row: Any) -> Watch:
    return Watch(row.id, row.kind, row.target, row.label, row.created_at, row.webhook)


class WatchMethods:
    """Watches and what-is-new reads; mixed into :class:`storyline.store.Store`."""

    _connect: Any
    _errors: Any
    _insert_ignore: Any
    resolve_story: Any

    def add_watch(
        self, kind: str, target: str, *, label: str | None = None, webhook: str | None = None
    ) -> Watch:
        """Watch ``target``; the watch already there when it is watched (its label kept,
        a webhook given now set). A story id is stored as the story it lives on as."""
        if webhook is not None and urlsplit(webhook).scheme not in ("http", "https"):
            raise ValueError(f"a webhook is an http(s) address, not {webhook!r}")
        if kind not in WATCH_KINDS:
            raise ValueError(f"a watch is on one of {', '.join(WATCH_KINDS)}, not {kind!r}")
        target = target.strip()
        if not target:
            raise ValueError("a watch needs a target")
        if kind == "story":
            resolved = self.resolve_story(target)
            if resolved is None:
                raise WatchTargetNotFound(f"no story {target} in the store")
            target = resolved
        elif kind == "entity" and not self._entity_exists(target):
            raise WatchTargetNotFound(f"no entity {target} in the store")
        row = {
            "id": watch_id(kind, target),
            "kind": kind,
            "target": target,
            "label": label,
            "webhook": webhook,
            "created_at": datetime.now(UTC),
        }
        with self._errors("write"), self._connect(write=True) as conn:
            conn.execute(self._insert_ignore(watch_table).values(row))
            if webhook is not None:
                update = watch_table.update().where(_W.id == row["id"])
                conn.execute(update.values(webhook=webhook))
            conn.commit()
        found = self.watch(row["id"])
        assert found is not None
        return found

    def watches(self) -> list[Watch]:
        """Every watch, oldest first."""
        stmt = sa.select(watch_table).order_by(_W.created_at, _W.id)
        with self._errors("read"), self._connect() as conn:
            return [_to_watch(row) for row in conn.execute(stmt)]

    def watch(self, watch_id: str) -> Watch | None:
        with self._errors("read"), self._connect() as conn:
            row = conn.execute(sa.select(watch_table).where(_W.id == watch_id)).first()
        return _to_watch(row) if row is not None else None

    def remove_watch(self, watch_id: str) -> bool:
        """Stop watching; ``False`` when there was no such watch."""
        with self._errors("write"), self._connect(write=True) as conn:
            gone = conn.execute(watch_table.delete().where(_W.id == watch_id)).rowcount
            conn.commit()
        return bool(gone)

    def stored_at(self, article_ids: Iterable[str]) -> dict[str, datetime]:
        """Article id → when it reached this store (UTC), for those that exist."""
        found: dict[str, datetime] = {}
        with self._errors("read"), self._connect() as conn:
            for chunk in chunked(article_ids):
                stmt = sa.select(_A.id, _A.created_at).where(_A.id.in_(chunk))
                found.update((row.id, _aware(row.created_at)) for row in conn.execute(stmt))
        return found

    def entity_article_ids(self, entity_id: str) -> list[str]:
        """Every article that mentions ``entity_id`` (what an entity watch follows)."""
        stmt = sa.select(_M.article_id).where(_M.entity_id == entity_id).distinct()
        with self._errors("read"), self._connect() as conn:
            return sorted(conn.scalars(stmt))

    def newest_stories(self, limit: int = 20) -> list[tuple[StorySummary, datetime]]:
        """Live stories with when each started here, the most recent first (the "new
        storylines" feed)."""
        stmt = (
            sa.select(story_table)
            .where(_S.merged_into.is_(None), _S.size > 0)
            .order_by(_S.created_at.desc(), _S.created_seq.desc())
            .limit(limit)
        )
        with self._errors("read"), self._connect() as conn:
            return [(_to_summary(row), _aware(row.created_at)) for row in conn.execute(stmt)]

    def _entity_exists(self, entity_id: str) -> bool:
        with self._errors("read"), self._connect() as conn:
            return conn.execute(sa.select(_E.id).where(_E.id == entity_id)).first() is not None


def _aware(value: datetime) -> datetime:
    """``created_at`` reads back aware already (:class:`UTCDateTime`); a raw row may not."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
