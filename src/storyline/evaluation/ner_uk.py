"""NER-UK 2.0 (lang-uk): token-per-line IOB files → :class:`LabeledText`.

Each line of ``v2.0/iob/{train,test}.iob`` is ``TOKEN TAG`` (tags ``B-PERS``,
``I-ORG``, ``O``, …); blank lines separate sentences and paragraphs (the files
keep no document boundaries). Each block of consecutive token lines becomes one
:class:`LabeledText` with id ``"<file stem>:<block number>"``. The text is
rebuilt from the tokens with single spaces, except none before closing
punctuation (``, . ; : ! ? ) ] » …``) and none after opening brackets and
guillemets, so it reads like ordinary prose for a tagger that tokenizes raw
text. Types map PERS→PER, ORG→ORG, LOC→LOC; the other ten types are dropped.

The corpus is CC BY-NC-SA 4.0: read it from ``../shared/corpora``, never copy it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storyline.evaluation.corpus import LabeledText, span_items
from storyline.evaluation.scoring import Score, score_by_label

TYPE_MAP = {"PERS": "PER", "ORG": "ORG", "LOC": "LOC"}
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "»", "…", "%"}
_NO_SPACE_AFTER = {"(", "[", "{", "«"}


def _block_to_text(doc_id: str, block: list[tuple[str, str]], types: dict[str, str]) -> LabeledText:
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    previous = ""
    for index, (token, _tag) in enumerate(block):
        if index and token not in _NO_SPACE_BEFORE and previous not in _NO_SPACE_AFTER:
            parts.append(" ")
            pos += 1
        offsets.append((pos, pos + len(token)))
        parts.append(token)
        pos += len(token)
        previous = token
    spans: list[tuple[int, int, str]] = []
    current: list[int] | None = None  # [start, end] of the open entity
    current_type = ""
    for (start, end), (_token, tag) in zip(offsets, block, strict=True):
        prefix, _, raw_type = tag.partition("-")
        if prefix == "I" and current is not None and raw_type == current_type:
            current[1] = end
            continue
        if current is not None and current_type in types:
            spans.append((current[0], current[1], types[current_type]))
        current = None
        if prefix in ("B", "I"):  # a stray I- starts an entity, as in conlleval
            current, current_type = [start, end], raw_type
    if current is not None and current_type in types:
        spans.append((current[0], current[1], types[current_type]))
    return LabeledText(doc_id=doc_id, text="".join(parts), spans=tuple(spans))


def read_ner_uk(path: Path, types: dict[str, str] | None = None) -> Iterator[LabeledText]:
    """The blocks of one IOB file, in order; ``types`` maps corpus types to ours."""
    types = TYPE_MAP if types is None else types
    block: list[tuple[str, str]] = []
    number = 0
    with Path(path).open(encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line.strip():
                if block:
                    yield _block_to_text(f"{Path(path).stem}:{number}", block, types)
                    number += 1
                    block = []
                continue
            token, _, tag = line.rpartition(" ")
            block.append((token, tag) if token else (tag, "O"))
    if block:
        yield _block_to_text(f"{Path(path).stem}:{number}", block, types)


def evaluate(texts: list[LabeledText], tagger) -> dict[str, Score]:
    """Per-type and micro scores of ``tagger(text) -> [(start, end, type)]`` on ``texts``."""
    gold: set[tuple[str, int, int, str]] = set()
    predicted: set[tuple[str, int, int, str]] = set()
    for item in texts:
        gold |= span_items(item.doc_id, item.spans)
        predicted |= span_items(
            item.doc_id, ((s, e, t) for s, e, t in tagger(item.text) if t in TYPE_MAP.values())
        )
    return score_by_label(gold, predicted)
