"""The values that flow through the pipeline.

A :class:`RawDocument` is one input as it was received: bytes plus whatever the
container knew about it (an HTTP header, a feed entry, a JSONL record). The
extract stage turns it into an :class:`Article`. Both are plain frozen values so
that a stage can run in another process or on another machine unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

Precision = Literal["minute", "hour", "day", "month", "year"]

STORYLINE = "storyline"
"""The ``published_evidence`` of a date inferred from the page's storyline: re-resolved
whenever the storyline's dates change, and never itself a date the storyline goes by."""
CRAWLER = "crawler"
REDATABLE = (STORYLINE, CRAWLER)
"""Evidence a page's storyline may overrule: its own inference, and a crawler's token
(often the crawl's date: a page of April 2018 saved in March 2025)."""
ContentKind = Literal["html", "text"]


@dataclass(frozen=True, slots=True)
class GivenMetadata:
    """Metadata a container states outright (JSONL fields, feed entries).

    Given metadata wins over anything extraction reads from the page, because
    whoever produced the container knew more than the page shows.
    """

    external_id: str | None = None
    title: str | None = None
    published: datetime | None = None
    published_precision: Precision | None = None
    outlet: str | None = None
    author: str | None = None
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input as received, before any interpretation of its bytes."""

    source: str
    """The path or URL as the user gave it (for containers: ``path#n`` or the entry link)."""
    data: bytes
    url: str | None = None
    content_type: str | None = None
    """Media type from the container (HTTP header, JSONL field), without parameters."""
    charset: str | None = None
    """Charset the container declared (HTTP header); a hint, checked against the bytes."""
    kind: ContentKind | None = None
    """Set when the container says what the payload is (JSONL ``text`` vs ``html``)."""
    given: GivenMetadata = field(default_factory=GivenMetadata)

    @property
    def sha256(self) -> str:
        """Identity of the input: the same bytes from the same place are the same document.

        The URL and external id take part so that two feed entries with identical
        bodies but different links stay two documents.
        """
        h = hashlib.sha256(self.data)
        for part in (self.url, self.given.external_id):
            h.update(b"\0" + (part or "").encode())
        return h.hexdigest()

    @property
    def article_id(self) -> str:
        return "a_" + self.sha256[:16]


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: what a reader would call the story, and what we know about it."""

    id: str
    source: str
    text: str
    title: str | None = None
    lead: str | None = None
    url: str | None = None
    external_id: str | None = None
    outlet: str | None = None
    """The publisher: a registry id (its main domain) or the page's host; ``None`` when
    nothing says who published the page (never a guess)."""
    cites: tuple[str, ...] = ()
    """Outlets the page cites as sources of what it reports («пишет ТАСС»), not its publisher."""
    author: str | None = None
    lang: str | None = None
    lang_confidence: float | None = None
    published: datetime | None = None
    published_precision: Precision | None = None
    published_inferred: bool = False
    published_evidence: str | None = None
    """Which evidence dated the page: ``given``, ``page``, ``label``, ``url``, ``dateline``,
    ``today``, ``reporting``, ``crawler`` or ``storyline``, two joined by ``+`` when the
    weaker made the date finer (see :mod:`storyline.extract.published`)."""
    content_hash: str = ""
    """Hash of the normalized body text: equal hashes are exact duplicates."""
    duplicate_of: str | None = None
    doc_sha256: str = ""

    def with_(self, **changes: object) -> Article:
        return replace(self, **changes)  # type: ignore[arg-type]
