"""storyline.sources: every input kind, sniffing, the URL fetcher and the bad-input list.

Containers (JSONL, WARC, RSS, Atom) are built here from real news text (the seed
articles copied into tests/data/inputs), not committed as binaries.
"""

from __future__ import annotations

import gzip
import http.server
import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.document import RawDocument
from storyline.errors import (
    BinaryInputError,
    EmptyInputError,
    FetchError,
    InputError,
    NotFoundError,
    TooLargeError,
)
from storyline.extract.decode import decode
from storyline.sources import iter_documents
from storyline.sources.sniff import looks_like_html, sniff

DATA = Path(__file__).resolve().parents[1] / "data"
INPUTS = DATA / "inputs"
HTML = DATA / "html"
SEED_RU = (INPUTS / "seed_ru.txt").read_text(encoding="utf-8")
SEED_UK = (INPUTS / "seed_uk.txt").read_text(encoding="utf-8")
PNG = (  # a real 1x1 PNG header: signature and IHDR chunk
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    b"\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)

MAX = 1_000_000


def run(*inputs: str | Path, max_bytes: int = MAX, timeout: float = 5.0, stdin=None) -> list:
    return list(
        iter_documents(
            [str(i) for i in inputs], max_bytes=max_bytes, fetch_timeout=timeout, stdin=stdin
        )
    )


def docs(items: list) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def errors(items: list) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def title_and_body(text: str) -> tuple[str, str]:
    """The headline (first line of 30+ characters, past any menu crumbs) and what follows."""
    lines = [line for line in text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if len(line) >= 30)
    return lines[start], "\n".join(lines[start + 1 :])


def page(text: str, charset: str = "utf-8") -> str:
    title, body = title_and_body(text)
    paragraphs = "".join(f"<p>{p}</p>\n" for p in body.split("\n"))
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"><title>{title}</title></head>'
        f"<body><article><h1>{title}</h1>\n{paragraphs}</article></body></html>\n"
    )


# ---------------------------------------------------------------- plain files


def test_html_file_is_one_html_document(tmp_path: Path) -> None:
    path = tmp_path / "article.html"
    path.write_text(page(SEED_RU), encoding="utf-8")
    [doc] = run(path)
    assert isinstance(doc, RawDocument)
    assert doc.kind == "html"
    assert doc.source == str(path)
    assert doc.data == path.read_bytes()


def test_plain_text_file_is_a_text_document(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(SEED_UK, encoding="utf-8")
    [doc] = run(path)
    assert doc.kind == "text"
    assert decode(doc).startswith("Столтенберг передав Росії")


def test_txt_holding_html_is_sniffed_as_html(tmp_path: Path) -> None:
    path = tmp_path / "saved-page.txt"
    path.write_text(page(SEED_UK), encoding="utf-8")
    [doc] = run(path)
    assert doc.kind == "html"


def test_html_fragment_without_html_tag_is_html_by_tag_density(tmp_path: Path) -> None:
    title, body = title_and_body(SEED_RU)
    path = tmp_path / "fragment"
    path.write_text(f"<h1>{title}</h1>\n<p>{body[:300]}</p>\n<p>{body[300:600]}</p>", "utf-8")
    [doc] = run(path)
    assert doc.kind == "html"


@pytest.mark.parametrize("name", ["ru_inotomsk_news.html", "ru_inotomsk_news.cp1251.html"])
def test_real_saved_pages_are_html_documents(name: str) -> None:
    [doc] = run(HTML / name)
    assert doc.kind == "html"
    assert "Новости инноваций в Томске" in decode(doc)


def test_gzipped_page_is_decompressed(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    raw = page(SEED_RU).encode("utf-8")
    path.write_bytes(gzip.compress(raw))
    [doc] = run(path)
    assert doc.kind == "html"
    assert doc.data == raw


def test_gzip_bomb_is_refused_by_decompressed_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 5_000_000))
    assert path.stat().st_size < 10_000
    [error] = run(path, max_bytes=100_000)
    assert isinstance(error, TooLargeError)
    assert "decompresses to more than" in str(error)


# ---------------------------------------------------------------- directories and stdin


def test_directory_is_walked_recursively_sorted_and_hidden_entries_skipped(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for rel in ["b/2.txt", "a/deep/1.txt", "z.txt", "a/0.txt", ".hidden.txt", ".git/config"]:
        (tmp_path / rel).write_text(SEED_RU, encoding="utf-8")
    items = run(tmp_path)
    assert [Path(d.source).relative_to(tmp_path).as_posix() for d in items] == [
        "z.txt",
        "a/0.txt",
        "a/deep/1.txt",
        "b/2.txt",
    ]


def test_empty_directory_yields_one_error(tmp_path: Path) -> None:
    [error] = run(tmp_path)
    assert isinstance(error, InputError)
    assert str(error) == f"{tmp_path}: no files in this directory"


def test_stdin_is_read_with_the_name_stdin() -> None:
    [doc] = run("-", stdin=io.BytesIO(page(SEED_UK).encode("utf-8")))
    assert doc.source == "<stdin>"
    assert doc.kind == "html"


def test_stdin_over_the_limit_is_refused() -> None:
    [error] = run("-", stdin=io.BytesIO(b"x" * 5000), max_bytes=1000)
    assert isinstance(error, TooLargeError)
    assert str(error).startswith("<stdin>: ")


# ---------------------------------------------------------------- JSONL


def jsonl_records() -> list[dict]:
    ru_title, ru_body = title_and_body(SEED_RU)
    return [
        {
            "id": "ru-1",
            "url": "https://example.org/ru/1",
            "title": ru_title,
            "text": ru_body,
            "published": "2022-01-09",
            "outlet": "example.org",
            "lang": "ru",
            "author": "Редакция",
        },
        {
            "id": 2,
            "url": "https://example.org/uk/2",
            "html": page(SEED_UK),
            "published": "2022-01-27T21:10:00+02:00",
            "lang": "UK",
        },
    ]


def write_jsonl(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_jsonl_without_extension_yields_one_document_per_line(tmp_path: Path) -> None:
    path = tmp_path / "dump"
    write_jsonl(path, [json.dumps(r, ensure_ascii=False) for r in jsonl_records()])
    first, second = run(path)
    assert first.kind == "text"
    assert first.data == jsonl_records()[0]["text"].encode("utf-8")
    assert first.source == f"{path}:1"
    assert first.url == "https://example.org/ru/1"
    assert first.given.external_id == "ru-1"
    assert first.given.title.startswith("В МИД России")
    assert first.given.published == datetime(2022, 1, 9)
    assert first.given.published_precision == "day"
    assert (first.given.outlet, first.given.lang, first.given.author) == (
        "example.org",
        "ru",
        "Редакция",
    )
    assert second.kind == "html"
    assert second.given.external_id == "2"
    assert second.given.lang == "uk"
    assert second.given.published_precision == "minute"
    assert second.given.published.utcoffset().total_seconds() == 7200


def test_jsonl_bad_lines_are_errors_and_the_rest_goes_in(tmp_path: Path) -> None:
    good = [json.dumps(r, ensure_ascii=False) for r in jsonl_records()]
    path = tmp_path / "mixed.jsonl"
    write_jsonl(
        path,
        [good[0], '{"title": "broken', "", '["not", "an object"]', '{"title": "no body"}', good[1]],
    )
    items = run(path)
    assert [d.source for d in docs(items)] == [f"{path}:1", f"{path}:6"]
    assert [e.source for e in errors(items)] == [f"{path}:2", f"{path}:4", f"{path}:5"]
    assert str(errors(items)[0]).startswith(f"{path}:2: invalid JSON")
    assert str(errors(items)[2]) == f"{path}:5: no 'text' or 'html' field"


def test_jsonl_larger_than_the_limit_is_streamed_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    record = json.dumps({"text": SEED_RU}, ensure_ascii=False)
    huge = json.dumps({"text": "x" * 20_000})
    write_jsonl(path, [record] * 3 + [huge, record])
    limit = 12_000
    assert path.stat().st_size > limit
    items = run(path, max_bytes=limit)
    assert len(docs(items)) == 4
    [error] = errors(items)
    assert isinstance(error, TooLargeError)
    assert error.source == f"{path}:4"


# ---------------------------------------------------------------- WARC


def http_record(
    writer: WARCWriter, url: str, body: bytes, content_type: str, status: str = "200 OK"
):
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=headers
    )


def build_warc(path: Path, *, gz: bool) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz)
        writer.write_record(
            writer.create_warcinfo_record(path.name, {"software": "storyline tests"})
        )
        request = StatusAndHeaders(
            "GET /ru HTTP/1.1", [("Host", "example.org")], is_http_request=True
        )
        writer.write_record(
            writer.create_warc_record("https://example.org/ru", "request", http_headers=request)
        )
        writer.write_record(
            http_record(
                writer,
                "https://example.org/ru",
                page(SEED_RU, "windows-1251").encode("cp1251"),
                "text/html; charset=windows-1251",
            )
        )
        writer.write_record(http_record(writer, "https://example.org/logo.png", PNG, "image/png"))
        writer.write_record(
            http_record(
                writer,
                "https://example.org/gone",
                b"<html>gone</html>",
                "text/html",
                "404 Not Found",
            )
        )
        writer.write_record(
            http_record(
                writer,
                "https://example.org/uk.txt",
                SEED_UK.encode("utf-8"),
                "text/plain; charset=utf-8",
            )
        )


@pytest.mark.parametrize("gz", [True, False])
def test_warc_response_records_become_documents(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    build_warc(path, gz=gz)
    ru, uk = run(path)
    assert ru.source == f"{path}#3"
    assert ru.url == "https://example.org/ru"
    assert (ru.content_type, ru.charset, ru.kind) == ("text/html", "windows-1251", "html")
    assert "В МИД России заявили" in decode(ru)
    assert uk.source == f"{path}#6"
    assert (uk.url, uk.kind, uk.charset) == ("https://example.org/uk.txt", "text", "utf-8")
    assert uk.data == SEED_UK.encode("utf-8")


def test_warc_without_extension_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    build_warc(path, gz=True)
    renamed = path.rename(tmp_path / "archive")
    assert len(docs(run(renamed))) == 2


def test_warc_record_over_the_limit_is_refused_alone(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(
            http_record(writer, "https://example.org/big", b"<p>" + b"x" * 50_000, "text/html")
        )
        writer.write_record(
            http_record(writer, "https://example.org/ok", page(SEED_RU).encode(), "text/html")
        )
    items = run(path, max_bytes=20_000)
    [error] = errors(items)
    assert isinstance(error, TooLargeError) and error.source == f"{path}#1"
    assert [d.url for d in docs(items)] == ["https://example.org/ok"]


# ---------------------------------------------------------------- RSS / Atom


def build_rss() -> str:
    items = []
    for n, seed in enumerate([SEED_RU, SEED_UK], start=1):
        title, body = title_and_body(seed)
        html = "".join(f"<p>{p}</p>" for p in body.split("\n"))
        items.append(
            f"""<item><title>{title}</title><link>https://news.example.com/{n}</link>
<guid isPermaLink="false">guid-{n}</guid><pubDate>Sun, 09 Jan 2022 14:4{n}:00 +0300</pubDate>
<author>desk@news.example.com (Desk {n})</author><description>summary {n}</description>
<content:encoded><![CDATA[{html}]]></content:encoded></item>"""
        )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example News</title><link>https://www.news.example.com/</link>
<description>d</description>{"".join(items)}</channel></rss>"""


def build_atom() -> str:
    title, body = title_and_body(SEED_UK)
    html = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    escaped = html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Стрічка</title>
<link href="https://uk.example.net/"/><id>urn:feed</id><updated>2022-01-27T20:00:00Z</updated>
<entry><title>{title}</title><link href="https://uk.example.net/a/1"/><id>urn:entry:1</id>
<published>2022-01-27T19:00:00+02:00</published><updated>2022-01-27T19:00:00+02:00</updated>
<author><name>Олена Коваль</name></author><content type="html">{escaped}</content></entry></feed>"""


def test_rss_entries_become_html_documents_with_given_metadata(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(build_rss(), encoding="utf-8")
    ru, uk = run(path)
    assert (ru.kind, ru.url, ru.source) == ("html", "https://news.example.com/1", f"{path}#1")
    assert ru.given.title.startswith("В МИД России")
    assert ru.given.external_id == "guid-1"
    assert ru.given.outlet == "news.example.com"
    assert ru.given.published == datetime(2022, 1, 9, 11, 41, tzinfo=UTC)
    assert "Desk 1" in ru.given.author
    assert b"<p>" in ru.data and "Россия не пойдет" in ru.data.decode("utf-8")
    assert uk.given.title.startswith("Столтенберг")


def test_atom_entry_becomes_a_document(tmp_path: Path) -> None:
    path = tmp_path / "atom"
    path.write_text(build_atom(), encoding="utf-8")
    [doc] = run(path)
    assert doc.url == "https://uk.example.net/a/1"
    assert doc.given.external_id == "urn:entry:1"
    assert doc.given.author == "Олена Коваль"
    assert doc.given.outlet == "uk.example.net"
    assert doc.given.published == datetime(2022, 1, 27, 17, 0, tzinfo=UTC)
    assert "Генеральний секретар НАТО" in doc.data.decode("utf-8")


def test_real_ukrainian_rss_feed() -> None:
    items = run(INPUTS / "uk_unian_feed.rss")
    assert len(items) == 5 and all(isinstance(i, RawDocument) for i in items)
    assert items[0].given.title.startswith('"Зір вдалося зберегти"')
    assert items[0].data.decode("utf-8") == "У лікарню військового доправили в суботу ґвинтокрилом."
    assert items[0].given.outlet is None  # the channel names no link of its own


def test_koi8r_feed_is_decoded_by_its_xml_declaration(tmp_path: Path) -> None:
    title, body = title_and_body(SEED_RU)
    xml = (
        '<?xml version="1.0" encoding="koi8-r"?><rss version="2.0"><channel><title>Лента</title>'
        f"<link>http://www.newsru.example/</link><item><title>{title}</title>"
        f"<link>http://www.newsru.example/1.html</link><description>{body[:400]}</description>"
        "</item></channel></rss>"
    )
    path = tmp_path / "koi8.rss"
    path.write_bytes(xml.encode("koi8-r", errors="replace"))
    [doc] = run(path)
    assert doc.given.title == title
    assert doc.given.outlet == "newsru.example"


# ---------------------------------------------------------------- URLs


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def send_body(self, body: bytes, content_type: str, length: bool = True) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/cp1251":
            self.send_body(
                page(SEED_RU, "windows-1251").encode("cp1251"), "text/html; charset=windows-1251"
            )
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/cp1251")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", f"/loop{len(self.path)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(1.5)
            self.send_body(b"<html>late</html>", "text/html")
        elif self.path == "/big":
            self.send_body(b"<p>" + b"x" * 50_000, "text/html", length=False)
        elif self.path == "/big-declared":
            self.send_body(b"<p>" + b"x" * 50_000, "text/html")
        elif self.path == "/feed":
            self.send_body(build_rss().encode("utf-8"), "application/rss+xml")
        elif self.path == "/image":
            self.send_body(PNG, "image/png")
        else:
            self.send_error(404, "Not Found")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


def test_url_200_with_cp1251_charset_header(server: str) -> None:
    [doc] = run(f"{server}/cp1251")
    assert doc.source == doc.url == f"{server}/cp1251"
    assert (doc.content_type, doc.charset, doc.kind) == ("text/html", "windows-1251", "html")
    assert "Россия не пойдет на какие-либо уступки" in decode(doc)


def test_url_redirect_is_followed_and_final_url_kept(server: str) -> None:
    [doc] = run(f"{server}/redirect")
    assert doc.source == f"{server}/redirect"
    assert doc.url == f"{server}/cp1251"


def test_url_redirect_loop_stops_after_five(server: str) -> None:
    [error] = run(f"{server}/loop")
    assert isinstance(error, FetchError)
    assert str(error) == f"{server}/loop: more than 5 redirects"


def test_url_404(server: str) -> None:
    [error] = run(f"{server}/missing")
    assert isinstance(error, FetchError)
    assert str(error) == f"{server}/missing: HTTP 404 Not Found"


def test_url_slow_endpoint_times_out(server: str) -> None:
    started = time.monotonic()
    [error] = run(f"{server}/slow", timeout=0.3)
    assert isinstance(error, FetchError)
    assert str(error) == f"{server}/slow: timed out after 0.3s"
    assert time.monotonic() - started < 1.4


@pytest.mark.parametrize("route", ["/big", "/big-declared"])
def test_url_oversize_body_is_refused(server: str, route: str) -> None:
    [error] = run(f"{server}{route}", max_bytes=10_000)
    assert isinstance(error, TooLargeError)
    assert error.source == f"{server}{route}"


def test_url_refused_port() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    [error] = run(f"http://127.0.0.1:{port}/")
    assert isinstance(error, FetchError)
    assert str(error) == f"http://127.0.0.1:{port}/: connection refused"


def test_url_serving_a_feed_yields_its_entries(server: str) -> None:
    items = run(f"{server}/feed")
    assert [d.url for d in items] == ["https://news.example.com/1", "https://news.example.com/2"]


def test_url_serving_an_image_is_binary(server: str) -> None:
    [error] = run(f"{server}/image")
    assert isinstance(error, BinaryInputError)


def test_unsupported_scheme() -> None:
    [error] = run("ftp://example.org/x")
    assert isinstance(error, FetchError)
    assert "unsupported URL scheme 'ftp'" in str(error)


# ---------------------------------------------------------------- bad inputs


def bad_inputs(root: Path) -> dict[str, type[InputError]]:
    """Write one of each bad input under ``root``; name → expected error class."""
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.html").write_bytes(b"  \n\t\r\n  ")
    (root / "image.html").write_bytes(PNG + bytes(range(256)) * 4)
    (root / "huge.txt").write_text(SEED_RU * 40, encoding="utf-8")
    return {
        "empty.txt": EmptyInputError,
        "blank.html": EmptyInputError,
        "image.html": BinaryInputError,
        "huge.txt": TooLargeError,
    }


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    [error] = run(tmp_path / "empty.txt")
    assert isinstance(error, EmptyInputError)
    assert str(error) == f"{tmp_path / 'empty.txt'}: empty input"


def test_binary_png_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.html"
    path.write_bytes(PNG + bytes(range(256)))
    [error] = run(path)
    assert isinstance(error, BinaryInputError)
    assert str(error) == f"{path}: binary content (PNG image), not a text or HTML page"


def test_file_with_nul_bytes_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(b"abc\x00def" * 100)
    [error] = run(path)
    assert isinstance(error, BinaryInputError)


def test_truncated_html_still_yields_a_document(tmp_path: Path) -> None:
    path = tmp_path / "cut.html"
    full = page(SEED_RU).encode("utf-8")
    path.write_bytes(full[: len(full) // 2])
    [doc] = run(path)
    assert doc.kind == "html"
    assert len(doc.data) == len(full) // 2


def test_invalid_utf8_still_yields_a_document(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    raw = bytearray(SEED_UK.encode("utf-8"))
    raw[100] = 0xFF
    raw[2000] = 0xC0
    path.write_bytes(bytes(raw))
    [doc] = run(path)
    assert doc.kind == "text"
    text = decode(doc)
    assert text.count("\ufffd") >= 2
    assert "Генеральний секретар НАТО" in text


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text(SEED_RU * 40, encoding="utf-8")
    [error] = run(path, max_bytes=50_000)
    assert isinstance(error, TooLargeError)
    assert str(error) == f"{path}: {path.stat().st_size} bytes, over the size limit of 50000 bytes"


def test_missing_path() -> None:
    [error] = run("/nonexistent/storyline/input.html")
    assert isinstance(error, NotFoundError)
    assert str(error) == "/nonexistent/storyline/input.html: no such file or directory"


def test_unreachable_url() -> None:
    # A reserved .invalid host never resolves (RFC 2606): no packet leaves the machine.
    [error] = run("http://storyline-test.invalid/article", timeout=2.0)
    assert isinstance(error, FetchError)
    assert str(error).startswith("http://storyline-test.invalid/article: ")
    assert "\n" not in str(error)


def test_mixed_directory_good_files_come_through_and_each_bad_one_errs_once(tmp_path: Path) -> None:
    expected = bad_inputs(tmp_path)
    (tmp_path / "good.html").write_text(page(SEED_RU), encoding="utf-8")
    (tmp_path / "good.txt").write_text(SEED_UK, encoding="utf-8")
    cut = page(SEED_UK).encode("utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "truncated.html").write_bytes(cut[: len(cut) // 3])
    broken = bytearray(SEED_RU.encode("utf-8"))
    broken[50] = 0xFF
    (tmp_path / "sub" / "invalid-utf8.txt").write_bytes(bytes(broken))
    items = run(
        tmp_path,
        "/nonexistent/dir",
        "http://storyline-test.invalid/",
        max_bytes=50_000,
        timeout=2.0,
    )

    good = {Path(d.source).name for d in docs(items)}
    assert good == {"good.html", "good.txt", "truncated.html", "invalid-utf8.txt"}

    errs = errors(items)
    by_name = {Path(e.source).name if "://" not in e.source else e.source: e for e in errs}
    assert len(by_name) == len(errs) == len(expected) + 2
    for name, cls in expected.items():
        assert isinstance(by_name[name], cls)
    assert isinstance(by_name["dir"], NotFoundError)
    assert isinstance(by_name["http://storyline-test.invalid/"], FetchError)
    for error in errs:
        line = str(error)
        assert "\n" not in line
        assert line.startswith(f"{error.source}: ") and len(line) > len(error.source) + 2


# ---------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf \n", "empty"),
        (b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", "warc"),
        (b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        (b'[{"text": "a"}]', "json"),
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', "feed"),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>', "feed"),
        (b"<!-- saved -->\n<!DOCTYPE html><html></html>", "html"),
        ("Просто текст новости.\nВторая строка.".encode("cp1251"), "text"),
        ("<html><body>Тест</body></html>".encode("utf-16"), "html"),
        (PNG, "binary"),
        (b"%PDF-1.7\n", "binary"),
        (gzip.compress(b"<html></html>"), "gzip"),
    ],
)
def test_sniff(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


def test_looks_like_html_on_decoded_text() -> None:
    assert looks_like_html(page(SEED_RU))
    assert looks_like_html("<p>Один.</p>\n<p>Два.</p>\n<p>Три.</p>")
    assert not looks_like_html(SEED_UK)
    assert not looks_like_html('<?xml version="1.0"?><rss version="2.0"></rss>')
