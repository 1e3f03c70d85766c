"""factRuEval-2016 (Russian news, MIT): ``*.txt``, ``*.spans``, ``*.objects`` → LabeledText.

One document is one ``NAME.txt`` with its ``NAME.spans`` (first layer: typed
token runs such as ``name``, ``surname``, ``org_name``, ``loc_descr`` with a
character offset and length) and ``NAME.objects`` (second layer: an object
mention of type Person/Org/Location/LocOrg/… listing the spans it is made of).

An object mention becomes one gold span from its first span's start to its
last span's end — «Александр Вертинский» is ``name`` + ``surname``; «МИД РФ»
is ``org_name`` + ``geo_adj``/``loc_name``. Types map as in
``corpora/README.md``: Person→PER, Org→ORG, Location and LocOrg→LOC; Project
and Facility are dropped. A few objects are scattered («Министерства финансов …
департаментом Министерства»); they keep their whole extent, as every tagger
pays the same price for them.

Nested objects are kept: «МИД России» yields ORG «МИД России» *and* LOC
«России» when the annotators marked both, which is what the corpus means and
what a reader of the text would expect. :func:`outermost` drops the inner ones
for the flat, longest-match convention of our dev gold.

Offsets in the files count characters of the text as stored, with ``\\r\\n``
read as two characters; the reader opens the text with ``newline=""`` so the
Python string keeps them, and every span is checked against the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from storyline.evaluation.corpus import LabeledText

TYPE_MAP = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}


def _read_spans(path: Path) -> dict[str, tuple[int, int]]:
    spans: dict[str, tuple[int, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) < 4:
            continue
        span_id, _kind, start, length = fields[:4]
        spans[span_id] = (int(start), int(start) + int(length))
    return spans


def _read_objects(
    path: Path, spans: dict[str, tuple[int, int]], types: dict[str, str]
) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) < 3 or fields[1] not in types:
            continue
        parts = [spans[s] for s in fields[2:] if s in spans]
        if not parts:
            continue
        found.append((min(p[0] for p in parts), max(p[1] for p in parts), types[fields[1]]))
    return found


def read_document(txt: Path, types: dict[str, str] | None = None) -> LabeledText:
    """One document: ``txt`` plus the ``.spans``/``.objects`` files beside it."""
    types = TYPE_MAP if types is None else types
    with txt.open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    spans = _read_spans(txt.with_suffix(".spans"))
    objects = sorted(set(_read_objects(txt.with_suffix(".objects"), spans, types)))
    for start, end, _label in objects:
        if not (0 <= start < end <= len(text)):
            raise ValueError(f"{txt}: span {start}:{end} outside the text")
    return LabeledText(doc_id=txt.stem, text=text, spans=tuple(objects))


def read_factrueval(path: Path, types: dict[str, str] | None = None) -> Iterator[LabeledText]:
    """Every document of a factRuEval folder (``devset/`` or ``testset/``), in name order."""
    path = Path(path)
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: not a factRuEval folder")
    for txt in sorted(path.glob("*.txt"), key=lambda p: (len(p.stem), p.stem)):
        if txt.with_suffix(".objects").exists():
            yield read_document(txt, types)


def outermost(spans: Iterable[tuple[int, int, str]]) -> tuple[tuple[int, int, str], ...]:
    """Spans not strictly inside another span (the flat, longest-match view)."""
    items = sorted(set(spans), key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int, str]] = []
    for span in items:
        if any(o[0] <= span[0] and span[1] <= o[1] and o[:2] != span[:2] for o in kept):
            continue
        kept.append(span)
    return tuple(kept)
