"""The HTML pages: what each shows, the language switch, and that scraped text stays text."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from conftest import IMG, SCRIPT, TOKEN, writable_client, xss_page

INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _first_story(client: TestClient) -> dict:
    return client.get("/api/v1/stories", params={"lang": "ru"}).json()["items"][0]


def test_front_page_ranks_stories_with_filters(client: TestClient) -> None:
    html = client.get("/").text
    story = _first_story(client)
    assert f'href="/stories/{story["id"]}"' in html
    assert "ru 3" in html and "uk 2" in html and "2022-01-09" in html
    assert 'name="language"' in html and 'name="since"' in html and 'name="outlet"' in html
    only_en = client.get("/", params={"language": "en"}).text
    assert story["id"] not in only_en and "Harvest fair" in only_en
    assert client.get("/", params={"since": "not-a-date"}).status_code == 400


def test_story_page_lists_articles_by_language_and_entities(client: TestClient) -> None:
    story = _first_story(client)
    response = client.get(f"/stories/{story['id']}")
    html = response.text
    assert response.status_code == 200
    for article_id in story["articles"]:
        assert f'href="/articles/{article_id}"' in html
    assert '<h3 lang="ru">' in html and '<h3 lang="uk">' in html
    assert html.count('class="ent ent-') >= 5 and 'id="entities"' in html
    assert client.get("/stories/s_nope").status_code == 404


def test_story_page_shows_timeline_quotes_coverage_and_conflicts(client: TestClient) -> None:
    story = _first_story(client)
    html = client.get(f"/stories/{story['id']}").text
    for section in ("timeline", "quotes", "coverage", "conflicts"):
        assert f'id="{section}"' in html, section
    timeline = html[html.index('id="timeline"') : html.index('id="quotes"')]
    days = re.findall(r"<time>(\d{4}-\d{2}(?:-\d{2})?)", timeline)
    assert days and days == sorted(days)
    assert "Geneva" in timeline and 'class="conflict-mark"' in timeline
    sources = re.findall(r'class="event-source" href="/articles/(a_[0-9a-f]+)', timeline)
    assert sources and set(sources) <= set(story["articles"])
    conflicts = html[html.index('id="conflicts"') :]
    assert "2021-12-15" in conflicts and "2021-12-17" in conflicts
    russian = client.get(f"/stories/{story['id']}", params={"lang": "ru"}).text
    client.cookies.clear()  # the switch is remembered; later tests read English
    assert "Женева" in russian


def test_article_page_highlights_linked_entities_and_dates(client: TestClient) -> None:
    article = client.get("/api/v1/articles", params={"lang": "ru"}).json()["items"][0]
    html = client.get(f"/articles/{article['id']}").text
    linked = re.findall(r'<a class="ent ent-[A-Z]+" href="/entities/(e_[0-9a-f]+)"', html)
    assert linked and set(linked) <= {e["entity_id"] for e in article["entities"]}
    assert '<mark class="date"' in html
    assert f'href="/stories/{article["story_id"]}"' in html
    if article["url"]:
        assert 'rel="noopener noreferrer nofollow"' in html


def test_entity_page_names_chart_co_occurring_and_stories(client: TestClient) -> None:
    entity = client.get("/api/v1/entities", params={"type": "PER"}).json()["items"][0]
    html = client.get(f"/entities/{entity['id']}").text
    assert '<svg class="chart"' in html and "<rect" in html
    for name in entity["names"].values():
        assert name in html
    assert 'id="co-occurring"' in html and 'id="stories"' in html
    assert client.get("/entities/e_nope").status_code == 404


def test_search_page_finds_forms_and_names(client: TestClient) -> None:
    html = client.get("/search", params={"q": "Stoltenberg"}).text
    assert 'href="/articles/a_' in html and 'href="/entities/e_' in html
    html = client.get("/search", params={"q": "Столтенберг", "language": "uk"}).text
    assert 'href="/articles/a_' in html
    assert "Nothing found" in client.get("/search", params={"q": "zzzqqq"}).text


def test_interface_language_switch_and_cookie(client: TestClient) -> None:
    uk = client.get("/", params={"lang": "uk"})
    assert "Сюжети" in uk.text and uk.cookies.get("ui_lang") == "uk"
    story = _first_story(client)
    client.cookies.set("ui_lang", "ru")
    ru_page = client.get(f"/stories/{story['id']}").text
    assert "Кто и где" in ru_page and story["titles"]["ru"] in ru_page
    uk_page = client.get(f"/stories/{story['id']}", params={"lang": "uk"}).text
    assert story["titles"]["uk"] in uk_page
    entity = client.get("/api/v1/entities").json()["items"][0]
    assert entity["names"]["uk"] in client.get(f"/entities/{entity['id']}?lang=uk").text
    client.cookies.clear()


@pytest.fixture(scope="module")
def xss_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    url = f"sqlite:///{tmp_path_factory.mktemp('xss') / 'x.db'}"
    test_client = writable_client(url)
    posted = test_client.post(
        "/api/v1/articles", content=xss_page(), headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert posted.status_code == 201, posted.text
    return test_client


def test_scraped_payloads_render_as_text_everywhere(xss_client: TestClient) -> None:
    article_id = xss_client.get("/api/v1/articles").json()["items"][0]["id"]
    story_id = xss_client.get("/api/v1/stories").json()["items"][0]["id"]
    pages = [
        "/",
        f"/articles/{article_id}",
        f"/stories/{story_id}",
        f"/search?q={SCRIPT}",
        "/search?q=harvest",
    ]
    for path in pages:
        response = xss_client.get(path)
        html = response.text
        assert response.status_code == 200, path
        assert "<script" not in html.lower(), path
        assert not INLINE_HANDLER.search(html), path
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
    article = xss_client.get(f"/articles/{article_id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "&lt;img src=x onerror=alert(1)&gt;" in article
    assert SCRIPT not in article and IMG not in article
