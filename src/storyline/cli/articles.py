"""``storyline ingest``, ``articles``, ``article``: pages in, clean articles out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storyline.cli.common import (
    DbOption,
    err,
    fail,
    open_store,
    out,
    parse_day,
    settings_for,
    store_for,
)
from storyline.config import Settings
from storyline.display import headline, outlet_label, published_iso, published_label
from storyline.document import Article
from storyline.errors import ConfigError, StorylineError
from storyline.ingest import IngestReport, LocalRunner, Runner, ingest

app = typer.Typer()


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
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="ADDRESS",
            help="Extract and annotate on a Dask cluster: tcp://scheduler:8786, or local:N "
            "for N worker processes here. Env: STORYLINE_DASK.",
            show_default=False,
        ),
    ] = None,
    meta: Annotated[
        str | None,
        typer.Option(
            "--meta",
            metavar="FILE",
            help="A JSONL or CSV table of the pages' url, outlet, published, title "
            "(rows named by file); default: a manifest.jsonl/.csv beside the pages.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Read pages, clean them and store the articles. Exit status 1 if any input failed."""
    try:
        codes = tuple(c.strip() for c in languages.split(",")) if languages else None
        settings = settings_for(db, languages=codes, dask=dask)
        if settings.dask and workers > 1:
            raise ConfigError(
                "--workers starts a local pool and --dask (or STORYLINE_DASK) a cluster; "
                "give one of them"
            )
        store = open_store(settings)
    except StorylineError as error:
        raise fail(error) from None
    try:
        runner = _runner(settings, workers)
    except StorylineError as error:
        store.close()
        raise fail(error) from None
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

        try:
            report = ingest(
                paths,
                store,
                settings,
                runner=runner,
                progress=note,
                stdin=sys.stdin.buffer,
                annotate=annotate,
                meta=meta,
            )
        except StorylineError as error:
            raise fail(error) from None
        finally:
            runner.close()
    for error in report.failed:
        err.print(f"[red]failed:[/] {escape(str(error))}", soft_wrap=True)
    _print_report(report)
    raise typer.Exit(0 if report.ok else 1)


def _runner(settings: Settings, workers: int) -> Runner:
    """Where documents are processed: the cluster ``settings.dask`` names, or here."""
    if not settings.dask:
        return LocalRunner(workers, settings.page_time_limit or None)
    from storyline.distributed import DaskRunner  # Dask costs a second to import

    return DaskRunner(settings.dask)


def _short_published(a: Article) -> str:
    """As much of the date as is known ("10 Jan 2022, 19:45", "January 2022 ~"); ``~``: inferred."""
    text = published_label(a.published, a.published_precision)
    if text is None:
        return ""
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
        "since": parse_day(since, "--since"),
        "until": parse_day(until, "--until"),
    }
    with store_for(db) as store:
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
        shown = headline(a)
        title = escape(shown.text) if not shown.first_sentence else f"[dim]{escape(shown.text)}[/]"
        table.add_row(
            a.id,
            published,
            a.lang or "",
            escape(outlet_label(a.outlet) or ""),
            title + (" [dim](dup)[/]" if a.duplicate_of else ""),
        )
    out.print(table)
    if any(a.published_inferred for a in rows):
        out.print("[dim]~ publication date inferred from the text or the storyline[/]")
    if any(not a.title for a in rows):
        out.print("[dim]dim titles: the page printed no headline; its first sentence is shown[/]")


@app.command("article")
def article_cmd(
    article_id: Annotated[str, typer.Argument(metavar="ID")], db: DbOption = None
) -> None:
    """Show one article: metadata, then its clean text."""
    with store_for(db) as store:
        a = store.article(article_id)
    if a is None:
        err.print(f"[red]error:[/] no article {escape(article_id)!s} in the store")
        raise typer.Exit(1)
    meta = Table(show_header=False, box=None)
    published = published_iso(a)
    rows = {
        "id": a.id,
        "source": a.source,
        "url": a.url,
        "outlet": f"{outlet_label(a.outlet)} ({a.outlet})"
        if a.outlet and outlet_label(a.outlet) != a.outlet
        else a.outlet,
        "cites": ", ".join(a.cites) or None,
        "author": a.author,
        "language": f"{a.lang} ({a.lang_confidence:.2f})" if a.lang else None,
        "published": f"{published} ({a.published_precision}"
        + (", inferred" if a.published_inferred else "")
        + (f", from {a.published_evidence})" if a.published_evidence else ")")
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
