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
