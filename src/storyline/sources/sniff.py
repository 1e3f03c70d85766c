"""Content sniffing: what is in these bytes, whatever the file is called.

The extension is only a tie-breaker. A ``.txt`` holding a saved page is HTML, a
JSONL dump without extension is JSONL, and a ``.html`` that is really a PNG is
refused as binary. Every test here looks at the first few kilobytes only.
"""

from __future__ import annotations

import json
import re
from typing import Literal

Kind = Literal["warc", "gzip", "jsonl", "json", "feed", "html", "text", "binary", "empty"]

HEAD_SIZE = 64 * 1024
"""How many bytes the sniffer looks at; callers read at least this much first."""

GZIP_MAGIC = b"\x1f\x8b"

BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Magic numbers of formats that are never a news page. Order matters only for
# readability of the message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "Windows executable"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM video"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
)

_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S
)
_HTML_ANYWHERE = re.compile(rb"<html[\s>]|<head[\s>]|<body[\s>]|<meta\s[^>]*charset", re.I)
_HTML_TAG = re.compile(
    rb"</?(?:p|div|span|a|h[1-6]|br|hr|meta|title|article|section|header|footer|nav|main|"
    rb"script|style|link|img|ul|ol|li|table|tr|td|strong|em|b|i|figure|time|blockquote)[\s/>]",
    re.I,
)
_XML_PROLOGUE = re.compile(
    rb"^\s*(?:<\?xml[^>]*\?>\s*)?"
    rb"(?:<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[(?:[^\]\"']|\"[^\"]*\"|'[^']*')*\])?\s*>\s*|<\?[^>]*\?>\s*)*",
    re.S,
)
"""The XML declaration, comments, processing instructions and a DOCTYPE before the root
element — the DOCTYPE with its internal subset (``[<!ENTITY …>]``), whose ``>``s would
end a plain ``<!DOCTYPE[^>]*>`` early and hide the feed behind it."""
_FEED_ROOT = re.compile(rb"<(?:rss[\s>]|feed[\s>]|rdf:RDF[\s>]|(?:\w+:)?RDF[\s>])", re.I)

_WHITESPACE = b" \t\r\n\f\v"
_CONTROL = frozenset(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B} | {0x7F})


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces, and the BOM's length."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the bytes look like BOM-less UTF-16 text.

    Mostly-Latin UTF-16 has a NUL in every other byte; Cyrillic UTF-16 has 0x04
    there. Either way one parity is dominated by a single high byte.
    """
    head = data[:4096]
    if len(head) < 16:
        return None
    even, odd = head[0::2], head[1::2]
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        zeros = high.count(0)
        cyrillic = high.count(4)
        if (zeros + cyrillic) / len(high) > 0.9 and low.count(0) / len(low) < 0.05 and zeros:
            return encoding
    return None


def text_head(data: bytes) -> bytes:
    """The first bytes in an ASCII-compatible form, for the pattern tests.

    UTF-16/32 text (with BOM, or recognisably without) is transcoded to UTF-8 so
    that ``<html`` matches; anything else is returned as is, minus a UTF-8 BOM.
    """
    head = data[:HEAD_SIZE]
    found = bom_encoding(head)
    encoding = found[0] if found else utf16_without_bom(head)
    if encoding is None:
        return head
    if found and encoding == "utf-8":
        return head[found[1] :]
    skip = found[1] if found else 0
    return head[skip:].decode(encoding, errors="ignore").encode("utf-8")


def binary_reason(data: bytes) -> str | None:
    """Why these bytes are not text (None when they may well be text)."""
    head = data[:HEAD_SIZE]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"binary content ({what}), not a text or HTML page"
    if head[4:12] in (b"ftypisom", b"ftypmp42", b"ftypM4A ", b"ftypavif", b"ftypheic"):
        return "binary content (media file), not a text or HTML page"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "binary content (RIFF media file), not a text or HTML page"
    if bom_encoding(head) or utf16_without_bom(head):
        return None
    if b"\x00" in head:
        return "binary content (NUL bytes), not a text or HTML page"
    if head:
        controls = sum(1 for byte in head if byte in _CONTROL)
        if controls / len(head) > 0.05:
            return "binary content (control bytes), not a text or HTML page"
    return None


def is_blank(data: bytes) -> bool:
    """Empty, or nothing but whitespace (and perhaps a BOM)."""
    found = bom_encoding(data[:4])
    if found:
        encoding, skip = found
        if encoding == "utf-8":
            return not data[skip:].strip(_WHITESPACE)
        return not data[skip:].decode(encoding, errors="replace").strip()
    return not data.strip(_WHITESPACE)


def _looks_like_jsonl(head: bytes, complete: bool) -> bool:
    lines = [line.strip() for line in head.splitlines()]
    lines = [line for line in lines if line]
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # the last line of a head may be cut
    if not lines or not lines[0].startswith(b"{"):
        return False
    parsed = 0
    for line in lines[:20]:
        if not line.startswith(b"{"):
            continue
        try:
            value = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(value, dict):
            parsed += 1
    return parsed > 0


def _html_markup(body: bytes) -> bool:
    start = body[:4096]
    return bool(
        _HTML_START.match(body)
        or _HTML_ANYWHERE.search(start)
        or len(_HTML_TAG.findall(start)) >= 3
    )


def looks_like_html(content: str | bytes) -> bool:
    """Whether a page (decoded text or raw bytes) is HTML rather than plain text.

    The same test :func:`sniff` applies: ``<html``/``<!doctype html``, a
    ``<head>``/``<body>``/``<meta charset>``, or several common tags in the
    first 4 KB. Feeds and JSON are not HTML.
    """
    data = content.encode("utf-8", errors="ignore") if isinstance(content, str) else content
    body = text_head(data).lstrip(_WHITESPACE)
    if _FEED_ROOT.match(body[_XML_PROLOGUE.match(body).end() :]) and not _HTML_START.match(body):
        return False
    return _html_markup(body)


def feed_root(data: bytes) -> int | None:
    """Where the root element of a feed (``<rss``, ``<feed``, ``<rdf:RDF``) starts in
    ASCII-compatible bytes: right after the prologue, or else (a prologue this module
    cannot parse) the first such tag in the first :data:`HEAD_SIZE` bytes."""
    after = _XML_PROLOGUE.match(data)
    start = after.end() if after else 0
    if _FEED_ROOT.match(data, start):
        return start
    found = _FEED_ROOT.search(data, 0, HEAD_SIZE)
    return found.start() if found else None


def sniff(data: bytes, name: str = "", *, complete: bool = True) -> Kind:
    """Classify a payload from its first bytes.

    ``data`` is the whole payload or (``complete=False``) its first
    :data:`HEAD_SIZE` bytes; ``name`` (a path or URL) only breaks ties.
    """
    lower_name = name.lower()
    if is_blank(data):
        return "empty"
    if data.startswith(GZIP_MAGIC):
        return "gzip"
    stripped = data.lstrip(_WHITESPACE)
    if stripped.startswith((b"WARC/1.", b"WARC/0.")):
        return "warc"
    if binary_reason(data):
        return "binary"
    head = text_head(data)
    body = head.lstrip(_WHITESPACE)
    if body.startswith((b"{", b"[")):
        if _looks_like_jsonl(head, complete):
            return "jsonl"
        if complete:
            try:
                value = json.loads(head if len(data) <= HEAD_SIZE else data)
            except (ValueError, UnicodeDecodeError):
                value = None
            if isinstance(value, (dict, list)):
                return "json"
        if lower_name.endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")):
            return "jsonl"
    if _HTML_START.match(body):
        return "html"
    prologue = _XML_PROLOGUE.match(body)
    after = body[prologue.end() if prologue else 0 :]
    if _FEED_ROOT.match(after):
        return "feed"
    if _html_markup(body):
        return "html"
    if lower_name.endswith((".html", ".htm", ".xhtml", ".shtml")):
        return "html"
    if lower_name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    return "text"


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """``text/html; charset="Windows-1251"`` → ``("text/html", "windows-1251")``."""
    if not value:
        return None, None
    media, _, params = value.partition(";")
    media = media.strip().lower() or None
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").strip().lower() or None
    return media, charset


HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
