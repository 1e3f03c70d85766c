"""JSON Lines: one article per line, ``{"url": …, "title": …, "text"|"html": …}``.

Recognised fields: ``id, url, title, text, html, published, outlet, lang,
author``; others are ignored. ``text`` makes a plain-text document and ``html``
an HTML one (when both are given, ``text`` wins: whoever produced the dump has
already done the extraction). A line that is not a usable record becomes an
:class:`InputError` naming ``path:LINE``; the other lines go on.

Field types are checked, because a value of the wrong type is a dump whose schema is
not the one read here, and a guess would be stored as fact (``"lang": 5`` became the
language "5"): every field is a string, except ``id`` (a string or an integer) and
``author`` (a string or a list of strings); ``lang`` is a language tag (``uk``,
``en-GB`` → ``en``). A field of another type, or a ``lang`` that is no tag, makes the
line an error naming the field. ``null`` is the same as a missing field, and a
``published`` string that is no date is dropped (a wrong date must not cost the
article). Over-long title, author and outlet are capped (:mod:`.given`). Lone
surrogates (``"\\ud800"`` is valid JSON, invalid UTF-8) become U+FFFD.

A file holding one JSON object or an array of objects is read the same way;
array items are named ``path#N``, counting from 1.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, BinaryIO

from storyline.document import ContentKind, GivenMetadata, Precision, RawDocument
from storyline.errors import EmptyInputError, InputError, TooLargeError
from storyline.sources.given import capped

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_published(value: Any) -> tuple[datetime | None, Precision | None]:
    """ISO 8601 (``2022-01-10``, ``2022-01-10T19:45:00+02:00``, ``…Z``) and its precision.

    A date without time has precision ``day``; ``2022-01`` ``month``; ``2022``
    ``year``; anything with a time ``minute`` (finer is not kept). Unparseable
    values give ``(None, None)``: a wrong date must not cost the article.
    """
    if not isinstance(value, str):
        return None, None
    text = value.strip()
    if not text:
        return None, None
    try:
        if _DATE_ONLY.match(text):
            return datetime.fromisoformat(text), "day"
        if match := _YEAR_MONTH.match(text):
            return datetime(int(match[1]), int(match[2]), 1), "month"
        if match := _YEAR.match(text):
            return datetime(int(match[1]), 1, 1), "year"
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text else text)
    except ValueError:
        return None, None
    return parsed, "minute"


_SURROGATE = re.compile("[\ud800-\udfff]")
_LANG_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$")


class _FieldError(ValueError):
    """A field whose value is of the wrong type or form; the message names the field."""


def _kind(value: Any) -> str:
    """The JSON name of a value's type, for messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, dict) else type(value).__name__


def _utf8(text: str) -> str:
    """``text`` with lone surrogates replaced, so that it encodes (and stores) as UTF-8."""
    return _SURROGATE.sub("\ufffd", text)


def _string(record: dict[str, Any], name: str) -> str | None:
    """The string field ``name``, stripped; None when missing, null or blank."""
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _FieldError(f"field '{name}' must be a string, got {_kind(value)}")
    return _utf8(value.strip()) or None


def _external_id(record: dict[str, Any]) -> str | None:
    """``id``: a string, or an integer (ids are often numbers in dumps)."""
    value = record.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _string(record, "id")


def _author(record: dict[str, Any]) -> str | None:
    value = record.get("author")
    if not isinstance(value, list):
        return _string(record, "author")
    names = []
    for item in value:
        if not isinstance(item, str):
            raise _FieldError(f"field 'author' must list strings, got {_kind(item)} in it")
        if item.strip():
            names.append(_utf8(item.strip()))
    return ", ".join(names) or None


def _lang(record: dict[str, Any]) -> str | None:
    """``lang`` as the primary subtag of a language tag: ``" UK "`` → ``uk``."""
    value = _string(record, "lang")
    if value is None:
        return None
    match = _LANG_TAG.match(value.lower())
    if match is None:
        raise _FieldError(f"field 'lang' is not a language code: {value[:20]!r}")
    return match[1]


def given_metadata(record: dict[str, Any]) -> tuple[GivenMetadata, str | None]:
    """What a record states about its page (and the page's address); ``ValueError``
    naming the field when one has the wrong type. JSONL lines and sidecar manifests
    (:mod:`storyline.sources.sidecar`) share it."""
    published, precision = parse_published(_string(record, "published"))
    given = GivenMetadata(
        external_id=_external_id(record),
        title=_string(record, "title"),
        published=published,
        published_precision=precision,
        outlet=_string(record, "outlet"),
        author=_author(record),
        lang=_lang(record),
    )
    return given, _string(record, "url")


def record_to_document(record: Any, where: str) -> RawDocument | InputError:
    """One parsed JSON value → a document, or the reason it cannot be one."""
    if not isinstance(record, dict):
        return InputError(where, f"expected a JSON object, got {type(record).__name__}")
    body_field = "text" if isinstance(record.get("text"), str) else None
    if body_field is None and isinstance(record.get("html"), str):
        body_field = "html"
    if body_field is None:
        if "text" in record or "html" in record:
            return InputError(where, "the 'text'/'html' field is not a string")
        return InputError(where, "no 'text' or 'html' field")
    body = _utf8(record[body_field])
    if not body.strip():
        return EmptyInputError(where, f"empty '{body_field}' field")
    kind: ContentKind = "html" if body_field == "html" else "text"
    try:
        given, url = given_metadata(record)
    except ValueError as exc:
        return InputError(where, str(exc))
    given, body = capped(given, body, kind)
    return RawDocument(
        source=where,
        data=body.encode("utf-8"),
        url=url,
        content_type="text/html" if kind == "html" else "text/plain",
        charset="utf-8",
        kind=kind,
        given=given,
    )


def parse_line(line: bytes, where: str) -> RawDocument | InputError:
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        return InputError(where, "invalid JSON: the line is not UTF-8")
    except ValueError as exc:
        message = getattr(exc, "msg", None) or str(exc)
        column = getattr(exc, "colno", None)
        at = f" at column {column}" if column else ""
        return InputError(where, f"invalid JSON: {message}{at}")
    return record_to_document(record, where)


def iter_lines(lines: Iterable[bytes], source: str) -> Iterator[RawDocument | InputError]:
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        yield parse_line(line, f"{source}:{number}")


def iter_jsonl_bytes(data: bytes, source: str) -> Iterator[RawDocument | InputError]:
    yield from iter_lines(data.splitlines(), source)


def iter_jsonl_stream(
    stream: BinaryIO, source: str, max_bytes: int
) -> Iterator[RawDocument | InputError]:
    """Stream a JSONL file line by line; a line over ``max_bytes`` is refused alone."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        where = f"{source}:{number}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:  # skip the rest of the overlong line
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield TooLargeError(where, f"line longer than the size limit of {max_bytes} bytes")
            continue
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        yield parse_line(line, where)


def iter_json_document(data: bytes, source: str) -> Iterator[RawDocument | InputError]:
    """A whole-file JSON object (one record) or array of records."""
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        yield InputError(source, f"invalid JSON: {exc}")
        return
    if isinstance(value, dict):
        yield record_to_document(value, source)
        return
    if not isinstance(value, list) or not value:
        yield InputError(source, "expected a JSON object or a non-empty array of objects")
        return
    for number, record in enumerate(value, start=1):
        yield record_to_document(record, f"{source}#{number}")
