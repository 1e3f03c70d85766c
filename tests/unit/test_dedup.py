"""Exact and near duplicates: a reprint of agency copy is recognised, a different story is not."""

from paths import seed
from storyline.dedup import NearDuplicateIndex, content_hash, from_bytes, minhash, to_bytes


def _body(prefix: str) -> str:
    return seed(prefix).read_text(encoding="utf-8")


def test_exact_hash_ignores_case_punctuation_and_spacing() -> None:
    text = _body("003")
    assert content_hash(text) == content_hash(text.upper().replace(",", " ,  "))
    assert content_hash(text) != content_hash(_body("004"))


def test_reprint_with_changed_edges_is_a_near_duplicate() -> None:
    original = _body("000")
    paragraphs = original.split("\n\n")
    reprint = "\n\n".join(["Источник: агентство.", *paragraphs[2:-1], "Читайте также: другое"])
    index = NearDuplicateIndex()
    a = minhash(original)
    assert a is not None
    index.add("a_original", a)
    b = minhash(reprint)
    assert b is not None
    assert index.original_of(b) == "a_original"


def test_different_story_on_the_same_topic_is_not_a_duplicate() -> None:
    index = NearDuplicateIndex()
    index.add("a_000", minhash(_body("000")))  # type: ignore[arg-type]
    other = minhash(_body("004"))  # also Russia–US security talks, January 2022
    assert other is not None
    assert index.original_of(other) is None


def test_signature_survives_the_store_round_trip() -> None:
    m = minhash(_body("001"))
    assert m is not None
    index = NearDuplicateIndex([("a_001", to_bytes(m))])
    assert from_bytes(to_bytes(m)).jaccard(m) == 1.0
    assert index.original_of(m) == "a_001"


def test_short_texts_are_not_compared() -> None:
    assert minhash("Коротка новина з п'яти слів.") is None


def test_signatures_are_datasketchs_own_with_the_permutations_kept() -> None:
    """Every signature shares one set of permutations (datasketch would draw them from its
    seed for each page); they are the ones a fresh MinHash draws, so stored signatures and
    new ones still compare."""
    from datasketch import MinHash

    from storyline.dedup import NUM_PERM, SCHEME, shingles

    text = _body("003")
    fresh = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    fresh.update_batch(shingles(text))
    first, second = minhash(text), minhash(_body("004"))
    assert first is not None and second is not None
    assert to_bytes(first) == to_bytes(fresh)
    assert first.permutations is second.permutations
