"""Line-level features for the plain-text page extractor: shape, phrase tables, printed dates.

Everything here looks at one line at a time; the decisions that need the page
(position, neighbours, the title) live in :mod:`storyline.extract.text`. The
phrase knowledge comes from ``resources/boilerplate.json`` so that adding a
language is adding rows, and every language's rows apply to every page because
news pages mix languages (Ukrainian sites with Russian menus, English widgets).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from types import MappingProxyType

from storyline import resources

# A line the classifier may drop by phrase only if it is short enough to be a widget:
# a 400-character paragraph that mentions "Google News" is still a paragraph.
CONTAINS_MAX_CHARS = 300

_STRIP_CHARS = " \t\u00a0•·*|-–—»›>,;:"
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d(?:[\d\s.,]*\d)?")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_TERMINAL = re.compile(r"[.!?…]['\"»”’)\]]*$|\.\.\.$")
_SENTENCE_BREAK = re.compile(r"[.!?…]['\"»”]?\s+['\"«“(]?[A-ZА-ЯЁІЇЄҐ]")
_BULLET = re.compile(r"^[•·*▪◦]\s*")
# "…успехРБК и Сбер Первый, 18:15": a feed headline glued to its rubric and time. The
# rubric starts with a capital right after a lower-case letter or closing quote.
_GLUED_FEED = re.compile(
    r"[a-zа-яёіїєґ»\"”)?!.][A-ZА-ЯЁІЇЄҐ][^\W\d_]*(?:[ &-][^\W\d_]+){0,3},\s*\d{1,2}:\d{2}\s*$"
)
_NAME_TOKEN = re.compile(
    r"^(?:[A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ'’]+(?:-[A-ZА-ЯЁІЇЄҐ]?[a-zа-яёіїєґ'’]+)?|[A-ZА-ЯЁІЇЄҐ]{2,})$"
)


def clean(line: str) -> str:
    """The line as it is kept in the output: outer whitespace and list bullets removed."""
    return _BULLET.sub("", line.strip()).strip()


@lru_cache(maxsize=4096)
def normalize(line: str) -> str:
    """Comparison key: case and ё/е differences, bullets and separators do not make lines differ.
    Kept for the last lines: the line rules read each line's key five times or more."""
    text = _SPACE.sub(" ", line.casefold().replace("ё", "е")).strip(_STRIP_CHARS)
    return text.strip()


def _fold(phrase: str) -> str:
    """Table phrases keep their punctuation ('источник:' must not match 'Источник в МВД…')."""
    return _SPACE.sub(" ", phrase.casefold().replace("ё", "е")).strip()


def stats_key(line: str) -> str:
    """Key for cross-page counting: numbers fold to 0 ('5 374 views' = '1 193 views')."""
    return _NUMBER.sub("0", normalize(line))


def words(line: str) -> list[str]:
    """Letter-initial tokens: numbers, dashes and emoji do not count as words."""
    return _WORD.findall(line)


def ends_sentence(line: str) -> bool:
    """Ends with terminal punctuation (possibly inside a closing quote): prose, not a label."""
    return bool(_TERMINAL.search(line.rstrip()))


def has_sentence_break(line: str) -> bool:
    """Contains the end of one sentence and the start of another."""
    return bool(_SENTENCE_BREAK.search(line))


def is_prose(line: str) -> bool:
    """A line that reads as running text: a full sentence of some length, or simply long.

    Headlines, rubrics, captions and widgets are short and carry no final full stop,
    so this is the signal that separates the page's furniture from the article body.
    """
    n = len(words(line))
    return (ends_sentence(line) and n >= 8) or len(line) >= 250


def is_headline_shaped(line: str) -> bool:
    """Could be a headline: a few words, no final full stop, mostly letters, not a label.

    News headlines are written without a closing full stop (style guides of every
    outlet in ru/uk/en), so a full stop marks a sentence of the body or a caption.
    """
    text = line.strip()
    n = len(words(text))
    if not (3 <= n <= 30) or not (12 <= len(text) <= 220):
        return False
    if _BULLET.match(text) or text.endswith((".", ":", ";", ",")):
        return False
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 0.6 * len(text.replace(" ", ""))


_NUMBERED = re.compile(r"^\d{1,2}[.)]\s")
_TAG_PUNCTUATION = re.compile(r"[^\w\s'’-]")
_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)


def is_tag_list(line: str) -> bool:
    """A run of capitalised names with nothing between them («Сергей Лавров Энтони Блинкен
    Москва Россия США Женева Переговоры»): a page's tags, not a headline.

    Russian and Ukrainian headlines are written in sentence case, so five capitalised
    words in a row without a lower-case word or a mark are tags. English headlines are
    often Title Case ("Ukraine Considers Martial Law After Russia Seizes Its Ships Near
    Crimea"), so a Latin line is never judged a tag list by its shape."""
    tokens = line.split()
    if len(tokens) < 5 or _TAG_PUNCTUATION.search(line) or not _CYRILLIC.search(line):
        return False
    return all(t[:1].isupper() or t[:1].isdigit() for t in tokens)


def is_menu_item(line: str) -> bool:
    """A numbered navigation entry ("2. Skip to main menu", «1) Новини») or a hashtag
    line ("#Open journalism"): never a headline."""
    text = line.strip()
    return bool(_NUMBERED.match(text)) or text.startswith("#")


def is_name_like(text: str) -> bool:
    """Two or three capitalized words and nothing else: a person's name (byline or caption)."""
    tokens = text.strip().split()
    return 2 <= len(tokens) <= 3 and all(_NAME_TOKEN.match(t) for t in tokens)


def is_glued_feed_item(line: str) -> bool:
    """A news-feed entry whose headline, rubric and time lost their separators."""
    return bool(_GLUED_FEED.search(line.strip()))


def stems(line: str) -> set[str]:
    """Crude stems (first five letters of words longer than three): enough to tell a
    restated headline from a different sentence without a morphological analyser."""
    return {w.casefold()[:5] for w in words(line) if len(w) > 3}


def overlap(a: str, b: str) -> float:
    """Share of the smaller stem set found in the other line."""
    sa, sb = stems(a), stems(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


@dataclass(frozen=True, slots=True)
class Tables:
    """All languages' phrase tables merged and normalized, with compiled regexes."""

    exact: Mapping[str, str]
    prefix: tuple[tuple[str, str], ...]
    contains: tuple[tuple[str, str], ...]
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    rubrics: frozenset[str]
    sidebar_start: frozenset[str]
    tail_start: frozenset[str]
    teaser_heads: frozenset[str]
    author_labels: tuple[str, ...]
    job_titles: frozenset[str]
    timestamp_labels: frozenset[str]
    update_labels: frozenset[str]
    title_prefixes: tuple[str, ...]
    section_labels: tuple[str, ...]
    months: Mapping[str, int]


@cache
def tables() -> Tables:
    """Load ``boilerplate.json`` once; merge every language (pages mix languages)."""
    data = resources.load("boilerplate")
    exact: dict[str, str] = {}
    prefix: list[tuple[str, str]] = []
    contains: list[tuple[str, str]] = []
    patterns: list[tuple[re.Pattern[str], str]] = []
    sets: dict[str, set[str]] = {
        k: set()
        for k in (
            "rubrics",
            "sidebar_start",
            "tail_start",
            "teaser_heads",
            "author_labels",
            "job_titles",
            "timestamp_labels",
            "update_labels",
            "title_prefixes",
            "section_labels",
        )
    }
    for table in data.values():
        for reason, phrases in table.get("exact", {}).items():
            for phrase in phrases:
                exact.setdefault(normalize(phrase), reason)
        for reason, phrases in table.get("prefix", {}).items():
            prefix.extend((_fold(p), reason) for p in phrases)
        for reason, phrases in table.get("contains", {}).items():
            contains.extend((_fold(p), reason) for p in phrases)
        for reason, regexes in table.get("patterns", {}).items():
            patterns.extend((re.compile(r), reason) for r in regexes)
        for key, bucket in sets.items():
            bucket.update(normalize(p) for p in table.get(key, []))
    prefix.sort(key=lambda item: -len(item[0]))
    return Tables(
        exact=MappingProxyType(exact),
        prefix=tuple(prefix),
        contains=tuple(contains),
        patterns=tuple(patterns),
        rubrics=frozenset(sets["rubrics"]),
        sidebar_start=frozenset(sets["sidebar_start"]),
        tail_start=frozenset(sets["tail_start"]),
        teaser_heads=frozenset(sets["teaser_heads"]),
        author_labels=tuple(sorted(sets["author_labels"], key=len, reverse=True)),
        job_titles=frozenset(sets["job_titles"]),
        timestamp_labels=frozenset(sets["timestamp_labels"]),
        update_labels=frozenset(sets["update_labels"]),
        title_prefixes=tuple(sorted(sets["title_prefixes"], key=len, reverse=True)),
        section_labels=tuple(sorted(sets["section_labels"], key=len, reverse=True)),
        months=MappingProxyType(resources.month_numbers()),
    )


def phrase_reason(line: str, t: Tables) -> str | None:
    """The boilerplate reason a phrase table gives this line, if any."""
    key = normalize(line)
    if not key:
        return None
    if key in t.exact:
        return t.exact[key]
    if key in t.rubrics:
        return "rubric"
    if is_glued_feed_item(line):
        return "sidebar"
    for pattern, reason in t.patterns:
        if pattern.search(key):
            return reason
    for phrase, reason in t.prefix:
        if key.startswith(phrase) and (
            len(key) == len(phrase) or not key[len(phrase)].isalnum() or not phrase[-1].isalnum()
        ):
            return reason
    if len(line) <= CONTAINS_MAX_CHARS:
        for phrase, reason in t.contains:
            if phrase in key:
                return reason
    return None


# ---------------------------------------------------------------- printed dates


@dataclass(frozen=True, slots=True)
class Stamp:
    """A date (and maybe time) printed on a line.

    ``value`` is None when the year is not printed ("17 ИЮЛ, 11:56"): the line is
    still a timestamp to drop, but it cannot say when the page was published.
    """

    value: datetime | None
    precision: str | None
    residual: str
    """The line without the date, time and label words (an author, a site name…)."""
    is_update: bool


@cache
def _date_regexes() -> tuple[re.Pattern[str], ...]:
    forms = sorted(tables().months, key=len, reverse=True)
    month = "(?P<mon>" + "|".join(re.escape(f) for f in forms) + r")(?![^\W\d_])\.?"
    year = r"(?P<y>(?:19|20)\d{2})(?!\d)"
    day = r"(?P<d>[0-3]?\d)(?!\d)"
    return (
        re.compile(rf"(?<!\d)(?P<y>(?:19|20)\d{{2}})-(?P<m>[01]?\d)-{day}", re.I),
        re.compile(rf"(?<!\d){day}[./-](?P<m>[01]?\d)[./-]{year}", re.I),
        re.compile(rf"(?<!\d){day}(?:-?(?:го|е|th|st|nd|rd))?\s+{month},?\s+{year}", re.I),
        re.compile(rf"(?<![^\W\d_]){month}\s+{day}(?:st|nd|rd|th)?,?\s*{year}", re.I),
        re.compile(rf"(?<!\d){day}\s+{month}", re.I),
        re.compile(rf"(?<![^\W\d_]){month}\s+{day}\b", re.I),
    )


_TIME = re.compile(
    r"(?<![\d:.])(?P<h>[0-2]?\d):(?P<mi>[0-5]\d)(?::[0-5]\d)?(?!\d)\s*(?P<ap>[ap]\.?\s?m\.?)?(?![^\W\d_])",
    re.I,
)
_DIGIT = re.compile(r"\d")
_GLUED_YEAR_TIME = re.compile(r"((?<!\d)(?:19|20)\d{2})(\d{1,2}:\d{2})")
# How many other words a timestamp line may carry (labels excluded): a bare "2 мая" must stand
# almost alone to be page furniture, a full date with a clock time is metadata even beside
# a caption or a site name.
_MAX_RESIDUAL_WORDS = {"partial": 1, "day": 3, "minute": 6}


def find_stamp(line: str) -> Stamp | None:
    """The date printed on a line that is *only* a timestamp (plus labels, a name or site).

    A date inside a sentence ("Об этом 12 января пишет ТАСС.") is a fact of the
    story, not page metadata, so lines with more than a few other words are refused.
    """
    if not _DIGIT.search(line):  # every date pattern has a digit: most lines are refused here
        return None
    text = _GLUED_YEAR_TIME.sub(r"\1 \2", line)
    t = tables()
    found: re.Match[str] | None = None
    for regex in _date_regexes():
        found = regex.search(text)
        if found:
            break
    if found is None:
        return None
    value: datetime | None = None
    precision: str | None = None
    groups = found.groupdict()
    rest = text[: found.start()] + " " + text[found.end() :]
    time = _TIME.search(rest)
    if time:
        rest = rest[: time.start()] + " " + rest[time.end() :]
    if groups.get("y"):
        month = int(groups["m"]) if groups.get("m") else t.months.get(groups["mon"].casefold(), 0)
        day_n = int(groups["d"])
        if groups.get("m") and month > 12 >= day_n:  # 07/17/2023: US order
            month, day_n = day_n, month
        try:
            value = datetime(int(groups["y"]), month, day_n)
            precision = "day"
            if time:
                hour = int(time["h"]) % 24
                ap = (time["ap"] or "").casefold()
                if ap.startswith("p") and hour < 12:
                    hour += 12
                elif ap.startswith("a") and hour == 12:
                    hour = 0
                value = value.replace(hour=hour, minute=int(time["mi"]))
                precision = "minute"
        except ValueError:
            value, precision = None, None
    labels = t.timestamp_labels | t.update_labels
    lowered = rest.casefold()
    is_update = any(re.search(rf"(?<!\w){re.escape(u)}(?!\w)", lowered) for u in t.update_labels)
    residual_words = [w for w in words(rest) if w.casefold().strip(".") not in labels]
    if len(residual_words) > _MAX_RESIDUAL_WORDS[precision or "partial"]:
        return None
    if residual_words and ends_sentence(line) and len(residual_words) > 1:
        return None
    residual = _SPACE.sub(" ", rest).strip(_STRIP_CHARS + " /")
    return Stamp(value=value, precision=precision, residual=residual, is_update=is_update)


_CRAWLER = re.compile(r"^\s*date\s+((?:19|20)\d{2})-(\d{2})(?:-(\d{2}))?(?!\d)\s*(.*)$", re.S)


def crawler_date(line: str) -> tuple[datetime, str, str, str] | None:
    """A crawler's ``date 2023-07-17`` prefix: (date, precision, the prefix, the rest of the line).

    The crawler glues its metadata to the first line of the page, so the rest of
    the line is page text and goes on through the classifier.
    """
    m = _CRAWLER.match(line)
    if not m:
        return None
    try:
        value = datetime(int(m[1]), int(m[2]), int(m[3] or 1))
    except ValueError:
        return None
    precision = "day" if m[3] else "month"
    prefix = line[: m.start(4)].strip()
    return value, precision, prefix, m[4].strip()
