"""Killing ingest in the middle of a batch leaves only whole articles; a re-run completes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from paths import DEV
from store_probe import article_count

pytestmark = pytest.mark.slow


def _ingest(db: Path, inputs: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "storyline", "ingest", str(inputs), "--db", str(db), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_kill_mid_batch_then_rerun(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    pages = DEV / "articles"
    expected = len(list(pages.glob("*.txt")))

    proc = _ingest(db, pages)
    deadline = time.monotonic() + 120
    while article_count(db) < 10 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be interrupted"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    interrupted_at = article_count(db)
    assert 10 <= interrupted_at < expected

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = conn.execute(
            "SELECT count(*) FROM article a LEFT JOIN document d ON d.sha256 = a.doc_sha256 "
            "WHERE d.sha256 IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        assert conn.execute("SELECT count(*) FROM article WHERE text = ''").fetchone()[0] == 0

    rerun = _ingest(db, pages)
    _, stderr = rerun.communicate(timeout=600)
    with sqlite3.connect(db) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM article")]
        docs = conn.execute("SELECT count(*) FROM document").fetchone()[0]
    failed = stderr.decode().count("failed:")
    assert len(ids) == len(set(ids)) == docs
    assert len(ids) + failed == expected, stderr.decode()
