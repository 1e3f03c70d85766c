"""Error responses: paging bounds answer 4xx (never a 500 from an integer overflow), and
every error — 4xx and 500 alike — carries the security headers normal pages have."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conftest import settings_for
from storyline.web import create_app
from storyline.web.api import MAX_OFFSET
from storyline.web.security import HEADERS

HUGE = ["9223372036854775808", str(10**26)]
"""2**63, one past SQLite's and PostgreSQL's largest integer, and far beyond it."""

API_LISTS = [
    "/api/v1/stories",
    "/api/v1/articles",
    "/api/v1/entities",
    "/api/v1/quotes",
    "/api/v1/search?q=NATO",
]
STORY_LISTS = ["timeline", "conflicts", "coverage", "quotes"]


def _assert_secure(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    for name, value in HEADERS:
        assert headers.get(name.decode()) == value.decode(), (name, response)


def _story(client: TestClient) -> str:
    story: str = client.get("/api/v1/stories").json()["items"][0]["id"]
    return story


@pytest.mark.parametrize("offset", HUGE)
def test_api_lists_refuse_huge_offsets_with_422(client: TestClient, offset: str) -> None:
    story = _story(client)
    paths = [*API_LISTS, *(f"/api/v1/stories/{story}/{kind}" for kind in STORY_LISTS)]
    paths.append(f"/api/v1/conflicts?story={story}")
    for path in paths:
        joiner = "&" if "?" in path else "?"
        response = client.get(f"{path}{joiner}offset={offset}")
        assert response.status_code == 422, (path, response.text)
        assert response.json()["detail"][0]["loc"] == ["query", "offset"], path
        _assert_secure(response)


@pytest.mark.parametrize("offset", HUGE)
def test_pages_refuse_huge_offsets_with_a_4xx_page(client: TestClient, offset: str) -> None:
    for path in ("/", "/search?q=NATO"):
        joiner = "&" if "?" in path else "?"
        response = client.get(f"{path}{joiner}offset={offset}")
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert "text/html" in response.headers["content-type"]
        _assert_secure(response)


def test_largest_allowed_offset_is_an_empty_page(client: TestClient) -> None:
    """The cap is far past any store: at it, a list is simply empty, not an error."""
    response = client.get(f"/api/v1/articles?offset={MAX_OFFSET}")
    assert response.status_code == 200 and response.json()["items"] == []
    assert client.get(f"/?offset={MAX_OFFSET}").status_code == 200
    assert client.get(f"/api/v1/articles?offset={MAX_OFFSET + 1}").status_code == 422


def test_not_found_and_invalid_carry_the_security_headers(client: TestClient) -> None:
    for path in ("/api/v1/stories/s_nope", "/stories/s_nope", "/no/such/route", "/static/x.js"):
        response = client.get(path)
        assert response.status_code == 404, path
        _assert_secure(response)
    response = client.get("/api/v1/articles?limit=0")
    assert response.status_code == 422
    _assert_secure(response)


@pytest.fixture
def failing(demo_url: str) -> Iterator[TestClient]:
    """The app with two routes that fail, as a bug would, served without re-raising."""
    app: FastAPI = create_app(settings_for(demo_url))

    @app.get("/api/v1/boom")
    def api_boom() -> None:
        raise RuntimeError("a bug")

    @app.get("/boom")
    def page_boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_server_errors_carry_the_security_headers(failing: TestClient) -> None:
    for path in ("/api/v1/boom", "/boom"):
        response = failing.get(path)
        assert response.status_code == 500, path
        _assert_secure(response)
        assert "a bug" not in response.text and "RuntimeError" not in response.text
    assert failing.get("/api/v1/boom").json() == {"detail": "internal server error"}
