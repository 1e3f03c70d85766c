"""Base forms of multiword names (storyline.nlp.morph.normalize) on BSNLP annotations.

Every case is a (surface, base form) pair read from the BSNLP train topics the rules
were fitted on (brexit, asia_bibi; ``shared/corpora/bsnlp-train``), so the expected
answer is the annotators', not ours.
"""

from __future__ import annotations

import pytest

from storyline.evaluation.lemmas import bsnlp_dir, evaluate_lemmas, read_bsnlp
from storyline.nlp.morph import normalize

pytestmark = pytest.mark.skipif(not bsnlp_dir().exists(), reason="BSNLP data not available")


@pytest.fixture(scope="module")
def gold() -> dict[tuple[str, str], tuple[str, str]]:
    """(lang, surface) → (base form, type) over the fitted topics."""
    return {(m.lang, m.surface): (m.base, m.type) for m in read_bsnlp(("brexit", "asia_bibi"))}


@pytest.mark.parametrize(
    ("lang", "surface"),
    [
        ("ru", "Доминика Рааба"),  # a surname the dictionary does not know, after a first name
        ("ru", "Сергея Скрипаля"),  # its soft ending
        ("ru", "Себастьяном Курцем"),  # and a hard one after ц
        ("ru", "британского МИД"),  # an adjective agrees with the acronym's gender
        ("uk", "КИЇВ"),  # a dateline's capitals are not an acronym
    ],
)
def test_base_form_as_annotated(
    gold: dict[tuple[str, str], tuple[str, str]], lang: str, surface: str
) -> None:
    base, type_ = gold[(lang, surface)]
    assert normalize(surface, type_ if type_ in ("PER", "LOC", "ORG") else "EVT", lang) == base


def test_known_acronyms_and_phrases_stay_right() -> None:
    assert normalize("НАТО", "ORG", "ru") == "НАТО"
    assert normalize("Североатлантического альянса", "ORG", "ru") == "Североатлантический альянс"
    assert normalize("Дмитрия Пескова", "PER", "ru") == "Дмитрий Песков"


def test_eval_lemmas_counts_every_mention() -> None:
    mentions = read_bsnlp(("brexit",), ("uk",))
    report = evaluate_lemmas(mentions)
    assert report.total == len(mentions) > 500
    assert 0.9 < report.accuracy <= 1.0
    assert report.by["uk/brexit"][1] == report.total


def test_eval_linking_joins_ru_and_uk_mentions() -> None:
    from storyline.evaluation.lemmas import evaluate_linking

    report = evaluate_linking(read_bsnlp(("brexit",)))
    assert report.bcubed.items > 3000
    assert report.pairs.tp > 0 and report.pairs.fp >= 0 and report.pairs.fn >= 0
    assert report.bcubed.precision > 0.9


def _linked(topic: str, lang: str, doc: str) -> dict[str, str]:
    """Surface → entity id of one BSNLP document's annotated mentions, linked as
    evaluate_linking links them."""
    from storyline.assemble.linking import EntityLinker
    from storyline.evaluation.lemmas import link_document

    ms = [m for m in read_bsnlp((topic,), (lang,)) if m.doc == doc]
    ids = link_document(EntityLinker(), ms, bsnlp_dir())
    return {m.surface: eid for m, eid in zip(ms, ids, strict=True)}


@pytest.mark.parametrize(
    ("topic", "doc", "alone", "named"),
    [
        # names «Дэвид Дэвис», then «Дэвис» (CLDR also knows Davis, CA)
        ("brexit", "brexit_ru.txt_file_1004", "Дэвис", "Дэвид Дэвис"),
        # «Борис Джонсон», then «Бориса» alone (a first name the given-names table lacks,
        # so parsed as a surname)
        ("brexit", "brexit_ru.txt_file_1000", "Бориса", "Борис Джонсон"),
        # «Асия Биби», then «Асия» alone, which the alias table knows as the continent
        ("asia_bibi", "asia_bibi_ru.txt_file_125", "Асия", "Асия Биби"),
        # «Имран Хан», then «Хан» (г, х and h share a key: Гана, Ghana)
        ("asia_bibi", "asia_bibi_ru.txt_file_118", "Хан", "Имран Хан"),
        # «ТЛП» for «Техрик-э-Лабаик Пакистан» (the particle «э» has no letter)
        ("asia_bibi", "asia_bibi_ru.txt_file_118", "ТЛП", "Техрик-э-Лабаик Пакистан"),
        # the Latin "TLP" for «Техрик-и-Лаббаик Пакистан»
        ("asia_bibi", "asia_bibi_ru.txt_file_127", "TLP", "Техрик-и-Лаббаик Пакистан"),
    ],
)
def test_a_short_mention_is_what_the_page_names_in_full(
    topic: str, doc: str, alone: str, named: str
) -> None:
    linked = _linked(topic, "ru", doc)
    assert linked[alone] == linked[named]


def test_both_spellings_of_brexit_are_one_event() -> None:
    from storyline.assemble.linking import EntityLinker
    from storyline.nlp.annotations import EntityMention

    forms = {m.surface for m in read_bsnlp(("brexit",), ("ru",)) if m.entity == "EVT-Brexit"}
    assert {"Брекзит", "Brexit"} <= forms
    linker = EntityLinker()
    ids = [
        linker.link_article(
            f"d{i}", [EntityMention(0, len(f), f, "EVT", normalize(f, "EVT", "ru"), "ru")]
        )[0]
        for i, f in enumerate(("Брекзит", "Brexit", "Брексит"))
    ]
    assert len(set(ids)) == 1


def _in_document(topic: str, doc: str, surface: str) -> str:
    """``surface`` normalized in the gender its BSNLP document tells, as the NER stage does."""
    from storyline.evaluation.lemmas import _TYPES, _genders

    ms = [m for m in read_bsnlp((topic,), ("ru",)) if m.doc == doc]
    genders = _genders(ms, bsnlp_dir())
    (m,) = [m for m in ms if m.surface == surface]
    assert normalize(m.surface, _TYPES[m.type], "ru", genders[m]) == m.base
    return genders[m] or ""


def test_a_womans_name_the_dictionary_reads_as_a_mans() -> None:
    # pymorphy3 knows «Асию» only as the masculine «Асий»; the document says «Асия Биби была»
    assert _in_document("asia_bibi", "asia_bibi_ru.txt_file_104", "Асию Биби") == "femn"


def test_a_verb_after_a_genitive_name_tells_nothing() -> None:
    # «… Джонсона …» followed by a verb that agrees with something else: not a woman
    assert _in_document("brexit", "brexit_ru.txt_file_10", "Джонсона") != "femn"


def test_a_name_in_capitals_keeps_the_gender_the_text_tells() -> None:
    # a headline's «АСИИ» is read as «Асии» is, in the gender the page tells
    assert normalize("АСИИ", "PER", "ru", "femn") == normalize("Асии", "PER", "ru", "femn")
    assert normalize("АСИИ", "PER", "ru", "femn") == "Асия"


def test_an_agency_in_capitals_stays_an_acronym() -> None:
    assert normalize("ТАСС", "ORG", "ru") == "ТАСС"
    assert normalize("МОСКВА", "LOC", "ru") == "Москва"


def test_the_ner_stage_reads_the_gender_from_the_page() -> None:
    from storyline.nlp.ner.registry import recognize

    path = bsnlp_dir() / "asia_bibi" / "raw" / "ru" / "asia_bibi_ru.txt_file_104.txt"
    text = path.read_text(encoding="utf-8-sig")
    normals = {m.text: m.normal for m in recognize(text, "ru") if m.type == "PER"}
    assert normals.get("Асию Биби") == "Асия Биби"
