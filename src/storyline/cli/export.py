"""``storyline export``: everything, in the export contract's shape."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from storyline.cli.common import DbOption, err, store_for
from storyline.export import records, write_csv, write_json, write_jsonl

app = typer.Typer()


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"


class ExportWhat(StrEnum):
    all = "all"
    articles = "articles"
    stories = "stories"
    events = "events"
    entities = "entities"
    quotes = "quotes"


@app.command("export")
def export_cmd(
    db: DbOption = None,
    fmt: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.jsonl,
    out_path: Annotated[
        str, typer.Option("--out", help="File, directory (csv), or - for stdout.")
    ] = "-",
    what: Annotated[ExportWhat, typer.Option("--what")] = ExportWhat.all,
) -> None:
    """Write the knowledge base in the export contract's shape (schema 1)."""
    if fmt is ExportFormat.csv and out_path == "-":
        raise typer.BadParameter(
            "csv writes one file per kind: give a directory", param_hint="--out"
        )
    with store_for(db) as store:
        n = _write(records(store, what.value), fmt, out_path)  # type: ignore[arg-type]
    if out_path != "-":
        err.print(f"exported {n} records to {escape(out_path)}")


def _write(items: Iterable[dict[str, Any]], fmt: ExportFormat, out_path: str) -> int:
    """Write to a temporary name and rename, so a reader never sees half an export."""
    if fmt is ExportFormat.csv:
        return write_csv(items, Path(out_path))
    writer = write_jsonl if fmt is ExportFormat.jsonl else write_json
    if out_path == "-":
        return writer(items, sys.stdout)
    path = Path(out_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    with tmp.open("w", encoding="utf-8") as handle:
        n = writer(items, handle)
    tmp.replace(path)
    return n
