"""Display names and types of the entities a corpus makes (``storyline eval names``).

Every page of the chosen corpora (dev and train by default) is extracted, annotated and
linked with one :class:`~storyline.assemble.linking.EntityLinker`, as an ingest of them
all would. Two things are then read off the linker's entities:

* **the most mentioned entities' display names**, each with a verdict from the review
  ledger ``eval/gold/entity_names.json``: a person reviewed the names these corpora gave
  and wrote down, per display name, whether it is the standard English name (``ok``),
  which name is (``"Pekin": "Beijing"``), or that it is no name at all (``junk``: «СМИ»).
  A name nobody reviewed yet is ``unreviewed``: counted apart, never guessed. The ledger
  judges names, not pages, so a name that comes out right after a change needs no new
  review if the ledger already knows it.
* **people under two types**: display names of persons that another entity of another
  type also carries (an ORG "Lavrov" beside the person Lavrov), the split a reader sees
  as one person listed twice.

The review list is written to ``eval/results/entity-names-review.json`` and ``.md``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from storyline.assemble.linking import EntityLinker
from storyline.evaluation.corpus import repo_root, shared_dir
from storyline.nlp import names as nm

CORPORA = ("dev", "train")
LEDGER = Path("eval") / "gold" / "entity_names.json"


@dataclass(frozen=True, slots=True)
class Reviewed:
    id: str
    name: str
    type: str
    mentions: int
    types: dict[str, int]
    """Tagger type → mentions linked to this entity under it."""
    names: dict[str, str]
    verdict: str
    """``ok``, ``non-standard``, ``junk`` or ``unreviewed``."""
    standard: str | None
    """The standard English name, for a non-standard one."""


@dataclass(slots=True)
class NamesReport:
    pages: int
    entities: int
    top: list[Reviewed]
    two_types: list[tuple[str, list[str]]]
    """Person display names also carried by entities of other types: name → those types."""

    def count(self, verdict: str) -> int:
        return sum(r.verdict == verdict for r in self.top)

    def as_dict(self) -> dict[str, object]:
        return {
            "pages": self.pages,
            "entities": self.entities,
            "top": len(self.top),
            "non_standard": self.count("non-standard"),
            "junk": self.count("junk"),
            "unreviewed": self.count("unreviewed"),
            "persons_under_two_types": len(self.two_types),
            "two_types": [{"name": n, "types": t} for n, t in self.two_types],
            "entities_reviewed": [
                {
                    "name": r.name,
                    "type": r.type,
                    "mentions": r.mentions,
                    "tagged": r.types,
                    "verdict": r.verdict,
                    **({"standard": r.standard} if r.standard else {}),
                    "names": r.names,
                }
                for r in self.top
            ],
        }


def read_ledger(path: Path | None = None) -> dict[str, str]:
    """Display name → ``ok`` or the standard English name (the ledger's ``names``)."""
    path = path or repo_root() / LEDGER
    return dict(json.loads(path.read_text(encoding="utf-8"))["names"])


def _pages(corpus: str) -> list[Path]:
    folder = shared_dir() / "corpus" / corpus
    manifest = folder / "manifest.jsonl"
    with manifest.open(encoding="utf-8") as f:
        ids = [json.loads(line)["id"] for line in f if line.strip()]
    return [folder / "articles" / f"{i}.txt" for i in ids]


def link_corpora(corpora: Sequence[str] = CORPORA) -> tuple[EntityLinker, Counter, dict]:
    """The linker after every page of ``corpora`` (manifest order), the mentions linked to
    each entity, and per entity the tagger types of those mentions."""
    from storyline.config import Settings
    from storyline.document import RawDocument
    from storyline.extract.article import extract_article
    from storyline.nlp.pipeline import annotate

    languages = Settings().languages
    linker = EntityLinker()
    mentions: Counter[str] = Counter()
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for corpus in corpora:
        for path in _pages(corpus):
            article = extract_article(
                RawDocument(str(path), path.read_bytes()), languages=languages
            )
            notes = annotate(article)
            ids = linker.link_article(article.id, notes.entities, article.text)
            for mention, eid in zip(notes.entities, ids, strict=True):
                if eid:
                    mentions[eid] += 1
                    types[eid][mention.type] += 1
    return linker, mentions, types


def two_types(linker: EntityLinker) -> list[tuple[str, list[str]]]:
    """Person display names that entities of another type also carry (by matching key)."""
    by_key: dict[str, set[str]] = defaultdict(set)
    shown: dict[str, str] = {}
    for entity in linker.entities():
        key = nm.match_key(entity.name)
        if key:
            by_key[key].add(entity.type)
            if entity.type == "PER":
                shown[key] = entity.name
    return sorted(
        (shown[k], sorted(t - {"PER"})) for k, t in by_key.items() if "PER" in t and len(t) > 1
    )


def review_names(
    corpora: Sequence[str] = CORPORA, top: int = 200, ledger: dict[str, str] | None = None
) -> NamesReport:
    """The ``top`` most mentioned entities of ``corpora`` with the ledger's verdicts."""
    ledger = read_ledger() if ledger is None else ledger
    linker, mentions, types = link_corpora(corpora)
    rows = []
    for eid, count in mentions.most_common(top):
        entity = linker.entity(eid)
        said = ledger.get(entity.name)
        plain = said in (None, "ok", "junk")
        verdict = (said or "unreviewed") if plain else "non-standard"
        rows.append(
            Reviewed(
                id=eid,
                name=entity.name,
                type=entity.type,
                mentions=count,
                types=dict(types[eid].most_common()),
                names=dict(entity.names),
                verdict=verdict,
                standard=said if verdict == "non-standard" else None,
            )
        )
    pages = sum(len(_pages(c)) for c in corpora)
    return NamesReport(pages, len(linker.entities()), rows, two_types(linker))


def markdown(report: NamesReport) -> str:
    lines = [
        f"# Display names of the {len(report.top)} most mentioned entities",
        "",
        f"{report.pages} pages, {report.entities} entities. Non-standard: "
        f"{report.count('non-standard')}; junk: {report.count('junk')}; unreviewed: "
        f"{report.count('unreviewed')}; "
        f"persons under two types: {len(report.two_types)}.",
        "Regenerate: `storyline eval names` (verdicts from `eval/gold/entity_names.json`).",
        "",
        "| # | name | type | mentions | tagged | verdict | ru / uk |",
        "|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(report.top, 1):
        verdict = f"non-standard → {r.standard}" if r.standard else r.verdict
        tagged = ", ".join(f"{t} {n}" for t, n in r.types.items())
        native = " / ".join(r.names[lang] for lang in ("ru", "uk") if lang in r.names)
        lines.append(
            f"| {i} | {r.name} | {r.type} | {r.mentions} | {tagged} | {verdict} | {native} |"
        )
    if report.two_types:
        lines += ["", "## Persons under two types", ""]
        lines += [f"- {name}: also {', '.join(t)}" for name, t in report.two_types]
    return "\n".join(lines) + "\n"


def names_command(
    corpora: Annotated[str, typer.Option(help="comma-separated corpora")] = ",".join(CORPORA),
    top: Annotated[int, typer.Option(help="how many entities, most mentioned first")] = 200,
    out: Annotated[
        Path | None, typer.Option(help="write the review as OUT.json and OUT.md")
    ] = Path("eval/results/entity-names-review"),
) -> None:
    """Display names of the most mentioned entities with the review ledger's verdicts, and
    the persons stored under two types."""
    chosen = tuple(c.strip() for c in corpora.split(",") if c.strip())
    report = review_names(chosen, top)
    print(
        f"{report.pages} pages, {report.entities} entities; top {len(report.top)}: "
        f"non-standard {report.count('non-standard')}, junk {report.count('junk')}, unreviewed "
        f"{report.count('unreviewed')}; persons under two types: {len(report.two_types)}"
    )
    for r in report.top:
        if r.verdict != "ok":
            standard = f" → {r.standard}" if r.standard else ""
            print(f"  {r.verdict}: {r.name} ({r.type}, {r.mentions}){standard}")
    if out is not None:
        data = json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
        out.with_suffix(".json").write_text(data + "\n", encoding="utf-8")
        out.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
