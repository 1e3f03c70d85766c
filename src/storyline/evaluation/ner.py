"""``storyline eval ner CORPUS``: entity recognition scored on labeled data.

Corpora (read from ``SHARED``, the ``shared/`` folder beside the repository, or
``$STORYLINE_SHARED``):

``factrueval``
    factRuEval-2016 test set (``corpora/factrueval-2016/testset``; ``split``
    picks ``devset``). Exact-span P/R/F1 per type (PER/ORG/LOC) and micro, in
    two columns from one run: ``natasha-plain`` (Natasha's tagger as it comes)
    and ``storyline`` (the same output after :func:`storyline.nlp.ner.ru.postprocess`),
    so an improvement is always measured against the baseline on the same
    documents. Gold follows :mod:`storyline.evaluation.factrueval` (nested
    objects kept). A third column, ``with known names``, adds
    :func:`storyline.nlp.ner.known.amend` (table names), as ``recognize`` does.
``ner-uk``
    NER-UK 2.0 test file (``corpora/ner-uk/v2.0/iob/test.iob``), read by
    :func:`storyline.evaluation.ner_uk.read_ner_uk`, scored as exact spans: the
    ``storyline`` column is the Ukrainian tagger of the registry, ``with known names``
    that tagger amended by the table names as ``recognize`` does.
``dev``
    Our dev corpus (``corpus/dev``): :func:`storyline.nlp.ner.registry.recognize`
    on the 27 articles of ``gold_entities.jsonl``, per language and overall.
    That gold lists each *distinct surface form* per article and type, not
    spans, so scoring is on distinct ``(article, surface, type)`` triples: the
    predicted mentions of an article are reduced to the set of their surfaces
    with types and compared with the gold set. Every occurrence of a surface
    then counts once, which is what the gold can say (it cannot tell which
    occurrence was meant), and a surface found at any occurrence is found. Only
    PER/ORG/LOC are scored (the gold has no other types); a nested mention
    (LOC «России» inside ORG «Минобороны России») is scored like any other, so
    it costs a false alarm only when that surface never stands alone in the
    article, as the gold's longest-match convention says.

All scores come from :func:`storyline.evaluation.scoring.score_by_label`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from storyline.evaluation.corpus import LabeledText, shared_dir, span_items
from storyline.evaluation.scoring import Score, score_by_label

CORPORA = ("factrueval", "ner-uk", "dev")
SCORED_TYPES = ("PER", "ORG", "LOC")
DEV_LANGS = ("ru", "uk", "en")


def default_path(corpus: str, split: str | None = None) -> Path:
    shared = shared_dir()
    if corpus == "factrueval":
        return shared / "corpora" / "factrueval-2016" / (split or "testset")
    if corpus == "ner-uk":
        return shared / "corpora" / "ner-uk" / "v2.0" / "iob" / f"{split or 'test'}.iob"
    if corpus == "dev":
        return shared / "corpus" / "dev"
    raise ValueError(f"unknown corpus {corpus!r}; expected one of {', '.join(CORPORA)}")


def _table(scores: dict[str, Score]) -> dict[str, dict[str, float | int]]:
    labels = [t for t in SCORED_TYPES] + ["micro"]
    empty = Score(0, 0, 0)
    return {label: scores.get(label, empty).as_dict() for label in labels}


def _only(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    return [s for s in spans if s[2] in SCORED_TYPES]


def _score_spans(
    texts: list[LabeledText], predictions: dict[str, list[tuple[int, int, str]]]
) -> dict[str, Score]:
    gold: set[tuple[str, int, int, str]] = set()
    predicted: set[tuple[str, int, int, str]] = set()
    for t in texts:
        gold |= span_items(t.doc_id, _only(t.spans))
        predicted |= span_items(t.doc_id, _only(predictions[t.doc_id]))
    return score_by_label(gold, predicted)


def _factrueval(path: Path, limit: int | None) -> dict[str, Any]:
    from storyline.evaluation.factrueval import read_factrueval
    from storyline.nlp.ner.known import amend
    from storyline.nlp.ner.ru import natasha_spans, postprocess

    texts = list(read_factrueval(path))[:limit]
    natasha_spans("Москва.")  # load the model outside the timing
    plain: dict[str, list[tuple[int, int, str]]] = {}
    ours: dict[str, list[tuple[int, int, str]]] = {}
    tagger_s = post_s = 0.0
    for t in texts:
        start = time.perf_counter()
        plain[t.doc_id] = natasha_spans(t.text)
        middle = time.perf_counter()
        ours[t.doc_id] = postprocess(t.text, plain[t.doc_id])
        tagger_s += middle - start
        post_s += time.perf_counter() - middle
    known = {t.doc_id: amend(t.text, ours[t.doc_id], "ru") for t in texts}
    n = max(len(texts), 1)
    return {
        "columns": {
            "natasha-plain": _table(_score_spans(texts, plain)),
            "storyline": _table(_score_spans(texts, ours)),
            "with known names": _table(_score_spans(texts, known)),
        },
        "docs": len(texts),
        "ms_per_doc": {
            "natasha": round(1000 * tagger_s / n, 2),
            "postprocess": round(1000 * post_s / n, 2),
        },
    }


def _ner_uk(path: Path, limit: int | None) -> dict[str, Any]:
    from storyline.evaluation.ner_uk import read_ner_uk
    from storyline.nlp.ner.known import amend
    from storyline.nlp.ner.registry import tagger

    tag = tagger("uk")
    if tag is None:
        raise RuntimeError("no Ukrainian tagger is installed (storyline.nlp.ner.uk)")
    texts = list(read_ner_uk(path))[:limit]
    tag("Київ.")  # load the model outside the timing
    start = time.perf_counter()
    predictions = {t.doc_id: list(tag(t.text)) for t in texts}
    elapsed = time.perf_counter() - start
    known = {t.doc_id: amend(t.text, predictions[t.doc_id], "uk") for t in texts}
    return {
        "columns": {
            "storyline": _table(_score_spans(texts, predictions)),
            "with known names": _table(_score_spans(texts, known)),
        },
        "docs": len(texts),
        "ms_per_doc": {"uk": round(1000 * elapsed / max(len(texts), 1), 2)},
    }


def dev_gold(path: Path) -> tuple[dict[str, str], dict[str, str], set[tuple[str, str, str]]]:
    """(article id → language, article id → text, gold ``(id, surface, type)`` triples)."""
    langs = {}
    for line in (path / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            langs[row["id"]] = row["lang"]
    gold = set()
    for line in (path / "gold_entities.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold.add((row["id"], row["name"], row["type"]))
    ids = sorted({g[0] for g in gold})
    texts = {i: (path / "articles" / f"{i}.txt").read_text(encoding="utf-8") for i in ids}
    return langs, texts, gold


def _dev(path: Path, limit: int | None) -> dict[str, Any]:
    from storyline.nlp.ner.registry import recognize

    langs, texts, gold = dev_gold(path)
    ids = sorted(texts)[:limit]
    predicted: set[tuple[str, str, str]] = set()
    elapsed: dict[str, float] = {}
    counts: dict[str, int] = {}
    errors: dict[str, str] = {}
    for lang in sorted({langs.get(i) or "-" for i in ids}):
        try:  # load each model outside the timing
            recognize("Moscow. Москва.", None if lang == "-" else lang)
        except Exception as error:  # a tagger that cannot run scores zero, visibly
            errors[lang] = f"{type(error).__name__}: {error}".splitlines()[0]
    for i in ids:
        lang = langs.get(i)
        key = lang or "-"
        if key in errors:
            continue
        start = time.perf_counter()
        try:
            mentions = recognize(texts[i], lang)
        except Exception as error:  # a tagger that cannot run scores zero, visibly
            errors[key] = f"{type(error).__name__}: {error}".splitlines()[0]
            continue
        elapsed[key] = elapsed.get(key, 0.0) + time.perf_counter() - start
        counts[key] = counts.get(key, 0) + 1
        predicted |= {(i, m.text, m.type) for m in mentions if m.type in SCORED_TYPES}
    chosen = set(ids)
    gold = {g for g in gold if g[0] in chosen}
    columns: dict[str, Any] = {}
    for lang in DEV_LANGS:
        gold_l = {g for g in gold if langs[g[0]] == lang}
        predicted_l = {p for p in predicted if langs[p[0]] == lang}
        columns[lang] = _table(score_by_label(gold_l, predicted_l))
    columns["all"] = _table(score_by_label(gold, predicted))
    result: dict[str, Any] = {
        "columns": columns,
        "docs": len(ids),
        "ms_per_doc": {k: round(1000 * v / counts[k], 2) for k, v in sorted(elapsed.items())},
    }
    if errors:
        result["errors"] = errors
    return result


def evaluate_ner(
    corpus: str, limit: int | None = None, path: Path | None = None, split: str | None = None
) -> dict[str, Any]:
    """Score the taggers on ``corpus`` (``factrueval``, ``ner-uk`` or ``dev``).

    Returns ``{"corpus", "path", "docs", "columns": {column: {type: score}}, "ms_per_doc"}``
    where each score is :meth:`Score.as_dict` (precision, recall, f1, tp, fp, fn)
    for PER, ORG, LOC and ``micro``. ``limit`` takes the first N documents.
    """
    if corpus not in CORPORA:
        raise ValueError(f"unknown corpus {corpus!r}; expected one of {', '.join(CORPORA)}")
    path = Path(path) if path is not None else default_path(corpus, split)
    if not path.exists():
        raise FileNotFoundError(f"{path}: corpus not found (set STORYLINE_SHARED?)")
    run = {"factrueval": _factrueval, "ner-uk": _ner_uk, "dev": _dev}[corpus]
    result = run(path, limit)
    return {"corpus": corpus, "path": str(path), **result}


def render(result: dict[str, Any]) -> Any:
    """A rich table of a result: one row per column and type, with P/R/F1 and counts."""
    from rich.table import Table

    table = Table(title=f"NER on {result['corpus']} ({result['docs']} docs)")
    for name in ("column", "type"):
        table.add_column(name)
    for name in ("P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(name, justify="right")
    for column, scores in result["columns"].items():
        for label in [*SCORED_TYPES, "micro"]:
            s = scores[label]
            table.add_row(
                column,
                label,
                f"{s['precision']:.3f}",
                f"{s['recall']:.3f}",
                f"{s['f1']:.3f}",
                str(s["tp"]),
                str(s["fp"]),
                str(s["fn"]),
                end_section=label == "micro",
            )
    return table


def ner_command(
    corpus: Annotated[str, typer.Argument(help="factrueval, ner-uk or dev")],
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
    out: Annotated[Path | None, typer.Option(help="Also write the result as JSON here.")] = None,
) -> None:
    """Score entity recognition on a labeled corpus and print P/R/F1 per type."""
    from rich.console import Console

    console = Console()
    try:
        result = evaluate_ner(corpus, limit=limit)
    except (ValueError, FileNotFoundError, RuntimeError) as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    console.print(render(result))
    console.print(f"ms per document: {result['ms_per_doc']}")
    for lang, message in result.get("errors", {}).items():
        console.print(f"[yellow]{lang}: tagger failed, scored as empty:[/yellow] {message}")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        console.print(f"written {out}")
