"""How well dates are found and put on the calendar: ``storyline eval dates``.

Gold lines are ``{"id", "text", "value"}`` in text order without offsets (the dev
corpus's ``gold_dates.jsonl``; ``eval/gold/seed_dates.jsonl`` for the seeds). Each
gold mention is placed at the next occurrence of its text in the article; a
mention we find counts when it overlaps that place and has the same value, so
«7 декабря 2021 года» against gold «7 декабря 2021» is a hit and a right span
with a wrong year is a miss and a false hit.

Extraction runs on the raw file text with the publication date as the pipeline
knows it: the page's printed or crawler date (:func:`extract_text`), else the
estimate from its own text (:func:`infer_published`). Only a day-precise date is
passed as ``published``; a month-precise estimate is an ``anchor``. The gold
resolves years a page leaves out "from the story", so a page with no date of its
own is given its story's date as the anchor — the median publication day of the
other pages of its story (stories from the dev manifest, as the assemble stage
would give them; the five seeds are one story). The ``page_only`` score leaves
the story out. For the seeds, ``given_published`` scores against the
publication dates written in the seed gold, which isolates date normalization
from publication-date inference.

A third check: phrases that are durations or years («через вісім років»,
«около четырех часов», «1997 року», «25 років», …) and every duration found in
the scored pages must not become a day date.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from storyline import resources
from storyline.assemble.stories import default_weights
from storyline.evaluation.corpus import repo_root, shared_dir
from storyline.evaluation.scoring import score
from storyline.evaluation.stories import dev_inputs, run
from storyline.extract.published import infer_published
from storyline.extract.text import extract_text
from storyline.nlp.annotations import DateMention
from storyline.nlp.dates import find_dates
from storyline.nlp.durations import find_durations

CORPORA = ("dev", "seeds", "relative")
TARGET = 0.95

FALSE_HIT_PHRASES = (
    "Він наголосив, що це сталося через вісім років після того, як вона окупувала Крим.",
    "Переговоры продлились около четырех часов.",
    "Держави, які увійшли до складу Альянсу після 1997 року.",
    "Вернуть войска к рубежам 1997 года.",
    "За останні 25 років до Альянсу вступили нові країни.",
    "Перемовини тривали майже вісім годин.",
    "Они продолжались приблизительно 7,5 часов.",
    "Встреча завершится примерно через три часа.",
    "Talks lasted 1.5 hours.",
    "Через 5 годин вода дістане критичного рівня.",
    "Переговоры продлились 1,5 часа.",
    "The bridge was built over 2 years.",
)
"""Durations and years, each in a sentence, for the false-hit check (a page of 12 Jan 2022)."""


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    text: str
    story: str | None
    lang: str | None
    published: date | None
    """Day-precise publication date as the pipeline knows it."""
    estimate: date | None
    """A month-precise estimate, when that is all the page gives."""
    given: date | None = None
    """The publication date the gold states (seeds only)."""
    article: str = ""
    """Title, lead and body as the extractor keeps them: what the pipeline annotates."""


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def known_published(raw: str) -> tuple[date | None, date | None]:
    """(day-precise date, month-precise estimate) of a page, as the pipeline would know them."""
    extraction = extract_text(raw)
    when: datetime | None = extraction.published
    precision = extraction.published_precision
    if when is None:
        when, precision = infer_published(raw)
    if when is None:
        return None, None
    if precision in ("day", "minute", "second", "hour"):
        return when.date(), None
    return None, when.date()


def _page(id_: str, raw: str, story: str | None, lang: str | None, given: date | None) -> Page:
    published, estimate = known_published(raw)
    kept = extract_text(raw)
    article = "\n\n".join(filter(None, (kept.title, kept.lead, kept.text)))
    return Page(id_, raw, story, lang, published, estimate, given, article)


def _dev_pages(shared: Path) -> tuple[list[Page], dict[str, list[dict[str, Any]]]]:
    root = shared / "corpus" / "dev"
    gold: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _read_jsonl(root / "gold_dates.jsonl"):
        gold[row["id"]].append(row)
    pages = []
    for row in _read_jsonl(root / "manifest.jsonl"):
        raw = (root / "articles" / f"{row['id']}.txt").read_text(encoding="utf-8")
        pages.append(_page(row["id"], raw, row.get("story"), row.get("lang"), None))
    return pages, dict(gold)


def _seed_pages(shared: Path, gold_path: Path) -> tuple[list[Page], dict[str, list[dict]]]:
    gold: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _read_jsonl(gold_path):
        gold[row["id"]].append(row)
    pages = []
    for path in sorted((shared / "seeds").glob("*.txt")):
        id_ = path.name.split("_")[0]
        given = gold[id_][0].get("published") if gold.get(id_) else None
        raw = path.read_text(encoding="utf-8")
        pages.append(_page(id_, raw, "seeds", None, date.fromisoformat(given) if given else None))
    return pages, dict(gold)


def story_anchors(pages: Iterable[Page]) -> dict[str, date]:
    """Per page id: the median day-precise publication date of the *other* pages of its story."""
    by_story: dict[str, list[tuple[str, date]]] = defaultdict(list)
    pages = list(pages)
    for p in pages:
        if p.story and p.published:
            by_story[p.story].append((p.id, p.published))
    anchors = {}
    for p in pages:
        days = sorted(d for i, d in by_story.get(p.story or "", []) if i != p.id)
        if days:
            anchors[p.id] = days[(len(days) - 1) // 2]
    return anchors


def _gold_spans(text: str, rows: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Where each gold mention is: its text's next occurrence after the previous mention's start."""
    spans, cursor = [], 0
    for row in rows:
        pattern = re.compile(rf"(?<!\w){re.escape(row['text'])}(?!\w)")
        m = pattern.search(text, cursor) or pattern.search(text)
        if m is None:
            spans.append((-1, -1))
            continue
        spans.append((m.start(), m.end()))
        cursor = m.start() + 1
    return spans


def match(
    text: str, rows: list[dict[str, Any]], found: Iterable[DateMention]
) -> tuple[dict[int, DateMention], list[DateMention], int]:
    """(gold index → our matching mention, our unmatched mentions, text mismatches among hits)."""
    spans = _gold_spans(text, rows)
    hits: dict[int, DateMention] = {}
    unmatched: list[DateMention] = []
    for mention in found:
        for i, (start, end) in enumerate(spans):
            if i in hits or not (mention.start < end and start < mention.end):
                continue
            if mention.value == rows[i]["value"]:
                hits[i] = mention
                break
        else:
            unmatched.append(mention)
    mismatched = sum(1 for i, m in hits.items() if m.text != rows[i]["text"])
    return hits, unmatched, mismatched


def _is_today_word(mention: DateMention) -> bool:
    """A word for the publication day itself («сегодня», "today", "tonight"): the dev gold
    was annotated without them, so they are neither hits nor false hits there; the
    ``relative`` corpus scores them."""
    return mention.kind == "relative" and " ".join(mention.text.casefold().split()) in _today()


@cache
def _today() -> frozenset[str]:
    """The phrases ``relative_dates.json`` gives the publication day itself ([day, 0])."""
    return frozenset(
        phrase
        for table in resources.load("relative_dates").values()
        for phrase, (unit, offset) in table.get("phrases", {}).items()
        if unit == "day" and offset == 0
    )


def _run(pages: list[Page], gold: dict[str, list[dict[str, Any]]], mode: str) -> dict[str, Any]:
    anchors = story_anchors(pages) if mode in ("story", "article") else {}
    gold_items, predicted, misses, false_hits = [], [], [], []
    mismatched, seconds, scored, unresolved, unannotated = 0, 0.0, 0, 0, 0
    noted, noted_found = 0, 0
    for page in pages:
        rows = gold.get(page.id)
        if rows is None:
            continue
        text = page.text
        if mode in ("article", "article_given"):  # only what extraction keeps is scored
            text = page.article
            spans = _gold_spans(text, rows)
            rows = [r for r, span in zip(rows, spans, strict=True) if span[0] >= 0]
        published = page.given if mode in ("given", "article_given") else page.published
        anchor = None if published else anchors.get(page.id, page.estimate)
        started = time.perf_counter()
        found = find_dates(text, published, page.lang, anchor=anchor)
        find_durations(text, page.lang)
        seconds += time.perf_counter() - started
        scored += 1
        hits, unmatched, wrong_text = match(text, rows, found)
        mismatched += wrong_text
        for i, row in enumerate(rows):
            gold_items.append((page.id, i, row["value"]))
            noted += "note" in row
            if i in hits:
                predicted.append((page.id, i, row["value"]))
                noted_found += "note" in row
            else:
                spans = _gold_spans(text, rows)
                near = [m.value for m in found if m.start < spans[i][1] and spans[i][0] < m.end]
                misses.append({**row, "predicted": near, "anchor": str(anchor or published)})
        for m in unmatched:
            if m.value.startswith("--"):  # no year to be had: unresolved, not wrong
                unresolved += 1
                continue
            if _is_today_word(m):  # the dev gold annotates no «сегодня»/"today"
                unannotated += 1
                continue
            predicted.append((page.id, "fp", m.start, m.value))
            false_hits.append({"id": page.id, "text": m.text, "value": m.value, "kind": m.kind})
    result = score(gold_items, predicted).as_dict()
    if noted:  # gold lines whose value the page cannot give (see their "note")
        tp = result["tp"] - noted_found
        result["recall_without_noted"] = round(tp / (len(gold_items) - noted), 4)
    result.update(
        unresolved=unresolved,
        today_words_unannotated=unannotated,
        misses=misses,
        false_hits=false_hits,
        text_mismatches=mismatched,
        articles=scored,
        ms_per_article=round(1000 * seconds / max(scored, 1), 2),
    )
    return result


def false_hit_check(pages: Iterable[Page] = ()) -> dict[str, Any]:
    """Durations and years that became day dates: in :data:`FALSE_HIT_PHRASES` and in ``pages``."""
    reference = date(2022, 1, 12)
    bad: list[dict[str, str]] = []
    for sentence in FALSE_HIT_PHRASES:
        for m in find_dates(sentence, reference):
            if m.grain == "day":
                bad.append({"id": "phrase", "text": m.text, "value": m.value})
    checked = len(FALSE_HIT_PHRASES)
    for page in pages:
        found = find_dates(page.text, page.published or page.given, page.lang)
        for d in find_durations(page.text, page.lang):
            checked += 1
            for m in found:
                if m.grain == "day" and m.start < d.end and d.start < m.end:
                    bad.append({"id": page.id, "text": m.text, "value": m.value})
    return {"checked": checked, "day_dates_from_durations": bad}


def evaluate_dates(
    corpus: str = "dev", shared: Path | None = None, gold: Path | None = None
) -> dict[str, Any]:
    """Scores of :func:`~storyline.nlp.dates.find_dates` on ``corpus`` ("dev" or "seeds").

    ``score`` is the pipeline's view (publication date as known), with the
    story's date for pages without one taken from the corpus's *gold* story labels
    (an upper bound); ``clustered`` takes it from the stories the clusterer forms
    (what ingest stores, dev only); ``page_only`` leaves the story out. For the seeds,
    ``given_published`` uses the gold's publication dates and ``article_only``
    scores only the text extraction keeps (the sidebar of 004 is not article), with the
    story's date as the reference of a page without its own (``article_only``) or with
    the gold's publication dates (``article_given_published``: seed 004 prints none, and
    its «на следующей неделе» can only be resolved from the real one).
    """
    if corpus not in CORPORA:
        raise ValueError(f"corpus must be one of {CORPORA}, not {corpus!r}")
    shared = shared or shared_dir()
    if corpus == "dev":
        pages, gold_rows = _dev_pages(shared)
    else:
        pages, gold_rows = _seed_pages(shared, gold or repo_root() / "eval/gold/seed_dates.jsonl")
    result: dict[str, Any] = {
        "corpus": corpus,
        "gold_mentions": sum(len(r) for r in gold_rows.values()),
        "target": TARGET,
        "score": _run(pages, gold_rows, "story"),
        "page_only": _run(pages, gold_rows, "page"),
    }
    if corpus == "dev":
        result["clustered"] = _run(_clustered(pages, shared), gold_rows, "story")
    if corpus == "seeds":
        result["given_published"] = _run(pages, gold_rows, "given")
        result["article_only"] = _run(pages, gold_rows, "article")
        result["article_given_published"] = _run(pages, gold_rows, "article_given")
    scored = [p for p in pages if p.id in gold_rows]
    result["false_hit_check"] = false_hit_check(scored)
    return result


def _clustered(pages: list[Page], shared: Path) -> list[Page]:
    """``pages`` with the stories the clusterer gives them (manifest order), instead of
    the gold's: the dates the ingest stage actually stores."""

    inputs = dev_inputs(shared / "corpus" / "dev" / "manifest.jsonl")
    predicted = run(inputs, list(inputs), default_weights())
    return [replace(p, story=predicted.get(p.id)) for p in pages]


def _render(result: dict[str, Any], console: Console) -> None:
    table = Table(title=f"dates — {result['corpus']} ({result['gold_mentions']} gold mentions)")
    for column in ("setting", "recall", "precision", "F1", "tp", "fp", "fn", "ms/article"):
        table.add_column(column, justify="left" if column == "setting" else "right")
    settings = [("page + gold story's date", "score"), ("page only", "page_only")]
    if "clustered" in result:
        settings.insert(1, ("page + clustered story's date (as ingested)", "clustered"))
    if "given_published" in result:
        settings.append(("given publication dates", "given_published"))
        settings.append(("article text only + story date", "article_only"))
        settings.append(("article text only + given publication dates", "article_given_published"))
    for label, key in settings:
        s = result[key]
        recall = f"{s['recall']:.3f}"
        if s["recall"] >= result["target"]:
            recall = f"[green]{recall}[/]"
        table.add_row(
            label,
            recall,
            f"{s['precision']:.3f}",
            f"{s['f1']:.3f}",
            str(s["tp"]),
            str(s["fp"]),
            str(s["fn"]),
            str(s["ms_per_article"]),
        )
    console.print(table)
    main = result["score"]
    for title, rows in (("misses", main["misses"]), ("false hits", main["false_hits"])):
        if rows:
            console.print(f"[bold]{title}[/]")
            for row in rows:
                console.print("  " + escape(json.dumps(row, ensure_ascii=False)))
    check = result["false_hit_check"]
    bad = check["day_dates_from_durations"]
    status = "[green]none[/]" if not bad else f"[red]{len(bad)}[/]"
    console.print(f"durations/years that became day dates: {status} ({check['checked']} checked)")


def evaluate_relative(path: Path | None = None) -> dict[str, Any]:
    """Relative and deictic words in real sentences of the dev and train pages, each
    read against its page's publication date (``eval/gold/relative_dates.jsonl``: the
    phrase, the value a reader gives it, or null when it is no date — "Russia Today").
    A phrase is right when a mention overlapping it has that value (or, for null, when
    none overlaps it)."""
    rows = _read_jsonl(path or repo_root() / "eval" / "gold" / "relative_dates.jsonl")
    right, wrong = 0, []
    for row in rows:
        sentence, phrase = row["sentence"], row["phrase"]
        start = sentence.index(phrase)
        end = start + len(phrase)
        found = find_dates(sentence, date.fromisoformat(row["published"]), row["lang"])
        values = [m.value for m in found if m.start < end and start < m.end]
        ok = (not values) if row["value"] is None else row["value"] in values
        right += ok
        if not ok:
            wrong.append({**row, "got": values})
    return {
        "corpus": "relative",
        "phrases": len(rows),
        "right": right,
        "accuracy": round(right / len(rows), 4) if rows else None,
        "wrong": wrong,
    }


def dates_command(
    corpus: str = typer.Argument(
        "dev",
        help="dev (shared/corpus/dev), seeds (shared/seeds) or relative "
        "(eval/gold/relative_dates.jsonl: relative words in real sentences)",
    ),
    out: Path | None = None,
) -> None:
    """Date mentions found with the right normalized value: recall, precision, misses.

    ``--out FILE`` also writes the full result (misses and false hits included) as JSON.
    """
    if corpus not in CORPORA:
        raise typer.BadParameter(f"choose one of {', '.join(CORPORA)}")
    if corpus == "relative":
        result = evaluate_relative()
        console = Console()
        console.print(
            f"relative dates: {result['right']}/{result['phrases']} right "
            f"(accuracy {result['accuracy']})"
        )
        for row in result["wrong"]:
            console.print(
                f"  {row['source']} {row['phrase']!r}: want {row['value']}, got {row['got']}",
                markup=False,
                highlight=False,
            )
    else:
        result = evaluate_dates(corpus)
        _render(result, Console())
    if out is not None:
        out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
