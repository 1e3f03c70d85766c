"""Labeled texts shared by the corpus readers (NER-UK, factRuEval, …).

A reader turns a corpus in whatever format it ships into :class:`LabeledText`
values: a plain text plus character spans into it, each with a label. Evaluation
code then runs a tagger on ``text`` and scores the spans it returns against
``spans`` with :func:`storyline.evaluation.scoring.score_by_label`, as items
``(doc_id, start, end, label)`` (see :func:`span_items`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import storyline


def repo_root() -> Path:
    """The source checkout (eval gold files we wrote live in ``eval/`` there)."""
    return Path(storyline.__file__).resolve().parents[2]


def shared_dir() -> Path:
    """Where the labeled corpora live: ``$STORYLINE_SHARED``, else ``shared/`` beside the repo.

    They are read in place and never copied into the repository (their licenses
    differ from ours).
    """
    env = os.environ.get("STORYLINE_SHARED")
    return Path(env) if env else repo_root().parent / "shared"


@dataclass(frozen=True, slots=True)
class LabeledText:
    doc_id: str
    """Unique within one corpus (file stem plus a running number, a document name, …)."""
    text: str
    spans: tuple[tuple[int, int, str], ...]
    """``(start, end, label)`` character offsets into ``text`` (Python string indices)."""

    def surface(self, span: tuple[int, int, str]) -> str:
        return self.text[span[0] : span[1]]


def span_items(
    doc_id: str, spans: Iterable[tuple[int, int, str]]
) -> set[tuple[str, int, int, str]]:
    """Spans as scoring items ``(doc_id, start, end, label)``."""
    return {(doc_id, start, end, label) for start, end, label in spans}
