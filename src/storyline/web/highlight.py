"""Article text with entity mentions, dates and quotes marked up, safely.

Why by hand and not with a template filter: the spans are offsets into scraped
text, so the text is cut at the offsets and *every* segment is escaped on its
own; only the tags we write ourselves are markup. Scraped text is never marked
safe as a whole.

Sentences a story's timeline cites get an anchor (:func:`sentence_anchor`) around
them, so an event's source links to the exact sentence and CSS ``:target`` can
light it up without any script. Marks nest in three layers, outermost first: cited
sentences, quotes (split where a sentence edge cuts them, so a quote of three
sentences stays marked when one of them is cited), mentions and dates (left unmarked
when they straddle a sentence or quote edge: they cannot nest).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    kind: str  # "entity" | "date" | "quote" | "sentence"
    data: dict[str, Any]


def sentence_anchor(part: str, start: int) -> str:
    """The element id of a cited sentence: one function, so the timeline's links and
    the article page's anchors cannot drift apart. ``part`` is ``text``/``title``/``lead``
    as in :class:`storyline.records.Source`; a sentence start is unique there."""
    return f"s-{part}-{start}"


def quote_anchor(start: int) -> str:
    """The element id of a quote in an article's body (where its words start), which a
    story's "who said what" links to."""
    return f"q-{start}"


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


def _crosses(span: _Span, outer: Sequence[_Span]) -> bool:
    """Whether ``span`` straddles an edge of one of ``outer``: it cannot nest there."""
    return any(span.start < edge < span.end for o in outer for edge in (o.start, o.end))


def _cut(spans: Sequence[_Span], outer: Sequence[_Span]) -> list[_Span]:
    """``spans`` split at the edges of ``outer`` that fall inside them."""
    edges = sorted({edge for o in outer for edge in (o.start, o.end)})
    pieces: list[_Span] = []
    for span in spans:
        cuts = [span.start, *(e for e in edges if span.start < e < span.end), span.end]
        pieces += [_Span(a, b, span.kind, span.data) for a, b in pairwise(cuts)]
    return pieces


def _quote_title(data: dict[str, Any], names: dict[str, str]) -> str:
    speaker = names.get(str(data.get("speaker_entity_id") or "")) or data.get("speaker_text")
    kind = str(data.get("kind") or "direct")
    return f"{speaker} ({kind})" if speaker else kind


def _tags(span: _Span, names: dict[str, str]) -> tuple[Markup, Markup]:
    if span.kind == "sentence":
        return Markup('<span class="cited" id="{}">').format(span.data["id"]), Markup("</span>")
    if span.kind == "quote":
        css = "quote quote-" + str(span.data.get("kind") or "direct")
        title = _quote_title(span.data, names)
        if span.start == span.data.get("start"):  # a quote cut in pieces: its first one
            anchor = quote_anchor(span.start)
            opening = Markup('<span class="{}" id="{}" title="{}">').format(css, anchor, title)
            return opening, Markup("</span>")
        return Markup('<span class="{}" title="{}">').format(css, title), Markup("</span>")
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
    entity_title = names.get(str(entity_id))
    title = f"{entity_title} · {type_}" if entity_title else type_
    return Markup('<a {} href="{}" title="{}">').format(css, href, title), Markup("</a>")


def _render(
    text: str, start: int, end: int, layers: Sequence[Sequence[_Span]], names: dict[str, str]
) -> Markup:
    """``text[start:end]``, the spans of the first layer lying inside it marked, each with
    the next layers rendered inside it in turn; every piece of text escaped on its own."""
    if not layers:
        return escape(text[start:end])
    outer, inner = layers[0], layers[1:]
    parts: list[Markup] = []
    pos = start
    for span in outer:
        if span.start < start or span.end > end:
            continue
        parts.append(_render(text, pos, span.start, inner, names))
        opening, closing = _tags(span, names)
        parts.append(opening + _render(text, span.start, span.end, inner, names) + closing)
        pos = span.end
    parts.append(_render(text, pos, end, inner, names))
    return Markup("").join(parts)


def highlight(
    text: str,
    entities: Sequence[dict[str, Any]] = (),
    dates: Sequence[dict[str, Any]] = (),
    entity_names: dict[str, str] | None = None,
    *,
    quotes: Sequence[dict[str, Any]] = (),
    part: str = "text",
    cited: Iterable[tuple[int, int]] = (),
) -> Markup:
    """``text`` as HTML: mentions linked to their entity pages, dates in ``<mark>``,
    quotes in ``<span class="quote" title="speaker (kind)">``, cited sentences in
    ``<span class="cited" id=…>``.

    ``entities``/``dates``/``quotes`` are :meth:`Store.article_annotations` records
    (offsets into ``text``); ``entity_names`` gives titles by entity id; ``cited`` holds
    ``(start, end)`` sentence offsets into ``text``, the article part ``part``.
    """
    names = entity_names or {}
    sentences = _sentences(text, part, cited)
    said = _non_overlapping([_Span(q["start"], q["end"], "quote", q) for q in quotes], len(text))
    marks = [s for s in _spans(text, entities, dates) if not _crosses(s, [*sentences, *said])]
    return _render(text, 0, len(text), [sentences, _cut(said, sentences), marks], names)
