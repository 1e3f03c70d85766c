"""Exact and near-duplicate detection: reprints of agency copy are everywhere.

An exact duplicate has the same body after normalization (case, punctuation,
whitespace). A near duplicate shares most of its word 5-grams (MinHash with
LSH, Jaccard ≥ :data:`NEAR_THRESHOLD`): the same agency story with a different
headline, a trimmed last paragraph or an added "read also" line. A duplicate is
still stored, marked ``duplicate_of`` the first copy, so coverage counts stay
honest.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # datasketch imports scipy (~0.5 s): loaded only when deduplicating
    from datasketch import MinHash

NUM_PERM = 128
SCHEME = "affine32"
"""Stored signatures record no scheme; this one is fixed so stored and new ones compare."""
NEAR_THRESHOLD = 0.8
SHINGLE = 5
MIN_SHINGLES = 8
"""Below this a text is too short for Jaccard estimates to mean anything."""

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def content_hash(text: str) -> str:
    """Hash of the body with case, punctuation and spacing normalized away."""
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()


def shingles(text: str) -> list[bytes]:
    """The text's distinct word 5-grams, what a signature is made of."""
    tokens = words(text)
    return list(
        {" ".join(tokens[i : i + SHINGLE]).encode() for i in range(len(tokens) - SHINGLE + 1)}
    )


def minhash(text: str) -> MinHash | None:
    """MinHash of the word 5-grams, or ``None`` for texts too short to compare."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_permutations())
    m.update_batch(grams)
    return m


@cache
def _permutations() -> Any:
    """The permutations every signature applies: datasketch draws them from its fixed seed
    for each new MinHash (0.1 ms of CPU, a sixth of a page's signature), always the same values."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def to_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    from datasketch import MinHash

    return MinHash(
        num_perm=NUM_PERM, hashvalues=np.frombuffer(data, dtype=np.uint64), scheme=SCHEME
    )


class NearDuplicateIndex:
    """LSH over the signatures of every original article stored so far."""

    def __init__(self, signatures: Iterable[tuple[str, bytes]] = ()) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=NEAR_THRESHOLD, num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}
        for key, data in signatures:
            self.add(key, from_bytes(data))

    def add(self, key: str, m: MinHash) -> None:
        if key not in self._signatures:
            self._lsh.insert(key, m)
            self._signatures[key] = m

    def original_of(self, m: MinHash) -> str | None:
        """The most similar stored article above the threshold (ties: smallest id)."""
        candidates = self._lsh.query(m)
        scored = [(self._signatures[k].jaccard(m), k) for k in candidates]
        scored = [(s, k) for s, k in scored if s >= NEAR_THRESHOLD]
        if not scored:
            return None
        best = max(s for s, _ in scored)
        return min(k for s, k in scored if s == best)
