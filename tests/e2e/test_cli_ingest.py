"""The `storyline` command end to end, on the real seed pages, in a real SQLite file."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paths import DATA, SEEDS, seed
from storyline.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "store.db")


def export_articles(db: str) -> dict[str, dict]:
    code, out, _ = run("export", "--db", db, "--what", "articles")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    return {Path(r["source"]).name[:3]: r for r in records}


def test_ingest_seeds_then_list_show_and_export(db: str) -> None:
    code, out, err = run("ingest", str(SEEDS), "--db", db, "--quiet")
    assert code == 0, err
    assert "ingested" in out and "5" in out

    articles = export_articles(db)
    assert sorted(articles) == ["000", "001", "002", "003", "004"]
    assert {k: a["lang"] for k, a in articles.items()} == {
        "000": "ru", "001": "uk", "002": "uk", "003": "ru", "004": "ru",
    }  # fmt: skip
    assert articles["003"]["published"] == "2022-01-09T14:45:00"
    assert articles["003"]["published_precision"] == "minute"
    assert articles["003"]["published_inferred"] is False
    assert articles["002"]["published"] == "2022-01-10T19:45:00"
    assert articles["000"]["published"].startswith("2022-01-12")
    assert articles["000"]["published_inferred"] is True
    assert articles["001"]["author"] == "Максим Карпенко"
    assert articles["001"]["outlet"] == "depo.ua"
    assert articles["000"]["outlet"] is None  # TASS is cited, not the publisher
    for record in articles.values():
        assert record["kind"] == "article" and record["schema"] == 1
        assert record["id"].startswith("a_")

    code, out, _ = run("articles", "--db", db, "--lang", "uk")
    assert code == 0
    assert articles["001"]["id"] in out and articles["000"]["id"] not in out

    code, out, _ = run("article", articles["003"]["id"], "--db", db)
    assert code == 0
    assert "В МИД России заявили об отказе идти на уступки" in out
    assert "Прямой эфир" not in out


def test_reingest_changes_nothing_and_ids_are_stable(db: str, tmp_path: Path) -> None:
    assert run("ingest", str(SEEDS), "--db", db, "-q")[0] == 0
    first = export_articles(db)
    code, _out, _ = run("ingest", str(SEEDS), "--db", db, "-q")
    assert code == 0
    assert export_articles(db) == first
    # the same input from another place is the same document
    copy = tmp_path / "copy.txt"
    shutil.copy(seed("002"), copy)
    assert run("ingest", str(copy), "--db", db, "-q")[0] == 0
    assert len(export_articles(db)) == 5


def test_reprint_is_stored_and_marked_duplicate(db: str, tmp_path: Path) -> None:
    original = seed("000").read_text(encoding="utf-8")
    reprint = tmp_path / "reprint.txt"
    reprint.write_text(
        original.replace("Фото: EPA", "Фото: Reuters") + "\n\nЧитайте также: новости",
        encoding="utf-8",
    )
    assert run("ingest", str(seed("000")), str(reprint), "--db", db, "-q")[0] == 0
    records = {r["source"]: r for r in export_articles(db).values()}
    first, second = records[str(seed("000"))], records[str(reprint)]
    assert first["duplicate_of"] is None
    assert second["duplicate_of"] == first["id"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_bad_inputs_each_get_one_line_and_the_rest_goes_in(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's list: empty, binary, truncated HTML, invalid UTF-8, over the size
    limit, unreachable URL, missing path — in one mixed directory and command."""
    monkeypatch.setenv("STORYLINE_MAX_BYTES", "200000")
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(seed("003"), batch / "good.txt")
    (batch / "empty.txt").write_bytes(b"")
    (batch / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (batch / "menu-only.txt").write_text(
        "menu closed\nmenu open\n$41.28 €43.46\n", encoding="utf-8"
    )
    real_html = (DATA / "html" / "uk_unian_pace_reforms.html").read_bytes()
    (batch / "truncated.html").write_bytes(real_html[: len(real_html) // 2])
    damaged = bytearray(seed("001").read_bytes())
    at = damaged.index("Третя сфера".encode())
    damaged[at : at + 2] = b"\xff\xfe"  # invalid UTF-8 inside a body paragraph of a real page
    (batch / "damaged.txt").write_bytes(bytes(damaged))
    (batch / "huge.txt").write_bytes(seed("000").read_bytes() * 40)  # over 200,000 bytes
    url = f"http://127.0.0.1:{_closed_port()}/news/1"

    code, _out, err = run(
        "ingest", str(batch), str(tmp_path / "missing.txt"), url, "--db", db, "-q"
    )
    assert code == 1
    failed = [line for line in err.splitlines() if line.startswith("failed:")]
    reasons = {
        "empty.txt": "empty",
        "image.png": "binary",
        "menu-only.txt": "no article text",
        "huge.txt": "size limit",
        "missing.txt": "no such file",
        url: "connection refused",
    }
    assert len(failed) == len(reasons), err
    for name, reason in reasons.items():
        assert any(name in line and reason in line for line in failed), (name, err)
    stored = export_articles(db)
    # good.txt, the damaged page (decoded with replacement characters), and what the
    # first half of the HTML page holds all go in
    assert sorted(stored) == ["dam", "goo", "tru"]
    assert "\ufffd" in stored["dam"]["text"]


def test_store_file_is_sqlite_in_wal_mode(db: str) -> None:
    assert run("ingest", str(seed("001")), "--db", db, "-q")[0] == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM article").fetchone()[0] == 1


def test_export_formats(db: str, tmp_path: Path) -> None:
    assert run("ingest", str(SEEDS), "--db", db, "-q")[0] == 0
    out_json = tmp_path / "kb.json"
    assert run("export", "--db", db, "--format", "json", "--out", str(out_json))[0] == 0
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["schema"] == 1 and len(data["articles"]) == 5
    out_csv = tmp_path / "csv"
    assert run("export", "--db", db, "--format", "csv", "--out", str(out_csv))[0] == 0
    header = (out_csv / "articles.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("kind,schema,id,source")
    code, _, err = run("export", "--db", db, "--format", "csv")
    assert code != 0 and "directory" in err


def test_ingest_links_one_person_across_languages_and_puts_dates_on_the_calendar(
    db: str,
) -> None:
    assert run("ingest", str(SEEDS), "--db", db, "-q")[0] == 0
    code, out, _ = run("export", "--db", db)
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    articles = {Path(r["source"]).name[:3]: r for r in records if r["kind"] == "article"}
    entities = {r["id"]: r for r in records if r["kind"] == "entity"}

    def entity_of(prefix: str, surface: str) -> dict:
        article = articles[prefix]
        # pages write names with non-breaking spaces («Єнс\xa0Столтенберг»)
        same = [m for m in article["entities"] if " ".join(m["text"].split()) == surface]
        assert same, f"{surface} not found in {prefix}"
        mention = same[0]
        assert article["text"][mention["start"] : mention["end"]] == mention["text"]
        return entities[mention["entity_id"]]

    ru = entity_of("000", "Йенса Столтенберга")  # Russian, genitive
    uk = entity_of("001", "Єнс Столтенберг")  # Ukrainian, nominative
    assert ru["id"] == uk["id"]
    assert ru["name"] == "Jens Stoltenberg" and ru["type"] == "PER"
    assert "NATO Secretary General" in ru["roles"]
    assert entity_of("003", "Сергей Рябков")["id"] == entity_of("001", "Сергій Рябков")["id"]

    dates = {(d["text"], d["value"]) for d in articles["000"]["dates"]}
    assert ("17 декабря", "2021-12-17") in dates  # the year that puts it closest to 12 Jan 2022
    assert ("13 января", "2022-01-13") in dates
    assert not any(
        d["text"].startswith("1997") and d["grain"] == "day" for d in articles["000"]["dates"]
    )

    code, out, _ = run("entities", "--db", db, "--type", "PER")
    assert code == 0 and ru["id"] in out


def test_an_unusable_database_is_one_line_naming_it_without_its_password() -> None:
    url = "postgresql://reader:s3cret@127.0.0.1:1/news"  # nothing listens on port 1
    code, out, err = run("articles", "--db", url)
    assert code == 2 and out == ""
    (line,) = err.strip().splitlines()
    assert "127.0.0.1:1/news" in line and "s3cret" not in line
    assert "cannot connect" in line


def test_reprint_with_an_edited_body_is_a_near_duplicate(db: str, tmp_path: Path) -> None:
    original = seed("000").read_text(encoding="utf-8")
    reprint = tmp_path / "edited.txt"
    edited = original.replace("около четырех часов, хотя", "почти четыре часа, хотя")
    edited = edited.rsplit("\n\n", 1)[0]  # the last paragraph cut
    reprint.write_text(edited, encoding="utf-8")
    other = tmp_path / "other.txt"  # same topic and days, another story's text
    other.write_text(seed("004").read_text(encoding="utf-8"), encoding="utf-8")
    assert run("ingest", str(seed("000")), str(reprint), str(other), "--db", db, "-q")[0] == 0
    records = {r["source"]: r for r in export_articles(db).values()}
    first = records[str(seed("000"))]
    assert records[str(reprint)]["text"] != first["text"]
    assert records[str(reprint)]["duplicate_of"] == first["id"]
    assert records[str(other)]["duplicate_of"] is None
