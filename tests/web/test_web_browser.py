"""Real headless Chromium (Debian's package, driven by Playwright) on a real uvicorn server.

Walks front page → story → article (highlights link out) → entity → search and back
to an article, and opens the page carrying script/onerror payloads: no dialog may
fire and the payloads must be visible as text. Screenshots of the story and the
article page at 1366×768 land in tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from conftest import IMG, SCRIPT, settings_for
from paths import REPO
from storyline.web import create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"
# Without the background-networking flags Chromium keeps dialing out of a closed network.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(demo_url: str) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings_for(demo_url)), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(base_url: str) -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run `make system-deps`", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def test_front_story_article_entity_search_round_trip(page: object, base_url: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(base_url + "/?language=ru")
    story_link = page.locator(".story-card h2 a").first
    story_title = story_link.inner_text()
    story_link.click()
    expect(page.locator("h1")).to_have_text(story_title)
    expect(page.locator("#articles .article-line")).to_have_count(5)
    page.screenshot(path=str(ARTIFACTS / "story.png"))

    page.locator("#articles .article-line a").first.click()
    entity_links = page.locator(".body a.ent")
    assert entity_links.count() >= 3
    assert page.locator(".body mark.date").count() >= 1
    href = entity_links.first.get_attribute("href") or ""
    assert href.startswith("/entities/e_")
    page.screenshot(path=str(ARTIFACTS / "article.png"))

    entity_links.first.click()
    page.wait_for_url(base_url + href)
    expect(page.locator("svg.chart rect").first).to_be_visible()
    assert page.locator("#co-occurring a.ent").count() >= 1

    page.fill(".quick-search input[name=q]", "Stoltenberg")
    page.click(".quick-search button")
    page.wait_for_url("**/search?q=Stoltenberg*")
    results = page.locator(".results .result a")
    assert results.count() >= 1
    results.first.click()
    page.wait_for_url("**/articles/a_*")
    assert "Столтенберг" in page.locator(".body").inner_text()


def test_payloads_render_as_text_and_never_run(page: object, base_url: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(base_url + "/?language=en")
    page.locator(".story-card h2 a").first.click()
    page.locator("#articles .article-line a").first.click()
    title = page.locator("h1").inner_text()
    assert SCRIPT in title and IMG in title
    body = page.locator(".body").inner_text()
    assert SCRIPT in body and IMG in body
    assert page.locator("main script, main img").count() == 0
    page.goto(base_url + "/search?q=" + SCRIPT)
    assert SCRIPT in page.locator(".filters input[name=q]").input_value()
    page.wait_for_timeout(300)
    assert dialogs == []
