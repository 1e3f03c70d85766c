"""``storyline watch add|list|rm`` and ``storyline digest``: follow a story, an entity or a
search without coming back to look."""

from __future__ import annotations

from datetime import UTC
from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from storyline.cli.common import DbOption, LangOption, err, out, parse_day, store_for
from storyline.report.digest import digest, render_digests, start_of, watch_name
from storyline.report.notify import notify

app = typer.Typer(help="Watches: an entity, a story or a search query you follow.")
single = typer.Typer()


class DigestFormat(StrEnum):
    text = "text"
    md = "md"


@app.command("add")
def add_cmd(
    entity: Annotated[str | None, typer.Option(help="An entity id to follow.")] = None,
    story: Annotated[str | None, typer.Option(help="A story id to follow.")] = None,
    query: Annotated[str | None, typer.Option(help="Search words to follow.")] = None,
    label: Annotated[str | None, typer.Option(help="A name for the watch.")] = None,
    webhook: Annotated[
        str | None,
        typer.Option(help="An http(s) address `storyline digest --notify` posts news to."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Watch one entity, story or query (give exactly one); prints the watch's id."""
    given = [(k, v) for k, v in (("entity", entity), ("story", story), ("query", query)) if v]
    if len(given) != 1:
        raise typer.BadParameter("give exactly one of --entity, --story, --query")
    ((kind, target),) = given
    with store_for(db) as store:
        try:
            watch = store.add_watch(kind, target, label=label, webhook=webhook)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
        name = watch_name(store, watch)
    typer.echo(f"{watch.id}\t{watch.kind}\t{name}")  # tab-separated: a script reads the id


@app.command("list")
def list_cmd(db: DbOption = None) -> None:
    """Every watch, oldest first."""
    with store_for(db) as store:
        rows = [(w, watch_name(store, w)) for w in store.watches()]
    table = Table(title=f"{len(rows)} watches")
    table.add_column("id", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("target", overflow="fold")
    table.add_column("name", overflow="fold", ratio=1)
    table.add_column("since", no_wrap=True)
    for w, name in rows:
        table.add_row(w.id, w.kind, escape(w.target), escape(name), f"{w.created_at:%Y-%m-%d}")
    out.print(table)


@app.command("rm")
def rm_cmd(
    watch_id: Annotated[str, typer.Argument(metavar="ID")],
    db: DbOption = None,
) -> None:
    """Stop watching (exit status 1 when there is no such watch)."""
    with store_for(db) as store:
        removed = store.remove_watch(watch_id)
    if not removed:
        err.print(f"no watch {escape(watch_id)}")
        raise typer.Exit(1)
    out.print(f"removed {escape(watch_id)}")


@single.command("digest")
def digest_cmd(
    since: Annotated[
        str | None,
        typer.Option(help="Pages stored on or after this ISO date/time (UTC); default: 7 days."),
    ] = None,
    fmt: Annotated[
        DigestFormat, typer.Option("--format", help="Plain text, or Markdown for a mail.")
    ] = DigestFormat.text,
    lang: Annotated[LangOption, typer.Option(help="Language of event titles and dates.")] = (
        LangOption.en
    ),
    watch: Annotated[list[str] | None, typer.Option(help="Only these watch ids.")] = None,
    notify_hooks: Annotated[
        bool,
        typer.Option(
            "--notify",
            help="Also post each watch's news, as JSON, to its webhook (bounded retries); "
            "exit status 1 if a post failed.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """What is new per watch: new events, new conflicts, new outlets."""
    given = parse_day(since, "--since")
    start = start_of(None) if given is None else given
    start = start if start.tzinfo is not None else start.replace(tzinfo=UTC)
    with store_for(db) as store:
        watches = [w for w in store.watches() if not watch or w.id in watch]
        found = [digest(store, w, start, lang.value) for w in watches]
    typer.echo(render_digests(found, fmt.value), nl=False)
    if notify_hooks:
        failed = False
        for delivery in notify(found):
            failed |= not delivery.ok
            outcome = "posted" if delivery.ok else f"failed ({delivery.error})"
            err.print(
                f"webhook {escape(delivery.watch_id)}: {outcome} "
                f"after {delivery.attempts} attempt(s)",
                soft_wrap=True,
            )
        if failed:
            raise typer.Exit(1)
