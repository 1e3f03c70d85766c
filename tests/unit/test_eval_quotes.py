"""The quote evaluation (storyline.evaluation.quotes) on the seeds and the dev gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paths import DEV, SEEDS, TRAIN
from storyline.evaluation.quotes import (
    QuoteReport,
    default_gold,
    default_pages,
    evaluate_quotes,
    linked_speaker_matches,
    speaker_matches,
    text_matches,
    write_report,
)

pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="shared seeds not available")


@pytest.fixture(scope="module")
def seeds() -> QuoteReport:
    return evaluate_quotes(default_gold("seeds"), SEEDS)


def test_seed_gold_is_well_formed() -> None:
    rows = [json.loads(x) for x in default_gold("seeds").read_text(encoding="utf-8").splitlines()]
    assert {r["id"] for r in rows} == {p.name[:3] for p in SEEDS.glob("*.txt")}
    assert all(set(r) == {"id", "speaker", "quote"} and r["quote"] for r in rows)


_OWN_SETS = ("train", "train2", "heldout", "train3")


@pytest.mark.skipif(not (TRAIN / "manifest.jsonl").exists(), reason="train corpus not available")
@pytest.mark.parametrize("corpus", ["heldout", "train3"])
def test_unseen_gold_parses_and_names_only_train_pages_no_other_own_set_holds(corpus: str) -> None:
    rows = [json.loads(x) for x in default_gold(corpus).read_text(encoding="utf-8").splitlines()]
    assert rows and all(
        set(r) == {"id", "speaker", "quote"} and r["quote"] and r["speaker"] for r in rows
    )
    manifest = [
        json.loads(x)
        for x in (TRAIN / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        if x
    ]
    lang = {m["id"]: m["lang"] for m in manifest}
    story = {m["id"]: m["story"] for m in manifest}
    pages = default_pages(corpus)
    assert pages.resolve() == (TRAIN / "articles").resolve()
    ids = {r["id"] for r in rows}
    assert all((pages / f"{i}.txt").exists() for i in ids)
    for r in rows:  # each quote is on its page, word for word
        assert r["quote"] in (pages / f"{r['id']}.txt").read_text(encoding="utf-8"), r
    # 5 pages per language, one storyline each, none of the pages another own set holds
    assert sorted(lang[i] for i in ids) == ["en"] * 5 + ["ru"] * 5 + ["uk"] * 5
    assert len({story[i] for i in ids}) == len(ids)
    for other in _OWN_SETS:
        if other != corpus:
            text = default_gold(other).read_text(encoding="utf-8")
            assert not ids & {json.loads(x)["id"] for x in text.splitlines() if x}, other


def test_putin_quote_in_seed_000_is_putins(seeds: QuoteReport) -> None:
    missed = {(m["id"], m["speaker"]) for m in seeds.misses}
    assert ("000", "Vladimir Putin") not in missed
    wrong = [f for f in seeds.false_hits if f["id"] == "000" and "Поэтому Россия" in f["quote"]]
    assert wrong == []


def test_seed_quotes_found_with_their_speakers(seeds: QuoteReport) -> None:
    assert seeds.full.recall >= 0.9
    assert seeds.full.precision >= 0.9
    # a quote whose words we found is attributed to the right person
    for miss in seeds.misses:
        assert miss["found"] == [], miss


@pytest.mark.skipif(not (DEV / "gold_quotes.jsonl").exists(), reason="dev corpus not available")
def test_dev_gold_meets_the_targets() -> None:
    report = evaluate_quotes(DEV / "gold_quotes.jsonl")
    assert report.full.precision >= 0.9
    assert report.full.recall >= 0.85
    assert report.articles == 27


def test_text_match_allows_fragments_and_punctuation_but_not_a_word_in_a_long_quote() -> None:
    assert text_matches("fundamentally ... cut back", "fundamentally ... cut back")
    assert text_matches("a truck bombing.", "a truck bombing")
    assert text_matches("Ее снесло", "Ее снесло,")
    assert not text_matches("серйозно", "ми побачимо, наскільки вони серйозно до цього ставляться")


def test_speaker_match_by_linked_name_by_transliteration_or_unknown() -> None:
    assert speaker_matches("Dmitry Peskov", "Dmitry Peskov", "Песков")
    assert speaker_matches("Sergey Aksyonov", None, "аксьонов")
    assert speaker_matches("unknown", None, "a security service source")
    assert not speaker_matches("unknown", "Dmitry Peskov", "Песков")
    assert not speaker_matches("Joe Biden", "Vladimir Putin", "он")


def test_linked_speaker_match_needs_the_gold_names_last_word_in_the_linked_name() -> None:
    # the lenient match takes a shared first name or a word as written; this one does not
    assert speaker_matches("Sergei Ryabkov", "Sergei Lavrov", "Лавров")
    assert not linked_speaker_matches("Sergei Ryabkov", "Sergei Lavrov")
    assert speaker_matches("Government of Germany", "Kremlin", "the German government")
    assert not linked_speaker_matches("Government of Germany", "Kremlin")
    assert not linked_speaker_matches("Sergey Aksyonov", None)  # unlinked: shown as written
    assert linked_speaker_matches("Jens Stoltenberg", "Stoltenberg")
    assert linked_speaker_matches("Volodymyr Zelensky", "Volodymyr Zelenskyy")
    assert linked_speaker_matches("unknown", None)


def test_report_as_json(seeds: QuoteReport, tmp_path: Path) -> None:
    out = tmp_path / "q.json"
    write_report(seeds, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"precision", "recall", "f1", "text_only", "misses", "false_hits"} <= set(data)
