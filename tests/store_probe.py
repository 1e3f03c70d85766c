"""Looking into a SQLite store from outside while another process writes it."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def article_count(db: Path) -> int:
    """Articles stored so far in the SQLite file ``db`` (0 before its schema exists)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM article").fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0
