"""Exceptions a user can act on.

Every error about an input carries the input's name, so a batch can report one
clear line per failure (``path: reason``) and go on with the rest.
"""

from __future__ import annotations

import unicodedata

_LINE_BREAKING = frozenset({"Cc", "Zl", "Zp", "Cs"})
"""Controls (newline, tab, escape…), line and paragraph separators, lone surrogates."""


def _escaped(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


def one_line(text: str) -> str:
    """``text`` safe to print on one line and to store as UTF-8: a file name of any bytes
    (``os.fsdecode`` keeps bytes that are not UTF-8 as lone surrogates, which no UTF-8
    database column takes), or a name with a newline that would split its error line.

    Controls, line separators and surrogates become backslash escapes (``\\n``,
    ``\\xff``, ``\\u2028``); everything else, Cyrillic included, stays as it is. The
    result has none of them, so escaping twice changes nothing."""
    if text.isprintable():
        return text
    return "".join(_escaped(c) if unicodedata.category(c) in _LINE_BREAKING else c for c in text)


class StorylineError(Exception):
    """Base of every error storyline raises on purpose."""


class ConfigError(StorylineError):
    """A setting (database URL, language list, …) is not usable."""


class InputError(StorylineError):
    """One input cannot become an article; the batch goes on without it."""

    reason = "cannot be read"

    def __init__(self, source: str, reason: str | None = None) -> None:
        self.source = one_line(source)
        self.detail = one_line(reason or self.reason)
        super().__init__(f"{self.source}: {self.detail}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # Pool workers send errors back pickled; the default would rebuild the error from
        # its message and print "source: reason: <default reason>".
        return type(self), (self.source, self.detail)


class EmptyInputError(InputError):
    reason = "empty input"


class BinaryInputError(InputError):
    reason = "binary content, not a text or HTML page"


class TooLargeError(InputError):
    reason = "larger than the size limit"


class DecodeError(InputError):
    reason = "cannot decode the text in any known charset"


class FetchError(InputError):
    reason = "cannot fetch the URL"


class NotFoundError(InputError):
    reason = "no such file or directory"


class ExtractionError(InputError):
    reason = "no article text found"


class StoreError(StorylineError):
    """The database refused an operation (schema out of date, unreachable server, …)."""
