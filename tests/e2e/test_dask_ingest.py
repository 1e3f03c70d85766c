"""Ingest on a Dask cluster: the same store as on one machine, through lost workers and
a killed client.

One local cluster of two worker processes (what ``--dask local:2`` starts) serves the
module; the reference is the single-process path into SQLite.

Compared: every record of the export, story ids mapped to their members. The processes
that run NLP get ``PYTHONHASHSEED=0``, so nothing can hang on set order; after a resumed
run, entity display names and the event titles made of them are left out (see
:func:`_normalized`).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distributed import LocalCluster
from typer.testing import CliRunner

from paths import DEV
from store_probe import article_count
from storyline.cli import app
from storyline.config import Settings
from storyline.distributed import DaskRunner, parse_address
from storyline.distributed.cluster import Address
from storyline.errors import ConfigError
from storyline.export import records
from storyline.ingest import IngestReport, Progress, ingest
from storyline.store import Store

PAGES = DEV / "articles"
SEED = {"PYTHONHASHSEED": "0"}


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """The scheduler address of a local cluster of two single-threaded worker processes."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONHASHSEED", "0")  # worker processes are spawned with this environment
        local = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    try:
        yield local.scheduler_address
    finally:
        local.close()


@pytest.fixture(scope="module")
def runner(cluster: str) -> Iterator[DaskRunner]:
    dask = DaskRunner(cluster)
    try:
        yield dask
    finally:
        dask.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The dev corpus ingested by the single-process path into SQLite, exported."""
    db = tmp_path_factory.mktemp("reference") / "single.db"
    done = _cli_ingest(db).wait(timeout=600)
    assert done == 0
    return _export(f"sqlite:///{db}")


# ---------------------------------------------------------------------------- helpers


def _cli_ingest(db: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "storyline", "ingest", str(PAGES), "--db", str(db), "-q", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **SEED},
    )


def _ingest(url: str, runner: DaskRunner, progress: Progress | None = None) -> IngestReport:
    with Store.open(url) as store:
        settings = Settings.from_env(db_url=url)
        return ingest([str(PAGES)], store, settings, runner=runner, progress=progress)


def _export(url: str) -> list[dict[str, Any]]:
    with Store.open(url) as store:
        return list(records(store))


def _normalized(exported: list[dict[str, Any]], *, resumed: bool = False) -> list[dict[str, Any]]:
    """The records with each story named by its members instead of its id, entities
    without their display names, sorted.

    ``resumed``: also without event titles, which are made of entity display names.
    A resumed run rebuilds its entity linker from the store, and the store does not
    keep how often each name form was seen (``storyline.assemble.linking``), so an
    entity seen on both sides of the interruption may be named by another form.
    """
    stories = [r for r in exported if r["kind"] == "story"]
    names = {r["id"]: "story:" + ",".join(sorted(r["articles"])) for r in stories}
    out = []
    for record in exported:
        record = dict(record)
        if record["kind"] == "story":
            record["id"] = names[record["id"]]
        if record["kind"] == "entity" and resumed:
            del record["name"], record["names"]
        if record["kind"] == "event" and resumed:
            del record["title"]
        if record.get("story_id") is not None:
            record["story_id"] = names.get(record["story_id"], record["story_id"])
        out.append(record)
    return sorted(out, key=lambda r: (r["kind"], str(r["id"])))


def _differences(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> list[str]:
    """``kind id: field`` for each field that differs (readable where ``==`` is not)."""
    left = {(r["kind"], str(r["id"])): r for r in got}
    right = {(r["kind"], str(r["id"])): r for r in want}
    found = [f"{k} {i}: missing" for k, i in right.keys() - left.keys()]
    found += [f"{k} {i}: extra" for k, i in left.keys() - right.keys()]
    for key in left.keys() & right.keys():
        a, b = left[key], right[key]
        found += [f"{key[0]} {key[1]}: {f}" for f in a.keys() | b.keys() if a.get(f) != b.get(f)]
    return sorted(found)


def _article_ids(exported: list[dict[str, Any]]) -> set[str]:
    return {r["id"] for r in exported if r["kind"] == "article"}


# ---------------------------------------------------------------------------- addresses


def test_addresses() -> None:
    assert parse_address("local:2") == Address(workers=2)
    assert parse_address("tcp://127.0.0.1:8786") == Address(url="tcp://127.0.0.1:8786")
    assert parse_address("localhost:8786") == Address(url="tcp://localhost:8786")
    with pytest.raises(ConfigError, match="at least one worker"):
        parse_address("local:0")
    for bad in ("local", "http://localhost:1/", "localhost"):
        with pytest.raises(ConfigError, match="local:N"):
            parse_address(bad)


def test_cli_refuses_a_pool_and_a_cluster_at_once(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["ingest", str(PAGES), "--db", str(tmp_path / "x.db"), "-w", "2", "--dask", "local:2"]
    )
    assert result.exit_code == 2
    assert "give one of them" in result.stderr


# ---------------------------------------------------------------------------- same answers


@pytest.mark.slow
@pytest.mark.postgres
def test_dask_on_postgres_matches_single_process_on_sqlite(
    reference: list[dict[str, Any]], runner: DaskRunner, pg_url: str
) -> None:
    assert len(_article_ids(reference)) == len(list(PAGES.glob("*.txt")))
    report = _ingest(pg_url, runner)
    assert report.ok and report.ingested + report.duplicates == len(_article_ids(reference))
    on_cluster = _export(pg_url)
    assert {r["kind"] for r in on_cluster} == {"article", "entity", "story", "event", "quote"}
    assert not _differences(_normalized(on_cluster), _normalized(reference))


# ---------------------------------------------------------------------------- faults


@pytest.mark.slow
def test_a_killed_worker_loses_nothing_and_stores_nothing_twice(
    reference: list[dict[str, Any]], runner: DaskRunner, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'killed-worker.db'}"
    killed: list[int] = []

    def kill_a_worker_once(source: str, outcome: str) -> None:
        # The first window is stored, so the next windows' tasks are on the workers now.
        if outcome == "ingested" and not killed:
            pid = next(iter(runner.client.run(os.getpid).values()))
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    report = _ingest(url, runner, kill_a_worker_once)
    assert killed, "no article was ingested before the end"
    assert report.ok and len(report.article_ids) == len(set(report.article_ids))
    exported = _export(url)
    assert _article_ids(exported) == _article_ids(reference)
    assert not _differences(_normalized(exported), _normalized(reference))


@pytest.mark.slow
def test_a_killed_client_is_resumed_by_a_rerun(
    reference: list[dict[str, Any]], runner: DaskRunner, cluster: str, tmp_path: Path
) -> None:
    db = tmp_path / "killed-client.db"
    proc = _cli_ingest(db, "--dask", cluster)
    deadline = time.monotonic() + 300
    while article_count(db) == 0 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be interrupted"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = article_count(db)
    total = len(_article_ids(reference))
    assert 0 < stored < total

    url = f"sqlite:///{db}"
    rerun = _ingest(url, runner)
    assert rerun.ok and rerun.already_known == stored
    assert rerun.ingested + rerun.duplicates == total - stored
    exported = _export(url)
    assert not _differences(
        _normalized(exported, resumed=True), _normalized(reference, resumed=True)
    )

    again = _ingest(url, runner)
    assert (again.ingested, again.duplicates, again.already_known) == (0, 0, total)
    assert _export(url) == exported
