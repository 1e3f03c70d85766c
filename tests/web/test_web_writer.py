"""``POST /api/v1/articles`` ingests in the server's writer process, not in its threads.

In a thread of the server an ingest shares the GIL with every read, which then crawls
(the load bench: reads' p99 in seconds while posts ran). The test patches the page
processing of *this* process to fail: a post that ran here would fail with it; one run
by the writer process (its own interpreter) does not see the patch.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from conftest import TOKEN, writable_client
from paths import seed
from storyline import ingest as ingest_module
from storyline.document import RawDocument
from storyline.errors import InputError


def test_a_post_is_ingested_outside_the_server_process(
    fresh_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_here(raw: RawDocument, *args: object, **kwargs: object) -> InputError:
        return InputError(raw.source, "processed inside the server process")

    def broken_window(documents: list[RawDocument], *args: object, **kwargs: object) -> list:
        return [broken_here(raw) for raw in documents]

    # one page goes through process_one, several through process_window: break both
    monkeypatch.setattr(ingest_module, "process_one", broken_here)
    monkeypatch.setattr(ingest_module, "process_window", broken_window)
    client: TestClient
    with writable_client(fresh_url) as client:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        response = client.post("/api/v1/articles", content=seed("001").read_bytes(), headers=auth)
        assert response.status_code == 201, response.text
        (article_id,) = response.json()["article_ids"]
        assert client.get(f"/api/v1/articles/{article_id}").json()["lang"] == "uk"


def test_the_time_limit_per_page_holds_for_posts(fresh_url: str) -> None:
    """The limit is an alarm signal, which only a main thread receives: in a server
    thread a post ran unbounded (a 150k-attribute page held the server for 393 s)."""
    client: TestClient
    with writable_client(fresh_url, page_time_limit=0.001) as client:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        response = client.post("/api/v1/articles", content=seed("002").read_bytes(), headers=auth)
        assert response.status_code == 422, response.text
        (failure,) = response.json()["failed"]
        assert failure.endswith("took longer than 0.001 s, the time limit per page"), failure
