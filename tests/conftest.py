"""Shared fixtures: databases for the store.

* ``pg_admin_url`` (session): a PostgreSQL server. ``STORYLINE_TEST_PG_URL`` names
  an existing one; otherwise a throwaway cluster is started from the installed
  server binaries (see ``tests/pg_cluster.py``) and stopped at session end.
  Missing binaries make the PostgreSQL tests *fail*; ``STORYLINE_SKIP_PG=1`` is
  the only way to skip them.
* ``pg_url``: a fresh, empty database on that server, dropped after the test.
* ``sqlite_url``: a fresh SQLite file in the test's temp dir.
* ``db_url``: parametrized over both backends (the PostgreSQL case carries the
  ``postgres`` mark); ``store``: a migrated :class:`Store` on ``db_url``.
* ``seeds_db`` (session): a SQLite store of the five seeds, ingested once, for tests
  that only read it; ``seeds_story``: the one story they make.

Other test folders add their own fixtures in their own ``conftest.py``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from paths import SEEDS
from pg_cluster import PgCluster, PgUnavailable
from storyline.config import Settings
from storyline.ingest import ingest
from storyline.store import Store
from storyline.store.db import parse_url

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """URL of a PostgreSQL server where we may CREATE DATABASE."""
    if os.environ.get("STORYLINE_SKIP_PG") == "1":
        pytest.skip("STORYLINE_SKIP_PG=1: PostgreSQL tests skipped on purpose")
    given = os.environ.get("STORYLINE_TEST_PG_URL")
    if given:
        yield parse_url(given).render_as_string(hide_password=False)
        return
    try:
        cluster = PgCluster.start()
    except PgUnavailable as exc:
        problem = str(exc)
    else:
        problem = ""
    if problem:
        pytest.fail(f"cannot start a PostgreSQL server for the tests: {problem}", pytrace=False)
    try:
        yield cluster.url()
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_admin(pg_admin_url: str) -> Iterator[Engine]:
    engine = sa.create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def pg_url(pg_admin: Engine) -> Iterator[str]:
    """A new empty database on the test server, dropped afterwards."""
    name = f"storyline_test_{uuid.uuid4().hex[:12]}"
    with pg_admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield pg_admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with pg_admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db' / 'storyline.db'}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database: a SQLite file, or a fresh database on the PostgreSQL server."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A store migrated to head on ``db_url``."""
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('seeds') / 'seeds.db'}"
    with Store.open(url) as store:
        report = ingest([str(SEEDS)], store, Settings.from_env(db_url=url))
    assert report.ok and report.ingested == 5, report
    return url


@pytest.fixture(scope="session")
def seeds_story(seeds_db: str) -> str:
    with Store.open(seeds_db) as store:
        (only,) = store.stories()
    assert only.size == 5
    return only.id
