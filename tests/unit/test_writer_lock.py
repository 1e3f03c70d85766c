"""The store's writer lock: one holder at a time, a waiting writer told once, a bounded
wait that ends in :class:`WriterBusy` naming the store."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.document import Article, RawDocument
from storyline.store import Store, StoryPlacement, WriterBusy
from storyline.store.lock import lock_file


def _contended(first: Store, second: Store) -> tuple[list[str], str]:
    """``second`` asks for the lock (for at most 0.3 s) while ``first`` holds it."""
    heard: list[str] = []
    with (
        first.writer(),
        pytest.raises(WriterBusy) as busy,
        second.writer(on_wait=heard.append, timeout=0.3),
    ):
        pass
    return heard, str(busy.value)


def test_a_second_writer_waits_and_is_told_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store.open(url) as first, Store(url) as second:
        heard, busy = _contended(first, second)
        assert len(heard) == 1 and "\n" not in heard[0]
        assert "another ingest is writing" in heard[0] and "store.db-writer.lock" in heard[0]
        assert "store.db" in busy and "more than 0.3 s" in busy
        with second.writer(on_wait=heard.append, timeout=0.3):  # free again
            pass
    assert len(heard) == 1
    assert lock_file(first.url) == Path(f"{tmp_path / 'store.db'}-writer.lock")


@pytest.mark.postgres
def test_postgres_writers_queue_on_the_advisory_lock(pg_url: str) -> None:
    """Two sessions on one database: the lock is the server's, not a file's."""
    with Store.open(pg_url) as first, Store(pg_url) as second:
        heard, busy = _contended(first, second)
        assert len(heard) == 1 and "advisory lock" in heard[0]
        assert "more than 0.3 s" in busy
        with second.writer(timeout=0.3):  # released with the first's block
            pass


def test_the_lock_is_held_across_threads_of_one_process(tmp_path: Path) -> None:
    """flock belongs to the open file: a thread of the same process queues too (the web
    server answers POSTs from a thread pool)."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    order: list[str] = []
    with Store.open(url) as store:

        def other() -> None:
            with store.writer():
                order.append("other")

        with store.writer():
            thread = threading.Thread(target=other)
            thread.start()
            time.sleep(0.3)  # the other thread asks meanwhile; unlocked, it would go first
            order.append("first")
        thread.join(5)
    assert order == ["first", "other"]


def test_in_memory_stores_lock_within_the_process() -> None:
    with Store.open("sqlite://") as store:
        heard, busy = _contended(store, store)
    assert len(heard) == 1 and "in this process" in heard[0]
    assert "more than 0.3 s" in busy


def test_a_merge_by_hand_waits_for_the_writer(tmp_path: Path) -> None:
    """``storyline stories merge`` (and ``split``) take the lock too: a running ingest's
    clusterer would not see the change."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store.open(url) as store:
        for name in ("a", "b"):
            doc = RawDocument(source=f"{name}.txt", data=f"Page {name}.".encode())
            article = Article(id=doc.article_id, source=doc.source, text=f"Page {name}.")
            assert store.add_article(doc, article, story=StoryPlacement(f"s_{name}"))
        held, release = threading.Event(), threading.Event()

        def ingest_meanwhile() -> None:
            with store.writer():
                held.set()
                release.wait(5)

        thread = threading.Thread(target=ingest_meanwhile)
        thread.start()
        held.wait(5)
        threading.Timer(0.5, release.set).start()
        result = CliRunner().invoke(app, ["stories", "merge", "s_a", "s_b", "--db", url])
        thread.join(5)
        assert result.exit_code == 0, result.output
        assert "another ingest is writing" in result.stderr
        assert store.resolve_story("s_b") == "s_a"
