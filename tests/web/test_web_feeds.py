"""Atom feeds and watch pages over the seed pages and the page carrying script payloads.

Every feed must read back as Atom with no bozo flag (feedparser is the reader half the
feed readers are built on), be announced in its page's head, and carry scraped words
as text: a ``<script>`` in a headline comes back as those characters, not as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import feedparser
import pytest
from fastapi.testclient import TestClient

from conftest import SCRIPT, copy_store, settings_for
from storyline.store import Store
from storyline.web import create_app

ANNOUNCED = re.compile(
    r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">'
)


@pytest.fixture(scope="module")
def watched(
    demo_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A copy of the demo store (the shared one stays read-only) with one watch of each
    kind: the seeds' story, NATO, and the hostile page's words."""
    url = copy_store(demo_url, tmp_path_factory.mktemp("feeds") / "feeds.db")
    with Store.open(url) as store:
        (seeds,) = store.stories(lang="uk")
        (harvest,) = store.stories(outlet="evil.example")
        nato = next(e for e in store.entity_rows(type="ORG", limit=50) if e.name == "NATO")
        ids = {
            "story": store.add_watch("story", seeds.id).id,
            "entity": store.add_watch("entity", nato.id).id,
            "query": store.add_watch("query", "harvest fair").id,
            "seeds": seeds.id,
            "harvest": harvest.id,
            "nato": nato.id,
        }
    with TestClient(create_app(settings_for(url))) as client:
        yield client, ids


def _feed(client: TestClient, path: str) -> feedparser.FeedParserDict:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    assert parsed.version == "atom10"
    return parsed


def test_every_page_announces_a_feed_that_reads_back_as_atom(
    watched: tuple[TestClient, dict[str, str]],
) -> None:
    client, ids = watched
    pages = {
        "/": 1,
        f"/stories/{ids['seeds']}": 5,
        f"/entities/{ids['nato']}": 5,
        f"/watches/{ids['story']}": 5,
        f"/watches/{ids['entity']}": 5,
        f"/watches/{ids['query']}": 1,
    }
    for page, entries in pages.items():
        html = client.get(page).text
        (href,) = ANNOUNCED.findall(html)
        parsed = _feed(client, href.replace("&amp;", "&"))
        assert len(parsed.entries) >= entries, (page, href)
        for entry in parsed.entries:
            assert entry.link.startswith("http://testserver/")
            assert entry.updated_parsed is not None


def test_story_feed_entries_are_its_pages_with_real_headlines(
    watched: tuple[TestClient, dict[str, str]],
) -> None:
    client, ids = watched
    parsed = _feed(client, f"/feeds/stories/{ids['seeds']}.atom")
    members = client.get(f"/api/v1/stories/{ids['seeds']}").json()["articles"]
    linked = {e.link.rsplit("/", 1)[1] for e in parsed.entries}
    assert linked == set(members)
    titles = [client.get(f"/api/v1/articles/{a}").json()["title"] for a in members]
    assert {t for t in titles if t} <= {e.title for e in parsed.entries}
    assert not any(re.fullmatch(r"a_[0-9a-f]+", e.title) for e in parsed.entries)


def test_new_stories_feed_lists_every_live_story(
    watched: tuple[TestClient, dict[str, str]],
) -> None:
    client, ids = watched
    parsed = _feed(client, "/feeds/stories.atom")
    assert {e.link.rsplit("/", 1)[1] for e in parsed.entries} == {ids["seeds"], ids["harvest"]}


def test_feeds_carry_scraped_payloads_as_text(watched: tuple[TestClient, dict[str, str]]) -> None:
    client, ids = watched
    raw = client.get(f"/feeds/stories/{ids['harvest']}.atom").text
    assert "<script>" not in raw and "&lt;script&gt;" in raw
    parsed = _feed(client, f"/feeds/stories/{ids['harvest']}.atom")
    assert any(SCRIPT in e.title for e in parsed.entries)


def test_missing_feed_targets_are_404(watched: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = watched
    for path in [
        "/feeds/stories/s_nope.atom",
        "/feeds/entities/e_nope.atom",
        "/feeds/watches/w_nope.atom",
    ]:
        assert client.get(path).status_code == 404, path
    assert client.get("/feeds/stories.atom?lang=xx").status_code in (400, 422)


def test_watch_pages_and_api_agree(watched: tuple[TestClient, dict[str, str]]) -> None:
    client, ids = watched
    listed = client.get("/api/v1/watches").json()
    assert {w["id"] for w in listed["items"]} == {ids["story"], ids["entity"], ids["query"]}
    html = client.get("/watches").text
    for watch in listed["items"]:
        assert f'href="/watches/{watch["id"]}"' in html
    found = client.get(
        f"/api/v1/watches/{ids['story']}/digest", params={"since": "2000-01-01"}
    ).json()
    (news,) = found["stories"]
    assert news["story_id"] == ids["seeds"] and len(news["new_article_ids"]) == 5
    page = client.get(f"/watches/{ids['story']}", params={"since": "2000-01-01"}).text
    for event in news["events"]:
        assert f'href="/stories/{ids["seeds"]}#{event["event_id"]}"' in page
    later = client.get(
        f"/api/v1/watches/{ids['story']}/digest", params={"since": "2999-01-01"}
    ).json()
    assert later["stories"] == []
    assert client.get("/api/v1/watches/w_nope/digest").status_code == 404
