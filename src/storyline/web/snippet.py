"""A search result's snippet: the passage of the page where the query's words stand, the
words marked, whatever form the page uses («Столтенберга» for «Столтенберг»).

Words are matched the way the search index matched them (:func:`query_terms`: each
query word's folded form and its lemmas); only words that share a stem-sized prefix
with a query term are lemmatized, so a long page costs a few dictionary look-ups, not
one per word. The markup is built from escaped pieces, like :mod:`highlight`.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from storyline.document import Article
from storyline.nlp import morph
from storyline.nlp.terms import WORD, fold
from storyline.store.search import query_terms

WIDTH = 240
"""Characters of text a snippet shows around the first marked word."""
_STEM = 3
"""A word is a candidate only if it starts like some query term (this many letters)."""


def _marked_spans(text: str, terms: set[str], lang: str | None) -> list[tuple[int, int]]:
    prefixes = {t[:_STEM] for t in terms}
    spans = []
    for match in WORD.finditer(text):
        word = fold(match.group())
        if word[:_STEM] not in prefixes:
            continue
        if word in terms or (
            morph.analyzer(lang) is not None and fold(morph.lemma(match.group(), lang)) in terms
        ):
            spans.append(match.span())
    return spans


def snippet(text: str, query: str, lang: str | None, width: int = WIDTH) -> Markup:
    """About ``width`` characters of ``text`` around its first word matching ``query``,
    matches in ``<mark class="hit">``; the opening of the text when no word matches."""
    terms = {t for group in query_terms(query) for t in group}
    spans = _marked_spans(text, terms, lang) if terms else []
    if not spans:
        cut = text[:width]
        return Markup("{}{}").format(cut, "…" if len(text) > width else "")
    first = spans[0][0]
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > spans[0][1] else end
    parts = [Markup("…") if start else Markup("")]
    at = start
    for begin, stop in spans:
        if begin < start or stop > end:
            continue
        parts.append(escape(text[at:begin]))
        parts.append(Markup('<mark class="hit">{}</mark>').format(text[begin:stop]))
        at = stop
    parts.append(escape(text[at:end]))
    if end < len(text):
        parts.append(Markup("…"))
    return Markup("").join(parts)


def searched_text(article: Article) -> str:
    """What a snippet is cut from: the lead, then the body (the title is shown anyway)."""
    return "\n".join(p for p in (article.lead, article.text) if p)
