"""Metadata kept beside scraped pages: a ``manifest.jsonl`` or ``manifest.csv``.

People who scrape text keep what the text lost — the address, the outlet, the
date, the headline — in a table next to the pages: one row per page, naming it
by ``file`` (or ``path``, ``filename``, ``name``, ``id``) and giving any of
``url, outlet, published, title, author, lang``. A page's row is found by its
path relative to the table's folder, its file name, or its name without the
extension (``"id": "001"`` names ``articles/001.txt``). Given fields win over
what is inferred from the page, as in JSONL input.

A table is looked for in the page's folder and the folders above it, up to the
folder the user named (``manifest.jsonl``, ``manifest.csv``, ``metadata.jsonl``,
``metadata.csv``, nearest first); ``storyline ingest --meta FILE`` names one for
every input. A table whose rows carry ``text`` or ``html`` is not a sidecar but
a JSONL input, and is ingested as such.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from storyline.document import GivenMetadata, RawDocument
from storyline.errors import InputError, one_line
from storyline.sources.files import os_error, read_file
from storyline.sources.jsonl import given_metadata

SIDECAR_NAMES = ("manifest.jsonl", "manifest.csv", "metadata.jsonl", "metadata.csv")
KEY_FIELDS = ("file", "path", "filename", "name", "id")
MAX_SIDECAR_BYTES = 64 << 20


@dataclass(frozen=True)
class Entry:
    given: GivenMetadata
    url: str | None


@dataclass(frozen=True)
class Sidecar:
    """One metadata table and the folder its keys are relative to."""

    path: str
    folder: str
    entries: Mapping[str, Entry]
    errors: tuple[InputError, ...] = ()

    def lookup(self, page: str) -> Entry | None:
        """The row of the page at ``page``, if the table has one."""
        rel = os.path.relpath(page, self.folder).replace(os.sep, "/")
        name = os.path.basename(page)
        for key in (rel, name, os.path.splitext(rel)[0], os.path.splitext(name)[0]):
            found = self.entries.get(key)
            if found is not None:
                return found
        return None


class NotASidecar(Exception):
    """The table holds articles (rows with ``text`` or ``html``): it is an input."""


def _rows(data: bytes, path: str) -> Iterator[tuple[int, Any]]:
    text = data.decode("utf-8-sig", errors="replace")
    if path.lower().endswith(".csv"):
        for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            yield n, {k.strip().lower(): (v or None) for k, v in row.items() if k}
        return
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, exc


def parse_sidecar(data: bytes, path: str) -> Sidecar:
    """The table in ``data`` (JSONL or CSV by the name ``path``); a bad row becomes an
    error naming ``path:LINE`` and is left out. :class:`NotASidecar` for a table of
    articles."""
    entries: dict[str, Entry] = {}
    errors: list[InputError] = []
    where = one_line(path)
    for n, row in _rows(data, path):
        if isinstance(row, Exception):
            errors.append(InputError(f"{where}:{n}", f"not JSON ({row.msg})"))
            continue
        if not isinstance(row, dict):
            errors.append(InputError(f"{where}:{n}", "expected a JSON object"))
            continue
        if row.get("text") or row.get("html"):
            raise NotASidecar(path)
        key = next((str(row[k]).strip() for k in KEY_FIELDS if row.get(k) not in (None, "")), None)
        if key is None:
            errors.append(InputError(f"{where}:{n}", f"no {'/'.join(KEY_FIELDS)} field"))
            continue
        try:
            given, url = given_metadata({k: v for k, v in row.items() if k != "id"})
        except ValueError as exc:
            errors.append(InputError(f"{where}:{n}", str(exc)))
            continue
        entries[key.replace("\\", "/").removeprefix("./")] = Entry(given, url)
    return Sidecar(path, os.path.dirname(os.path.abspath(path)), entries, tuple(errors))


def read_sidecar(path: str) -> Sidecar:
    """The table at ``path``; :class:`InputError` when it cannot be read (too large,
    missing, not readable), worded as for any input."""
    try:
        data = read_file(path, MAX_SIDECAR_BYTES)
    except OSError as exc:
        raise os_error(one_line(path), exc) from None
    return parse_sidecar(data, path)


def apply(doc: RawDocument, entry: Entry) -> RawDocument:
    """``doc`` with the table's fields: given ones win, the page's own fill the rest."""
    mine, theirs = entry.given, doc.given
    merged = GivenMetadata(
        external_id=theirs.external_id or mine.external_id,
        title=mine.title or theirs.title,
        published=mine.published or theirs.published,
        published_precision=mine.published_precision
        if mine.published
        else theirs.published_precision,
        outlet=mine.outlet or theirs.outlet,
        author=mine.author or theirs.author,
        lang=mine.lang or theirs.lang,
    )
    return replace(doc, url=entry.url or doc.url, given=merged)


class Sidecars:
    """Finds the table for each page of a walk, reading each table once."""

    def __init__(self, explicit: str | None = None) -> None:
        self._explicit = read_sidecar(explicit) if explicit else None
        self._by_folder: dict[str, Sidecar | None] = {}
        self.reported: set[str] = set()

    def errors(self) -> Iterator[InputError]:
        """Each table's bad rows, once."""
        tables = [self._explicit, *self._by_folder.values()]
        for table in tables:
            if table is not None and table.path not in self.reported:
                self.reported.add(table.path)
                yield from table.errors

    def _in_folder(self, folder: str) -> Sidecar | None:
        if folder not in self._by_folder:
            found = None
            for name in SIDECAR_NAMES:
                candidate = os.path.join(folder, name)
                if os.path.isfile(candidate):
                    try:
                        found = read_sidecar(candidate)
                    except NotASidecar:
                        continue
                    break
            self._by_folder[folder] = found
        return self._by_folder[folder]

    def for_page(self, page: str, root: str) -> Entry | None:
        """The row for ``page``: from ``--meta``, else the nearest table from the page's
        folder up to the folder above the input the user named (pages are often kept in
        an ``articles/`` folder beside their manifest)."""
        if self._explicit is not None:
            return self._explicit.lookup(page)
        named = os.path.abspath(root)
        top = os.path.dirname(named if os.path.isdir(named) else os.path.dirname(named))
        folder = os.path.dirname(os.path.abspath(page))
        while folder.startswith(top):
            table = self._in_folder(folder)
            entry = table.lookup(page) if table is not None else None
            if entry is not None:
                return entry
            if folder == top or os.path.dirname(folder) == folder:
                break
            folder = os.path.dirname(folder)
        return None

    def is_table(self, path: str) -> bool:
        """A walked file that is itself a metadata table (not to be read as pages)."""
        if os.path.basename(path) not in SIDECAR_NAMES:
            return False
        table = self._in_folder(os.path.dirname(os.path.abspath(path)))
        return table is not None and os.path.abspath(table.path) == os.path.abspath(path)
