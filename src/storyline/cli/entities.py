"""``storyline entities`` and ``entity``: the canonical people, organisations and places."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from storyline.cli.common import DbOption, EntityTypeOption, LangOption, err, out, store_for
from storyline.store import EntityDetail, EntitySummary

app = typer.Typer()


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
    with store_for(db) as store:
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
    with store_for(db) as store:
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
