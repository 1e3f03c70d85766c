"""Base forms of names: ``storyline eval lemmas`` on the BSNLP train topics.

``shared/corpora/bsnlp-train/<topic>/annotated/<lang>/*.out`` (``*.txt`` for
``ec``) lists, per document, each distinct mention with its base form (the
nominative of the whole name), its type (PER, LOC, ORG, PRO, EVT; MISC in ``ec``)
and a cross-lingual entity id. Every Russian and Ukrainian line is normalized by
:func:`storyline.nlp.morph.normalize` (a person's in the gender its document tells,
:func:`storyline.nlp.morph.person_genders`, as the NER stage does; PRO, EVT and MISC
as ``EVT``: a named thing that is neither a person, a place nor an organisation) and
compared with the base
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
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from storyline.evaluation.corpus import shared_dir
from storyline.evaluation.scoring import Score

if TYPE_CHECKING:
    from storyline.assemble.linking import EntityLinker
    from storyline.evaluation.stories import BCubed

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


def _genders(mentions: list[Mention], root: Path) -> dict[Mention, str | None]:
    """The gender each person mention's document tells (as the NER stage reads it: the
    verb after any mention with the same last word), placed at its first occurrence."""
    from storyline.nlp.morph import person_genders

    by_doc: dict[tuple[str, str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.type == "PER":
            by_doc[(m.topic, m.lang, m.doc)].append(m)
    out: dict[Mention, str | None] = {}
    for (_, lang, _), ms in by_doc.items():
        text = _raw_text(ms[0], root)
        spans = []
        for m in ms:
            at = text.find(m.surface)
            spans.append((at, at + len(m.surface)) if at >= 0 else (0, 0))
        for m, gender in zip(ms, person_genders(text, spans, lang), strict=True):
            out[m] = gender
    return out


def evaluate_lemmas(mentions: list[Mention], root: Path | None = None) -> LemmaReport:
    from storyline.nlp.morph import normalize

    started = time.perf_counter()
    report = LemmaReport()
    genders = _genders(mentions, root or bsnlp_dir())
    for m in mentions:
        found = normalize(m.surface, _TYPES.get(m.type, "EVT"), m.lang, genders.get(m))
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


def _raw_text(m: Mention, root: Path) -> str:
    """The raw document an annotation file describes (``brexit_ru.txt_file_10`` →
    ``raw/ru/brexit_ru.txt_file_10.txt``; ``ec``'s ``233`` → ``raw/ru/file_233_ru.txt``)."""
    folder = root / m.topic / "raw" / m.lang
    for name in (f"{m.doc}.txt", f"file_{m.doc}_{m.lang}.txt"):
        if (folder / name).exists():
            return (folder / name).read_text(encoding="utf-8-sig")
    return ""


@dataclass(frozen=True, slots=True)
class LinkingReport:
    bcubed: BCubed
    """Over the distinct (language, document, surface) mentions, pooled over the topics."""
    pairs: Score
    """ru–uk mention pairs: predicted (same entity), gold (same gold entity), right (both)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "mentions": self.bcubed.items,
            "bcubed": {
                "precision": round(self.bcubed.precision, 4),
                "recall": round(self.bcubed.recall, 4),
                "f1": round(self.bcubed.f1, 4),
            },
            "cross_lingual_pairs": {
                "tp": self.pairs.tp,
                "gold": self.pairs.tp + self.pairs.fn,
                "predicted": self.pairs.tp + self.pairs.fp,
                "f1": round(self.pairs.f1, 4),
            },
        }


def evaluate_linking(mentions: list[Mention], root: Path | None = None) -> LinkingReport:
    """Cross-lingual linking of the annotated mentions, one linker per topic.

    Every document's gold mentions (placed at their first occurrence in the raw text,
    normalized by :func:`~storyline.nlp.morph.normalize`) go through one
    :class:`~storyline.assemble.linking.EntityLinker` per topic, ru and uk documents in
    turn. Scored per topic and pooled: B-cubed over the distinct (language, document,
    surface) mentions, and pair F1 over the ru–uk mention pairs (a pair is right when
    both sides are the same gold entity and the same predicted entity).
    """
    from storyline.assemble.linking import EntityLinker
    from storyline.evaluation.stories import BCubed, bcubed

    root = root or bsnlp_dir()
    by_topic: dict[str, dict[tuple[str, str], list[Mention]]] = defaultdict(dict)
    for m in mentions:
        by_topic[m.topic].setdefault((m.lang, m.doc), []).append(m)
    p_sum = r_sum = 0.0
    total = tp = gold_pairs = pred_pairs = 0
    for _topic, docs in sorted(by_topic.items()):
        linker = EntityLinker()
        gold: dict[tuple[str, str, str], str] = {}
        predicted: dict[tuple[str, str, str], str] = {}
        for (lang, doc), ms in sorted(docs.items()):
            for m, eid in zip(ms, link_document(linker, ms, root), strict=True):
                key = (lang, doc, m.surface)
                gold[key] = m.entity
                predicted[key] = eid or f"none:{key}"
        score = bcubed(gold, predicted)
        p_sum += score.precision * score.items
        r_sum += score.recall * score.items
        total += score.items
        cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        golds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        preds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for key, g in gold.items():
            side = 0 if key[0] == "ru" else 1
            cells[(g, predicted[key])][side] += 1
            golds[g][side] += 1
            preds[predicted[key]][side] += 1
        tp += sum(a * b for a, b in cells.values())
        gold_pairs += sum(a * b for a, b in golds.values())
        pred_pairs += sum(a * b for a, b in preds.values())
    return LinkingReport(
        BCubed(p_sum / total if total else 0.0, r_sum / total if total else 0.0, total),
        Score(tp=tp, fp=pred_pairs - tp, fn=gold_pairs - tp),
    )


def link_document(linker: EntityLinker, ms: list[Mention], root: Path) -> list[str]:
    """The entity ids ``linker`` gives one document's annotated mentions ``ms`` (in their
    order; ``""`` for none): each placed at its first occurrence in the raw text (at its
    end when absent), normalized by :func:`~storyline.nlp.morph.normalize`, linked in
    text order."""
    from storyline.nlp.annotations import EntityMention
    from storyline.nlp.morph import normalize

    text = _raw_text(ms[0], root)
    lang = ms[0].lang
    placed: list[EntityMention] = []
    for m in ms:
        at = text.find(m.surface)
        start = at if at >= 0 else len(text)
        kind = _TYPES.get(m.type, "EVT")
        placed.append(
            EntityMention(
                start=start,
                end=start + len(m.surface),
                text=m.surface,
                type=kind,  # type: ignore[arg-type]
                normal=normalize(m.surface, kind, lang),
                lang=lang,
                source="bsnlp",
            )
        )
    order = sorted(range(len(ms)), key=lambda i: placed[i].start)
    ids = linker.link_article(f"{lang}/{ms[0].doc}", [placed[i] for i in order], text)
    linked = [""] * len(ms)
    for i, eid in zip(order, ids, strict=True):
        linked[i] = eid
    return linked


def lemmas_command(
    topics: Annotated[
        str, typer.Option(help="comma-separated BSNLP topics (asia_bibi, brexit, ec, ryanair)")
    ] = ",".join(TOPICS),
    with_linking: Annotated[
        bool, typer.Option("--linking/--no-linking", help="Also score cross-lingual linking.")
    ] = True,
    out: Annotated[Path | None, typer.Option(help="Also write the result as JSON here.")] = None,
) -> None:
    """Base forms of ru/uk names against the BSNLP annotations (accuracy, and the misses),
    and cross-lingual linking of the same mentions."""
    chosen = tuple(t.strip() for t in topics.split(",") if t.strip())
    unknown = [t for t in chosen if t not in TOPICS]
    if unknown:
        raise typer.BadParameter(f"unknown topics: {', '.join(unknown)}")
    mentions = read_bsnlp(chosen)
    report = evaluate_lemmas(mentions)
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
    linking = evaluate_linking(mentions) if with_linking else None
    if linking is not None:
        console.print(
            f"cross-lingual linking ({linking.bcubed.items} mentions): B-cubed F1 "
            f"{linking.bcubed.f1:.3f} (P {linking.bcubed.precision:.3f}, R "
            f"{linking.bcubed.recall:.3f}); ru–uk pair F1 {linking.pairs.f1:.3f}"
        )
    if out is not None:
        result = report.as_dict()
        if linking is not None:
            result["linking"] = linking.as_dict()
        out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
