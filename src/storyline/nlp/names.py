"""Names across scripts: one matching key for ru/uk/en, display transliteration, name structure.

* :func:`word_key` / :func:`match_key` — a phonetic-ish key (``resources/translit.json``)
  shared by Russian, Ukrainian and English spellings: «Сергей», «Сергій», "Sergei" and
  "Sergey" all give ``sergi``; «Столтенберг» and "Stoltenberg" give ``stoltenberg``. It is
  a code for comparing, never shown to anyone.
* :func:`stem` — the key without one case ending, for inflected leftovers the
  morphological analyser could not normalise («Гутеррешем», «Лукашенка»).
* :func:`display` — a readable Latin spelling of a ru/uk name (BGN/PCGN-like for
  Russian, the national system for Ukrainian).
* :func:`standard_person` — a person's English name from the curated people table
  (``resources/people.json``, each with its source) when a transliteration is not it;
  :func:`without_titles` — a name without the role words before it.
* :func:`parse_person` — given names, patronymic and surname of a person's name;
  :func:`given_compatible` — whether two sets of given names can be the same person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from storyline import resources

_WORD = re.compile(r"[^\W\d_]+(?:[-'’ʼ][^\W\d_]+)*|\d+")
_APOSTROPHES = str.maketrans({"’": "", "ʼ": "", "'": "", "`": "", "ё": "е"})
_CYRILLIC_SKIP = frozenset("йЙїЇёЁ")
_VOWELS = frozenset("aeiou")
_ENDINGS = tuple(
    sorted(
        [
            *("iami", "ami", "akh", "iakh", "ogo", "ego", "omu", "emu", "ovi", "evi", "oiu"),
            *("eiu", "oi", "ei", "ii", "im", "om", "em", "aia", "ia", "iu", "ie", "ui", "ou"),
            *("a", "u", "e", "i", "o"),
        ],
        key=len,
        reverse=True,
    )
)
"""Case endings in key space (after :func:`word_key`), longest first."""
_MIN_STEM = 3
_PATRONYMIC = re.compile(
    r"(?:ович|евич|ьевич|ич|овна|евна|ьевна|ична|інична|ївна|івна|ovich|evich|yevich|ievich|"
    r"ovych|ovna|evna|yevna|ievna|ivna|ovichna)$",
    re.IGNORECASE,
)


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Case-folded text with ё→е, apostrophes dropped and Latin diacritics removed (ğ→g, é→e)."""
    text = text.casefold().translate(_APOSTROPHES)
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch in _CYRILLIC_SKIP or ord(ch) < 128:
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0]
        # Strip accents from Latin letters only: й, ї keep their marks (they are letters).
        if "LATIN" in unicodedata.name(base, ""):
            out.append(base)
        else:
            out.append(unicodedata.normalize("NFC", ch))
    return "".join(out)


@cache
def _key_tables() -> tuple[
    tuple[tuple[re.Pattern[str], str], ...], re.Pattern[str], dict[str, str], tuple
]:
    table = resources.load("translit")["key"]
    pre = tuple((re.compile(p), r) for p, r in table["pre"])
    mapping: dict[str, str] = table["map"]
    alternatives = sorted(mapping, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(a) for a in alternatives))
    post = tuple((re.compile(p), r) for p, r in table["post"])
    return pre, pattern, mapping, post


_CYRILLIC_LETTER = re.compile(r"[а-яёіїєґ]")
_LATIN_LETTER = re.compile(r"[a-z]")
_HOMOGLYPHS = str.maketrans("aceopxykmthbi", "асеорхукмтнві")
"""Latin letters that look like Cyrillic ones, for a word typed in both scripts."""
_STRAY = 2
"""The most Latin letters a Cyrillic word is taken to have by mistake."""


def _stray_latin(word: str) -> bool:
    """Whether a Cyrillic word has a Latin letter or two typed by mistake («Моcква»), not a
    Latin name with a Cyrillic case ending («Ryanairом», «Facebookа»)."""
    latin = len(_LATIN_LETTER.findall(word))
    return 0 < latin <= _STRAY and len(_CYRILLIC_LETTER.findall(word)) > 2 * latin


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """The matching key of one word (hyphenated parts joined by ``-``); see the module doc."""
    pre, pattern, mapping, post = _key_tables()
    parts = []
    for part in re.split(r"[-‐–]", fold(word)):
        if _stray_latin(part):
            part = part.translate(_HOMOGLYPHS)  # «Моcква» with a Latin «c» is «Москва»
        for regex, repl in pre:
            part = regex.sub(repl, part)
        part = pattern.sub(lambda m: mapping[m.group()], part)
        part = "".join(ch for ch in part if ch.isalnum())
        for regex, repl in post:
            part = regex.sub(repl, part)
        if part:
            parts.append(part)
    return "-".join(parts)


def words(text: str) -> list[str]:
    """The words of a name (letters, inner hyphens, apostrophes); quotes and punctuation dropped."""
    return _WORD.findall(text)


def match_key(text: str) -> str:
    """The matching key of a whole name: one :func:`word_key` per word, space-separated."""
    return " ".join(k for k in (word_key(w) for w in words(text)) if k)


@lru_cache(maxsize=200_000)
def stem(key: str) -> str:
    """``key`` (of one word) without one case ending; each hyphen part on its own."""
    out = []
    for part in key.split("-"):
        for ending in _ENDINGS:
            if part.endswith(ending) and len(part) - len(ending) >= _MIN_STEM:
                part = part[: -len(ending)]
                break
        out.append(part)
    return "-".join(out)


def stem_key(text: str) -> str:
    """:func:`match_key` with every word stemmed."""
    return " ".join(stem(k) for k in match_key(text).split())


_UNVOICED = str.maketrans("zbdgv", "sptkf")


def unvoiced(key: str) -> str:
    """``key`` with voiced consonants as their voiceless pairs: transliterations of one
    name from a third language often differ just so («Азия» / «Асия», «Тазир» / «Тасир»)."""
    return key.translate(_UNVOICED)


def skeleton(key: str) -> str:
    """The consonants of a key, voiced or not, for finding near-misses («Arkhamia» /
    «Арахамія», «Тазир» / «Тасир»)."""
    return "".join(ch for ch in unvoiced(key) if ch not in _VOWELS and ch.isalpha())


def osa_distance(a: str, b: str, limit: int = 3) -> int:
    """Edit distance with adjacent transpositions; anything above ``limit`` is ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


def near(a: str, b: str) -> bool:
    """Keys of long names a typo or a spelling habit apart (1 edit; 2 from 8 letters)."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if shorter < 5:
        return False
    limit = 2 if max(len(a), len(b)) >= 8 and shorter >= 7 else 1
    return osa_distance(a, b, limit) <= limit


# --- display ----------------------------------------------------------------


@cache
def _display_table(lang: str) -> tuple[re.Pattern[str], dict[str, str], dict[str, str], dict]:
    tables = resources.load("translit")["display"]
    table = tables.get(lang) or tables["ru"]
    mapping: dict[str, str] = table["map"]
    pattern = re.compile("|".join(re.escape(a) for a in sorted(mapping, key=len, reverse=True)))
    return pattern, mapping, table["initial"], table["after_vowel"]


def _display_word(word: str, lang: str) -> str:
    if not any("CYRILLIC" in unicodedata.name(ch, "") for ch in word):
        return word
    pattern, mapping, initial, after_vowel = _display_table(lang)
    lower = word.lower()
    out: list[str] = []
    pos = 0
    while pos < len(lower):
        m = pattern.match(lower, pos)
        if m is None:
            out.append(lower[pos])
            pos += 1
            continue
        piece = m.group()
        prev = lower[pos - 1] if pos else ""
        if pos == 0 or prev in "-" or prev in "ьъ'’ʼ":
            value = initial.get(piece, mapping[piece])
        elif prev in "аеёиоуыэюяіїє":
            value = after_vowel.get(piece, mapping[piece])
        else:
            value = mapping[piece]
        out.append(value)
        pos = m.end()
    text = "".join(out)
    # Capitalise like the original, per hyphen part.
    parts = text.split("-")
    originals = word.split("-")
    if len(parts) == len(originals):
        parts = [
            (p[:1].upper() + p[1:]) if o[:1].isupper() else p
            for p, o in zip(parts, originals, strict=True)
        ]
        if word.isupper() and len(word) > 1:
            parts = [p.upper() for p in parts]
    return "-".join(parts)


def display(text: str, lang: str) -> str:
    """A readable Latin spelling of ``text`` (Cyrillic words transliterated, others kept)."""
    return re.sub(r"[^\W\d_]+(?:[-'’ʼ][^\W\d_]+)*", lambda m: _display_word(m.group(), lang), text)


# --- person names -------------------------------------------------------------


@cache
def _honorifics() -> frozenset[str]:
    return frozenset(fold(w) for w in resources.load("translit")["honorifics"])


@cache
def _given_groups() -> dict[str, int]:
    groups: dict[str, int] = {}
    for index, names in enumerate(resources.load("translit")["given_names"]):
        for name in names:
            groups.setdefault(word_key(name), index)
    return groups


@cache
def _short_forms() -> dict[str, int]:
    """Key of a short first name («Джо», "Tony") → the ``given_names`` group of the full
    name it stands for (``given_short_forms``)."""
    groups = _given_groups()
    out: dict[str, int] = {}
    for short, full in resources.load("translit")["given_short_forms"]:
        group = groups.get(word_key(full))
        if group is not None:
            out.update((word_key(name), group) for name in short)
    return out


@cache
def _english_forms(table: str) -> dict[str, tuple[str, frozenset[str]]]:
    """Name key → (its group's English form, the group's Latin forms), for the ``given_names``
    or ``surnames`` table."""
    out: dict[str, tuple[str, frozenset[str]]] = {}
    for names in resources.load("translit").get(table, []):
        latin = [n for n in names if n.isascii()]
        if not latin:
            continue
        for name in names:
            out.setdefault(word_key(name), (latin[0], frozenset(latin)))
    return out


def _display_name_word(word: str, lang: str, table: str) -> str:
    """``word`` transliterated, or its usual English form when the transliteration is not one
    of the known Latin spellings («Энтони» → Antony, «Байден» → Biden; «Сергій» stays Serhii)."""
    translit = display(word, lang)
    known = _english_forms(table).get(word_key(word))
    if known is not None and translit not in known[1] and not word.isascii():
        return known[0]
    return translit


def display_person(given: Sequence[str], surname: str, lang: str) -> str:
    """A person's display name: given names and surname transliterated, or in their usual
    English form (tables ``given_names`` and ``surnames`` of ``resources/translit.json``)."""
    out = [_display_name_word(word, lang, "given_names") for word in given]
    out.append(_display_name_word(surname, lang, "surnames") if surname else "")
    return " ".join(w for w in out if w)


@cache
def _people() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Surname stem key → (given-name keys, English name) of ``resources/people.json``."""
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for item in resources.load("people")["people"]:
        for forms in item["names"].values():
            for form in forms:
                person = parse_person(form)
                surname = person.surname or (person.given[-1] if person.given else "")
                given = person.given_keys if person.surname else ()
                entry = (given, item["name"])
                bucket = out.setdefault(stem(word_key(surname)), [])
                if entry not in bucket:
                    bucket.append(entry)
    return out


def standard_person(given: Iterable[str], surnames: Iterable[str]) -> str | None:
    """The English name of the curated people table (``resources/people.json``) for a
    person of these given-name keys and surname stem keys: the name English writes, which
    no transliteration gives («Си Цзиньпин» → Xi Jinping, «Роберт Хабек» → Robert Habeck).
    A one-word entry («Варфоломей») meets a person known by one word only; ``None`` when no
    entry, or more than one, meets."""
    given = tuple(given)
    found: set[str] = set()
    for surname in surnames:
        for keys, name in _people().get(surname, ()):
            if given_compatible(keys, given) if keys and given else not keys and not given:
                found.add(name)
    return found.pop() if len(found) == 1 else None


def is_given_name(word: str) -> bool:
    """Whether ``word`` is a first name of the ``given_names`` table."""
    return word_key(word) in _given_groups()


def given_compatible(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether two people's given-name keys can be the same person.

    Empty on either side is compatible. Otherwise one name of each must meet: the same
    key, the same ``given_names`` group, a short form of the other («Джо» / «Джозеф»:
    ``given_short_forms``), a near key («Серегей»), the same stem (a case
    ending the analyser left on a name it does not know: «Асии» / «Асия», «Азию» /
    «Азия»), the same stem but for a consonant's voicing (two transliterations of one
    name: «Азии» / «Асия»), or an initial ("V.", «Дж.» of «Джереми»). A near key or a
    stem also lets a woman's form of a man's name meet it (Александр / Александра, Ян /
    Яна): two such people are rarer in one store under one surname than a name left
    inflected.
    """
    a, b = tuple(a), tuple(b)
    if not a or not b:
        return True
    groups, short = _given_groups(), _short_forms()
    for x in a:
        for y in b:
            if x == y or near(x, y) or unvoiced(stem(x)) == unvoiced(stem(y)):
                return True
            gx, gy = groups.get(x), groups.get(y)
            if gx is not None and gx == gy:
                return True
            sx, sy = short.get(x), short.get(y)
            if (sx is not None and sx == gy) or (sy is not None and sy == gx):
                return True
            if (_initial(x) and y.startswith(x)) or (_initial(y) and x.startswith(y)):
                return True
    return False


@cache
def _letter_keys() -> frozenset[str]:
    """Keys of one letter written alone, as an initial is: «Ж» → ``zh``, «Дж» → ``dj``."""
    mapping = _key_tables()[2]
    return frozenset(v for k, v in mapping.items() if len(k) == 1 and v) | {"dj"}


def _initial(key: str) -> bool:
    """Whether a given name's key is an initial ("V.", «Ю.», «Дж.Хант»)."""
    return len(key) == 1 or key in _letter_keys()


@dataclass(frozen=True, slots=True)
class PersonName:
    given: tuple[str, ...]
    """Given-name words as written («Реджеп», «Таїп»)."""
    patronymic: str | None
    surname: str
    """The surname as written, particles included («де Соуза»); the word of a one-word name."""

    @property
    def given_keys(self) -> tuple[str, ...]:
        return tuple(word_key(g) for g in self.given)

    @property
    def surname_key(self) -> str:
        """The key of the surname's last word (without particles or a double surname's first)."""
        last = words(self.surname)[-1] if words(self.surname) else self.surname
        return word_key(last)

    @property
    def full(self) -> str:
        return " ".join((*self.given, self.surname))


def without_titles(name: str) -> str:
    """``name`` without the titles and role words before it (``honorifics`` of
    ``resources/translit.json``): a role is never part of a name ("Spokeswoman Maria
    Zakharova" → "Maria Zakharova"); a name of one word keeps it."""
    found = list(_WORD.finditer(name))
    honorifics = _honorifics()
    cut = 0
    while cut < len(found) - 1 and fold(found[cut].group()) in honorifics:
        cut += 1
    return name[found[cut].start() :] if cut else name


def parse_person(name: str, particles: Sequence[str] = ()) -> PersonName:
    """Given names, patronymic and surname of a person's name.

    «Сергей Рябков», "Vladimir Vladimirovich Putin", «Прокудін Олександр» (surname first:
    the last word is a known first name and the first is not), «Марсело Ребелу де Соуза».
    A one-word name is a surname unless it is a known first name ("Alexey").
    """
    ws = [w for w in words(name) if not w.isdigit()]
    honorifics = _honorifics()
    while len(ws) > 1 and fold(ws[0]) in honorifics:
        ws = ws[1:]  # "President Putin", «пан Зеленський»
    if not ws:
        return PersonName((), None, name.strip())
    if len(ws) == 1:
        if is_given_name(ws[0]):
            return PersonName((ws[0],), None, "")
        return PersonName((), None, ws[0])
    particle_set = {p.casefold() for p in particles} | _PARTICLES
    if is_given_name(ws[-1]) and not is_given_name(ws[0]):
        ws = [ws[-1], *ws[:-1]]  # «Прокудін Олександр»
    elif len(ws) == 3 and _PATRONYMIC.search(ws[2]) and not _PATRONYMIC.search(ws[1]):
        ws = [ws[1], ws[2], ws[0]]  # «Путин Владимир Владимирович»
    # The surname starts at the first particle after the first word, else is the last word.
    start = len(ws) - 1
    for i in range(1, len(ws) - 1):
        if ws[i].casefold() in particle_set:
            start = i
            break
    surname = " ".join(ws[start:])
    rest = ws[:start]
    patronymic = None
    if len(rest) >= 2 and _PATRONYMIC.search(rest[-1]):
        patronymic = rest[-1]
        rest = rest[:-1]
    return PersonName(tuple(rest), patronymic, surname)


_PARTICLES = frozenset(
    [
        *("de", "da", "di", "del", "della", "dos", "das", "van", "von", "der", "den", "la"),
        *("le", "du", "al", "el", "ibn", "bin", "ben", "де", "да", "ди", "дель", "делла", "дос"),
        *("ван", "фон", "дер", "ла", "ле", "дю", "аль", "эль", "ель", "ибн", "ібн", "бин", "бін"),
        "бен",
    ]
)


# --- name keys in running text -------------------------------------------------------

_CAPITALISED = re.compile(r"(?<![\w'’ʼ-])([^\W\d_])([^\W\d_]{3,})")
_SENTENCE_END = frozenset(".!?…\n")
NAME_KEY_CHARS = 5
"""A text name key is the first this many characters of the word's stemmed key: long enough
to keep names apart, short enough to absorb case endings and spelling habits the key does
not fold («Пригожина», "Prigozhin", «Prigożyn» → ``prigo``)."""


def text_name_keys(text: str) -> list[str]:
    """Name keys of the capitalised words of ``text`` that do not open a sentence, in any
    language and script, without NER: what a page in a language storyline has no model for
    shares with pages in the languages it has (the names of people and places survive
    translation; a transliteration key makes their spellings meet)."""
    keys = []
    for match in _CAPITALISED.finditer(text):
        first, rest = match.groups()
        if not first.isupper() or not rest.islower():
            continue
        before = text[max(0, match.start() - 8) : match.start()].rstrip(" \t«\"'“„(")
        if not before or before[-1] in _SENTENCE_END:
            continue
        key = stem(word_key(match.group()))
        if len(key) >= 4:
            keys.append(key[:NAME_KEY_CHARS])
    return keys


_LONG_WORD = re.compile(r"[^\W\d_]{5,}")


def text_root_keys(text: str) -> list[str]:
    """Name-key prefixes (as :func:`text_name_keys`) of every word of five letters or more:
    Russian, Ukrainian and Bulgarian share most roots («зерновой» / «зернової» → ``zerno``),
    so these compare the wording of pages across the Cyrillic languages (and catch the
    names a lower-case language writes)."""
    return [stem(word_key(w))[:NAME_KEY_CHARS] for w in _LONG_WORD.findall(text)]
