"""The story page's reading aids, the outlet page, and search snippets, over the seeds.

Each expectation is recomputed here from the plain API (timeline sources, article
dates, outlets), not copied from the page, so the page and the records must agree.
"""

from __future__ import annotations

import re
from collections import Counter

from fastapi.testclient import TestClient

from conftest import IMG, SCRIPT


def _seed_story(client: TestClient) -> dict:
    (story,) = client.get("/api/v1/stories", params={"lang": "uk"}).json()["items"]
    return story


def _timeline(client: TestClient, story_id: str) -> list[dict]:
    return client.get(f"/api/v1/stories/{story_id}/timeline", params={"limit": 100}).json()["items"]


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def test_key_facts_are_the_most_reported_events_in_date_order(client: TestClient) -> None:
    story = _seed_story(client)
    events = _timeline(client, story["id"])
    reach = {e["id"]: len({s["article_id"] for s in e["sources"]}) for e in events}
    html = client.get(f"/stories/{story['id']}").text
    facts = re.findall(r'<li><a href="#(ev_[0-9a-f]+|[^"]+)">', _section(html, "key-facts"))
    assert 0 < len(facts) <= 5
    order = [e["id"] for e in events]
    assert facts == sorted(facts, key=order.index), "key facts keep the timeline's order"
    weakest = min(reach[f] for f in facts)
    assert all(reach[e] <= weakest for e in reach if e not in facts)
    api = client.get(f"/api/v1/stories/{story['id']}/reading").json()
    assert [f["event_id"] for f in api["key_facts"]] == facts


def test_first_reported_by_is_the_earliest_source_page(client: TestClient) -> None:
    story = _seed_story(client)
    api = client.get(f"/api/v1/stories/{story['id']}/reading").json()
    checked = 0
    for event in _timeline(client, story["id"]):
        pages = {s["article_id"] for s in event["sources"]}
        dated = {a: client.get(f"/api/v1/articles/{a}").json()["published"] for a in pages}
        days = {a: d for a, d in dated.items() if d and len(d) >= 10}
        if not days:
            continue
        first = api["events"][event["id"]]["first_reported_by"]
        assert days[first["article_id"]] == min(days.values()), event["id"]
        checked += 1
    assert checked >= 5
    html = client.get(f"/stories/{story['id']}").text
    assert html.count('class="meta first"') == len(api["events"])


def test_outlet_chips_are_coloured_by_group(client: TestClient) -> None:
    story = _seed_story(client)
    html = client.get(f"/stories/{story['id']}").text
    timeline = _section(html, "timeline")
    chips = re.findall(r'class="chip (g\d|g-unknown)"[^>]*title="([^"]+)"', timeline)
    assert chips
    colours: dict[str, set[str]] = {}
    for colour, group in chips:
        colours.setdefault(group, set()).add(colour)
    assert all(len(c) == 1 for c in colours.values()), "one colour per group"
    assert colours.get("unknown", {"g-unknown"}) == {"g-unknown"}
    assert 'href="/outlets/depo.ua"' in timeline


def test_coverage_chart_draws_pages_per_day_and_skips_month_only_dates(
    client: TestClient,
) -> None:
    story = _seed_story(client)
    dates = [client.get(f"/api/v1/articles/{a}").json()["published"] for a in story["articles"]]
    per_day = Counter(d[:10] for d in dates if d and len(d) >= 10)
    assert any(d and len(d) == 7 for d in dates), "the seeds hold a month-only page"
    chart = _section(client.get(f"/stories/{story['id']}").text, "coverage-over-time")
    drawn = Counter()
    for day, n in re.findall(r"<title>(\d{4}-\d{2}-\d{2}) · [^:]+: (\d+)</title>", chart):
        drawn[day] += int(n)
    assert drawn == per_day
    assert "2022-01-01" not in chart


def test_conflicts_cite_outlets_and_headlines_not_ids(client: TestClient) -> None:
    story = _seed_story(client)
    conflicts = _section(client.get(f"/stories/{story['id']}").text, "conflicts")
    assert "<cite" in conflicts
    assert not re.search(r">a_[0-9a-f]{16}<", conflicts)


def test_headline_falls_back_to_the_original_language_marked(client: TestClient) -> None:
    story = _seed_story(client)
    english = client.get(f"/stories/{story['id']}", params={"lang": "en"}).text
    russian = client.get(f"/stories/{story['id']}", params={"lang": "ru"}).text
    client.cookies.clear()
    assert 'class="legend fallback"' in english  # no English page: shown in the original
    assert 'class="legend fallback"' not in russian


def test_front_page_cards_carry_a_coverage_bar(client: TestClient) -> None:
    html = client.get("/").text
    cards = html.count('class="story-card"')
    assert cards and html.count('class="share-bar"') == cards


def test_outlet_page_and_api(client: TestClient) -> None:
    html = client.get("/outlets/depo.ua").text
    api = client.get("/api/v1/outlets/depo.ua").json()
    assert api["group"] in html and api["article_ids"]
    for article_id in api["article_ids"]:
        assert f'href="/articles/{article_id}"' in html
    for story_id in api["story_ids"]:
        assert f'href="/stories/{story_id}"' in html
    assert client.get("/outlets/nowhere.example").status_code == 404
    assert client.get("/api/v1/outlets/nowhere.example").status_code == 404


def test_search_snippets_mark_other_forms_and_group_by_story(client: TestClient) -> None:
    html = client.get("/search", params={"q": "переговоры"}).text
    marks = re.findall(r'<mark class="hit">([^<]+)</mark>', html)
    assert marks and any(m.lower() != "переговоры" for m in marks), marks
    story = _seed_story(client)
    assert f'<h2><a href="/stories/{story["id"]}">' in html
    api = client.get("/api/v1/search", params={"q": "переговоры"}).json()
    assert all(item["story_id"] == story["id"] for item in api["items"])
    assert all("<mark" in item["snippet"] for item in api["items"] if item["snippet"])


def test_search_filters_by_dates_and_entity(client: TestClient) -> None:
    everything = client.get("/api/v1/search", params={"q": "НАТО", "limit": 100}).json()
    late = client.get(
        "/api/v1/search", params={"q": "НАТО", "since": "2022-01-11", "limit": 100}
    ).json()
    assert 0 < late["total"] < everything["total"]
    assert all(item["published"] >= "2022-01-11" for item in late["items"])
    entity = client.get("/api/v1/entities", params={"limit": 100}).json()["items"]
    nato = next(e for e in entity if e["name"] == "NATO")
    mentioning = {
        o["article_id"]
        for o in client.get(f"/api/v1/entities/{nato['id']}", params={"limit": 500}).json()[
            "occurrences"
        ]
    }
    narrowed = client.get(
        "/api/v1/search", params={"q": "Женева", "entity": nato["id"], "limit": 100}
    ).json()
    assert narrowed["items"] and {i["article_id"] for i in narrowed["items"]} <= mentioning
    page = client.get("/search", params={"q": "Женева", "entity": nato["id"]}).text
    assert 'name="entity"' in page and f'href="/entities/{nato["id"]}"' in page


def test_hostile_page_stays_text_on_the_new_views(client: TestClient) -> None:
    (harvest,) = client.get("/api/v1/stories", params={"outlet": "evil.example"}).json()["items"]
    for path in [f"/stories/{harvest['id']}", "/outlets/evil.example", "/search?q=harvest"]:
        html = client.get(path).text
        assert SCRIPT not in html and IMG not in html, path
        assert "<script" not in html.lower(), path
    assert "&lt;script&gt;" in client.get("/search?q=harvest").text


def test_front_page_card_names_the_most_reported_event(client: TestClient) -> None:
    story = _seed_story(client)
    events = _timeline(client, story["id"])
    reach = {e["id"]: len({s["article_id"] for s in e["sources"]}) for e in events}
    html = client.get("/").text
    (key,) = re.findall(rf'<a href="/stories/{story["id"]}#([^"]+)">', html)
    assert reach[key] == max(reach.values())


def test_who_said_what_links_to_the_quote_itself(client: TestClient) -> None:
    """Each quote link lands on the quote's words in the article, except where a quote
    overlaps another one the article marks instead (the body marks no overlaps)."""
    story = _seed_story(client)
    quotes = _section(client.get(f"/stories/{story['id']}").text, "quotes")
    links = set(re.findall(r'href="/articles/(a_[0-9a-f]+)#q-(\d+)"', quotes))
    listed = client.get(f"/api/v1/stories/{story['id']}/quotes", params={"limit": 100}).json()
    spans: dict[str, list[tuple[int, int]]] = {}
    for q in listed["items"]:
        spans.setdefault(q["article_id"], []).append((q["start"], q["end"]))
    alone = 0
    for article_id, start in links:
        end = next(e for s, e in spans[article_id] if s == int(start))
        overlaps = [(s, e) for s, e in spans[article_id] if s < end and int(start) < e]
        if len(overlaps) > 1:
            continue
        alone += 1
        article = client.get(f"/articles/{article_id}").text
        assert article.count(f'id="q-{start}"') == 1, (article_id, start)
    assert alone >= 3


def test_api_filters_by_outlet_group_as_the_pages_do(client: TestClient) -> None:
    for group in ("Ukrainian media", "international"):
        api = client.get("/api/v1/stories", params={"group": group}).json()
        page = client.get("/", params={"group": group}).text
        listed = set(re.findall(r'class="story-card">\s*<h2><a href="/stories/([^"]+)"', page))
        assert {s["id"] for s in api["items"]} == listed, group
        hits = client.get("/api/v1/search", params={"q": "НАТО", "group": group}).json()
        found = client.get("/search", params={"q": "НАТО", "group": group}).text
        assert all(f'href="/articles/{i["article_id"]}"' in found for i in hits["items"])
    ukrainian = client.get("/api/v1/stories", params={"group": "Ukrainian media"}).json()
    assert ukrainian["total"] == 1  # depo.ua's story, and not the harvest fair's


def test_timeline_shows_each_dispute_inline_with_both_values(client: TestClient) -> None:
    story = _seed_story(client)
    disputed = client.get(f"/api/v1/stories/{story['id']}/conflicts", params={"limit": 100})
    items = disputed.json()["items"]
    assert items
    timeline = _section(client.get(f"/stories/{story['id']}").text, "timeline")
    for item in items:
        start = timeline.index(f'id="{item["id"]}"')
        event = timeline[start : timeline.find('<li class="event', start + 1)]
        lines = re.findall(r'<p class="dispute">(.*?)</p>', event, re.DOTALL)
        assert len(lines) == len(item["conflicts"]), item["id"]
        for line, conflict in zip(lines, item["conflicts"], strict=True):
            assert line.count("<strong>") == len(conflict["values"]) >= 2
            for value in conflict["values"]:
                for article_id in value["article_ids"]:
                    assert f'href="/articles/{article_id}"' in line
