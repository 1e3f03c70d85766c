"""Durations as ISO 8601, and what is not a duration."""

import pytest

from paths import seed
from storyline.nlp.durations import find_durations, iso_duration


@pytest.mark.parametrize(
    ("text", "span", "value", "approximate"),
    [
        ("Переговоры продлились около четырех часов.", "около четырех часов", "PT4H", True),
        ("Перемовини тривали майже вісім годин.", "майже вісім годин", "PT8H", True),
        ("они продолжались 7,5 часов без учета перерыва", "7,5 часов", "PT7H30M", False),
        ("The meeting lasted 1.5 hours.", "1.5 hours", "PT1H30M", False),
        ("за останні 25 років", "25 років", "P25Y", False),
        ("через вісім років після того", "вісім років", "P8Y", False),
        ("завершится примерно через три часа", "примерно через три часа", "PT3H", True),
        ("Встреча длилась три часа.", "три часа", "PT3H", False),
        ("продлились 1,5 часа", "1,5 часа", "PT1H30M", False),
        ("talks lasted about two hours", "about two hours", "PT2H", True),
        ("за двадцать пять лет", "двадцать пять лет", "P25Y", False),
        ("протягом півтори години", "півтори години", "PT1H30M", False),
        ("Через 26 минут борт пропал", "26 минут", "PT26M", False),
        ("for around two weeks", "around two weeks", "P2W", True),
        ("діятиме 120 днів", "120 днів", "P120D", False),
    ],
)
def test_durations(text: str, span: str, value: str, approximate: bool) -> None:
    (d,) = find_durations(text)
    assert (d.text, d.value, d.approximate) == (span, value, approximate)
    assert text[d.start : d.end] == span


@pytest.mark.parametrize(
    "text",
    [
        "рубежей 1997 года",
        "після 1997 року",
        "A 14-year-old girl was wounded",
        "брифинг был назначен на 14.30 по Киеву",
        "24 июня около 15 часов в Сети появились кадры",  # a clock time after a date
        "в 3 часа ночи",
        "встреча в 15 часов",
        "more than a month ago",
    ],
)
def test_not_durations(text: str) -> None:
    assert find_durations(text) == ()


def test_seed_durations() -> None:
    found = [(d.text, d.value) for d in find_durations(seed("000").read_text(encoding="utf-8"))]
    assert found == [
        ("около четырех часов", "PT4H"),
        ("около четырех часов", "PT4H"),
        ("около четырех часов", "PT4H"),
        ("примерно через три часа", "PT3H"),
        ("приблизительно 7,5 часов", "PT7H30M"),
    ]
    uk = [(d.text, d.value) for d in find_durations(seed("001").read_text(encoding="utf-8"))]
    assert uk == [("майже вісім годин", "PT8H"), ("вісім років", "P8Y"), ("25 років", "P25Y")]


def test_language_decides_ambiguous_units() -> None:
    assert find_durations("тривало 3 год", "uk")[0].value == "PT3H"
    assert find_durations("прошел 1 год", "ru")[0].value == "P1Y"


@pytest.mark.parametrize(
    ("amount", "unit", "iso"),
    [
        (7.5, "H", "PT7H30M"),
        (1.5, "Y", "P1Y6M"),
        (2, "W", "P2W"),
        (2.5, "W", "P17DT12H"),
        (0.5, "H", "PT30M"),
        (1.25, "D", "P1DT6H"),
        (90, "S", "PT90S"),
    ],
)
def test_iso_duration(amount: float, unit: str, iso: str) -> None:
    assert iso_duration(amount, unit) == iso
