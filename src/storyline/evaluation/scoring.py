"""Precision, recall and F1 over sets of items, overall and per label.

Items are any hashable tuples whose last element is the label (entity type,
date grain, …) — for example ``(doc_id, start, end, "PER")``. Exact match only:
a span off by one character is a miss and a false alarm, as in CoNLL scoring.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def score(gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> Score:
    g, p = set(gold), set(predicted)
    return Score(tp=len(g & p), fp=len(p - g), fn=len(g - p))


def score_by_label(
    gold: Iterable[tuple[Hashable, ...]], predicted: Iterable[tuple[Hashable, ...]]
) -> dict[str, Score]:
    """One score per label (the items' last element), plus ``"micro"`` over all of them."""
    g, p = set(gold), set(predicted)
    labels = sorted({str(item[-1]) for item in g | p})
    result = {
        label: score((x for x in g if str(x[-1]) == label), (x for x in p if str(x[-1]) == label))
        for label in labels
    }
    result["micro"] = score(g, p)
    return result
