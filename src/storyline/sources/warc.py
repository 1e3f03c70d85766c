"""WARC and WARC.gz archives (read with warcio), recovered record by record.

Only successful (2xx) ``response`` records and ``resource`` records whose
payload is HTML or plain text become documents; robots.txt, images, scripts,
redirects and request/metadata records are skipped without a word, because
they are not articles. The archive is streamed, so the size limit applies to
each record's payload, not to the archive.

A corrupt record costs only itself. A record is checked before it becomes a document:
its ``Content-Length`` must be a number, the record must hold that many bytes (else it
is *truncated*), and a blank line must follow them (else the length is wrong and the
bytes read are part of something else). A bad record gets one error naming that
reason, and reading resumes at the next record start after it — the next line
beginning ``WARC/`` in a plain archive, the next gzip member in a ``.warc.gz`` — so a
valid record after a corrupt one is still read. warcio's own warning for a wrong
length (several lines with raw bytes, on stderr) is silenced: the error says it.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from storyline.document import RawDocument
from storyline.errors import EmptyInputError, InputError, TooLargeError, one_line
from storyline.sources.sniff import (
    GZIP_MAGIC,
    HTML_TYPES,
    TEXT_TYPES,
    parse_content_type,
    sniff,
)

_READ_ERRORS = (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error)
"""What warcio and its decompressor raise on bytes that are not a readable record."""

_RECORD_STARTS = (b"\nWARC/1.", b"\nWARC/0.")
_SCAN = 1 << 20


class _Archive(ArchiveIterator):
    """warcio's iterator, without its multi-line stderr warning for a record not followed
    by a blank line (it still counts them in ``err_count``, which is what is read here)."""

    INC_RECORD = ""


def _read_capped(stream: BinaryIO, max_bytes: int) -> bytes | None:
    """The payload, or None once it passes ``max_bytes``."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(1 << 16, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            return None


def _length_problem(record: ArcWarcRecord) -> str | None:
    """Why the record's declared length cannot be used, if it cannot."""
    if record.format != "warc":
        return None
    value = record.rec_headers.get_header("Content-Length")
    if value is None:
        return "no Content-Length header: the record's end is unknown"
    if not value.strip().isdigit():
        return f"invalid Content-Length {one_line(value)[:40]!r}: not a number of bytes"
    return None


def _framing_problem(record: ArcWarcRecord, archive: _Archive, warned: int) -> str | None:
    """Whether the record, read to its end, held its declared length and ended there."""
    remaining = getattr(record.raw_stream, "limit", 0)
    if remaining > 0:
        held = record.length - remaining
        return (
            f"truncated record: Content-Length {record.length} but the archive holds "
            f"only {held} bytes of it"
        )
    if archive.err_count > warned:
        return (
            f"wrong Content-Length {record.length}: no blank line after that many bytes, "
            "so the record's end is not where it says"
        )
    return None


def _document(record: ArcWarcRecord, where: str, max_bytes: int) -> RawDocument | InputError | None:
    """The page a record holds, the error reading it, or None for a record that is not an
    article (not a 2xx response, not HTML or text)."""
    rec_type = record.rec_type
    if rec_type not in ("response", "resource"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    if rec_type == "response":
        http = record.http_headers
        if http is None:
            return None
        status = http.get_statuscode()
        if not status or not status.startswith("2"):
            return None
        header = http.get_header("Content-Type")
    else:
        header = record.rec_headers.get_header("Content-Type")
    media, charset = parse_content_type(header)
    if media is not None and media not in HTML_TYPES | TEXT_TYPES:
        return None
    try:
        payload = _read_capped(record.content_stream(), max_bytes)
    except Exception as exc:  # warcio's decoders raise many kinds
        return InputError(where, f"cannot read the WARC record payload ({_reason(exc)})")
    if payload is None:
        return TooLargeError(where, f"record payload over the size limit of {max_bytes} bytes")
    kind = sniff(payload, url or "")
    if (media is None and kind not in ("html", "text")) or kind == "empty":
        return None  # untyped payload that is not a page, or nothing: not an article
    return RawDocument(
        source=where,
        data=payload,
        url=url,
        content_type=media,
        charset=charset,
        kind="html" if media in HTML_TYPES or kind == "html" else "text",
    )


def _reason(exc: BaseException, gz: bool = False) -> str:
    """A one-line reason for a read failure, never the raw bytes warcio quotes."""
    text = str(exc).strip()
    if isinstance(exc, zlib.error):
        return f"corrupt gzip data ({one_line(text)[:80]})"
    if "non-chunked gzip" in text:
        return "several records in one gzip stream (a .warc.gz needs one gzip member per record)"
    if text.startswith("Invalid WARC record") or text.startswith("Unknown archive format"):
        if gz:
            return "corrupt gzip member: it does not inflate to a WARC record"
        return "no WARC record header where a record should start"
    first = text.splitlines()[0] if text else type(exc).__name__
    return one_line(first)[:120]


def _next_start(stream: BinaryIO, after: int, gz: bool) -> int | None:
    """The offset of the next record start at or past ``after``: a gzip member's magic
    bytes, or a line beginning ``WARC/``; None at the end of the stream."""
    patterns = (GZIP_MAGIC + b"\x08",) if gz else _RECORD_STARTS
    shift = 0 if gz else 1  # a WARC/ line starts after the newline matched
    keep = max(len(p) for p in patterns) - 1
    position = max(after - shift, 0)
    stream.seek(position)
    tail = b""
    while True:
        chunk = stream.read(_SCAN)
        if not chunk:
            return None
        window = tail + chunk
        found = [i for i in (window.find(p) for p in patterns) if i >= 0]
        if found:
            return position - len(tail) + min(found) + shift
        tail = window[-keep:]
        position += len(chunk)


def _is_gzip(stream: BinaryIO) -> bool:
    start = stream.tell()
    head = stream.read(2)
    stream.seek(start)
    return head == GZIP_MAGIC


def iter_warc(stream: BinaryIO, source: str, max_bytes: int) -> Iterator[RawDocument | InputError]:
    """Documents from a seekable WARC stream (gzip or not; warcio tells them apart), one
    error per unreadable record; see the module docstring for how reading resumes."""
    gz = _is_gzip(stream)
    produced = False
    index = 0
    start: int | None = stream.tell()
    while start is not None:
        stream.seek(start)
        archive = _Archive(stream)
        failed_at: int | None = None
        in_record = False
        try:
            for record in archive:
                index += 1
                in_record = True
                where = f"{source}#{index}"
                offset = archive.offset
                problem = _length_problem(record)
                found = None if problem else _document(record, where, max_bytes)
                if problem is None:
                    warned = archive.err_count
                    archive.read_to_end()
                    problem = _framing_problem(record, archive, warned)
                if problem is not None:
                    yield InputError(where, problem)
                    failed_at = offset
                    break
                in_record = False
                if found is not None:
                    produced = produced or isinstance(found, RawDocument)
                    yield found
        except _READ_ERRORS as exc:
            if not in_record:
                index += 1
            yield InputError(f"{source}#{index}", _reason(exc, gz))
            failed_at = archive.offset
        start = None if failed_at is None else _next_start(stream, failed_at + 1, gz)
    if not produced:
        yield EmptyInputError(source, "no HTML or text responses in this WARC")
