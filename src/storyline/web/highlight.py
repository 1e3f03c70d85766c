"""Article text with entity mentions and dates marked up, safely.

Why by hand and not with a template filter: the spans are offsets into scraped
text, so the text is cut at the offsets and *every* segment is escaped on its
own; only the tags we write ourselves are markup. Scraped text is never marked
safe as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    kind: str  # "entity" | "date"
    data: dict[str, Any]


def _spans(
    text: str, entities: Sequence[dict[str, Any]], dates: Sequence[dict[str, Any]]
) -> list[_Span]:
    """Valid, non-overlapping spans in text order; on overlap the earlier (then longer) wins."""
    raw = [_Span(e["start"], e["end"], "entity", e) for e in entities]
    raw += [_Span(d["start"], d["end"], "date", d) for d in dates]
    raw.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[_Span] = []
    pos = 0
    for span in raw:
        if 0 <= span.start < span.end <= len(text) and span.start >= pos:
            kept.append(span)
            pos = span.end
    return kept


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


def highlight(
    text: str,
    entities: Sequence[dict[str, Any]],
    dates: Sequence[dict[str, Any]],
    entity_names: dict[str, str] | None = None,
) -> Markup:
    """``text`` as HTML: mentions linked to their entity pages, dates in ``<mark>``.

    ``entities``/``dates`` are :meth:`Store.article_annotations` records (offsets into
    ``text``); ``entity_names`` gives link titles by entity id.
    """
    names = entity_names or {}
    parts: list[Markup] = []
    pos = 0
    for span in _spans(text, entities, dates):
        parts.append(escape(text[pos : span.start]))
        opening, closing = _open_tag(span, names.get(str(span.data.get("entity_id") or "")))
        parts.append(opening + escape(text[span.start : span.end]) + closing)
        pos = span.end
    parts.append(escape(text[pos:]))
    return Markup("").join(parts)
