"""Ukrainian named-entity recognition: a small spaCy NER model trained on NER-UK 2.0.

No registry package ships a Ukrainian NER model, and the Russian one (slovnet)
reads Ukrainian poorly, so we train our own (``train/uk_ner.py``; model card in
``storyline/models/uk_ner/MODEL.md``): three models in one spaCy pipeline (components
``ner``, ``ner2``, ``ner3``) that vote span by span (:func:`vote`), one of them also
reading navec word vectors from the installed natasha package (:class:`NavecTable`).
Ukrainian inflects names heavily («Столтенберга», «Женеві»), which hash embeddings of
surface forms handle badly, so every token also carries pymorphy3-uk signals: its lemma
(as ``NORM``) and a compact morphological tag (as ``TAG``: part of speech, the Name/Surn/Patr/Abbr/
Fixd flags of any parse, animacy, case, whether the dictionary knows the word, and
whether the lemma is a country or city name of the gazetteer stored in the model).

:func:`tag_uk` takes raw text (an article body): it tokenizes with a regular
expression (the same one the training script uses), runs the model and returns
``(start, end, type)`` character spans with type PER, ORG or LOC, after the
boundary rules of :func:`postprocess`. The model is loaded once per process, on first
use.

Licence: the code is MIT; the shipped model is trained on NER-UK (CC BY-NC-SA
4.0) and so is non-commercial (see MODEL.md).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "uk_ner"
TYPES = frozenset({"PER", "ORG", "LOC"})

# Words keep inner apostrophes (м'ясо, Мар’яна) and hyphens (Івано-Франківськ);
# numbers keep inner dots/commas (10.01.2022, 1,5); anything else is one character.
TOKEN_RE = re.compile(r"\d+(?:[.,:]\d+)*|\w+(?:['’ʼ`-]\w+)*|[^\w\s]")
_FLAGS = ("Name", "Surn", "Patr", "Abbr", "Fixd")
_CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct"})


def tokenize(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each token of ``text``."""
    return [m.span() for m in TOKEN_RE.finditer(text)]


def _morph() -> Any:
    """pymorphy3's Ukrainian dictionary, shared with :mod:`storyline.nlp.morph` (one copy
    in memory, and the words the model reads are mostly those the lemmas read)."""
    from storyline.nlp import morph

    return morph.dictionary("uk")


@lru_cache(maxsize=200_000)
def morph_features(word: str) -> tuple[str, str]:
    """``(lemma, tag)`` of a token: pymorphy3-uk's reading, folded into two strings."""
    if not any(ch.isalpha() for ch in word):
        return word.lower(), "NUM" if word[:1].isdigit() else "PUNCT"
    morph = _morph()
    parses = morph.parse(word.replace("’", "'").replace("ʼ", "'"))
    best = parses[0]
    flags = {flag for p in parses for flag in _FLAGS if flag in p.tag}
    case = next((g for g in best.tag.grammemes if g in _CASES), "")
    animacy = "anim" if "anim" in best.tag else ""
    known = "k" if morph.word_is_known(word.lower()) else "u"
    tag = "|".join([str(best.tag.POS or "X"), *sorted(flags), animacy, case, known])
    return best.normal_form, tag


def make_doc(nlp: Language, text: str, spans: list[tuple[int, int]] | None = None) -> Doc:
    """A spaCy ``Doc`` of ``text`` with our tokens and the morphological features set."""
    import numpy
    from spacy.attrs import NORM, TAG
    from spacy.tokens import Doc

    spans = tokenize(text) if spans is None else spans
    words = [text[s:e] for s, e in spans]
    spaces = [
        index + 1 < len(spans) and spans[index + 1][0] > end
        for index, (_start, end) in enumerate(spans)
    ]
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    ids = _feature_ids(nlp)
    if len(ids) > 200_000:  # a long-running process: keep the cache bounded
        ids.clear()
    for word in words:
        if word not in ids:
            lemma, tag = morph_features(word)
            if lemma in _places(nlp) and word[:1].isupper():
                tag = f"{tag}|geo"
            ids[word] = (nlp.vocab.strings.add(lemma), nlp.vocab.strings.add(tag))
    doc.from_array([NORM, TAG], numpy.array([ids[w] for w in words], dtype="uint64"))
    return doc


_ids_by_model: dict[int, dict[str, tuple[int, int]]] = {}


def _feature_ids(nlp: Language) -> dict[str, tuple[int, int]]:
    """word → (NORM, TAG) string ids in ``nlp``'s vocabulary, filled as words come."""
    return _ids_by_model.setdefault(id(nlp), {})


_places_by_model: dict[int, frozenset[str]] = {}


def _places(nlp: Language) -> frozenset[str]:
    """Lemmas of country and city names stored in the model's meta (``uk_places``), if any."""
    key = id(nlp)
    if key not in _places_by_model:
        _places_by_model[key] = frozenset(nlp.meta.get("uk_places", ()))
    return _places_by_model[key]


_registered = False


def register_architectures() -> None:
    """Register ``storyline.HashCharEmbed.v1`` with spaCy (to build or load a model using it).

    The token embedding of :func:`spacy.MultiHashEmbed.v2` (hashed token attributes)
    concatenated with :func:`spacy.ml._character_embed.CharacterEmbed` (the first and
    last ``nC // 2`` UTF-8 bytes of the lowercase word, each embedded in ``nM``
    dimensions), mixed down to ``width`` by a Maxout layer.
    """
    global _registered
    if _registered:
        return
    from spacy.ml import _character_embed
    from spacy.ml.models.tok2vec import MultiHashEmbed
    from spacy.util import registry
    from thinc.api import (
        Linear,
        Maxout,
        chain,
        concatenate,
        list2ragged,
        ragged2list,
        with_array,
    )

    @registry.architectures("storyline.HashCharEmbed.v1")
    def hash_char_embed(width: int, attrs: list[str], rows: list[int], nM: int, nC: int):
        hashed = chain(
            MultiHashEmbed(width=width, attrs=attrs, rows=rows, include_static_vectors=False),
            list2ragged(),
        )
        chars = chain(_character_embed.CharacterEmbed(nM=nM, nC=nC), list2ragged())
        mix = with_array(Maxout(width, nM * nC + width, nP=3, normalize=True, dropout=0.0))
        return chain(concatenate(chars, hashed), mix, ragged2list())

    @registry.architectures("storyline.NavecHashEmbed.v1")
    def navec_hash_embed(width: int, attrs: list[str], rows: list[int], navec: str):
        hashed = chain(
            MultiHashEmbed(width=width, attrs=attrs, rows=rows, include_static_vectors=False),
            list2ragged(),
        )
        table = navec_table(navec)
        vectors = chain(_navec_lookup(table), with_array(Linear(width, table.dim)))
        mix = with_array(Maxout(width, 2 * width, nP=3, normalize=True, dropout=0.0))
        return chain(concatenate(hashed, vectors), mix, ragged2list())

    _registered = True


# Static word vectors: navec (Russian news GloVe, 250K words × 300 dims, product-quantized),
# read from the copy inside the installed natasha package. Many Ukrainian names and words
# share forms with Russian ones; a token is looked up by its lowercase form, then its
# pymorphy3-uk lemma (``NORM``), then both spelled with Russian letters (``_UK_TO_RU``).
_UK_TO_RU = str.maketrans(
    {"и": "ы", "і": "и", "ї": "йи", "є": "е", "ґ": "г", "'": "ь", "’": "ь", "ʼ": "ь"}
)


def navec_path(name: str) -> Path:
    """``natasha/data/emb/<name>`` of the installed natasha package (not imported)."""
    import importlib.util

    spec = importlib.util.find_spec("natasha")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the natasha package (which ships the navec vectors) is missing")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "emb" / name


class NavecTable:
    """Row lookup and dequantization of navec vectors for spaCy tokens."""

    def __init__(self, path: Path) -> None:
        import numpy
        from navec import Navec

        navec = Navec.load(str(path))
        self.ids: dict[str, int] = navec.vocab.word_ids
        self.indexes = navec.pq.indexes  # words × qdim (uint8 centroid numbers)
        self.centroids = navec.pq.codes  # qdim × 256 × (dim / qdim)
        self.qdims = numpy.arange(navec.pq.qdim)
        self.dim = int(navec.pq.dim)
        self.missing = len(self.ids)
        self.rows: dict[tuple[str, str], int] = {}

    def row(self, lower: str, lemma: str) -> int:
        key = (lower, lemma)
        row = self.rows.get(key)
        if row is None:
            ids = self.ids
            for word in (lower, lemma, lower.translate(_UK_TO_RU), lemma.translate(_UK_TO_RU)):
                if word in ids:
                    row = ids[word]
                    break
            else:
                row = self.missing
            if len(self.rows) > 300_000:
                self.rows.clear()
            self.rows[key] = row
        return row

    def vectors(self, docs: list) -> Any:
        import numpy

        rows = numpy.array(
            [self.row(t.lower_, t.norm_) for doc in docs for t in doc], dtype="int64"
        )
        found = rows < self.missing
        out = numpy.zeros((len(rows), self.dim), dtype="float32")
        if found.any():
            parts = self.centroids[self.qdims, self.indexes[rows[found]]]
            out[found] = parts.reshape(-1, self.dim)
        return out


_navec_tables: dict[str, NavecTable] = {}


def navec_table(name: str) -> NavecTable:
    if name not in _navec_tables:
        _navec_tables[name] = NavecTable(navec_path(name))
    return _navec_tables[name]


def _navec_lookup(table: NavecTable) -> Any:
    """A thinc layer: docs → Ragged of their tokens' navec vectors (fixed, no gradient)."""
    from thinc.api import Model
    from thinc.types import Ragged

    def forward(model, docs, is_train):
        data = model.ops.asarray2f(table.vectors(docs))
        lengths = model.ops.asarray1i([len(doc) for doc in docs])
        return Ragged(data, lengths), lambda d_ragged: []

    return Model("navec_lookup", forward)


_lock = threading.Lock()
_nlp: Language | None = None


def load_model(path: Path = MODEL_DIR) -> Language:
    global _nlp
    with _lock:
        if _nlp is None or path != MODEL_DIR:
            import spacy

            register_architectures()
            nlp = spacy.load(path)
            if path != MODEL_DIR:
                return nlp
            _nlp = nlp
        return _nlp


_LINE_RE = re.compile(r"[^\n]+")

# Post-rules: span boundaries by the conventions of NER-UK's annotation guide, which
# the model gets wrong most often (measured on the dev part of train; see MODEL.md).
# A street keyword belongs to the street's name, and so does the house number after it
# («вул. Шевченка, 12»); a settlement abbreviation does not («с. Гаврилівка» → LOC
# «Гаврилівка»); an office's territory is part of the office's name («ГУ ДФС у
# Київській області» is one ORG); an entity after «с.», «м.», «смт» is a settlement
# (LOC, and an untagged capitalised word there becomes one); trailing initials belong to
# a person's name and a trailing abbreviation's dot to the name («… лтд.», «… обл.»).
_STREET = (
    r"(?:вул\.|вулиц[яіюе]|вулицею|просп\.|проспект[уі]?|пров\.|провул(?:ок|ку|ці)|"
    r"бульв\.|бульвар[уі]?|пл\.|площ[аіу]|площею|майдан[уі]?|узвіз|узвозі|набережн(?:а|ій|у))"
)
_STREET_START = re.compile(_STREET + r"[ \t]", re.IGNORECASE)
_STREET_BEFORE = re.compile(r"(?<!\w)" + _STREET + r"[ \t]+$", re.IGNORECASE)
_HOUSE_NUMBER = re.compile(
    r",[ \t]*\d+(?:[ \t]*[-/][ \t]*\d+)?(?:[ \t]*[-–]?[А-ЯҐЄІЇа-яґєії](?!\w))?"
)
_SETTLEMENT = re.compile(
    r"(?:м|с|смт|сел|хут)\.[ \t]*|(?:смт|село|селі|села|місто|місті|міста)[ \t]+"
)
_IN_TERRITORY = re.compile(r"[ \t]+(?:у|в)[ \t]+(м\.[ \t]*)?")
_TERRITORY_END = re.compile(r"(?:області|районі|краї|місті)$")


_SETTLEMENT_BEFORE = re.compile(
    r"(?<![\d/][ \t])(?<!кв\.[ \t])(?<![\w.])(?:(?:м|с|смт|сел)\.|смт|села|селі|село)[ \t]+$"
)
_SETTLEMENT_NAME = re.compile(
    r"(?<![\d/][ \t])(?<!кв\.[ \t])(?<![\w.])(?:(?:м|с|смт)\.|смт)[ \t]*([А-ЯҐЄІЇ][\w'’ʼ-]*\w)"
)


_AND = re.compile(r"[ \t]+(?:і|й|та)[ \t]+")
_WORD = re.compile(r"\w+")
_TWO_WORDS = re.compile(r"\w+[ \t]+\w[\w'’ʼ-]*")
_INITIAL = re.compile(r"[ \t]+[А-ЯҐЄІЇA-Z]\.")
_ENDS_WITH_INITIAL = re.compile(r"(?<!\w)[А-ЯҐЄІЇA-Z]\.$")
_ABBREVIATION_END = re.compile(r"(?<!\w)(?:лтд|Лтд|ЛТД|Інк|Inc|Ltd|LTD|Co|Corp|Корп|обл)$")


_QUOTES = (("«", "»"), ("“", "”"), ("„", "“"))
_OPENING = frozenset("«„")


def _unbalanced(span: str, opening: str, closing: str) -> bool:
    return span.count(opening) > span.count(closing)


def postprocess(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Fix entity boundaries by the annotation conventions above; ``spans`` sorted by start."""
    taken = [(start, end) for start, end, _label in spans]
    for match in _SETTLEMENT_NAME.finditer(text):  # an untagged name after «с.», «м.», «смт»
        start, end = match.span(1)
        if not any(s < end and start < e for s, e in taken):
            spans = sorted([*spans, (start, end, "LOC")])
    fixed: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        before = _STREET_BEFORE.search(text, max(0, start - 20), start)
        if before and (not fixed or fixed[-1][1] <= before.start()):
            start, label = before.start(), "LOC"
        elif _SETTLEMENT_BEFORE.search(text, max(0, start - 8), start):
            label = "LOC"
        if label == "LOC":
            if _STREET_START.match(text, start, end):
                number = _HOUSE_NUMBER.match(text, end)
                if number:
                    end = number.end()
            else:
                settlement = _SETTLEMENT.match(text, start, end)
                if settlement and text[settlement.end()].isupper():
                    start = settlement.end()
            if fixed and fixed[-1][2] == "ORG":
                gap = _IN_TERRITORY.fullmatch(text, fixed[-1][1], start)
                if gap and (gap.group(1) or _TERRITORY_END.search(text, start, end)):
                    fixed[-1] = (fixed[-1][0], end, "ORG")
                    continue
        if (  # «Дмитро й Володимир Хом’яки»: first names joined before a shared surname
            label == "PER"
            and fixed
            and fixed[-1][2] == "PER"
            and _AND.fullmatch(text, fixed[-1][1], start)
            and _WORD.fullmatch(text, fixed[-1][0], fixed[-1][1])
            and _TWO_WORDS.fullmatch(text, start, end)
            and "Name" in morph_features(text[fixed[-1][0] : fixed[-1][1]])[1].split("|")
        ):
            start = fixed.pop()[0]
        if label == "PER" and _ENDS_WITH_INITIAL.search(text, start, end):
            while initial := _INITIAL.match(text, end):  # «Прасола А.» + « Є.»
                end = initial.end()
        if text[end : end + 1] == "." and _ABBREVIATION_END.search(text, start, end):
            end += 1  # «Редшир Солюшнз лтд.», «Київської обл.»
        while text[start] in _OPENING and start + 1 < end:  # «Центру «Сонячне ремесло…
            start += 1
        while any(  # …» : a name's inner quotes close inside it («БК “Етерна”»)
            text[end : end + 1] == closing and _unbalanced(text[start:end], opening, closing)
            for opening, closing in _QUOTES
        ):
            end += 1
        fixed.append((start, end, label))
    return fixed


def vote(runs: list[list[tuple[int, int, str]]], need: int) -> list[tuple[int, int, str]]:
    """Spans found (same start, end and type) by at least ``need`` of the ``runs``, no overlaps."""
    counts: dict[tuple[int, int, str], int] = {}
    for run in runs:
        for span in set(run):
            counts[span] = counts.get(span, 0) + 1
    kept: list[tuple[int, int, str]] = []
    for span in sorted(s for s, n in counts.items() if n >= need):
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return kept


def ner_components(nlp: Language) -> list[Any]:
    """The NER components of ``nlp``: one model, or an ensemble's (``ner``, ``ner2``, …)."""
    return [component for name, component in nlp.pipeline if name.startswith("ner")]


def tag_doc(nlp: Language, text: str, rules: bool = True) -> list[tuple[int, int, str]]:
    """Entities of ``text`` by ``nlp`` (:func:`tag_docs` of one text)."""
    return tag_docs(nlp, [text], rules)[0]


def tag_docs(
    nlp: Language, texts: Sequence[str], rules: bool = True
) -> list[list[tuple[int, int, str]]]:
    """Entities of each of ``texts`` by ``nlp``, line by line: no entity crosses a line break.

    A pipeline with several NER components is an ensemble: each tags the text on its own
    and a span is kept when a majority of them found it exactly (same bounds and type).
    The first majority of the components read every line; the others only the lines
    where those disagree: on a line they all agree on, the rest cannot outvote them
    (same spans kept, none added), and each component is a third of a Ukrainian page's
    annotation time.
    The lines of all ``texts`` go through each component in one batch: a component's call
    costs about 0.8 ms whatever it reads, as much as a short title's lines (a page's body,
    title and lead are tagged together, one call per component instead of three).
    ``rules=False`` returns the model's own spans, without :func:`postprocess`.
    """
    lines: list[list[tuple[int, int]]] = []
    owner: list[int] = []
    """The text each line comes from."""
    for index, text in enumerate(texts):
        for line in _LINE_RE.finditer(text):
            offset = line.start()
            spans = [(offset + s, offset + e) for s, e in tokenize(line.group())]
            if spans:
                lines.append(spans)
                owner.append(index)
    if not lines:
        return [[] for _ in texts]
    docs = [make_doc(nlp, texts[owner[i]], spans) for i, spans in enumerate(lines)]
    components = ner_components(nlp)
    need = len(components) // 2 + 1
    found_by: list[dict[int, list[tuple[int, int, str]]]] = []
    todo = list(range(len(docs)))
    for index, component in enumerate(components):
        if index == need:
            todo = [i for i in todo if any(f[i] != found_by[0][i] for f in found_by[1:])]
        last = index + 1 == len(components)
        fresh = [docs[i] if last else docs[i].copy() for i in todo]
        found_by.append(
            {
                i: [
                    (lines[i][ent.start][0], lines[i][ent.end - 1][1], ent.label_)
                    for ent in doc.ents
                    if ent.label_ in TYPES
                ]
                for i, doc in zip(todo, component.pipe(fresh), strict=True)
            }
        )
    result = []
    for index, text in enumerate(texts):
        if index not in owner:  # no words: nothing to tag nor to amend
            result.append([])
            continue
        runs = [[span for i in sorted(f) if owner[i] == index for span in f[i]] for f in found_by]
        found = runs[0] if len(runs) == 1 else vote(runs, need)
        result.append(postprocess(text, found) if rules else found)
    return result


def tag_uk(text: str) -> list[tuple[int, int, str]]:
    """Named entities of a Ukrainian text: ``(start, end, type)`` with type PER, ORG or LOC."""
    return tag_uk_many([text])[0]


def tag_uk_many(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    """:func:`tag_uk` of each text, the model run once over all of them (:func:`tag_docs`)."""
    if not any(text.strip() for text in texts):
        return [[] for _ in texts]
    return tag_docs(load_model(), texts)
