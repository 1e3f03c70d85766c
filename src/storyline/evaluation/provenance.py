"""How far a page's provenance can be trusted: ``storyline eval provenance``.

For every page of a labeled manifest (``{"id", "url", "outlet", "published",
"title", …}`` per line, pages in ``articles/<id>.txt`` beside it) the extractor
runs as ingest would, in two settings:

* ``text``: the page's text alone, as a plain-text dump is ingested;
* ``urls``: the text with its address, as a JSONL record or a sidecar manifest
  with a ``url`` gives it;
* ``stored``: the text alone, ingested into a scratch store — annotated, placed in a
  storyline and, where the page states no date, dated by it — and read back (the
  default runs ``text`` and ``urls``; this one takes minutes).

Each page with a gold value is scored:

* **publication date** — *exact* (same value at the same precision), *consistent*
  (agrees at the coarser of the two precisions: a day inside a gold month, the
  gold day's month), *wrong* (disagrees; a wrong *year* is counted apart, since
  that is what sends a page to another storyline), or *missing*. Gold dates the
  page's text itself shows are scored apart from those only its address shows:
  from text alone, the latter cannot be known.
* **outlet** — right (the same outlet as the gold domain, through the outlet
  registry), wrong, or missing (an unknown publisher stays unknown: that is not
  an error, a wrong one is). A page hosted on a platform (the registry's kind
  ``aggregator``: dzen.ru) that names its real publisher is counted apart as
  ``platform``, neither right nor wrong.
* **title** — exact (as the page prints it, spaces folded), where the gold has one;
  a title we find on a page whose gold has none is counted as *spurious*.

Pages the gold leaves undated but we date are checked against the years their story
or event happened in (``stories.md``): a date in another year is counted as
``dated_without_gold_in_another_year`` — a wrong year the gold cannot see.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from storyline.config import Settings
from storyline.display import iso_at_precision
from storyline.document import Article, RawDocument
from storyline.evaluation.corpus import shared_dir
from storyline.extract.article import extract_article
from storyline.extract.outlet import same_outlet
from storyline.nlp.dates import find_written_dates
from storyline.outlets import registry

MODES = ("text", "urls", "stored")


@dataclass(frozen=True, slots=True)
class GoldPage:
    id: str
    path: Path
    url: str | None
    outlet: str | None
    published: str | None
    title: str | None
    has_title_field: bool
    notes: str | None = None
    years: frozenset[int] = frozenset()
    """The years its story or event happened in (``stories.md``), when it names any."""


def story_years(stories_md: Path) -> dict[str, frozenset[int]]:
    """Story and event id → the years its line in ``stories.md`` names ("- DS1 — …, 8–26 Aug
    2008"): what a page of it can plausibly be dated, whatever its gold says."""
    years: dict[str, frozenset[int]] = {}
    if not stories_md.exists():
        return years
    for line in stories_md.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*- (\S+) — (.*)", line)
        if m:
            found = {int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", m.group(2))}
            if found:
                years[m.group(1)] = frozenset(found | {max(found) + 1})
    return years


def read_manifest(manifest: Path) -> list[GoldPage]:
    known = story_years(manifest.parent / "stories.md")
    pages = []
    with manifest.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row: dict[str, Any] = json.loads(line)
            pages.append(
                GoldPage(
                    id=str(row["id"]),
                    path=manifest.parent / "articles" / f"{row['id']}.txt",
                    url=row.get("url"),
                    outlet=row.get("outlet"),
                    published=row.get("published"),
                    title=row.get("title"),
                    has_title_field="title" in row,
                    notes=row.get("notes"),
                    years=known.get(
                        row.get("event") or "", known.get(row.get("story") or "", frozenset())
                    ),
                )
            )
    return pages


def predicted_value(article: Article) -> str | None:
    """The publication date at its own precision, in the manifest's notation (a day
    without its time)."""
    value = iso_at_precision(article.published, article.published_precision)
    return value[:10] if value else None


def judge_date(gold: str, predicted: str | None) -> str:
    """``exact``, ``consistent``, ``wrong_year``, ``wrong`` or ``missing``."""
    if predicted is None:
        return "missing"
    if predicted == gold:
        return "exact"
    n = min(len(gold), len(predicted))
    if gold[:n] == predicted[:n]:
        return "consistent"
    if gold[:4] != predicted[:4]:
        return "wrong_year"
    return "wrong"


def text_shows(text: str, gold: str, notes: str | None = None) -> bool:
    """Whether the page's text prints the gold date, as opposed to a date only its
    address carries: the text writes it with its year, or the annotator's notes say
    the date was read from the text ("Date from text (…)", "from URL and text")."""
    if notes and _FROM_TEXT.search(notes):
        return True
    target = date.fromisoformat(gold + "-01" if len(gold) == 7 else gold)
    for w in find_written_dates(text):
        if w.year != target.year or w.month != target.month:
            continue
        if len(gold) == 7 or w.day == target.day:
            return True
    return False


_FROM_TEXT = re.compile(r"\bfrom\b[^.;]{0,20}\btext\b", re.IGNORECASE)


def _is_platform(outlet: str) -> bool:
    known = registry().by_host(outlet)
    return known is not None and known.kind == "aggregator"


def _fold(text: str | None) -> str:
    return " ".join((text or "").split())


@dataclass
class ModeResult:
    dates: Counter[str] = field(default_factory=Counter)
    dates_in_text: Counter[str] = field(default_factory=Counter)
    undated_gold_predicted: int = 0
    implausible_years: int = 0
    outlets: Counter[str] = field(default_factory=Counter)
    titles: Counter[str] = field(default_factory=Counter)
    evidence: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        def rates(c: Counter[str], keys: Iterable[str]) -> dict[str, object]:
            total = sum(c.values())
            ok = c.get("exact", 0) + c.get("consistent", 0)
            return {
                **{k: c.get(k, 0) for k in keys},
                "total": total,
                "consistent_rate": _ratio(ok, total),
            }

        date_keys = ("exact", "consistent", "wrong", "wrong_year", "missing")
        o, t = self.outlets, self.titles
        return {
            "dates": rates(self.dates, date_keys),
            "dates_shown_in_text": rates(self.dates_in_text, date_keys),
            "dated_without_gold": self.undated_gold_predicted,
            "dated_without_gold_in_another_year": self.implausible_years,
            "outlets": {
                **dict(o),
                "precision": _ratio(o["right"], o["right"] + o["wrong"]),
                "recall": _ratio(o["right"], sum(o.values())),
            },
            "titles": {
                **dict(t),
                "exact_rate": _ratio(t["exact"], t["exact"] + t["wrong"] + t["missing"]),
            },
            "evidence": dict(self.evidence),
            "errors": self.errors,
        }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def stored_articles(pages: Sequence[GoldPage], languages: tuple[str, ...]) -> dict[str, Article]:
    """Each page as ingest stores it — extracted, annotated, placed in a storyline and
    dated by it where the page states no date — from a scratch SQLite store. The pages
    are copied alone (no manifest beside them), as plain text dumps are kept."""
    from storyline.ingest import ingest
    from storyline.store import Store

    with tempfile.TemporaryDirectory(prefix="storyline-provenance-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for page in pages:
            shutil.copy(page.path, folder / page.path.name)
        settings = Settings.from_env(db_url=f"sqlite:///{tmp}/store.db", languages=languages)
        with Store.open(settings.db_url) as store:
            ingest([str(folder)], store, settings, on_wait=None)
            return {Path(a.source).stem: a for a in store.articles()}


def evaluate(
    pages: Sequence[GoldPage], mode: str, languages: tuple[str, ...], *, verbose: bool = False
) -> ModeResult:
    result = ModeResult()
    stored = stored_articles(pages, languages) if mode == "stored" else {}
    for page in pages:
        data = page.path.read_bytes()
        if mode == "stored":
            article = stored[page.path.stem]
        else:
            raw = RawDocument(str(page.path), data, url=page.url if mode == "urls" else None)
            article = extract_article(raw, languages=languages)
        predicted = predicted_value(article)
        result.evidence[article.published_evidence or "none"] += 1
        if page.published:
            verdict = judge_date(page.published, predicted)
            result.dates[verdict] += 1
            shown = text_shows(data.decode("utf-8", "replace"), page.published, page.notes)
            if shown:
                result.dates_in_text[verdict] += 1
            if verdict.startswith("wrong"):
                result.errors.append(
                    f"{page.id} date {verdict}: gold {page.published}, got {predicted}"
                    f" ({article.published_evidence})"
                )
            elif verbose and verdict == "missing":
                where = "shown in its text" if shown else "not in its text"
                result.errors.append(f"{page.id} date missing: gold {page.published}, {where}")
        elif predicted is not None:
            result.undated_gold_predicted += 1
            if page.years and article.published and article.published.year not in page.years:
                result.implausible_years += 1
                result.errors.append(
                    f"{page.id} no gold date; dated {predicted} ({article.published_evidence}),"
                    f" its story is of {sorted(page.years)[:-1]}"
                )
        if page.outlet:
            if article.outlet is None:
                result.outlets["missing"] += 1
            elif same_outlet(article.outlet, page.outlet):
                result.outlets["right"] += 1
            elif _is_platform(page.outlet):
                # a page on a platform (dzen.ru) names its real publisher in its text
                result.outlets["platform"] += 1
            else:
                result.outlets["wrong"] += 1
                result.errors.append(
                    f"{page.id} outlet wrong: gold {page.outlet}, got {article.outlet}"
                )
        if page.has_title_field:
            if page.title is None:
                result.titles["spurious" if article.title else "none_right"] += 1
            elif article.title is None:
                result.titles["missing"] += 1
            elif _fold(article.title) == _fold(page.title):
                result.titles["exact"] += 1
            else:
                result.titles["wrong"] += 1
                if verbose:
                    result.errors.append(
                        f"{page.id} title wrong: gold {page.title!r}, got {article.title!r}"
                    )
    return result


def default_manifests() -> list[Path]:
    root = shared_dir() / "corpus"
    return [root / "dev" / "manifest.jsonl", root / "train" / "manifest.jsonl"]


def provenance_command(
    gold: list[Path] = typer.Option(  # noqa: B008 - typer's idiom
        None, "--gold", help="Manifest(s) to score; default: the dev and train corpora."
    ),
    mode: list[str] = typer.Option(  # noqa: B008
        None,
        "--mode",
        help="text (page alone), urls (page with its address), stored (text ingested "
        "into a scratch store, storyline dates included); default: text and urls.",
    ),
    out: Path | None = typer.Option(  # noqa: B008
        None, "--out", help="Write the figures as JSON here."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every miss."),
) -> None:
    """Publication date, outlet and title of every labeled page against the gold."""
    console = Console(width=140)
    languages = Settings().languages
    report: dict[str, dict[str, object]] = {}
    table = Table(title="provenance")
    for column in (
        "corpus",
        "mode",
        "dates ok",
        "in-text ok",
        "wrong",
        "wrong year",
        "missing",
        "outlet P",
        "outlet R",
        "titles exact",
    ):
        table.add_column(column)
    for manifest in gold or default_manifests():
        pages = read_manifest(manifest)
        name = manifest.parent.name
        for m in mode or MODES[:2]:
            if m not in MODES:
                raise typer.BadParameter(f"unknown mode {m!r}: use one of {', '.join(MODES)}")
            result = evaluate(pages, m, languages, verbose=verbose)
            figures = result.as_dict()
            report[f"{name}/{m}"] = figures
            d, t = figures["dates"], figures["dates_shown_in_text"]
            o, ti = figures["outlets"], figures["titles"]
            assert isinstance(d, dict) and isinstance(t, dict)
            assert isinstance(o, dict) and isinstance(ti, dict)
            table.add_row(
                name,
                m,
                f"{d['exact'] + d['consistent']}/{d['total']}",
                f"{t['exact'] + t['consistent']}/{t['total']}",
                str(d["wrong"]),
                str(d["wrong_year"]),
                str(d["missing"]),
                str(o["precision"]),
                str(o["recall"]),
                str(ti["exact_rate"]),
            )
            for line in result.errors:
                console.print(f"  {name}/{m}: {line}", markup=False, highlight=False)
    console.print(table)
    if out is not None:
        out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
