"""What every command shares: the consoles, the ``--db`` option, opening the store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from storyline.config import Settings
from storyline.errors import StorylineError
from storyline.store import Store

out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="STORYLINE_DB",
        help="SQLAlchemy URL (sqlite:///x.db, postgresql://…) or a file path. "
        "Default: ./data/storyline.db",
        show_default=False,
    ),
]


class EntityTypeOption(StrEnum):
    PER = "PER"
    ORG = "ORG"
    LOC = "LOC"
    EVT = "EVT"
    MISC = "MISC"


class LangOption(StrEnum):
    ru = "ru"
    uk = "uk"
    en = "en"


def settings_for(db: str | None, **overrides: object) -> Settings:
    return Settings.from_env(db_url=db, **overrides)


def open_store(settings: Settings) -> Store:
    return Store.open(settings.db_url)


@contextmanager
def store_for(db: str | None) -> Iterator[Store]:
    """The store for one command; a storyline error becomes one red line and exit status 2."""
    try:
        with open_store(settings_for(db)) as store:
            yield store
    except StorylineError as error:
        raise fail(error) from None


def fail(error: StorylineError) -> typer.Exit:
    err.print(f"[red]error:[/] {escape(str(error))}", soft_wrap=True)
    return typer.Exit(2)


def parse_day(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO date like 2022-01-10", param_hint=option
        ) from None
