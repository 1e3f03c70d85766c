"""One raw document in, one clean article out.

Trust order for every field: what the container states (JSONL, feed), then
what the page states (header timestamp, byline, meta tags), then what we infer
from the text (marked ``published_inferred``).
"""

from __future__ import annotations

from storyline.dedup import content_hash
from storyline.document import Article, RawDocument
from storyline.errors import ExtractionError
from storyline.extract.decode import decode
from storyline.extract.html import extract_html
from storyline.extract.outlet import choose_outlet, cited_outlets
from storyline.extract.published import (
    DateEvidence,
    choose_published,
    published_from_url,
    text_evidence,
)
from storyline.extract.text import LineStats, extract_text
from storyline.nlp.language import detect_language
from storyline.sources.sniff import looks_like_html


def extract_article(
    raw: RawDocument, *, languages: tuple[str, ...], stats: LineStats | None = None
) -> Article:
    """Clean article from ``raw``; :class:`ExtractionError` when no article text is there."""
    text = decode(raw)
    is_html = raw.kind == "html" or (raw.kind is None and looks_like_html(text))
    sitename = None
    evidence: list[DateEvidence] = []
    if is_html:
        page = extract_html(text, raw.url)
        sitename = page.sitename
        title, lead, paragraphs = page.title, page.lead, page.paragraphs
        author = page.author
        if page.published is not None and page.published_precision is not None:
            evidence.append(DateEvidence(page.published, page.published_precision, "page"))
    else:
        plain = extract_text(text, stats)
        title, lead, paragraphs = plain.title, plain.lead, plain.paragraphs
        author = plain.author
        evidence.extend(plain.dates)
    body = "\n\n".join(p for p in paragraphs if p)
    if not body.strip():
        raise ExtractionError(raw.source)

    given = raw.given
    title = given.title or title
    author = given.author or author
    if given.published is not None:
        evidence.append(DateEvidence(given.published, given.published_precision or "day", "given"))
    url_value, url_precision = published_from_url(raw.url)
    if url_value is not None and url_precision is not None:
        evidence.append(DateEvidence(url_value, url_precision, "url"))
    content = "\n\n".join(filter(None, (title, lead, body)))
    evidence.extend(text_evidence(content))
    chosen = choose_published(evidence, content)
    outlet = choose_outlet(given.outlet, raw.url, sitename, body if is_html else text)

    if given.lang:
        lang, confidence = given.lang, 1.0
    else:
        guess = detect_language("\n".join(filter(None, (title, lead, body))), languages)
        lang, confidence = guess.lang, guess.confidence

    return Article(
        id=raw.article_id,
        source=raw.source,
        text=body,
        title=title,
        lead=lead,
        url=raw.url,
        external_id=given.external_id,
        outlet=outlet,
        cites=cited_outlets(content, outlet),
        author=author,
        lang=lang,
        lang_confidence=confidence,
        published=chosen.value if chosen else None,
        published_precision=chosen.precision if chosen else None,
        published_inferred=chosen.inferred if chosen else False,
        published_evidence=chosen.source if chosen else None,
        content_hash=content_hash(body),
        doc_sha256=raw.sha256,
    )
