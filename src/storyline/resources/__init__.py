"""Per-language data tables (JSON), loaded once and cached."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """A table from ``storyline/resources/NAME.json``, without its ``_doc`` key."""
    text = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {k: v for k, v in data.items() if not k.startswith("_")}


@cache
def month_numbers() -> dict[str, int]:
    """Every month-name form of every language (``months.json``) → month number 1–12."""
    numbers: dict[str, int] = {}
    for forms_by_month in load("months").values():
        for index, forms in enumerate(forms_by_month):
            for form in forms:
                numbers[form.casefold()] = index + 1
    return numbers
