"""The ``storyline`` command: a thin layer over the library.

Every command opens the store, calls one library function and renders what it
returns; nothing here decides anything a test could not check through the
library directly. One module per group of commands; this one assembles them.
"""

from __future__ import annotations

import typer

from storyline.cli import account, articles, entities, export, report, serve, stories, watch
from storyline.evaluation.dates import dates_command
from storyline.evaluation.entities import entities_command
from storyline.evaluation.events import events_command
from storyline.evaluation.language import language_command
from storyline.evaluation.lemmas import lemmas_command
from storyline.evaluation.names import names_command
from storyline.evaluation.ner import ner_command
from storyline.evaluation.provenance import provenance_command
from storyline.evaluation.quotes import quotes_command
from storyline.evaluation.stories import stories_command

app = typer.Typer(
    help="Turn a pile of raw news pages into a clear account of a developing story.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for group in (articles.app, entities.app, export.app, account.app, report.app, serve.app):
    app.registered_commands.extend(group.registered_commands)
app.add_typer(stories.app, name="stories")
app.registered_commands.extend(stories.single.registered_commands)
app.add_typer(watch.app, name="watch")
app.registered_commands.extend(watch.single.registered_commands)

eval_app = typer.Typer(
    help="Measure quality on labeled data: precision, recall and F1 per type.",
    no_args_is_help=True,
)
eval_app.command("ner")(ner_command)
eval_app.command("dates")(dates_command)
eval_app.command("entities")(entities_command)
eval_app.command("stories")(stories_command)
eval_app.command("quotes")(quotes_command)
eval_app.command("events")(events_command)
eval_app.command("language")(language_command)
eval_app.command("lemmas")(lemmas_command)
eval_app.command("names")(names_command)
eval_app.command("provenance")(provenance_command)
app.add_typer(eval_app, name="eval")


def main() -> None:
    app()
