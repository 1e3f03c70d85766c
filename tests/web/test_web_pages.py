"""The HTML pages: what each shows, the language switch, and that scraped text stays text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import (
    EXAMPLES,
    IMG,
    SCRIPT,
    TOKEN,
    Changed,
    settings_for,
    writable_client,
    xss_page,
)
from storyline.assemble.timeline import story_account
from storyline.compare.coverage import load_groups
from storyline.ingest import ingest
from storyline.store import Store
from storyline.web.highlight import highlight

INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _first_story(client: TestClient) -> dict:
    return client.get("/api/v1/stories", params={"lang": "ru"}).json()["items"][0]


def test_front_page_ranks_stories_with_filters(client: TestClient) -> None:
    html = client.get("/").text
    story = _first_story(client)
    assert f'href="/stories/{story["id"]}"' in html
    assert "ru 3" in html and "uk 2" in html and "9 Jan 2022" in html  # a day in words
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
    days = re.findall(r'<time datetime="(\d{4}-\d{2}(?:-\d{2})?)', timeline)
    assert days and days == sorted(days)
    assert "Geneva" in timeline and 'class="conflict-mark"' in timeline
    sources = re.findall(r'class="event-source" href="/articles/(a_[0-9a-f]+)', timeline)
    assert sources and set(sources) <= set(story["articles"])
    conflicts = html[html.index('id="conflicts"') :]
    assert "15 Dec 2021" in conflicts and "17 Dec 2021" in conflicts
    # the seeds disagree on how long Geneva lasted: in words, never as ISO 8601
    for where in (timeline, conflicts):
        assert "7 h 30 min" in where and "8 h" in where
        assert "PT7H30M" not in where and "PT8H" not in where
    russian = client.get(f"/stories/{story['id']}", params={"lang": "ru"}).text
    client.cookies.clear()  # the switch is remembered; later tests read English
    assert "Женева" in russian


def test_story_page_shows_each_quote_of_a_page_once(client: TestClient) -> None:
    # a seed page repeats its lead's quote in the body and quotes «нежеланием» out of a
    # longer quote: a reader sees each once (direct speech beside the clause reporting it
    # is not a repeat)
    html = client.get(f"/stories/{_first_story(client)['id']}").text
    section = html[html.index('id="quotes"') : html.index('id="conflicts"')]

    def words(text: str) -> str:
        return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "

    speakers = section.split('<div class="speaker">')[1:]
    assert len(speakers) > 2
    for speaker in speakers:
        said = re.findall(
            r"<blockquote>(.*?)</blockquote>\s*<a href=\"/articles/(a_[0-9a-f]+)#", speaker, re.S
        )
        for i, (text, article) in enumerate(said):
            for j, (other, same) in enumerate(said):
                direct = (text.startswith("«"), other.startswith("«"))
                if i != j and article == same and direct[0] == direct[1]:
                    assert words(text) not in words(other), (text, other)


def _history(html: str) -> list[tuple[str, str]]:
    """The story page's history lines: (action class, inner HTML)."""
    if 'id="history"' not in html:
        return []
    start = html.index('id="history"')
    section = html[start : html.index("</section>", start)]
    return re.findall(r'<li class="change (merge|split)">(.*?)</li>', section, re.DOTALL)


def test_story_page_shows_merge_and_split_history(
    changed: Changed, changed_client: TestClient
) -> None:
    with Store.open(changed.url) as store:
        split_at, merge_at = (c.at for c in store.story_history(changed.big))
    html = changed_client.get(f"/stories/{changed.big}").text
    assert html.index('id="articles"') < html.index('id="history"')
    assert _history(html) == [
        (
            "split",
            f'<time datetime="{split_at.isoformat()}">{split_at.date().isoformat()}</time>'
            f' · split off <a href="/stories/{changed.split_off}">{changed.split_off}</a>'
            " (2 articles) · by hand",
        ),
        (
            "merge",
            f'<time datetime="{merge_at.isoformat()}">{merge_at.date().isoformat()}</time>'
            f' · merged with <a href="/stories/{changed.harvest}">{changed.harvest}</a>'
            " (1 article) · automatic",
        ),
    ]
    retired = changed_client.get(f"/stories/{changed.harvest}", follow_redirects=False)
    assert retired.status_code == 301 and retired.headers["location"] == f"/stories/{changed.big}"
    split_off = changed_client.get(f"/stories/{changed.split_off}").text
    ((action, line),) = _history(split_off)
    assert action == "split" and line.endswith(
        f'split off from <a href="/stories/{changed.big}">{changed.big}</a> (2 articles) · by hand'
    )
    assert all(f'href="/articles/{a}"' in split_off for a in changed.split_articles)
    russian = changed_client.get(f"/stories/{changed.big}", params={"lang": "ru"}).text
    ukrainian = changed_client.get(f"/stories/{changed.big}", params={"lang": "uk"}).text
    changed_client.cookies.clear()
    assert "<h2>История</h2>" in russian and "<h2>Історія</h2>" in ukrainian
    (_, ru_split), (_, ru_merge) = _history(russian)
    assert "отделён <a" in ru_split and ru_split.endswith("· вручную")
    assert "объединён с <a" in ru_merge and ru_merge.endswith("· автоматически")
    (_, uk_split), (_, uk_merge) = _history(ukrainian)
    assert "відокремлено <a" in uk_split and uk_split.endswith("· вручну")
    assert "об’єднано з <a" in uk_merge and uk_merge.endswith("· автоматично")


def test_story_without_history_shows_no_history_section(client: TestClient) -> None:
    story = _first_story(client)
    assert client.get(f"/api/v1/stories/{story['id']}").json()["history"] == []
    html = client.get(f"/stories/{story['id']}").text
    assert 'id="articles"' in html
    assert 'id="history"' not in html and "history-list" not in html and _history(html) == []


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


def _story_ids(html: str) -> list[str]:
    return re.findall(r'class="story-card">\s*<h2><a href="/stories/(s_[0-9a-f]+)"', html)


def test_front_page_filters_by_outlet_group(client: TestClient) -> None:
    groups = load_groups()
    stories = client.get("/api/v1/stories", params={"limit": 100}).json()["items"]
    ukrainian = {
        s["id"] for s in stories if any(groups.group(o) == "Ukrainian media" for o in s["outlets"])
    }
    everything = set(_story_ids(client.get("/").text))
    html = client.get("/", params={"group": "Ukrainian media"}).text
    assert ukrainian and set(_story_ids(html)) == ukrainian < everything
    assert '<option value="Ukrainian media" selected>' in html
    assert "Harvest fair" not in html  # evil.example belongs to no group
    assert not _story_ids(client.get("/", params={"group": "Belarusian media"}).text)
    both = client.get("/", params={"group": "Ukrainian media", "language": "en"}).text
    assert not _story_ids(both)
    uk_ui = client.get("/", params={"lang": "uk"}).text
    client.cookies.clear()
    assert "Група видань" in uk_ui and 'name="group"' in uk_ui


def test_stories_outlets_filter_on_every_backend(store: Store, db_url: str, tmp_path: Path) -> None:
    xss = tmp_path / "xss.jsonl"
    xss.write_bytes(xss_page())
    assert ingest([str(EXAMPLES), str(xss)], store, settings_for(db_url)).ok
    (harvest,) = store.stories(outlet="evil.example")
    chosen = store.stories(outlets=["depo.ua", "nowhere.example"])
    assert chosen and harvest.id not in {s.id for s in chosen}
    assert store.count_stories(outlets=["depo.ua", "nowhere.example"]) == len(chosen)
    both = store.stories(outlets=["depo.ua", "evil.example"])
    assert {s.id for s in both} == {s.id for s in chosen} | {harvest.id}
    assert store.stories(outlets=["depo.ua"], lang="en") == []
    assert store.stories(outlets=[]) == [] and store.count_stories(outlets=[]) == 0


class _ElementText(HTMLParser):
    """The text of the element with one id, nested marks included (as a browser reads it)."""

    def __init__(self, wanted: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted, self.depth, self.found, self.parts = wanted, 0, 0, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.wanted:
            self.depth, self.found = 1, self.found + 1

    def handle_endtag(self, tag: str) -> None:
        self.depth = max(0, self.depth - 1)

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def _element_text(html: str, element_id: str) -> str | None:
    parser = _ElementText(element_id)
    parser.feed(html)
    assert parser.found <= 1, f"id {element_id} is not unique"
    return "".join(parser.parts) if parser.found else None


def test_article_page_anchors_every_timeline_source(client: TestClient, demo_url: str) -> None:
    story_id = _first_story(client)["id"]
    with Store.open(demo_url) as store:
        events = story_account(store, story_id).events
    sources = {(s.article_id, s.part, s.start): s for e in events for s in e.sources}
    assert {part for _, part, _ in sources} >= {"text", "title"}
    timeline = client.get(f"/stories/{story_id}").text
    pages: dict[str, str] = {}
    for (article_id, part, start), source in sources.items():
        anchor = f"s-{part}-{start}"
        assert f'href="/articles/{article_id}#{anchor}"' in timeline
        if article_id not in pages:
            pages[article_id] = client.get(f"/articles/{article_id}").text
        assert _element_text(pages[article_id], anchor) == source.sentence, anchor
    assert all('class="cited"' in html for html in pages.values())


def test_cited_sentence_nests_its_marks_and_stays_text() -> None:
    text = "<b>Kyiv</b> said no. Then NATO met in Riga."
    second = text.index("Then")
    ent = {"type": "ORG", "entity_id": "e_nato"}
    entities = [
        {**ent, "start": text.index("NATO"), "end": text.index("NATO") + 4},
        {**ent, "start": text.index("no."), "end": second + 4},  # straddles the edge
    ]
    html = str(highlight(text, entities, [], part="lead", cited=[(second, len(text))] * 2))
    assert html.startswith("&lt;b&gt;Kyiv&lt;/b&gt; said no. ")
    assert html.endswith(
        f'<span class="cited" id="s-lead-{second}">Then '
        '<a class="ent ent-ORG" href="/entities/e_nato" title="ORG">NATO</a> met in Riga.</span>'
    )
    assert html.count('class="cited"') == 1 and html.count("<a ") == 1


def _result_links(html: str) -> list[str]:
    return re.findall(r'<li class="result">\s*<a href="/articles/(a_[0-9a-f]+)"', html)


def test_search_filters_by_outlet_group(client: TestClient) -> None:
    groups = load_groups()
    everything = _result_links(client.get("/search", params={"q": "НАТО"}).text)
    html = client.get("/search", params={"q": "НАТО", "group": "Ukrainian media"}).text
    ukrainian = _result_links(html)
    outlets = {client.get(f"/api/v1/articles/{a}").json()["outlet"] for a in ukrainian}
    assert ukrainian and set(ukrainian) < set(everything)
    assert {groups.group(o) for o in outlets} == {"Ukrainian media"}
    assert '<option value="Ukrainian media" selected>' in html
    nobody = client.get("/search", params={"q": "НАТО", "group": "Belarusian media"}).text
    assert not _result_links(nobody)
