"""Quote attribution on external corpora: ``storyline eval quotes polnear|adaq``.

**PolNeAR** (``shared/external/polnear``, English, brat standoff): attribution
relations (Source, Cue, Content) over 1,008 political news articles, split in
train/dev/test. As the corpus README suggests, the scored gold items are the
**direct quotes**: relations whose Content holds a quotation mark and that have a
Source. Each text is annotated by the pipeline (:func:`storyline.nlp.pipeline.annotate`
with ``lang="en"``); its direct quotes with a written speaker span are the
predictions. A prediction is paired with the gold relation whose content covers
most of it (at least half of the quote's characters). Source precision is the share
of predictions whose speaker span matches their gold relation's source; source
recall the share of gold relations with at least one such prediction (a quote
split by its attribution is one gold relation and may be two predictions).
*Exact* match: the two spans hold the same words (case and punctuation aside, a
leading article dropped); *overlap*: they share a character. Quote detection
(content paired at all, any speaker) is reported besides. When a text has several
annotators, the first annotation file (by name) is the gold.

**ADAQ** (``shared/external/adaq-quotes-ru-cs``, Russian part): 208 SynTagRus
sentences, 100 with a direct or indirect quote, tagged per token as source, cue or
content. Every sentence is annotated on its own (``lang="ru"``), all quotes
(direct and indirect) count; token-level precision, recall and F1 of the source and
content tags (a token is predicted *source* when it lies in a quote's written
speaker span, *content* when it lies in the quote), and sentence-level "has a
quote" F1, as in the ADAQ thesis (its rule baseline: source 30, content 69,
sentence 72; its CRF: source 50, content 79, sentence 94).

Neither corpus's texts are copied: they are read in place from ``shared/``.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.evaluation.corpus import shared_dir
from storyline.evaluation.scoring import Score
from storyline.nlp.annotations import QuoteMention

_QUOTE_MARKS = '"“”«»„'
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
_ARTICLES = {"the", "a", "an"}


def polnear_dir() -> Path:
    return shared_dir() / "external" / "polnear"


def adaq_dir() -> Path:
    return shared_dir() / "external" / "adaq-quotes-ru-cs"


def _annotate(doc_id: str, text: str, lang: str) -> tuple[QuoteMention, ...]:
    from storyline.document import Article
    from storyline.nlp.pipeline import annotate

    return annotate(Article(id=doc_id, source=doc_id, text=text, lang=lang)).quotes


# ── PolNeAR ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Attribution:
    doc: str
    content: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...]
    content_text: str
    source_text: str


def _spans(field_: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in field_.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return tuple(out)


def read_polnear(split: str, root: Path | None = None) -> dict[str, tuple[str, list[Attribution]]]:
    """``{doc: (text, direct quotes)}`` of one split (train, dev, test): the attributions
    with a source whose content holds a quotation mark."""
    root = root or polnear_dir()
    chosen: dict[str, Path] = {}
    for ann in sorted((root / split / "attributions").glob("*.ann")):
        doc = ann.stem.rsplit("_", 1)[0]
        chosen.setdefault(doc, ann)
    out: dict[str, tuple[str, list[Attribution]]] = {}
    for doc, ann in sorted(chosen.items()):
        text_path = root / split / "text" / f"{doc}.txt"
        if not text_path.exists():
            continue
        text = text_path.read_text(encoding="utf-8")
        spans: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
        relations: list[dict[str, str]] = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if line.startswith("T") and len(cols) >= 2:
                label, _, where = cols[1].partition(" ")
                spans[cols[0]] = (label, _spans(where))
            elif line.startswith("E") and len(cols) >= 2:
                relations.append(dict(x.split(":", 1) for x in cols[1].split()))
        found = []
        for rel in relations:
            if "Content" not in rel or "Source" not in rel:
                continue
            if rel["Content"] not in spans or rel["Source"] not in spans:
                continue
            content = spans[rel["Content"]][1]
            source = spans[rel["Source"]][1]
            content_text = " ".join(text[a:b] for a, b in content)
            if not any(m in content_text for m in _QUOTE_MARKS):
                continue
            source_text = " ".join(text[a:b] for a, b in source)
            found.append(Attribution(doc, content, source, content_text, source_text))
        out[doc] = (text, found)
    return out


def _overlap(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _span_words(text: str) -> list[str]:
    words = _WORDS.findall(text.casefold())
    while words and words[0] in _ARTICLES:
        words = words[1:]
    return words


@dataclass(slots=True)
class PolnearReport:
    split: str
    documents: int
    exact: Score
    overlap: Score
    content: Score
    seconds: float
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_hits: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "split": self.split,
            "documents": self.documents,
            "source_exact": self.exact.as_dict(),
            "source_overlap": self.overlap.as_dict(),
            "content": self.content.as_dict(),
            "seconds": round(self.seconds, 2),
            "misses": self.misses,
            "false_hits": self.false_hits,
        }


def evaluate_polnear(
    split: str = "test", root: Path | None = None, limit: int | None = None
) -> PolnearReport:
    """Direct-quote source precision/recall on one PolNeAR split (see the module doc)."""
    started = time.perf_counter()
    docs = read_polnear(split, root)
    names = sorted(docs)[:limit] if limit else sorted(docs)
    n_gold = n_pred = 0
    pred_exact = pred_overlap = pred_content = 0
    gold_exact: set[tuple[str, int]] = set()
    gold_overlap: set[tuple[str, int]] = set()
    gold_content: set[tuple[str, int]] = set()
    misses: list[dict[str, Any]] = []
    false_hits: list[dict[str, Any]] = []
    for doc in names:
        text, gold = docs[doc]
        n_gold += len(gold)
        quotes = [
            q
            for q in _annotate(doc, text, "en")
            if q.kind == "direct" and q.speaker_start is not None and q.speaker_end is not None
        ]
        n_pred += len(quotes)
        hit_exact: set[int] = set()
        for q in quotes:
            span = ((q.start, q.end),)
            best, best_overlap = None, 0
            for g, a in enumerate(gold):
                ov = _overlap(span, a.content)
                if ov > best_overlap:
                    best, best_overlap = g, ov
            if best is None or best_overlap * 2 < max(1, q.end - q.start):
                false_hits.append({"doc": doc, "quote": q.text, "speaker": q.speaker_text})
                continue
            a = gold[best]
            pred_content += 1
            gold_content.add((doc, best))
            speaker = ((q.speaker_start or 0, q.speaker_end or 0),)
            if _overlap(speaker, a.source) > 0:
                pred_overlap += 1
                gold_overlap.add((doc, best))
            if _span_words(q.speaker_text or "") == _span_words(a.source_text):
                pred_exact += 1
                gold_exact.add((doc, best))
                hit_exact.add(best)
            else:
                false_hits.append(
                    {
                        "doc": doc,
                        "quote": q.text,
                        "speaker": q.speaker_text,
                        "gold_source": a.source_text,
                    }
                )
        for g, a in enumerate(gold):
            if g not in hit_exact:
                misses.append({"doc": doc, "quote": a.content_text, "source": a.source_text})

    def score(pred_tp: int, gold_tp: int) -> Score:
        # precision counts predictions, recall counts gold relations (see the module doc)
        return _MixedScore(tp=gold_tp, fp=n_pred - pred_tp, fn=n_gold - gold_tp, pred_tp=pred_tp)

    return PolnearReport(
        split=split,
        documents=len(names),
        exact=score(pred_exact, len(gold_exact)),
        overlap=score(pred_overlap, len(gold_overlap)),
        content=score(pred_content, len(gold_content)),
        seconds=time.perf_counter() - started,
        misses=misses,
        false_hits=false_hits,
    )


@dataclass(frozen=True, slots=True)
class _MixedScore(Score):
    """A score whose precision counts predictions and recall gold items."""

    pred_tp: int = 0

    @property
    def precision(self) -> float:
        total = self.pred_tp + self.fp
        return self.pred_tp / total if total else 0.0


# ── ADAQ (Russian) ──────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class AdaqSentence:
    id: str
    text: str
    tokens: tuple[tuple[int, int, str], ...]
    """``(start, end, tag)`` of each token in ``text``; tag ∈ source, cue, content, None."""


def read_adaq(lang: str = "ru", root: Path | None = None) -> list[AdaqSentence]:
    """The sentences with their tokens placed in them (fields are CSV-quoted where they
    hold a quotation mark: ``\"…\"\"…\"\"…\"``)."""
    root = root or adaq_dir()
    texts: dict[str, str] = {}
    with (root / f"{lang}_sentences.tsv").open(encoding="utf-8") as f:
        next(f)
        for line in f:
            text, _, sid = line.rstrip("\n").rpartition("\t")
            if len(text) > 1 and text[0] == text[-1] == '"':
                text = text[1:-1].replace('""', '"')  # a CSV-quoted field
            if sid:
                texts[sid] = text
    tokens: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with (root / f"{lang}_tokens.tsv").open(encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 5:
                token = cols[1]
                if len(token) > 1 and token[0] == token[-1] == '"':
                    token = token[1:-1].replace('""', '"')
                tokens[cols[2]].append((token, cols[4]))
    out = []
    for sid, text in texts.items():
        cursor = 0
        placed = []
        for token, tag in tokens.get(sid, []):
            at = text.find(token, cursor)
            if at < 0:
                continue
            placed.append((at, at + len(token), tag))
            cursor = at + len(token)
        out.append(AdaqSentence(sid, text, tuple(placed)))
    return out


@dataclass(slots=True)
class AdaqReport:
    sentences: int
    source: Score
    content: Score
    has_quote: Score
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "sentences": self.sentences,
            "source_tokens": self.source.as_dict(),
            "content_tokens": self.content.as_dict(),
            "sentence_has_quote": self.has_quote.as_dict(),
            "seconds": round(self.seconds, 2),
        }


def evaluate_adaq(lang: str = "ru", root: Path | None = None) -> AdaqReport:
    """Token-level source/content and sentence-level quote F1 on ADAQ (see the module doc)."""
    started = time.perf_counter()
    counts = {k: [0, 0, 0] for k in ("source", "content", "has_quote")}
    sentences = read_adaq(lang, root)
    for s in sentences:
        quotes = _annotate(s.id, s.text, lang)
        speaker = [(q.speaker_start, q.speaker_end) for q in quotes if q.speaker_start is not None]
        content = [(q.start, q.end) for q in quotes]
        for a, b, tag in s.tokens:
            for name, spans in (("source", speaker), ("content", content)):
                pred = any(x is not None and y is not None and x < b and a < y for x, y in spans)
                gold = tag == name
                _count(counts[name], pred, gold)
        gold_quote = any(tag == "content" for _, _, tag in s.tokens)
        _count(counts["has_quote"], bool(quotes), gold_quote)
    return AdaqReport(
        sentences=len(sentences),
        source=Score(*counts["source"]),
        content=Score(*counts["content"]),
        has_quote=Score(*counts["has_quote"]),
        seconds=time.perf_counter() - started,
    )


def _count(c: list[int], pred: bool, gold: bool) -> None:
    if pred and gold:
        c[0] += 1
    elif pred:
        c[1] += 1
    elif gold:
        c[2] += 1
