"""``storyline stories`` (list, merge, split) and ``storyline story ID``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from storyline.assemble.surface import refresh_stories
from storyline.assemble.timeline import save_accounts
from storyline.cli.common import DbOption, LangOption, err, out, parse_day, store_for
from storyline.display import outlet_label, published_label, published_sort_key
from storyline.store import StorySummary

app = typer.Typer(
    help="Stories: list them (most important first), merge two, split one.",
    invoke_without_command=True,
)
single = typer.Typer()


def _span(s: StorySummary) -> str:
    first = s.first_published.isoformat() if s.first_published else ""
    last = s.last_published.isoformat() if s.last_published else ""
    return first if first == last else f"{first} – {last}"


def _counts(counts: dict[str, int]) -> str:
    return " ".join(f"{escape(k)}:{v}" for k, v in counts.items())


@app.callback()
def stories_cmd(
    ctx: typer.Context,
    db: DbOption = None,
    lang: Annotated[
        LangOption | None, typer.Option(help="Only stories with an article in this language.")
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Only stories this outlet reports.")] = None,
    since: Annotated[str | None, typer.Option(help="Running on or after (ISO date).")] = None,
    until: Annotated[str | None, typer.Option(help="Started before (ISO date).")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 30,
    title_lang: Annotated[
        LangOption | None,
        typer.Option("--title-lang", help="Show headlines in this language where one exists."),
    ] = None,
) -> None:
    """List stories, most important first (outlets, languages, growth, recency)."""
    if ctx.invoked_subcommand is not None:
        return
    since_day, until_day = parse_day(since, "--since"), parse_day(until, "--until")
    filters = {
        "lang": lang.value if lang is not None else None,
        "outlet": outlet,
        "since": since_day.date() if since_day else None,
        "until": until_day.date() if until_day else None,
    }
    with store_for(db) as store:
        rows = store.stories(limit=limit, **filters)
        total = store.count_stories(**filters)
    table = Table(title=f"{len(rows)} of {total} stories")
    table.add_column("id", no_wrap=True)
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("dates", overflow="fold")
    table.add_column("languages", overflow="fold")
    table.add_column("title", overflow="fold", ratio=1, min_width=28)
    wanted = title_lang.value if title_lang is not None else None
    for s in rows:
        table.add_row(
            s.id,
            str(s.size),
            _span(s),
            _counts(s.languages),
            escape(s.title_in(wanted) or ""),
        )
    out.print(table)


@single.command("story")
def story_cmd(
    story_id: Annotated[str, typer.Argument(metavar="ID")],
    db: DbOption = None,
    title_lang: Annotated[LangOption | None, typer.Option("--title-lang")] = None,
) -> None:
    """Show one story: title, summary, spread, top entities, its articles and history."""
    with store_for(db) as store:
        story = store.story(store.live_story(story_id))
        assert story is not None  # live_story raised otherwise
        articles = store.articles_by_id(store.story_article_ids(story.id))
        names = {eid: e.name for eid in story.top_entities if (e := store.entity(eid))}
        history = store.story_history(story.id)
    if story.id != story_id:
        out.print(f"[dim]{escape(story_id)} was merged into {story.id}[/]")
    wanted = title_lang.value if title_lang is not None else None
    out.print(f"[bold]{escape(story.title_in(wanted) or '(untitled)')}[/] [dim]({story.id})[/]")
    if story.summary:
        out.print(escape(story.summary))
    meta = Table(show_header=False, box=None)
    meta.add_row("[dim]dates[/]", _span(story) or "[dim]—[/]")
    meta.add_row("[dim]languages[/]", _counts(story.languages))
    meta.add_row("[dim]outlets[/]", _counts(story.outlets))
    meta.add_row("[dim]entities[/]", escape(", ".join(names.values())) or "[dim]—[/]")
    for lang, title in sorted(story.titles.items()):
        meta.add_row(f"[dim]title {escape(lang)}[/]", escape(title))
    out.print(meta)
    table = Table(title=f"{len(articles)} articles")
    table.add_column("article", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("outlet", overflow="ellipsis", max_width=18)
    table.add_column("title", overflow="fold", ratio=1)
    articles.sort(key=published_sort_key)
    for a in articles:
        table.add_row(
            a.id,
            published_label(a.published, a.published_precision) or "",
            a.lang or "",
            escape(outlet_label(a.outlet) or ""),
            escape(a.title or "") + (" [dim](dup)[/]" if a.duplicate_of else ""),
        )
    out.print(table)
    for change in history:
        how = "automatically" if change.automatic else "by hand"
        out.print(
            f"[dim]{change.at:%Y-%m-%d %H:%M} {change.action} {how}: "
            f"{change.story_id} ← {change.other_story_id} ({len(change.article_ids)} articles)[/]"
        )


@app.command("merge")
def merge_cmd(
    target: Annotated[str, typer.Argument(help="The story that remains.")],
    source: Annotated[str, typer.Argument(help="The story merged into it (its id keeps working).")],
    db: DbOption = None,
) -> None:
    """Merge SOURCE into TARGET: one story that turned out to be the other."""
    with store_for(db) as store, store.writer(on_wait=_waiting):
        merged = store.merge_stories(target, source)
        refresh_stories(store, [merged])
        save_accounts(store, [merged])
        out.print(f"merged into: {merged}")


@app.command("split")
def split_cmd(
    story_id: Annotated[str, typer.Argument(metavar="STORY")],
    articles: Annotated[list[str], typer.Argument(help="Article ids to move to a new story.")],
    db: DbOption = None,
) -> None:
    """Move ARTICLES out of STORY into a new story (the story drifted)."""
    with store_for(db) as store, store.writer(on_wait=_waiting):
        live = store.live_story(story_id)
        new = store.split_story(live, articles)
        refresh_stories(store, [live, new])
        save_accounts(store, [live, new])
        out.print(f"new story: {new}")


def _waiting(line: str) -> None:
    """A merge or split by hand waits for a running ingest: its clusterer would not see
    the change (see :mod:`storyline.store.lock`)."""
    err.print(escape(f"storyline: {line}"), soft_wrap=True)
