"""``storyline timeline``, ``conflicts`` and ``quotes``: what happened, who said what,
and where the sources disagree."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from storyline.assemble.timeline import StoryAccount, story_account
from storyline.cli.common import DbOption, LangOption, out, store_for
from storyline.store import Store

app = typer.Typer()

GroupsOption = Annotated[
    Path | None,
    typer.Option(
        "--groups",
        envvar="STORYLINE_OUTLET_GROUPS",
        help="JSON mapping outlet → group (see resources/outlet_groups.json).",
        exists=True,
        dir_okay=False,
    ),
]


def _account(store: Store, story_id: str, groups: Path | None) -> StoryAccount:
    return story_account(store, store.live_story(story_id), groups)


@app.command("timeline")
def timeline_cmd(
    story_id: Annotated[str, typer.Argument(metavar="STORY")],
    db: DbOption = None,
    lang: Annotated[LangOption, typer.Option(help="Language of event titles.")] = LangOption.en,
    groups: GroupsOption = None,
) -> None:
    """The story's events in date order, with the outlets (and groups) reporting each."""
    with store_for(db) as store:
        story = _account(store, story_id, groups)
    covered = {c.event_id: c for c in story.coverage.events}
    table = Table(title=f"timeline of {story.story_id}: {len(story.events)} events")
    table.add_column("date", no_wrap=True)
    table.add_column("event", overflow="fold", ratio=2)
    table.add_column("sources", justify="right", no_wrap=True)
    table.add_column("reported by", overflow="fold", ratio=1)
    for event in story.events:
        marks = " [red]⚠ conflict[/]" if event.id in story.conflicts else ""
        marks += " [dim](planned)[/]" if event.planned else ""
        date = (event.date or "—") + (" ~" if event.date_inferred else "")
        c = covered.get(event.id)
        table.add_row(
            date,
            escape(event.title(lang.value)) + marks,
            str(len(event.article_ids)),
            escape(", ".join(c.groups if c else ())),
        )
    out.print(table)
    for group, missing in story.coverage.missing.items():
        if missing:
            out.print(f"[dim]{escape(group)} does not report {len(missing)} of the events[/]")


@app.command("conflicts")
def conflicts_cmd(
    story_id: Annotated[str, typer.Argument(metavar="STORY")],
    db: DbOption = None,
    lang: Annotated[LangOption, typer.Option(help="Language of event titles.")] = LangOption.en,
) -> None:
    """Where the story's sources disagree: each value, with the articles that state it."""
    with store_for(db) as store:
        story = _account(store, story_id, None)
    if not story.conflicts:
        out.print("no conflicts between the sources of this story")
        return
    events = {e.id: e for e in story.events}
    for event_id, found in story.conflicts.items():
        out.print(f"[bold]{escape(events[event_id].title(lang.value))}[/]")
        for conflict in found:
            out.print(f"  {escape(conflict.attribute)}:")
            for value in conflict.values:
                where = ", ".join(
                    f"{a} ({story.outlets.get(a) or 'unknown outlet'})" for a in value.article_ids
                )
                out.print(f"    {escape(value.value)} — {escape(where)}")


@app.command("quotes")
def quotes_cmd(
    db: DbOption = None,
    speaker: Annotated[str | None, typer.Option(help="Only this speaker (entity id).")] = None,
    story: Annotated[str | None, typer.Option(help="Only this story (id).")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
) -> None:
    """Who said what: direct and indirect quotes with their speakers, newest first."""
    with store_for(db) as store:
        story_id = store.live_story(story) if story else None
        rows = store.quotes(speaker=speaker, story_id=story_id, limit=limit)
        total = store.count_quotes(speaker=speaker, story_id=story_id)
    table = Table(title=f"{len(rows)} of {total} quotes")
    table.add_column("said on", no_wrap=True)
    table.add_column("speaker", overflow="fold", ratio=1)
    table.add_column("quote", overflow="fold", ratio=3)
    table.add_column("article", no_wrap=True)
    for q in rows:
        who = q.speaker_name or q.speaker_text or "?"
        if q.speaker_text and q.speaker_name and q.speaker_text != q.speaker_name:
            who += f" [dim]({escape(q.speaker_text)})[/]"
        text = f"«{q.text}»" if q.kind == "direct" else q.text
        table.add_row(
            q.said_on.isoformat() if q.said_on else "",
            who if "[dim]" in who else escape(who),
            escape(text) + f" [dim]{escape(q.cue)}[/]",
            q.article_id,
        )
    out.print(table)
