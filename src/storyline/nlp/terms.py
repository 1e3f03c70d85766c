"""Words as a search index holds them: each form, and its lemma where it differs.

Pure text processing, so the ingest workers compute an article's terms along with
its annotations and the single writer only stores them.
"""

from __future__ import annotations

import re

from storyline.document import Article
from storyline.nlp import morph

WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold(word: str) -> str:
    return word.casefold().replace("ё", "е")


def lemma_text(text: str, lang: str | None) -> str:
    """``text`` as index terms: each word's casefolded form, followed by its lemma when
    that differs. Keeping the form too means a word pymorphy reads oddly in context is
    still found by what was typed."""
    terms: list[str] = []
    for match in WORD.finditer(text):
        word = match.group()
        form = fold(word)
        terms.append(form)
        if morph.analyzer(lang) is not None and not word.isdigit():
            lemma = fold(morph.lemma(word, lang))
            if lemma != form:
                terms.extend(WORD.findall(lemma))
    return " ".join(terms)


def article_terms(article: Article) -> str:
    """The index terms of the article's title, lead and body."""
    parts = (article.title or "", article.lead or "", article.text)
    return " ".join(lemma_text(p, article.lang) for p in parts if p)
