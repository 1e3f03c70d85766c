"""Plain-text page dumps → title, lead, body paragraphs, author and printed date.

The input is what people keep of a news page: its visible text with the tags gone,
so menus, currency and weather widgets, view counters, photo credits, "read also"
teasers, share calls and the news-feed sidebar sit between the article's lines.
Nothing off the shelf handles that (HTML extractors need the tags), so each line
is classified here from four kinds of evidence:

* **phrase tables** per language (``resources/boilerplate.json``), all applied to
  every page because pages mix languages;
* **line shape** (:mod:`storyline.extract.lines`): prose ends in a full stop and runs
  long, headlines and labels do not; numbers-only lines are counters and widgets;
* **position**: the article sits between a header (navigation, title, date,
  byline) and a tail (tags, comments, feed) — once the body has begun, a feed
  heading ends it; a line that restates the title is never content;
* **repetition across one outlet's pages** (:class:`LineStats`): a line printed on
  many pages of the same site is the site, not the story.

Everything is a pure function of the text (and the optional stats): no I/O.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from storyline.extract.lines import (
    Stamp,
    Tables,
    clean,
    crawler_date,
    ends_sentence,
    find_stamp,
    has_sentence_break,
    is_headline_shaped,
    is_menu_item,
    is_name_like,
    is_prose,
    is_tag_list,
    normalize,
    overlap,
    phrase_reason,
    stats_key,
    tables,
    words,
)
from storyline.extract.published import (
    DateEvidence,
    choose_published,
    closing_dates,
    has_publication_label,
)

REPEAT_MIN_PAGES = 3
"""A line on this many pages of one outlet is the outlet's furniture, not one story's text."""
REPEAT_MAX_CHARS = 160
"""Longer lines are paragraphs; a reprinted paragraph is a duplicate story, not boilerplate."""
HEAD_SCAN_LINES = 20
"""How many non-empty lines may precede the title (menus and widgets are long on some sites)."""
GLUED_EXTRA_CHARS = 60
"""A title copy may carry this much glued furniture (breadcrumb, date, counter) around it."""
HEADING_MAX_WORDS = 6
LEAD_MIN_WORDS = 6
ALT_TITLE_OVERLAP = 0.5

CONTENT = frozenset({"title", "lead", "body"})
FURNITURE_BEFORE_BODY = frozenset(
    {
        "caption",
        "credit",
        "duplicate_title",
        "truncated_title",
        "byline",
        "byline_role",
        "timestamp",
    }
)


@dataclass(frozen=True)
class LineStats:
    """How many distinct articles (of one outlet, one batch) each normalized short line
    appeared on.

    Built by :func:`count_lines`; two batches combine with :meth:`merged`, so the
    ingest stage can keep a running count per outlet. Copies of one article (a
    reprint, the same page saved twice) count once: otherwise three copies would
    turn every short line of that article into "site furniture".
    """

    counts: Mapping[str, int] = field(default_factory=dict)
    """A plain dict (treated as read-only): stats travel to worker processes by pickle."""
    pages: int = 0
    articles: frozenset[str] = frozenset()
    """Line hashes identifying the articles counted (see :func:`article_signature`)."""

    def pages_with(self, line: str) -> int:
        """Number of counted articles that contain ``line`` (compared normalized)."""
        return self.counts.get(stats_key(line), 0)

    def merged(self, other: LineStats) -> LineStats:
        """Counts of both batches, as if they had been counted together."""
        total = Counter(self.counts)
        total.update(other.counts)
        return LineStats(
            counts=dict(total),
            pages=self.pages + other.pages,
            articles=self.articles | other.articles,
        )

    def for_extraction(self) -> LineStats:
        """Only what :func:`extract_text` reads: the lines frequent enough to matter.

        Keeps what travels to each worker small however large the batch grows.
        """
        frequent = {k: n for k, n in self.counts.items() if n >= REPEAT_MIN_PAGES}
        return LineStats(counts=frequent, pages=self.pages)


COPY_LINES = 3
"""How many of a page's longest lines identify its article."""
COPY_MIN_CHARS = 60
"""Shorter lines are too generic to identify an article."""


def article_signature(text: str) -> frozenset[str]:
    """What copies of one article share: hashes of its few longest lines.

    Boilerplate lines are short and body paragraphs long, so the longest lines
    of a page are its article; a reprint or a re-saved page keeps most of them
    even when a line was cut. A page with no line long enough is identified by
    its whole text.
    """
    lines = sorted({stats_key(ln) for ln in text.splitlines()}, key=len, reverse=True)
    longest = [ln for ln in lines[:COPY_LINES] if len(ln) >= COPY_MIN_CHARS] or [text.strip()]
    return frozenset(hashlib.blake2b(ln.encode(), digest_size=8).hexdigest() for ln in longest)


def _is_copy(signature: frozenset[str], counted: set[str]) -> bool:
    """Shares at least two of its longest lines (or its only one) with an article counted."""
    return len(signature & counted) >= min(2, len(signature))


def count_lines(texts: Iterable[str], known: LineStats | None = None) -> LineStats:
    """Count, for each normalized short line, the number of distinct articles it appears on.

    A line counts once per article (a repeated line inside one page, or in a
    copy of an article already counted — here or in ``known`` — is not evidence
    of site furniture), and long lines are not counted at all: only short and
    medium lines can be judged by repetition.
    """
    total: Counter[str] = Counter()
    pages = 0
    counted = set(known.articles) if known else set()
    fresh: set[str] = set()
    for text in texts:
        pages += 1
        signature = article_signature(text)
        if _is_copy(signature, counted):
            continue
        counted |= signature
        fresh |= signature
        seen = {
            stats_key(ln) for ln in text.splitlines() if 0 < len(ln.strip()) <= REPEAT_MAX_CHARS
        }
        seen.discard("")
        total.update(seen)
    return LineStats(counts=dict(total), pages=pages, articles=frozenset(fresh))


@dataclass(frozen=True)
class TextExtraction:
    """What the classifier found on one page; ``removed`` explains every dropped line."""

    title: str | None
    lead: str | None
    paragraphs: tuple[str, ...]
    author: str | None
    dates: tuple[DateEvidence, ...]
    """What the page prints of its own date: the header's date line, a crawler's token."""
    removed: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        """The body as one string, paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)

    @cached_property
    def _chosen(self) -> DateEvidence | None:
        return choose_published(self.dates, self.text)

    @property
    def published(self) -> datetime | None:
        """The page's own date (header line or crawler token), where one stands."""
        return self._chosen.value if self._chosen else None

    @property
    def published_precision(self) -> str | None:
        return self._chosen.precision if self._chosen else None


_EMPTY = TextExtraction(None, None, (), None, (), ())


class _Page:
    """Working state: one label per line, filled in by the passes of :func:`extract_text`."""

    def __init__(self, text: str, t: Tables) -> None:
        self.t = t
        self.lines = [ln.strip() for ln in text.splitlines()]
        self.label: list[str | None] = [None] * len(self.lines)
        self.extra_removed: list[tuple[str, str]] = []
        self.crawler: tuple[datetime, str] | None = None
        self.stamps: dict[int, Stamp] = {}
        self.title_idx: int | None = None
        self.lead_text: str | None = None
        self.author: str | None = None

    @property
    def content(self) -> list[int]:
        return [i for i, ln in enumerate(self.lines) if ln]

    def free(self, i: int) -> bool:
        return bool(self.lines[i]) and self.label[i] is None

    def next_content(self, i: int) -> int | None:
        return next((j for j in range(i + 1, len(self.lines)) if self.lines[j]), None)

    def prev_content(self, i: int) -> int | None:
        return next((j for j in range(i - 1, -1, -1) if self.lines[j]), None)


def extract_text(text: str, stats: LineStats | None = None) -> TextExtraction:
    """Classify every line of a plain-text page dump and assemble the article.

    Never raises on odd input: an empty or unreadable page gives an empty result and
    the caller decides whether that is an error.
    """
    if not isinstance(text, str) or not text.strip():
        return _EMPTY
    page = _Page(text, tables())
    _read_crawler_line(page)
    _apply_line_rules(page, stats)
    _cut_tail(page)
    _pair_captions(page)
    _find_title(page)
    _mark_title_copies(page)
    zone_end = _header_end(page)
    _find_byline(page, zone_end)
    _find_lead(page, zone_end)
    _classify_body(page, zone_end)
    return _assemble(page, zone_end)


# ---------------------------------------------------------------- passes


def _read_crawler_line(page: _Page) -> None:
    """A crawler's ``date YYYY-MM-DD`` glued to the first line is metadata, the rest is text."""
    first = next(iter(page.content), None)
    if first is None:
        return
    found = crawler_date(page.lines[first])
    if found is None:
        return
    value, precision, prefix, rest = found
    page.crawler = (value, precision)
    page.extra_removed.append((prefix, "crawler_meta"))
    page.lines[first] = rest


def _apply_line_rules(page: _Page, stats: LineStats | None) -> None:
    """Decisions one line justifies alone: phrase tables, widget shapes, dates, repetition."""
    for i in page.content:
        line = page.lines[i]
        reason = phrase_reason(line, page.t)
        if reason in (None, "counter"):  # "24.01.2018" alone is all digits, yet a date
            stamp = find_stamp(line)
            if stamp is not None:
                page.stamps[i] = stamp
                reason = "timestamp"
        if (
            reason is None
            and stats is not None
            and len(line) <= REPEAT_MAX_CHARS
            and stats.pages_with(line) >= REPEAT_MIN_PAGES
        ):
            reason = "repeated"
        page.label[i] = reason


def _cut_tail(page: _Page) -> None:
    """After the body has begun, a feed or footer heading ("Лента новостей", "Теги") ends it.

    The body must have begun because the same words appear in the page header as
    menu items; after real prose they introduce the site's sidebar or footer, and
    what follows them (headlines, rubrics, times) is never this article's text.
    """
    seen_prose = False
    reason: str | None = None
    for i in page.content:
        key = normalize(page.lines[i])
        if seen_prose and key in page.t.sidebar_start:
            reason = "sidebar"
        elif seen_prose and reason is None and key in page.t.tail_start:
            reason = "footer"
        if reason is not None:
            page.label[i] = reason
            page.stamps.pop(i, None)
        elif page.free(i) and is_prose(page.lines[i]):
            seen_prose = True


def _pair_captions(page: _Page) -> None:
    """Photo captions that a credit identifies.

    A line repeated by the next line plus a credit ("Сергей Лавров" / "Сергей Лавров
    (Фото: ТАСС)") is the caption; a bare "Фото:" label makes the next short line its credit.
    """
    for i in page.content:
        j = page.next_content(i)
        if j is None:
            continue
        if page.label[j] == "credit" and page.free(i) and page.lines[j].startswith(page.lines[i]):
            page.label[i] = "caption"
        if page.free(i) and _printed_twice(page.lines[i]):
            page.label[i] = "caption"
        bare = normalize(page.lines[i]) in {"фото", "photo", "відео", "видео", "video"}
        if bare and page.free(j) and len(words(page.lines[j])) <= 8 and not is_prose(page.lines[j]):
            page.label[j] = "credit"


def _printed_twice(line: str) -> bool:
    """One text run together with itself ("US consulate in St Petersburg | AP US consulate
    in St Petersburg | AP"): a picture's alt text and its caption, never a sentence."""
    text = line.strip()
    half = len(text) // 2
    for cut in range(max(1, half - 2), min(len(text), half + 3)):
        first = text[:cut].strip()
        if first == text[cut:].strip() and len(words(first)) >= 3:
            return True
    return False


def _title_copies(page: _Page, title_idx: int) -> list[tuple[int, str]]:
    """Lines that repeat the title: whole, glued to more text, or cut with an ellipsis."""
    key = normalize(page.lines[title_idx])
    found: list[tuple[int, str]] = []
    for j in page.content:
        if j == title_idx:
            continue
        line = page.lines[j]
        other = normalize(line)
        if other == key:
            found.append((j, "duplicate_title"))
        elif other.startswith(key) and _starts_new_sentence(line, page.lines[title_idx]):
            found.append((j, "glued_title"))
        elif key in other and len(other) - len(key) <= GLUED_EXTRA_CHARS:
            found.append((j, "duplicate_title"))
        elif line.rstrip().endswith(("…", "...")):
            core = normalize(line.rstrip().rstrip(".…"))
            if len(core) >= 12 and key.startswith(core):
                found.append((j, "truncated_title"))
        elif len(other) >= 20 and key.startswith(other):
            found.append((j, "truncated_title"))
    return found


def _starts_new_sentence(line: str, title: str) -> bool:
    """``line`` is the title followed by a new sentence (the lead glued on), not a body
    sentence that merely begins with the title's words ("…поїздів по ньому. Гауляйтер…")."""
    rest = line[len(title) :].lstrip() if line.startswith(title) else ""
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit() or rest[0] in "«\"“'(")


def _starts_with_label(low: str, label: str) -> bool:
    return low.startswith(label) and (len(low) == len(label) or not low[len(label)].isalnum())


def _strip_title_prefix(page: _Page, i: int) -> None:
    """ "You're reading: Standoff remains…" and a rubric glued on («ПолитикаБританский
    премьер…»): the label goes, the headline stays."""
    line = page.lines[i]
    low = line.casefold()
    for prefix in page.t.title_prefixes:
        if _starts_with_label(low, prefix):
            page.extra_removed.append((line[: len(prefix)], "nav"))
            page.lines[i] = line[len(prefix) :].lstrip(" :—–-\t")
            return
    glued = _GLUED_RUBRIC.match(line)
    if glued and normalize(glued.group(1)) in page.t.rubrics:
        page.extra_removed.append((glued.group(1), "rubric"))
        page.lines[i] = line[glued.end(1) :]


_GLUED_RUBRIC = re.compile(r"^([A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ'’]+)(?=[A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ])")


def _is_label_line(line: str, t: Tables) -> bool:
    """Lines a headline never is: a section label («Спецтема: Війна Росії проти України»),
    a numbered menu entry, a hashtag line, a list of tags."""
    low = line.casefold()
    return (
        any(_starts_with_label(low, label) and ":" in line for label in t.section_labels)
        or is_menu_item(line)
        or is_tag_list(line)
    )


MENU_LABELS = frozenset({"nav", "cta", "teaser", "related", "sidebar"})
"""Lines a copy of a headline in does not count: a video teaser ("Click to play video:
'…'") or a menu repeats other pages' headlines, not this one's."""
HEADLINE_NEIGHBOURS = frozenset({"timestamp", "credit", "byline"})


def _beside_page_furniture(page: _Page, i: int) -> bool:
    """A headline sits next to what a page prints around it — its date line, a byline
    («Автор: Gazeta.ua»), a photo credit — while a menu entry sits among menu entries."""
    for j in (page.prev_content(i), page.next_content(i)):
        if j is None:
            continue
        if page.label[j] in HEADLINE_NEIGHBOURS or j in page.stamps:
            return True
        if next(iter(words(page.lines[j])), "").casefold() in page.t.author_labels:
            return True
    return False


def _find_title(page: _Page) -> None:
    """The title is the first headline-shaped line of the header, preferring one the page repeats.

    Candidates come before the first line of prose (the body), skipping furniture
    already recognised. Sites print the headline again (social title, image alt,
    a cut copy in a breadcrumb or a "share" block), while a menu item or an outlet
    name is printed once, so a repeated candidate wins, and so does one beside the
    page's date line, byline or photo credit; then a longer one (≥ 4 words: rubric
    and outlet names are shorter); then the earliest.
    """
    candidates: list[int] = []
    for n, i in enumerate(page.content):
        if n >= HEAD_SCAN_LINES:
            break
        if page.label[i] is not None:
            continue
        _strip_title_prefix(page, i)
        line = page.lines[i]
        first_word = next(iter(words(line)), "").casefold()
        shaped = (
            is_headline_shaped(line)
            and not is_name_like(line)
            and first_word not in page.t.author_labels
            and not _is_label_line(line, page.t)
        )
        if is_prose(line) and not (shaped and line.endswith(("?", "!"))):
            break
        if shaped:
            candidates.append(i)
    if not candidates:
        return

    def score(i: int) -> tuple[bool, bool, int]:
        repeated = any(page.label[j] not in MENU_LABELS for j, _ in _title_copies(page, i))
        return repeated or _beside_page_furniture(page, i), len(words(page.lines[i])) >= 4, -i

    best = max(candidates, key=score)
    page.title_idx = best
    page.label[best] = "title"
    for i in page.content:
        if i >= best:
            break
        if page.label[i] is None:
            page.label[i] = "nav"


def _mark_title_copies(page: _Page) -> None:
    """Copies of the title are dropped; a copy glued to more text hands that text on as the lead."""
    if page.title_idx is None:
        return
    title = page.lines[page.title_idx]
    for j, kind in _title_copies(page, page.title_idx):
        if page.label[j] not in (None, "nav", "caption", "credit"):
            continue
        if kind == "glued_title":
            line = page.lines[j]
            rest = line[len(title) :].strip() if line.startswith(title) else ""
            if rest and page.lead_text is None and j > page.title_idx:
                page.lead_text = rest
                page.label[j] = "lead"
                page.extra_removed.append((title, "duplicate_title"))
            else:
                page.label[j] = "duplicate_title"
        else:
            page.label[j] = kind
            # A copy glued to the page's date ("14:48—27 вересень 2022<title>") still dates it.
            rest = page.lines[j].replace(title, " ")
            stamp = find_stamp(rest) if rest.strip() else None
            if stamp is not None and stamp.value is not None:
                page.stamps[j] = stamp


def _header_end(page: _Page) -> int:
    """Index of the first body prose after the title: dates and bylines above it are the page's."""
    start = page.title_idx if page.title_idx is not None else -1
    for i in page.content:
        if i > start and page.free(i) and is_prose(page.lines[i]):
            return i
    if page.lead_text is not None:  # title + lead glued, then nothing but furniture
        return len(page.lines)
    return len(page.lines)


def _is_role(line: str, t: Tables) -> bool:
    """A job title under a byline ("Журналіст стрічки новин")."""
    tokens = words(line)
    return (
        bool(tokens)
        and len(tokens) <= 6
        and not ends_sentence(line)
        and tokens[0].casefold() in t.job_titles
    )


def _labelled_author(line: str, t: Tables) -> str | None:
    """The name after a byline label ("By Duncan Mil", "Автор — Semen Novikov")."""
    low = line.casefold()
    for label in t.author_labels:
        if low.startswith(label) and len(low) > len(label) and not low[len(label)].isalnum():
            rest = line[len(label) :].strip(" :—–-\t")
            name = "".join(ch for ch in rest if ch.isalpha() or ch in " -'’.").strip(" .")
            if name and len(words(name)) <= 5 and not ends_sentence(rest):
                return name
    return None


def _name_part(text: str) -> str | None:
    """A person's name in a short segment ("Ігор КОЗЛОВ, «ФАКТИ»" → "Ігор КОЗЛОВ")."""
    for segment in text.replace("/", ",").replace("|", ",").replace("•", ",").split(","):
        segment = segment.strip()
        if is_name_like(segment):
            return segment
    return None


def _find_byline(page: _Page, zone_end: int) -> None:
    """The author is a name in the header that something marks as a byline.

    A bare name near the top is as often a photo caption as an author, so a name
    counts only with evidence: a label ("By", "Автор"), a job-title line under it,
    or the printed date next to it (sites print "date, author" together).
    """
    t = page.t
    head = [i for i in page.content if i < zone_end]
    for i in head:
        if page.author is not None:
            return
        line = page.lines[i]
        if i in page.stamps:
            name = _labelled_author(page.stamps[i].residual, t) or _name_part(
                page.stamps[i].residual
            )
            if name:
                page.author = name
            continue
        if page.label[i] not in (None, "nav"):
            continue
        labelled = _labelled_author(line, t)
        if labelled:
            page.author = labelled
            page.label[i] = "byline"
            continue
        name = _name_part(line) if len(words(line)) <= 6 else None
        if name is None:
            continue
        nxt, prv = page.next_content(i), page.prev_content(i)
        if nxt is not None and page.free(nxt) and _is_role(page.lines[nxt], t):
            page.label[nxt] = "byline_role"
        elif not (
            (nxt is not None and nxt in page.stamps) or (prv is not None and prv in page.stamps)
        ):
            continue
        page.author = name
        page.label[i] = "byline"


def _find_lead(page: _Page, zone_end: int) -> None:
    """The lead (standfirst) is the sentence between the title and the body.

    Sites set the standfirst apart typographically, which a text dump keeps as a
    line without a final full stop before the first prose line. When two such
    lines follow the title and the first restates the title in one sentence, the
    first is an alternative (social/SEO) headline and the second is the lead; a line
    ending with a full stop is a sentence of the story, never a headline. The first
    line of a paragraph the dump broke at a fixed width is body (:func:`_runs_on`). A
    standfirst that ends with a full stop is recognised only when furniture
    (caption, credit, byline, date, title copy) separates it from the next prose.
    """
    if page.title_idx is None:
        return
    title = page.lines[page.title_idx]
    between = [i for i in page.content if page.title_idx < i < zone_end and page.free(i)]
    long = [
        i for i in between if len(words(page.lines[i])) >= LEAD_MIN_WORDS and not _runs_on(page, i)
    ]
    if page.lead_text is None and long:
        first = long[0]
        if (
            len(long) >= 2
            and overlap(page.lines[first], title) >= ALT_TITLE_OVERLAP
            and not has_sentence_break(page.lines[first])
            and not ends_sentence(page.lines[first])
        ):
            page.label[first] = "alt_title"
            first = long[1]
        page.label[first] = "lead"
        page.lead_text = clean(page.lines[first])
    elif page.lead_text is None and zone_end < len(page.lines):
        nxt = page.next_content(zone_end)
        gap = [i for i in page.content if nxt is not None and zone_end < i < nxt]
        if gap and all(page.label[i] in FURNITURE_BEFORE_BODY for i in gap):
            page.label[zone_end] = "lead"
            page.lead_text = clean(page.lines[zone_end])
    lead_seen = False
    for i in between:
        if page.label[i] == "lead":
            lead_seen = True
        elif (
            page.free(i)
            and len(words(page.lines[i])) < LEAD_MIN_WORDS
            and not ends_sentence(page.lines[i])
        ):
            page.label[i] = "caption" if lead_seen or is_name_like(page.lines[i]) else "nav"


def _runs_on(page: _Page, i: int) -> bool:
    """Line ``i`` is the first part of a paragraph the dump broke at a fixed width: no
    final punctuation, and the very next line goes on in lower case ("…Russia's" /
    "defense ministry said late Thursday."): body text, not a standfirst, and one
    paragraph with the next line."""
    line = page.lines[i]
    nxt = page.lines[i + 1] if i + 1 < len(page.lines) else ""
    return (
        nxt[:1].islower()
        and not nxt.startswith(("http", "www."))
        and not ends_sentence(line)
        and not line.endswith((":", "…"))
    )


def _classify_body(page: _Page, zone_end: int) -> None:
    """Body-region furniture: teaser lists, related-article cards, headings, stray fragments.

    A related-article card is a headline with its rubric (and a caption) — the
    rubric is the tell, since articles do not print section names mid-text. A
    short line without final punctuation between paragraphs is a subheading; kept
    out of the body because it is not a sentence of the story (consistently: the
    body is the story's prose only). The page's last line, if such a stub, is a
    leftover ("deneme", a cut "Rel…").
    """
    t = page.t
    content = page.content
    # "Читайте также" alone on a line: the headlines after it are teasers.
    for i in content:
        if normalize(page.lines[i]) in t.teaser_heads and page.label[i] in (None, "teaser"):
            page.label[i] = "teaser"
            j = page.next_content(i)
            steps = 0
            while j is not None and steps < 8 and page.free(j) and not is_prose(page.lines[j]):
                page.label[j] = "related"
                j, steps = page.next_content(j), steps + 1
    # Related-article card: a headline right above a rubric, a caption right below it.
    for i in content:
        if page.label[i] != "rubric" or i < zone_end:
            continue
        above, below = i - 1, i + 1
        if above >= 0 and page.free(above) and is_headline_shaped(page.lines[above]):
            page.label[above] = "related"
        if (
            below < len(page.lines)
            and page.free(below)
            and len(words(page.lines[below])) <= 5
            and not ends_sentence(page.lines[below])
        ):
            page.label[below] = "related"
    last = content[-1] if content else None
    stubs = {i for i in content if page.free(i) and _is_stub(page.lines[i])}
    for i in content:
        if not page.free(i):
            continue
        line = page.lines[i]
        # Consecutive stubs are a list (names, results), not headings.
        in_list = page.prev_content(i) in stubs or page.next_content(i) in stubs
        stub = i in stubs and not in_list
        if stub and i == last and len(words(line)) <= 2:
            page.label[i] = "fragment"
        elif stub and i >= zone_end and i != last:
            page.label[i] = "caption" if is_name_like(line) else "heading"
        elif stub and i < zone_end and page.title_idx is None:
            page.label[i] = "nav"
        else:
            page.label[i] = "body"


def _is_stub(line: str) -> bool:
    """A short line that is not a sentence (heading, caption, leftover) and not a list item."""
    return (
        len(words(line)) <= HEADING_MAX_WORDS
        and not ends_sentence(line)
        and not line.endswith((":", ",", ";"))
        and line[:1] not in "•·*▪◦"
    )


def _beside_widget(page: _Page, i: int) -> bool:
    """A date printed next to a currency or weather widget is the site's clock
    ("Воскресенье, 1 марта 2026" over "$77.27 €91.3"), shown whenever the page was
    saved, not when the article was published."""
    return any(
        j is not None and page.label[j] == "widget"
        for j in (page.prev_content(i), page.next_content(i))
    )


DATED_FURNITURE = frozenset({"caption", "embed", "nav"})

EARLY_STAMP_LINES = 3
"""A date line standing alone among the first lines of the body is the page's own
(sites print "Субота, 23 липня 2022, 07:14" under the standfirst as often as above it)."""


def _date_evidence(page: _Page, zone_end: int) -> tuple[DateEvidence, ...]:
    """The date the page prints of itself, and the crawler's token, as separate evidence.

    Header dates count, and a date line among the first lines of the body or one
    behind a publication label ("Published July 22,2022"); other dates inside the
    body and in the tail feed are other events' dates. A modification time is used
    only when no publication time is printed. The crawler's token is kept apart
    because it is often the crawl's date, not the page's
    (:func:`storyline.extract.published.choose_published`).
    """
    early = set([i for i in page.content if i >= zone_end][:EARLY_STAMP_LINES])
    printed = [
        s
        for i, s in sorted(page.stamps.items())
        if s.value
        and (i < zone_end or i in early or has_publication_label(page.lines[i]))
        and not _beside_widget(page, i)
    ]
    chosen = next((s for s in printed if not s.is_update), None) or next(iter(printed), None)
    found: list[DateEvidence] = []
    if chosen is not None and chosen.value is not None and chosen.precision is not None:
        found.append(DateEvidence(chosen.value, chosen.precision, "page"))  # type: ignore[arg-type]
    if page.crawler is not None:
        value, precision = page.crawler
        found.append(DateEvidence(value, precision, "crawler"))  # type: ignore[arg-type]
    # a caption or an embedded post the body leaves out still dates its picture or post
    dated = [page.lines[i] for i in page.content if page.label[i] in DATED_FURNITURE]
    found.extend(closing_dates("\n".join(dated)))
    return tuple(found)


def _assemble(page: _Page, zone_end: int) -> TextExtraction:
    removed = list(page.extra_removed)
    paragraphs: list[str] = []
    runs_on = False
    for i in page.content:
        label = page.label[i] or "body"
        if label == "body" and runs_on and paragraphs:
            paragraphs[-1] += " " + clean(page.lines[i])  # the rest of a broken paragraph
        elif label == "body":
            paragraphs.append(clean(page.lines[i]))
        elif label not in CONTENT:
            removed.append((page.lines[i], label))
        runs_on = label == "body" and _runs_on(page, i)
    title = clean(page.lines[page.title_idx]) if page.title_idx is not None else None
    return TextExtraction(
        title=title,
        lead=page.lead_text,
        paragraphs=tuple(paragraphs),
        author=page.author,
        dates=_date_evidence(page, zone_end),
        removed=tuple(removed),
    )
