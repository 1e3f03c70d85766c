"""Names found by table beside the taggers (``resources/ner_known.json``).

The statistical taggers miss or mistype names that every page of this news uses: the
English one calls Kyiv an organisation, the Ukrainian one misses «ООН» and «Україну»,
and Ukrainian outlets write «росія» and Russian officials («путін заявив», «дмитро
пєсков») in lower case on purpose (the ``lowercase`` table: :func:`lowercase_names`; such
a person is normalised as the capitalised name, :func:`as_written_name`). The alias table
(``aliases.json``) and CLDR (:func:`cldr_places`, which linking reads too) know these
names and their types; :func:`amend` adds the occurrences no tagger span covers, puts a
known name in place of the tagger's spans inside it («ГЕС» of «Каховська ГЕС»), and
retypes a span that is exactly such a name; a span ending in a region word is a place,
and a nationality ("Ukrainian", tagged a place) or a common noun's acronym («СМИ», «ЧВК»)
is no entity. A person the page names in full is also found by surname alone, and a span
that is that surname is a person ("Zelenskyy" tagged ORG after "Volodymyr Zelenskyy"); a
first name of the ``given_names`` table is a person too ("his daughter Yulia" tagged a
place), a one-word "person" in a list of places is a place ("the Donetsk, Luhansk,
Kharkiv and Kherson regions"), and a span inside a web address ("https") is no name.
Matching is by written form, case endings allowed after a stem in the languages that
inflect names (no morphology: one pattern a page).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

from storyline import resources
from storyline.nlp.morph import common_word, known_as_place

Span = tuple[int, int, str]
CLDR_LANGS = ("ru", "uk", "en")
_SKIP_TERRITORIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "001"})
_VOWELS = frozenset("аеёиоуыэюяіїєйьaeiouy")
_OPEN = '[«"„“]'
_CLOSE = '[»"”“]'


@cache
def cldr_places() -> tuple[dict[str, dict[str, list[str]]], dict[str, dict[str, list[str]]]]:
    """Countries (ISO → lang → names) and cities (en name → lang → names) from babel's CLDR
    (cities: the exemplar cities of time zones)."""
    from babel import Locale

    locales = {lang: Locale(lang) for lang in CLDR_LANGS}
    countries: dict[str, dict[str, list[str]]] = {}
    for code in locales["en"].territories:
        if code in _SKIP_TERRITORIES:
            continue
        countries[code] = {
            lang: [loc.territories[code]]
            for lang, loc in locales.items()
            if code in loc.territories
        }
    cities: dict[str, dict[str, list[str]]] = {}
    for zone in locales["ru"].time_zones:
        if zone.startswith("Etc/") or "/" not in zone:
            continue
        from_id = zone.rsplit("/", 1)[-1].replace("_", " ")
        en = (locales["en"].time_zones.get(zone) or {}).get("city") or from_id
        forms = {"en": list(dict.fromkeys([en, from_id]))}
        for lang in ("ru", "uk"):
            city = (locales[lang].time_zones.get(zone) or {}).get("city")
            if city:
                forms[lang] = [city]
        cities.setdefault(en, forms)
    return countries, cities


def _word_pattern(word: str, endings: str | None, min_stem: int) -> str:
    """A word as written, or (in a language that inflects names, from ``min_stem``
    letters) its stem and a case ending: «Каховская» → «Каховск» + «ой»."""
    letters = [c for c in word if c.isalpha()]
    if endings is None or len(word) < min_stem or all(c.isupper() for c in letters):
        return re.escape(word)
    stem = word
    while len(stem) > min_stem - 1 and len(word) - len(stem) < 2 and stem[-1].lower() in _VOWELS:
        stem = stem[:-1]
    return re.escape(stem) + endings


def _form_pattern(form: str, endings: str | None, min_stem: int) -> str:
    """A name's pattern: its first word as written (a capital tells a name), the others in
    any case, with endings from three letters, maybe quoted («ЧВК «Вагнер»» with its
    closing quote, "Crimean bridge", «Крымского моста»)."""
    words = form.replace("«", " ").replace("»", " ").replace('"', " ").split()
    if not words:
        return ""
    out = [_word_pattern(words[0], endings, min_stem)]
    for i, word in enumerate(words[1:], 1):
        inner = _word_pattern(word, endings, min(min_stem, 3))
        out.append(f"(?P<q{i}>{_OPEN})?(?i:{inner})(?(q{i}){_CLOSE})")
    return r"\s+".join(out)


def _table_names(lang: str) -> list[tuple[str, str]]:
    """(form, type) of the alias table's entities and countries and of CLDR's countries
    and cities, in ``lang``."""
    aliases = resources.load("aliases")
    out = [(f, item["type"]) for item in aliases["entities"] for f in item["names"].get(lang, [])]
    out += [(f, "LOC") for forms in aliases["countries"].values() for f in forms.get(lang, [])]
    countries, cities = cldr_places()
    for places in (countries, cities):
        out += [(f, "LOC") for by_lang in places.values() for f in by_lang.get(lang, [])]
    return out


Index = dict[str, list[tuple[re.Pattern[str], str]]]
_KEY = 3


def _compile(forms: dict[str, tuple[str, str]]) -> Index:
    """Patterns (→ type, first letters as written) by the first letters of their first
    word, longest first: a page is read word by word, trying only the names that start
    like the word."""
    index: Index = {}
    for pattern, (type_, head) in sorted(
        forms.items(), key=lambda f: (-f[0].count(r"\s+"), -len(f[0]))
    ):
        index.setdefault(head[:_KEY], []).append((_compiled(pattern), type_))
    return index


@lru_cache(maxsize=20_000)
def _compiled(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled to match a whole name. Kept: a page's surnames are compiled
    for that page (:func:`page_surnames`), the same people's page after page, and ``re``
    keeps only its last 512 patterns, which the other modules' share."""
    return re.compile(pattern + r"(?![\w-])")


@cache
def _settings(lang: str) -> tuple[str | None, int]:
    """The pattern of ``lang``'s case endings (``None``: names do not inflect), and the
    shortest word that takes them."""
    table = resources.load("ner_known")
    endings = table["endings"].get(lang)
    if not endings:
        return None, int(table["min_stem"])
    alternatives = "|".join(sorted({re.escape(e) for e in endings}, key=len, reverse=True))
    return f"(?:{alternatives})?", int(table["min_stem"])


@cache
def _pattern(lang: str) -> Index:
    """One pattern of every known name of ``lang`` (longest first), and the type of each
    alternative's group."""
    endings, min_stem = _settings(lang)
    forms: dict[str, tuple[str, str]] = {}
    for form, type_ in _table_names(lang):
        pattern = _form_pattern(form, endings, min_stem)
        if pattern and form[:1].isupper():  # not «группа Вагнера», a description
            forms.setdefault(pattern, (type_, form))
    for type_, form in lowercase_names(lang):
        forms.setdefault(_form_pattern(form, endings, min_stem), (type_, form))
    return _compile(forms)


@cache
def lowercase_names(lang: str) -> tuple[tuple[str, str], ...]:
    """(type, form) of the names ``lang``'s pages write in lower case on purpose (the
    ``lowercase`` table): each as listed, and a person's surname alone («дмитро пєсков»:
    «пєсков») unless the morphology reads it as a common word first (ru «песков» is the
    genitive plural of sand: only «дмитрий песков» in full is his)."""
    out: list[tuple[str, str]] = []
    for type_, names in resources.load("ner_known")["lowercase"].get(lang, {}).items():
        for name in names:
            out.append((type_, name))
            words = name.split()
            if type_ == "PER" and len(words) > 1 and not common_word(words[-1], lang):
                out.append((type_, words[-1]))
    return tuple(dict.fromkeys(out))


def as_written_name(surface: str, type_: str, lang: str | None) -> str:
    """``surface`` as a name is written: a person of the ``lowercase`` table found in lower
    case («путіна», «дмитра пєскова») capitalised («Путіна», «Дмитра Пєскова»), so that
    its nominative, its gender, its linking and its display are the capitalised name's;
    any other span as it is."""
    if type_ != "PER" or not surface.islower() or not lowercase_names(lang or ""):
        return surface
    return re.sub(r"(?<![\w'’ʼ])\w", lambda m: m.group().upper(), surface)


_WORD_START = re.compile(r"(?<![\w-])[^\W\d_]")


def _find(index: Index, text: str) -> list[Span]:
    out: list[Span] = []
    end = 0
    for word in _WORD_START.finditer(text):
        start = word.start()
        if start < end:
            continue
        # the longer head first: its names are the longer ones («UN Security Council»
        # before «UN»); a set's order here changed with the process's string hashing
        longer = text[start : start + _KEY]  # shorter at the text's end: then the only head
        for head in (longer, longer[:-1]) if len(longer) == _KEY else (longer,):
            for pattern, type_ in index.get(head, ()):
                found = pattern.match(text, start)
                if found is not None and found.end() > start:
                    out.append((start, found.end(), type_))
                    end = found.end()
                    break
            if end > start:
                break
    return out


SOURCE = "table"
"""The ``source`` of a mention whose span is a name the tables know: its type is the
table's, never a tagger's guess (quotes do not take such an organisation for a
mistyped person)."""


def known_names(text: str, lang: str | None) -> list[Span]:
    """``(start, end, type)`` of every known name written in ``text``; a surname of the
    ``lowercase`` table alone whose form as written the morphology reads as a common word
    first is none (uk «лавровий» is the bay leaf, «лаврова» a laurel's: «сергія лаврова»
    in full is the minister)."""
    return [
        (start, end, type_)
        for start, end, type_ in _find(_pattern(lang or ""), text)
        if not (type_ == "PER" and _common_lowercase(text[start:end], lang))
    ]


def _common_lowercase(surface: str, lang: str | None) -> bool:
    return surface.islower() and " " not in surface and common_word(surface, lang)


def page_surnames(text: str, spans: Sequence[Span], lang: str | None) -> list[Span]:
    """Occurrences of the surnames of the people ``spans`` name in full (PER spans of two
    or three capitalised words): a page that names «Володимир Зеленський» means him by
    «Зеленський» further on."""
    endings, min_stem = _settings(lang or "")
    forms: dict[str, tuple[str, str]] = {}
    for start, end, type_ in spans:
        words = text[start:end].split()
        if type_ == "PER" and 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words):
            last = words[-1]
            if len(last) >= 3 and last[1:].islower():
                forms.setdefault(_word_pattern(last, endings, min_stem), ("PER", last))
    return _find(_compile(forms), text)


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start].rstrip(' \t«"“„—–-(')
    return not before or before[-1] in ".!?…\n"


@cache
def _demonyms() -> frozenset[str]:
    """Capitalised country adjectives of the alias table and their plurals ("Ukrainian",
    "Russians"): a nationality is not an entity, though a tagger may call it a place."""
    words = [w for ws in resources.load("aliases")["country_adjectives"].values() for w in ws]
    return frozenset(f for w in words if w[:1].isupper() for f in (w, w + "s"))


@cache
def _region_words() -> frozenset[str]:
    """Words that end a region's name («область», "Krai", "Territory"): such a name is a
    place, whatever the tagger says ("Krasnodar Territory" tagged ORG)."""
    return frozenset(w.casefold() for w in resources.load("aliases")["region_words"])


def amend(
    text: str, spans: Iterable[Span], lang: str | None, table: list[Span] | None = None
) -> list[Span]:
    """The tagger's spans amended by the known names (``table``: :func:`known_names`,
    when the caller has them already) and the page's surnames (see the module doc)."""
    regions = _region_words()
    dropped = _demonyms() | frozenset(
        resources.load("ner_known")["common_acronyms"].get(lang or "", [])
    )
    out = [
        (s, e, "LOC" if t == "ORG" and text[s:e].split()[-1].casefold() in regions else t)
        for s, e, t in spans
        if text[s:e] not in dropped
    ]
    out = [x for x in out if not _in_url(text, x[0], x[1])]
    if table is None:
        table = known_names(text, lang)
    listed = {(s, e) for s, e, _ in table}
    out = [
        (s, e, "PER" if t != "PER" and (s, e) not in listed and _given_name(text[s:e]) else t)
        for s, e, t in out
    ]
    surnames = page_surnames(text, out, lang)
    for found in (table, surnames):
        exact = {(s, e): t for s, e, t in found}
        out = [(s, e, exact.get((s, e), t)) for s, e, t in out]
        for start, end, type_ in found:
            surface = text[start:end]
            if found is table and _opens_sentence(text, start) and common_word(surface):
                continue  # «Того» opening a sentence is the pronoun, not Togo
            overlapping = [x for x in out if x[0] < end and start < x[1]]
            if all(start <= s and e <= end and (s, e) != (start, end) for s, e, _ in overlapping):
                out = [x for x in out if x not in overlapping] + [(start, end, type_)]
    return _coordinated(text, out, {s for s, _, _ in surnames}, lang)


_URL_TOKEN = re.compile(r"\S*(?:://|www\.)\S*")


def _in_url(text: str, start: int, end: int) -> bool:
    """Whether a span lies in a web address ("https" of ``https://t.co/…``): no name."""
    low, high = max(0, start - 200), min(len(text), end + 200)
    near = text[low:high]
    if "://" not in near and "www." not in near:  # most spans: the pattern need not run
        return False
    for match in _URL_TOKEN.finditer(text, low, high):
        if match.start() <= start and end <= match.end():
            return True
    return False


@cache
def _given_names() -> frozenset[str]:
    """The first names of the ``given_names`` table (``translit.json``), case-folded."""
    groups = resources.load("translit")["given_names"]
    return frozenset(name.casefold() for group in groups for name in group)


def _given_name(surface: str) -> bool:
    """A one-word span that is a first name of the table ("his daughter Yulia", "her
    husband Oleksandr"): a person, though a tagger called it a place or a body; unless a
    dictionary also knows it as a place («Владимир», «Питер»: the tagger may be right)."""
    word = surface.strip()
    return " " not in word and word.casefold() in _given_names() and not known_as_place(word)


@cache
def _list_gap(lang: str) -> re.Pattern[str] | None:
    """What separates two names of a list in ``lang``: a comma or a conjunction of the
    ``list_conjunctions`` table, perhaps after one more untagged name ("Odessa,
    Chernomorsk and Yuzhny"); ``None`` for a language the table has no conjunctions of."""
    words = resources.load("ner_known").get("list_conjunctions", {}).get(lang, [])
    if not words:
        return None
    conj = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    return re.compile(
        rf"(?P<word>,\s*[^\W\d_][\w'’ʼ-]*)?(?:(?P<comma>,\s*)|,?\s+(?P<conj>{conj})\s+)",
        re.IGNORECASE,
    )


def _coordinated(text: str, spans: list[Span], people: set[int], lang: str | None) -> list[Span]:
    """One-word PER spans of a list of places are places: "the Donetsk, Luhansk, Kharkiv
    and Kherson regions", whatever the tagger called Luhansk. A list is three names or
    more, commas between them and a conjunction before the last (two names with a comma
    between are as often two clauses: «до призначення в Київ, Солодченко отримав»). Places
    are listed with places, and a tagger calls an unknown capitalised word a person far
    more often than anything else; organisations are listed with people too («рупор
    Михалкова, РПЦ и ЕР»), so only places decide. A page surname (``people``: someone the
    page names in full) stays a person."""
    gaps = _list_gap(lang or "")
    if gaps is None:
        return spans
    ordered = sorted(spans)
    out = list(ordered)
    members: list[int] = []
    size = 0
    for i in range(len(ordered) + 1):
        gap = (
            gaps.fullmatch(text, ordered[i - 1][1], ordered[i][0])
            if 0 < i < len(ordered) and members
            else None
        )
        if gap is not None and size > 0:
            members.append(i)
            size += 1 + bool(gap["word"])
            if gap["conj"]:
                size = -size  # closed: a conjunction ends the list
            continue
        if len(members) >= 2 and size <= -3:
            _retype(text, ordered, out, members, people)
        members, size = ([i], 1) if i < len(ordered) else ([], 0)
    return out


def _retype(
    text: str, ordered: list[Span], out: list[Span], members: list[int], people: set[int]
) -> None:
    """The one-word PER members of a list of places and persons made places (in ``out``)."""
    if {ordered[i][2] for i in members} != {"PER", "LOC"}:
        return
    for i in members:
        s, e, t = ordered[i]
        word = text[s:e].strip()
        if t == "PER" and " " not in word and s not in people and not _given_name(word):
            out[i] = (s, e, "LOC")
