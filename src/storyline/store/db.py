"""Engines and migrations: everything about *reaching* a database.

* :func:`parse_url` accepts ``sqlite:///path`` and ``postgresql://…`` (psycopg 3
  is the driver) and refuses anything else with a :class:`StoreError`.
* :func:`create_engine` sets SQLite up for concurrent use: WAL (readers never
  block the writer), ``foreign_keys=ON``, a busy timeout, and transactions that
  SQLAlchemy begins itself, ``BEGIN IMMEDIATE`` when a connection is marked as a
  writer so two writers queue instead of dead-locking on a lock upgrade.
* :func:`migrate` upgrades to the head revision with the migrations packaged
  next to this file, serialized across processes (SQLite write lock, PostgreSQL
  advisory lock), and refuses a database whose schema is newer than the code.
* :func:`store_error` turns a driver exception into one actionable line that
  names the URL without its password.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from storyline.errors import StoreError

HERE = Path(__file__).resolve().parent
MIGRATIONS = HERE / "migrations"
ALEMBIC_INI = HERE / "alembic.ini"

SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 10
PG_POOL_SIZE = 10
PG_POOL_OVERFLOW = 20
"""Connections one process keeps, and may open beyond that under load: the web process
answers from a thread pool (40 threads), so a burst queues for at most
:data:`PG_POOL_TIMEOUT_S` instead of opening a connection per request."""
PG_POOL_TIMEOUT_S = 30
PG_POOL_RECYCLE_S = 1800
"""Connections older than this are replaced (servers and proxies drop idle ones)."""
WRITE = "storyline_write"
"""Execution option marking a connection whose transaction will write."""

_PG_MIGRATION_LOCK = 0x5707_1E_01  # pg_advisory_xact_lock key: "storyline migrations"
_SUPPORTED = "use sqlite:///path/to/file.db or postgresql://user@host:port/dbname"


def safe_url(url: str | URL) -> str:
    """The URL as text with the password masked, fit for messages and logs."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        # Not parseable: drop anything between "//" and "@" rather than echo a secret.
        head, sep, rest = url.partition("://")
        if sep and "@" in rest:
            rest = "***@" + rest.split("@", 1)[1]
        return head + sep + rest


def parse_url(url: str) -> URL:
    """Parse and normalize a database URL, or raise :class:`StoreError`."""
    try:
        parsed = sa.make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise StoreError(f"{safe_url(url)}: not a valid database URL; {_SUPPORTED}") from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "postgres":
        backend = "postgresql"
    if backend == "postgresql" and driver in ("", "psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return parsed.set(drivername="sqlite+pysqlite")
    raise StoreError(
        f"{safe_url(parsed)}: unsupported database URL scheme {parsed.drivername!r}; {_SUPPORTED}"
    )


def is_memory_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def _json_dumps(value: Any) -> str:
    # JSON columns keep Cyrillic readable (names, aliases) instead of \uXXXX escapes.
    return json.dumps(value, ensure_ascii=False)


def create_engine(url: URL) -> Engine:
    """An engine for a URL returned by :func:`parse_url`."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return sa.create_engine(
        url,
        json_serializer=_json_dumps,
        pool_pre_ping=True,
        pool_size=PG_POOL_SIZE,
        max_overflow=PG_POOL_OVERFLOW,
        pool_timeout=PG_POOL_TIMEOUT_S,
        pool_recycle=PG_POOL_RECYCLE_S,
        connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S, "application_name": "storyline"},
    )


def _sqlite_engine(url: URL) -> Engine:
    kwargs: dict[str, Any] = {
        "connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        "json_serializer": _json_dumps,
    }
    if is_memory_sqlite(url):
        # One shared connection, or every checkout would see its own empty database.
        kwargs["poolclass"] = sa.pool.StaticPool
    elif url.query.get("uri") is None:
        path = Path(url.database or "")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"{safe_url(url)}: cannot create the directory {str(path.parent)!r}: "
                f"{exc.strerror or exc}"
            ) from None
    engine = sa.create_engine(url, **kwargs)
    memory = is_memory_sqlite(url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not memory:
                _set_wal(cursor)
                # With WAL, NORMAL never corrupts; a power cut may lose the last commits.
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _set_wal(cursor: Any) -> None:
    """``PRAGMA journal_mode = WAL``, retried while another connection holds the lock.

    SQLite answers "database is locked" at once, without the busy handler, when
    two connections to a fresh file switch it to WAL at the same moment.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


# --------------------------------------------------------------------------- migrations


def alembic_config() -> Config:
    """Alembic configuration pointing at the packaged migrations (no logging setup)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("version_path_separator", "os")
    return cfg


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return heads[0] if len(heads) == 1 else ",".join(sorted(heads))


def current_revisions(engine: Engine) -> tuple[str, ...]:
    with engine.connect() as conn:
        return tuple(MigrationContext.configure(conn).get_current_heads())


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (a no-op when it is already there)."""
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    try:
        with engine.connect() as conn:
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
                _refuse_unknown_revisions(engine.url, script, conn)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
    except StoreError:
        raise
    except SQLAlchemyError as exc:
        raise store_error(engine.url, exc, doing="migrate") from exc
    except CommandError as exc:
        raise StoreError(f"{safe_url(engine.url)}: cannot migrate: {_one_line(exc)}") from exc


def _refuse_unknown_revisions(url: URL, script: ScriptDirectory, conn: Connection) -> None:
    known = {rev.revision for rev in script.walk_revisions()}
    for current in MigrationContext.configure(conn).get_current_heads():
        if current not in known:
            raise StoreError(
                f"{safe_url(url)}: database schema is at revision {current!r}, newer than "
                f"this storyline knows (head {head_revision()!r}); upgrade storyline"
            )


# --------------------------------------------------------------------------- errors


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    line = " ".join(text.splitlines()[0].split()) if text else type(exc).__name__
    return line.removeprefix("connection failed: ")


def store_error(url: URL, exc: BaseException, *, doing: str = "use") -> StoreError:
    """A :class:`StoreError` with one line saying what failed and what to do."""
    where = safe_url(url)
    if isinstance(exc, NoSuchModuleError):
        return StoreError(f"{where}: unsupported database URL scheme; {_SUPPORTED}")
    if isinstance(exc, DBAPIError) and exc.statement is None:
        doing = "connect to"  # failed before any statement ran
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    reason = _one_line(orig)
    if url.password:
        reason = reason.replace(url.password, "***")
    lowered = reason.lower()
    hint = ""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        hint = "; the connection was lost, check that the server is running"
    elif url.get_backend_name() == "postgresql" and (
        "connection refused" in lowered
        or "could not connect" in lowered
        or "timeout" in lowered
        or "could not translate host name" in lowered
        or "name or service not known" in lowered
    ):
        hint = "; is the PostgreSQL server running and the host/port right?"
    elif (
        "password authentication failed" in lowered
        or "no password supplied" in lowered
        or ("role" in lowered and "does not exist" in lowered)
    ):
        hint = "; check the user and password in the URL"
    elif "does not exist" in lowered and "database" in lowered:
        hint = "; create the database first (createdb) or fix its name in the URL"
    elif "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        hint = "; the schema is missing or old, open the store with Store.open() to migrate"
    elif "unable to open database file" in lowered:
        hint = "; check that the directory exists and is writable"
    elif "database is locked" in lowered:
        hint = "; another process held the write lock too long, retry"
    return StoreError(f"{where}: cannot {doing} the database: {reason}{hint}")
