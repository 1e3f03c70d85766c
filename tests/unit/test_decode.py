"""storyline.extract.decode: the right text out of UTF-8, cp1251, koi8-r/u, UTF-16 bytes.

The texts are real Russian and Ukrainian news (tests/data/inputs/seed_*.txt),
re-encoded here; short snippets are the hard case for detectors.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from storyline.document import RawDocument
from storyline.errors import BinaryInputError, DecodeError, EmptyInputError
from storyline.extract.decode import decode, detect, plausibility

DATA = Path(__file__).resolve().parents[1] / "data"
SEEDS = {
    "ru": (DATA / "inputs" / "seed_ru.txt").read_text(encoding="utf-8"),
    "uk": (DATA / "inputs" / "seed_uk.txt").read_text(encoding="utf-8"),
}


def encodable(text: str, encoding: str) -> str:
    """The text with characters the legacy charset lacks (€, ’ in koi8) dropped."""
    return text.encode(encoding, errors="ignore").decode(encoding)


def snippet(text: str, start: int, length: int = 200) -> str:
    """About ``length`` characters from a line start, so it is running prose."""
    begin = text.index("\n", start) + 1
    return text[begin : begin + length]


def doc(data: bytes, **fields: object) -> RawDocument:
    return RawDocument(source="test-input", data=data, **fields)  # type: ignore[arg-type]


CASES = [
    (lang, encoding, size)
    for lang in ("ru", "uk")
    for encoding in ("utf-8", "utf-8-sig", "cp1251", "koi8_r" if lang == "ru" else "koi8_u")
    for size in ("full", "snippet")
]


@pytest.mark.parametrize(("lang", "encoding", "size"), CASES)
def test_seed_text_round_trips_without_any_hint(lang: str, encoding: str, size: str) -> None:
    text = SEEDS[lang] if size == "full" else snippet(SEEDS[lang], 700)
    text = encodable(text, encoding)
    assert decode(doc(text.encode(encoding))) == text


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "koi8_u", "cp866", "iso8859_5"])
@pytest.mark.parametrize(("lang", "start"), [("ru", 0), ("ru", 1500), ("uk", 300), ("uk", 2500)])
def test_short_snippets_in_every_cyrillic_charset(encoding: str, lang: str, start: int) -> None:
    text = encodable(snippet(SEEDS[lang], start, 120), encoding)
    assert len(text) >= 100
    assert decode(doc(text.encode(encoding))) == text


def test_bom_is_stripped_and_newlines_normalised() -> None:
    data = "\ufeffПерший рядок\r\nДругий рядок\rТретій".encode("utf-8")
    assert decode(doc(data)) == "Перший рядок\nДругий рядок\nТретій"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(encoding: str) -> None:
    text = SEEDS["uk"][:500]
    assert decode(doc(text.encode(encoding))) == text.replace("\r\n", "\n")


def test_correct_http_hint_is_used() -> None:
    text = encodable(snippet(SEEDS["ru"], 400, 80), "koi8_r")
    found = detect(text.encode("koi8_r"), hint="KOI8-R")
    assert (found.text, found.method) == (text, "hint")


@pytest.mark.parametrize("wrong", ["iso-8859-1", "windows-1252", "windows-1251", "koi8-r"])
def test_wrong_hint_on_utf8_cyrillic_loses(wrong: str) -> None:
    text = SEEDS["ru"]
    found = detect(text.encode("utf-8"), hint=wrong)
    assert found.encoding == "utf-8"
    assert found.text == text


def test_cp1251_hint_on_koi8r_bytes_loses_to_detection() -> None:
    text = encodable(SEEDS["ru"], "koi8_r")
    found = detect(text.encode("koi8_r"), hint="windows-1251")
    assert found.text == text
    assert found.method == "detected"


def test_unknown_hint_is_ignored() -> None:
    text = SEEDS["uk"]
    assert decode(doc(text.encode("cp1251"), charset="x-no-such-charset")) == text


def test_meta_charset_is_read_for_html() -> None:
    head = '<html><head><meta charset="windows-1251"><title>t</title></head>'
    html = f"{head}<body>{SEEDS['ru']}</body></html>"
    found = detect(html.encode("cp1251"), html=True)
    assert found.method == "meta"
    assert "Россия не пойдет" in found.text


def test_meta_http_equiv_is_read_for_html() -> None:
    text = encodable(SEEDS["uk"], "koi8_u")
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-u">'
        f"</head><body><p>{text}</p></body></html>"
    )
    found = detect(html.encode("koi8_u"))
    assert (found.method, found.encoding) == ("meta", "koi8-u")
    assert text in found.text


def test_lying_meta_loses_to_detection() -> None:
    html = f'<html><head><meta charset="utf-8"></head><body>{SEEDS["uk"]}</body></html>'
    found = detect(html.encode("cp1251"))
    assert found.encoding == "cp1251"
    assert SEEDS["uk"] in found.text


def test_meta_is_not_read_for_text_documents() -> None:
    text = '<meta charset="koi8-r"> ' + SEEDS["ru"]
    assert decode(doc(text.encode("utf-8"), kind="text")) == text


@pytest.mark.parametrize("hint", [None, "utf-8"])
@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_damaged_utf8_decodes_with_replacement_characters_not_as_cp1251(
    lang: str, hint: str | None
) -> None:
    raw = bytearray(SEEDS[lang].encode("utf-8"))
    rng = random.Random(7)
    positions = rng.sample(range(len(raw)), 6)
    for position in positions:
        raw[position] = 0xFF
    found = detect(bytes(raw), hint=hint)
    assert (found.encoding, found.method) == ("utf-8", "utf-8-damaged")
    assert 1 <= found.text.count("\ufffd") <= 12
    # Each broken byte costs at most one character: everything else is intact.
    assert abs(len(found.text) - len(SEEDS[lang])) <= 12
    assert sum(ch.isalpha() for ch in found.text) >= sum(ch.isalpha() for ch in SEEDS[lang]) - 6


def test_real_page_in_utf8_and_cp1251_decodes_to_the_same_text() -> None:
    utf8 = (DATA / "html" / "ru_inotomsk_news.html").read_bytes()
    cp1251 = (DATA / "html" / "ru_inotomsk_news.cp1251.html").read_bytes()
    a = decode(doc(utf8, kind="html"))
    b = decode(doc(cp1251, kind="html"))
    assert a.replace("UTF-8", "windows-1251") == b
    assert "Студенты ТУСУРа приняли участие" in b
    # And without the meta tag, detection alone finds cp1251.
    stripped = cp1251.replace(b"charset=windows-1251", b"")
    assert "Студенты ТУСУРа приняли участие" in decode(doc(stripped, kind="html"))


def test_english_cp1252_text() -> None:
    text = "The minister’s “final offer” was rejected — talks resume in Genève next week."
    assert decode(doc(text.encode("cp1252"))) == text


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t", b"\xef\xbb\xbf  \n"])
def test_empty_raises_empty_input_error(data: bytes) -> None:
    with pytest.raises(EmptyInputError, match=r"^test-input: empty input$"):
        decode(doc(data))


def test_binary_raises_binary_input_error() -> None:
    with pytest.raises(BinaryInputError, match=r"^test-input: binary content"):
        decode(doc(b"\x89PNG\r\n\x1a\n" + bytes(range(256))))


def test_noise_raises_decode_error() -> None:
    rng = random.Random(3)
    noise = bytes(rng.choice(range(0x80, 0x100)) for _ in range(3000))
    with pytest.raises(DecodeError, match=r"^test-input: cannot decode"):
        decode(doc(noise))


def test_plausibility_separates_right_from_wrong_tables() -> None:
    data = SEEDS["ru"].encode("cp1251")
    right = plausibility(data.decode("cp1251"))
    for wrong in ("koi8_r", "cp866", "iso8859_5", "cp1252"):
        assert plausibility(data.decode(wrong, errors="replace")) < right - 1.0
