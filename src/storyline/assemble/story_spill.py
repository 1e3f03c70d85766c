"""Dormant stories' profiles and index postings, out of memory (a private SQLite file).

The story clusterer (:class:`~storyline.assemble.stories.StoryClusterer`) keeps every
story's profile and its entries in the candidate index in memory. Most stories of a long
feed are over: their last stated day is further back than the window gate
(:attr:`~storyline.assemble.stories.Weights.window`) lets an article of the feed's current
days join, so nothing but a late article (or one that states no day) can ever read them
again. Kept in memory, they made the clusterer's memory grow with the number of stories
ever seen (5.85 GB at 1M articles of the synthetic feed). Such a *dormant* story's
profile (packed, exactly as in memory) and its index keys move here; the clusterer keeps
only a stub (id, members, window). An article that could still join it (its stated day
within reach of the story's window, or no stated day) finds it through
:meth:`StorySpill.find` and :meth:`StorySpill.take` reads it back, unchanged.

The file is scratch, not a store: the ingest rebuilds its clusterer by replaying the
stored placements, so nothing here needs to survive the process. SQLite's private
temporary database (an empty file name) is deleted when the connection closes, keeps
only a small page cache in memory and spills the rest to a file in the temp directory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

UNDATED = -1
"""The ``last`` of a story none of whose members states a day (a primary key column of
a ``WITHOUT ROWID`` table may not be NULL): sorts after every dated story."""


_SEPARATOR = "\x1e"
"""Between a held story's keys in its row (entity ids and name keys hold no control
characters)."""


_BATCH = 1000
"""Puts and takes per transaction (see :meth:`StorySpill._write`)."""


class StorySpill:
    """Packed profiles of dormant stories and their index keys, by story id."""

    def __init__(self, path: str = "") -> None:
        # "" is a private temporary on-disk database, deleted on close; one writer (the
        # clusterer), so no journal nor fsync is worth its cost
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -16384;
            CREATE TABLE story (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL,
                                last INTEGER NOT NULL, keys TEXT NOT NULL,
                                data BLOB NOT NULL);
            CREATE TABLE posting (key TEXT NOT NULL, last INTEGER NOT NULL,
                                  seq INTEGER NOT NULL,
                                  PRIMARY KEY (key, last, seq)) WITHOUT ROWID;
            """
        )
        self.count = 0
        """Stories held now."""
        self.latest = UNDATED
        self._writes = 0
        """The latest ``last`` of a dated story ever put here: a dated article's lookup
        (:meth:`find` with a day) past it finds nothing without asking the file, and that
        is nearly every article of an ordered feed."""

    def __len__(self) -> int:
        return self.count

    def put(self, story_id: str, last: int | None, keys: Iterable[str], data: bytes) -> None:
        """Hold ``story_id``'s packed profile ``data`` and make it findable by ``keys``
        (its index keys); ``last``: its window's last stated day (ordinal), None if none."""
        day = UNDATED if last is None else last
        keys = list(dict.fromkeys(keys))
        self._write()
        cursor = self.db.execute(
            "INSERT INTO story (id, last, keys, data) VALUES (?, ?, ?, ?)",
            (story_id, day, _SEPARATOR.join(keys), data),
        )
        seq = cursor.lastrowid
        self.db.executemany("INSERT INTO posting VALUES (?, ?, ?)", ((k, day, seq) for k in keys))
        self.count += 1
        self.latest = max(self.latest, day)

    def find(self, key: str, since: int | None, limit: int) -> list[str]:
        """Up to ``limit`` held stories indexed under ``key``, latest window first: with
        ``since``, only dated stories whose window ends on or after that day (the others
        a dated article cannot join); without, any (an undated article's calendar
        rules none out)."""
        if not self.count or limit <= 0 or (since is not None and since > self.latest):
            return []
        if since is None:
            query = (
                "SELECT s.id FROM posting p JOIN story s ON s.seq = p.seq WHERE p.key = ?"
                " ORDER BY p.last DESC, p.seq DESC LIMIT ?"
            )
            rows = self.db.execute(query, (key, limit))
        else:
            query = (
                "SELECT s.id FROM posting p JOIN story s ON s.seq = p.seq"
                " WHERE p.key = ? AND p.last >= ? ORDER BY p.last DESC, p.seq DESC LIMIT ?"
            )
            rows = self.db.execute(query, (key, max(since, 0), limit))
        return [sid for (sid,) in rows]

    def peek(self, story_id: str) -> bytes | None:
        """``story_id``'s packed profile, still held (None if it is not)."""
        row = self.db.execute("SELECT data FROM story WHERE id = ?", (story_id,)).fetchone()
        return None if row is None else bytes(row[0])

    def take(self, story_id: str) -> bytes | None:
        """``story_id``'s packed profile, no longer held (its postings go with it); None
        if it is not held."""
        row = self.db.execute("SELECT seq, last, keys, data FROM story WHERE id = ?", (story_id,))
        found = row.fetchone()
        if found is None:
            return None
        seq, last, keys, data = found
        self._write()
        self.db.execute("DELETE FROM story WHERE seq = ?", (seq,))
        self.db.executemany(
            "DELETE FROM posting WHERE key = ? AND last = ? AND seq = ?",
            ((k, last, seq) for k in keys.split(_SEPARATOR) if keys),
        )
        self.count -= 1
        return bytes(data)

    def _write(self) -> None:
        """Writes go in transactions of ``_BATCH``: each commit writes the pages it dirtied
        (in autocommit a put wrote ~50 posting pages, ~10 ms on a busy machine), and the
        file is scratch, so nothing is lost that matters when the process ends."""
        if self._writes % _BATCH == 0:
            if self.db.in_transaction:
                self.db.execute("COMMIT")
            self.db.execute("BEGIN")
        self._writes += 1

    def size_bytes(self) -> int:
        """The file's size (pages in use and free)."""
        (pages,) = self.db.execute("PRAGMA page_count").fetchone()
        (size,) = self.db.execute("PRAGMA page_size").fetchone()
        return int(pages) * int(size)

    def close(self) -> None:
        self.db.close()
