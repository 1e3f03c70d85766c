"""Base forms of names: ``storyline eval lemmas`` on the BSNLP train topics.

``shared/corpora/bsnlp-train/<topic>/annotated/<lang>/*.out`` (``*.txt`` for
``ec``) lists, per document, each distinct mention with its base form (the
nominative of the whole name), its type (PER, LOC, ORG, PRO, EVT; MISC in ``ec``)
and a cross-lingual entity id. Every Russian and Ukrainian line is normalized by
:func:`storyline.nlp.morph.normalize` (PRO, EVT and MISC as ``EVT``: a named thing
that is neither a person, a place nor an organisation) and compared with the base
form: *exact* (the same string, spaces aside) and *case-insensitive*. Topics name
the part of the data a change was fitted on, so the report can keep them apart
(``--topics``).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from storyline.evaluation.corpus import shared_dir

TOPICS = ("asia_bibi", "brexit", "ec", "ryanair")
_TYPES = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "PRO": "EVT", "EVT": "EVT", "MISC": "EVT"}


def bsnlp_dir() -> Path:
    return shared_dir() / "corpora" / "bsnlp-train"


@dataclass(frozen=True, slots=True)
class Mention:
    topic: str
    lang: str
    doc: str
    surface: str
    base: str
    type: str
    entity: str


def read_bsnlp(
    topics: tuple[str, ...] = TOPICS,
    langs: tuple[str, ...] = ("ru", "uk"),
    root: Path | None = None,
) -> list[Mention]:
    root = root or bsnlp_dir()
    out = []
    for topic in topics:
        for lang in langs:
            folder = root / topic / "annotated" / lang
            for path in sorted([*folder.glob("*.out"), *folder.glob("*.txt")]):
                lines = path.read_text(encoding="utf-8-sig").splitlines()
                for line in lines[1:]:  # the first line is the document id
                    cols = line.split("\t")
                    if len(cols) < 4 or not cols[0].strip():
                        continue
                    surface, base, type_, entity = (c.strip() for c in cols[:4])
                    out.append(Mention(topic, lang, path.stem, surface, base, type_, entity))
    return out


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


@dataclass(slots=True)
class LemmaReport:
    total: int = 0
    exact: int = 0
    folded: int = 0
    by: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    """``lang/topic`` and ``lang/type`` → [right, total] (exact)."""
    wrong: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def accuracy(self) -> float:
        return self.exact / self.total if self.total else 0.0

    @property
    def accuracy_folded(self) -> float:
        return self.folded / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "mentions": self.total,
            "accuracy": round(self.accuracy, 4),
            "accuracy_case_insensitive": round(self.accuracy_folded, 4),
            "by": {
                k: {"right": r, "total": n, "accuracy": round(r / n, 4)}
                for k, (r, n) in sorted(self.by.items())
            },
            "seconds": round(self.seconds, 2),
            "wrong": self.wrong,
        }


def evaluate_lemmas(mentions: list[Mention]) -> LemmaReport:
    from storyline.nlp.morph import normalize

    started = time.perf_counter()
    report = LemmaReport()
    for m in mentions:
        found = normalize(m.surface, _TYPES.get(m.type, "EVT"), m.lang)
        right = _same(found, m.base)
        report.total += 1
        report.exact += right
        report.folded += _same(found.casefold(), m.base.casefold())
        for key in (f"{m.lang}/{m.topic}", f"{m.lang}/{m.type}", m.lang):
            report.by[key][0] += right
            report.by[key][1] += 1
        if not right:
            report.wrong.append(
                {
                    "topic": m.topic,
                    "lang": m.lang,
                    "type": m.type,
                    "surface": m.surface,
                    "gold": m.base,
                    "found": found,
                }
            )
    report.seconds = time.perf_counter() - started
    return report


def lemmas_command(
    topics: Annotated[
        str, typer.Option(help="comma-separated BSNLP topics (asia_bibi, brexit, ec, ryanair)")
    ] = ",".join(TOPICS),
    out: Annotated[Path | None, typer.Option(help="Also write the result as JSON here.")] = None,
) -> None:
    """Base forms of ru/uk names against the BSNLP annotations: accuracy, and the misses."""
    chosen = tuple(t.strip() for t in topics.split(",") if t.strip())
    unknown = [t for t in chosen if t not in TOPICS]
    if unknown:
        raise typer.BadParameter(f"unknown topics: {', '.join(unknown)}")
    report = evaluate_lemmas(read_bsnlp(chosen))
    console = Console()
    table = Table(title=f"base forms — BSNLP {', '.join(chosen)} ({report.total} mentions)")
    for column in ("part", "accuracy", "right", "total"):
        table.add_column(column, justify="left" if column == "part" else "right")
    for key, (right, total) in sorted(report.by.items()):
        table.add_row(key, f"{right / total:.3f}", str(right), str(total))
    table.add_row("all", f"{report.accuracy:.3f}", str(report.exact), str(report.total))
    table.add_row(
        "all, any case", f"{report.accuracy_folded:.3f}", str(report.folded), str(report.total)
    )
    console.print(table)
    if out is not None:
        out.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
