"""Russian and English NER through the registry: exact spans, types, normal forms."""

from __future__ import annotations

from paths import DEV, seed
from storyline.nlp.annotations import EntityMention
from storyline.nlp.ner import known, registry
from storyline.nlp.ner.ru import genitive, natasha_spans, postprocess, split, tag_ru


def _seed(prefix: str) -> str:
    return seed(prefix).read_text(encoding="utf-8")


def _at(text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def _find(mentions: tuple[EntityMention, ...], span: tuple[int, int]) -> list[EntityMention]:
    return [m for m in mentions if (m.start, m.end) == span]


def test_russian_seed_000_persons_orgs_places() -> None:
    text = _seed("000")
    mentions = registry.recognize(text, "ru")
    assert all(m.text == text[m.start : m.end] for m in mentions)
    # the tagger's mentions, and those whose span is a name the tables know
    assert all(m.lang == "ru" and m.source in ("natasha", known.SOURCE) for m in mentions)
    assert any(m.source == "natasha" for m in mentions)

    (stoltenberg,) = _find(mentions, _at(text, "Йенса Столтенберга"))
    assert (stoltenberg.type, stoltenberg.normal) == ("PER", "Йенс Столтенберг")
    (alliance,) = _find(mentions, _at(text, "Североатлантического альянса"))
    assert (alliance.type, alliance.normal) == ("ORG", "Североатлантический альянс")
    (council,) = _find(mentions, _at(text, "Совета Россия – НАТО"))
    assert (council.type, council.normal) == ("ORG", "Совет Россия – НАТО")
    (brussels,) = _find(mentions, _at(text, "Брюсселе"))
    assert (brussels.type, brussels.normal) == ("LOC", "Брюссель")
    (sherman,) = _find(mentions, _at(text, "Венди Шерман"))
    assert (sherman.type, sherman.normal) == ("PER", "Венди Шерман")


def test_russian_seed_003_genitive_org_keeps_the_country_inside() -> None:
    text = _seed("003")
    mentions = registry.recognize(text, "ru")
    start, end = _at(text, "МИД России")
    (mid,) = _find(mentions, (start, end))
    assert (mid.type, mid.normal) == ("ORG", "МИД России")
    (russia,) = _find(mentions, (start + 4, end))
    assert (russia.type, russia.normal) == ("LOC", "Россия")
    (ryabkov,) = _find(mentions, _at(text, "Сергей Рябков"))
    assert (ryabkov.type, ryabkov.normal) == ("PER", "Сергей Рябков")
    (geneva,) = _find(mentions, _at(text, "Женеве"))
    assert (geneva.type, geneva.normal) == ("LOC", "Женева")
    (ria,) = _find(mentions, _at(text, "РИА Новости"))
    assert (ria.type, ria.normal) == ("ORG", "РИА Новости")


def test_postprocess_splits_and_trims_run_together_names() -> None:
    text = "Об этом сказал Ши Тао (Shi Tao), а Бернс ( промолчал."
    spans = [(15, 31, "PER"), (35, 42, "PER")]
    assert split(text, spans) == [(15, 21, "PER"), (23, 30, "PER"), (35, 40, "PER")]
    text = "агентство РИА «Новости» сообщило"
    assert split(text, [(10, 23, "ORG")]) == [(10, 23, "ORG")]  # balanced quotes stay


def test_postprocess_retypes_and_joins_genitive_places() -> None:
    text = "Конгресса США и ЕС"
    spans = [(0, 9, "ORG"), (10, 13, "LOC"), (16, 18, "LOC")]
    assert genitive(text, spans) == [(0, 13, "ORG"), (10, 13, "LOC"), (16, 18, "LOC")]
    assert postprocess(text, spans) == [(0, 13, "ORG"), (10, 13, "LOC"), (16, 18, "ORG")]


def test_tag_ru_is_natasha_plus_postprocess() -> None:
    text = _seed("003")
    assert tag_ru(text) == postprocess(text, natasha_spans(text))
    assert tag_ru("") == [] and tag_ru("   ") == []


def test_english_article_from_the_dev_corpus() -> None:
    text = (DEV / "articles" / "007.txt").read_text(encoding="utf-8")
    mentions = registry.recognize(text, "en")
    assert all(m.text == text[m.start : m.end] for m in mentions)
    assert all(m.source in ("spacy", known.SOURCE) for m in mentions)
    assert any(m.source == "spacy" for m in mentions)
    expected = {
        "Alexander Fomin": "PER",
        "Vladimir Medinsky": "PER",
        "Recep Tayyip Erdogan": "PER",
        "Istanbul": "LOC",
        "Moscow": "LOC",
        "Reuters": "ORG",
    }
    for surface, type_ in expected.items():
        (found,) = _find(mentions, _at(text, surface))
        assert (found.type, found.normal) == (type_, surface)
    start = text.index("Fomin’s")
    (fomin,) = _find(mentions, (start, start + len("Fomin")))
    assert fomin.type == "PER"  # the possessive is not part of the name
    assert not any(m.text in {"Russian", "Ukrainian"} for m in mentions)  # NORP is skipped


def test_registry_without_a_tagger_returns_nothing() -> None:
    assert registry.recognize("Rosja i Ukraina rozmawiają w Stambule.", "pl") == ()
    assert registry.recognize("Россия", None) == ()
    assert registry.tagger("be") is None
    assert registry.tagger("ru") is tag_ru
