"""Every page and feed in Debian's headless Chromium, at a phone's width and a desk's.

For each page: it loads, nothing scrolls sideways at 375 px or 1,400 px, and axe-core
(the packaged ``axe.min.js`` of axe-playwright-python, run inside the page) finds no
serious or critical violation. Screenshots land in tests/artifacts/ (git-ignored):
``<page>-<width>.png``, and the whole story page of the seeds and of a train-corpus
storyline (the 2009 gas dispute, eleven pages in three languages from ten outlets).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import pytest

from conftest import chromium, copy_store, live_server, settings_for
from paths import REPO, TRAIN
from storyline.ingest import ingest
from storyline.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = REPO / "tests" / "artifacts"
WIDTHS = (375, 1400)
SERIOUS = {"serious", "critical"}
TRAIN_STORY = "DS2"
"""The train storyline shown: the most pages of any (eleven), in ru, uk and en."""


@pytest.fixture(scope="module")
def site(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict]]:
    """A server over a copy of the demo store with a watch on the seeds' story."""
    url = copy_store(demo_url, tmp_path_factory.mktemp("pages") / "pages.db")
    with Store.open(url) as store:
        (story,) = store.stories(lang="uk")
        article = store.story_article_ids(story.id)[0]
        entity = story.top_entities[0]
        watch = store.add_watch("story", story.id).id
    ids = {"story": story.id, "article": article, "entity": entity, "watch": watch}
    with live_server(url) as base:
        yield base, ids


@pytest.fixture(scope="module")
def train_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A server over the train pages of one storyline (with their manifest), and the
    story most of them went to."""
    manifest = TRAIN / "manifest.jsonl"
    if not manifest.exists():
        pytest.skip("the train corpus is not here")
    rows = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    chosen = [r for r in rows if r.get("story") == TRAIN_STORY]
    folder = tmp_path_factory.mktemp("train") / "articles"
    folder.mkdir()
    for row in chosen:
        shutil.copy(TRAIN / "articles" / f"{row['id']}.txt", folder / f"{row['id']}.txt")
    (folder.parent / "manifest.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen), encoding="utf-8"
    )
    url = f"sqlite:///{folder.parent / 'train.db'}"
    with Store.open(url) as store:
        report = ingest([str(folder)], store, settings_for(url))
        assert report.ingested == len(chosen)
        stories = [store.story_of(a) for a in report.article_ids]
        story_id = max(set(stories), key=stories.count)
        assert story_id is not None
    with live_server(url) as base:
        yield base, story_id


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as launched:
        yield launched


def _check(browser: object, url: str, name: str, *, full: bool = False) -> None:
    """Load ``url`` at each width: no sideways scroll, no serious axe violation, a
    screenshot."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        try:
            response = page.goto(url)
            assert response is not None and response.status == 200, (url, width)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} at {width}px scrolls sideways by {overflow}px"
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=full)
            results = Axe().run(page)
            serious = [
                (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                for v in results.response["violations"]
                if v["impact"] in SERIOUS
            ]
            assert not serious, f"{name} at {width}px: {serious}"
        finally:
            page.close()


def test_every_page_fits_both_widths_and_passes_axe(
    browser: object, site: tuple[str, dict]
) -> None:
    base, ids = site
    pages = {
        "front": "/",
        "story": f"/stories/{ids['story']}",
        "article": f"/articles/{ids['article']}",
        "entity": f"/entities/{ids['entity']}",
        "search": "/search?q=переговоры",
        "outlet": "/outlets/depo.ua",
        "watches": "/watches",
        "watch": f"/watches/{ids['watch']}?since=2000-01-01",
    }
    for name, path in pages.items():
        _check(browser, base + path, name, full=name == "story")


def test_feeds_open_in_the_browser_as_atom(browser: object, site: tuple[str, dict]) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    base, ids = site
    page = browser.new_page()
    try:
        page.goto(f"{base}/stories/{ids['story']}")
        feeds = page.locator('link[rel="alternate"][type="application/atom+xml"]')
        assert feeds.count() == 1
        href = feeds.first.get_attribute("href") or ""
        for path in [href, "/feeds/stories.atom", f"/feeds/watches/{ids['watch']}.atom"]:
            response = page.goto(base + path)
            assert response is not None and response.status == 200, path
            assert response.headers["content-type"].startswith("application/atom+xml")
            assert "<feed" in response.text() and "<entry>" in response.text()
    finally:
        page.close()


def test_story_page_shows_its_reading_aids(browser: object, site: tuple[str, dict]) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    base, ids = site
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(f"{base}/stories/{ids['story']}")
        expect(page.locator("#key-facts li").first).to_be_visible()
        expect(page.locator("#coverage-over-time svg.chart rect").first).to_be_visible()
        expect(page.locator("#timeline .chip").first).to_be_visible()
        expect(page.locator("#timeline .first").first).to_contain_text("first reported by")
        sources = page.locator("#timeline details.sources").first
        expect(sources.locator("a.event-source").first).to_be_hidden()
        sources.locator("summary").click()  # a disclosure: no script needed
        expect(sources.locator("a.event-source").first).to_be_visible()
    finally:
        page.close()


def test_train_storyline_page(browser: object, train_site: tuple[str, str]) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    base, story_id = train_site
    _check(browser, f"{base}/stories/{story_id}", "story-train", full=True)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(f"{base}/stories/{story_id}")
        chips = page.locator("#timeline a.chip")
        assert chips.count() >= 3
        colours = {c.get_attribute("class") for c in chips.all()}
        assert len(colours) >= 2, colours  # outlets of more than one group
        expect(page.locator("#key-facts li").first).to_be_visible()
        expect(page.locator("#coverage-over-time svg.chart rect").first).to_be_visible()
    finally:
        page.close()
