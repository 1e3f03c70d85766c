"""The ``storyline`` command: a thin layer over the library.

Every command opens the store, calls one library function and renders what it
returns; nothing here decides anything a test could not check through the
library directly.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storyline.config import Settings
from storyline.document import Article
from storyline.errors import StorylineError
from storyline.evaluation.dates import dates_command
from storyline.evaluation.entities import entities_command
from storyline.evaluation.ner import ner_command
from storyline.evaluation.stories import stories_command
from storyline.export import format_published, records, write_csv, write_json, write_jsonl
from storyline.ingest import IngestReport, ingest
from storyline.store import EntityDetail, EntitySummary, Store

app = typer.Typer(
    help="Turn a pile of raw news pages into a clear account of a developing story.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
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


def _settings(db: str | None, **overrides: object) -> Settings:
    return Settings.from_env(db_url=db, **overrides)


def _open(settings: Settings) -> Store:
    return Store.open(settings.db_url)


@contextmanager
def _store(db: str | None) -> Iterator[Store]:
    """The store for one command; a storyline error becomes one red line and exit status 2."""
    try:
        with _open(_settings(db)) as store:
            yield store
    except StorylineError as error:
        raise _fail(error) from None


def _fail(error: StorylineError) -> typer.Exit:
    err.print(f"[red]error:[/] {escape(str(error))}", soft_wrap=True)
    return typer.Exit(2)


def _print_report(report: IngestReport) -> None:
    table = Table(title="ingest", show_header=False)
    table.add_row("ingested", str(report.ingested))
    table.add_row("duplicates", str(report.duplicates))
    table.add_row("already in store", str(report.already_known))
    table.add_row("failed", f"[red]{len(report.failed)}[/]" if report.failed else "0")
    out.print(table)


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, URLs, or - for stdin.")],
    db: DbOption = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Extraction processes.")
    ] = 1,
    languages: Annotated[
        str | None, typer.Option(help="Comma-separated ISO codes to detect among.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    annotate: Annotated[
        bool, typer.Option(help="Find entities and dates and link entities (slower).")
    ] = True,
) -> None:
    """Read pages, clean them and store the articles. Exit status 1 if any input failed."""
    try:
        codes = tuple(c.strip() for c in languages.split(",")) if languages else None
        settings = _settings(db, languages=codes)
        store = _open(settings)
    except StorylineError as error:
        raise _fail(error) from None
    progress = Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[last]}"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=True,
    )
    with store, progress:
        task = progress.add_task("ingest", total=None, last="")

        def note(source: str, outcome: str) -> None:
            progress.update(task, advance=1, last=f"{outcome}: {Path(source).name[:40]}")

        report = ingest(
            paths,
            store,
            settings,
            workers=workers,
            progress=note,
            stdin=sys.stdin.buffer,
            annotate=annotate,
        )
    for error in report.failed:
        err.print(f"[red]failed:[/] {escape(str(error))}", soft_wrap=True)
    _print_report(report)
    raise typer.Exit(0 if report.ok else 1)


def _parse_day(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO date like 2022-01-10", param_hint=option
        ) from None


def _short_published(a: Article) -> str:
    """As much of the date as is known (``2022-01-10 19:45``, ``2022-01 ~``); ``~``: inferred."""
    if a.published is None:
        return ""
    formats = {"minute": "%Y-%m-%d %H:%M", "hour": "%Y-%m-%d %H:00", "month": "%Y-%m", "year": "%Y"}
    text = a.published.strftime(formats.get(a.published_precision or "day", "%Y-%m-%d"))
    return text + (" ~" if a.published_inferred else "")


@app.command("articles")
def articles_cmd(
    db: DbOption = None,
    lang: Annotated[str | None, typer.Option(help="Only this language (ISO code).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet (domain).")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (ISO date).")] = None,
    until: Annotated[str | None, typer.Option(help="Published before (ISO date).")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
) -> None:
    """List stored articles, newest first."""
    filters = {
        "lang": lang,
        "outlet": outlet,
        "since": _parse_day(since, "--since"),
        "until": _parse_day(until, "--until"),
    }
    with _store(db) as store:
        rows = store.articles(limit=limit, **filters)
        total = store.count_articles(**filters)
    table = Table(title=f"{len(rows)} of {total} articles")
    table.add_column("id", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("outlet", overflow="ellipsis", max_width=18)
    table.add_column("title", overflow="fold", ratio=1)
    for a in rows:
        published = _short_published(a)
        table.add_row(
            a.id,
            published,
            a.lang or "",
            escape(a.outlet or ""),
            escape(a.title or "") + (" [dim](dup)[/]" if a.duplicate_of else ""),
        )
    out.print(table)
    if any(a.published_inferred for a in rows):
        out.print("[dim]~ publication date inferred from the text[/]")


@app.command("article")
def article_cmd(
    article_id: Annotated[str, typer.Argument(metavar="ID")], db: DbOption = None
) -> None:
    """Show one article: metadata, then its clean text."""
    with _store(db) as store:
        a = store.article(article_id)
    if a is None:
        err.print(f"[red]error:[/] no article {escape(article_id)!s} in the store")
        raise typer.Exit(1)
    meta = Table(show_header=False, box=None)
    published = format_published(a)
    rows = {
        "id": a.id,
        "source": a.source,
        "url": a.url,
        "outlet": a.outlet,
        "author": a.author,
        "language": f"{a.lang} ({a.lang_confidence:.2f})" if a.lang else None,
        "published": f"{published} ({a.published_precision}"
        + (", inferred)" if a.published_inferred else ")")
        if published
        else None,
        "duplicate of": a.duplicate_of,
    }
    for key, value in rows.items():
        meta.add_row(f"[dim]{key}[/]", escape(str(value)) if value is not None else "[dim]—[/]")
    out.print(meta)
    if a.title:
        out.print(f"\n[bold]{escape(a.title)}[/]")
    if a.lead:
        out.print(f"[italic]{escape(a.lead)}[/]")
    out.print()
    out.print(escape(a.text))


def _short_names(names: dict[str, str], width: int = 24) -> str:
    """``ru: Йенс Столтенберг · uk: …``, each form cut to ``width`` characters."""
    parts = []
    for lang in sorted(names, key=lambda code: (code not in LangOption.__members__, code)):
        form = names[lang]
        form = form if len(form) <= width else form[: width - 1] + "…"
        parts.append(f"[dim]{escape(lang)}:[/] {escape(form)}")
    return " · ".join(parts)


@app.command("entities")
def entities_cmd(
    db: DbOption = None,
    type_: Annotated[
        EntityTypeOption | None, typer.Option("--type", help="Only this entity type.")
    ] = None,
    lang: Annotated[
        LangOption | None, typer.Option(help="Only entities mentioned in this language.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
) -> None:
    """List canonical entities, most widely mentioned first."""
    filters = {
        "type": type_.value if type_ is not None else None,
        "lang": lang.value if lang is not None else None,
    }
    with _store(db) as store:
        rows: list[EntitySummary] = store.entity_rows(limit=limit, **filters)
        total = store.count_entities(**filters)
    table = Table(title=f"{len(rows)} of {total} entities")
    table.add_column("id", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("name", overflow="fold", ratio=1)
    table.add_column("names", overflow="fold", ratio=2)
    table.add_column("mentions", justify="right", no_wrap=True)
    table.add_column("articles", justify="right", no_wrap=True)
    for e in rows:
        table.add_row(
            e.id,
            e.type,
            escape(e.name),
            _short_names(e.names),
            str(e.mentions),
            str(e.articles),
        )
    out.print(table)


@app.command("entity")
def entity_cmd(
    entity_id: Annotated[str, typer.Argument(metavar="ID")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="Articles to list at most.")] = 50,
) -> None:
    """Show one entity: names, aliases, roles, and the articles that mention it."""
    with _store(db) as store:
        detail: EntityDetail | None = store.entity_detail(entity_id, limit=limit)
    if detail is None:
        err.print(f"[red]error:[/] no entity {escape(entity_id)} in the store")
        raise typer.Exit(1)
    e = detail.summary
    out.print(f"[bold]{escape(e.name)}[/] [dim]({e.type}, {escape(e.id)})[/]")
    meta = Table(show_header=False, box=None)
    for lang, form in sorted(e.names.items()):
        meta.add_row(f"[dim]{escape(lang)}[/]", escape(form))
    meta.add_row("[dim]aliases[/]", escape(", ".join(e.aliases)) if e.aliases else "[dim]—[/]")
    meta.add_row("[dim]roles[/]", escape(", ".join(e.roles)) if e.roles else "[dim]—[/]")
    meta.add_row("[dim]mentions[/]", f"{e.mentions} in {e.articles} articles")
    out.print(meta)
    if not detail.occurrences:
        return
    table = Table(title=f"mentioned in {len(detail.occurrences)} of {e.articles} articles")
    table.add_column("article", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("title", overflow="fold", ratio=2)
    table.add_column("as", overflow="fold", ratio=1)
    for occ in detail.occurrences:
        forms = list(dict.fromkeys(m.text for m in occ.mentions))
        table.add_row(
            occ.article_id,
            occ.published.strftime("%Y-%m-%d") if occ.published else "",
            occ.lang or "",
            escape(occ.title or ""),
            escape(", ".join(forms)),
        )
    out.print(table)


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
    with _store(db) as store:
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


eval_app = typer.Typer(
    help="Measure quality on labeled data: precision, recall and F1 per type.",
    no_args_is_help=True,
)
eval_app.command("ner")(ner_command)
eval_app.command("dates")(dates_command)
eval_app.command("entities")(entities_command)
eval_app.command("stories")(stories_command)
app.add_typer(eval_app, name="eval")


def main() -> None:
    app()
