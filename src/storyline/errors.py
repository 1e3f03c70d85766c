"""Exceptions a user can act on.

Every error about an input carries the input's name, so a batch can report one
clear line per failure (``path: reason``) and go on with the rest.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base of every error storyline raises on purpose."""


class ConfigError(StorylineError):
    """A setting (database URL, language list, …) is not usable."""


class InputError(StorylineError):
    """One input cannot become an article; the batch goes on without it."""

    reason = "cannot be read"

    def __init__(self, source: str, reason: str | None = None) -> None:
        self.source = source
        self.detail = reason or self.reason
        super().__init__(f"{source}: {self.detail}")


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
