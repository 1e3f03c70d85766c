"""Quotes and their speakers: «…», — заявил Рябков; "…," Blinken said; По его словам, …

:func:`find_quotes` reads one article's cleaned text, with the entity mentions and
sentences the pipeline found, and returns :class:`QuoteMention` values:

* **direct** quotes — the words between quotation marks («…», „…“, "…", “…”, ‘…’),
  paired line by line (a quote left open at a paragraph's end continues into the next
  paragraph when that one closes it; one left open at the end of the text runs to the
  end: excerpts are cut mid-quote; a straight mark between two letters is an apostrophe,
  «Прем"єр»; one straight mark before the attribution's dash closes a quote and the
  quote inside it, «"…станцию "Суджа", - сказал он»). A quote interrupted by its
  attribution («Ее снесло, — сказал он. — Дамба не разрушена…») is split in two;
* **indirect** speech — the clause after a speech verb and «что/що/that», or after «По
  словам X,», «За словами X,», "according to X,".

A quoted phrase is speech only when a cue ties it to a speaker: a speech verb in the
same sentence (before it, or right after its closing mark — that one wins when a comma
or dash sets the quote off and no colon or «что» ties it to the verb before; the
attribution after the last quote of a sentence serves the quotes before it too), a
sentence ending in a colon before a quote that opens a paragraph, a «говорится в
сообщении» cue, or — for a quote that opens its own sentence — a speaker already quoting
in this or the previous paragraph. Short phrases (up to four words) must have a cue in
their own sentence and are dropped when they look like terms or names: after «так
называемый»/so-called, capitalised like a name («Вагнер», "Слуга Народу"), or repeated
through the text («гарантии безопасности» three times is a topic), or capitalised right
after a speech verb («пишет "Украинская правда"»: the outlet).

The speaker is the subject of the cue: the first name, role or pronoun of the clause
before the verb (a nominative one in ru/uk, one not after a preposition in English, "at
the Grand Hotel" included), else the first after it («— сказал Мединский»); in ru/uk a
person named after the verb speaks rather than a body or place before it («Об этом в
аккаунте Twitter сообщил … Михаил Подоляк»). In English a relative clause set off by
commas may stand between the subject and its verb ("Zelenskiy, who plays the president
on TV, said"), and a verb after "and" with no cue before it takes the clause's first
subject ("Lukashenka took the oath and announced", "Moscow denies the claims and has
called"); a passive speech verb is said by the agent after "by" ("were described as
\"constructive\" by Russia"), else by nobody. A definite noun ("the ministry said", "the
president of Kazakhstan said": the noun before "of") is the latest body named with that
noun, else the latest body; a capitalised one ("the Russian Anti-Terror Committee") is a
name, never another body. Pronouns (он, вона, he, it…) go to the latest sentence before
them holding a compatible mention (gender from the given name, the surname or the verb
after the name) — its subject, or the last speaker when that one is in it ("it" after a
cue whose speaker, in this or the previous sentence, was a body or a phrase the tagger
missed is that speaker); with none before them, the person of their gender named in the
next sentence or two; role words («замминистра», «генсек ООН») go to the person holding
that role, the last speaker first. A role or noun qualified by a country («президент
Казахстана», "the Kazakh leader") goes only to a person whose own role phrases name that
country (countries and their adjectives from ``resources/aliases.json``), else to
nobody: Putin is a president too. A speaker that cites another («пише УНН, посилаючись
на росЗМІ», "citing officials") is a channel: the words are of the one cited when a
mention names it, else of nobody; a relaying channel («передает ТАСС») is never the last
speaker, and a clause that says its speaker is unnamed ("on condition of anonymity") has
none. A document cue («говорится в сообщении ВСУ») takes the author named after it, else
the speaker of the latest reporting clause of its paragraph or the one before (a relaying
one included), else the last speaker. In ru/uk a common noun before the verb that agrees
with it («його радник заявив», «украинские чиновники заявили») is an unnamed speaker, not
the last one named; in English a name after the verb is its subject only when the verb
opens its clause or a parenthesis the name closes ('…," said Peskov'), not in
'respondents say Trump’s comments are'; a "he"/"she" there opens the reported words and is
the speaker unless a possessive before the verb names another ('X’s chief of staff says
he'). When the body names nobody before a pronoun, role,
noun or document cue, the page's title and lead (passed as ``context``, never a place for
quotes) name whom it refers to: a person they name, or a body a headline gives as its
source («Минобороны: …»). All verbs, pronouns and cue phrases come from
``resources/speech.json``, per language.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from storyline import resources
from storyline.nlp import morph
from storyline.nlp import names as nm
from storyline.nlp.annotations import EntityMention, QuoteMention, Sentence
from storyline.nlp.ner import known
from storyline.nlp.roles import is_role_reference, role_matches

_SPEAKER_TYPES = ("PER", "ORG", "LOC")
_SHORT = 4
"""Quoted phrases of at most this many words need a cue in their own sentence."""
_TERM_REPEATS = 3
_ATTACHED_GAP = 90
"""How far after a closing mark its attribution may start («", — заявил»; '," the ICC')."""
_AFTER_WINDOW = 120
_ANTECEDENT_WINDOW = 1500
_LAST_SPEAKER_WINDOW = 1500
_DASH = "—–-"
_OPENERS = '«„“‘"'
_CLOSERS = '»“”’"'
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
_CLAUSE_END = re.compile(r"[.!?;\n]")
_PHRASE_END = re.compile(r"[^\S\n]*(?:[,.;:!?)\n]|$)")
"""What follows a subject written after its verb that closes the clause or parenthesis."""
_GENDER = {"masc": "m", "femn": "f"}
_CLAUSE_COMMA = re.compile(r"[,.!?;\n]")
_SENTENCE_STOP = re.compile(r"[.!?](?=\s)")
_CATAPHORA = 300
"""A role nobody holds may name the person in the next sentence or two."""
_APPOSITION_WORDS = 12
_FUNCTION_WORDS = frozenset({"CONJ", "PREP", "PRCL", "ADVB", "NPRO", "INTJ", "PRED"})
"""Dictionary tags of words that are never a subject noun («Як» is also a noun, "yak")."""


# ── the language table ──────────────────────────────────────────────────────


def _expand(form: str) -> list[str]:
    """``заяви{л|ла}`` → ``заявил``, ``заявила``."""
    m = re.search(r"\{([^}]*)\}", form)
    if m is None:
        return [form]
    head, tail = form[: m.start()], form[m.end() :]
    return [x for alt in m.group(1).split("|") for x in _expand(head + alt + tail)]


def _alternation(phrases: Sequence[str]) -> str:
    words = sorted({p.casefold() for p in phrases}, key=len, reverse=True)
    return "|".join(r"[^\S\n]+".join(re.escape(w) for w in p.split()) for p in words)


@dataclass(frozen=True, slots=True)
class _Language:
    cues: re.Pattern[str]
    """Every cue; the named group that matched is its kind (verb, gerund, quoting, …)."""
    gender_endings: tuple[tuple[str, str], ...]
    pronouns: dict[str, str]
    possessives: dict[str, str]
    pronoun_re: re.Pattern[str] | None
    complementizer: re.Pattern[str] | None
    so_called: re.Pattern[str] | None
    term_heads: re.Pattern[str] | None
    prepositions: frozenset[str]
    oblique_before: frozenset[str]
    possessive_re: re.Pattern[str] | None
    subject_gap: int | None
    """At most this many words between a subject and its verb (None: anywhere in the clause)."""
    subject_after: int | None
    """At most this many words between a verb and a subject after it."""
    abbreviations: frozenset[str]
    """Words whose full stop ends no clause ("Sen.", "Dr.")."""
    object_verbs: frozenset[str]
    """Verbs whose following noun is never their subject ("told CNN")."""
    trailing_reports: bool
    """Whether «…, сказал Песков» (no quotation marks) reports speech in this language."""
    report_openers: re.Pattern[str] | None
    """«Об этом», «Про це»: a sentence so opened reports a fact, not words."""
    coordinators: frozenset[str]
    """«и», "and": a verb right after one shares the subject of the verb before it."""
    speaker_nouns: dict[str, str]
    """Head noun of a common-noun subject ("the newspaper") → the entity type it stands for."""
    determiners: frozenset[str]
    """Words between a preposition and its noun ("in the Sahel region")."""
    definite: frozenset[str]
    """"the": a speaker noun after it stands for someone named before."""
    possessive_determiners: frozenset[str]
    """"his", "her": a noun phrase they open is someone's ("her campaign said")."""
    possessive_ending: re.Pattern[str] | None
    """"’s" ending a word: the phrase names someone else besides its head ("Zelenskiy’s
    chief of staff")."""
    noun_phrase: re.Pattern[str]
    """A determiner or possessive, up to three words and a lower-case head noun right before
    a verb ("the newspaper", "her campaign"): group 1 the phrase, 2 the determiner, 3 the
    head noun; built once from the tables, not per verb."""
    function_words: frozenset[str]
    """Determiners, coordinators, prepositions: a capitalised one opening a sentence is
    no part of a name ("As Ryan acknowledges")."""
    citing: re.Pattern[str] | None
    """«со ссылкой на», "citing": the speaker before it passes on another's words."""
    anonymous: re.Pattern[str] | None
    """"on condition of anonymity": the reporting clause's speaker is not named."""
    title_links: frozenset[str]
    """"of": joins a title to what it is of ("governor of Crimea Sergei Aksyonov"); the
    name after is still a subject."""
    preverbal: frozenset[str]
    """"had", "earlier": between a subject and its verb ("The ministry had earlier said") or
    a coordinator and the verb it joins ("and has called")."""
    adverb_endings: tuple[str, ...]
    """"-ly": a lower-case word so ending between a subject and its verb is an adverb."""
    passive: frozenset[str]
    """"was", "were": a speech verb after one is passive; its speaker is the agent."""
    agent: re.Pattern[str] | None
    """"by": the word before a passive verb's agent."""
    relatives: re.Pattern[str] | None
    """"who", "which": a relative clause after a subject, set off by commas."""
    relays: frozenset[str]
    """Verbs of a channel passing words on («передает ТАСС»): its subject is named after
    it, whatever the verb's number, and is never the last speaker."""


@cache
def _language(lang: str) -> _Language | None:
    table = resources.load("speech").get(lang)
    if table is None:
        return None
    groups = []
    for kind in ("document_ref", "document", "quoting", "according", "verb", "gerund"):
        key = {
            "document_ref": "document_refs",
            "document": "document_cues",
            "quoting": "quoting_verbs",
            "according": "according",
            "verb": "verbs",
            "gerund": "gerunds",
        }[kind]
        forms = [f for entry in table.get(key, ()) for f in _expand(entry)]
        if kind == "according":
            for entry in table.get("according_possessive", ()):
                forms += [entry.replace("{poss}", p) for p in table.get("possessives", {})]
        if forms:
            groups.append(f"(?P<{kind}>{_alternation(forms)})")
    cues = re.compile(r"(?<![\w\-])(?:" + "|".join(groups) + r")(?![\w\-])", re.IGNORECASE)
    endings = tuple(
        sorted(table.get("gender_endings", {}).items(), key=lambda kv: len(kv[0]), reverse=True)
    )
    pronouns = {k.casefold(): v for k, v in table.get("pronouns", {}).items()}
    possessives = {k.casefold(): v for k, v in table.get("possessives", {}).items()}

    def words(items: Sequence[str]) -> re.Pattern[str] | None:
        if not items:
            return None
        return re.compile(rf"(?<![\w\-])(?:{_alternation(items)})(?![\w\-])", re.IGNORECASE)

    determiners = frozenset(w.casefold() for w in table.get("determiners", ()))
    possessive_determiners = frozenset(
        w.casefold() for w in table.get("possessive_determiners", ())
    )
    coordinators = frozenset(w.casefold() for w in table.get("coordinators", ()))
    prepositions = frozenset(w.casefold() for w in table.get("prepositions", ()))
    oblique_before = frozenset(w.casefold() for w in table.get("oblique_before", ()))
    heads = _alternation([*determiners, *possessive_determiners])
    noun_phrase = re.compile(
        rf"(?:^|[^\w'’\-])(({heads})[^\S\n]+(?:[\w'’\-]+[^\S\n]+){{0,3}}?([a-z][\w'’\-]*))"
        r"[^\S\n]+$",
        re.IGNORECASE,
    )
    return _Language(
        cues=cues,
        gender_endings=endings,
        pronouns=pronouns,
        possessives=possessives,
        pronoun_re=words(list(pronouns)),
        complementizer=words(table.get("complementizers", ())),
        so_called=words(table.get("so_called", ())),
        term_heads=words([f for entry in table.get("term_heads", ()) for f in _expand(entry)]),
        prepositions=prepositions,
        oblique_before=oblique_before,
        possessive_re=words(list(possessives)),
        subject_gap=table.get("subject_gap"),
        subject_after=table.get("subject_after"),
        abbreviations=frozenset(w.casefold() for w in table.get("abbreviations", ())),
        object_verbs=frozenset(
            w.casefold() for entry in table.get("object_verbs", ()) for w in _expand(entry)
        ),
        coordinators=coordinators,
        trailing_reports=bool(table.get("trailing_reports", False)),
        report_openers=words(table.get("report_openers", ())),
        speaker_nouns={k.casefold(): v for k, v in table.get("speaker_nouns", {}).items()},
        determiners=determiners,
        definite=frozenset(w.casefold() for w in table.get("definite", ())),
        possessive_determiners=possessive_determiners,
        possessive_ending=(
            re.compile(rf"\w(?:{_alternation(table['possessive_endings'])})\b")
            if table.get("possessive_endings")
            else None
        ),
        noun_phrase=noun_phrase,
        function_words=determiners | coordinators | oblique_before | prepositions,
        citing=words(table.get("citing", ())),
        anonymous=words(table.get("anonymous", ())),
        relatives=words(table.get("relatives", ())),
        preverbal=frozenset(w.casefold() for w in table.get("preverbal", ())),
        adverb_endings=tuple(table.get("adverb_endings", ())),
        title_links=frozenset(w.casefold() for w in table.get("title_links", ())),
        passive=frozenset(w.casefold() for w in table.get("passive", ())),
        agent=words(table.get("agent", ())),
        relays=frozenset(w.casefold() for entry in table.get("relays", ()) for w in _expand(entry)),
    )


@cache
def _country_table() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """Word stems of country names → ISO code, and (adjective stem, code) pairs, from
    ``resources/aliases.json`` (``countries``, ``country_adjectives``)."""
    table = resources.load("aliases")
    forms: dict[str, str] = {}
    for code, by_lang in table["countries"].items():
        for form in (f for fs in by_lang.values() if isinstance(fs, list) for f in fs):
            words = _WORD.findall(form)
            if len(words) == 1:
                forms.setdefault(nm.stem(nm.word_key(words[0])), code)
    adjectives = tuple(
        (nm.stem(nm.word_key(word)), code)
        for code, words in table["country_adjectives"].items()
        for word in words
        if len(nm.stem(nm.word_key(word))) >= 4
    )
    return forms, adjectives


def _countries_in(text: str) -> set[str]:
    """The countries a phrase names or qualifies by («президент Казахстана», "the Kazakh
    leader", "Russia's president"): ISO codes."""
    forms, adjectives = _country_table()
    found = set()
    for word in _WORD.findall(text):
        key = nm.stem(nm.word_key(word))
        if not key:
            continue
        if key in forms:
            found.add(forms[key])
            continue
        found |= {code for prefix, code in adjectives if key.startswith(prefix)}
    return found


# ── quotation marks ─────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class _Marked:
    open: int
    """Offset of the opening mark."""
    close: int | None
    """Offset of the closing mark; ``None`` when the quote runs to a line's or the text's end."""
    end: int
    """Where the quoted words end (the closing mark, or the end of the line/text)."""


_FAMILY = {"«": "»", "„": "“”", "“": "”", "‘": "’", '"': '"'}


def _straight_role(line: str, i: int, inside: bool) -> str | None:
    prev = line[i - 1] if i > 0 else " "
    nxt = line[i + 1] if i + 1 < len(line) else " "
    if prev.isalpha() and nxt.isalpha() and not inside:
        return None  # an apostrophe typed as a quotation mark: «Прем"єр-міністр»
    opener = (prev.isspace() or prev in "([{/:" + _DASH + "«„“") and not nxt.isspace()
    closer = not prev.isspace() and (nxt.isspace() or nxt in ".,;:!?)]}…»" + _DASH)
    if inside:
        return "close" if closer or not opener else "open"
    return "open" if opener or not closer else None


def _closes_both(line: str, i: int) -> bool:
    """Whether the straight mark at ``i``, closing a quote inside a quote, closes the outer
    one too: no straight mark after it on the line, and only the attribution's dash or the
    line's end after its punctuation («…через станцию "Суджа", - в частности сказал он»)."""
    rest = line[i + 1 :]
    return '"' not in rest and re.match(rf"[,.!?…]*[^\S\n]*(?:[{_DASH}]|$)", rest) is not None


def _pair_line(
    line: str, base: int, carried: list[tuple[str, int]]
) -> tuple[list[tuple[int, int]], list[tuple[str, int]], bool]:
    """Pairs ``(open, close)`` in one line, the marks still open at its end, and whether
    a mark carried in from the previous line was closed here."""
    stack = list(carried)
    pairs: list[tuple[int, int]] = []
    closed_carried = False
    for i, c in enumerate(line):
        role: str | None = None
        if c in "«„":
            role = "open"
        elif c == "»" or c == "”":
            role = "close"
        elif c == "“":
            role = "close" if stack and stack[-1][0] == "„" else "open"
        elif c == "‘":
            role = "open" if i == 0 or not line[i - 1].isalnum() else None
        elif c == "’":
            inside = any(m == "‘" for m, _ in stack)
            nxt = line[i + 1] if i + 1 < len(line) else " "
            role = "close" if inside and not nxt.isalnum() else None
        elif c == '"':
            role = _straight_role(line, i, any(m == '"' for m, _ in stack))
        if role == "open":
            stack.append((c, base + i))
        elif role == "close":
            nested = [k for k, (m, _) in enumerate(stack) if m == '"']
            if c == '"' and len(nested) > 1 and _closes_both(line, i):
                del stack[nested[-1] :]  # «"Поставки … через станцию "Суджа", - сказал он»
            for k in range(len(stack) - 1, -1, -1):
                if c in _FAMILY[stack[k][0]]:
                    opened = stack[k][1]
                    if opened < base:
                        closed_carried = True
                    pairs.append((opened, base + i))
                    del stack[k:]
                    break
    return pairs, stack, closed_carried


def _quote_marks(text: str) -> list[_Marked]:
    """Outermost quotations of the text, in order (see the module doc)."""
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    found: list[_Marked] = []
    carried: list[tuple[str, int]] = []
    carried_end = 0
    carried_lines = 0
    for n, (base, line) in enumerate(lines):
        if carried:
            starts_again = line.lstrip()[:1] == carried[0][0]
            if starts_again:  # each paragraph of a long quote reopens it
                found.append(_Marked(carried[0][1], None, carried_end))
                carried = []
        pairs, open_marks, _ = _pair_line(line, base, carried)
        found += [_Marked(o, c, c) for o, c in pairs]
        line_end = base + len(line.rstrip())
        if open_marks:
            first = open_marks[0]
            if n == len(lines) - 1:
                found.append(_Marked(first[1], None, line_end))  # the excerpt ends mid-quote
                carried = []
            elif carried and first == carried[0] and carried_lines >= 2:
                carried = []
            else:
                carried_lines = carried_lines + 1 if carried and first == carried[0] else 1
                carried = [first]
                carried_end = line_end if carried_lines == 1 else carried_end
        else:
            carried = []
            carried_lines = 0
    found.sort(key=lambda m: m.open)
    outer: list[_Marked] = []
    for m in found:
        if outer and m.open < outer[-1].end:
            continue
        outer.append(m)
    return outer


# ── cues and candidates ─────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    kind: str
    gender: str | None
    relay: bool = False
    """A channel's verb («передает ТАСС»; ``relays`` in speech.json)."""


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    text: str
    entity: int | None
    """Index into the entities, or None for a pronoun or a bare phrase."""
    pronoun: str | None = None
    """The pronoun's gender (m, f, p, n) when the candidate is a pronoun."""


@dataclass(frozen=True, slots=True)
class _Speaker:
    text: str | None
    start: int | None
    end: int | None
    index: int | None


_NOBODY = _Speaker(None, None, None, None)


def _said(
    text: str, start: int, end: int, kind: Literal["direct", "indirect"], cue: str, by: _Speaker
) -> QuoteMention:
    """The quote ``text[start:end]`` with its cue as written and its speaker."""
    return QuoteMention(
        start=start,
        end=end,
        text=text[start:end],
        kind=kind,
        cue=cue,
        speaker_text=by.text,
        speaker_start=by.start,
        speaker_end=by.end,
        speaker=by.index,
    )


def _gender_of_verb(language: _Language, word: str) -> str | None:
    w = word.casefold()
    for ending, gender in language.gender_endings:
        if w.endswith(ending):
            return gender or None
    return None


def _latin(text: str) -> bool:
    """Whether most letters of ``text`` are Latin ones."""
    letters = [ch for ch in text if ch.isalpha()]
    latin = sum(1 for ch in letters if ch.isascii())
    return latin * 2 > len(letters)


_HEADLINE_LABEL = re.compile(r"^[^:\n]{2,40}:\s")
_HEADLINE_CREDIT = re.compile(rf"\s[{_DASH}]\s([^\n{_DASH}]{{2,40}})$")
_HEADLINE_WORDS = 5


def _headline_sources(context: str) -> list[str]:
    """Who a headline gives as its source: a short label before a colon («Минобороны:
    крейсер «Москва» затонул», "Kremlin: …") or a credit after a final dash ("Russia
    suspends Black Sea grain deal – Kremlin spox Peskov", «… – ОВА»), per line."""
    found = []
    for line in context.splitlines():
        line = line.strip()
        label = _HEADLINE_LABEL.match(line)
        credit = _HEADLINE_CREDIT.search(line)
        for part in (label.group()[:-2] if label else "", credit.group(1) if credit else ""):
            if part and len(_WORD.findall(part)) <= _HEADLINE_WORDS:
                found.append(part)
    return found


class _Reader:
    """One article's text, marks, cues and mentions; resolves speakers in text order."""

    def __init__(
        self,
        text: str,
        lang: str,
        language: _Language,
        entities: Sequence[EntityMention],
        sentences: Sequence[Sentence],
        context: str = "",
    ) -> None:
        self.text, self.lang, self.language = text, lang, language
        self.entities = entities
        self.sentences = list(sentences) or [Sentence(0, len(text))]
        self.sentence_starts = [s.start for s in self.sentences]
        self.marks = _quote_marks(text)
        self.parts = [p for mark in self.marks for p in _parts(text, language, mark)]
        # an attribution that interrupts a quote («— сказал он. —») is not quoted
        self.inside = [(p.start, p.end) for p in self.parts]
        self.inside_starts = [p.start for p in self.parts]
        self.cues = [c for c in self._find_cues() if not self.quoted(c.start)]
        self.candidates = self._find_candidates()
        self.candidate_starts = [c.start for c in self.candidates]
        self.latin = _latin(text)
        """Whether the text is mostly in Latin letters."""
        self.topics = self._named_in(context)
        """Body mentions of whom the title or lead names, in the order it names them."""
        self.sources = self._named_in(" ".join(_headline_sources(context)))
        """The same of whom a headline names as its source («Минобороны: …», "… – Kremlin")."""
        self.resolved: dict[int, _Speaker] = {}
        """Cue start → its resolved speaker (filled in text order)."""
        self.history: list[tuple[int, int]] = []
        """(position, entity index) of every resolved speaker, in text order."""
        self._genders: dict[int, str | None] = {}

    # positions

    def quoted(self, pos: int) -> bool:
        i = bisect.bisect_right(self.inside_starts, pos) - 1
        return i >= 0 and self.inside[i][0] <= pos < self.inside[i][1]

    def sentence_of(self, pos: int) -> Sentence:
        i = max(0, bisect.bisect_right(self.sentence_starts, pos) - 1)
        return self.sentences[i]

    def sentence_index(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, pos) - 1)

    def line_of(self, pos: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, len(self.text) if end < 0 else end

    # finding

    def _find_cues(self) -> list[_Cue]:
        cues = []
        for m in self.language.cues.finditer(self.text):
            kind = m.lastgroup or "verb"
            relay = m.group().casefold() in self.language.relays
            gender = _gender_of_verb(self.language, m.group()) if kind == "verb" else None
            cues.append(_Cue(m.start(), m.end(), kind, None if relay else gender, relay))
        return cues

    def _find_candidates(self) -> list[_Candidate]:
        found = [
            _Candidate(e.start, e.end, e.text, i)
            for i, e in enumerate(self.entities)
            if e.type in _SPEAKER_TYPES and not self.quoted(e.start)
        ]
        if self.language.pronoun_re is not None:
            for m in self.language.pronoun_re.finditer(self.text):
                if not self.quoted(m.start()):
                    gender = self.language.pronouns[m.group().casefold()]
                    found.append(_Candidate(m.start(), m.end(), m.group(), None, gender))
        found.sort(key=lambda c: (c.start, -c.end))
        return found

    def _named_in(self, context: str) -> list[int]:
        """The people and bodies the page's title or lead names that the body mentions too
        (the first body mention of each, in the order the context names them): whom a
        pronoun, role or noun at the body's start refers to when the body names nobody
        before it («"…", — сказав він військовим» under a lead that names Zelensky). A
        person matches by the last word, a body by the first (stems, any script); what
        the context quotes is no one's name there."""
        for mark in reversed(_quote_marks(context)):  # «"Поважаю Лукашенка": … з Протасевичем»
            context = context[: mark.open] + " " + context[mark.end + 1 :]
        keys = [nm.stem(nm.word_key(w)) for w in _WORD.findall(context)]
        keys = [k for k in keys if len(k) >= 3]
        if not keys:
            return []
        heads: list[tuple[int, str]] = []  # (mention, the stem it matches by)
        for i, e in enumerate(self.entities):
            if e.type not in ("PER", "ORG") or is_role_reference(e) or self.quoted(e.start):
                continue
            stems = [nm.stem(nm.word_key(w)) for w in _WORD.findall(e.text)]
            head = (stems[-1] if e.type == "PER" else stems[0]) if stems else ""
            if len(head) >= 4:
                heads.append((i, head))
        found: list[int] = []
        for key in keys:
            for i, head in heads:
                if head == key and not any(i == j or self.same_one(i, j) for j in found):
                    found.append(i)
                    break
        return found

    def same_one(self, i: int, j: int) -> bool:
        """Whether two mentions name one person or body: the same last word's stem."""
        a = (_WORD.findall(self.entities[i].text) or [""])[-1]
        b = (_WORD.findall(self.entities[j].text) or [""])[-1]
        return nm.stem(nm.word_key(a)) == nm.stem(nm.word_key(b))

    def topic(self, kind: str, gender: str | None = None) -> int | None:
        """The first body mention of a person (``kind`` "PER", of ``gender`` when given) or
        body ("ORG") that the title or lead names; None when it names none."""
        if kind == "ORG":
            # a body only as the headline's source: a title names many bodies, places and
            # works as what happened to them («Окупанти підірвали Каховську ГЕС …»)
            return next((i for i in self.sources if self.entities[i].type != "PER"), None)
        for i in self.topics:
            fits = gender in (None, "x") or self.gender(i) in (None, gender)
            if self.entities[i].type == "PER" and fits:
                return i
        return None

    # speakers

    def gender(self, index: int) -> str | None:
        if index not in self._genders:
            self._genders[index] = self._entity_gender(self.entities[index])
        return self._genders[index]

    def _entity_gender(self, e: EntityMention) -> str | None:
        """m, f or None: a gendered verb right after any mention with the same last word
        («Шерман наголосила»), else a given name's or a feminine surname's gender."""
        if e.type != "PER" or is_role_reference(e):
            return None
        last = (_WORD.findall(e.text) or [e.text])[-1]
        stem = last[: max(3, len(last) - 2)]  # «Шерман», «Шерман» / «Рябкова», «Рябков»
        for other in self.entities:
            other_last = (_WORD.findall(other.text) or [other.text])[-1]
            if other.type != "PER" or not other_last.startswith(stem):
                continue
            after = re.match(r"[^\S\n]*([^\W\d_]+)", self.text[other.end : other.end + 40])
            if after:
                verb = self.language.cues.fullmatch(after.group(1))
                if verb and verb.lastgroup == "verb":
                    g = _gender_of_verb(self.language, after.group(1))
                    if g in ("m", "f"):
                        return g
        analyzer = morph.analyzer(self.lang)
        if analyzer is None:
            return None
        for word in _WORD.findall(e.text):
            if not word[:1].isupper():
                continue
            parses = analyzer.parse(word)
            names = {
                _GENDER[g]
                for p in parses
                if "Name" in p.tag.grammemes
                for g in _GENDER
                if g in p.tag.grammemes
            }
            if len(names) == 1:
                return names.pop()
            # a surname says "feminine" (Захарова) but not "masculine" (Шерман is both)
            surnames = {
                _GENDER[g]
                for p in parses
                if "Surn" in p.tag.grammemes
                for g in _GENDER
                if g in p.tag.grammemes
            }
            if surnames == {"f"}:
                return "f"
        return None

    def nominative(self, c: _Candidate) -> bool:
        """Whether the candidate can be a subject (no oblique case, no preposition before it)."""
        if c.pronoun is not None:
            return True
        if self._parenthesised(c):
            return False  # "(ABC NEWS)—The International Criminal Court …, saying": a byline
        before = re.search(
            r"([^\W\d_]+)[^\S\n]+(?:([^\W\d_]+)[^\S\n]*)?$",
            self.text[max(0, c.start - 40) : c.start],
        )
        if before is not None:
            # the word before the mention, or before its determiner ("in the Sahel region")
            word = (before.group(2) or before.group(1)).casefold()
            if before.group(2) and word in self.language.determiners:
                word = before.group(1).casefold()
            if word in self.language.oblique_before or word in self.language.prepositions:
                return False
        if self.language.subject_gap is not None:
            # "an adviser to Ukrainian President Volodymyr Zelensky": the title's capitalised
            # words stand between the name and the preposition that governs it
            title = re.search(
                r"([^\W\d_]+)[^\S\n]+(?:[A-Z][\w'’\-]*[^\S\n]+){1,3}$",
                self.text[max(0, c.start - 80) : c.start],
            )
            offset = max(0, c.start - 80)
            if (
                title is not None
                and title.group(1).casefold() in self.language.oblique_before
                and title.group(1).casefold() not in self.language.title_links
                and title.group(1).casefold() not in self.language.coordinators
                and not any(
                    offset + title.end(1) <= o.start < c.start
                    for o in self.candidates
                    if o.entity is not None
                )
            ):
                return False
        parses = self._head_parses(c)
        if not parses or "LATN" in parses[0].tag.grammemes:
            return True
        return any("nomn" in p.tag.grammemes for p in parses) or any(
            "Fixd" in p.tag.grammemes for p in parses
        )

    def _parenthesised(self, c: _Candidate) -> bool:
        """Whether the mention is all that stands in parentheses ("(Reuters)", «(ТАСС)»): a
        byline or an aside, never the clause's subject."""
        before = self.text[max(0, c.start - 3) : c.start].rstrip()
        after = self.text[c.end : c.end + 3].lstrip()
        return before.endswith("(") and after.startswith(")")

    def _head_parses(self, c: _Candidate) -> list[Any]:
        """The dictionary's parses of the word that carries the candidate's case (a person's
        last word, a body's or place's first; acronyms aside); none without a dictionary."""
        analyzer = morph.analyzer(self.lang)
        words = [w for w in _WORD.findall(c.text) if not morph.is_acronym(w)]
        if analyzer is None or not words:
            return []
        person = c.entity is None or self.entities[c.entity].type == "PER"
        return analyzer.parse(words[-1] if person else words[0])

    def _written_nominative(self, speaker: _Speaker) -> bool:
        """Whether the speaker as written can be a subject: «…, заявив про свою повагу до
        президента» ends a relative clause before the verb, and the genitive after it is
        no speaker (the subject is before the clause)."""
        written = [c for c in self.candidates if (c.start, c.end) == (speaker.start, speaker.end)]
        return not written or self.nominative(written[0])

    def named_in_oblique_case(self, c: _Candidate) -> bool:
        """Whether the dictionary reads the candidate as a name in an oblique case only
        («Байдену», «Берлина»). Stricter than ``not nominative``: a surname the dictionary
        does not know as one («Рябков», read as a genitive plural noun) decides nothing."""
        if c.entity is None:
            return False
        names = [g for p in self._head_parses(c) if morph.name_tags() & (g := p.tag.grammemes)]
        return bool(names) and not any({"nomn", "Fixd"} & g for g in names)

    def _subject_rank(self, c: _Candidate) -> tuple[int, int]:
        """People and pronouns before organisations before places; then text order."""
        if c.pronoun is not None:
            return 0, c.start
        kind = self.entities[c.entity or 0].type
        return {"PER": 0, "ORG": 1}.get(kind, 2), c.start

    def last_speaker(self, pos: int) -> int | None:
        for where, index in reversed(self.history):
            if where < pos:
                return index if pos - where <= _LAST_SPEAKER_WINDOW else None
        return None

    def resolve(self, c: _Candidate, pos: int) -> int | None:
        if c.pronoun is not None:
            speaking = self.speaking_body(c.start) if c.pronoun == "n" else None
            if speaking is not None:
                return speaking[0]
            return self.antecedent(c.pronoun, c.start)
        if c.entity is None:
            return None
        e = self.entities[c.entity]
        if is_role_reference(e) and e.role:
            return self.role_holder(c.entity, pos)
        return c.entity

    def speaking_body(self, pos: int) -> tuple[int | None] | None:
        """What "it" at ``pos`` stands for when the cue before it, in this sentence or the
        one before, had a speaker that is no person: that speaker (its entity, or none
        when the tagger did not find it: '"…," said the War Gonzo blog, which has
        subscribers on Telegram. "…," it said' is the blog, not Telegram); ``None`` when
        no such cue decides it."""
        earlier = [where for where in self.resolved if where < pos]
        if not earlier:
            return None
        where = max(earlier)
        speaker = self.resolved[where]
        if speaker.text is None or self.sentence_index(where) < self.sentence_index(pos) - 1:
            return None
        if speaker.index is None:
            written = speaker.text.casefold()
            if written in self.language.pronouns or any(
                c.pronoun is not None and c.start == speaker.start for c in self.candidates
            ):
                return None
            return (None,)
        if self.entities[speaker.index].type == "ORG" and not self.person_like(speaker.index):
            return (speaker.index,)
        return None

    def role_holder(self, index: int, pos: int) -> int:
        """The named person a role used alone («замминистра») refers to.

        The last speaker when the role fits them; else the nearest earlier person with
        that role; else the person in apposition to this or another mention of the same
        role ("Denmark's Prime Minister, Mette Frederiksen,"); else the next person
        named in the text (a role often comes first: "the deputy minister said … Fomin
        said"); else the role mention itself.
        """
        ref = self.entities[index]
        role = ref.role or ""
        named = [
            (i, e)
            for i, e in enumerate(self.entities)
            if (e.type == "PER" or (self.person_like(i) and len(_WORD.findall(e.text)) > 1))
            and not is_role_reference(e)
            and not self.quoted(e.start)
        ]
        countries = self.countries_of_phrase(ref.start, ref.end)

        def fits(i: int) -> bool:
            # "the president of Kazakhstan" is not the president Putin named before
            return not countries or bool(countries & self.countries_of_person(i))

        last = self.last_speaker(pos)
        if last is not None and role_matches(role, self.entities[last].role or "") and fits(last):
            return last
        before = [
            i
            for i, e in named
            if e.end <= ref.start and e.role and role_matches(role, e.role) and fits(i)
        ]
        if before:
            return before[-1]
        same = [r for r in self.entities if is_role_reference(r) and r.role == ref.role]
        for other in sorted(same, key=lambda r: abs(r.start - ref.start)):
            apposition = [i for i, e in named if 0 <= e.start - other.end <= 3]
            if apposition:
                return apposition[0]
        after = [
            i
            for i, e in named
            if e.start >= ref.end and e.role and role_matches(role, e.role) and fits(i)
        ]
        if after:
            return after[0]
        topic = self.topic("PER")
        if topic is not None and fits(topic) and not before:
            return topic  # «Генсек НАТО: …» under a title that names Stoltenberg
        following = [i for i, e in named if 0 <= e.start - ref.end <= _CATAPHORA and not e.role]
        return following[0] if following else index

    def countries_of_phrase(self, start: int, end: int) -> set[str]:
        """Countries named in a role or noun phrase or right around it, in its clause
        ("the president of Kazakhstan", «президент Казахстана», "Kazakhstan's president")."""
        text = self.text
        left = max(
            [start - 25]
            + [m.end() for m in _CLAUSE_COMMA.finditer(text, max(0, start - 25), start)]
        )
        stop = _CLAUSE_COMMA.search(text, end, min(len(text), end + 25))
        right = stop.start() if stop else min(len(text), end + 25)
        return _countries_in(text[max(0, left) : right])

    def countries_of_person(self, index: int) -> set[str]:
        """Countries written in the role phrases of a person's mentions (those with the
        same last word): the 40 characters before each and its apposition after it; the
        same of a body's mentions ("Russia's Foreign Ministry")."""
        kind = self.entities[index].type
        last = (_WORD.findall(self.entities[index].text) or [""])[-1].casefold()
        found: set[str] = set()
        for e in self.entities:
            if e.type != kind or (_WORD.findall(e.text) or [""])[-1].casefold() != last:
                continue
            sentence = self.sentence_of(e.start)
            left = max(sentence.start, e.start - 40)
            right = min(sentence.end, e.end + 40)
            found |= _countries_in(self.text[left:right])
        return found

    def person_like(self, index: int) -> bool:
        """A PER mention, or an ORG one that looks like a name the tagger mistyped ("Zelenskyy");
        not an organisation the name tables know («У Держдепі наголосили» is no «вона»), nor
        one in another script than the text's: a page in Cyrillic writes people's names in
        Cyrillic, and its "Grain Initiative" is a thing's name."""
        e = self.entities[index]
        if e.type == "PER":
            return True
        if e.source == known.SOURCE:
            return False
        words = _WORD.findall(e.text)
        return (
            e.type == "ORG"
            and 0 < len(words) <= 2
            and all(w[:1].isupper() and not morph.is_acronym(w) for w in words)
            and _latin(e.text) == self.latin
        )

    def antecedent(self, gender: str, pos: int) -> int | None:
        """What a pronoun at ``pos`` refers to (see the module doc)."""
        if gender == "p":
            return None
        types = ("ORG",) if gender == "n" else ("PER",)
        pool = [
            c
            for c in self._linked_before(pos)
            if self.entities[c.entity or 0].type in types
            and (gender in ("n", "x") or self.gender(c.entity or 0) in (None, gender))
        ]
        last = self.last_speaker(pos)
        if last is not None and gender != "n":
            fits = self.person_like(last) and (gender == "x" or self.gender(last) in (None, gender))
            where = max(w for w, i in self.history if i == last and w < pos)
            latest = self.sentence_index(pool[-1].start) if pool else -1
            if fits and self.sentence_index(where) >= latest - 1:
                group = [c for c in pool if self.sentence_index(c.start) == latest]
                if not group or any(self.resolve(c, c.start) == last for c in group):
                    return last
                if self.sentence_index(where) >= latest:
                    return last
        if not pool:  # no fitting last speaker either: whom the title names, else next
            named = self.topic("ORG" if gender == "n" else "PER", gender)
            return named if named is not None else self._named_next(gender, pos)
        latest = self.sentence_index(pool[-1].start)
        group = [c for c in pool if self.sentence_index(c.start) == latest]
        subjects = [c for c in group if self.nominative(c)]
        chosen = subjects[0] if subjects else group[-1]
        return self.resolve(chosen, chosen.start)

    def _named_next(self, gender: str, pos: int) -> int | None:
        """A pronoun nothing before it names (the page's lead, where the person was named,
        is cut off: «"…", — сказав він військовим. Зеленський також подякував НАТО»): the
        first person of that gender named in the next sentence or two."""
        if gender not in ("m", "f", "x"):
            return None
        for c in self.candidates:
            if c.entity is None or c.start < pos or c.start - pos > _CATAPHORA:
                continue
            e = self.entities[c.entity]
            if e.type != "PER" or is_role_reference(e) or self.quoted(c.start):
                continue
            if gender == "x" or self.gender(c.entity) in (None, gender):
                return c.entity
        return None

    def speaker_of(self, cue: _Cue) -> _Speaker:
        """The cue's speaker (memoised: cues are resolved in text order)."""
        if cue.start in self.resolved:
            return self.resolved[cue.start]
        channel = self._speaker_of(cue)
        speaker = self._passed_on(channel, cue)
        clause = self._anonymous(cue)
        if speaker.index is not None and clause is not None:
            # the phrase as written when it is in the clause («чиновник»), else nobody
            written = speaker.start is not None and clause[0] <= speaker.start < clause[1]
            speaker = (
                _Speaker(speaker.text, speaker.start, speaker.end, None) if written else _NOBODY
            )
        self.resolved[cue.start] = speaker
        if speaker.index is not None and (not cue.relay or speaker.start != channel.start):
            self.history.append((cue.start, speaker.index))
            self.history.sort()
        return speaker

    def _anonymous(self, cue: _Cue) -> tuple[int, int] | None:
        """The cue's clause, from its start to its end after the cue, when it says its
        speaker is not named («сообщил чиновник на условиях анонимности»: not the newspaper
        quoted before, whom «чиновник» would otherwise fall back to); else None."""
        pattern = self.language.anonymous
        if pattern is None:
            return None
        sentence = self.sentence_of(cue.start)
        before = self.text[sentence.start : cue.start]
        stops = [before.rfind(ch) for ch in ".!?;\n"]
        left = sentence.start + max(stops) + 1
        stop = _CLAUSE_END.search(self.text, cue.end, sentence.end)
        right = stop.start() if stop else sentence.end
        return (left, right) if pattern.search(self.text, left, right) else None

    def _passed_on(self, speaker: _Speaker, cue: _Cue) -> _Speaker:
        """A speaker that cites another («Про це пише УНН, посилаючись на росЗМІ», «сообщил
        телеканал со ссылкой на источники», "Reuters reported, citing officials") is the
        channel: the words are of the one cited when a mention names it, else of nobody."""
        citing = self.language.citing
        if citing is None or speaker.start is None or speaker.end is None:
            return speaker
        if self.sentence_index(speaker.start) != self.sentence_index(cue.start):
            return speaker  # a speaker named before («розповіла синоптик»: the last one)
        # right after the speaker or its verb, a few words at most between: not the
        # «…, передають Патріоти України з посиланням на …» of another reporting clause
        after = max(speaker.end, cue.end)
        stop = _CLAUSE_END.search(self.text, after)
        limit = stop.start() if stop else len(self.text)
        m = citing.search(self.text, speaker.end, limit)
        if m is None:
            return speaker
        between = self.text[after : m.start()]
        if len(_WORD.findall(between)) > 3 or between.count(",") > 1:
            return speaker
        cited = self._named_soon_after(m.end(), limit, 3, ("PER", "ORG"))
        if cited is not None:
            return self._from(cited, cue.start)
        return _Speaker(speaker.text, speaker.start, speaker.end, None)

    def _named_soon_after(
        self, start: int, limit: int, words: int, types: tuple[str, ...]
    ) -> _Candidate | None:
        """The first linked mention of ``types`` between ``start`` and ``limit`` with at
        most ``words`` words before it: who a cue word ("by", «слова») introduces."""
        for c in self._linked_between(start, limit):
            if (
                self.entities[c.entity or 0].type in types
                and len(_WORD.findall(self.text[start : c.start])) <= words
            ):
                return c
        return None

    def _linked_before(self, pos: int) -> list[_Candidate]:
        """The linked candidates that end by ``pos`` and start at most
        ``_ANTECEDENT_WINDOW`` before it, in text order: where a pronoun, noun or acronym
        at ``pos`` looks for whom it stands for."""
        window = self._linked_between(pos - _ANTECEDENT_WINDOW, pos)
        return [c for c in window if c.end <= pos]

    def _linked_between(self, start: int, limit: int) -> list[_Candidate]:
        """The candidates with an entity that start at ``start`` or after and before
        ``limit``, in text order (found by bisection: cues ask this many times a page)."""
        lo = bisect.bisect_left(self.candidate_starts, start)
        hi = bisect.bisect_left(self.candidate_starts, limit, lo)
        return [c for c in self.candidates[lo:hi] if c.entity is not None]

    def _reported_before(self, pos: int) -> _Speaker | None:
        """The speaker of the latest reporting clause in this or the previous paragraph, a
        relaying one included: «…, сообщает оператор проекта Nord Stream 2 AG. "…", —
        говорится в сообщении» is the operator's message, though a channel is never kept as
        the last speaker for a pronoun. None when that clause names no entity."""
        line_start, _ = self.line_of(pos)
        previous = self.text.rfind("\n", 0, max(0, line_start - 1))
        while previous > 0 and not self.text[previous + 1 : line_start].strip():
            previous = self.text.rfind("\n", 0, previous)  # past blank lines
        earlier = [where for where in self.resolved if previous < where < pos]
        if not earlier:
            return None
        speaker = self.resolved[max(earlier)]
        return speaker if speaker.index is not None else None

    def _from(self, c: _Candidate, pos: int) -> _Speaker:
        return _Speaker(c.text, c.start, c.end, self.resolve(c, pos))

    def _last(self, pos: int) -> _Speaker:
        last = self.last_speaker(pos)
        return _NOBODY if last is None else self._mention(last)

    def _mention(self, index: int) -> _Speaker:
        """The speaker a mention names, as it is written there."""
        e = self.entities[index]
        return _Speaker(e.text, e.start, e.end, index)

    def _close_to_verb(self, c: _Candidate, verb: int) -> bool:
        """Whether a candidate can be the subject of a verb at ``verb`` (languages with a
        ``subject_gap``: a few words between, or an apposition after a comma)."""
        gap = self.language.subject_gap
        if gap is None:
            return True
        between = self.text[c.end : verb]
        relative = self.language.relatives
        if relative is not None:
            # "Zelenskiy, who plays the role of president in the eponymous TV series,
            # repeatedly said": the relative clause, however long, is not between them
            m = re.match(r"[^\S\n]*,[^\S\n]*(\w+)\b[^,;.!?\n]*,", between)
            if m is not None and relative.fullmatch(m.group(1)):
                between = between[m.end() :]
                return len(_WORD.findall(between)) <= gap
        limit = _APPOSITION_WORDS if between.lstrip().startswith(",") else gap
        # "Trump in the past has called": the auxiliary is no word between
        return len(_WORD.findall(self._without_preverbal(between))) <= limit

    def _speaker_of(self, cue: _Cue) -> _Speaker:
        text = self.text
        relayer = self._relayer(cue) if cue.relay else None
        if relayer is not None:
            return relayer
        if cue.kind == "document":
            author = self._document_author(cue)
            if author is None:
                author = self._reported_before(cue.start)
            if author is None and self.last_speaker(cue.start) is None:
                named = self.topic("ORG")  # «Минобороны: крейсер «Москва» затонул»
                if named is not None:
                    author = self._mention(named)
            return author if author is not None else self._last(cue.start)
        if cue.kind == "document_ref":
            author = self.antecedent("n", cue.start)
            if author is None:
                return self._last(cue.start)
            return _Speaker(text[cue.start : cue.end], cue.start, cue.end, author)
        if cue.kind == "according":
            words = text[cue.start : cue.end].casefold().split()
            poss = [w for w in words if w in self.language.possessives]
            if poss:
                gender = self.language.possessives[poss[0]]
                m = self.language.possessive_re.search(text, cue.start, cue.end)  # type: ignore[union-attr]
                start, end = (m.start(), m.end()) if m else (cue.start, cue.end)
                return _Speaker(text[start:end], start, end, self.antecedent(gender, start))
            return self._after(cue, stop_at_comma=True)
        sentence = self.sentence_of(cue.start)
        clause_start = sentence.start
        for part in self.parts:
            if sentence.start <= part.end < cue.start:
                clause_start = max(clause_start, part.end + 1)
        colon = text.rfind(":", clause_start, cue.start)
        if colon >= 0 and not self.quoted(colon):
            clause_start = colon + 1
        if cue.kind == "gerund":
            earlier = [
                c for c in self.cues if c.kind == "verb" and sentence.start <= c.start < cue.start
            ]
            if earlier:
                return self.speaker_of(earlier[-1])
            # ", calling it …": the subject of the sentence, never the object after it
            subjects = [
                c
                for c in self.candidates
                if sentence.start <= c.start and c.end <= cue.start and self.nominative(c)
            ]
            if subjects:
                return self._from(min(subjects, key=self._subject_rank), cue.start)
            return _NOBODY
        window = max(clause_start, cue.start - 40)
        joined = re.search(r"([^\W\d_]+)[^\S\n]+$", text[window : cue.start])
        if joined is not None and joined.group(1).casefold() in self.language.passive:
            return self._agent(cue)  # 'was described as "constructive" by Russia'
        # "… and has called the warrants …", "He did not do so, and instead argued": the
        # word before the verb once auxiliaries and adverbs are left out
        joined = re.search(
            r"([^\W\d_]+)[^\S\n]+$", self._without_preverbal(text[window : cue.start])
        )
        if joined is not None and joined.group(1).casefold() in self.language.coordinators:
            # "Lavrov vowed … and accused": the first verb's subject
            earlier = [
                c for c in self.cues if c.kind == "verb" and sentence.start <= c.start < cue.start
            ]
            if earlier:
                return self.speaker_of(earlier[-1])
            if self.language.subject_gap is not None:
                # "Lukashenka took the oath in Belarusian and announced …", "McCaul
                # criticized Clinton for “…” and suggested": the subject of the first verb,
                # no cue, is the sentence's first possible subject, a quote between or not
                stop = window + joined.start(1)
                colon = text.rfind(":", sentence.start, stop)
                first = colon + 1 if colon >= 0 and not self.quoted(colon) else sentence.start
                subjects = [
                    c
                    for c in self.candidates
                    if first <= c.start
                    and c.end <= stop
                    and not self.quoted(c.start)
                    and (
                        c.pronoun is not None or self.entities[c.entity or 0].type in ("PER", "ORG")
                    )
                    and self.nominative(c)
                ]
                if subjects:
                    return self._from(subjects[0], cue.start)
        if (
            cue.kind == "verb"
            and self.language.trailing_reports
            and text[clause_start : cue.start].rstrip().endswith(",")
        ):
            # «…, считает посол России Сергей Нечаев»: a verb after the reported words
            # has its subject after it; the names before it are what was said
            inverted = self._after(cue)
            if (
                inverted.index is not None
                and (inverted.start or 0) >= cue.end
                and self._written_nominative(inverted)
            ):
                # written after the verb: not the last speaker ``_after`` falls back to
                # («Євген Рищук, …, яке також знаходиться під контролем окупантів,
                # повідомив про …»: a relative clause, not reported words, before the verb)
                return inverted
        if cue.kind != "quoting":
            before = [
                c
                for c in self.candidates
                if clause_start <= c.start
                and c.end <= cue.start
                and self.nominative(c)
                and self._close_to_verb(c, cue.start)
            ]
            bare = self._bare_subject(clause_start, cue, common_only=bool(before))
            if before:
                chosen = min(before, key=self._subject_rank)
                if (
                    bare is not None
                    and bare.start is not None
                    and bare.end is not None
                    and bare.start <= chosen.start
                ):
                    role = chosen.entity is not None and is_role_reference(
                        self.entities[chosen.entity]
                    )
                    if chosen.end < bare.end and not (role and bare.index is None):
                        return bare  # "the influential US daily wrote": the noun, not "US"
                    # "the former president said": the role's holder when the text names
                    # one, else the person the phrase refers back to
                    index = self.resolve(chosen, cue.start)
                    if index == chosen.entity and bare.index is not None:
                        index = bare.index
                    return _Speaker(bare.text, bare.start, bare.end, index)
                if (
                    self.language.subject_gap is None
                    and chosen.entity is not None
                    and self.entities[chosen.entity].type != "PER"
                ):
                    # «Об этом в своем аккаунте Twitter сообщил … советник … Михаил Подоляк»:
                    # where word order is free, a person named after the verb as its
                    # subject speaks rather than a body or place before it
                    person = self._after(cue)
                    if (
                        person.index is not None
                        and (person.start or 0) >= cue.end
                        and self.entities[person.index].type == "PER"
                        and self._written_nominative(person)
                        and (
                            cue.gender not in ("m", "f")
                            or self.gender(person.index) in (None, cue.gender)
                        )
                    ):
                        return person
                return self._from(chosen, cue.start)
            if bare is not None:
                return bare
            noun = self._noun_subject(clause_start, cue)
            if noun is not None:
                # «Як вважає Подоляк»: a person named after the verb still comes first
                written = self._after(cue, impersonal=cue.gender == "p")
                named = written.index is not None and (written.start or 0) >= cue.end
                return written if named else noun
            if cue.gender == "p":  # «сообщили в Минобороны», «В МИД РФ заявили»
                after = self._after(cue, stop_at_comma=True, impersonal=True)
                if after.index is not None:
                    return after
                phrase = self._impersonal(clause_start, cue.start)
                return phrase if phrase is not None else after
        after = self._after(cue, impersonal=cue.gender == "p")
        if (
            self.language.subject_gap is not None
            and cue.kind == "verb"
            and _WORD.search(text, clause_start, cue.start) is not None
        ):
            # "Forty-one percent of respondents say Trump’s comments are …": where the
            # subject stands before its verb, a name after it is its subject only when the
            # verb opens its clause ('…," said Peskov') or a parenthesis that the name
            # closes ("The agreement, said António Guterres, will …"), not in "Ana Cruz,
            # …, says Hillsborough is …"; else it is what was said
            parenthesis = text[clause_start : cue.start].rstrip().endswith((",", *_DASH))
            closed = after.end is not None and self._ends_phrase(after.end)
            # 'the former secretary of state and current Democratic presidential nominee
            # said she wanted': the subject the tables cannot read is the "she" after; not
            # so after "Zelenskiy’s chief of staff", whose "he" the name before would take
            himself = any(
                c.pronoun in ("m", "f") and c.start == after.start for c in self.candidates
            ) and not (
                self.language.possessive_ending is not None
                and self.language.possessive_ending.search(text, clause_start, cue.start)
            )
            if not ((parenthesis and closed) or himself):
                return _NOBODY
        return after

    def _noun_subject(self, clause_start: int, cue: _Cue) -> _Speaker | None:
        """A common noun right before the verb that agrees with it as its subject, in a
        language whose dictionary gives case and number («Водночас його радник заявив»,
        «украинские чиновники заявили», «Военный комиссар говорит»): an unnamed speaker, not
        the last one named (Aksyonov is not his own adviser). Adverbs between the noun and
        the verb are skipped, adjectives and possessives before the noun belong to it."""
        if self.language.subject_gap is not None or cue.kind != "verb":
            return None
        analyzer = morph.analyzer(self.lang)
        if analyzer is None:
            return None
        clause = self.text[clause_start : cue.start]
        cut = max(clause.rfind(ch) for ch in ",;:()" + _DASH + _OPENERS + _CLOSERS)
        words = list(_WORD.finditer(self.text, clause_start + cut + 1, cue.start))

        def grammemes(word: str) -> list[frozenset[str]]:
            return [frozenset(p.tag.grammemes) for p in analyzer.parse(word.casefold())]

        def agrees(g: frozenset[str]) -> bool:
            if cue.gender == "p":
                return "plur" in g
            if "plur" in g:
                return False
            wanted = {"m": "masc", "f": "femn"}.get(cue.gender or "")
            return wanted is None or wanted in g or "ms-f" in g

        k = len(words) - 1
        while k >= 0 and all(g & {"ADVB", "PRCL"} for g in grammemes(words[k].group()) or [{""}]):
            k -= 1  # «Правительство сейчас заявило»
        if k < 0:
            return None
        head = words[k]

        def plain(w: re.Match[str]) -> bool:
            # no mention, and capitalised only as its sentence's first word (else a name
            # the tagger missed)
            if any(c.start <= w.start() < c.end for c in self.candidates):
                return False
            opening = self.text[self.sentence_of(w.start()).start : w.start()]
            return not w.group()[:1].isupper() or not opening.strip(" \t\n" + _DASH)

        readings = grammemes(head.group())
        nouns = [g for g in readings if {"NOUN", "nomn"} <= g and agrees(g)]
        if not plain(head) or not nouns or any(g & _FUNCTION_WORDS for g in readings):
            return None
        start, possessed = head.start(), False
        for w in reversed(words[max(0, k - 3) : k]):
            modifiers = grammemes(w.group())
            owner = any({"NPRO", "gent"} <= g or "Apro" in g for g in modifiers)
            if not (owner or any({"ADJF", "nomn"} <= g and agrees(g) for g in modifiers)):
                break
            if not plain(w):
                break
            start, possessed = w.start(), possessed or owner
        phrase = self.text[start : head.end()]
        index = None
        last = self.last_speaker(cue.start)
        person = any("anim" in g for g in nouns)
        if last is None and not possessed and cue.gender != "p":
            last = self.topic("PER" if person else "ORG")  # «опозиціонер назвав» under its title
        if last is not None and not possessed and cue.gender != "p":
            # «Украинский лидер подчеркнул»: someone already named, as «— сказал
            # представитель» is, when the country fits; a person for an animate noun, a
            # body for another («ведомство»); never for «його радник» (someone else)
            countries = _countries_in(phrase)
            if person == self.person_like(last) and (
                not countries or countries & self.countries_of_person(last)
            ):
                index = last
        return _Speaker(phrase, start, head.end(), index)

    def _agent(self, cue: _Cue) -> _Speaker:
        """The speaker of a passive speech verb: the person or body after "by" in its
        sentence ('The negotiations were described as "constructive" by Russia'), else
        nobody ('his fighters were promised "security guarantees"')."""
        sentence = self.sentence_of(cue.start)
        _, line_end = self.line_of(cue.start)
        end = min(sentence.end, line_end)
        by = self.language.agent.search(self.text, cue.end, end) if self.language.agent else None
        if by is None:
            return _NOBODY
        named = self._named_soon_after(by.end(), end, 2, _SPEAKER_TYPES)
        return self._from(named, cue.start) if named is not None else _NOBODY

    def _relayer(self, cue: _Cue) -> _Speaker | None:
        """The channel named after a relaying verb («сообщает … телеграм-канал "Пул
        первого"», «передает The New York Times»): a person or body, else the words after
        the verb as written, with no entity (not the last speaker, nor the person the
        relayed sentence is about: «Лукашенко обратится с заявлением, сообщает …
        телеграм-канал»); None when no word follows the verb in its clause («Он сообщает:»).
        """
        stop = re.compile(r"[.!?;:\n«»\"“”„]").search(self.text, cue.end)
        limit = min(stop.start() if stop else len(self.text), cue.end + _AFTER_WINDOW)
        after = [
            c
            for c in self._linked_between(cue.end, limit)
            if self.entities[c.entity or 0].type in ("PER", "ORG")
            and not self.named_in_oblique_case(c)
        ]
        if after:
            return self._from(after[0], cue.start)
        phrase = re.match(
            r"[^\S\n]*((?:[^\W\d_][\w'’\-]*[^\S\n]*){1,4})", self.text[cue.end : limit]
        )
        if phrase is None or not phrase.group(1).strip():
            return None
        start = cue.end + phrase.start(1)
        end = start + len(phrase.group(1).rstrip())
        return _Speaker(self.text[start:end], start, end, None)

    def _next_quote(self, start: int, limit: int) -> int:
        """Where the next quotation opens between ``start`` and ``limit`` (``limit`` if none);
        a short quoted name on the way («облорганізації "Батьківщини" Валерій Дудко») is
        part of the phrase, not a quotation."""
        i = start
        while i < limit:
            if self.text[i] in _OPENERS:
                close = re.match(r"[^«»\"“”„\n]{1,40}[»\"“”]", self.text[i + 1 : i + 45])
                if close is None or len(_WORD.findall(close.group())) > _SHORT:
                    return i
                i += close.end() + 1
                continue
            i += 1
        return limit

    def _clause_stop(self, pattern: re.Pattern[str], start: int, window: int) -> int:
        """Where the clause from ``start`` ends: the first stop of ``pattern`` that is not
        the full stop of an abbreviation or an initial ("Sen.", "J.")."""
        for m in pattern.finditer(self.text, start, window):
            if m.group() == ".":
                word = re.search(
                    r"([^\W\d_][\w.]*)$", self.text[max(0, m.start() - 12) : m.start()]
                )
                if word and (
                    word.group(1).casefold() in self.language.abbreviations
                    or (len(word.group(1)) == 1 and word.group(1).isupper())
                ):
                    continue
            return m.start()
        return window

    def _bare_subject(
        self, clause_start: int, cue: _Cue, common_only: bool = False
    ) -> _Speaker | None:
        """A subject right before the verb that no mention covers (languages with a
        ``subject_gap``): a capitalised name the tagger missed ('," Tester told'), resolved
        to a mention with the same last word; or a common noun ("the newspaper wrote",
        "a senior official said"), resolved through ``speaker_nouns`` when definite."""
        if cue.kind != "verb":
            return None
        text = self.text
        before = text[clause_start : cue.start]
        relative = self.language.relatives
        gap = self.language.subject_gap
        if relative is not None and gap is not None:
            # "Zelenskiy, who plays the role of president …, repeatedly said": the name
            # before the relative clause
            for m in re.finditer(r",[^\S\n]*(\w+)\b[^,;.!?\n]*,([^,;.!?\n]*)$", before):
                if relative.fullmatch(m.group(1)) and len(_WORD.findall(m.group(2))) <= gap:
                    before = before[: m.start()] + " "
        before = self._without_preverbal(before)
        relative_word = re.search(r"(?<![\w'’\-])([^\W\d_]+)[^\S\n]+$", before)
        if (
            relative_word is not None
            and relative is not None
            and relative.fullmatch(relative_word.group(1))
        ):
            # "they turned to the Chicago Police Department which reported “…”": the
            # subject is the noun the relative word takes up
            before = before[: relative_word.start()]
        name = (
            None
            if common_only
            else re.search(
                r"(?:^|[^\w.'’\-])((?:[A-ZА-ЯЁІЇЄҐ][\w'’\-]*\.?[^\S\n]+){0,3}"
                r"[A-ZА-ЯЁІЇЄҐ][\w'’\-]*)[^\S\n]+$",
                before,
            )
        )
        if name is not None:
            words = name.group(1).split()
            # "As Ryan acknowledges", "But Still Called": a capitalised word that opens a
            # sentence is no part of a name when the table knows it as a function word
            function = self.language.function_words
            opener = bool(words) and words[0].casefold() in function
            while words and words[0].casefold() in function:
                words = words[1:]
            if not words or words[0].casefold() in self.language.pronouns:
                return None
            start = clause_start + name.start(1)
            start = text.find(words[0], start)
            end = clause_start + name.end(1)
            previous = re.search(r"([^\W\d_]+)[^\S\n]*$", text[max(0, start - 20) : start])
            governed = previous is not None and (
                not opener  # "As Ryan acknowledges": a conjunction, not a preposition
                and previous.group(1).casefold() in self.language.oblique_before
                and previous.group(1).casefold() not in self.language.title_links
                and previous.group(1).casefold() not in self.language.coordinators
            )
            if (
                not governed
                if self.language.subject_gap is not None
                else self._name_subject(start, words)
            ):
                # not 'an adviser to Ukrainian President Volodymyr Zelensky tweeted': a name
                # after "to" is no subject
                index = self._same_name(words[-1], cue.start)
                return _Speaker(text[start:end], start, end, index)
        if self.language.subject_gap is None:
            return None
        # "the newspaper wrote", "her campaign said" (a possessive: someone's, never
        # resolved to whom it names)
        noun = self.language.noun_phrase.search(before)
        if noun is not None and not self._noun_subject_phrase(noun, before):
            noun = None
        if noun is None:
            # "Chief of the UN atomic watchdog said …" opening a sentence, headline style:
            # a speaker noun with no determiner is definite
            noun = re.fullmatch(
                r"[^\S\n]*(()([A-Z][a-z][\w'’\-]*(?:[^\S\n]+[\w'’\-]+){0,5}))[^\S\n]+", before
            )
            opens = clause_start == self.sentence_of(cue.start).start
            if noun is None or not opens or not self._noun_subject_phrase(noun, before):
                return None
            words = [w.casefold() for w in _WORD.findall(noun.group(1))]
            if words[0] not in self.language.speaker_nouns or (
                len(words) > 1 and words[1] not in self.language.oblique_before
            ):
                return None  # "President Barack Obama on Tuesday called": a title
        return self._noun_speaker(noun, clause_start)

    def _noun_subject_phrase(self, noun: re.Match[str], before: str) -> bool:
        """Whether a noun phrase matched at the end of ``before`` can be a subject: it does
        not end in a pronoun nor hold a relative ('a question about the death penalty that
        she said': "she"), and no preposition governs it ("Trump in the past has called")."""
        inner = [w.casefold() for w in _WORD.findall(noun.group(1))]
        that = self.language.complementizer
        if inner[-1] in self.language.pronouns or any(
            (self.language.relatives is not None and self.language.relatives.fullmatch(w))
            or (that is not None and that.fullmatch(w))
            for w in inner
        ):
            return False
        governed = re.search(r"([^\W\d_]+)[^\S\n]*$", before[: noun.start(1)])
        word = governed.group(1).casefold() if governed else ""
        # "And a bartender said": a coordinator governs nothing
        return word not in self.language.oblique_before or word in self.language.coordinators

    def _without_preverbal(self, before: str) -> str:
        """The clause before a verb without the auxiliaries and adverbs that end it: the
        subject of "The ministry had earlier said" is "The ministry", not a phrase whose
        head noun is "earlier" (which no table knows, so nobody would be its referent)."""
        language = self.language
        while True:
            m = re.search(r"(?<![\w'’\-])([^\W\d_]+)[^\S\n]+$", before)
            if m is None:
                return before
            word = m.group(1)
            key = word.casefold()
            adverb = (
                word.islower()
                and len(word) > 4
                and key not in language.speaker_nouns
                and key.endswith(language.adverb_endings)
            )
            if key not in language.preverbal and not adverb:
                return before
            before = before[: m.start()]

    def _common_noun_after(self, start: int, limit: int) -> _Speaker | None:
        """ "said the 46-year-old", "said a spokesman for the campaign": a determiner and
        up to four words after the verb, resolved as :meth:`_bare_subject` does."""
        m = re.match(
            r"[^\S\n]*((the|a|an)[^\S\n]+(?:[\w'’\-]+[^\S\n]+){0,3}?([\w'’\-]+))"
            r"(?=[^\S\n]*(?:[,.;:!?(]|$|[^\S\n](?:of|in|at|from|for|who|and|on|with|as)\b))",
            self.text[start:limit],
            re.IGNORECASE,
        )
        return None if m is None else self._noun_speaker(m, start)

    def _noun_speaker(self, m: re.Match[str], offset: int) -> _Speaker:
        """A determiner phrase matched in the text from ``offset`` (group 1 the phrase, 2 the
        determiner, 3 its head noun): with "the" and a head noun of ``speaker_nouns``, the
        person or body named before it that the noun stands for."""
        start, end = offset + m.start(1), offset + m.end(1)
        bare = not m.group(2)  # "Chief of the UN atomic watchdog said": no determiner
        words = _WORD.findall(m.group(1))[0 if bare else 1 :]
        # "the president of Kazakhstan", "a spokesman for the campaign": the noun before
        of = [k for k, w in enumerate(words) if k and w.casefold() in self.language.oblique_before]
        if of:
            words = words[: of[0]]
        head = words[-1] if words else m.group(3)
        kind = self.language.speaker_nouns.get(head.casefold())
        index = None
        if kind is not None and (bare or m.group(2).casefold() in self.language.definite):
            # a capitalised phrase is a name: all its capitalised words must be in the mention
            # (not the first word of a sentence that opens with it)
            capital = head[:1].isupper() and not (bare and head == words[0])
            keys = [w for w in words if w[:1].isupper()] if capital else [head]
            named = self._named_with(keys, "ORG" if kind == "ORG" else "PER", start)
            if named is not None:
                index = named  # "the ministry" after "the Emergencies Ministry"
            elif not capital:
                index = self.antecedent("n" if kind == "ORG" else "x", start)
                countries = _countries_in(m.group(1))
                if (
                    index is not None
                    and countries
                    and not countries & self.countries_of_person(index)
                ):
                    # "the Kazakh leader" is not the Russian named last, "the German
                    # government" not the Kremlin
                    index = None
            # "the Russian Investigative Committee": a name the tagger missed, not a body
            # named before it
        return _Speaker(self.text[start:end], start, end, index)

    def _named_with(self, keys: Sequence[str], kind: str, pos: int) -> int | None:
        """The latest mention of type ``kind`` before ``pos`` with all ``keys`` among its
        words."""
        wanted = {k.casefold() for k in keys}
        found = [
            c.entity
            for c in self._linked_before(pos)
            if self.entities[c.entity or 0].type == kind
            and wanted <= {w.casefold() for w in _WORD.findall(c.text)}
        ]
        return found[-1] if found else None

    def _name_subject(self, start: int, words: Sequence[str]) -> bool:
        """Whether capitalised words before a verb can be a name as its subject in a language
        with case endings («Зайберт назвав»): no preposition before them, each a proper
        noun or a word the dictionary does not know, the last one possibly nominative."""
        if len(words) > 3:
            return False
        previous = re.search(r"([^\W\d_]+)[^\S\n]*$", self.text[max(0, start - 20) : start])
        if previous and previous.group(1).casefold() in self.language.prepositions:
            return False
        analyzer = morph.analyzer(self.lang)
        if analyzer is None:
            return True
        for word in words:
            if morph.pos(word, self.lang) not in ("PROPN", "X") and analyzer.word_is_known(
                word.lower()
            ):
                return False
        parses = analyzer.parse(words[-1])
        return any({"nomn", "Fixd"} & p.tag.grammemes for p in parses) or not parses

    def _same_name(self, word: str, pos: int) -> int | None:
        """The mention whose last word is ``word`` (a surname alone: "Tester"), people first,
        the nearest before ``pos``, else the first after it."""
        key = word.casefold()
        found = [
            i
            for i, e in enumerate(self.entities)
            if e.type in _SPEAKER_TYPES
            and not is_role_reference(e)
            and (_WORD.findall(e.text) or [""])[-1].casefold() == key
        ]
        if not found:
            return None
        found.sort(
            key=lambda i: (
                self.entities[i].type != "PER",
                self.entities[i].start > pos,
                abs(self.entities[i].start - pos),
            )
        )
        return found[0]

    def _document_author(self, cue: _Cue) -> _Speaker | None:
        """The body or person named right after a document cue, in the genitive where the
        language has cases: «йдеться у зведенні Оперативного командування «Південь»»,
        «говорится в заявлении МИД»."""
        text = self.text
        stop = _CLAUSE_COMMA.search(text, cue.end)
        limit = stop.start() if stop else len(text)
        for c in self.candidates:
            if c.entity is None or not cue.end <= c.start < limit:
                continue
            if len(_WORD.findall(text[cue.end : c.start])) > 1:
                return None
            if self.entities[c.entity].type not in ("PER", "ORG"):
                return None
            parses = self._head_parses(c)
            if parses and not any({"gent", "Fixd"} & p.tag.grammemes for p in parses):
                return None  # «говорится в Telegram», «в заявлении, опубликованном…»
            return self._from(c, cue.start)
        return None

    def _initials_of(self, acronym: str, pos: int) -> int | None:
        """The latest body before ``pos`` whose words begin with the letters of an acronym
        no mention covers («в ОК» after «Оперативного командування «Південь»»)."""
        letters = acronym.casefold()
        for c in reversed(self._linked_before(pos)):
            if self.entities[c.entity or 0].type != "ORG":
                continue
            initials = "".join(w[0] for w in _WORD.findall(c.text)).casefold()
            if len(initials) > 1 and initials.startswith(letters):
                return c.entity
        return None

    def _impersonal(self, start: int, verb: int) -> _Speaker | None:
        """«В МИД заявили», «у російському міністерстві оборони стверджують»: the place."""
        text = self.text
        tail = list(re.finditer(r"[\w'’\-]+", text[start:verb]))[-6:]
        preps = [
            k for k, w in enumerate(tail) if w.group().casefold() in self.language.prepositions
        ]
        if not preps or preps[-1] == len(tail) - 1:
            return None
        words = [w.group() for w in tail[preps[-1] + 1 :]]
        m_start = start + tail[preps[-1] + 1].start()
        capitals = [i for i, w in enumerate(words) if w[:1].isupper()]
        if capitals:
            words = words[capitals[0] : capitals[-1] + 1]
        if not words:
            return None
        phrase_start = m_start
        phrase_end = text.find(words[-1], phrase_start) + len(words[-1])
        phrase_start = text.find(words[0], phrase_start)
        inside = self._linked_between(phrase_start, phrase_end)
        if inside:
            return self._from(inside[0], verb)
        if not capitals:
            last = self._last(verb)
            if last.index is not None and self.entities[last.index].type == "ORG":
                return last  # «в военном ведомстве»: the ministry named before
        return _Speaker(text[phrase_start:phrase_end], phrase_start, phrase_end, None)

    def _inverted(self, c: _Candidate) -> bool:
        """Whether a pronoun after a verb can be its subject: anywhere in a language with
        free word order; where the subject precedes its verb, at the clause's end ('…,"
        said he.'), or a person's pronoun opening the reported words, who is most often
        the speaker ('the former secretary of state … said she wanted'); never "it" or
        "they" there ('said it was "a mistake"')."""
        if self.language.subject_gap is None or c.pronoun in ("m", "f"):
            return True
        return self._ends_phrase(c.end)

    def _ends_phrase(self, end: int) -> bool:
        """Whether a subject after its verb ending at ``end`` closes its clause or
        parenthesis ('…," said Peskov.', 'said António Guterres, will'): punctuation or a
        line's end next, not more words of what was said ('says he “does not …”')."""
        return _PHRASE_END.match(self.text[end : end + 3]) is not None

    def _after(
        self, cue: _Cue, *, stop_at_comma: bool = False, impersonal: bool = False
    ) -> _Speaker:
        """The speaker written after the cue: «— сказал Мединский», "said Peskov"."""
        text = self.text
        window = min(len(text), cue.end + _AFTER_WINDOW)
        limit = self._clause_stop(_CLAUSE_COMMA if stop_at_comma else _CLAUSE_END, cue.end, window)
        if self.language.complementizer is not None:
            that = self.language.complementizer.search(text, cue.end, limit)
            if that is not None:
                limit = that.start()  # «заявил, что … МИД»: the subject comes before «что»
        limit = min(limit, self._next_quote(cue.end, limit))
        max_words = self.language.subject_after
        takes_object = (
            cue.kind == "verb"
            and text[cue.start : cue.end].casefold() in self.language.object_verbs
        )
        if takes_object and self.language.subject_gap is not None:
            return _NOBODY  # "told CNN": what follows is the addressee

        def near(c: _Candidate) -> bool:
            return max_words is None or len(_WORD.findall(text[cue.end : c.start])) <= max_words

        def subject(c: _Candidate) -> bool:
            # «вважає радник, Байдену „…“»: a verb's subject is nominative; not so the
            # name after «по словам», nor the place of «заявили в ведомстве»
            return cue.kind != "verb" or impersonal or not self.named_in_oblique_case(c)

        after = [c for c in self._linked_between(cue.end, limit) if near(c) and subject(c)]
        if takes_object:
            # «назвав Лукашенка людиною …»: the noun right after the verb is its object; a
            # subject may follow it («— назвал ситуацию Песков»), else there is none
            after = [c for c in after if _WORD.search(text, cue.end, c.start)]
            people = [c for c in after if self.entities[c.entity or 0].type == "PER"]
            return self._from(people[0], cue.start) if people else _NOBODY
        if not after:
            # a role or entity that ends in a full stop («Генсек ООН.») starts before the stop
            after = [
                c
                for c in self.candidates
                if cue.end <= c.start <= limit
                and c.entity is not None
                and c.end > limit
                and near(c)
            ]
        pronouns = [
            c
            for c in self.candidates
            if c.pronoun is not None
            and cue.end <= c.start < limit
            and near(c)
            and self._inverted(c)
        ]
        if pronouns and (not after or pronouns[0].start < after[0].start):
            return self._from(pronouns[0], cue.start)
        people = [c for c in after if self.entities[c.entity or 0].type == "PER"]
        if people:
            return self._from(people[0], cue.start)
        if after and (impersonal or self.entities[after[0].entity or 0].type == "ORG"):
            return self._from(after[0], cue.start)
        phrase = re.match(
            r"[^\S\n]*(?:[,:][^\S\n]*)?((?:[^\W\d_][\w'’\-]*[^\S\n]*){1,5})", text[cue.end : limit]
        )
        words = phrase.group(1).split() if phrase else []
        if impersonal and words and words[0].casefold() in self.language.prepositions:
            words = words[1:]
        if words and self.language.subject_gap is not None and not words[0][:1].isupper():
            common = self._common_noun_after(cue.end, limit)
            if common is not None:
                return common
        if not words or (self.language.subject_gap is not None and not words[0][:1].isupper()):
            return _NOBODY if impersonal or cue.gender is None else self._last(cue.start)
        if words[0][:1].islower():
            last = self._last(cue.start)
            countries = _countries_in(" ".join(words))
            if last.index is not None and (
                not countries or countries & self.countries_of_person(last.index)
            ):
                return last  # «речника», «представитель»: someone already named
            if last.index is not None:
                # «— сказал президент Казахстана» after Putin spoke: not Putin
                start = text.find(words[0], cue.end)
                end = start + len(words[0])
                return _Speaker(text[start:end], start, end, None)
            if morph.pos(words[0], self.lang) not in (None, "NOUN", "PROPN", "X"):
                return _NOBODY  # «назвав це», «заявил, что»: not a speaker
        surface = " ".join(words[:4]) if impersonal else words[0]
        start = text.find(words[0], cue.end)
        end = (
            start + len(surface)
            if text[start : start + len(surface)] == surface
            else start + len(words[0])
        )
        index = None
        if len(words[0]) >= 2 and words[0].isupper() and len(surface) == len(words[0]):
            index = self._initials_of(words[0], cue.start)
        return _Speaker(text[start:end], start, end, index)


# ── direct quotes ───────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class _Part:
    start: int
    end: int
    mark: _Marked
    cue: _Cue | None = None
    """A cue inside the quote's marks that interrupts it («— сказал он. —»)."""
    split: bool = False


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _parts(text: str, language: _Language, mark: _Marked) -> list[_Part]:
    """The quote's words, split where the author interrupts it with the attribution."""
    start, end = _trim(text, mark.open + 1, mark.end)
    parts: list[_Part] = []
    cursor = start
    dash = f"[{_DASH}]{{1,2}}"
    for cue in language.cues.finditer(text, start, end):
        if cue.lastgroup not in ("verb", "quoting"):
            continue
        head = re.search(rf"[,.!?…]?[^\S\n]*{dash}[^\S\n]*$", text[cursor : cue.start()])
        tail = re.match(
            rf"[^.!?\n«»\"“”]{{0,80}}?[.,:][^\S\n]*{dash}[^\S\n]*", text[cue.end() : end]
        )
        if head is None or tail is None:
            continue
        before_end = cursor + head.start()
        if before_end <= cursor:
            continue
        g = cue.group()
        gender = _gender_of_verb(language, g) if cue.lastgroup == "verb" else None
        inner = _Cue(cue.start(), cue.end(), cue.lastgroup or "verb", gender)
        parts.append(_Part(*_trim(text, cursor, before_end), mark, inner, True))
        cursor = cue.end() + tail.end()
    if parts:
        parts.append(_Part(*_trim(text, cursor, end), mark, parts[-1].cue, True))
        return [p for p in parts if p.end > p.start]
    return [_Part(start, end, mark)]


def _names_a_doctrine(text: str, part: _Part, heads: re.Pattern[str]) -> bool:
    """«политики "открытых дверей"», «"политики открытых дверей"», 'the "open door" policy'."""
    before = _WORD.findall(text[max(0, part.mark.open - 30) : part.mark.open])
    inside = _WORD.findall(text[part.start : part.end])
    close = part.mark.close if part.mark.close is not None else part.end
    after = _WORD.findall(text[close + 1 : close + 30])
    neighbours = [w[-1] for w in (before,) if w] + inside[:1] + after[:1]
    return any(heads.fullmatch(w) for w in neighbours)


def _looks_like_term(reader: _Reader, part: _Part) -> bool:
    text, language = reader.text, reader.language
    words = _WORD.findall(text[part.start : part.end])
    if part.split or part.mark.close is None or len(words) > _SHORT:
        return False
    if not words:
        return True
    if language.so_called is not None:
        before = text[max(0, part.mark.open - 30) : part.mark.open].rstrip()
        if any(m.end() == len(before) for m in language.so_called.finditer(before)):
            return True
    if len(words) <= 3 and all(w[:1].isupper() for w in words):
        return True
    if words[0][:1].isupper() and any(
        c.kind == "verb"
        and (
            not text[c.end : part.mark.open].strip()
            or (c.relay and not re.search(r"[,.:;!?\n—–]", text[c.end : part.mark.open]))
        )
        for c in reader.cues
        if part.mark.open - _AFTER_WINDOW <= c.end <= part.mark.open
    ):
        # «пишет "Украинская правда" со ссылкой на …», «сообщает … телеграм-канал "Пул
        # первого"»: the outlet, a name
        return True
    close = part.mark.close
    after = re.match(r"[^\S\n]+([^\W\d_]+)", text[close + 1 : close + 40])
    sentence = reader.sentence_of(part.mark.open)
    if (
        after is not None
        and text[close - 1] not in ",.!?…"
        and any(c.kind == "verb" and c.start == close + 1 + after.start(1) for c in reader.cues)
        and not any(sentence.start <= c.start < part.mark.open for c in reader.cues)
    ):
        # «Окупаційна «влада» заявила»: a word of the subject, not set off (but 'he warned
        # the “ruthless war” continued' has its cue before)
        return True
    if language.term_heads is not None and _names_a_doctrine(text, part, language.term_heads):
        return True
    stems = [re.escape(w[:5].casefold()) for w in words if len(w) > 2]
    if len(stems) < 2:  # one word repeats for many reasons («серйозно», «перемовини»)
        return False
    pattern = re.compile(r"(?<!\w)" + r"\w*[\W_]+".join(stems) + r"\w*", re.IGNORECASE)
    return len(pattern.findall(text)) >= _TERM_REPEATS


def _attached_cue(reader: _Reader, part: _Part) -> _Cue | None:
    """A cue right after the closing mark: «…», — заявил; "…," the ICC said."""
    mark = part.mark
    if mark.close is None:
        return None
    text = reader.text
    gap_end = min(len(text), mark.close + 1 + _ATTACHED_GAP)
    for cue in reader.cues:
        if cue.start <= mark.close:
            continue
        if cue.start >= gap_end or cue.kind == "gerund":
            return None
        between = text[mark.close + 1 : cue.start]
        bare = re.sub(r"\s+", " ", between)
        if re.search(r"[\n«»\"“”„]", between):
            return None
        if re.search(r"[.!?]\s", bare + " ") and not re.fullmatch(r"\s*[,.!?…]?\s*", between):
            # a sentence ended before the cue (a full stop inside a mention is allowed)
            inside_mention = any(
                c.start < mark.close + 1 + m.start() < c.end
                for m in re.finditer(r"[.!?]", between)
                for c in reader.candidates
            )
            base = mark.close + 1
            abbreviated = reader._clause_stop(_SENTENCE_STOP, base, cue.start) >= cue.start
            if not inside_mention and not abbreviated:
                return None
        if len(_WORD.findall(between)) > 8:
            return None
        if re.match(r"[^\S\n]*:", text[cue.end : cue.end + 3]):
            return None  # 'Lavrov said: "…"' opens the next quote, it does not close this one
        if _ends_sentence(reader, part, cue):
            return None
        return cue
    return None


def _ends_sentence(reader: _Reader, part: _Part, cue: _Cue) -> bool:
    """Whether the quote ended its sentence with a full stop inside the marks and the verb
    after it opens a report of its own ('"…was damaged." Authorities reported that the
    couple…'): a verb with a complementizer after it introduces other words, not these."""
    close = part.mark.close
    that = reader.language.complementizer
    if close is None or that is None or reader.text[close - 1] != ".":
        return False
    if not re.match(r"[^\S\n]+[^\W\d_]", reader.text[close + 1 : close + 3]):
        return False
    if not reader.text[close + 1 : close + 3].strip()[:1].isupper():
        return False
    m = that.match(reader.text, cue.end + 1) if reader.text[cue.end : cue.end + 1] == " " else None
    return m is not None


def _dash_verb(reader: _Reader, mark: _Marked) -> _Cue | None:
    """«…», — возразил госсекретарь: a verb the table lacks, in the place of one (after a
    comma and a dash that follow the closing mark, with a verb ending of the language)."""
    if mark.close is None:
        return None
    m = re.match(
        rf"[,.!?…]?[^\S\n]*[{_DASH}]{{1,2}}[^\S\n]*([^\W\d_]{{4,}})\b",
        reader.text[mark.close + 1 :],
    )
    if m is None or not m.group(1).islower():
        return None
    word = m.group(1).casefold()
    if not any(e and word.endswith(e) for e, _ in reader.language.gender_endings):
        return None
    start = mark.close + 1 + m.start(1)
    end = mark.close + 1 + m.end(1)
    return _Cue(start, end, "verb", _gender_of_verb(reader.language, word))


def _shared_cue(reader: _Reader, part: _Part, end: int) -> _Cue | None:
    """The attribution after a later quote of the same sentence, with no cue between
    («The test had “proven beyond doubt” that he had been poisoned with a “chemical nerve
    agent of the novichok group”, she said»): it is this quote's too."""
    close = part.mark.close
    if close is None:
        return None
    later = [p for p in reader.parts if close < p.start and close < (p.mark.close or end) < end]
    if not later or any(close < c.start < later[-1].mark.open for c in reader.cues):
        return None
    attached = _attached_cue(reader, later[-1])
    if attached is not None:
        return attached
    # «…«крайне опасно», оно переводит конфликт «на новый уровень противостояния» и …,
    # считает посол»: the verb that closes the sentence after the last quote
    last_close = later[-1].mark.close or end
    closing = [
        c
        for c in reader.cues
        if last_close < c.start < end
        and c.kind in ("verb", "according", "quoting")
        and not any(ch in _OPENERS for ch in reader.text[last_close + 1 : c.start])
    ]
    return closing[0] if closing else None


def _opens_sentence(reader: _Reader, mark: _Marked) -> bool:
    text = reader.text
    sentence = reader.sentence_of(mark.open)
    line_start, _ = reader.line_of(mark.open)
    start = max(sentence.start, line_start)
    before = text[start : mark.open].strip()
    return not before or before[-1] in ".!?:"


def _framed(reader: _Reader, mark: _Marked, before: _Cue) -> bool:
    """Whether a quote is set off as whole words by the attribution after it («"…", - передает
    The New York Times», '…," Maas said'), not the object of a verb before it: a comma or
    dash after the closing mark (or a comma inside it) and no colon or «что/that» between
    that verb and the opening mark (a page run together with its headline:
    «…, утверждает немецкий чиновник "Алексей Навальный, … в понедельник", - передает …»)."""
    if mark.close is None:
        return False
    text = reader.text
    after = re.match(rf"[,!?…]?[^\S\n]*[{_DASH}]", text[mark.close + 1 : mark.close + 5])
    inside = text[mark.close - 1 : mark.close] in (",", "!", "?")
    if after is None and not inside:
        return False
    between = text[before.end : mark.open].rstrip()
    if not between or between.endswith(":"):
        return False
    that = reader.language.complementizer
    return that is None or not any(m.end() == len(between) for m in that.finditer(between))


def _cue_for(reader: _Reader, part: _Part) -> tuple[_Cue | None, str]:
    """(the cue, how it was found) for one quoted part; ``(None, "")`` when there is none."""
    mark = part.mark
    text = reader.text
    if part.cue is not None:
        return part.cue, "inside"
    opens = _opens_sentence(reader, mark)
    sentence = reader.sentence_of(mark.open)
    line_start, line_end = reader.line_of(mark.open)
    start = max(sentence.start, line_start)
    preceding = [c for c in reader.cues if start <= c.start and c.end <= mark.open]
    attached = _attached_cue(reader, part)
    if attached is not None and (opens or not preceding or _framed(reader, mark, preceding[-1])):
        return attached, "attached"
    if preceding:
        return preceding[-1], "before"
    if attached is not None:
        return attached, "attached"
    unknown = _dash_verb(reader, mark)
    if unknown is not None:
        return unknown, "attached"
    if mark.close is not None:
        close_sentence = reader.sentence_of(mark.close)
        end = min(close_sentence.end, line_end)
        trailing = [
            c
            for c in reader.cues
            if mark.close < c.start < end
            and c.kind in ("verb", "according", "quoting")
            and not any(ch in '«"“„' for ch in text[mark.close + 1 : c.start])
        ]
        if trailing:
            return trailing[0], "trailing"
        shared = _shared_cue(reader, part, end)
        if shared is not None:
            return shared, "trailing"
    if not opens:
        return None, ""
    first_in_line = not text[line_start : mark.open].strip()
    if first_in_line and line_start > 0:
        prev_end = text.rfind("\n", 0, line_start - 1)
        prev_line = text[prev_end + 1 : line_start].strip()
        prev_start = prev_end + 1
        if prev_line.endswith(":"):
            intro = [c for c in reader.cues if prev_start <= c.start < line_start]
            if intro:
                return intro[-1], "colon"
    return None, "continuation"


def _direct(reader: _Reader) -> list[QuoteMention]:
    text = reader.text
    found: list[QuoteMention] = []
    last_quote: tuple[int, _Speaker] | None = None
    for part in reader.parts:
        if part.end <= part.start:
            continue
        short = len(_WORD.findall(text[part.start : part.end])) <= _SHORT
        if _looks_like_term(reader, part):
            continue
        cue, how = _cue_for(reader, part)
        cut = part.mark.close is None and part.mark.end >= len(text.rstrip())
        if short and how in ("colon", "continuation") and not part.split and not cut:
            continue
        if cue is not None:
            speaker = reader.speaker_of(cue)
            cue_text = text[cue.start : cue.end]
        elif how == "continuation":
            # the speaker of a cue on this line or the one before, else of the last quote
            # when it was there
            line_start, _ = reader.line_of(part.start)
            prev_line_start, _ = reader.line_of(max(0, line_start - 2))
            recent = [c for c in reader.cues if prev_line_start <= c.start < part.start]
            # «По прогнозам … Романа Вильфанда, …, сообщает ТАСС. ¶ «…»»: the forecaster's
            # words; the channel that relays them speaks only when nobody else does
            recent = [c for c in recent if not c.relay] or recent
            if recent:
                speaker = reader.speaker_of(recent[-1])
            elif last_quote is not None and last_quote[0] >= prev_line_start:
                speaker = last_quote[1]
            else:
                continue
            if speaker.index is None and speaker.text is None:
                continue
            cue_text = ""
        else:
            continue
        found.append(_said(text, part.start, part.end, "direct", cue_text, speaker))
        if speaker.text is not None:
            last_quote = (part.start, speaker)  # a name the tagger missed speaks on too
        if speaker.index is not None and (cue is None or not cue.relay):
            reader.history.append((part.start, speaker.index))
            reader.history.sort()
    return found


_LABEL = re.compile(r"^[^\S\n]*([^:\n]{2,60}?)[^\S\n]*:[^\S\n]+(\S[^\n]*)$", re.MULTILINE)
_LABEL_MIN_WORDS = 4


def _labelled(reader: _Reader, taken: Sequence[QuoteMention]) -> list[QuoteMention]:
    """Transcript and headline layouts: a line that opens with a speaker and a colon
    ("Sergey Lavrov: State Secretary, colleagues, …", «Генсек НАТО: …», «Сенцов: Очень
    рады…»). The label must be one person or organisation mention (a role used alone
    included), nothing else; what follows it on the line (without its quotation marks)
    is the quote, unless a quote found otherwise already covers it."""
    text = reader.text
    found: list[QuoteMention] = []
    for m in _LABEL.finditer(text):
        label_start, label_end = m.span(1)
        label = next(
            (
                c
                for c in reader.candidates
                if c.entity is not None
                and reader.entities[c.entity].type in ("PER", "ORG")
                and (c.start, c.end) == (label_start, label_end)
            ),
            None,
        )
        if label is None:
            continue
        start, end = _trim(text, m.start(2), m.end(2))
        while end > start and text[end - 1] in _CLOSERS:
            end -= 1
        while start < end and text[start] in _OPENERS:
            start += 1
        if len(_WORD.findall(text[start:end])) < _LABEL_MIN_WORDS:
            continue
        if any(q.start < end and start < q.end for q in taken):
            continue
        if any(start <= c.start < end and c.kind != "gerund" for c in reader.cues):
            continue  # "Annie Ernaux: the Swedish Academy … said …" is a caption, not her words
        found.append(_said(text, start, end, "direct", ":", reader._from(label, label_start)))
    return found


# ── indirect speech ─────────────────────────────────────────────────────────


def _indirect(reader: _Reader) -> list[QuoteMention]:
    text, language = reader.text, reader.language
    found: list[QuoteMention] = []
    for cue in reader.cues:
        sentence = reader.sentence_of(cue.start)
        _, line_end = reader.line_of(cue.start)
        end = min(sentence.end, line_end)
        start: int | None = None
        if cue.kind in ("verb", "gerund") and language.complementizer is not None:
            m = language.complementizer.search(text, cue.end, min(end, cue.end + 60))
            if m is not None and not re.search(r"[.!?;«»\"“”]", text[cue.end : m.start()]):
                start = m.end()
        elif cue.kind == "according":
            comma = text.find(",", cue.end, end)
            if comma >= 0 and comma - cue.end <= 80:
                start = comma + 1
        if start is None:
            trailing = _trailing_report(reader, cue, sentence.start, end)
            if trailing is not None:
                found.append(trailing)
            continue
        start, stop = _trim(text, start, end)
        while stop > start and text[stop - 1] in ".!?;,":
            stop -= 1
        if stop - start < 8 or text[start] in _OPENERS:
            continue
        cue_text = text[cue.start : cue.end]
        found.append(_said(text, start, stop, "indirect", cue_text, reader.speaker_of(cue)))
    return found


_TRAILING_MIN_WORDS = 3


def _trailing_report(reader: _Reader, cue: _Cue, start: int, end: int) -> QuoteMention | None:
    """Reported words before a reporting clause that closes the sentence, with no quotation
    marks: «Предложения оформятся в указы после выборов, говорит источник», "The talks
    failed, Peskov said." The speaker is written after the verb (or right before it);
    the words are the sentence up to the comma."""
    text, language = reader.text, reader.language
    if cue.kind != "verb" or not language.trailing_reports:
        return None
    head = text[start : cue.start]
    comma = re.search(rf"[^\S\n]*,[^\S\n]*(?:[{_DASH}]{{1,2}}[^\S\n]*)?$", head)
    if comma is None:
        return None
    words_end = start + comma.start()
    colon = text.rfind(":", start, words_end)
    begin = colon + 1 if colon >= 0 else start
    begin, words_end = _trim(text, begin, words_end)
    content = text[begin:words_end]
    if (
        len(_WORD.findall(content)) < _TRAILING_MIN_WORDS
        or any(ch in _OPENERS or ch in _CLOSERS for ch in content)
        or reader.quoted(begin)
    ):
        return None
    openers = language.report_openers
    if openers is not None and openers.match(content):
        return None  # «Об этом, 17 июля, заявил Песков»: the fact, not words
    tail = text[cue.end : end]
    if language.complementizer is not None and language.complementizer.search(tail):
        return None  # «…, заявил он, что …» is the complementizer's case
    speaker = reader._after(cue)
    if speaker.text is None or speaker.start is None or speaker.end is None:
        return None
    written = _Candidate(speaker.start, speaker.end, speaker.text, None)
    if speaker.start < cue.end or not reader.nominative(written):
        return None  # «…, заявив про свою повагу до президента»: no subject after the verb
    return _said(text, begin, words_end, "indirect", text[cue.start : cue.end], speaker)


def find_quotes(
    text: str,
    lang: str | None,
    entities: Sequence[EntityMention],
    sentences: Sequence[Sentence],
    context: str = "",
) -> tuple[QuoteMention, ...]:
    """Direct and indirect quotes of the text, with their speakers (see the module doc).

    ``entities`` are the article's mentions (role references included) and
    ``sentences`` its sentence spans, as :func:`storyline.nlp.pipeline.annotate`
    makes them; ``speaker`` indexes ``entities``. ``context`` is the page's title and lead
    when the body does not hold them: never a place for quotes (offsets point into
    ``text``), only whom a pronoun or role at the body's start may refer to. A language
    without a table in ``speech.json`` gets no quotes.
    """
    language = _language(lang or "")
    if language is None or not text:
        return ()
    reader = _Reader(text, lang or "", language, entities, sentences, context)
    for cue in reader.cues:  # speakers in text order: pronouns resolve against earlier ones
        reader.speaker_of(cue)
    direct = _direct(reader)
    direct += _labelled(reader, direct)
    indirect = _indirect(reader)
    return tuple(sorted((*direct, *indirect), key=lambda q: (q.start, q.end, q.kind)))
