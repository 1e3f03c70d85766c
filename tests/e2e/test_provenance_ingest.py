"""Provenance as ingest stores it: dates with their evidence, a year the storyline gives
and takes back, publishers from the registry and the sidecar, and the export of it all.

Seed 001 prints «26 січня» and no year. Ingested alone, it has no date; once the
other seeds (9–12 January 2022, dated by their own pages) join its storyline, the
storyline dates it 26 January 2022, marked inferred, and the storyline's own dates
are not moved by that inference.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paths import SEEDS
from storyline.cli import app
from storyline.store import Store

runner = CliRunner()


def _ingest(db: str, *paths: Path | str) -> None:
    result = runner.invoke(app, ["ingest", *map(str, paths), "--db", db, "-q"])
    assert result.exit_code == 0, result.output


def _by_seed(store: Store) -> dict[str, object]:
    return {Path(a.source).name[:3]: a for a in store.articles()}


@pytest.fixture()
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def test_a_yearless_page_is_dated_by_its_storyline_once_it_has_one(
    seeds: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    first = next(seeds.glob("001_*.txt"))
    _ingest(db, first)
    with Store.open(db) as store:
        alone = _by_seed(store)["001"]
        assert alone.published is None  # no year anywhere on the page: no guess

    _ingest(db, seeds)
    with Store.open(db) as store:
        pages = _by_seed(store)
        dated = pages["001"]
        assert (dated.published, dated.published_precision) == (datetime(2022, 1, 26), "day")
        assert dated.published_inferred and dated.published_evidence == "storyline"
        # the pages that state their date keep it, with the evidence that gave it
        assert pages["002"].published_evidence == "page"
        assert pages["000"].published_evidence == "reporting"
        # a storyline's own dates come from what its pages state, not from what it gave
        story = store.story(store.story_of(dated.id))
        assert story is not None and str(story.first_published) == "2022-01-09"


def test_the_sidecar_and_the_registry_name_the_publisher_and_export_says_so(
    seeds: Path, tmp_path: Path
) -> None:
    rows = [
        {"file": p.name, "url": url}
        for p, url in zip(
            sorted(seeds.glob("*.txt")),
            [
                "https://ria.ru/20220112/garantii-1767446532.html",
                "https://www.depo.ua/ukr/svit/stoltenberg-202201261442",
                "https://www.radiosvoboda.org/a/news-zheneva/31647000.html",
                "https://ria.ru/20220109/ryabkov-1767057384.html",
                "https://iz.ru/1278451/2022-01-21/lavrov",
            ],
            strict=True,
        )
    ]
    (seeds / "manifest.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    _ingest(db, seeds)
    result = runner.invoke(app, ["export", "--db", db, "--what", "articles"])
    assert result.exit_code == 0, result.output
    records = {Path(r["source"]).name[:3]: r for r in map(json.loads, result.output.splitlines())}
    assert len(records) == 5  # the manifest is read, not ingested
    assert records["001"]["outlet"] == "depo.ua" and records["001"]["outlet_name"] == "Depo.ua"
    assert records["002"]["outlet"] == "radiosvoboda.org"
    # seed 004's address dates it: the URL beats what its text suggests
    assert records["004"]["published"].startswith("2022-01-21")
    assert records["004"]["published_evidence"] == "url"
    # who a page cites is kept apart from who published it
    assert "tass.ru" in records["000"]["cites"] and records["000"]["outlet"] == "ria.ru"


def test_a_crawl_date_years_away_from_its_storyline_gives_way_to_it(
    seeds: Path, tmp_path: Path
) -> None:
    # seed 001 as a crawler saved it three years later: " date 2025-03" glued to its top
    page = next(seeds.glob("001_*.txt"))
    page.write_text(" date 2025-03 " + page.read_text(encoding="utf-8"), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    _ingest(db, page)
    with Store.open(db) as store:
        alone = _by_seed(store)["001"]
        assert (alone.published, alone.published_evidence) == (datetime(2025, 3, 1), "crawler")
        assert alone.published_inferred  # a crawler's token is weak evidence

    _ingest(db, seeds)
    with Store.open(db) as store:
        dated = _by_seed(store)["001"]
        assert (dated.published, dated.published_evidence) == (datetime(2022, 1, 26), "storyline")
