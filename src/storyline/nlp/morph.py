"""Lemmas and nominative forms of names, on pymorphy3 (``resources/morph.json``).

* :func:`analyzer` — one cached pymorphy3 analyzer per language that has a
  dictionary in the table (ru, uk); ``None`` for the others.
* :func:`lemma` — the dictionary form of one word. Capitalised words prefer
  proper-noun parses (Name/Surn/Patr/Geox/Orgn) and keep their capital;
  all-caps acronyms (НАТО, МИД, США) stay as they are; surnames and
  patronymics keep their gender («Захаровой» → «Захарова», not «Захаров»).
* :func:`normalize` — the nominative form of a whole entity mention.
  Persons: every name word goes to the nominative in one shared case and
  gender («Йенса Столтенберга» → «Йенс Столтенберг», «Сергію Рябкову» →
  «Сергій Рябков»). Organisations and places: the leading adjectives and the
  head noun go to the nominative, agreeing with each other; what follows the
  head (genitive dependents, quoted names, acronyms) stays as written
  («Министерства иностранных дел России» → «Министерство иностранных дел
  России», «Североатлантического альянса» → «Североатлантический альянс»). A
  mention that starts with an acronym or a Latin word stays as written
  («МИД России», «РИА Новости»). Languages without a dictionary only lose an
  English possessive ending and extra whitespace.

Parses are scored by pymorphy's probability, then by the type's preferred
grammemes, then singular over plural (Ukrainian dictionaries give every parse
the same score), with a small bonus for a parse that is already nominative, so
a mention already in the nominative comes back unchanged. A surname alone
with no first name to fix its gender («Пригожина») is read as a man's
genitive rather than a woman's nominative (see :func:`_prior`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from storyline import resources

_WORD = re.compile(r"[^\W\d_]+(?:[-'’ʼ][^\W\d_]+)*")
_SPACE = re.compile(r"\s+")
_ADJ = frozenset({"ADJF", "PRTF"})
_FUNCTION = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ"})
"""A capitalised «В», «И», «Он» opens a sentence; it is not the initial of a name."""
_GENDERS = frozenset({"masc", "femn", "neut"})
_NOMN_BONUS = 0.1
_SING_BONUS = 0.2
"""Larger than the nominative bonus: uk «Міністерства» is singular genitive, not plural."""


@cache
def _table() -> dict[str, Any]:
    """``morph.json``, read once: every name and every mention's gender consults it."""
    return resources.load("morph")


@cache
def name_tags() -> frozenset[str]:
    """The grammemes of a proper-noun parse (``name_tags`` of ``morph.json``): Name, Surn…"""
    return frozenset(_table()["name_tags"])


PARSES_KEPT = 50_000
"""Words whose parses an analyzer keeps (:class:`CachedAnalyzer`): a few times the distinct
words of a few hundred pages, a few tens of MB."""


class CachedAnalyzer:
    """A pymorphy3 analyzer whose :meth:`parse` keeps the parses of the last
    :data:`PARSES_KEPT` words; every other attribute is the analyzer's own.

    One page has its words parsed by several readers (index terms, names' normal forms,
    the gender a verb tells of a name, quotes, event triggers), each as it needs them, and
    the same names and verbs come back page after page; pymorphy3 parses each call anew,
    in pure Python (a Russian word with «е» is looked up with «ё» too), which was 9 ms of
    a Russian page's CPU time."""

    def __init__(self, analyzer: Any) -> None:
        self.analyzer = analyzer
        self._parses = lru_cache(maxsize=PARSES_KEPT)(self._parse)

    def _parse(self, word: str) -> tuple[Any, ...]:
        return tuple(self.analyzer.parse(word))

    def parse(self, word: str) -> list[Any]:
        """pymorphy3's parses of ``word``, best first (a new list: the caller may sort it)."""
        return list(self._parses(word))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.analyzer, name)


@cache
def analyzer(lang: str | None) -> CachedAnalyzer | None:
    """The pymorphy3 analyzer for ``lang``, loaded once; ``None`` without a dictionary."""
    code = _table()["analyzers"].get(lang or "")
    if code is None:
        return None
    return dictionary(code)


@cache
def dictionary(code: str) -> CachedAnalyzer:
    """The analyzer of the installed pymorphy3 dictionary ``code``, loaded once per process
    (the Ukrainian NER reads the same dictionary as :func:`analyzer` ``("uk")``)."""
    import pymorphy3

    return CachedAnalyzer(pymorphy3.MorphAnalyzer(lang=code))


def known_not_a_place(text: str) -> bool:
    """Whether a dictionary that marks place names (``place_tags`` of ``morph.json``) knows
    a word of ``text`` with no place reading: «Море», «Баран», the surname «Шевченко» are
    each a town somewhere, but a name that is an ordinary word is rarely that town. Names
    of several words («Нова Каховка») are never ordinary words."""
    words = re.findall(r"[^\W\d_]+", text)
    return len(words) == 1 and not all(_place_readings(words[0]))


def known_as_place(word: str) -> bool:
    """Whether a dictionary that marks place names (``place_tags`` of ``morph.json``) has a
    place reading of ``word``: «Владимир» and «Питер» are first names and cities both."""
    return any(_place_readings(word))


def _place_readings(word: str) -> list[bool]:
    """For each dictionary that marks place names (``place_tags``) and knows ``word``:
    whether it has a place reading of it."""
    found = []
    for lang, tags in _table().get("place_tags", {}).items():
        morph = analyzer(lang)
        if morph is not None and morph.word_is_known(word.lower()):
            found.append(any(set(tags) & parse.tag.grammemes for parse in morph.parse(word)))
    return found


def common_word(word: str, lang: str | None = None) -> bool:
    """Whether the most likely reading of ``word`` in lower case, in a dictionary that
    marks proper nouns (``place_tags`` languages, and ``lang``'s when it has one), is no
    name: «того» is a pronoun before it is Togo, so «Того» opening a sentence tells no
    name; uk «захарова» is the adjective «Захарів» before the surname."""
    for code in dict.fromkeys([*_table().get("place_tags", {}), *([lang] if lang else [])]):
        morph = analyzer(code)
        if morph is None or not morph.word_is_known(word.lower()):
            continue
        best = morph.parse(word.lower())[0]
        if not name_tags() & best.tag.grammemes:
            return True
    return False


def is_acronym(word: str) -> bool:
    """НАТО, МИД, США, ЗСУ: two or more letters, all upper-case."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _restore_case(original: str, form: str) -> str:
    """``form`` with the capitalisation pattern of ``original`` (per hyphen part)."""
    if "ё" not in original.lower():
        form = form.replace("ё", "е").replace("Ё", "Е")
    if original.islower():
        return form.lower()
    if is_acronym(original):
        return form.upper()
    upper = len(original) - len(original.lstrip("".join(c for c in original if c.isupper())))
    if upper >= 2:  # «МИДа» → «МИД»
        return form[:upper].upper() + form[upper:].lower()
    orig_parts, parts = original.split("-"), form.split("-")
    if len(orig_parts) != len(parts):
        orig_parts, parts = [original], [form]
    out = []
    for o, p in zip(orig_parts, parts, strict=True):
        out.append(p[:1].upper() + p[1:].lower() if o[:1].isupper() else p.lower())
    return "-".join(out)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _has(parse: Any, grammemes: frozenset[str]) -> bool:
    return bool(grammemes & parse.tag.grammemes)


@lru_cache(maxsize=4096)
def _name_parse(word: str, lang: str) -> Any | None:
    """The parse :func:`lemma` and :func:`pos` read a word by (the first name-like one for a
    capitalised word). Kept for the last few thousand words: a tokenizer asks both of each
    word in turn, and parsing a word anew is most of what a new word costs."""
    an = analyzer(lang)
    if an is None:
        return None
    parses = an.parse(word)
    if not parses:
        return None
    if word[:1].isupper() and parses[0].tag.POS not in _FUNCTION:
        preferred = [p for p in parses if _has(p, name_tags())]
        if preferred:
            return preferred[0]
    return parses[0]


def _nominative(parse: Any) -> str:
    """The parse's nominative form, keeping gender and number (surnames stay feminine)."""
    if {"Surn", "Patr"} & parse.tag.grammemes:
        inflected = parse.inflect({"nomn"})
        if inflected is not None:
            return inflected.word
    return parse.normal_form


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str | None) -> str:
    """Dictionary form of one word (see the module doc); lower-cased without a dictionary."""
    if is_acronym(word):
        return word
    parse = _name_parse(word, lang) if lang else None
    if parse is None or "LATN" in parse.tag.grammemes or "UNKN" in parse.tag.grammemes:
        return word.lower()
    form = _nominative(parse)
    if word[:1].isupper() and _has(parse, name_tags()):
        return _restore_case(word, form)
    return form if "ё" in word.lower() else form.replace("ё", "е")


@lru_cache(maxsize=200_000)
def pos(word: str, lang: str | None) -> str | None:
    """Universal POS of the word's best parse (PROPN for proper-noun parses), or ``None``."""
    parse = _name_parse(word, lang) if lang else None
    if parse is None:
        return None
    tag = parse.tag
    if tag.POS is None:
        for key in ("PNCT", "NUMB", "ROMN", "LATN", "UNKN"):
            if key in tag.grammemes:
                return _table()["pos"][key]
        return None
    if tag.POS == "NOUN" and _has(parse, name_tags()):
        return "PROPN"
    return _table()["pos"].get(tag.POS)


# --- normalize -------------------------------------------------------------


_CASES = {"loc2": "loct", "gen2": "gent", "acc2": "accs", "gen1": "gent", "loc1": "loct"}
"""Second locative/genitive («в мосту», «чаю») agree with adjectives in the plain case."""


def _case(parse: Any) -> str | None:
    case = parse.tag.case
    return _CASES.get(case, case)


def _rank(parse: Any, prefer: frozenset[str]) -> float:
    score = parse.score
    if prefer & parse.tag.grammemes:
        score += 1.0
    if "plur" not in parse.tag.grammemes:  # Ukrainian tags carry no 'sing'
        score += _SING_BONUS
    if "nomn" in parse.tag.grammemes:
        score += _NOMN_BONUS
    return score


def _inflect(parse: Any, grammemes: set[str]) -> str | None:
    inflected = parse.inflect(grammemes)
    return None if inflected is None else inflected.word


_CAMEL = re.compile(r"(?:^|-)[^\W\d_]*[a-zа-яёіїєґ][A-ZА-ЯЁІЇЄҐ]")
"""«ТурцияОбщество», «успехРБК»: words run together on a page, not inflected forms."""


def _analysable(word: str, parses: list[Any]) -> bool:
    if not parses or is_acronym(word) or _CAMEL.search(word):
        return False
    grammemes = parses[0].tag.grammemes
    return not ({"LATN", "UNKN", "NUMB", "ROMN", "PNCT"} & grammemes)


def _person(
    words: list[re.Match[str]], lang: str, an: Any, hint: str | None = None
) -> dict[int, str]:
    """Nominative forms of a person's name words, in one shared case and gender.

    Words with a Name/Surn/Patr parse decide the case; other words (foreign or
    rare surnames the dictionary reads as common nouns, like «Рябков» = plural
    of «рябок») follow when they have a singular parse in that case and stay
    as written otherwise; a mention without any name word stays as written.
    """
    table = _table()
    prefer = frozenset(table["prefer"]["PER"])
    particles = set(table["particles"].get(lang, ()))
    options: dict[int, list[Any]] = {}
    strong: set[int] = set()
    unread: list[int] = []
    """Words no parse of the hinted gender fits («Асии» is only the masculine «Асий»)."""
    fallback: dict[int, list[Any]] = {}
    """A name word's common-noun parses, for a case its name parses lack: «Хана» in «Имрана
    Хана» is a woman's name in the nominative and the noun «хан» in the genitive."""
    for i, m in enumerate(words):
        word = m.group()
        if word.lower() in particles:
            continue
        parses = an.parse(word)
        if not _analysable(word, parses):
            continue
        if hint is not None:
            kept = [
                p
                for p in parses
                if p.tag.gender in (None, hint)
                or "Fixd" in p.tag.grammemes
                or "GNdr" in p.tag.grammemes
            ]
            if not kept:
                unread.append(i)
                continue
            parses = kept
        named = [p for p in parses if _has(p, prefer) and "plur" not in p.tag.grammemes]
        nouns = [p for p in parses if p.tag.POS == "NOUN" and "plur" not in p.tag.grammemes]
        nouns = [p for p in nouns if "anim" in p.tag.grammemes] or nouns
        if named:  # a plural Name parse («Хабиров» = of the Хабиры) is no name of one person
            strong.add(i)
            options[i] = named
            fallback[i] = [p for p in nouns if not _has(p, prefer)]
            continue
        if nouns:
            options[i] = nouns
    if not strong:  # no word the dictionary knows as a name: guessing does more harm than good
        return _by_ending(words, unread, lang, hint)
    gender = hint or next(
        (
            p.tag.gender
            for i in sorted(strong)
            for p in options[i]
            if "Name" in p.tag.grammemes and p.tag.gender
        ),
        None,
    )

    def fits(p: Any) -> bool:
        return gender is None or p.tag.gender in (None, gender) or "Fixd" in p.tag.grammemes

    def weight(p: Any) -> float:
        return p.score + (0.5 if fits(p) else 0.0) + _prior(p, gender)

    voters = strong
    cases = {_case(p) for i in voters for p in options[i]}
    best_case, best_key = None, (-1, -1.0)
    for case in sorted(cases, key=str):  # ties go to the same case in every process
        having = [i for i in voters if any(_case(p) == case for p in options[i])]
        total = sum(max(weight(p) for p in options[i] if _case(p) == case) for i in having)
        total += _NOMN_BONUS * len(having) if case == "nomn" else 0.0
        key = (len(having), total)
        if key > best_key:
            best_case, best_key = case, key
    result: dict[int, str] = {}
    for i, ps in options.items():
        chosen = [p for p in ps if _case(p) == best_case]
        if not chosen and best_case != "nomn":
            chosen = [p for p in fallback.get(i, ()) if _case(p) == best_case and fits(p)]
        if not chosen:
            continue
        chosen.sort(key=lambda p: (fits(p), p.score + _prior(p, gender)), reverse=True)
        form = _inflect(chosen[0], {"nomn"})
        if form is not None:
            result[i] = form
    result.update(_by_ending(words, unread, lang, hint))
    if gender == "masc" and best_case is not None:
        endings = table.get("surname_endings", {}).get(lang, {}).get(best_case, {})
        for i, m in enumerate(words if endings else ()):
            form = _unknown_surname(m.group(), endings, an)
            if form is not None:
                result[i] = form
    return result


def _by_ending(
    words: list[re.Match[str]], indices: list[int], lang: str, hint: str | None
) -> dict[int, str]:
    """Name words whose dictionary readings are all of the other gender, taken to the
    nominative by the ``given_endings`` of the hinted gender («Асии» → «Асия» for a
    woman the text says «была» of)."""
    endings = _table().get("given_endings", {}).get(lang, {}).get(hint or "", {})
    result: dict[int, str] = {}
    for i in indices:
        word = words[i].group()
        if not word[:1].isupper():
            continue
        for ending in sorted(endings, key=len, reverse=True):
            if word.lower().endswith(ending) and len(word) > len(ending) + 1:
                result[i] = (word[: len(word) - len(ending)] + endings[ending]).lower()
                break
    return result


def gender_hint(text: str, start: int, end: int, lang: str | None) -> str | None:
    """The gender («masc», «femn») of a past-tense verb or short participle right after a
    person's name («Асия Биби была освобождена»), else «femn» for a feminine noun for a
    person right before it («христианки Асии Биби»), read by the dictionary; else None."""
    an = analyzer(lang)
    if an is None:
        return None
    previous = re.search(r"([^\W\d_]+)[^\S\n]*$", text[max(0, start - 40) : start])
    before = an.parse(previous.group(1)) if previous is not None else []
    after = re.match(r"[^\S\n]*([^\W\d_]+)", text[end : end + 40])
    last = (_WORD.findall(text[start:end]) or [""])[-1]
    # the verb agrees with the name only when the name can be its subject: «Асия Биби
    # была», not «отставка Бориса Джонсона была» nor «у Биби случился спор»
    subject = (
        bool(last)
        and any({"nomn", "Fixd"} & p.tag.grammemes for p in an.parse(last))
        and not any(p.tag.POS == "PREP" for p in before)
    )
    if after is not None and subject:
        genders = {
            str(p.tag.gender)
            for p in an.parse(after.group(1))
            if p.tag.POS in ("VERB", "PRTS") and p.tag.gender in ("masc", "femn") and p.score > 0.1
        }
        if len(genders) == 1:
            return genders.pop()
    # «христианки Асии Биби»: a feminine noun for a person right before the name (a
    # masculine one says nothing: «министр Тереза Мэй»)
    relational = _table().get("relational_nouns", {}).get(lang or "", ())
    if (
        previous is not None
        and previous.group(1).islower()
        and before
        and before[0].normal_form not in relational  # «жена Бориса Джонсона»
        and all(
            p.tag.POS == "NOUN" and "anim" in p.tag.grammemes and p.tag.gender == "femn"
            for p in before
        )
    ):
        return "femn"
    return None


def person_genders(
    text: str, spans: Sequence[tuple[int, int]], lang: str | None
) -> list[str | None]:
    """The gender the text tells for each person mention ``(start, end)``: the
    :func:`gender_hint` at any mention with the same last word («Асии Биби» … «Асия
    Биби была»), or, when none tells, at any capitalised occurrence of that word; when
    those that tell agree; else None."""
    if analyzer(lang) is None:  # no dictionary to read a verb's gender by
        return [None] * len(spans)
    keys = []
    told: dict[str, set[str]] = {}
    for start, end in spans:
        words = _WORD.findall(text[start:end]) or [""]
        last = words[-1]
        key = last[: max(3, len(last) - 2)].lower()
        keys.append(key)
        hint = gender_hint(text, start, end, lang)
        if hint is not None:
            told.setdefault(key, set()).add(hint)
    # the name written where the tagger did not mark it («христианка Асия Биби была …» in a
    # headline) tells too: every capitalised occurrence of a mention's last word
    for key in set(keys) - set(told):
        if len(key) < 3:
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(key[:1].upper() + key[1:])}\w*")
        for m in pattern.finditer(text):
            hint = gender_hint(text, m.start(), m.end(), lang)
            if hint is not None:
                told.setdefault(key, set()).add(hint)
    return [next(iter(told[k])) if len(told.get(k, ())) == 1 else None for k in keys]


def _unknown_surname(word: str, endings: dict[str, str], an: Any) -> str | None:
    """A man's name word the dictionary does not know, taken back to the nominative by its
    case ending («Рааба» → «Рааб», «Скрипалем» → «Скрипаль», «Курцем» → «Курц»); None
    when it does not fit."""
    if not word[:1].isupper() or is_acronym(word) or an.word_is_known(word.lower()):
        return None
    for ending in sorted(endings, key=len, reverse=True):
        if word.lower().endswith(ending):
            stem = word[: len(word) - len(ending)]
            last = stem.split("-")[-1]
            if len(last) >= 3 and last[-1].lower() not in "аеёиоуыэюяіїєь":
                soft = endings[ending] if last[-1].lower() not in "цжшщчй" else ""
                return (stem + soft).lower()
    return None


def _prior(parse: Any, gender: str | None) -> float:
    """Without a first name to tell, «Пригожина»/«Лаврова» is read as a man's surname in the
    genitive rather than a woman's in the nominative: a prior from news text, where most
    people named by surname alone are men; a feminine first name overrides it."""
    return 0.15 if gender is None and parse.tag.gender == "masc" else 0.0


def _phrase(words: list[re.Match[str]], type_: str, an: Any) -> dict[int, str]:
    """Nominative forms of the leading adjectives and head noun of an ORG/LOC/EVT mention."""
    prefer = frozenset(_table()["prefer"].get(type_, ()))
    parses = [an.parse(m.group()) for m in words]
    if not _analysable(words[0].group(), parses[0]):
        return {}
    head = len(words) - 1
    for i in range(len(words) - 1):
        if not _analysable(words[i].group(), parses[i]):
            return {}
        if not any(p.tag.POS in _ADJ for p in parses[i]):
            head = i
            break
    if not _analysable(words[head].group(), parses[head]):
        if head == 0 or not is_acronym(words[head].group()):
            return {}
        # «Каховской ГЭС» → «Каховская ГЭС», «британского МИД» → «британский МИД»
        return _before_acronym(parses[:head], parses[head])
    heads = [p for p in parses[head] if p.tag.POS == "NOUN"] or parses[head]
    best: tuple[float, Any, list[Any]] | None = None
    for h in heads:
        agreeing: list[Any] = []
        rank = _rank(h, prefer)
        for i in range(head):
            matches = [
                p
                for p in parses[i]
                if p.tag.POS in _ADJ
                and _case(p) == _case(h)
                and p.tag.number == h.tag.number
                and (h.tag.number == "plur" or p.tag.gender in (None, h.tag.gender))
            ]
            if not matches:
                break
            top = max(matches, key=lambda p: p.score)
            agreeing.append(top)
            rank += top.score
        else:
            if best is None or rank > best[0]:
                best = (rank, h, agreeing)
    if best is None:  # the adjectives do not agree with any parse of the head: head alone
        h = max(heads, key=lambda p: _rank(p, prefer))
        form = _inflect(h, {"nomn"})
        return {} if form is None or head else {0: form}
    _rank_value, h, agreeing = best
    result: dict[int, str] = {}
    form = _inflect(h, {"nomn"})
    if form is None:
        return {}
    result[head] = form
    for i, p in enumerate(agreeing):
        wanted = {"nomn"} | ({h.tag.number} if h.tag.number else set())
        if h.tag.number != "plur" and h.tag.gender:
            wanted.add(h.tag.gender)
        adj = _inflect(p, wanted) or _inflect(p, {"nomn"})
        if adj is not None:
            result[i] = adj
    return result


def _before_acronym(parses: list[list[Any]], head: list[Any]) -> dict[int, str]:
    """Adjectives before an indeclinable acronym head: nominative, in the acronym's gender
    when the dictionary knows it as an abbreviation, else keeping their own."""
    known = [p for p in head if "Abbr" in p.tag.grammemes and p.tag.gender in _GENDERS]
    gender = (
        known[0].tag.gender
        if known and not any(p.tag.gender != known[0].tag.gender for p in known)
        else None
    )
    result: dict[int, str] = {}
    for i, options in enumerate(parses):
        adjs = [p for p in options if p.tag.POS in _ADJ]
        adjs.sort(
            key=lambda p: (p.tag.gender == gender, p.tag.number != "plur", p.score), reverse=True
        )
        wanted = {"nomn"} | ({adjs[0].tag.number} if adjs[0].tag.number else set())
        if adjs[0].tag.gender and adjs[0].tag.number != "plur":
            wanted.add(adjs[0].tag.gender)
        form = _inflect(adjs[0], wanted)
        if form is None:
            return {}
        result[i] = form
    return result


def _shouted(word: str, an: Any) -> bool:
    """An ordinary word written in capitals («МОСКВА»), not an acronym: four letters or
    more, known to the dictionary, and never read as an abbreviation or organisation
    («ТАСС»)."""
    if len(word) < 4 or not is_acronym(word) or "-" in word:
        return False
    lower = word.lower()
    if not an.word_is_known(lower):
        return False
    return not any({"Abbr", "Orgn"} & p.tag.grammemes for p in an.parse(lower))


def _strip_possessive(text: str, lang: str | None) -> str:
    for ending in _table()["possessive"].get(lang or "", ()):
        if text.endswith(ending) and len(text) > len(ending) + 1:
            return text[: -len(ending)]
    return text


@lru_cache(maxsize=100_000)
def normalize(text: str, type: str, lang: str | None, gender: str | None = None) -> str:
    """Nominative, lemma-normalized form of an entity mention (see the module doc).

    ``gender`` («masc», «femn»), when the text tells a person's (:func:`gender_hint`),
    keeps only the name readings of that gender."""
    text = _strip_possessive(_clean(text), lang)
    an = analyzer(lang)
    if an is None or not text:
        return text
    words = list(_WORD.finditer(text))
    if not words:
        return text
    if len(words) == 1 and _shouted(words[0].group(), an):
        return normalize(text.capitalize(), type, lang, gender)  # a dateline's «КИЇВ», «МОСКВА»
    person = type == "PER"
    forms = _person(words, lang or "", an, gender) if person else _phrase(words, type, an)
    if not forms:
        return text
    out: list[str] = []
    pos_ = 0
    for i, m in enumerate(words):
        out.append(text[pos_ : m.start()])
        out.append(_restore_case(m.group(), forms[i]) if i in forms else m.group())
        pos_ = m.end()
    out.append(text[pos_:])
    return "".join(out)
