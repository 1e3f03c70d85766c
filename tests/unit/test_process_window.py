"""A task of several pages (ingest.process_window) gives what each page alone gives.

The task runs the NER of all its pages in one call per language; the results must not
depend on which pages share a task, and a page that breaks that call must fail alone.
"""

from __future__ import annotations

import pytest

from paths import SEEDS
from storyline.assemble.events import part_texts
from storyline.config import Settings
from storyline.document import RawDocument
from storyline.errors import InputError
from storyline.ingest import process_one, process_window
from storyline.nlp import pipeline

pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="seed pages not available")


def seed_pages() -> list[RawDocument]:
    return [RawDocument(str(p), p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]


def test_a_task_gives_each_page_what_the_page_alone_gives() -> None:
    languages = Settings().languages
    pages = seed_pages()
    alone = [process_one(p, languages, None) for p in pages]
    assert len({r.article.lang for r in alone if not isinstance(r, InputError)}) >= 2
    assert process_window(pages, [None] * len(pages), languages) == alone
    assert process_window(pages[::-1], [None] * len(pages), languages) == alone[::-1]


def test_a_page_that_breaks_the_shared_ner_call_fails_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    languages = Settings().languages
    pages = seed_pages()
    broken = pages[1].source
    made = process_one(pages[1], languages, None)
    assert not isinstance(made, InputError)
    broken_texts = set(part_texts(made.article).values())
    recognize = pipeline.recognize_many

    def recognize_many(texts: list[str], lang: str | None) -> list[object]:
        if broken_texts & set(texts):
            raise RuntimeError("the model broke")
        return recognize(texts, lang)

    monkeypatch.setattr(pipeline, "recognize_many", recognize_many)
    results = process_window(pages, [None] * len(pages), languages)
    failed = [r for r in results if isinstance(r, InputError)]
    assert [(f.source, f.detail) for f in failed] == [
        (broken, "annotation failed (RuntimeError: the model broke)")
    ]
    monkeypatch.undo()
    others = [p for p in pages if p.source != broken]
    assert [r for r in results if not isinstance(r, InputError)] == [
        process_one(p, languages, None) for p in others
    ]
