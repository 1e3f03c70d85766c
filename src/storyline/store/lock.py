"""One writer at a time per store: the lock every ingest holds from start to end.

Why a lock for the whole batch, not per window: the ingest keeps its entity linker,
story clusterer and near-duplicate index in memory, built from the store when it
starts. A second writer that commits meanwhile makes that state stale, and the
first writer would then mint twin entities and stories (two overlapping batches at
once gave 545 entities instead of 532). Holding the lock from before that state is
built until the batch ends makes any set of concurrent ingests equal to the same
ingests run one after the other, in the order they got the lock.

* **PostgreSQL**: a session-level ``pg_advisory_lock`` on a connection kept for the
  batch (in autocommit, so no transaction idles open). It is per database, so every
  machine writing to the same database queues on it, and the server drops it when
  the session ends, however the writer died.
* **SQLite file**: ``flock`` on a file next to the database (``<db>-writer.lock``).
  ``flock`` belongs to the open file, so two threads of one process queue too, and
  the kernel drops it when the process dies (SIGKILL included).
* **SQLite in memory**: a lock of this process (no other process can see the store).

A writer that has to wait says so once through ``on_wait``; with a ``timeout`` it
gives up with :class:`WriterBusy` instead of waiting on.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import SQLAlchemyError

from storyline.errors import StoreError
from storyline.store.db import is_memory_sqlite, safe_url, store_error

PG_WRITER_LOCK = 0x5707_1E_02
"""``pg_advisory_lock`` key: "storyline writer" (the migrations use ``…_01``)."""
POLL_S = 0.2
"""How often a waiting writer asks again (PostgreSQL, and SQLite with a timeout)."""

_MEMORY_LOCKS: dict[int, threading.Lock] = {}
_MEMORY_GUARD = threading.Lock()


class WriterBusy(StoreError):
    """Another writer held the store's writer lock for longer than the caller would wait."""


OnWait = Callable[[str], None]


def lock_file(url: URL) -> Path | None:
    """The file whose ``flock`` is the writer lock of a SQLite file store (``None`` for
    in-memory SQLite and for PostgreSQL)."""
    if url.get_backend_name() != "sqlite" or is_memory_sqlite(url):
        return None
    database = url.database or ""
    if url.query.get("uri") is not None:
        database = database.removeprefix("file:").split("?", 1)[0]
    return Path(database + "-writer.lock")


@contextmanager
def writer_lock(
    engine: Engine, *, on_wait: OnWait | None = None, timeout: float | None = None
) -> Iterator[None]:
    """Hold the store's writer lock for the ``with`` block (see the module docstring).

    ``on_wait`` is called once, with one line naming the store, when another writer
    holds the lock; ``timeout`` (seconds) bounds the wait, ``None`` waits as long as
    it takes.
    """
    url = engine.url
    if url.get_backend_name() == "postgresql":
        with _pg_lock(engine, on_wait, timeout):
            yield
        return
    path = lock_file(url)
    if path is None:
        with _memory_lock(engine, on_wait, timeout):
            yield
        return
    with _file_lock(url, path, on_wait, timeout):
        yield


def _waiting(url: URL, how: str, timeout: float | None) -> str:
    limit = "" if timeout is None else f" (for at most {timeout:g} s)"
    return f"{safe_url(url)}: another ingest is writing ({how}); waiting for it to finish{limit}"


def _busy(url: URL, timeout: float | None) -> WriterBusy:
    return WriterBusy(
        f"{safe_url(url)}: another ingest held the writer lock for more than {timeout:g} s; "
        "retry when it has finished"
    )


def _poll(try_lock: Callable[[], bool], url: URL, timeout: float | None) -> None:
    """Ask ``try_lock`` every :data:`POLL_S` until it takes the lock, for at most
    ``timeout`` seconds (``None``: for as long as it takes)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while not try_lock():
        if deadline is not None and time.monotonic() >= deadline:
            raise _busy(url, timeout)
        time.sleep(POLL_S)


@contextmanager
def _file_lock(
    url: URL, path: Path, on_wait: OnWait | None, timeout: float | None
) -> Iterator[None]:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(
            f"{safe_url(url)}: cannot open the writer lock {str(path)!r}: {exc.strerror or exc}"
        ) from None
    try:
        if not _try_flock(fd):
            if on_wait is not None:
                on_wait(_waiting(url, f"lock file {path}", timeout))
            if timeout is None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            else:
                _poll(lambda: _try_flock(fd), url, timeout)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def _memory_lock(engine: Engine, on_wait: OnWait | None, timeout: float | None) -> Iterator[None]:
    with _MEMORY_GUARD:
        lock = _MEMORY_LOCKS.setdefault(id(engine), threading.Lock())
    if not lock.acquire(blocking=False):
        if on_wait is not None:
            on_wait(_waiting(engine.url, "in this process", timeout))
        if not lock.acquire(timeout=-1 if timeout is None else timeout):
            raise _busy(engine.url, timeout)
    try:
        yield
    finally:
        lock.release()


@contextmanager
def _pg_lock(engine: Engine, on_wait: OnWait | None, timeout: float | None) -> Iterator[None]:
    try:
        conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    except SQLAlchemyError as exc:
        raise store_error(engine.url, exc, doing="lock") from exc
    try:
        ask = sa.select(sa.func.pg_try_advisory_lock(PG_WRITER_LOCK))
        try:
            if not conn.execute(ask).scalar_one():
                if on_wait is not None:
                    on_wait(_waiting(engine.url, f"advisory lock {PG_WRITER_LOCK:#x}", timeout))
                _poll(lambda: bool(conn.execute(ask).scalar_one()), engine.url, timeout)
        except SQLAlchemyError as exc:
            raise store_error(engine.url, exc, doing="lock") from exc
        try:
            yield
        finally:
            try:
                conn.execute(sa.select(sa.func.pg_advisory_unlock(PG_WRITER_LOCK)))
            except SQLAlchemyError:
                conn.invalidate()  # never back to the pool: the lock ends with its session
    finally:
        conn.close()
