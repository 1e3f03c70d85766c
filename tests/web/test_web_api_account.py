"""The JSON API of a story's account: timeline, conflicts, coverage, quotes.

Everything is checked against the store itself (articles, entities, stories), not
against copies of the answers: a source must quote its article, a coverage row
must name the outlets of its event's articles, a quote filter must keep only
what it names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import settings_for, xss_page
from paths import seed
from storyline.assemble.surface import refresh_stories
from storyline.ingest import ingest
from storyline.store import Store
from storyline.web import create_app

ALL = {"limit": 100}


@pytest.fixture(scope="module")
def story(client: TestClient) -> dict[str, Any]:
    """The seeds' story: the five pages on the January 2022 security talks."""
    stories = client.get("/api/v1/stories", params=ALL).json()["items"]
    (found,) = [s for s in stories if s["size"] == 5]
    return found


@pytest.fixture(scope="module")
def timeline(client: TestClient, story: dict[str, Any]) -> list[dict[str, Any]]:
    page = client.get(f"/api/v1/stories/{story['id']}/timeline", params=ALL).json()
    assert page["total"] == len(page["items"]) >= 5
    assert page["story_id"] == story["id"]
    items: list[dict[str, Any]] = page["items"]
    return items


def _geneva_talks(client: TestClient, events: list[dict[str, Any]]) -> dict[str, Any]:
    """The 10 January talks, found by what the store knows of their place, not by title."""
    for event in events:
        if event["date"] == "2022-01-10" and event["type"] == "talks" and event["place_entity_id"]:
            place = client.get(f"/api/v1/entities/{event['place_entity_id']}").json()
            if place["name"] == "Geneva":
                return event
    raise AssertionError("no 10 Jan talks in Geneva on the timeline")


# ---------------------------------------------------------------------------- timeline


def test_timeline_is_in_date_order_and_belongs_to_the_story(
    timeline: list[dict[str, Any]], story: dict[str, Any]
) -> None:
    dated = [e["date"] for e in timeline if e["date"]]
    assert dated == sorted(dated)
    undated = [i for i, e in enumerate(timeline) if not e["date"]]
    assert undated == list(range(len(dated), len(timeline)))  # undated last
    assert all(e["kind"] == "event" and e["story_id"] == story["id"] for e in timeline)
    assert len({e["id"] for e in timeline}) == len(timeline)


def test_geneva_talks_cite_real_sentences_and_flag_their_conflict(
    client: TestClient, timeline: list[dict[str, Any]], story: dict[str, Any]
) -> None:
    geneva = _geneva_talks(client, timeline)
    assert geneva["has_conflict"] and geneva["conflicts"]
    assert not geneva["date_inferred"]
    for conflict in geneva["conflicts"]:
        assert len(conflict["values"]) >= 2
        for value in conflict["values"]:
            assert set(value["article_ids"]) <= set(story["articles"])
    sources = geneva["sources"]
    assert len({s["article_id"] for s in sources}) >= 3
    for source in sources:
        assert source["article_id"] in story["articles"]
        article = client.get(f"/api/v1/articles/{source['article_id']}").json()
        assert article[source["part"]][source["start"] : source["end"]] == source["sentence"]
    assert "2022-01-10" in {s["stated_date"] for s in sources}
    names = {client.get(f"/api/v1/entities/{p}").json()["name"] for p in geneva["participants"]}
    assert "Russia" in names


def test_conflict_flag_matches_the_conflicts_given(timeline: list[dict[str, Any]]) -> None:
    assert {e["has_conflict"] for e in timeline} == {True, False}
    assert all(e["has_conflict"] == bool(e["conflicts"]) for e in timeline)


def test_timeline_pages_keep_the_total(
    client: TestClient, timeline: list[dict[str, Any]], story: dict[str, Any]
) -> None:
    url = f"/api/v1/stories/{story['id']}/timeline"
    page = client.get(url, params={"limit": 2, "offset": 1}).json()
    assert page["total"] == len(timeline)
    assert [e["id"] for e in page["items"]] == [e["id"] for e in timeline[1:3]]
    past = client.get(url, params={"offset": len(timeline)}).json()
    assert past["items"] == [] and past["total"] == len(timeline)


def test_lang_switches_the_titles(
    client: TestClient, timeline: list[dict[str, Any]], story: dict[str, Any]
) -> None:
    url = f"/api/v1/stories/{story['id']}/timeline"
    by_lang = {
        lang: client.get(url, params={**ALL, "lang": lang}).json()["items"] for lang in ("ru", "uk")
    }
    assert [e["title"] for e in timeline] == [e["title"] for e in client.get(url).json()["items"]]
    for lang, events in by_lang.items():
        assert [e["id"] for e in events] == [e["id"] for e in timeline]
        assert all(e["lang"] == lang for e in events)
        assert [e["title"] for e in events] != [e["title"] for e in timeline]
    geneva = {lang: _geneva_talks(client, events)["title"] for lang, events in by_lang.items()}
    assert "Geneva" in _geneva_talks(client, timeline)["title"]
    assert "Женева" in geneva["ru"] and "Женева" in geneva["uk"]
    assert "января" in geneva["ru"] and "січня" in geneva["uk"]
    assert client.get(url, params={"lang": "de"}).status_code == 422


# ---------------------------------------------------------------------------- conflicts


def test_conflicts_are_the_flagged_events_by_either_route(
    client: TestClient, timeline: list[dict[str, Any]], story: dict[str, Any]
) -> None:
    flagged = [e["id"] for e in timeline if e["has_conflict"]]
    nested = client.get(f"/api/v1/stories/{story['id']}/conflicts", params=ALL).json()
    flat = client.get("/api/v1/conflicts", params={**ALL, "story": story["id"]}).json()
    assert nested == flat
    assert [e["id"] for e in nested["items"]] == flagged and nested["total"] == len(flagged)
    one = client.get("/api/v1/conflicts", params={"story": story["id"], "limit": 1, "offset": 1})
    assert one.json()["total"] == len(flagged) and one.json()["items"] == nested["items"][1:2]
    assert client.get("/api/v1/conflicts").status_code == 422  # a story is required


# ---------------------------------------------------------------------------- coverage


def test_coverage_names_each_events_outlets_and_what_groups_leave_out(
    client: TestClient, timeline: list[dict[str, Any]], story: dict[str, Any]
) -> None:
    found = client.get(f"/api/v1/stories/{story['id']}/coverage", params=ALL).json()
    assert found["story_id"] == story["id"] and found["total"] == len(timeline)
    assert [r["event_id"] for r in found["items"]] == [e["id"] for e in timeline]
    outlet_of = {
        a: client.get(f"/api/v1/articles/{a}").json()["outlet"] or "unknown"
        for a in story["articles"]
    }
    assert "Ukrainian media" in found["groups"]
    assert found["outlets"]["depo.ua"] == "Ukrainian media"
    assert set(found["outlets"]) == set(outlet_of.values())
    assert set(found["groups"]) == set(found["outlets"].values()) == set(found["missing"])
    for row, event in zip(found["items"], timeline, strict=True):
        assert row["title"] == event["title"]
        assert set(row["outlets"]) == {outlet_of[s["article_id"]] for s in event["sources"]}
        assert set(row["groups"]) == {found["outlets"][o] for o in row["outlets"]}
    for group, left_out in found["missing"].items():
        assert left_out == [r["event_id"] for r in found["items"] if group not in r["groups"]]
    assert found["missing"]["Ukrainian media"]  # depo.ua does not report everything


def test_coverage_pages_its_rows_not_its_summary(client: TestClient, story: dict[str, Any]) -> None:
    url = f"/api/v1/stories/{story['id']}/coverage"
    whole = client.get(url, params=ALL).json()
    page = client.get(url, params={"limit": 3, "offset": 2, "lang": "ru"}).json()
    assert page["total"] == whole["total"] and page["missing"] == whole["missing"]
    assert [r["event_id"] for r in page["items"]] == [r["event_id"] for r in whole["items"][2:5]]
    assert [r["title"] for r in page["items"]] != [r["title"] for r in whole["items"][2:5]]


# ---------------------------------------------------------------------------- quotes


def _entity_id(client: TestClient, name: str) -> str:
    entities = client.get("/api/v1/entities", params={"type": "PER", **ALL}).json()["items"]
    (found,) = [e["id"] for e in entities if e["name"] == name]
    return found


def test_quotes_quote_their_articles_and_page(client: TestClient) -> None:
    everything = client.get("/api/v1/quotes", params=ALL).json()
    assert everything["total"] == len(everything["items"]) >= 10
    for quote in everything["items"][:10]:
        assert quote["kind"] == "quote"
        article = client.get(f"/api/v1/articles/{quote['article_id']}").json()
        assert article["text"][quote["start"] : quote["end"]] == quote["text"]
        assert quote["outlet"] == article["outlet"] and quote["story_id"] == article["story_id"]
    page = client.get("/api/v1/quotes", params={"limit": 5, "offset": 3}).json()
    assert page["total"] == everything["total"] and page["items"] == everything["items"][3:8]


def test_quotes_filter_by_speaker(client: TestClient) -> None:
    everything = client.get("/api/v1/quotes", params=ALL).json()
    ryabkov = _entity_id(client, "Sergey Ryabkov")
    his = client.get("/api/v1/quotes", params={**ALL, "speaker": ryabkov}).json()
    expected = [q["id"] for q in everything["items"] if q["speaker_entity_id"] == ryabkov]
    assert [q["id"] for q in his["items"]] == expected
    assert 0 < his["total"] == len(expected) < everything["total"]
    assert {q["speaker_name"] for q in his["items"]} == {"Sergey Ryabkov"}
    nobody = client.get("/api/v1/quotes", params={"speaker": "e_nobody"}).json()
    assert nobody == {"items": [], "total": 0}


def test_quotes_filter_by_story_by_either_route(client: TestClient, story: dict[str, Any]) -> None:
    flat = client.get("/api/v1/quotes", params={**ALL, "story": story["id"]}).json()
    nested = client.get(f"/api/v1/stories/{story['id']}/quotes", params=ALL).json()
    assert flat == nested and flat["total"] > 0
    assert {q["article_id"] for q in flat["items"]} <= set(story["articles"])
    assert {q["story_id"] for q in flat["items"]} == {story["id"]}
    others = [
        s["id"]
        for s in client.get("/api/v1/stories", params=ALL).json()["items"]
        if s["id"] != story["id"]
    ]
    assert others
    for other in others:
        theirs = client.get(f"/api/v1/stories/{other}/quotes", params=ALL).json()
        assert not {q["id"] for q in theirs["items"]} & {q["id"] for q in flat["items"]}
    peskov = _entity_id(client, "Dmitry Peskov")
    both = client.get(
        f"/api/v1/stories/{story['id']}/quotes", params={**ALL, "speaker": peskov}
    ).json()
    assert both["total"] > 0
    assert [q["id"] for q in both["items"]] == [
        q["id"] for q in flat["items"] if q["speaker_entity_id"] == peskov
    ]


# ---------------------------------------------------------------------------- errors, merges


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/stories/s_doesnotexist/timeline",
        "/api/v1/stories/s_doesnotexist/conflicts",
        "/api/v1/stories/s_doesnotexist/coverage",
        "/api/v1/stories/s_doesnotexist/quotes",
        "/api/v1/conflicts?story=s_doesnotexist",
        "/api/v1/quotes?story=s_doesnotexist",
    ],
)
def test_unknown_story_is_404_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert "s_doesnotexist" in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/quotes?limit=0",
        "/api/v1/quotes?offset=-1",
        "/api/v1/quotes?speaker=",
        "/api/v1/conflicts?story=",
    ],
)
def test_bad_account_parameters_are_422(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 422


def test_merged_away_story_answers_with_its_successor(fresh_url: str, tmp_path: Path) -> None:
    """A seed page's story merged into the harvest-fair story: its old id must still give
    the seed's events and quotes, now under the surviving story's id."""
    xss = tmp_path / "xss.jsonl"
    xss.write_bytes(xss_page())
    with Store.open(fresh_url) as store:
        report = ingest([str(seed("000")), str(xss)], store, settings_for(fresh_url))
        assert report.ok and report.ingested == 2
        (fair,) = store.articles(outlet="evil.example")
        kept = store.story_of(fair.id)
        (retired,) = [s.id for s in store.stories() if s.id != kept]
        assert kept is not None and store.merge_stories(kept, retired) == kept
        refresh_stories(store, [kept])
    with TestClient(create_app(settings_for(fresh_url))) as client:
        assert client.get(f"/api/v1/stories/{retired}").json()["id"] == kept
        for route in ("timeline", "conflicts", "coverage", "quotes"):
            old = client.get(f"/api/v1/stories/{retired}/{route}", params=ALL)
            assert old.status_code == 200
            assert old.json() == client.get(f"/api/v1/stories/{kept}/{route}", params=ALL).json()
        events = client.get(f"/api/v1/stories/{retired}/timeline", params=ALL).json()
        assert events["story_id"] == kept and events["total"] > 0
        assert {e["story_id"] for e in events["items"]} == {kept}
        quotes = client.get("/api/v1/quotes", params={**ALL, "story": retired}).json()
        assert quotes["total"] > 0
        assert {q["story_id"] for q in quotes["items"]} == {kept}
        assert fair.id not in {q["article_id"] for q in quotes["items"]}  # the seed's words


def test_openapi_lists_the_account_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for route in ("timeline", "conflicts", "coverage", "quotes"):
        assert "get" in paths[f"/api/v1/stories/{{story_id}}/{route}"]
    assert "get" in paths["/api/v1/quotes"] and "get" in paths["/api/v1/conflicts"]
    story_param = {p["name"]: p for p in paths["/api/v1/conflicts"]["get"]["parameters"]}
    assert story_param["story"]["required"] is True
