"""The same pages ingested into PostgreSQL and into SQLite give the same knowledge base."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from paths import SEEDS
from storyline.cli import app

pytestmark = pytest.mark.postgres

runner = CliRunner()


def _export(db: str) -> list[dict]:
    result = runner.invoke(app, ["export", "--db", db])
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_postgres_store_matches_sqlite(pg_url: str, sqlite_url: str) -> None:
    for db in (pg_url, sqlite_url):
        result = runner.invoke(app, ["ingest", str(SEEDS), "--db", db, "-q"])
        assert result.exit_code == 0, result.stderr
    on_pg, on_sqlite = _export(pg_url), _export(sqlite_url)
    assert {r["kind"] for r in on_pg} == {"article", "entity", "story", "event", "quote"}
    assert sorted(on_pg, key=lambda r: r["id"]) == sorted(on_sqlite, key=lambda r: r["id"])
    # re-ingesting into PostgreSQL changes nothing either
    assert runner.invoke(app, ["ingest", str(SEEDS), "--db", pg_url, "-q"]).exit_code == 0
    assert _export(pg_url) == on_pg
