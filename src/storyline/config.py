"""Settings, read once from the environment (``STORYLINE_*``) and overridable per call.

Why a frozen value and not module globals: worker processes receive the
settings they were started with, and tests build their own without touching
the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from storyline.errors import ConfigError

Number = TypeVar("Number", int, float)

DEFAULT_LANGUAGES = ("ru", "uk", "en", "be", "pl", "de", "fr", "es", "bg")
DEFAULT_DB_PATH = Path("data") / "storyline.db"


def database_url(value: str | os.PathLike[str] | None) -> str:
    """Turn what a user typed (a SQLAlchemy URL or a plain file path) into a URL.

    ``None`` means the default embedded store in ``./data/storyline.db``.
    """
    if value is None or str(value) == "":
        value = DEFAULT_DB_PATH
    text = str(value)
    if "://" in text:
        if text.startswith("postgres://"):
            text = "postgresql://" + text[len("postgres://") :]
        return text
    return f"sqlite:///{Path(text).expanduser().absolute()}"


def _languages(value: str | None) -> tuple[str, ...]:
    if not value:
        return DEFAULT_LANGUAGES
    langs = tuple(code.strip().lower() for code in value.split(",") if code.strip())
    if not langs:
        raise ConfigError(f"STORYLINE_LANGUAGES={value!r}: give ISO 639-1 codes like 'ru,uk,en'")
    return langs


def _number(name: str, default: Number, kind: type[Number]) -> Number:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected a number ({kind.__name__})") from None


@dataclass(frozen=True)
class Settings:
    db_url: str = field(default_factory=lambda: database_url(None))
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    max_bytes: int = 20 * 1024 * 1024
    """Inputs above this size are refused; a page is never this big, a mistake often is."""
    fetch_timeout: float = 20.0
    api_token: str | None = None
    """Bearer token for ``POST /api/v1/articles``; without one the web server is read-only."""
    max_request_bytes: int = 5 * 1024 * 1024
    """Largest request body the web server reads; bigger ones get 413 before any parsing."""
    dask: str | None = None
    """Where ``storyline ingest`` extracts and annotates: a Dask scheduler address
    (``tcp://host:8786``) or ``local:N``; ``None``: on this machine, without Dask."""
    page_time_limit: float = 30.0
    """Seconds one page may take to extract and annotate before it is given up with an
    error and the batch goes on (a normal page takes well under one); 0: no limit."""

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        values: dict[str, object] = {
            "db_url": database_url(os.environ.get("STORYLINE_DB")),
            "languages": _languages(os.environ.get("STORYLINE_LANGUAGES")),
            "max_bytes": _number("STORYLINE_MAX_BYTES", cls.max_bytes, int),
            "fetch_timeout": _number("STORYLINE_FETCH_TIMEOUT", cls.fetch_timeout, float),
            "api_token": os.environ.get("STORYLINE_API_TOKEN") or None,
            "max_request_bytes": _number("STORYLINE_MAX_REQUEST_BYTES", cls.max_request_bytes, int),
            "dask": os.environ.get("STORYLINE_DASK") or None,
            "page_time_limit": _number("STORYLINE_PAGE_TIME_LIMIT", cls.page_time_limit, float),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "db_url" in overrides and overrides["db_url"] is not None:
            values["db_url"] = database_url(str(overrides["db_url"]))
        return cls(**values)  # type: ignore[arg-type]
