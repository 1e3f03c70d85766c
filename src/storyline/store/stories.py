"""The story half of the store: membership, surface, ranking, merges and splits.

A mixin of :class:`storyline.store.Store` (it uses the store's connection and error
helpers), kept apart because stories have their own life cycle:

* an article's story is written with the article, in the same transaction
  (:func:`placement_rows`), and the story is marked ``stale``;
* the surface of a stale story (title, summary, rank) is computed above the store
  (:func:`storyline.assemble.surface.refresh_stories`, from what
  :meth:`StoryMethods.surface_inputs` reads) and saved by
  :meth:`StoryMethods.save_surface`, which clears ``stale``; the ingest stage does
  it after every chunk and once when it starts, so an interrupted batch is repaired
  by the next. The store never computes it: it only reads and writes rows;
* merges and splits move membership rows, keep the retired or new ids resolvable,
  and write a history row each. The automatic ones an ingest window causes
  (the clusterer's :class:`~storyline.records.Merge` and
  :class:`~storyline.records.Split`) are written in the window's own
  transaction (:func:`apply_story_changes`), so a killed batch never keeps a window
  without the merges it made;
* ``stale`` doubles as "derived work pending": a story stays stale until its dates
  are completed and its surface refreshed, so whatever a killed batch left undone
  is found again by the next run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storyline.document import REDATABLE
from storyline.errors import StoreError
from storyline.records import Member, Merge, Split, Surface, SurfaceInputs, split_id
from storyline.store.models import (
    article_table,
    date_mention_table,
    mention_table,
    story_article_table,
    story_history_table,
    story_table,
)
from storyline.store.rows import ARTICLE_COLUMNS, chunked, paged, to_article

_A = article_table.c
_DM = date_mention_table.c
_M = mention_table.c
_S = story_table.c
_SA = story_article_table.c
_SH = story_history_table.c
_STORY_TYPES = ("PER", "ORG", "LOC", "EVT")
_EXACT = ("minute", "hour", "day")


class StoryNotFound(StoreError):
    """A story id the store does not know (nor ever knew)."""


@dataclass(frozen=True, slots=True)
class StoryPlacement:
    """Where :meth:`Store.add_article` puts an article: a story, and why."""

    story_id: str
    features: Mapping[str, Any] | None = None
    """What the clusterer saw (``StoryInput`` as JSON), to rebuild it without re-annotating."""
    assigned_by: str = "cluster"


@dataclass(frozen=True, slots=True)
class StorySummary(Surface):
    """A stored story: its id and its surface as last refreshed."""

    id: str


@dataclass(frozen=True, slots=True)
class StoryChange:
    """One merge or split. ``story_id`` is the story that changed, ``other_story_id`` the
    one merged into it (merge) or split off from it (split)."""

    story_id: str
    action: str
    other_story_id: str | None
    article_ids: tuple[str, ...]
    automatic: bool
    at: datetime


def apply_story_changes(
    conn: Connection, changes: Sequence[Merge | Split], now: datetime
) -> set[str]:
    """Write the clusterer's automatic merges and splits
    (:attr:`~storyline.assemble.stories.StoryClusterer.changes`), in order, inside the
    caller's transaction;
    returns the live ids of the stories they changed (left stale).

    Each story is resolved through the store first: a change whose story the store no
    longer has (or no longer has apart, after a merge by hand) is skipped, as the
    clusterer's view of it is then moot, and one stale change must not fail the batch.
    A split moves only those of its pages the story still holds (a window's pages
    placed after the split are in the new story already).
    """
    changed: set[str] = set()
    for change in changes:
        if isinstance(change, Merge):
            target, source = _resolve(conn, change.target), _resolve(conn, change.source)
            if target is None or source is None or target == source:
                continue
            _merge_rows(conn, target, source, automatic=True, now=now)
            changed.add(target)
            continue
        live = _resolve(conn, change.story)
        if live is None:
            continue
        members = set(_member_ids(conn, live))
        moved = [a for a in change.moved if a in members]
        if not moved or len(moved) == len(members):
            continue
        _split_rows(conn, live, moved, change.new_story, automatic=True, now=now)
        changed.update((live, change.new_story))
    return changed


def _resolve(conn: Connection, story_id: str) -> str | None:
    """The id ``story_id`` lives on as (itself, or the story it was merged into)."""
    seen: set[str] = set()
    current: str | None = story_id
    while current is not None and current not in seen:
        seen.add(current)
        row = conn.execute(sa.select(_S.merged_into).where(_S.id == current)).first()
        if row is None:
            return None
        if row.merged_into is None:
            return current
        current = row.merged_into
    return None


def _member_ids(conn: Connection, story_id: str) -> list[str]:
    stmt = sa.select(_SA.article_id).where(_SA.story_id == story_id).order_by(_SA.seq)
    return list(conn.scalars(stmt))


def _merge_rows(
    conn: Connection, target: str, source: str, *, automatic: bool, now: datetime
) -> None:
    """Move ``source``'s members into ``target`` (both live), retire ``source``, leave
    ``target`` stale and write the history row."""
    moved = list(conn.scalars(sa.select(_SA.article_id).where(_SA.story_id == source)))
    conn.execute(
        story_article_table.update()
        .where(_SA.story_id == source)
        .values(story_id=target, assigned_by="merge")
    )
    conn.execute(
        story_table.update()
        .where(_S.id == source)
        .values(merged_into=target, size=0, stale=False, updated_at=now)
    )
    conn.execute(story_table.update().where(_S.merged_into == source).values(merged_into=target))
    conn.execute(story_table.update().where(_S.id == target).values(stale=True))
    _history(conn, target, "merge", source, moved, automatic, now)


def _split_rows(
    conn: Connection,
    live: str,
    moved: Sequence[str],
    new_id: str,
    *,
    automatic: bool,
    now: datetime,
) -> None:
    """Move ``moved`` (members of the live story ``live``) into ``new_id``, created if new;
    both sides are left stale.

    Split ids are derived from the story and the pages moved (:func:`split_id`), so the
    clusterer can split the same pages off again after merging them back: the retired
    ``new_id`` then lives again, or its pages would sit in a story no list shows."""
    existing = conn.execute(sa.select(_S.merged_into).where(_S.id == new_id)).first()
    if existing is None:
        conn.execute(story_table.insert().values(_new_story(conn, new_id, now)))
    elif not automatic:
        raise StoreError(f"{live}: these articles were split off before, as {new_id}")
    elif existing.merged_into is not None:
        conn.execute(story_table.update().where(_S.id == new_id).values(merged_into=None))
    # else the clusterer split the story while storing a window, and the window's
    # later pages already joined the new story: the split only moves the rest
    for chunk in chunked(moved):
        conn.execute(
            story_article_table.update()
            .where(_SA.article_id.in_(chunk))
            .values(story_id=new_id, assigned_by="split")
        )
    conn.execute(story_table.update().where(_S.id.in_((live, new_id))).values(stale=True))
    _history(conn, live, "split", new_id, moved, automatic, now)


def placement_rows(
    conn: Connection, article_id: str, placement: StoryPlacement, now: datetime
) -> None:
    """Write an article's story membership (creating the story if new) inside the
    caller's transaction, and mark the story stale."""
    placements_rows(conn, [(article_id, placement)], now)


def placements_rows(
    conn: Connection, placed: Sequence[tuple[str, StoryPlacement]], now: datetime
) -> None:
    """:func:`placement_rows` for a window's articles, in their order, each statement run
    once for them all (new stories numbered and memberships sequenced as one by one)."""
    if not placed:
        return
    story_ids = list(dict.fromkeys(p.story_id for _, p in placed))
    existing: set[str] = set()
    for chunk in chunked(story_ids):
        existing.update(conn.scalars(sa.select(_S.id).where(_S.id.in_(chunk))))
    new = [sid for sid in story_ids if sid not in existing]
    if new:
        first = _new_story(conn, new[0], now)
        rows = [
            {**first, "id": sid, "created_seq": first["created_seq"] + i}
            for i, sid in enumerate(new)
        ]
        conn.execute(story_table.insert(), rows)
    if existing:
        for chunk in chunked([sid for sid in story_ids if sid in existing]):
            conn.execute(
                story_table.update().where(_S.id.in_(chunk)).values(stale=True, updated_at=now)
            )
    seq = _next_seq(conn)
    conn.execute(
        story_article_table.insert(),
        [
            {
                "article_id": article_id,
                "story_id": placement.story_id,
                "seq": seq + i,
                "features": dict(placement.features) if placement.features is not None else None,
                "assigned_by": placement.assigned_by,
            }
            for i, (article_id, placement) in enumerate(placed)
        ],
    )


def _next_seq(conn: Connection) -> int:
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(_SA.seq), 0))).scalar_one()) + 1


def _new_story(conn: Connection, story_id: str, now: datetime) -> dict[str, Any]:
    seq = conn.execute(sa.select(sa.func.coalesce(sa.func.max(_S.created_seq), 0))).scalar_one()
    return {
        "id": story_id,
        "title": None,
        "titles": {},
        "summary": None,
        "languages": {},
        "outlets": {},
        "first_published": None,
        "last_published": None,
        "top_entities": [],
        "size": 0,
        "score": 0.0,
        "merged_into": None,
        "stale": True,
        "created_seq": int(seq) + 1,
        "created_at": now,
        "updated_at": now,
    }


def _to_summary(row: Any) -> StorySummary:
    return StorySummary(
        id=row.id,
        title=row.title,
        titles=dict(row.titles or {}),
        summary=row.summary,
        languages=dict(row.languages or {}),
        outlets=dict(row.outlets or {}),
        first_published=date.fromisoformat(row.first_published) if row.first_published else None,
        last_published=date.fromisoformat(row.last_published) if row.last_published else None,
        top_entities=tuple(row.top_entities or ()),
        size=row.size,
        score=row.score,
    )


class StoryMethods:
    """Story queries and changes; mixed into :class:`storyline.store.Store`."""

    _connect: Any
    _errors: Any

    # ------------------------------------------------------------------ membership

    def story_placements(self) -> Iterator[tuple[str, str, dict[str, Any] | None]]:
        """``(article_id, story_id, features)`` in clustering order, streamed (to replay
        the clusterer)."""
        stmt = sa.select(_SA.article_id, _SA.story_id, _SA.features).order_by(_SA.seq)
        with self._errors("read"), self._connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=1000).execute(stmt)
            yield from ((row.article_id, row.story_id, row.features) for row in result)

    def story_features(self, article_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Article id → the clusterer's input as stored (``story_codec`` JSON), for those
        of ``article_ids`` that have one (a duplicate has none)."""
        found: dict[str, dict[str, Any]] = {}
        with self._errors("read"), self._connect() as conn:
            for chunk in chunked(article_ids):
                stmt = sa.select(_SA.article_id, _SA.features).where(_SA.article_id.in_(chunk))
                found.update((a, f) for a, f in conn.execute(stmt) if f is not None)
        return found

    def story_of(self, article_id: str) -> str | None:
        stmt = sa.select(_SA.story_id).where(_SA.article_id == article_id)
        with self._errors("read"), self._connect() as conn:
            return conn.execute(stmt).scalar_one_or_none()

    def stories_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Article id → story id, for those of ``article_ids`` that have one."""
        found: dict[str, str] = {}
        with self._errors("read"), self._connect() as conn:
            for chunk in chunked(article_ids):
                stmt = sa.select(_SA.article_id, _SA.story_id).where(_SA.article_id.in_(chunk))
                found.update((a, s) for a, s in conn.execute(stmt))
        return found

    def story_members(self, story_ids: Iterable[str]) -> dict[str, list[str]]:
        """Story id → member article ids in clustering order, for many stories at once."""
        wanted = list(dict.fromkeys(story_ids))
        found: dict[str, list[str]] = {sid: [] for sid in wanted}
        with self._errors("read"), self._connect() as conn:
            for chunk in chunked(wanted):
                stmt = (
                    sa.select(_SA.story_id, _SA.article_id)
                    .where(_SA.story_id.in_(chunk))
                    .order_by(_SA.seq)
                )
                for sid, aid in conn.execute(stmt):
                    found[sid].append(aid)
        return found

    def resolve_story(self, story_id: str) -> str | None:
        """The id ``story_id`` lives on as (itself, or the story it was merged into)."""
        with self._errors("read"), self._connect() as conn:
            return _resolve(conn, story_id)

    def story_article_ids(self, story_id: str) -> list[str]:
        """Member ids in clustering order."""
        with self._errors("read"), self._connect() as conn:
            return _member_ids(conn, story_id)

    def undated_members(self, story_ids: Iterable[str]) -> dict[str, list[str]]:
        """Story id → its members that state no publication date, or whose date was
        inferred from the story or read from a crawler's token: the pages their story's
        dates can date and complete, again whenever the story changes."""
        undated = sa.or_(_A.published.is_(None), _A.published_evidence.in_(REDATABLE))
        found: dict[str, list[str]] = {}
        with self._errors("read"), self._connect() as conn:
            for chunk in chunked(story_ids):
                stmt = (
                    sa.select(_SA.story_id, _A.id)
                    .join(article_table, _A.id == _SA.article_id)
                    .where(_SA.story_id.in_(chunk), undated)
                    .order_by(_SA.seq)
                )
                for sid, aid in conn.execute(stmt):
                    found.setdefault(sid, []).append(aid)
        return found

    def stated_days(self, story_ids: Iterable[str]) -> dict[str, list[date]]:
        """Story id → the publication days its members state (day-precise and not inferred:
        the page, its address or its container said so), in order; a story with none is
        no key. A date inferred from the text, a crawler's token or the story itself does
        not say when the story was. A few queries for many stories: the writer dates the
        pages of every story a window touched."""
        found: dict[str, list[date]] = {}
        with self._errors("read"), self._connect() as conn:
            for chunk in chunked(list(dict.fromkeys(story_ids))):
                stmt = (
                    sa.select(_SA.story_id, _A.published)
                    .join(story_article_table, _SA.article_id == _A.id)
                    .where(
                        _SA.story_id.in_(chunk),
                        _A.published.is_not(None),
                        _A.published_precision.in_(_EXACT),
                        _A.published_inferred.is_(False),
                    )
                )
                for sid, published in conn.execute(stmt):
                    found.setdefault(sid, []).append(published.date())
        return {sid: sorted(days) for sid, days in found.items()}

    # ------------------------------------------------------------------ reading

    def story(self, story_id: str) -> StorySummary | None:
        """The story (following merges: a retired id gives the story it became)."""
        resolved = self.resolve_story(story_id)
        if resolved is None:
            return None
        with self._errors("read"), self._connect() as conn:
            row = conn.execute(sa.select(story_table).where(_S.id == resolved)).first()
        return _to_summary(row) if row is not None else None

    def stories(
        self,
        *,
        lang: str | None = None,
        outlet: str | None = None,
        outlets: Sequence[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StorySummary]:
        """Live stories matching every filter, most important first (see
        :mod:`storyline.assemble.surface`). ``lang``/``outlet``/``outlets``: at least one
        member in that language / from that outlet / from any of those outlets (an empty
        ``outlets`` matches nothing: a group with no known outlet covers no story);
        ``since``/``until``: the story's span overlaps ``[since, until)``."""
        stmt = _story_filters(sa.select(story_table), lang, outlet, outlets, since, until)
        stmt = paged(stmt.order_by(_S.score.desc(), _S.id), limit, offset)
        with self._errors("read"), self._connect() as conn:
            return [_to_summary(row) for row in conn.execute(stmt)]

    def count_stories(
        self,
        *,
        lang: str | None = None,
        outlet: str | None = None,
        outlets: Sequence[str] | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> int:
        stmt = _story_filters(
            sa.select(sa.func.count()).select_from(story_table),
            lang,
            outlet,
            outlets,
            since,
            until,
        )
        with self._errors("read"), self._connect() as conn:
            return int(conn.execute(stmt).scalar_one())

    def story_history(self, story_id: str) -> list[StoryChange]:
        """Merges and splits that touched ``story_id`` (either side), oldest first."""
        stmt = (
            sa.select(story_history_table)
            .where(sa.or_(_SH.story_id == story_id, _SH.other_story_id == story_id))
            .order_by(_SH.id)
        )
        with self._errors("read"), self._connect() as conn:
            return [
                StoryChange(
                    story_id=r.story_id,
                    action=r.action,
                    other_story_id=r.other_story_id,
                    article_ids=tuple(r.article_ids),
                    automatic=bool(r.automatic),
                    at=r.at,
                )
                for r in conn.execute(stmt)
            ]

    # ------------------------------------------------------------------ surface

    def stale_stories(self) -> list[str]:
        stmt = sa.select(_S.id).where(_S.stale.is_(True)).order_by(_S.created_seq)
        with self._errors("read"), self._connect() as conn:
            return list(conn.scalars(stmt))

    def surface_inputs(self, story_id: str, latest: int) -> SurfaceInputs:
        """What the surface of ``story_id`` is computed from, read in one transaction:
        its ``latest`` members with their entity ids and counts over all its members."""
        return self.many_surface_inputs([story_id], latest)[0]

    def many_surface_inputs(self, story_ids: Sequence[str], latest: int) -> list[SurfaceInputs]:
        """:meth:`surface_inputs` of many stories, read together: a statement per table for
        them all instead of eight per story (a window leaves a score of stories stale)."""
        with self._errors("read"), self._connect() as conn:
            return _many_surface_inputs(conn, list(dict.fromkeys(story_ids)), latest)

    def save_surfaces(self, computed: Sequence[tuple[SurfaceInputs, Surface]]) -> int:
        """:meth:`save_surface` of many stories in one transaction, one statement per step
        for them all; returns how many were saved."""
        if not computed:
            return 0
        now = datetime.now(UTC)
        with (
            self._errors("update stories in"),
            self._connect(write=True) as conn,
            conn.begin(),
        ):
            ids = [inputs.story_id for inputs, _ in computed]
            for chunk in chunked(ids):
                # a concurrent change of these stories waits for this save
                conn.execute(sa.select(_S.id).where(_S.id.in_(chunk)).with_for_update())
            versions = _versions(conn, ids)
            rows = [
                {"b_id": inputs.story_id, **_surface_values(found), "updated_at": now}
                for inputs, found in computed
                if versions.get(inputs.story_id, (0, 0, 0)) == inputs.version
            ]
            if rows:
                conn.execute(story_table.update().where(_S.id == sa.bindparam("b_id")), rows)
        return len(rows)

    def save_surface(self, inputs: SurfaceInputs, found: Surface) -> bool:
        """Save the surface ``found`` computed from ``inputs`` and clear ``stale``, unless
        the story's membership changed since ``inputs`` were read (the story then stays
        stale for the next refresh, and this returns false)."""
        return self.save_surfaces([(inputs, found)]) == 1

    # ------------------------------------------------------------------ maintenance

    def merge_stories(self, target: str, source: str, *, automatic: bool = False) -> str:
        """Move every article of ``source`` into ``target``; ``source`` then resolves to
        ``target``. Returns the id of the story that remains, left stale for the caller to
        refresh (:func:`storyline.assemble.surface.refresh_stories`)."""
        target_id, source_id = self.live_story(target), self.live_story(source)
        if target_id == source_id:
            raise StoreError(f"{source}: already part of story {target_id}")
        with self._errors("merge stories in"), self._connect(write=True) as conn, conn.begin():
            _merge_rows(conn, target_id, source_id, automatic=automatic, now=datetime.now(UTC))
        return target_id

    def split_story(
        self,
        story_id: str,
        article_ids: Sequence[str],
        *,
        automatic: bool = False,
        new_id: str | None = None,
    ) -> str:
        """Move ``article_ids`` (members of ``story_id``) into a new story; returns its id
        (``new_id`` when given, as the clusterer named it, else :func:`split_id`). Both
        stories are left stale for the caller to refresh."""
        live = self.live_story(story_id)
        members = set(self.story_article_ids(live))
        wanted = list(dict.fromkeys(article_ids))
        strangers = [a for a in wanted if a not in members]
        if strangers:
            raise StoreError(f"{live}: not a member of this story: {', '.join(strangers)}")
        if not wanted or len(wanted) == len(members):
            raise StoreError(f"{live}: a split must leave at least one article on each side")
        new_id = new_id or split_id(live, wanted)
        with self._errors("split a story in"), self._connect(write=True) as conn, conn.begin():
            _split_rows(conn, live, wanted, new_id, automatic=automatic, now=datetime.now(UTC))
        return new_id

    def apply_story_changes(self, changes: Sequence[Merge | Split]) -> set[str]:
        """:func:`apply_story_changes` in a transaction of its own (the ingest writes them
        with their window through :meth:`Store.add_articles`); the changed stories are
        left stale for the caller to date and refresh."""
        if not changes:
            return set()
        with self._errors("change stories in"), self._connect(write=True) as conn, conn.begin():
            return apply_story_changes(conn, changes, datetime.now(UTC))

    def live_story(self, story_id: str) -> str:
        """The id ``story_id`` lives on as; :class:`StoryNotFound` when there is none, so
        every command and route says so the same way."""
        resolved = self.resolve_story(story_id)
        if resolved is None:
            raise StoryNotFound(f"no story {story_id} in the store")
        return resolved


def _history(
    conn: Connection,
    story_id: str,
    action: str,
    other: str,
    article_ids: Sequence[str],
    automatic: bool,
    now: datetime,
) -> None:
    conn.execute(
        story_history_table.insert().values(
            story_id=story_id,
            action=action,
            other_story_id=other,
            article_ids=list(article_ids),
            automatic=automatic,
            at=now,
        )
    )


def _story_filters(
    stmt: Any,
    lang: str | None,
    outlet: str | None,
    outlets: Sequence[str] | None,
    since: date | None,
    until: date | None,
) -> Any:
    """The story filters; member filters (language, outlets) hold for one same member."""
    stmt = stmt.where(_S.merged_into.is_(None), _S.size > 0)
    if lang is not None or outlet is not None or outlets is not None:
        members = sa.select(_SA.story_id).join(article_table, _A.id == _SA.article_id)
        if lang is not None:
            members = members.where(_A.lang == lang)
        if outlet is not None:
            members = members.where(_A.outlet == outlet)
        if outlets is not None:
            members = members.where(_A.outlet.in_(list(dict.fromkeys(outlets))))
        stmt = stmt.where(_S.id.in_(members))
    if since is not None:
        stmt = stmt.where(_S.last_published >= since.isoformat())
    if until is not None:
        stmt = stmt.where(_S.first_published < until.isoformat())
    return stmt


def _many_surface_inputs(
    conn: Connection, story_ids: list[str], latest: int
) -> list[SurfaceInputs]:
    """What each of ``story_ids``' surface is computed from (:meth:`StoryMethods.surface_inputs`),
    a few statements for them all."""
    seqs: dict[str, list[tuple[int, str]]] = {sid: [] for sid in story_ids}
    langs: dict[str, dict[str, int]] = {sid: {} for sid in story_ids}
    outlets: dict[str, dict[str, int]] = {sid: {} for sid in story_ids}
    unknown: dict[str, int] = dict.fromkeys(story_ids, 0)
    spans: dict[str, tuple[Any, Any]] = {}
    for chunk in chunked(story_ids):
        for sid, aid, seq in conn.execute(
            sa.select(_SA.story_id, _SA.article_id, _SA.seq).where(_SA.story_id.in_(chunk))
        ):
            seqs[sid].append((int(seq), aid))
        joined = sa.select(_SA.story_id).join(article_table, _A.id == _SA.article_id)
        joined = joined.where(_SA.story_id.in_(chunk))
        for column, counts in ((_A.lang, langs), (_A.outlet, outlets)):
            stmt = joined.add_columns(column, sa.func.count()).where(column.is_not(None))
            for sid, value, n in conn.execute(stmt.group_by(_SA.story_id, column)):
                counts[sid][value] = int(n)
        stmt = joined.add_columns(sa.func.count()).where(_A.outlet.is_(None))
        unknown.update((sid, int(n)) for sid, n in conn.execute(stmt.group_by(_SA.story_id)))
        # the span from day-precise dates when any member has one (a month-only date
        # reads as the 1st and would stretch the span)
        bounds = joined.add_columns(sa.func.min(_A.published), sa.func.max(_A.published))
        exact = _A.published_precision.in_(_EXACT)
        for sid, first, last in conn.execute(bounds.where(exact).group_by(_SA.story_id)):
            if first is not None:
                spans[sid] = (first, last)
        rest = [sid for sid in chunk if sid not in spans]
        if rest:
            stmt = bounds.where(_SA.story_id.in_(rest)).group_by(_SA.story_id)
            spans.update((sid, (first, last)) for sid, first, last in conn.execute(stmt))
    newest = {
        sid: [aid for _, aid in sorted(members, reverse=True)[:latest]]
        for sid, members in seqs.items()
    }
    wanted = [aid for ids in newest.values() for aid in ids]
    articles = {}
    entity_sets: dict[str, set[str]] = {aid: set() for aid in wanted}
    for chunk in chunked(wanted):
        stmt = sa.select(*ARTICLE_COLUMNS).where(_A.id.in_(chunk))
        articles.update((row.id, to_article(row)) for row in conn.execute(stmt))
        for article_id, entity_id in conn.execute(
            sa.select(_M.article_id, _M.entity_id).where(
                _M.article_id.in_(chunk), _M.entity_id.is_not(None), _M.type.in_(_STORY_TYPES)
            )
        ):
            entity_sets[article_id].add(entity_id)
    df = _entity_df(conn, set().union(*entity_sets.values()))
    found = []
    for sid in story_ids:
        members = seqs[sid]
        named = set().union(*(entity_sets[a] for a in newest[sid]))
        first, last = spans.get(sid, (None, None))
        found.append(
            SurfaceInputs(
                story_id=sid,
                members=tuple(
                    Member(articles[a], frozenset(entity_sets[a]))
                    for a in reversed(newest[sid])
                    if a in articles
                ),
                size=len(members),
                languages=_by_count(langs[sid]),
                outlets=_by_count(outlets[sid]),
                unknown_outlets=unknown[sid],
                span=(_as_day(first), _as_day(last)),
                df={e: df[e] for e in sorted(named) if e in df},
                version=_members_version([seq for seq, _ in members]),
            )
        )
    return found


def _by_count(counts: dict[str, int]) -> dict[str, int]:
    """Most frequent first, ties by value."""
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _members_version(seqs: Sequence[int]) -> tuple[int, int, int]:
    """The membership as count, sum and max of the members' sequence numbers: a placement
    adds a new, larger number; a merge or a split changes the count."""
    return len(seqs), sum(seqs), max(seqs, default=0)


def _versions(conn: Connection, story_ids: Sequence[str]) -> dict[str, tuple[int, int, int]]:
    """:func:`_members_version` of each of ``story_ids`` that has members."""
    found = {}
    for chunk in chunked(story_ids):
        stmt = (
            sa.select(_SA.story_id, sa.func.count(), sa.func.sum(_SA.seq), sa.func.max(_SA.seq))
            .where(_SA.story_id.in_(chunk))
            .group_by(_SA.story_id)
        )
        found.update((sid, (int(n), int(t), int(m))) for sid, n, t, m in conn.execute(stmt))
    return found


def _surface_values(found: Surface) -> dict[str, Any]:
    """The story columns a surface sets (and ``stale`` cleared)."""
    return {
        "title": found.title,
        "titles": found.titles,
        "summary": found.summary,
        "languages": found.languages,
        "outlets": found.outlets,
        "first_published": _iso(found.first_published),
        "last_published": _iso(found.last_published),
        "top_entities": list(found.top_entities),
        "size": found.size,
        "score": found.score,
        "stale": False,
    }


def _entity_df(conn: Connection, entity_ids: set[str]) -> dict[str, int]:
    wanted = sorted(entity_ids)
    df: dict[str, int] = {}
    for chunk in chunked(wanted):
        stmt = (
            sa.select(_M.entity_id, sa.func.count(sa.distinct(_M.article_id)))
            .where(_M.entity_id.in_(chunk))
            .group_by(_M.entity_id)
        )
        df.update((e, int(n)) for e, n in conn.execute(stmt))
    return df


def _as_day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


__all__ = [
    "StoryChange",
    "StoryMethods",
    "StoryNotFound",
    "StoryPlacement",
    "StorySummary",
    "apply_story_changes",
    "placement_rows",
    "placements_rows",
]
