"""A metadata table beside scraped pages gives each page its address, outlet, date, title."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

from paths import DEV, seed
from storyline.document import RawDocument
from storyline.errors import InputError
from storyline.extract.article import extract_article
from storyline.sources import iter_documents

LANGS = ("ru", "uk", "en")


def _read(*inputs: str, meta: str | None = None) -> list[RawDocument | InputError]:
    return list(iter_documents(inputs, max_bytes=1 << 20, fetch_timeout=1.0, meta=meta))


def _folder(tmp_path: Path) -> Path:
    """Two seeds in ``articles/`` and the manifest beside that folder, as the corpora keep them."""
    pages = tmp_path / "articles"
    pages.mkdir()
    shutil.copy(seed("001"), pages / "p1.txt")
    shutil.copy(seed("004"), pages / "p2.txt")
    return pages


def test_a_manifest_beside_the_pages_gives_their_fields(tmp_path: Path) -> None:
    pages = _folder(tmp_path)
    rows = [
        {"file": "articles/p1.txt", "url": "https://www.depo.ua/ukr/politics/x-202201261520"},
        {"id": "p2", "outlet": "Известия", "published": "2022-01-21", "title": "Лавров о реакции"},
    ]
    (tmp_path / "manifest.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    docs = _read(str(pages))
    assert all(isinstance(d, RawDocument) for d in docs) and len(docs) == 2
    by_name = {Path(d.source).name: d for d in docs if isinstance(d, RawDocument)}
    first = extract_article(by_name["p1.txt"], languages=LANGS)
    assert first.url == rows[0]["url"] and first.outlet == "depo.ua"
    second = extract_article(by_name["p2.txt"], languages=LANGS)
    assert second.title == "Лавров о реакции"  # given fields win over the page's own
    assert (second.published, second.published_evidence) == (datetime(2022, 1, 21), "given")
    assert second.outlet == "iz.ru"  # the registry knows «Известия»


def test_a_csv_table_and_an_explicit_meta_file(tmp_path: Path) -> None:
    pages = _folder(tmp_path)
    table = tmp_path / "elsewhere.csv"
    table.write_text("file,url,published\np1.txt,https://censor.net/ua/news/1,2022-01-26\n")
    docs = [d for d in _read(str(pages), meta=str(table)) if isinstance(d, RawDocument)]
    p1 = next(d for d in docs if d.source.endswith("p1.txt"))
    assert p1.url == "https://censor.net/ua/news/1"
    assert p1.given.published == datetime(2022, 1, 26)
    p2 = next(d for d in docs if d.source.endswith("p2.txt"))
    assert p2.url is None and p2.given.published is None  # no row: nothing given


def test_a_bad_row_is_one_error_and_the_pages_still_come(tmp_path: Path) -> None:
    pages = _folder(tmp_path)
    (pages / "manifest.jsonl").write_text(
        '{"file": "p1.txt", "lang": 5}\nnot json\n{"file": "p2.txt", "url": "https://rbc.ru/a"}\n'
    )
    found = _read(str(pages))
    errors = [str(e) for e in found if isinstance(e, InputError)]
    docs = [d for d in found if isinstance(d, RawDocument)]
    assert len(docs) == 2  # the table itself is not read as a page
    assert any("manifest.jsonl:1" in e and "lang" in e for e in errors)
    assert any("manifest.jsonl:2" in e for e in errors)
    assert next(d for d in docs if d.source.endswith("p2.txt")).url == "https://rbc.ru/a"


def test_a_table_of_articles_is_an_input_not_a_sidecar(tmp_path: Path) -> None:
    folder = tmp_path / "dump"
    folder.mkdir()
    text = seed("003").read_text(encoding="utf-8")
    (folder / "manifest.jsonl").write_text(json.dumps({"url": "https://x.ru/1", "text": text}))
    docs = [d for d in _read(str(folder)) if isinstance(d, RawDocument)]
    assert len(docs) == 1 and docs[0].url == "https://x.ru/1"


def test_the_dev_corpus_reads_its_manifest(tmp_path: Path) -> None:
    # the corpora keep manifest.jsonl beside articles/: naming the articles folder finds it
    docs = [d for d in _read(str(DEV / "articles")) if isinstance(d, RawDocument)]
    assert len(docs) == 144 and all(d.url for d in docs)


def test_a_meta_file_that_cannot_be_read_is_one_clear_error(tmp_path: Path) -> None:
    pages = _folder(tmp_path)
    found = _read(str(pages), meta=str(tmp_path / "missing.csv"))
    assert len(found) == 1 and isinstance(found[0], InputError)
    assert "missing.csv" in str(found[0]) and "--meta" in str(found[0])
