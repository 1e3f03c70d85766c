"""Hostile and broken inputs: odd file names, corrupt WARC records, feeds with internal
DTDs, JSONL fields of the wrong type or of absurd length.

Each case is one bad unit among good ones: the good ones must come through, the bad one
must get one honest line (or be stored safely), and nothing may take the batch down.
Pages are real dev-corpus articles (``/work/shared/corpus/dev/articles``).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import time
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from paths import DEV
from storyline.config import Settings
from storyline.document import RawDocument
from storyline.errors import InputError
from storyline.ingest import ingest
from storyline.sources import iter_documents
from storyline.sources.given import AUTHOR_MAX, OUTLET_MAX, TITLE_MAX
from storyline.sources.sniff import sniff
from storyline.store import Store

ARTICLES = DEV / "articles"
MAX = 2_000_000


def dev_text(number: int) -> str:
    return (ARTICLES / f"{number:03d}.txt").read_text(encoding="utf-8")


def dev_lines(number: int) -> list[str]:
    return [line.strip() for line in dev_text(number).splitlines() if line.strip()]


def run(*inputs: str | Path, max_bytes: int = MAX) -> list[RawDocument | InputError]:
    return list(
        iter_documents([os.fspath(i) for i in inputs], max_bytes=max_bytes, fetch_timeout=5)
    )


def docs(items: list[RawDocument | InputError]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def errors(items: list[RawDocument | InputError]) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


# ---------------------------------------------------------------- file names of any bytes

ODD_NAME = os.fsdecode(b"news-\xff\xfe-\xe9t\xe9.txt")
"""Not UTF-8 (latin-1 bytes): Python holds it with lone surrogates (surrogateescape)."""
NEWLINE_NAME = "logo\nfake: ingested.png"


def _odd_folder(root: Path, good: int) -> Path:
    folder = root / "pages"
    folder.mkdir()
    for number in range(1, good + 1):
        (folder / f"{number:03d}.txt").write_text(dev_text(number), encoding="utf-8")
    (folder / ODD_NAME).write_text(dev_text(good + 1), encoding="utf-8")
    (folder / NEWLINE_NAME).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    return folder


def test_odd_file_names_are_read_and_named_escaped_on_one_line(tmp_path: Path) -> None:
    items = run(_odd_folder(tmp_path, 2))
    assert len(docs(items)) == 3
    for item in items:
        item.source.encode("utf-8")  # storable: no lone surrogates
        assert "\n" not in item.source
    (odd,) = [d for d in docs(items) if "news-" in d.source]
    assert odd.source.endswith("news-\\xff\\xfe-\\xe9t\\xe9.txt")
    (error,) = errors(items)
    assert len(str(error).splitlines()) == 1
    assert str(error).endswith(
        "logo\\nfake: ingested.png: binary content (PNG image), not a text or HTML page"
    )


def test_a_batch_with_odd_file_names_is_stored_whole(tmp_path: Path) -> None:
    folder = _odd_folder(tmp_path, 4)
    url = f"sqlite:///{tmp_path / 'odd.db'}"
    with Store.open(url) as store:
        report = ingest([str(folder)], store, Settings.from_env(db_url=url), annotate=False)
        stored = store.articles(limit=100)
    assert report.ingested + report.duplicates == 5 and len(stored) == 5
    assert any(a.source.endswith("news-\\xff\\xfe-\\xe9t\\xe9.txt") for a in stored)
    (failure,) = report.failed
    assert "\n" not in str(failure) and "logo\\nfake" in str(failure)


# ---------------------------------------------------------------- WARC, record by record


def _record(url: str, body: bytes) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
    )
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=headers
    )
    writer.write_record(record)
    return out.getvalue()


def _page(number: int) -> bytes:
    lines = dev_lines(number)
    paragraphs = "".join(f"<p>{line}</p>\n" for line in lines[1:])
    html = f"<html><head><title>{lines[0]}</title></head><body><article><h1>{lines[0]}</h1>\n"
    return f"{html}{paragraphs}</article></body></html>\n".encode()


def _with_length(record: bytes, change: str) -> bytes:
    match = re.search(rb"\r\nContent-Length: (\d+)\r\n", record)
    assert match is not None
    length = int(match[1])
    value = {"longer": str(length + 300), "shorter": str(length - 300), "word": "abc"}[change]
    return record.replace(match[0], f"\r\nContent-Length: {value}\r\n".encode(), 1)


def _archive(records: list[bytes], gz: bool) -> bytes:
    return b"".join(gzip.compress(r) for r in records) if gz else b"".join(records)


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
@pytest.mark.parametrize("change", ["longer", "shorter", "word"])
def test_a_record_with_a_broken_length_costs_only_itself(
    tmp_path: Path, gz: bool, change: str
) -> None:
    urls = [f"https://example.org/{n}" for n in (1, 2, 3)]
    records = [_record(url, _page(n)) for n, url in enumerate(urls, start=1)]
    records[1] = _with_length(records[1], change)
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(_archive(records, gz))
    items = run(path)
    assert [d.url for d in docs(items)] == [urls[0], urls[2]]
    (error,) = errors(items)
    assert error.source == f"{path}#2"
    assert "Content-Length" in error.detail, error
    assert "charset" not in error.detail and "decode" not in error.detail
    assert str(error).isprintable() and len(str(error)) < 300


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_a_truncated_last_record_is_named_truncated(tmp_path: Path, gz: bool) -> None:
    first = _record("https://example.org/1", _page(1))
    last = _record("https://example.org/2", _page(2))
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    whole = _archive([first], gz) + (gzip.compress(last[:-700]) if gz else last[:-700])
    path.write_bytes(whole)
    items = run(path)
    assert [d.url for d in docs(items)] == ["https://example.org/1"]
    (error,) = errors(items)
    assert error.source == f"{path}#2" and "truncated" in error.detail, error


def test_corrupt_gzip_member_gets_a_readable_message(tmp_path: Path) -> None:
    first = gzip.compress(_record("https://example.org/1", _page(1)))
    broken = gzip.compress(_record("https://example.org/2", _page(2)))[:300]
    third = gzip.compress(_record("https://example.org/3", _page(3)))
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(first + broken + b"\xff\xfe\x00garbage\x1f" * 10 + third)
    items = run(path)
    assert [d.url for d in docs(items)] == ["https://example.org/1", "https://example.org/3"]
    (error,) = errors(items)
    message = str(error)
    assert error.source == f"{path}#2" and "gzip" in message, message
    assert message.isprintable() and "\\x1f\\x8b" not in message and "b'" not in message


# ---------------------------------------------------------------- feeds with an internal DTD

LAUGHS = "\n".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' if n else '<!ENTITY lol0 "lol">' for n in range(10)
)


def _feed(subset: str, title: str, body: str) -> bytes:
    second_title, *second_body = dev_lines(2)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE rss [
{subset}
]>
<rss version="2.0"><channel><title>Стрічка</title><link>https://www.feed.example/</link>
<item><title>{title}</title><link>https://feed.example/1</link>
<description>{body}</description></item>
<item><title>{second_title}</title><link>https://feed.example/2</link>
<description>{" ".join(second_body)}</description></item>
</channel></rss>""".encode()


def test_feed_with_an_internal_dtd_is_a_feed(tmp_path: Path) -> None:
    title, *body = dev_lines(1)
    data = _feed('<!ENTITY site "feed.example">', title, " ".join(body))
    assert sniff(data) == "feed"
    assert sniff(data.replace(b"[\n", b"[").replace(b">\n]>", b">]>")) == "feed"
    path = tmp_path / "feed.xml"
    path.write_bytes(data)
    first, second = run(path)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.given.title == title and first.url == "https://feed.example/1"
    assert first.given.outlet == "feed.example"


@pytest.mark.parametrize("one_line", [False, True])
def test_feed_entities_are_never_expanded(tmp_path: Path, one_line: bool) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4242", encoding="utf-8")
    subset = f'{LAUGHS}\n<!ENTITY xxe SYSTEM "file://{secret}">\n<!ENTITY big "{"A" * 10_000}">'
    title, *body = dev_lines(1)
    data = _feed(
        subset, f"{title} &lol9; &xxe;", " ".join(body) + " &lol9; &xxe; " + "&big;" * 20_000
    )
    if one_line:
        data = data.replace(b"\n<!ENTITY", b"<!ENTITY").replace(b"[\n", b"[")
    path = tmp_path / "laughs.xml"
    path.write_bytes(data)
    started = time.perf_counter()
    items = run(path)
    assert time.perf_counter() - started < 5
    first, second = docs(items)
    for doc in (first, second):
        assert len(doc.data) < 2 * len(data) and "TOPSECRET" not in doc.data.decode()
        assert (
            "lollollol" not in doc.data.decode() and "AAAAAAAAAAAAAAAAAAAA" not in doc.data.decode()
        )
    assert first.given.title is not None and first.given.title.startswith(title)
    assert "lollollol" not in first.given.title and "TOPSECRET" not in first.given.title


# ---------------------------------------------------------------- JSONL field types and lengths


def _jsonl(tmp_path: Path, records: list[dict[str, object]]) -> Path:
    path = tmp_path / "dump.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def _record_of(number: int, **fields: object) -> dict[str, object]:
    title, *body = dev_lines(number)
    return {"id": f"dev-{number}", "title": title, "text": "\n".join(body), **fields}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lang", 5),
        ("lang", "5"),
        ("lang", ["uk"]),
        ("title", 7),
        ("outlet", {"name": "x"}),
        ("author", 3.5),
        ("author", ["Ann", 5]),
        ("url", 12),
        ("published", 1658500000),
        ("id", True),
    ],
)
def test_a_field_of_the_wrong_type_is_an_error_line(
    tmp_path: Path, field: str, value: object
) -> None:
    path = _jsonl(tmp_path, [_record_of(1), _record_of(2, **{field: value}), _record_of(3)])
    items = run(path)
    assert [d.given.external_id for d in docs(items)] == ["dev-1", "dev-3"]
    (error,) = errors(items)
    assert error.source == f"{path}:2" and f"'{field}'" in error.detail, error


def test_numbers_stay_welcome_as_ids_and_language_tags_are_read(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, [_record_of(1, id=42, lang=" UK "), _record_of(2, lang="en-GB")])
    first, second = run(path)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert (first.given.external_id, first.given.lang) == ("42", "uk")
    assert second.given.lang == "en"


def test_over_long_title_author_and_outlet_move_to_the_body(tmp_path: Path) -> None:
    text = dev_text(4).replace("\n", " ")
    title = (text * (2_000_000 // len(text) + 1))[:2_000_000]
    outlet = ("x" * 99 + ".") * 1000
    author = "Автор " * 100
    record = _record_of(5, title=title, outlet=outlet, author=author, lang="uk")
    path = _jsonl(tmp_path, [record, _record_of(6, outlet="short.example")])
    long, short = run(path, max_bytes=20_000_000)
    assert isinstance(long, RawDocument) and isinstance(short, RawDocument)
    assert long.given.title is None and long.given.outlet is None and long.given.author is None
    body = long.data.decode("utf-8")
    assert body.startswith(title) and author.strip() in body and outlet in body
    assert body.endswith(str(record["text"]))
    assert short.given.outlet == "short.example" and short.given.title == dev_lines(6)[0]
    assert TITLE_MAX == 1000 and OUTLET_MAX == 200 and AUTHOR_MAX == 300


def test_title_at_the_cap_is_kept(tmp_path: Path) -> None:
    title = ("Зеленський " * 200)[:TITLE_MAX].strip()
    (doc,) = run(_jsonl(tmp_path, [_record_of(1, title=title)]))
    assert isinstance(doc, RawDocument) and doc.given.title == title


def test_feed_titles_are_capped_too(tmp_path: Path) -> None:
    title, *body = dev_lines(1)
    long_title = " ".join([title] * 40)
    path = tmp_path / "feed.xml"
    path.write_bytes(_feed('<!ENTITY a "b">', long_title, " ".join(body)))
    first, _second = run(path)
    assert isinstance(first, RawDocument) and first.given.title is None
    assert long_title in first.data.decode("utf-8")


def test_lone_surrogates_in_jsonl_do_not_end_the_file(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    bad = json.dumps(_record_of(2, title="Заголовок \ud800 тут"))  # ensure_ascii: "\\ud800"
    path.write_text("\n".join([json.dumps(_record_of(1)), bad, json.dumps(_record_of(3))]))
    items = run(path)
    assert [d.given.external_id for d in docs(items)] == ["dev-1", "dev-2", "dev-3"]
    for doc in docs(items):
        doc.data.decode("utf-8")
        (doc.given.title or "").encode("utf-8")
