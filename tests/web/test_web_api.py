"""The JSON API: every route, pagination, validation, 404s, the ingest token, size limits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from conftest import TOKEN, Changed, writable_client
from paths import seed


def test_stories_list_paginates_and_gets_one(client: TestClient) -> None:
    page = client.get("/api/v1/stories").json()
    assert page["total"] == len(page["items"]) >= 2
    first = page["items"][0]
    assert first["kind"] == "story" and first["size"] == len(first["articles"]) == 5
    assert set(first["languages"]) == {"ru", "uk"}
    one = client.get("/api/v1/stories", params={"limit": 1, "offset": 1}).json()
    assert one["total"] == page["total"] and one["items"] == page["items"][1:2]
    assert client.get(f"/api/v1/stories/{first['id']}").json()["articles"] == first["articles"]
    uk = client.get("/api/v1/stories", params={"lang": "uk"}).json()
    assert uk["total"] == 1 and uk["items"][0]["id"] == first["id"]
    late = client.get("/api/v1/stories", params={"since": "2023-01-01"}).json()
    assert late == {"items": [], "total": 0}


def test_story_history_is_empty_and_other_fields_unchanged(client: TestClient) -> None:
    listed = client.get("/api/v1/stories").json()["items"][0]
    one = client.get(f"/api/v1/stories/{listed['id']}").json()
    assert one.pop("history") == [] and one == listed


def test_story_lists_its_merges_and_splits(changed: Changed, changed_client: TestClient) -> None:
    big = changed_client.get(f"/api/v1/stories/{changed.big}").json()
    split, merge = big["history"]
    assert {k: v for k, v in split.items() if k != "at"} == {
        "action": "split",
        "story_id": changed.big,
        "other_story_id": changed.split_off,
        "article_ids": changed.split_articles,
        "automatic": False,
    }
    assert {k: v for k, v in merge.items() if k not in ("at", "article_ids")} == {
        "action": "merge",
        "story_id": changed.big,
        "other_story_id": changed.harvest,
        "automatic": True,
    }
    (moved,) = merge["article_ids"]
    assert moved in big["articles"] and moved not in changed.split_articles
    assert set(big["articles"]).isdisjoint(changed.split_articles) and big["size"] == 4
    assert datetime.fromisoformat(split["at"]) <= datetime.fromisoformat(merge["at"])
    assert changed_client.get(f"/api/v1/stories/{changed.harvest}").json() == big
    split_off = changed_client.get(f"/api/v1/stories/{changed.split_off}").json()
    assert split_off["articles"] == changed.split_articles and split_off["history"] == [split]
    assert {k: v for k, v in big.items() if k != "history"} in (
        changed_client.get("/api/v1/stories").json()["items"]
    )


def test_articles_list_and_one_with_annotations(client: TestClient) -> None:
    page = client.get("/api/v1/articles", params={"limit": 2}).json()
    assert page["total"] == 6 and len(page["items"]) == 2
    rest = client.get("/api/v1/articles", params={"limit": 100, "offset": 2}).json()
    ids = [a["id"] for a in page["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == 6
    ru = client.get("/api/v1/articles", params={"lang": "ru"}).json()
    assert ru["total"] == 3 and {a["lang"] for a in ru["items"]} == {"ru"}
    article = client.get(f"/api/v1/articles/{ids[0]}").json()
    assert article["kind"] == "article" and article["entities"]
    for mention in article["entities"]:
        assert article["text"][mention["start"] : mention["end"]] == mention["text"]


def test_entities_list_and_one(client: TestClient) -> None:
    page = client.get("/api/v1/entities", params={"type": "PER", "limit": 5}).json()
    assert page["total"] >= 5 and {e["type"] for e in page["items"]} == {"PER"}
    stoltenberg = next(
        e
        for e in client.get("/api/v1/entities", params={"limit": 100}).json()["items"]
        if e["name"] == "Jens Stoltenberg"
    )
    detail = client.get(f"/api/v1/entities/{stoltenberg['id']}").json()
    assert detail["names"]["ru"] == "Йенс Столтенберг"
    assert len(detail["occurrences"]) == detail["articles"] >= 1
    assert detail["stories"] and all(o["mentions"] for o in detail["occurrences"])


def test_search_by_form_and_across_scripts(client: TestClient) -> None:
    ru = client.get("/api/v1/search", params={"q": "Столтенберг"}).json()
    assert ru["total"] >= 1 and ru["entities"]
    found = client.get(f"/api/v1/articles/{ru['items'][0]['article_id']}").json()
    assert "Столтенберга" in found["text"]
    en = client.get("/api/v1/search", params={"q": "Stoltenberg"}).json()
    assert {i["article_id"] for i in en["items"]} >= {i["article_id"] for i in ru["items"]}
    assert all(i["via_entity"] for i in en["items"] if i["lang"] != "en")
    paged = client.get("/api/v1/search", params={"q": "НАТО", "limit": 1, "offset": 1}).json()
    assert paged["total"] >= 2 and len(paged["items"]) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/stories?limit=0",
        "/api/v1/stories?limit=101",
        "/api/v1/articles?offset=-1",
        "/api/v1/articles?lang=Russian!",
        "/api/v1/articles?since=yesterday",
        "/api/v1/entities?type=THING",
        "/api/v1/search",
        "/api/v1/search?q=",
    ],
)
def test_bad_parameters_are_422_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"][0]["loc"]


@pytest.mark.parametrize("kind", ["stories", "articles", "entities"])
def test_unknown_ids_are_404_json(client: TestClient, kind: str) -> None:
    response = client.get(f"/api/v1/{kind}/x_doesnotexist")
    assert response.status_code == 404
    assert "x_doesnotexist" in response.json()["detail"]


def test_openapi_lists_every_route_and_no_docs_ui(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("stories", "stories/{story_id}", "articles", "articles/{article_id}"):
        assert f"/api/v1/{path}" in paths
    assert {"/api/v1/entities", "/api/v1/entities/{entity_id}", "/api/v1/search"} <= set(paths)
    assert "post" in paths["/api/v1/articles"]
    assert client.get("/docs").status_code == 404  # Swagger UI needs inline script


# ---------------------------------------------------------------------------- ingest


def test_read_only_server_refuses_ingest(client: TestClient) -> None:
    response = client.post("/api/v1/articles", content=b"hello", headers={"Authorization": "x"})
    assert response.status_code == 403 and "read-only" in response.json()["detail"]


@pytest.fixture
def writer(fresh_url: str) -> Iterator[TestClient]:
    with writable_client(fresh_url) as test_client:
        yield test_client


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN])
def test_wrong_or_missing_token_is_401(writer: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = writer.post("/api/v1/articles", content=b"text", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert writer.get("/api/v1/articles").json()["total"] == 0


def test_right_token_ingests_a_seed_once(writer: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    page = seed("000").read_bytes()
    first = writer.post("/api/v1/articles", content=page, headers=auth)
    assert first.status_code == 201, first.text
    (article_id,) = first.json()["article_ids"]
    stored = writer.get(f"/api/v1/articles/{article_id}").json()
    assert stored["lang"] == "ru" and stored["entities"] and stored["story_id"]
    assert writer.get("/api/v1/search", params={"q": "Столтенберг"}).json()["total"] == 1
    again = writer.post("/api/v1/articles", content=page, headers=auth)
    assert again.status_code == 200 and again.json()["already_known"] == 1
    binary = writer.post("/api/v1/articles", content=b"\x89PNG\r\n\x1a\n\0\0\0", headers=auth)
    assert binary.status_code == 422 and binary.json()["failed"]


def test_request_size_is_limited(fresh_url: str) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with writable_client(fresh_url, max_request_bytes=1000) as small:
        declared = small.post("/api/v1/articles", content=b"x" * 2000, headers=auth)
        assert declared.status_code == 413

        def chunks() -> Iterator[bytes]:
            yield from (b"y" * 400 for _ in range(5))

        streamed = small.post("/api/v1/articles", content=chunks(), headers=auth)
        assert streamed.status_code == 413
        assert small.get("/api/v1/articles").json()["total"] == 0
