"""What an ingest leaves in a store, and a runner that processes each page once per session.

The concurrency and crash tests compare a store with the one a plain, uninterrupted,
one-at-a-time ingest of the same inputs gives: :func:`snapshot` is everything those
runs must agree on, read through the store's own tables (so SQLite and PostgreSQL read
the same), and :class:`CachedRunner` makes the reference runs cheap (extraction and
annotation are pure, so a page processed with the same line statistics gives the same
result every time).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from storyline.config import Settings
from storyline.ingest import IngestReport, LocalRunner, Results, Window, ingest, process_one
from storyline.store import Store
from storyline.store.accounts import story_account_table
from storyline.store.models import (
    article_table,
    date_mention_table,
    entity_table,
    mention_table,
    story_article_table,
    story_history_table,
    story_table,
)

_CACHE: dict[tuple[str, str, tuple[str, ...], bool], Any] = {}


class CachedRunner(LocalRunner):
    """In this process, each (page, line statistics) processed once per test session."""

    def run(
        self, windows: Iterable[Window], languages: tuple[str, ...], annotate: bool
    ) -> Iterator[tuple[Window, Results]]:
        for window in windows:
            results = []
            for raw, stats in zip(window.documents, window.stats, strict=True):
                key = (raw.sha256, repr(stats), languages, annotate)
                if key not in _CACHE:
                    _CACHE[key] = process_one(raw, languages, stats, annotate)
                results.append(_CACHE[key])
            yield window, results


def ingest_here(url: str, inputs: Iterable[str], **kwargs: Any) -> IngestReport:
    """One plain ingest in this process (the reference the tests compare with)."""
    with Store.open(url) as store:
        return ingest(
            list(inputs), store, Settings.from_env(db_url=url), runner=CachedRunner(), **kwargs
        )


def cli_ingest(url: str, *inputs: Path | str) -> subprocess.Popen[str]:
    """``storyline ingest`` in a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "storyline", "ingest", *map(str, inputs), "--db", url, "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def pages(folder: Path, numbers: range, source: Path) -> Path:
    """A folder of links to the dev pages ``numbers`` (``001.txt``…)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        (folder / f"{n:03d}.txt").symlink_to(source / f"{n:03d}.txt")
    return folder


def _rows(conn: sa.Connection, *columns: Any) -> list[tuple[Any, ...]]:
    return sorted(tuple(row) for row in conn.execute(sa.select(*columns)))


def snapshot(url: str, *, display_names: bool = True) -> dict[str, Any]:
    """Articles, entities, mention links, story membership, stories, their history, the
    dates and the stored story accounts: what concurrent or resumed ingests must leave as
    a plain one does.

    ``display_names=False`` leaves out the entities' display name: the linker rebuilt
    after a kill does not know how often each name form was seen (README, "Known
    difference after a resume"), so a resumed run may name an entity another way."""
    a, e, m = article_table.c, entity_table.c, mention_table.c
    s, sa_, sh, d = (
        story_table.c,
        story_article_table.c,
        story_history_table.c,
        date_mention_table.c,
    )
    ac = story_account_table.c
    with Store(url) as store, store.engine.connect() as conn:
        history = [
            (r.story_id, r.action, r.other_story_id, tuple(r.article_ids), bool(r.automatic))
            for r in conn.execute(
                sa.select(
                    sh.story_id, sh.action, sh.other_story_id, sh.article_ids, sh.automatic
                ).order_by(sh.id)
            )
        ]
        return {
            "articles": _rows(conn, a.id, a.doc_sha256, a.duplicate_of),
            "entities": sorted(
                (
                    r.id,
                    r.type,
                    r.name if display_names else None,
                    sorted((r.names or {}).items()),
                    tuple(r.aliases or ()),
                    tuple(r.roles or ()),
                )
                for r in conn.execute(sa.select(e.id, e.type, e.name, e.names, e.aliases, e.roles))
            ),
            "mentions": _rows(conn, m.article_id, m.seq, m.entity_id),
            "membership": _rows(conn, sa_.article_id, sa_.story_id, sa_.assigned_by),
            "stories": _rows(
                conn,
                s.id,
                s.merged_into,
                s.size,
                s.title,
                s.first_published,
                s.last_published,
                s.stale,
            ),
            "history": history,
            "dates": _rows(conn, d.article_id, d.seq, d.value, d.inferred),
            "accounts": _rows(conn, ac.story_id, ac.key, ac.body),
        }
