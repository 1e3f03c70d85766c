"""WARC and WARC.gz archives (read with warcio).

Only successful (2xx) ``response`` records and ``resource`` records whose
payload is HTML or plain text become documents; robots.txt, images, scripts,
redirects and request/metadata records are skipped without a word, because
they are not articles. The archive is streamed, so the size limit applies to
each record's payload, not to the archive.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storyline.document import RawDocument
from storyline.errors import EmptyInputError, InputError, TooLargeError
from storyline.sources.sniff import HTML_TYPES, TEXT_TYPES, parse_content_type, sniff


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


def iter_warc(stream: BinaryIO, source: str, max_bytes: int) -> Iterator[RawDocument | InputError]:
    """Documents from a WARC stream (gzip or not; warcio tells them apart)."""
    produced = False
    index = 0
    try:
        for record in ArchiveIterator(stream):
            index += 1
            rec_type = record.rec_type
            if rec_type not in ("response", "resource"):
                continue
            where = f"{source}#{index}"
            url = record.rec_headers.get_header("WARC-Target-URI") or None
            if rec_type == "response":
                http = record.http_headers
                if http is None:
                    continue
                status = http.get_statuscode()
                if not status or not status.startswith("2"):
                    continue
                header = http.get_header("Content-Type")
            else:
                header = record.rec_headers.get_header("Content-Type")
            media, charset = parse_content_type(header)
            if media is not None and media not in HTML_TYPES | TEXT_TYPES:
                continue
            try:
                payload = _read_capped(record.content_stream(), max_bytes)
            except Exception as exc:  # warcio's decoders raise many kinds
                yield InputError(where, f"cannot read the WARC record payload ({exc})")
                continue
            if payload is None:
                yield TooLargeError(
                    where, f"record payload over the size limit of {max_bytes} bytes"
                )
                continue
            kind = sniff(payload, url or "")
            if media is None and kind not in ("html", "text"):
                continue  # untyped payload that is not a page: not an article
            if kind == "empty":
                continue
            produced = True
            yield RawDocument(
                source=where,
                data=payload,
                url=url,
                content_type=media,
                charset=charset,
                kind="html" if media in HTML_TYPES or kind == "html" else "text",
            )
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        yield InputError(source, f"corrupt WARC after {index} records: {reason}")
        return
    if not produced:
        yield EmptyInputError(source, "no HTML or text responses in this WARC")
