"""Real headless Chromium (Debian's package, driven by Playwright) on a real uvicorn server.

Walks front page → story → an event's source in the timeline → the article, scrolled
to the cited sentence and highlighted (CSS ``:target``) → an entity → a search for its
name → back to the article, and opens the page carrying script/onerror payloads: no
dialog may fire and the payloads must be visible as text. Screenshots of the story and
the article page (at the cited sentence) at 1366×768 land in tests/artifacts/
(git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import IMG, SCRIPT, chromium, live_server
from paths import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = REPO / "tests" / "artifacts"


@pytest.fixture(scope="module")
def base_url(demo_url: str) -> Iterator[str]:
    with live_server(demo_url) as url:
        yield url


@pytest.fixture(scope="module")
def page(base_url: str) -> Iterator[object]:
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        try:
            yield context.new_page()
        finally:
            context.close()


def test_front_story_source_article_entity_search_round_trip(page: object, base_url: str) -> None:
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

    # An event's source, cited in the body, lands on that very sentence, lit up.
    source = page.locator('#timeline a.event-source[href*="#s-text-"]').first
    source.locator("xpath=ancestor::details[1]/summary").click()  # sources are folded
    sentence = source.text_content() or ""
    href = source.get_attribute("href") or ""
    article_path = href.split("#")[0]
    source.click()
    page.wait_for_url(base_url + href)
    target = page.locator(":target")
    expect(target).to_have_count(1)
    assert target.text_content() == sentence and sentence
    expect(target).to_be_in_viewport()
    background = "el => getComputedStyle(el).backgroundColor"
    lit = target.evaluate(background)
    paper = page.locator("body").evaluate(background)
    assert lit != paper and lit != "rgba(0, 0, 0, 0)", (lit, paper)
    assert page.locator(".body mark.date").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "article.png"))

    entity_links = page.locator(".body a.ent")
    assert entity_links.count() >= 3
    entity_href = entity_links.first.get_attribute("href") or ""
    assert entity_href.startswith("/entities/e_")
    entity_links.first.click()
    page.wait_for_url(base_url + entity_href)
    expect(page.locator("svg.chart rect").first).to_be_visible()
    assert page.locator("#co-occurring a.ent").count() >= 1

    name = page.locator("h1").inner_text().strip()
    page.fill(".quick-search input[name=q]", name)
    page.click(".quick-search button")
    page.wait_for_url("**/search?q=*")
    back = page.locator(f'.results .result a[href="{article_path}"]')
    expect(back).to_have_count(1)
    back.click()
    page.wait_for_url(base_url + article_path)
    expect(page.locator(f'.body a.ent[href="{entity_href}"]').first).to_be_visible()


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
