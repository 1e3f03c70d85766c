"""Watches and digests on real pages: the seeds ingested in two batches, a moment between.

What a digest calls new must come from the second batch only: every event it lists is
reported by second-batch pages alone, and events the first batch already reported are
not repeated, though the second batch reports them again.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paths import seed
from storyline.assemble.timeline import story_account
from storyline.cli import app
from storyline.config import Settings
from storyline.display import outlet_label, published_sort_key
from storyline.document import Article
from storyline.ingest import ingest
from storyline.report.digest import digest, render_digests
from storyline.report.notify import notify
from storyline.store import Store, WatchTargetNotFound

FIRST = ["000", "001", "002"]
SECOND = ["003", "004"]


def _ingest(store: Store, url: str, prefixes: list[str]) -> list[str]:
    report = ingest([str(seed(p)) for p in prefixes], store, Settings.from_env(db_url=url))
    assert report.ok
    return list(report.article_ids)


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str], list[str], datetime]:
    """The store URL, the first and second batch's article ids, and a moment between."""
    url = f"sqlite:///{tmp_path_factory.mktemp('watch') / 'w.db'}"
    with Store.open(url) as store:
        first = _ingest(store, url, FIRST)
        time.sleep(0.01)
        between = datetime.now(UTC)
        time.sleep(0.01)
        second = _ingest(store, url, SECOND)
    return url, first, second, between


def store_articles(url: str, ids: list[str]) -> list[Article]:
    with Store.open(url) as store:
        return store.articles_by_id(ids)


def test_a_watch_is_stored_once_per_target_and_removed(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'w.db'}") as store:
        one = store.add_watch("query", "  переговори у Женеві ", label="talks")
        again = store.add_watch("query", "переговори у Женеві")
        assert again.id == one.id and again.label == "talks"
        assert [w.id for w in store.watches()] == [one.id]
        assert store.remove_watch(one.id) is True
        assert store.remove_watch(one.id) is False
        assert store.watches() == []


def test_a_watch_on_an_unknown_entity_or_story_is_refused(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'w.db'}") as store:
        with pytest.raises(WatchTargetNotFound):
            store.add_watch("entity", "e_nothing")
        with pytest.raises(WatchTargetNotFound):
            store.add_watch("story", "s_nothing")
        with pytest.raises(ValueError):
            store.add_watch("outlet", "bbc.com")


def test_digest_lists_events_of_new_pages_and_nothing_old(
    batches: tuple[str, list[str], list[str], datetime],
) -> None:
    url, first, second, between = batches
    with Store.open(url) as store:
        (story_id,) = {store.story_of(a) for a in first + second}
        watch = store.add_watch("story", story_id)
        found = digest(store, watch, between)
        account = story_account(store, story_id)
    (news,) = found.stories
    assert set(news.new_articles) == set(second)
    assert news.events, "the second batch's pages report events of their own"
    for event in news.events:
        assert set(event.article_ids) <= set(second)
    listed = {e.event_id for e in news.events}
    old = [e for e in account.events if {s.article_id for s in e.sources} & set(first)]
    assert old and not listed & {e.id for e in old}


def test_digest_since_now_is_empty_and_since_before_everything_lists_all(
    batches: tuple[str, list[str], list[str], datetime],
) -> None:
    url, first, second, _ = batches
    with Store.open(url) as store:
        (story_id,) = {store.story_of(a) for a in first}
        watch = store.add_watch("story", story_id)
        assert digest(store, watch, datetime.now(UTC)).stories == ()
        (everything,) = digest(store, watch, datetime(2000, 1, 1, tzinfo=UTC)).stories
    assert set(everything.new_articles) == set(first + second)
    # first reported by: the earliest page's outlet, None when that page names none
    # (never a later page's, though the seeds' only named outlet reports most events)
    pages = {a.id: a for a in store_articles(url, first + second)}
    for event in everything.events:
        earliest = min(
            (pages[a] for a in event.article_ids), key=lambda a: (published_sort_key(a), a.id)
        )
        assert event.first_outlet == outlet_label(earliest.outlet), event.title


def test_an_entity_watch_follows_the_stories_it_is_mentioned_in(
    batches: tuple[str, list[str], list[str], datetime],
) -> None:
    url, _, second, between = batches
    with Store.open(url) as store:
        mentioned = store.articles_annotations(second)
        entity_id = next(
            e["entity_id"] for a in second for e in mentioned[a].entities if e.get("entity_id")
        )
        watch = store.add_watch("entity", entity_id)
        found = digest(store, watch, between)
        assert store.entity_article_ids(entity_id)
    assert found.stories and found.stories[0].new_articles


def test_markdown_digest_escapes_scraped_and_typed_words(
    batches: tuple[str, list[str], list[str], datetime],
) -> None:
    url, _, _, between = batches
    with Store.open(url) as store:
        watch = store.add_watch("query", "Лавров", label="[x](javascript:1)")
        text = render_digests([digest(store, watch, between)], "md")
    assert "## \\[x\\]\\(javascript:1\\)" in text
    assert "](javascript" not in text
    assert "- New event: " in text


def test_cli_watch_add_list_rm_and_digest(
    batches: tuple[str, list[str], list[str], datetime],
) -> None:
    url, _, _, between = batches
    runner = CliRunner()
    added = runner.invoke(app, ["watch", "add", "--query", "Женева", "--db", url])
    assert added.exit_code == 0, added.output
    watch_id = added.output.split("\t")[0]
    listed = runner.invoke(app, ["watch", "list", "--db", url])
    assert watch_id in listed.output
    since = between.strftime("%Y-%m-%dT%H:%M:%S.%f")
    text = runner.invoke(app, ["digest", "--since", since, "--db", url, "--watch", watch_id])
    assert text.exit_code == 0, text.output
    assert text.output.startswith("What is new since")
    md = runner.invoke(app, ["digest", "--since", since, "--format", "md", "--db", url])
    assert md.output.startswith("# What is new since")
    assert runner.invoke(app, ["watch", "rm", watch_id, "--db", url]).exit_code == 0
    assert runner.invoke(app, ["watch", "rm", watch_id, "--db", url]).exit_code == 1


class _Receiver(BaseHTTPRequestHandler):
    """Answers the statuses queued on its server, then 200; keeps every body posted."""

    def do_POST(self) -> None:
        server = self.server
        length = int(self.headers.get("Content-Length", 0))
        server.bodies.append(json.loads(self.rfile.read(length)))  # type: ignore[attr-defined]
        queued = server.statuses  # type: ignore[attr-defined]
        self.send_response(queued.pop(0) if queued else 200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    server.bodies, server.statuses = [], []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_webhook_gets_the_digest_after_a_busy_answer_and_gives_up_on_a_dead_one(
    batches: tuple[str, list[str], list[str], datetime], receiver: HTTPServer
) -> None:
    url, _, second, between = batches
    address = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    with Store.open(url) as store:
        story_id = store.story_of(second[0]) or ""
        live = store.add_watch("story", story_id, webhook=address)
        dead = store.add_watch("query", "Женева", webhook="http://127.0.0.1:9/closed")
        quiet = store.add_watch("query", "pumpkins honey", webhook=address)
        digests = [digest(store, w, between) for w in (live, dead, quiet)]
        with pytest.raises(ValueError):
            store.add_watch("query", "x", webhook="file:///etc/passwd")
    receiver.statuses.append(503)  # type: ignore[attr-defined]
    deliveries = notify(digests, attempts=3, timeout=2.0, backoff=0.01)
    by_watch = {d.watch_id: d for d in deliveries}
    assert quiet.id not in by_watch, "nothing new: nothing posted"
    assert by_watch[live.id].ok and by_watch[live.id].attempts == 2
    assert not by_watch[dead.id].ok and by_watch[dead.id].attempts == 3
    bodies = [b for b in receiver.bodies if b["id"] == live.id]  # type: ignore[attr-defined]
    assert len(bodies) == 2 and bodies[0] == bodies[1], "the retry posts the same digest"
    body = bodies[-1]
    (news,) = body["stories"]
    assert set(news["new_article_ids"]) == set(second)
    assert all(set(e["article_ids"]) <= set(second) for e in news["events"])
