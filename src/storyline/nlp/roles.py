"""Roles of people: «заместитель министра иностранных дел России Сергей Рябков».

Role descriptors live in ``resources/roles.json`` per language, each with its role
in English. Two things are found here:

* :func:`attach_roles` — the role written next to a person's name (before it:
  «генеральний секретар НАТО Єнс Столтенберг», "US Secretary of State Antony
  Blinken"; or as an apposition after it: «Дмитрий Песков, пресс-секретарь
  президента РФ») goes into the mention's ``role``: "NATO Secretary General",
  "Secretary of State", "Kremlin spokesman".
* :func:`find_role_references` — a role used on its own later in the text
  («генсек НАТО», «спикер Кремля», «добавил замминистра») becomes a PER mention
  with ``source="role"``, its text the role phrase and its ``role`` set; the
  linker resolves it to the person of the article holding that role
  (:func:`role_matches`).

Roles that qualify by an organisation («генеральный секретарь НАТО») carry the
organisation's English short name, taken from ``resources/aliases.json``;
countries are not kept in the role (the person's country is another fact).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from storyline import resources
from storyline.nlp.annotations import EntityMention

_WS = r"[^\S\n]+"
_UPPER_WORD = r"(?!(?:The|A|An)\b)[A-ZА-ЯЁІЇЄҐ][\w'’.\-]*"
_QUOTED = r"«[^»\n]{1,40}»|\"[^\"\n]{1,40}\"|“[^”\n]{1,40}”"
_WINDOW = 160
_REF_SOURCE = "role"
_NAME_NEXT = re.compile(
    r"(?:[^\S\n]+(?:[A-ZА-ЯЁІЇЄҐ]{2,}|«[^»\n]{1,40}»))?[^\S\n]+[A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ'’\-]+"
)
"""After a role: an acronym or quoted name (its qualifier), then a capitalised word: a name."""
_APPOSITION = re.compile(r"[^\S\n]*[,—–][^\S\n]*(?:the[^\S\n]+)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Entry:
    role: str
    alone: bool
    qualified: str | None
    """Template of the role with its organisation: "{org} Secretary General"."""


@dataclass(frozen=True, slots=True)
class _Language:
    entries: tuple[_Entry, ...]
    before: re.Pattern[str]
    """A role (and its qualifier) that ends right before a name."""
    after: re.Pattern[str]
    """An apposition after a name: ", пресс-секретарь президента РФ"."""
    alone: re.Pattern[str]
    """A role used on its own, anywhere in the text (only entries marked alone)."""
    qualifier_first: bool


def _word(token: str) -> str:
    if token == "~":
        return r"[\w'’\-]+"
    if token.startswith("(") and token.endswith(")"):
        return "(?:" + "|".join(_word(t) for t in token[1:-1].split("|")) + ")"
    if token.endswith("*"):
        return re.escape(token[:-1]) + r"[\w'’\-]*"
    return re.escape(token)


def _pattern(text: str) -> str:
    return _WS.join(_word(t) for t in text.split())


@cache
def _language(lang: str) -> _Language | None:
    table = resources.load("roles").get(lang)
    if table is None:
        return None
    entries = tuple(
        _Entry(e["role"], bool(e.get("alone")), e.get("qualified")) for e in table["roles"]
    )

    def alternation(only_alone: bool) -> str:
        groups = []
        for i, entry in enumerate(table["roles"]):
            if only_alone and not entry.get("alone"):
                continue
            body = "|".join(_pattern(p) for p in entry["patterns"])
            groups.append(f"(?P<r{i}>{body})")
        return "(?i:" + "|".join(groups) + ")"

    lower = [re.escape(w) for w in table.get("qualifier_words", ())]
    token = "|".join([_UPPER_WORD, _QUOTED, *(f"(?i:{w})(?![\\w])" for w in lower)])
    first = table.get("qualifier") == "before"
    edge = r"(?<![\w\-])"
    end = r"(?![\w\-])"
    if first:
        qual = rf"(?P<qual>(?:(?:{token}){_WS}){{0,3}}?)"
        core_all = rf"{qual}{alternation(False)}{end}"
    else:
        qual = rf"(?P<qual>(?:{_WS}(?:{token})){{0,4}}?)"
        core_all = rf"{alternation(False)}{end}{qual}"
    before = re.compile(rf"{edge}{core_all}{_WS}$")
    # An apposition takes only the specific roles (those that may stand alone):
    # «Столтенберг, постоянные представители 30 стран» is a list, not a role.
    core_specific = (
        rf"{qual}{alternation(True)}{end}" if first else rf"{alternation(True)}{end}{qual}"
    )
    after = re.compile(rf"[^\S\n]*[,—–]{_WS}(?:(?i:the){_WS})?{core_specific}(?![\w\-])")
    alone_qual = (
        rf"(?P<qual>(?:(?:{token}){_WS}){{0,2}}?)" if first else rf"(?P<qual>(?:{_WS}(?:{token}))?)"
    )
    alone = re.compile(
        rf"{edge}{alone_qual}{alternation(True)}{end}"
        if first
        else rf"{edge}{alternation(True)}{end}{alone_qual}"
    )
    return _Language(entries, before, after, alone, first)


@cache
def _organisations() -> dict[str, str]:
    """Case-folded names of the organisations in ``aliases.json`` → their English short name."""
    names: dict[str, str] = {}
    for entity in resources.load("aliases")["entities"]:
        if entity["type"] != "ORG":
            continue
        short = entity.get("short") or entity["name"]
        for forms in entity["names"].values():
            for form in forms:
                names.setdefault(form.casefold(), short)
    return names


def _organisation(qualifier: str) -> str | None:
    """The organisation a qualifier names («НАТО», "NATO", «Кремля») in the alias table."""
    names = _organisations()
    words = re.findall(r"[\w'’.\-]+", qualifier)
    for n in range(len(words), 0, -1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i : i + n]).casefold()
            if phrase in names:
                return names[phrase]
            for cut in (1, 2):  # «НАТО» is not inflected; «Кремля», «Альянсу» are
                if len(phrase) > cut + 3 and phrase[:-cut] in names:
                    return names[phrase[:-cut]]
    return None


def _role(language: _Language, match: re.Match[str]) -> str:
    for name, value in match.groupdict().items():
        if value is not None and name.startswith("r") and name[1:].isdigit():
            entry = language.entries[int(name[1:])]
            if entry.qualified:
                org = _organisation(match.group("qual") or "")
                if org:
                    return entry.qualified.format(org=org)
            return entry.role
    raise AssertionError("a role match without a role group")


def role_of(text: str, mention: EntityMention, lang: str | None) -> str | None:
    """The role written right before the mention, or as an apposition right after it."""
    language = _language(lang or "")
    if language is None:
        return None
    window = text[max(0, mention.start - _WINDOW) : mention.start]
    m = language.before.search(window)
    if m is not None:
        return _role(language, m)
    m = language.after.match(text, mention.end, min(len(text), mention.end + _WINDOW))
    if m is not None:
        return _role(language, m)
    return None


def attach_roles(
    text: str, mentions: Sequence[EntityMention], lang: str | None
) -> tuple[EntityMention, ...]:
    """The mentions, with ``role`` filled on PER mentions that have a role next to them.

    A role already set is kept. Other types pass unchanged.
    """
    out = []
    for mention in mentions:
        if mention.type == "PER" and mention.role is None and mention.source != _REF_SOURCE:
            role = role_of(text, mention, lang or mention.lang)
            if role is not None:
                mention = replace(mention, role=role)
        out.append(mention)
    return tuple(out)


def drop_role_words(
    text: str, mentions: Sequence[EntityMention], lang: str | None
) -> tuple[EntityMention, ...]:
    """The mentions without PER mentions that are nothing but a role phrase.

    Taggers read a capitalised «Генсек» at a sentence start as a name; such a
    span is a role used alone, which :func:`find_role_references` then reports
    as what it is.
    """
    language = _language(lang or "")
    if language is None:
        return tuple(mentions)
    return tuple(
        m
        for m in mentions
        if not (m.type == "PER" and language.alone.fullmatch(text, m.start, m.end))
    )


def find_role_references(
    text: str, mentions: Sequence[EntityMention], lang: str | None
) -> tuple[EntityMention, ...]:
    """Roles used on their own («генсек НАТО», «спикер Кремля», «замминистра») as PER mentions.

    Each has ``type="PER"``, ``source="role"``, ``normal`` equal to its text and the English
    role in ``role``. A role that stands next to a name (it is that name's role) or inside a
    PER mention is not a reference.
    """
    language = _language(lang or "")
    if language is None:
        return ()
    people = sorted((m for m in mentions if m.type == "PER"), key=lambda m: m.start)
    starts = {m.start for m in people}
    found = []
    for m in language.alone.finditer(text):
        start, end = m.span()
        if any(p.start < end and start < p.end for p in people):
            continue
        gap = re.match(r"[^\S\n]*", text[end : end + 3])
        if end + (gap.end() if gap else 0) in starts:
            continue  # «генсек НАТО Йенс Столтенберг»: the role of the name that follows
        if any(0 <= start - p.end <= 8 and _APPOSITION.match(text, p.end, start) for p in people):
            continue  # «Песков, пресс-секретарь президента»: an apposition
        if _NAME_NEXT.match(text, _role_end(m)):
            continue  # a role with a name the mentions missed: «замглавы МИД Александр Грушко»
        role = _role(language, m)
        surface = text[start:end]
        found.append(
            EntityMention(
                start=start,
                end=end,
                text=surface,
                type="PER",
                normal=surface,
                lang=lang or "",
                role=role,
                source=_REF_SOURCE,
            )
        )
    return tuple(found)


def _role_end(match: re.Match[str]) -> int:
    """Where the role words end (before a qualifier written after them)."""
    ends = [
        match.end(name)
        for name, value in match.groupdict().items()
        if value is not None and name.startswith("r") and name[1:].isdigit()
    ]
    return max(ends, default=match.end())


def is_role_reference(mention: EntityMention) -> bool:
    """Whether the mention is a role used alone (from :func:`find_role_references`)."""
    return mention.source == _REF_SOURCE


def role_matches(reference: str, held: str) -> bool:
    """Whether a role used alone names a role a person holds.

    Every word of the reference is in the held role («Secretary General» ⊂ «NATO Secretary
    General»; «deputy minister» ⊂ «deputy foreign minister»), and a deputy is never the
    principal (nor the other way round).
    """
    ref = set(reference.casefold().replace("-", " ").split())
    have = set(held.casefold().replace("-", " ").split())
    return bool(ref) and ref <= have and (("deputy" in ref) == ("deputy" in have))
