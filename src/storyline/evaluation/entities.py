"""How well entity linking puts one entity's mentions together (``storyline eval entities``).

The dev corpus gold (``gold_entities.jsonl``) lists, per article, each distinct
surface form of an entity with its canonical English name. For every gold
article we build the mentions those surfaces make (offsets of their first
occurrence in the text, ``normal`` from ``storyline.nlp.morph.normalize``, the
gold type, the article's language, roles from ``storyline.nlp.roles``), run one
:class:`~storyline.assemble.linking.EntityLinker` over all the articles
together, and measure:

* **completeness** — for each gold entity, the share of its mentions that land in
  its most common predicted entity; micro-averaged over mentions;
* **purity** — for each predicted entity, the share of its mentions that belong
  to its most common gold entity; micro-averaged over mentions.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from storyline.assemble.linking import EntityLinker
from storyline.evaluation.corpus import shared_dir
from storyline.nlp.annotations import EntityMention
from storyline.nlp.morph import normalize
from storyline.nlp.roles import attach_roles


def dev_dir() -> Path:
    return shared_dir() / "corpus" / "dev"


@dataclass(frozen=True, slots=True)
class GoldMention:
    article: str
    mention: EntityMention
    canonical: str


@dataclass(slots=True)
class LinkingReport:
    completeness: float
    purity: float
    mentions: int
    gold_entities: int
    predicted_entities: int
    seconds: float
    split: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)
    """Gold entities spread over several predicted ones: gold name → predicted name → surfaces."""
    mixed: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)
    """Predicted entities holding several gold ones: predicted name → gold name → surfaces."""

    def as_dict(self) -> dict[str, object]:
        return {
            "completeness": round(self.completeness, 4),
            "purity": round(self.purity, 4),
            "mentions": self.mentions,
            "gold_entities": self.gold_entities,
            "predicted_entities": self.predicted_entities,
            "seconds": round(self.seconds, 3),
            "split": [{"gold": g, "predicted": p} for g, p in self.split],
            "mixed": [{"predicted": p, "gold": g} for p, g in self.mixed],
        }


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gold_mentions(dev: Path | None = None) -> dict[str, list[GoldMention]]:
    """The gold articles' mentions, by article id (in the gold file's order of articles)."""
    dev = dev or dev_dir()
    langs = {str(r["id"]): str(r["lang"]) for r in _read_jsonl(dev / "manifest.jsonl")}
    rows = _read_jsonl(dev / "gold_entities.jsonl")
    by_article: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        by_article[str(row["id"])].append(row)
    result: dict[str, list[GoldMention]] = {}
    for article, items in by_article.items():
        text = (dev / "articles" / f"{article}.txt").read_text(encoding="utf-8")
        lang = langs[article]
        built: list[GoldMention] = []
        for row in items:
            name, type_ = str(row["name"]), str(row["type"])
            start = text.find(name)
            start = max(start, 0)
            mention = EntityMention(
                start=start,
                end=start + len(name),
                text=name,
                type=type_,  # type: ignore[arg-type]
                normal=normalize(name, type_, lang),
                lang=lang,
                source="gold",
            )
            built.append(GoldMention(article, mention, str(row["canonical"])))
        built.sort(key=lambda g: (g.mention.start, g.mention.end))
        with_roles = attach_roles(text, [g.mention for g in built], lang)
        result[article] = [
            GoldMention(g.article, m, g.canonical) for g, m in zip(built, with_roles, strict=True)
        ]
    return result


def evaluate_linking(
    dev: Path | None = None, linker: Callable[[], EntityLinker] = EntityLinker
) -> LinkingReport:
    """Completeness and purity of linking the dev gold's mentions (see the module doc)."""
    articles = gold_mentions(dev)
    dev = dev or dev_dir()
    texts = {a: (dev / "articles" / f"{a}.txt").read_text(encoding="utf-8") for a in articles}
    link = linker()
    started = time.perf_counter()
    pairs: list[tuple[str, str, str]] = []  # (gold canonical, predicted id, surface)
    for article, golds in articles.items():
        ids = link.link_article(article, [g.mention for g in golds], texts[article])
        pairs += [(g.canonical, i, g.mention.text) for g, i in zip(golds, ids, strict=True)]
    seconds = time.perf_counter() - started
    names = {e.id: e.name for e in link.entities()}

    def label(pid: str) -> str:
        return f"{names.get(pid, '(none)')} [{pid}]"

    by_gold: dict[str, Counter[str]] = defaultdict(Counter)
    by_pred: dict[str, Counter[str]] = defaultdict(Counter)
    surfaces: dict[tuple[str, str], list[str]] = defaultdict(list)
    for gold, pred, surface in pairs:
        by_gold[gold][pred] += 1
        by_pred[pred][gold] += 1
        surfaces[(gold, pred)].append(surface)
    total = len(pairs)
    complete = sum(c.most_common(1)[0][1] for c in by_gold.values())
    pure = sum(c.most_common(1)[0][1] for c in by_pred.values())
    split = [
        (gold, {label(p): surfaces[(gold, p)] for p in c})
        for gold, c in sorted(by_gold.items())
        if len(c) > 1
    ]
    mixed = [
        (label(pred), {g: surfaces[(g, pred)] for g in c})
        for pred, c in sorted(by_pred.items(), key=lambda kv: names.get(kv[0], ""))
        if len(c) > 1
    ]
    return LinkingReport(
        completeness=complete / total if total else 0.0,
        purity=pure / total if total else 0.0,
        mentions=total,
        gold_entities=len(by_gold),
        predicted_entities=len(by_pred),
        seconds=seconds,
        split=split,
        mixed=mixed,
    )


def entities_command(out: Path | None = None) -> None:
    """Entity linking on the dev gold: completeness, purity and the failures (a rich table)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    report = evaluate_linking()
    console = Console()
    table = Table(title="entity linking (dev gold)")
    for column in ("completeness", "purity", "mentions", "gold", "predicted", "seconds"):
        table.add_column(column, justify="right")
    table.add_row(
        f"{report.completeness:.4f}",
        f"{report.purity:.4f}",
        str(report.mentions),
        str(report.gold_entities),
        str(report.predicted_entities),
        f"{report.seconds:.3f}",
    )
    console.print(table)
    failures = Table(title="failures", show_lines=True)
    failures.add_column("kind")
    failures.add_column("entity")
    failures.add_column("spread over")
    for gold, parts in report.split:
        spread = "\n".join(f"{p}: {', '.join(s)}" for p, s in parts.items())
        failures.add_row("split", escape(gold), escape(spread))
    for pred, parts in report.mixed:
        spread = "\n".join(f"{g}: {', '.join(s)}" for g, s in parts.items())
        failures.add_row("mixed", escape(pred), escape(spread))
    if report.split or report.mixed:
        console.print(failures)
    if out is not None:
        out.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
