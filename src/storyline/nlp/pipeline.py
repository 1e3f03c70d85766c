"""The annotate stage: one article in, its :class:`Annotations` out.

Pure and per-article, so it runs the same in-process, in a worker pool or on
a cluster. Offsets point into ``article.text`` (the cleaned body), as the
export contract says. Components run in a fixed order, each a function of
values: sentences → entities (NER, minus role words mistaken for names, then
roles attached to people, then roles used on their own) → dates → durations →
quotes (their speakers index the entities).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from storyline.document import Article
from storyline.nlp import roles, segment
from storyline.nlp.annotations import Annotations, EntityMention
from storyline.nlp.dates import find_dates
from storyline.nlp.durations import find_durations
from storyline.nlp.ner.registry import recognize, recognize_many
from storyline.nlp.quotes import find_quotes

_EXACT = ("minute", "hour", "day")


def date_reference(article: Article) -> tuple[date | None, date | None]:
    """``(published, anchor)`` for resolving the page's dates.

    Only a publication day the page states counts as ``published``; an inferred
    or month-precise one is an ``anchor``, so dates resolved against it are
    marked inferred too.
    """
    if article.published is None:
        return None, None
    day = article.published.date()
    if article.published_precision in _EXACT and not article.published_inferred:
        return day, None
    return None, day


def annotate(
    article: Article, entities: tuple[EntityMention, ...] | None = None, *, quotes: bool = True
) -> Annotations:
    """``entities``: the text's entity mentions when they were found before. They do not
    depend on the publication date, so a page its story re-dates is read again for its
    dates without running NER. ``quotes=False`` leaves the quotes out: they do not depend
    on the date either, and event finding does not read them (the re-read of a re-dated
    page is for its events)."""
    text, lang = article.text, article.lang
    if entities is None:
        entities = _entities(text, lang, recognize(text, lang))
    published, anchor = date_reference(article)
    sentences = segment.sentences(text, lang)
    return Annotations(
        article_id=article.id,
        lang=lang,
        sentences=sentences,
        entities=entities,
        dates=find_dates(text, published, lang, anchor=anchor),
        durations=find_durations(text, lang),
        quotes=find_quotes(text, lang, entities, sentences, _context(article)) if quotes else (),
    )


def _context(article: Article) -> str:
    """The title and lead where the body does not hold them: whom a quote's pronoun or role
    may refer to when the body names nobody before it (train E005: «"…", — сказав він» with
    Zelensky named in the lead only)."""
    parts = [p for p in (article.title, article.lead) if p and p.strip() not in article.text]
    return "\n".join(parts)


def recognize_articles(articles: Sequence[Article]) -> list[tuple[EntityMention, ...]]:
    """The NER mentions of each article's text, one model call per language for them all
    (a model's call has a fixed cost of about a millisecond, three for the Ukrainian
    ensemble, as much as a title's words; and the models read a batch of texts faster)."""
    named: list[tuple[EntityMention, ...]] = [() for _ in articles]
    for lang in dict.fromkeys(a.lang for a in articles):
        indices = [i for i, a in enumerate(articles) if a.lang == lang]
        found = recognize_many([articles[i].text for i in indices], lang)
        for i, mentions in zip(indices, found, strict=True):
            named[i] = mentions
    return named


def annotate_many(
    articles: Sequence[Article], named: Sequence[tuple[EntityMention, ...]] | None = None
) -> list[Annotations]:
    """:func:`annotate` of each article, their NER in one batch (:func:`recognize_articles`;
    ``named``: its mentions when the batch was run before, over more texts than these)."""
    if named is None:
        named = recognize_articles(articles)
    return [annotate(a, _entities(a.text, a.lang, n)) for a, n in zip(articles, named, strict=True)]


def _entities(
    text: str, lang: str | None, named: tuple[EntityMention, ...]
) -> tuple[EntityMention, ...]:
    """The mentions NER found (``named``), minus role words mistaken for names, with the
    roles attached to people and the roles used on their own, in text order."""
    named = roles.drop_role_words(text, named, lang)
    mentions = roles.attach_roles(text, named, lang)
    references = roles.find_role_references(text, mentions, lang)
    return tuple(sorted((*mentions, *references), key=lambda m: (m.start, m.end)))
