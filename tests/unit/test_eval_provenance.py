"""`storyline eval provenance` counts what a user would: a wrong year apart from a wrong
day, a month that a day refines as consistent, an unknown outlet as missing, not wrong."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from paths import DEV, TRAIN
from storyline.evaluation.provenance import evaluate, judge_date, read_manifest, story_years

LANGS = ("ru", "uk", "en")


def test_dates_are_judged_at_the_coarser_precision() -> None:
    assert judge_date("2022-01-26", "2022-01-26") == "exact"
    assert judge_date("2022-01", "2022-01-26") == "consistent"
    assert judge_date("2022-01-26", "2022-01") == "consistent"
    assert judge_date("2022-01-26", "2022-01-25") == "wrong"
    assert judge_date("2022-01-26", "2025-03") == "wrong_year"
    assert judge_date("2022-01-26", None) == "missing"


def test_story_years_come_from_the_corpus_own_story_list() -> None:
    years = story_years(TRAIN / "stories.md")
    assert 2008 in years["DS1"] and 2014 in years["DS5"]
    # the Skripal storyline of 2018: a page of it dated 2025 (a crawl date) is in another year
    assert 2018 in years["AS5-spiez-bz-dispute-0415"] and 2025 not in years["AS5"]


def test_a_page_with_a_planted_wrong_gold_is_counted_wrong(tmp_path: Path) -> None:
    # three real dev pages; the gold of one is moved three years, another's outlet renamed
    rows = [json.loads(line) for line in (DEV / "manifest.jsonl").read_text().splitlines()]
    chosen = [r for r in rows if r["published"] and len(r["published"]) == 10][:3]
    (tmp_path / "articles").mkdir()
    for r in chosen:
        shutil.copy(DEV / "articles" / f"{r['id']}.txt", tmp_path / "articles")
    chosen[0] = {
        **chosen[0],
        "published": str(int(chosen[0]["published"][:4]) - 3) + chosen[0]["published"][4:],
    }
    chosen[1] = {**chosen[1], "outlet": "not-this-outlet.example"}
    (tmp_path / "manifest.jsonl").write_text("\n".join(json.dumps(r) for r in chosen))
    result = evaluate(read_manifest(tmp_path / "manifest.jsonl"), "urls", LANGS).as_dict()
    dates, outlets = result["dates"], result["outlets"]
    assert isinstance(dates, dict) and isinstance(outlets, dict)
    assert dates["wrong_year"] == 1 and dates["exact"] + dates["consistent"] == 2
    assert (outlets["right"], outlets["wrong"], outlets["precision"]) == (2, 1, 0.6667)
