"""Read inputs into :class:`~storyline.document.RawDocument` values.

:func:`iter_documents` is the one entry point. It takes what a user typed —
files, directories (walked recursively, sorted, hidden entries skipped), ``-``
for standard input, http(s) URLs — and yields one document per article-bearing
unit: a page, a JSONL line, a WARC response record, a feed entry. What a file
holds is decided from its content (see :mod:`storyline.sources.sniff`), not
its name.

A bad input is *yielded* as an :class:`~storyline.errors.InputError` (never
raised), one per bad unit, so a batch always runs to the end and can report
``source: reason`` for each failure.

A source is named as :func:`~storyline.errors.one_line` shows it: a file name of any
bytes (not UTF-8, or with a newline) is opened as it is but named with escapes, so the
name prints on one line and stores in a UTF-8 column.
"""

from __future__ import annotations

import io
import os
import zlib
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from storyline.document import RawDocument
from storyline.errors import (
    BinaryInputError,
    EmptyInputError,
    FetchError,
    InputError,
    one_line,
)
from storyline.sources.feeds import iter_feed
from storyline.sources.files import (
    STDIN_NAME,
    expand,
    file_size,
    gunzip,
    os_error,
    read_file,
    read_head,
    read_stdin,
    too_large,
)
from storyline.sources.jsonl import iter_json_document, iter_jsonl_bytes, iter_jsonl_stream
from storyline.sources.sidecar import Entry, NotASidecar, Sidecars
from storyline.sources.sidecar import apply as apply_metadata
from storyline.sources.sniff import HTML_TYPES, binary_reason, sniff
from storyline.sources.warc import iter_warc
from storyline.sources.web import fetch, is_url

__all__ = ["iter_documents", "read_bytes"]

_FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)


def _gzip_holds_warc(data: bytes) -> bool:
    try:
        start = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(data[:65536], 16)
    except zlib.error:
        return False
    return start.lstrip().startswith((b"WARC/1.", b"WARC/0."))


def _strip_gz(name: str) -> str:
    return name[:-3] if name.lower().endswith(".gz") else name


def read_bytes(
    data: bytes,
    source: str,
    *,
    max_bytes: int,
    name: str = "",
    url: str | None = None,
    content_type: str | None = None,
    charset: str | None = None,
) -> Iterator[RawDocument | InputError]:
    """Documents from a payload already in memory (a file, stdin, a fetched URL).

    ``name`` (a path or URL) only breaks sniffing ties; ``url``/``content_type``/
    ``charset`` are what an HTTP response said and pass into the document.
    """
    kind = sniff(data, name)
    if kind == "gzip":
        if _gzip_holds_warc(data):
            yield from iter_warc(io.BytesIO(data), source, max_bytes)
            return
        data = gunzip(data, source, max_bytes)
        name = _strip_gz(name)
        kind = sniff(data, name)
        if kind == "gzip":
            yield BinaryInputError(source, "gzip inside gzip, not a text or HTML page")
            return
    if kind == "text" and content_type in HTML_TYPES:
        kind = "html"
    if kind == "html" and content_type in _FEED_TYPES:
        kind = "feed"
    if kind == "empty":
        yield EmptyInputError(source)
    elif kind == "binary":
        yield BinaryInputError(source, binary_reason(data))
    elif kind == "warc":
        yield from iter_warc(io.BytesIO(data), source, max_bytes)
    elif kind == "jsonl":
        yield from iter_jsonl_bytes(data, source)
    elif kind == "json":
        yield from iter_json_document(data, source)
    elif kind == "feed":
        yield from iter_feed(data, source, base_url=url)
    else:
        yield RawDocument(
            source=source,
            data=data,
            url=url,
            content_type=content_type,
            charset=charset,
            kind="html" if kind == "html" else "text",
        )


def _from_file(path: str, source: str, max_bytes: int) -> Iterator[RawDocument | InputError]:
    """The documents of the file at ``path``, named ``source`` (the path as shown)."""
    size = file_size(path)
    if size <= max_bytes:
        yield from read_bytes(read_file(path, max_bytes), source, max_bytes=max_bytes, name=path)
        return
    # Too big to be one page; a WARC or JSONL container is streamed instead,
    # with the limit applied to each record or line.
    head = read_head(path)
    kind = sniff(head, path, complete=False)
    if kind == "warc" or (kind == "gzip" and _gzip_holds_warc(head)):
        with open(path, "rb") as handle:
            yield from iter_warc(handle, source, max_bytes)
    elif kind == "jsonl":
        with open(path, "rb") as handle:
            yield from iter_jsonl_stream(handle, source, max_bytes)
    else:
        yield too_large(source, size, max_bytes)


def _from_url(url: str, max_bytes: int, timeout: float) -> Iterator[RawDocument | InputError]:
    fetched = fetch(url, max_bytes=max_bytes, timeout=timeout)
    yield from read_bytes(
        fetched.data,
        one_line(url),
        max_bytes=max_bytes,
        name=fetched.url,
        url=fetched.url,
        content_type=fetched.content_type,
        charset=fetched.charset,
    )


def _guarded(
    source: str, documents: Iterator[RawDocument | InputError]
) -> Iterator[RawDocument | InputError]:
    """Turn whatever goes wrong while reading one input into one InputError."""
    try:
        yield from documents
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield os_error(getattr(exc, "filename", None) or source, exc)
    except MemoryError:
        yield InputError(source, "out of memory while reading")
    except Exception as exc:  # one broken input must not end the batch
        detail = str(exc).splitlines()[0] if str(exc) else ""
        yield InputError(
            source, f"unexpected {type(exc).__name__}" + (f": {detail}" if detail else "")
        )


def iter_documents(
    inputs: Iterable[str],
    *,
    max_bytes: int,
    fetch_timeout: float,
    stdin: BinaryIO | None = None,
    meta: str | None = None,
) -> Iterator[RawDocument | InputError]:
    """One RawDocument per article-bearing unit, or one InputError per bad unit.

    Each input is a file, a directory, ``-`` (standard input, named
    ``<stdin>``) or an http(s) URL. A page file's row in a metadata table
    (``meta``, else a ``manifest.jsonl``/``.csv`` beside the pages: see
    :mod:`storyline.sources.sidecar`) gives its address, outlet, date and title.
    """
    try:
        sidecars = Sidecars(meta)
    except (InputError, NotASidecar) as exc:
        error = exc if isinstance(exc, InputError) else InputError(meta or "", "holds articles")
        yield InputError(error.source, f"cannot use as --meta: {error.detail}")
        return
    for raw in inputs:
        item = os.fspath(raw)
        if item == "-":
            stream = stdin if stdin is not None else _default_stdin()
            yield from _guarded(STDIN_NAME, _from_stdin(stream, max_bytes))
        elif is_url(item):
            yield from _guarded(item, _from_url(item, max_bytes, fetch_timeout))
        elif "://" in item:
            scheme = item.split("://", 1)[0]
            yield FetchError(item, f"unsupported URL scheme '{scheme}' (use http or https)")
        else:
            for path in expand(item):
                if isinstance(path, InputError):
                    yield path
                elif meta is None and sidecars.is_table(path):
                    continue  # a folder's metadata table, read for its pages
                else:
                    source = one_line(path)
                    documents = _guarded(source, _from_file(path, source, max_bytes))
                    yield from _with_metadata(documents, source, sidecars.for_page(path, item))
            yield from sidecars.errors()


def _with_metadata(
    documents: Iterator[RawDocument | InputError], source: str, entry: Entry | None
) -> Iterator[RawDocument | InputError]:
    """A page file's document with its metadata row applied; a container's records
    (JSONL lines ``path:N``, feed entries, WARC records) carry their own."""
    for doc in documents:
        if entry is not None and isinstance(doc, RawDocument) and doc.source == source:
            yield apply_metadata(doc, entry)
        else:
            yield doc


def _from_stdin(stream: BinaryIO, max_bytes: int) -> Iterator[RawDocument | InputError]:
    data = read_stdin(stream, max_bytes)
    yield from read_bytes(data, STDIN_NAME, max_bytes=max_bytes)


def _default_stdin() -> BinaryIO:
    import sys

    return sys.stdin.buffer
