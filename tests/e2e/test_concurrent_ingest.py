"""Ingests at once on one store equal the same ingests one after the other.

Two ``storyline ingest`` processes over overlapping dev pages, started together on one
store (SQLite file and PostgreSQL), and an ingest beside ``POST /api/v1/articles``
requests: before the writer lock the second writer's linker and clusterer, built from
the store as it was when it started, minted twin entities (Putin, Prigozhin… twice:
545 entities instead of 532) and split stories, with no error. Now each batch is the
store's only writer from start to end, so the store is the one a plain run of the
same batches, in the order they got the lock, gives.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from ingest_probe import cli_ingest, ingest_here, pages, snapshot
from paths import DEV
from storyline.config import Settings
from storyline.store import Store
from storyline.store.models import article_table
from storyline.web import create_app

pytestmark = pytest.mark.slow

ARTICLES = DEV / "articles"
FIRST = range(1, 33)
SECOND = range(17, 49)
"""Overlapping halves: pages 17-32 are in both, as 49-96 were in the issue's 1-96 / 49-144."""
TOKEN = "concurrent-ingest-token"


def _first_stored(url: str, folders: list[Path]) -> list[Path]:
    """The folders in the order their first article was stored."""
    a = article_table.c
    with Store(url) as store, store.engine.connect() as conn:
        first = {
            folder: conn.execute(
                sa.select(sa.func.min(a.created_at)).where(a.source.startswith(f"{folder}/"))
            ).scalar_one()
            for folder in folders
        }
    return sorted(folders, key=lambda f: first[f])


def _two_at_once(url: str, tmp_path: Path) -> None:
    first = pages(tmp_path / "first", FIRST, ARTICLES)
    second = pages(tmp_path / "second", SECOND, ARTICLES)
    Store.open(url).close()  # migrated: neither run spends its head start on the schema
    runs = [cli_ingest(url, first), cli_ingest(url, second)]
    errors = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors

    reference = f"sqlite:///{tmp_path / 'one-after-the-other.db'}"
    for folder in _first_stored(url, [first, second]):
        assert ingest_here(reference, [str(folder)]).ok
    together, apart = snapshot(url), snapshot(reference)
    assert len(together["articles"]) == len(set(FIRST) | set(SECOND))
    assert len(together["entities"]) == len(apart["entities"])  # no twins
    assert together == apart
    waited = [e for e in errors if "another ingest is writing" in e]
    assert len(waited) == 1, errors  # the second one said so, on one line
    assert len(waited[0].strip().splitlines()) == 1


def test_two_cli_ingests_at_once_on_sqlite(tmp_path: Path) -> None:
    _two_at_once(f"sqlite:///{tmp_path / 'shared.db'}", tmp_path)


@pytest.mark.postgres
def test_two_cli_ingests_at_once_on_postgres(pg_url: str, tmp_path: Path) -> None:
    _two_at_once(pg_url, tmp_path)


def test_an_ingest_beside_api_posts(tmp_path: Path) -> None:
    """A CLI batch and single pages POSTed meanwhile: each POST is an ingest too, so it
    waits while the batch holds the store, and the store is the one the POSTs before
    the batch, the batch, then the POSTs after it give one at a time."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    batch = pages(tmp_path / "batch", range(1, 49), ARTICLES)
    posted = [(ARTICLES / f"{n:03d}.txt").read_bytes() for n in range(25, 41)]
    Store.open(url).close()
    settings = Settings.from_env(db_url=url, api_token=TOKEN)
    responses = []
    with TestClient(create_app(settings)) as client:
        run = cli_ingest(url, batch)
        for body in posted:
            response = client.post(
                "/api/v1/articles", content=body, headers={"Authorization": f"Bearer {TOKEN}"}
            )
            assert response.status_code in (200, 201), response.text
            responses.append(response.json())
            time.sleep(0.2)  # spread over the batch's run
        _, stderr = run.communicate(timeout=300)
    assert run.returncode == 0, stderr

    a = article_table.c
    with Store(url) as store, store.engine.connect() as conn:
        batch_start = conn.execute(
            sa.select(sa.func.min(a.created_at)).where(a.source.startswith(f"{batch}/"))
        ).scalar_one()
        created = {row.id: row.created_at for row in conn.execute(sa.select(a.id, a.created_at))}
    before = [
        n
        for n, r in enumerate(responses)
        if r["article_ids"] and created[r["article_ids"][0]] < batch_start
    ]
    assert before == list(range(len(before)))  # the POSTs before the batch came first
    reference = f"sqlite:///{tmp_path / 'one-after-the-other.db'}"
    for n, body in enumerate(posted):
        if n == len(before):
            assert ingest_here(reference, [str(batch)]).ok
        ingest_here(reference, ["-"], stdin=io.BytesIO(body))
    if len(before) == len(posted):
        assert ingest_here(reference, [str(batch)]).ok
    assert snapshot(url) == snapshot(reference)
