"""Article text with entity mentions and dates marked up, safely.

Why by hand and not with a template filter: the spans are offsets into scraped
text, so the text is cut at the offsets and *every* segment is escaped on its
own; only the tags we write ourselves are markup. Scraped text is never marked
safe as a whole.

Sentences a story's timeline cites get an anchor (:func:`sentence_anchor`) around
them, so an event's source links to the exact sentence and CSS ``:target`` can
light it up without any script. Mention and date marks nest inside those anchors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    kind: str  # "entity" | "date" | "sentence"
    data: dict[str, Any]


def sentence_anchor(part: str, start: int) -> str:
    """The element id of a cited sentence: one function, so the timeline's links and
    the article page's anchors cannot drift apart. ``part`` is ``text``/``title``/``lead``
    as in :class:`storyline.assemble.events.Source`; a sentence start is unique there."""
    return f"s-{part}-{start}"


def _non_overlapping(raw: list[_Span], length: int) -> list[_Span]:
    """Valid spans in text order, none overlapping; on overlap the earlier (then longer) wins."""
    raw = sorted(raw, key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[_Span] = []
    pos = 0
    for span in raw:
        if 0 <= span.start < span.end <= length and span.start >= pos:
            kept.append(span)
            pos = span.end
    return kept


def _spans(
    text: str, entities: Sequence[dict[str, Any]], dates: Sequence[dict[str, Any]]
) -> list[_Span]:
    raw = [_Span(e["start"], e["end"], "entity", e) for e in entities]
    raw += [_Span(d["start"], d["end"], "date", d) for d in dates]
    return _non_overlapping(raw, len(text))


def _sentences(text: str, part: str, cited: Iterable[tuple[int, int]]) -> list[_Span]:
    raw = [_Span(s, e, "sentence", {"id": sentence_anchor(part, s)}) for s, e in set(cited)]
    return _non_overlapping(raw, len(text))


def _crosses(span: _Span, sentences: Sequence[_Span]) -> bool:
    """Whether ``span`` straddles a sentence edge: it cannot nest, so it goes unmarked
    (the sentence anchor matters more than one mark)."""
    return any(span.start < edge < span.end for s in sentences for edge in (s.start, s.end))


def _open_tag(span: _Span, entity_title: str | None) -> tuple[Markup, Markup]:
    if span.kind == "date":
        title = str(span.data.get("value") or "")
        if span.data.get("inferred"):
            title += " (inferred)"
        return Markup('<mark class="date" title="{}">').format(title), Markup("</mark>")
    type_ = str(span.data.get("type") or "MISC")
    css = Markup('class="ent ent-{}"').format(type_)
    entity_id = span.data.get("entity_id")
    if not entity_id:
        return Markup('<span {} title="{}">').format(css, type_), Markup("</span>")
    href = "/entities/" + quote(str(entity_id), safe="")
    title = f"{entity_title} · {type_}" if entity_title else type_
    tag = Markup('<a {} href="{}" title="{}">').format(css, href, title)
    return tag, Markup("</a>")


def _marked(
    text: str, start: int, end: int, spans: Sequence[_Span], names: dict[str, str]
) -> Markup:
    """``text[start:end]`` with the mention and date marks lying inside it."""
    parts: list[Markup] = []
    pos = start
    for span in spans:
        if span.start < start or span.end > end:
            continue
        parts.append(escape(text[pos : span.start]))
        opening, closing = _open_tag(span, names.get(str(span.data.get("entity_id") or "")))
        parts.append(opening + escape(text[span.start : span.end]) + closing)
        pos = span.end
    parts.append(escape(text[pos:end]))
    return Markup("").join(parts)


def highlight(
    text: str,
    entities: Sequence[dict[str, Any]] = (),
    dates: Sequence[dict[str, Any]] = (),
    entity_names: dict[str, str] | None = None,
    *,
    part: str = "text",
    cited: Iterable[tuple[int, int]] = (),
) -> Markup:
    """``text`` as HTML: mentions linked to their entity pages, dates in ``<mark>``,
    cited sentences in ``<span class="cited" id=…>``.

    ``entities``/``dates`` are :meth:`Store.article_annotations` records (offsets into
    ``text``); ``entity_names`` gives link titles by entity id; ``cited`` holds
    ``(start, end)`` sentence offsets into ``text``, the article part ``part``.
    """
    names = entity_names or {}
    sentences = _sentences(text, part, cited)
    marks = [s for s in _spans(text, entities, dates) if not _crosses(s, sentences)]
    parts: list[Markup] = []
    pos = 0
    for sentence in sentences:
        parts.append(_marked(text, pos, sentence.start, marks, names))
        inner = _marked(text, sentence.start, sentence.end, marks, names)
        opening = Markup('<span class="cited" id="{}">').format(sentence.data["id"])
        parts.append(opening + inner + Markup("</span>"))
        pos = sentence.end
    parts.append(_marked(text, pos, len(text), marks, names))
    return Markup("").join(parts)
