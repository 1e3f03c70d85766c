"""Local inputs: files, directories walked recursively, and ``-`` for stdin.

Everything here refuses early and cheaply: the size is checked with ``stat``
before a byte is read, and gzip is inflated with a cap so that a small
compressed file cannot expand into gigabytes.
"""

from __future__ import annotations

import errno
import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from storyline.errors import InputError, NotFoundError, TooLargeError
from storyline.sources.sniff import GZIP_MAGIC, HEAD_SIZE

STDIN_NAME = "<stdin>"


def too_large(source: str, size: int | None, max_bytes: int) -> TooLargeError:
    if size is None:
        return TooLargeError(source, f"larger than the size limit of {max_bytes} bytes")
    return TooLargeError(source, f"{size} bytes, over the size limit of {max_bytes} bytes")


def os_error(source: str, exc: OSError) -> InputError:
    """One clear line for an operating-system refusal."""
    if exc.errno == errno.ENOENT:
        return NotFoundError(source)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(source, "permission denied")
    if exc.errno == errno.EISDIR:
        return InputError(source, "is a directory")
    return InputError(source, exc.strerror or str(exc))


def _hidden(name: str) -> bool:
    return name.startswith(".")


def walk(root: str) -> Iterator[str | InputError]:
    """Files under a directory, sorted, skipping hidden files and directories.

    Paths are joined onto ``root`` as the user typed it, so messages name the
    file the way the user would. Symlinked directories are not followed (no
    loops); symlinked files are read.
    """
    found = False
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        dirnames[:] = sorted(d for d in dirnames if not _hidden(d))
        for name in sorted(filenames):
            if _hidden(name):
                continue
            found = True
            yield os.path.join(dirpath, name)
    for exc in errors:
        yield os_error(getattr(exc, "filename", None) or root, exc)
    if not found and not errors:
        yield InputError(root, "no files in this directory")


def expand(path: str) -> Iterator[str | InputError]:
    """A path given by the user: the file itself, or every file of a directory."""
    try:
        is_dir = os.path.isdir(path)
        exists = is_dir or os.path.exists(path)
    except OSError as exc:  # pragma: no cover - e.g. a path too long for the OS
        yield os_error(path, exc)
        return
    if not exists:
        yield NotFoundError(path)
    elif is_dir:
        yield from walk(path)
    else:
        yield path


def read_limited(stream: BinaryIO, source: str, max_bytes: int) -> bytes:
    """Read a whole stream, refusing it once it passes ``max_bytes``."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(1 << 20, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise too_large(source, None, max_bytes)
    return b"".join(chunks)


def read_stdin(stream: BinaryIO, max_bytes: int) -> bytes:
    return read_limited(stream, STDIN_NAME, max_bytes)


def file_size(path: str) -> int:
    return Path(path).stat().st_size


def read_head(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(HEAD_SIZE)


def read_file(path: str, max_bytes: int) -> bytes:
    """The file's bytes, or TooLargeError from its size before reading."""
    size = file_size(path)
    if size > max_bytes:
        raise too_large(path, size, max_bytes)
    with open(path, "rb") as handle:
        # The file may have grown since stat: the read is capped all the same.
        return read_limited(handle, path, max_bytes)


def gunzip(data: bytes, source: str, max_bytes: int) -> bytes:
    """Inflate gzip data (all members) without ever holding more than ``max_bytes``."""
    out: list[bytes] = []
    total = 0
    rest = data
    while rest.startswith(GZIP_MAGIC):
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        pending = rest
        while pending:
            try:
                chunk = inflater.decompress(pending, max_bytes + 1 - total)
            except zlib.error as exc:
                raise InputError(source, f"corrupt gzip data ({exc})") from None
            out.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise TooLargeError(
                    source, f"decompresses to more than the size limit of {max_bytes} bytes"
                )
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
            if not chunk and not pending:
                break
        if not inflater.eof:
            raise InputError(source, "truncated gzip data")
        rest = inflater.unused_data.lstrip(b"\x00")
    return b"".join(out)
