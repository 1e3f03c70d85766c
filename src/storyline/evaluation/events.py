"""How well a story's timeline comes out: ``storyline eval events``.

Gold lines (``eval/gold/seed_events.jsonl``) are the dated happenings the five seeds
report, one per happening however many pages tell it: ``{"id", "type", "date",
"place", "participants", "conflicts", "listed", "note"}``. ``date`` is a day or a
range the sources disagree within («2021-12-15/2021-12-17»); ``place`` and each
participant are alternatives separated by ``|`` in any language («Geneva|Женева»);
``conflicts`` names the attributes the sources contradict each other on; ``listed``
marks the seven events the product brief names.

The seeds go through the real path — ingest into a throwaway SQLite store (extract,
annotate, link, cluster), then :func:`~storyline.assemble.timeline.story_account` for
every story — and the timeline events (events with a date) are paired with the gold:

* **match** — the same type family, dates that refine one another
  (:func:`~storyline.values.dates_compatible`: «January 2022» matches
  21 January, 15 December does not match 17 December), the gold place among the
  event's place names when the gold gives one, and at least one gold participant
  among the event's place and participant names (by the transliteration keys
  quotes are scored with). Pairs are one to one, the closest date first.
* **recall** — gold events matched; **precision** — timeline events matched;
  **split** — timeline events that fit a gold event another event already took
  (one happening shown twice).
* Of the matched: **dated exactly** (the event's date lies inside the gold's),
  **placed** (when the gold has a place), **sourced** (every source sentence is in
  its article), and **conflicts found** (each gold conflict attribute reported).
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from storyline.assemble.timeline import PARTS, StoryAccount, story_account
from storyline.config import Settings
from storyline.evaluation.corpus import repo_root, shared_dir
from storyline.evaluation.quotes import speaker_matches
from storyline.evaluation.scoring import Score
from storyline.ingest import ingest
from storyline.nlp.events import family
from storyline.records import Event
from storyline.store import Store
from storyline.values import dates_compatible, interval


@dataclass(frozen=True)
class GoldEvent:
    id: str
    type: str
    date: str
    place: str | None
    participants: tuple[str, ...]
    conflicts: tuple[str, ...]
    listed: bool
    note: str = ""


@dataclass
class EventReport:
    score: Score
    split: int
    dated_exactly: int
    placed: int
    with_place: int
    sourced: int
    conflicts_expected: int
    conflicts_found: int
    listed: int
    listed_found: int
    seconds: float
    matches: list[dict[str, Any]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    extra: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["score"] = self.score.as_dict()
        return out


def default_gold() -> Path:
    return repo_root() / "eval/gold/seed_events.jsonl"


def read_gold(path: Path) -> list[GoldEvent]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        GoldEvent(
            id=r["id"],
            type=r["type"],
            date=r["date"],
            place=r.get("place"),
            participants=tuple(r.get("participants", ())),
            conflicts=tuple(r.get("conflicts", ())),
            listed=bool(r.get("listed")),
            note=r.get("note", ""),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Ingested:
    accounts: list[StoryAccount]
    texts: dict[tuple[str, str], str]
    """(article id, part) → the text a source's offsets point into."""


def ingest_pages(pages: Path | None = None) -> Ingested:
    """Every story's account after ingesting ``pages`` (the seeds) into a fresh store."""
    pages = pages or shared_dir() / "seeds"
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
        settings = Settings.from_env(db_url=f"sqlite:///{Path(tmp) / 'events.db'}")
        store = Store.open(settings.db_url)
        try:
            ingest([str(pages)], store, settings)
            accounts = [story_account(store, s.id) for s in store.stories(limit=1000)]
            texts = {
                (a.id, part): getattr(a, part) or ""
                for a in store.articles(limit=10_000)
                for part in PARTS
            }
            return Ingested(accounts, texts)
        finally:
            store.close()


def _names(event: Event, entity: str | None) -> list[str]:
    if entity is None:
        return []
    return [n for n in event.names.get(entity, {}).values() if n]


def _named(alternatives: str, names: Iterable[str]) -> bool:
    options = alternatives.split("|")
    return any(speaker_matches(alt, name, None) for alt in options for name in names)


def _fits(gold: GoldEvent, event: Event) -> bool:
    if event.date is None or family(event.type) != family(gold.type):
        return False
    if not dates_compatible(event.date, gold.date):
        return False
    places = _names(event, event.place)
    if gold.place is not None and not _named(gold.place, places):
        return False
    everyone = places + [n for p in event.participants for n in _names(event, p)]
    return not gold.participants or any(_named(p, everyone) for p in gold.participants)


def _exact(gold: GoldEvent, event: Event) -> bool:
    inner, outer = interval(event.date or ""), interval(gold.date)
    return inner is not None and outer is not None and outer[0] <= inner[0] <= inner[1] <= outer[1]


def _width(event: Event) -> int:
    span = interval(event.date or "")
    return (span[1] - span[0]).days if span else 10_000


def _describe(event: Event) -> dict[str, Any]:
    return {"title": event.title("en"), "date": event.date, "sources": len(event.sources)}


def _sourced(event: Event, texts: dict[tuple[str, str], str]) -> bool:
    return bool(event.sources) and all(
        texts.get((s.article_id, s.part), "")[s.start : s.end] == s.sentence for s in event.sources
    )


def evaluate_events(
    gold: Sequence[GoldEvent],
    accounts: Sequence[StoryAccount],
    texts: dict[tuple[str, str], str] | None = None,
) -> EventReport:
    """Pair the timeline events of ``accounts`` with ``gold`` (see the module doc).

    ``texts`` maps (article id, part) to the text a source's offsets point into; without
    it, every event with a source counts as sourced.
    """
    started = time.perf_counter()
    events = [(a, e) for a in accounts for e in a.events if e.date]
    taken: dict[int, str] = {}
    matched: dict[str, int] = {}
    for g in gold:
        fitting = [n for n, (_, e) in enumerate(events) if n not in taken and _fits(g, e)]
        if fitting:
            best = min(fitting, key=lambda n: (not _exact(g, events[n][1]), _width(events[n][1])))
            taken[best] = g.id
            matched[g.id] = best
    split = sum(
        1 for n, (_, e) in enumerate(events) if n not in taken and any(_fits(g, e) for g in gold)
    )
    report = EventReport(
        score=Score(tp=len(matched), fp=len(events) - len(matched), fn=len(gold) - len(matched)),
        split=split,
        dated_exactly=0,
        placed=0,
        with_place=0,
        sourced=0,
        conflicts_expected=0,
        conflicts_found=0,
        listed=sum(g.listed for g in gold),
        listed_found=sum(g.listed and g.id in matched for g in gold),
        seconds=0.0,
    )
    for g in gold:
        if g.id not in matched:
            report.misses.append({"id": g.id, "date": g.date, "note": g.note})
            report.conflicts_expected += len(g.conflicts)
            continue
        account, event = events[matched[g.id]]
        exact = _exact(g, event)
        placed = g.place is not None and _named(g.place, _names(event, event.place))
        sourced = _sourced(event, texts) if texts is not None else bool(event.sources)
        found = {c.attribute for c in account.conflicts.get(event.id, ())}
        report.dated_exactly += exact
        report.with_place += g.place is not None
        report.placed += placed
        report.sourced += sourced
        report.conflicts_expected += len(g.conflicts)
        report.conflicts_found += len(set(g.conflicts) & found)
        report.matches.append(
            {
                "gold": g.id,
                **_describe(event),
                "dated_exactly": exact,
                "placed": placed if g.place is not None else None,
                "conflicts": sorted(found),
                "missing_conflicts": sorted(set(g.conflicts) - found),
            }
        )
    report.extra = [_describe(e) for n, (_, e) in enumerate(events) if n not in taken]
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def events_command(
    gold: Annotated[Path | None, typer.Option(help="Gold (eval/gold/seed_events.jsonl).")] = None,
    pages: Annotated[Path | None, typer.Option(help="Pages to ingest (shared/seeds).")] = None,
    out: Path | None = None,
) -> None:
    """Timeline events against gold events of the seeds: recall, precision, dates, conflicts.

    ``--out FILE`` also writes the full report (matches, misses, extra events) as JSON.
    """
    pages = pages or shared_dir() / "seeds"
    started = time.perf_counter()
    seeds = ingest_pages(pages)
    report = evaluate_events(read_gold(gold or default_gold()), seeds.accounts, seeds.texts)
    report.seconds = round(time.perf_counter() - started, 2)
    s = report.score
    console = Console()
    table = Table(title="events — seeds timeline against gold")
    for column in ("measure", "value"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    rows = [
        ("recall (gold events on the timeline)", f"{s.recall:.3f} ({s.tp}/{s.tp + s.fn})"),
        ("precision (timeline events in the gold)", f"{s.precision:.3f} ({s.tp}/{s.tp + s.fp})"),
        ("F1", f"{s.f1:.3f}"),
        ("events of the brief found", f"{report.listed_found}/{report.listed}"),
        ("shown twice (split)", str(report.split)),
        ("dated exactly", f"{report.dated_exactly}/{s.tp}"),
        ("placed", f"{report.placed}/{report.with_place}"),
        ("every source sentence in its article", f"{report.sourced}/{s.tp}"),
        ("conflicts found", f"{report.conflicts_found}/{report.conflicts_expected}"),
    ]
    for row in rows:
        table.add_row(*row)
    console.print(table)
    for title, items in (("misses", report.misses), ("extra events", report.extra)):
        if items:
            console.print(f"[bold]{title}[/]")
            for item in items:
                console.print("  " + escape(json.dumps(item, ensure_ascii=False)))
    inexact = [m for m in report.matches if not m["dated_exactly"] or m["missing_conflicts"]]
    if inexact:
        console.print("[bold]matched, but not dated exactly or missing a conflict[/]")
        for m in inexact:
            console.print("  " + escape(json.dumps(m, ensure_ascii=False)))
    if out is not None:
        out.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2), "utf-8")
