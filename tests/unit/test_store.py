"""The store against real databases: a SQLite file and a PostgreSQL server."""

from __future__ import annotations

import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storyline.document import Article, GivenMetadata, RawDocument
from storyline.errors import StoreError
from storyline.store import Store
from storyline.store.models import Base, document_table
from storyline.store.search import include_name

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


# ---------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def seeds() -> list[str]:
    files = sorted(SEEDS.glob("*.txt"))[:2]
    if len(files) < 2:
        pytest.fail(f"need two seed articles in {SEEDS} (the shared seeds folder)", pytrace=False)
    return [f.read_text(encoding="utf-8") for f in files]


def make(n: int | str, text: str | None = None, **fields: object) -> tuple[RawDocument, Article]:
    """A document and its article; ``fields`` go to the article."""
    doc = RawDocument(
        source=f"test/{n}.txt", data=f"document {n}".encode(), url=f"https://x.test/{n}"
    )
    article = Article(
        id=doc.article_id,
        source=doc.source,
        text=text if text is not None else f"Текст статьи номер {n}.",
        content_hash=f"hash-{n}",
    )
    return doc, article.with_(**fields)


def stored(article: Article, doc: RawDocument) -> Article:
    return article.with_(doc_sha256=doc.sha256)


def table_names(url: str) -> set[str]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------- migrations


def test_open_migrates_an_empty_database(db_url: str) -> None:
    with Store(db_url) as bare:
        assert bare.schema_revision() is None
    assert table_names(db_url) == set()

    with Store.open(db_url) as store:
        assert store.schema_revision() == Store.head_revision()
        inspector = sa.inspect(store.engine)
        assert {"document", "article", "alembic_version"} <= set(inspector.get_table_names())
        indexed = {tuple(ix["column_names"]) for ix in inspector.get_indexes("article")}
        assert {("lang",), ("outlet",), ("published",), ("content_hash",)} <= indexed
        assert store.count_articles() == 0


def test_migrating_twice_is_a_no_op(db_url: str) -> None:
    with Store.open(db_url) as store:
        doc, art = make(1)
        assert store.add_article(doc, art)

    statements: list[str] = []
    with Store(db_url) as store:
        sa.event.listen(
            store.engine,
            "before_cursor_execute",
            lambda _c, _cur, stmt, *_a: statements.append(stmt),
        )
        store.migrate()
        assert store.schema_revision() == Store.head_revision()
        assert store.count_articles() == 1
    ddl = [s for s in statements if s.lstrip().upper().startswith(("CREATE", "ALTER", "DROP"))]
    assert ddl == []


def test_migrated_schema_matches_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}
            ),
            Base.metadata,
        )
    assert diff == []


def test_schema_newer_than_the_code_is_refused(db_url: str) -> None:
    with Store.open(db_url) as store, store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError) as info:
        Store.open(db_url)
    message = str(info.value)
    assert "\n" not in message
    assert "'9999'" in message and "newer" in message and "upgrade storyline" in message


# ---------------------------------------------------------------------------- round trip


def test_round_trip_of_every_field(store: Store, seeds: list[str]) -> None:
    first_lines = [[line for line in text.splitlines() if len(line) > 40][:2] for text in seeds]
    full = Article(
        id="",
        source="seeds/000.txt",
        text=seeds[0],
        title=first_lines[0][0],
        lead=first_lines[0][1],
        url="https://www.unian.net/politics/россия-нато.html?x=1&y=ё",
        external_id="ext-42",
        outlet="unian.net",
        author="Анна Иванова-Петренко",
        lang="ru",
        lang_confidence=0.9873456789012345,
        published=datetime(2022, 1, 12, 18, 47),
        published_precision="minute",
        published_inferred=True,
        content_hash="c" * 64,
    )
    sparse = Article(id="", source="seeds/001.txt", text=seeds[1])  # every optional field None
    aware = Article(
        id="",
        source="x",
        text="Київ, 26 січня.",
        published=datetime(2022, 1, 26, 0, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2))),
        published_precision="day",
    )
    for i, article in enumerate((full, sparse, aware)):
        doc = RawDocument(
            source=article.source,
            data=article.text.encode(),
            url=article.url,
            content_type="text/plain",
            given=GivenMetadata(external_id=article.external_id),
        )
        article = article.with_(id=doc.article_id)
        assert store.add_article(doc, article), i
        got = store.article(article.id)
        assert got == stored(article, doc)
        assert got is not None
        assert isinstance(got.published_inferred, bool)
        assert got.published == article.published
        if article.published is not None:
            assert got.published.tzinfo is None or got.published.utcoffset() == timedelta(hours=2)
            assert (got.published.tzinfo is None) == (article.published.tzinfo is None)
        assert store.has_document(doc.sha256)

    assert store.article("a_missing") is None
    assert store.count_articles() == 3


def test_document_row_records_the_input(store: Store) -> None:
    _, art = make("doc")
    doc = RawDocument(
        source="feed.xml#3", data=b"\xd0\x9f" * 1000, url=None, content_type="text/html"
    )
    art = art.with_(id=doc.article_id, source=doc.source)
    before = datetime.now(UTC)
    assert store.add_article(doc, art)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(document_table)).mappings().one()
    assert row["sha256"] == doc.sha256 and row["source"] == "feed.xml#3"
    assert row["url"] is None and row["content_type"] == "text/html" and row["size"] == 2000
    received = row["received_at"]
    assert received.tzinfo is not None  # stored as naive UTC, read back aware
    assert before - timedelta(seconds=5) <= received <= datetime.now(UTC)


def test_add_is_idempotent(store: Store) -> None:
    doc, art = make(1)
    assert store.add_article(doc, art) is True
    assert store.add_article(doc, art) is False
    assert store.add_article(doc, art.with_(title="changed")) is False
    # another document whose article id collides with a stored one: nothing written
    other = RawDocument(source="other", data=b"other bytes")
    assert store.add_article(other, art.with_(source="other")) is False
    assert not store.has_document(other.sha256)
    assert store.count_articles() == 1
    assert store.known_documents([doc.sha256, other.sha256]) == {doc.sha256}
    assert store.article(art.id) == stored(art, doc)


def test_article_from_another_document_is_a_programming_error(store: Store) -> None:
    doc, art = make(1)
    with pytest.raises(ValueError, match="doc_sha256"):
        store.add_article(doc, art.with_(doc_sha256="0" * 64))


def test_known_documents_in_batches(store: Store) -> None:
    docs = [make(i)[0] for i in range(1200)]
    for doc, art in (make(i) for i in range(0, 1200, 7)):
        store.add_article(doc, art)
    expected = {d.sha256 for i, d in enumerate(docs) if i % 7 == 0}
    assert store.known_documents(d.sha256 for d in docs) == expected
    assert store.known_documents([]) == set()
    assert store.known_documents(["nope", "nope"]) == set()


# ---------------------------------------------------------------------------- one transaction


def _no_trace(store: Store, doc: RawDocument) -> None:
    assert not store.has_document(doc.sha256)
    assert store.count_articles() == 1  # only the article stored before the failure
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM document")).scalar_one() == 1


def test_constraint_failure_after_the_document_leaves_nothing(store: Store) -> None:
    ok_doc, ok = make("ok")
    assert store.add_article(ok_doc, ok)

    # duplicate_of names an article that does not exist: the FK fails on the article
    # insert, after the document row was written in the same transaction.
    doc, bad = make("bad", duplicate_of="a_does_not_exist")
    with pytest.raises(StoreError) as info:
        store.add_article(doc, bad)
    assert "\n" not in str(info.value) and "add an article" in str(info.value)
    _no_trace(store, doc)

    doc, bad = make("bad2", published_precision="week")  # CHECK constraint
    with pytest.raises(StoreError):
        store.add_article(doc, bad)
    _no_trace(store, doc)

    # and the store is still usable; a fixed article goes in
    assert store.add_article(doc, bad.with_(published_precision="day"))


def test_crash_between_the_two_inserts_leaves_nothing(store: Store) -> None:
    ok_doc, ok = make("ok")
    assert store.add_article(ok_doc, ok)

    def explode(_conn, _cursor, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO ARTICLE"):
            raise RuntimeError("simulated crash after the document row")

    doc, art = make("boom")
    sa.event.listen(store.engine, "before_cursor_execute", explode)
    try:
        with pytest.raises(RuntimeError, match="simulated crash"):
            store.add_article(doc, art)
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", explode)
    _no_trace(store, doc)
    assert store.add_article(doc, art)


# ---------------------------------------------------------------------------- queries


@pytest.fixture
def corpus(store: Store) -> dict[str, Article]:
    specs = {
        "ru1": dict(lang="ru", outlet="rbc.ru", published=datetime(2022, 1, 10, 9, 30)),
        "ru2": dict(lang="ru", outlet="tass.ru", published=datetime(2022, 1, 12, 18, 47)),
        "ru3": dict(lang="ru", outlet="rbc.ru", published=datetime(2022, 1, 12, 18, 47)),
        "uk1": dict(lang="uk", outlet="unian.net", published=datetime(2022, 1, 11)),
        "uk2": dict(
            lang="uk",
            outlet="unian.net",
            published=datetime(2022, 1, 13, 8, 0, tzinfo=timezone(timedelta(hours=2))),
        ),
        "en0": dict(lang="en", outlet="reuters.com", published=None),
        "ru0": dict(lang="ru", outlet="rbc.ru", published=None),
    }
    out = {}
    for key, fields in specs.items():
        doc, art = make(key, **fields)
        assert store.add_article(doc, art)
        out[key] = stored(art, doc)
    return out


def _keys(articles: list[Article], corpus: dict[str, Article]) -> list[str]:
    by_id = {a.id: k for k, a in corpus.items()}
    return [by_id[a.id] for a in articles]


def test_ordering_newest_first_undated_last_then_id(store: Store, corpus: dict) -> None:
    got = store.articles()
    assert got[0] == corpus["uk2"]
    tie = sorted(["ru2", "ru3"], key=lambda k: corpus[k].id)
    undated = sorted(["en0", "ru0"], key=lambda k: corpus[k].id)
    assert _keys(got, corpus) == ["uk2", *tie, "uk1", "ru1", *undated]
    assert _keys(store.articles(limit=2, offset=1), corpus) == [*tie]
    assert _keys(store.articles(offset=6), corpus) == [undated[1]]
    assert store.articles(limit=0) == []


def test_filters(store: Store, corpus: dict) -> None:
    assert set(_keys(store.articles(lang="ru"), corpus)) == {"ru0", "ru1", "ru2", "ru3"}
    assert set(_keys(store.articles(outlet="rbc.ru"), corpus)) == {"ru0", "ru1", "ru3"}
    assert _keys(store.articles(lang="uk", outlet="rbc.ru"), corpus) == []
    # half-open range on the wall-clock time: since <= published < until
    since, until = datetime(2022, 1, 11), datetime(2022, 1, 12, 18, 47)
    assert set(_keys(store.articles(since=since), corpus)) == {"uk1", "ru2", "ru3", "uk2"}
    assert set(_keys(store.articles(until=until), corpus)) == {"ru1", "uk1"}
    assert _keys(store.articles(since=since, until=until), corpus) == ["uk1"]
    minute = datetime(2022, 1, 12, 18, 47)
    assert set(
        _keys(store.articles(since=minute, until=minute + timedelta(minutes=1)), corpus)
    ) == {
        "ru2",
        "ru3",
    }
    assert store.count_articles() == 7
    assert store.count_articles(lang="ru", since=since) == 2
    assert store.count_articles(outlet="unian.net", until=datetime(2022, 1, 13, 8)) == 1
    assert store.count_articles(lang="xx") == 0


def test_content_hash_lookup(store: Store) -> None:
    assert store.article_by_content_hash("h") is None
    first_doc, first = make("first", content_hash="h")
    assert store.add_article(first_doc, first)
    time.sleep(0.002)
    second_doc, second = make("second", content_hash="h")  # stored later, not marked
    assert store.add_article(second_doc, second)
    dup_doc, dup = make("dup", content_hash="h2", duplicate_of=first.id)
    assert store.add_article(dup_doc, dup)
    assert store.article_by_content_hash("h") == first.id
    assert store.article_by_content_hash("h2") is None  # only a duplicate carries it
    assert store.article_by_content_hash("") is None
    assert store.article(dup.id).duplicate_of == first.id  # type: ignore[union-attr]


def test_minhash_round_trip(store: Store) -> None:
    rng = random.Random(7)
    signatures = {}
    for i in range(5):
        sig = bytes([0, 255, 0]) + rng.randbytes(1024)
        doc, art = make(i)
        assert store.add_article(doc, art, minhash=sig)
        signatures[art.id] = sig
    plain_doc, plain = make("no-minhash")
    assert store.add_article(plain_doc, plain)
    dup_doc, dup = make("dup", duplicate_of=next(iter(signatures)))
    assert store.add_article(dup_doc, dup, minhash=b"dup signature")

    got = list(store.iter_minhashes())
    assert dict(got) == signatures
    assert [article_id for article_id, _ in got] == list(signatures)  # order stored
    assert all(type(sig) is bytes for _, sig in got)


# ---------------------------------------------------------------------------- errors


def _one_line_without_secret(exc: StoreError) -> str:
    message = str(exc)
    assert "\n" not in message
    assert "s3cret" not in message
    return message


def test_unreachable_postgres_is_a_store_error() -> None:
    port = closed_port()
    url = f"postgresql://reader:s3cret@127.0.0.1:{port}/news"
    with pytest.raises(StoreError) as info:
        Store.open(url)
    message = _one_line_without_secret(info.value)
    assert f"postgresql+psycopg://reader:***@127.0.0.1:{port}/news" in message
    assert "refused" in message.lower() and "server running" in message

    with Store(url) as lazy, pytest.raises(StoreError) as info:
        lazy.count_articles()
    _one_line_without_secret(info.value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://root:s3cret@db.example/news", "unsupported database URL scheme 'mysql'"),
        ("oracle+cx://u:s3cret@h/x", "unsupported database URL scheme"),
        ("postgresql+psycopg2://u:s3cret@h/x", "unsupported database URL scheme"),
        ("http://u:s3cret@h/x", "unsupported database URL scheme 'http'"),
        ("postgresql://u:s3cret@h:notaport/x", "not a valid database URL"),
        ("://u:s3cret@h/x", "not a valid database URL"),
    ],
)
def test_bad_url_is_a_store_error(url: str, expected: str) -> None:
    with pytest.raises(StoreError) as info:
        Store.open(url)
    message = _one_line_without_secret(info.value)
    assert expected in message
    assert "sqlite:///" in message and "postgresql://" in message  # says what would work


def test_sqlite_directory_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot create the directory"):
        Store.open(f"sqlite:///{blocker / 'sub' / 'x.db'}")


def test_missing_schema_says_how_to_fix(sqlite_url: str) -> None:
    with Store(sqlite_url) as bare, pytest.raises(StoreError, match=r"Store\.open\(\)"):
        bare.count_articles()


def test_closed_store_refuses_work(sqlite_url: str) -> None:
    store = Store.open(sqlite_url)
    store.close()
    store.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        store.has_document("x")


# ---------------------------------------------------------------------------- SQLite specifics


def test_sqlite_setup(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "s.db"
    with Store.open(str(path)) as store:  # a plain path works too
        assert path.exists()
        with store.engine.connect() as conn:
            pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") >= 5000


def test_sqlite_reader_snapshot_does_not_block_the_writer(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store:
        doc, art = make(1)
        store.add_article(doc, art)
        reader = sqlite3.connect(sa.make_url(sqlite_url).database, isolation_level=None)
        try:
            reader.execute("BEGIN")
            assert reader.execute("SELECT count(*) FROM article").fetchone() == (1,)
            started = time.monotonic()
            doc2, art2 = make(2)
            assert store.add_article(doc2, art2)  # commits while the reader holds a snapshot
            assert time.monotonic() - started < 5
            assert reader.execute("SELECT count(*) FROM article").fetchone() == (1,)
            reader.execute("COMMIT")
            assert reader.execute("SELECT count(*) FROM article").fetchone() == (2,)
        finally:
            reader.close()


def test_sqlite_concurrent_readers_and_writers(sqlite_url: str) -> None:
    Store.open(sqlite_url).close()
    per_writer, writers, readers = 60, 2, 4
    errors: list[BaseException] = []
    done = threading.Event()
    seen: list[list[int]] = [[] for _ in range(readers)]

    def write(w: int) -> None:
        try:
            with Store(sqlite_url) as store:
                for i in range(per_writer):
                    doc, art = make(f"w{w}-{i}", text="Слово " * 500)
                    assert store.add_article(doc, art, minhash=bytes(512))
        except BaseException as exc:
            errors.append(exc)

    shared = Store(sqlite_url)

    def read(r: int) -> None:
        try:
            while not done.is_set():
                seen[r].append(shared.count_articles())
                for a in shared.articles(limit=5):
                    assert a.text.startswith("Слово")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read, args=(r,)) for r in range(readers)]
    wthreads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for t in threads + wthreads:
        t.start()
    for t in wthreads:
        t.join(timeout=120)
    done.set()
    for t in threads:
        t.join(timeout=30)
    shared.close()
    assert errors == []
    assert all(counts == sorted(counts) for counts in seen)  # each reader only sees progress
    assert sum(len(c) for c in seen) > readers
    with Store(sqlite_url) as store:
        assert store.count_articles() == per_writer * writers


# ---------------------------------------------------------------------------- crash safety

CHILD = textwrap.dedent(
    """
    import sys, time
    import sqlalchemy as sa
    from storyline.document import Article, RawDocument
    from storyline.store import Store

    url, mode, stall_after = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Store.open(url)
    committed = 0

    def stall(conn, cursor, statement, *args):
        if mode == "mid-transaction" and committed >= stall_after:
            if statement.lstrip().upper().startswith("INSERT INTO ARTICLE"):
                print("IN_TRANSACTION", flush=True)
                time.sleep(120)

    sa.event.listen(store.engine, "before_cursor_execute", stall)
    body = "Длинный текст статьи. " * 4000
    for i in range(1_000_000):
        doc = RawDocument(source=f"crash/{i}", data=f"crash {i}".encode())
        art = Article(id=doc.article_id, source=doc.source, text=body + str(i), content_hash=str(i))
        store.add_article(doc, art, minhash=bytes(range(256)) * 4)
        committed += 1
        print("COMMITTED", committed, flush=True)
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["mid-transaction", "anywhere"])
def test_killed_writer_leaves_a_consistent_database(db_url: str, mode: str) -> None:
    Store.open(db_url).close()
    stall_after = 20
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, db_url, mode, str(stall_after)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    committed = 0
    try:
        assert child.stdout is not None
        deadline = time.monotonic() + 120
        for line in child.stdout:
            if line.startswith("COMMITTED"):
                committed = int(line.split()[1])
                if mode == "anywhere" and committed >= stall_after:
                    time.sleep(random.Random(committed).uniform(0, 0.05))
                    break
            elif line.startswith("IN_TRANSACTION"):
                break
            assert time.monotonic() < deadline, "child writer made no progress"
        else:
            pytest.fail(f"child writer exited early: {child.stderr.read() if child.stderr else ''}")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
        if child.stdout:
            child.stdout.close()
        if child.stderr:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    with Store.open(db_url) as store:
        n = store.count_articles()
        if mode == "mid-transaction":
            assert n == stall_after
        else:
            assert n >= committed
        with store.engine.connect() as conn:
            q = lambda sql: conn.execute(sa.text(sql)).scalar_one()  # noqa: E731
            assert q("SELECT count(*) FROM document") == n
            assert (
                q(
                    "SELECT count(*) FROM document d "
                    "LEFT JOIN article a ON a.doc_sha256 = d.sha256 WHERE a.id IS NULL"
                )
                == 0
            )
            assert (
                q(
                    "SELECT count(*) FROM article a "
                    "LEFT JOIN document d ON d.sha256 = a.doc_sha256 WHERE d.sha256 IS NULL"
                )
                == 0
            )
            if conn.dialect.name == "sqlite":
                assert q("PRAGMA integrity_check") == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        body_len = len("Длинный текст статьи. " * 4000)
        for article in store.articles():
            assert len(article.text) > body_len  # no truncated text
            assert article.text.endswith(article.content_hash)
        assert all(sig == bytes(range(256)) * 4 for _, sig in store.iter_minhashes())
        doc, art = make("after")  # the killed writer left no lock behind
        assert store.add_article(doc, art)


def test_concurrent_opens_migrate_once(db_url: str) -> None:
    """Several processes starting at once on a fresh database: one migrates, all work."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def open_and_add(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            with Store.open(db_url) as store:
                doc, art = make(f"opener-{i}")
                assert store.add_article(doc, art)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_and_add, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    with Store.open(db_url) as store:
        assert store.count_articles() == 4
        assert store.schema_revision() == Store.head_revision()


@pytest.mark.postgres
def test_postgres_connections_come_from_a_bounded_pool(pg_url: str) -> None:
    from storyline.store.db import PG_POOL_SIZE, create_engine, parse_url

    engine = create_engine(parse_url(pg_url))
    try:
        held = [engine.connect() for _ in range(3)]
        for conn in held:
            conn.close()
        assert engine.pool.size() == PG_POOL_SIZE
        assert engine.pool.checkedin() == 3  # closed connections wait for reuse
    finally:
        engine.dispose()
