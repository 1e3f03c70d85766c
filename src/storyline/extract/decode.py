"""Bytes → text: find the charset a page was written in, and trust no one blindly.

Order of evidence, strongest first:

1. a byte-order mark (UTF-8, UTF-16, UTF-32) — or the unmistakable NUL
   pattern of BOM-less UTF-16;
2. the container's hint (``doc.charset``, from an HTTP header or a feed);
3. for HTML, ``<meta charset=…>`` / ``<meta http-equiv=Content-Type …>`` in
   the first 4 KB;
4. valid UTF-8 (legacy Cyrillic text is practically never valid UTF-8);
5. UTF-8 with a few broken bytes (most non-ASCII bytes still form UTF-8
   sequences: replacement characters, not a wrong charset);
6. detection among the encodings of our field — charset-normalizer restricted
   to them, checked by a plausibility score for Cyrillic/Latin text.

Hints (2, 3) are checked: one that does not decode, or decodes to mojibake
(``Ð¡Ñ‚``, ``РџСЂ``, koi8-r read as cp1251 …), loses to detection.

The result has no BOM and ``\\n`` newlines.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

from storyline.document import RawDocument
from storyline.errors import BinaryInputError, DecodeError, EmptyInputError
from storyline.sources.sniff import binary_reason, bom_encoding, is_blank, utf16_without_bom

__all__ = ["Detected", "decode", "detect"]

LEGACY_ENCODINGS = ("cp1251", "koi8_r", "koi8_u", "cp866", "iso8859_5", "cp1252", "latin_1")
"""Single-byte encodings plausible for Russian, Ukrainian and English pages, in
order of preference when two decode to equally plausible text."""

_NORMALIZER_ENCODINGS = ["utf_8", *LEGACY_ENCODINGS]

# WHATWG: these labels mean windows-1252 on the web.
_AS_CP1252 = {"ascii", "latin_1", "iso8859_1", "iso8859-1", "us-ascii", "latin-1"}

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I | re.S
)

_LOWER_CYR = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў")
_UPPER_CYR = frozenset("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯІЇЄҐЎ")
_FREQUENT_CYR = frozenset("оеаинтсрвлкі")
"""The twelve commonest Russian/Ukrainian letters: about 70% of the lowercase
letters of real text, under 40% of Cyrillic decoded with the wrong table."""
_CP1252_TAIL = frozenset(bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore"))
_PUNCT = frozenset("«»—–‒―„“”‘’‚…№€•·°±§©®™ ­‹›†‡‰′″¤¦¬µ¶×÷¹²³½¼¾")


def _canonical(encoding: str) -> str:
    return codecs.lookup(encoding).name


@dataclass(frozen=True, slots=True)
class Detected:
    text: str
    encoding: str
    """Canonical Python codec name (``utf-8``, ``cp1251``, ``koi8-r``, ``utf-16-le`` …)."""
    method: str
    """What decided: ``bom``, ``hint``, ``meta``, ``utf-8``, ``utf-8-damaged``, ``detected``."""


def _codec(label: str | None) -> str | None:
    """A charset label → Python codec name; None for unknown or non-text codecs."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in ("x-cp1251", "win-1251", "cp-1251", "windows1251"):
        label = "cp1251"
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    name = info.name
    if name in _AS_CP1252 or label in _AS_CP1252:
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):
        # A UTF-16 label on bytes without a BOM or NUL pattern is a lie (WHATWG: UTF-8).
        return "utf-8"
    return name


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def _is_junk(ch: str) -> bool:
    if ch == "\ufffd":
        return True
    category = unicodedata.category(ch)
    if category in ("Cc", "Co", "Cn", "Cs"):
        return ch not in "\t\n\r\f\x0b"
    return "\u2500" <= ch <= "\u259f"  # box drawing and blocks: cp866 read wrongly


def _is_latin_ext(ch: str) -> bool:
    return "\u00c0" <= ch <= "\u024f" and ch not in "×÷"


def plausibility(text: str) -> float:
    """How much ``text`` looks like real ru/uk/en writing, from its non-ASCII characters.

    +1 for each expected character (Cyrillic lowercase, uppercase at the start of
    a word or in an all-caps run, usual punctuation, a lone accented Latin letter
    inside a Latin word); penalties for what mojibake produces (uppercase
    Cyrillic right after lowercase, Cyrillic glued to Latin letters, runs of
    accented Latin letters, ``Ã``/``Ð`` followed by ``€``/``™``/``¡``…, box
    drawing, control and unassigned characters) and for Cyrillic that is mostly
    uppercase (koi8-r and cp1251 read as each other swap the case) or made of
    rare letters (iso8859-5 or cp866 read as cp1251 and back permute them).
    Returns a score per non-ASCII character, at most 1; 1.0 when there is none.
    """
    total = 0
    score = 0.0
    lower = upper = frequent = 0
    prev = " "
    for ch in text:
        if ch < "\x80":
            prev = ch
            continue
        total += 1
        if ch in _LOWER_CYR:
            lower += 1
            frequent += ch in _FREQUENT_CYR
            score += -1.0 if prev.isascii() and prev.isalpha() else 1.0
        elif ch in _UPPER_CYR:
            upper += 1
            if prev in _LOWER_CYR:
                score -= 2.0
            elif prev.isascii() and prev.isalpha():
                score -= 1.0
            else:
                score += 1.0
        elif _is_latin_ext(prev) and ch in _CP1252_TAIL:
            score -= 2.0  # UTF-8 read as cp1252/latin-1: Ã©, Ð¡, â€™
        elif ch in _PUNCT:
            score += 1.0
        elif _is_latin_ext(ch):
            if _is_latin_ext(prev) or prev in _LOWER_CYR or prev in _UPPER_CYR:
                score -= 1.0
            elif prev.isascii() and prev.isalpha():
                score += 1.0
            else:
                score += 0.5
        elif _is_junk(ch):
            score -= 5.0
        elif "\u0400" <= ch <= "\u04ff":
            score -= 1.0  # Cyrillic letters of other alphabets (ђ, џ, ѓ …)
        else:
            category = unicodedata.category(ch)
            score += 0.5 if category.startswith(("P", "S", "Z")) else -1.0
        prev = ch
    if total == 0:
        return 1.0
    result = score / total
    letters = lower + upper
    if letters >= 20 and lower / letters < 0.5:
        result -= 4.0 * (0.5 - lower / letters)
    if lower >= 20 and frequent / lower < 0.5:
        result -= 4.0 * (0.5 - frequent / lower)
    return result


def _sample(data: bytes, limit: int = 20000) -> bytes:
    """The non-ASCII runs of the data, each with the byte before it, up to ``limit`` bytes.

    Enough to judge a single-byte encoding without walking a whole page of markup.
    """
    parts: list[bytes] = []
    size = 0
    for match in re.finditer(rb"[\x80-\xff]+", data):
        start = max(0, match.start() - 1)
        part = data[start : match.end()]
        parts.append(part)
        size += len(part) + 1
        if size >= limit:
            break
    return b" ".join(parts)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


_GOOD_ENOUGH = 0.6


def _hint_holds(data: bytes, encoding: str) -> str | None:
    """The text if ``data`` decodes as ``encoding`` into something plausible."""
    text = _strict(data, encoding)
    if text is None:
        return None
    if encoding.replace("_", "-") == "utf-8":
        return text
    if not data.isascii() and _strict(data, "utf-8") is not None:
        # Non-ASCII bytes that are valid UTF-8 are UTF-8: no legacy Cyrillic
        # page survives a strict UTF-8 decode by chance.
        return None
    sample = _sample(data)
    if plausibility(sample.decode(encoding, errors="replace")) < _GOOD_ENOUGH:
        return None
    return text


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes: decoded with replacement characters."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch >= "\x80") - bad
    if good >= 3 and good >= 4 * bad:
        return text
    return None


def _detect_legacy(data: bytes) -> tuple[str, str] | None:
    sample = _sample(data)
    scored: dict[str, float] = {}
    for encoding in LEGACY_ENCODINGS:
        text = _strict(sample, encoding)
        if text is not None:
            scored[encoding] = plausibility(text)
    if not scored:
        return None
    best = max(scored, key=lambda enc: (scored[enc], -LEGACY_ENCODINGS.index(enc)))
    guess = from_bytes(data, cp_isolation=_NORMALIZER_ENCODINGS).best()
    if guess is not None:
        name = _codec(guess.encoding)
        candidate = name.replace("-", "_") if name else None
        if candidate in scored and scored[candidate] >= scored[best] - 0.05:
            best = candidate
    text = _strict(data, best)
    if text is None:
        return None
    return text, best


def _finish(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect(
    data: bytes, *, hint: str | None = None, html: bool | None = None, source: str = "<bytes>"
) -> Detected:
    """Decode ``data``; ``hint`` is a declared charset, ``html`` whether to read ``<meta>``.

    ``html=None`` reads a meta charset only when the bytes start like markup.
    Raises EmptyInputError, BinaryInputError or DecodeError (named ``source``).
    """
    if is_blank(data):
        raise EmptyInputError(source)
    found = bom_encoding(data)
    if found:
        encoding, skip = found
        return Detected(_finish(data[skip:].decode(encoding, errors="replace")), encoding, "bom")
    utf16 = utf16_without_bom(data)
    if utf16:
        return Detected(_finish(data.decode(utf16, errors="replace")), utf16, "bom")
    reason = binary_reason(data)
    if reason:
        raise BinaryInputError(source, reason)

    hints: list[tuple[str | None, str]] = [(_codec(hint), "hint")]
    if html is None:
        html = b"<" in data[:4096]
    if html:
        hints.append((_codec(_meta_charset(data)), "meta"))
    for encoding, method in hints:
        if encoding:
            text = _hint_holds(data, encoding)
            if text is not None:
                return Detected(_finish(text), _canonical(encoding), method)

    text = _strict(data, "utf-8")
    if text is not None:
        return Detected(_finish(text), "utf-8", "utf-8")
    text = _mostly_utf8(data)
    if text is not None:
        return Detected(_finish(text), "utf-8", "utf-8-damaged")
    legacy = _detect_legacy(data)
    if legacy is None:
        raise DecodeError(source)
    text, encoding = legacy
    if plausibility(_sample(data).decode(encoding, errors="replace")) < -1.0:
        raise DecodeError(
            source,
            f"cannot decode the text in any known charset (best guess {encoding} gives garbage)",
        )
    return Detected(_finish(text), _canonical(encoding), "detected")


def decode(doc: RawDocument) -> str:
    """The text of a document, its charset found as described in the module docs."""
    html = True if doc.kind == "html" else False if doc.kind == "text" else None
    return detect(doc.data, hint=doc.charset, html=html, source=doc.source).text
