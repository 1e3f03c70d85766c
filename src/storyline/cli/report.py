"""``storyline report``: a story dossier in one file, to read offline or mail on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from storyline.cli.account import GroupsOption
from storyline.cli.common import DbOption, LangOption, err, fail, store_for
from storyline.errors import StorylineError
from storyline.report import build_dossier, render
from storyline.report.render import ReportFormat

app = typer.Typer()


@app.command("report")
def report_cmd(
    story_id: Annotated[str, typer.Argument(metavar="STORY")],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="Markdown, or one self-contained HTML file.")
    ] = ReportFormat.md,
    lang: Annotated[
        LangOption, typer.Option(help="Language of event titles, dates and headings.")
    ] = LangOption.en,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here instead of to stdout.", dir_okay=False),
    ] = None,
    db: DbOption = None,
    groups: GroupsOption = None,
) -> None:
    """The story's dossier: timeline with sources, quotes, coverage, conflicts, articles."""
    with store_for(db) as store:
        dossier = build_dossier(store, story_id, lang.value, groups)
    text = render(dossier, fmt)
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise fail(StorylineError(f"cannot write {output}: {error.strerror}")) from None
    err.print(f"wrote {escape(str(output))}", soft_wrap=True)
