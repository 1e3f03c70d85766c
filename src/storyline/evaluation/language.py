"""How often a page's language is right: ``storyline eval language``.

Every page of a corpus folder (``shared/corpus/dev``, ``shared/corpus/train``) is
extracted as ingest extracts it (:func:`storyline.extract.article.extract_article`)
and its detected language compared with the manifest's ``lang``. Pages whose
manifest language is not among the configured ones cannot be right and are
counted apart. The report lists every wrong page with its confidence, and the
number of wrong pages detected with confidence ≥ 0.9 (a wrong answer given with
certainty is the worst kind), and the pages detected with less than 0.9 (mixed).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from storyline.evaluation.corpus import shared_dir


@dataclass(slots=True)
class LanguageReport:
    corpus: str
    pages: int
    right: int
    unsupported: int
    """Pages whose manifest language is not among the configured ones."""
    confident_wrong: int
    seconds: float
    wrong: list[dict[str, Any]] = field(default_factory=list)
    confidences: dict[str, float] = field(default_factory=dict)
    """Every scored page's confidence, by id."""

    @property
    def accuracy(self) -> float:
        scored = self.pages - self.unsupported
        return self.right / scored if scored else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "pages": self.pages,
            "right": self.right,
            "unsupported": self.unsupported,
            "accuracy": round(self.accuracy, 4),
            "confident_wrong": self.confident_wrong,
            "seconds": round(self.seconds, 2),
            "wrong": self.wrong,
            "confidences": self.confidences,
        }


def evaluate_language(corpus: str = "dev") -> LanguageReport:
    from storyline.config import Settings
    from storyline.document import RawDocument
    from storyline.extract.article import extract_article

    languages = Settings().languages
    folder = shared_dir() / "corpus" / corpus
    started = time.perf_counter()
    pages = right = unsupported = confident_wrong = 0
    wrong: list[dict[str, Any]] = []
    confidences: dict[str, float] = {}
    with (folder / "manifest.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    for row in rows:
        path = folder / "articles" / f"{row['id']}.txt"
        if not path.exists() or not row.get("lang"):
            continue
        pages += 1
        article = extract_article(RawDocument(str(path), path.read_bytes()), languages=languages)
        if row["lang"] not in languages:
            unsupported += 1
            continue
        confidence = confidences[str(row["id"])] = article.lang_confidence or 0.0
        if article.lang == row["lang"]:
            right += 1
            continue
        confident_wrong += confidence >= 0.9
        wrong.append(
            {"id": row["id"], "gold": row["lang"], "found": article.lang, "confidence": confidence}
        )
    return LanguageReport(
        corpus,
        pages,
        right,
        unsupported,
        confident_wrong,
        time.perf_counter() - started,
        wrong,
        confidences,
    )


def language_command(
    corpora: Annotated[
        list[str] | None, typer.Argument(help="corpus folders: dev, train (default both)")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Also write the result as JSON here.")] = None,
) -> None:
    """Accuracy of the detected page language against the manifests' ``lang``."""
    console = Console()
    results = []
    for corpus in corpora or ["dev", "train"]:
        report = evaluate_language(corpus)
        results.append(report.as_dict())
        console.print(
            f"{corpus}: {report.right}/{report.pages - report.unsupported} right "
            f"(accuracy {report.accuracy:.3f}); {report.unsupported} pages in other languages; "
            f"{report.confident_wrong} wrong with confidence ≥ 0.9"
        )
        mixed = {k: v for k, v in report.confidences.items() if v < 0.9}
        console.print(
            f"  confidence per page: min {min(report.confidences.values(), default=0):.2f}, "
            f"{len(mixed)} below 0.9: "
            + ", ".join(f"{k} {v:.2f}" for k, v in sorted(mixed.items()))
        )
        for w in report.wrong:
            console.print(f"  {w['id']}: {w['gold']} → {w['found']} ({w['confidence']:.2f})")
    if out is not None:
        out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
