"""A batch killed right after a window is committed, then run again, ends as one run.

Killed between a window's commit and the story merges it caused, a batch used to lose
the merge for good (the replayed clusterer only places, never merges: 24 stories
instead of 22, one merge missing from ``story_history``), and the yearless dates of
the window's undated pages stayed unresolved. Now a window's merges and splits are
committed with it, and what comes after (dates, surfaces) is redone by the next run
from the stories the window left stale.

Every window boundary of 56 dev pages in windows of 8 is tested in this process (the
"kill" an exception right after the commit returns); the boundary whose window merged
stories is tested again with a real SIGKILL of a ``storyline ingest`` process. The
entities' display names are left out of the comparison (see :func:`ingest_probe.snapshot`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ingest_probe import ingest_here, pages, snapshot
from paths import DEV
from storyline import ingest as ingest_module
from storyline.store import Store
from storyline.store.models import story_history_table

pytestmark = pytest.mark.slow

WINDOW = 8
PAGES = range(1, 57)
WINDOWS = len(PAGES) // WINDOW

_KILLER = """
import os, signal, sys
from storyline import ingest as ingest_module
from storyline.cli import app
from storyline.store import Store

window, kill_after = int(sys.argv[1]), int(sys.argv[2])
read = ingest_module._Reader.windows
ingest_module._Reader.windows = lambda self, documents, size=0: read(self, documents, window)
add = Store.add_articles
calls = []

def add_then_die(self, *args, **kwargs):
    stored = add(self, *args, **kwargs)
    calls.append(1)
    if len(calls) == kill_after:
        os.kill(os.getpid(), signal.SIGKILL)
    return stored

Store.add_articles = add_then_die
app(args=sys.argv[3:])
"""
"""``storyline ingest`` in windows of ``argv[1]`` pages, SIGKILLed by itself right after
the ``argv[2]``-th window is committed."""


class _Killed(BaseException):
    """The in-process stand-in for SIGKILL: nothing after the commit runs."""


def _history_rows(url: str) -> int:
    with Store(url) as store, store.engine.connect() as conn:
        return int(
            conn.execute(sa.select(sa.func.count()).select_from(story_history_table)).scalar_one()
        )


def _small_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    read = ingest_module._Reader.windows

    def windows(self: Any, documents: Any, size: int = 0) -> Iterator[Any]:
        return read(self, documents, WINDOW)

    monkeypatch.setattr(ingest_module._Reader, "windows", windows)


@pytest.fixture
def small_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    _small_windows(monkeypatch)


def _watch_commits(
    monkeypatch: pytest.MonkeyPatch, url: str, kill_after: int | None = None
) -> list[int]:
    """Count the window commits; raise :class:`_Killed` right after the ``kill_after``-th.
    Returns, filled as the run goes, the story history rows seen before each commit."""
    add = Store.add_articles
    before: list[int] = []

    def add_then_die(self: Store, *args: Any, **kwargs: Any) -> list[bool]:
        before.append(_history_rows(url))
        stored = add(self, *args, **kwargs)
        if len(before) == kill_after:
            raise _Killed
        return stored

    monkeypatch.setattr(Store, "add_articles", add_then_die)
    return before


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pages(tmp_path_factory.mktemp("corpus") / "pages", PAGES, DEV / "articles")


@pytest.fixture(scope="module")
def uninterrupted(
    corpus: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], int]:
    """The store of one uninterrupted run, and the first window but the last that merged
    or split stories (its changes are in the history before the next window's commit; a
    kill after the last window loses nothing); run once for every test of the module."""
    url = f"sqlite:///{tmp_path_factory.mktemp('uninterrupted') / 'uninterrupted.db'}"
    with pytest.MonkeyPatch.context() as monkeypatch:
        _small_windows(monkeypatch)
        before = _watch_commits(monkeypatch, url)
        assert ingest_here(url, [str(corpus)]).ok
    assert len(before) == WINDOWS
    counts = [*before, _history_rows(url)]
    changed = [k for k in range(1, WINDOWS) if counts[k] > counts[k - 1]]
    assert changed, "no window of the corpus merges or splits stories: nothing to lose"
    return snapshot(url, display_names=False), changed[0]


@pytest.mark.parametrize("kill_after", range(1, WINDOWS + 1))
def test_killed_after_a_committed_window_then_rerun(
    kill_after: int,
    corpus: Path,
    tmp_path: Path,
    uninterrupted: tuple[dict[str, Any], int],
    small_windows: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    add = Store.add_articles
    _watch_commits(monkeypatch, url, kill_after)
    with pytest.raises(_Killed):
        ingest_here(url, [str(corpus)])
    monkeypatch.setattr(Store, "add_articles", add)
    assert ingest_here(url, [str(corpus)]).ok
    assert snapshot(url, display_names=False) == uninterrupted[0]


def test_sigkill_after_the_window_that_merged(
    corpus: Path, tmp_path: Path, uninterrupted: tuple[dict[str, Any], int], small_windows: None
) -> None:
    reference, merging_window = uninterrupted
    db = tmp_path / "sigkilled.db"
    url = f"sqlite:///{db}"
    command = ["ingest", str(corpus), "--db", url, "-q"]
    killed = subprocess.run(
        [sys.executable, "-c", _KILLER, str(WINDOW), str(merging_window), *command],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    stored = snapshot(url)
    assert 0 < len(stored["articles"]) < len(PAGES)
    assert ingest_here(url, [str(corpus)]).ok  # the re-run
    assert snapshot(url, display_names=False) == reference
