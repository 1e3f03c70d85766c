"""Fixtures for the web tests: stores built from the five real seed pages, apps, servers.

The demo store is built once per session (ingest takes a few seconds) and only
read; tests that write (POST ingest) get a fresh store of their own.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from paths import REPO
from storyline.assemble.surface import refresh_stories
from storyline.config import Settings
from storyline.ingest import ingest
from storyline.store import Store
from storyline.web import create_app

EXAMPLES = REPO / "examples"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
TOKEN = "s3cret-token-for-tests"


def xss_page() -> bytes:
    """A JSONL page whose title and body carry script and onerror payloads."""
    body = "\n".join(
        [
            f"The annual harvest fair opened in the village square on Saturday {SCRIPT} morning.",
            f"Farmers brought pumpkins, apples and honey from the nearby valleys {IMG}.",
            "A brass band played while children judged the largest pumpkin of the year.",
            "Organisers expect the fair to draw more visitors than last autumn.",
        ]
    )
    record = {
        "id": "xss-1",
        "url": "https://evil.example/news/1",
        "title": f"{SCRIPT} Harvest fair opens {IMG}",
        "text": body,
        "lang": "en",
        "outlet": "evil.example",
        "published": "2022-01-10T09:00:00",
    }
    return (json.dumps(record) + "\n").encode()


def settings_for(url: str, **overrides: object) -> Settings:
    return Settings.from_env(db_url=url, **overrides)


CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialing out of a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (no browser download), closed on exit."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run `make system-deps`", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def copy_store(url: str, path: Path) -> str:
    """A copy of the SQLite store at ``url`` in ``path`` (the shared demo store stays
    read-only); the copy's URL."""
    source, target = sqlite3.connect(url.removeprefix("sqlite:///")), sqlite3.connect(path)
    with source, target:
        source.backup(target)
    source.close()
    target.close()
    return f"sqlite:///{path}"


@contextmanager
def live_server(url: str, start_timeout: float = 30.0) -> Iterator[str]:
    """A real uvicorn server over the store at ``url`` on a free loopback port, in a
    thread (what a browser test talks to); its base URL, stopped on exit."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        create_app(settings_for(url)), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store with the five example pages and the XSS page, ingested once."""
    folder = tmp_path_factory.mktemp("demo")
    xss = folder / "xss.jsonl"
    xss.write_bytes(xss_page())
    url = f"sqlite:///{folder / 'demo.db'}"
    with Store.open(url) as store:
        report = ingest([str(EXAMPLES), str(xss)], store, settings_for(url))
    assert report.ok and report.ingested + report.duplicates == 6
    return url


@pytest.fixture(scope="session")
def client(demo_url: str) -> Iterator[TestClient]:
    """A read-only app (no token) over the demo store."""
    with TestClient(create_app(settings_for(demo_url))) as test_client:
        yield test_client


def writable_client(url: str, **overrides: object) -> TestClient:
    return TestClient(create_app(settings_for(url, api_token=TOKEN, **overrides)))


@pytest.fixture
def fresh_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fresh.db'}"


@dataclass(frozen=True)
class Changed:
    """A copy of the demo store where stories were split and merged."""

    url: str
    big: str
    """The five-seed story: a split by hand, then an automatic merge."""
    split_off: str
    """Two of its articles, split off by hand."""
    split_articles: list[str]
    harvest: str
    """The one-article harvest story, merged into ``big`` automatically (now retired)."""


@pytest.fixture(scope="session")
def changed(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Changed:
    """The demo store copied (the shared one stays untouched), with a split and a merge."""
    url = copy_store(demo_url, tmp_path_factory.mktemp("changed") / "changed.db")
    with Store.open(url) as store:
        (harvest,) = store.stories(outlet="evil.example")
        (big,) = store.stories(lang="uk")
        members = store.story_article_ids(big.id)
        assert len(members) == 5
        moved = members[-2:]
        split_off = store.split_story(big.id, moved)
        assert store.merge_stories(big.id, harvest.id, automatic=True) == big.id
        refresh_stories(store, [big.id, split_off])
    return Changed(url, big.id, split_off, moved, harvest.id)


@pytest.fixture(scope="session")
def changed_client(changed: Changed) -> Iterator[TestClient]:
    """A read-only app over the store with history."""
    with TestClient(create_app(settings_for(changed.url))) as test_client:
        yield test_client
