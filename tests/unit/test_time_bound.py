"""Bounded time per page: hostile markup is refused before lxml, and a page that still
takes too long fails alone, with one line naming it and the limit, while the rest of
its batch is stored.

An element with 200k attributes held lxml for minutes (its parser checks each attribute
against the element's others: 40k took 14 s), blocking the whole batch; a page of 200k
elements kept trafilatura busy for 15 s.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from paths import DATA, SEEDS
from storyline import ingest as ingest_module
from storyline.config import Settings
from storyline.extract.html import (
    MAX_ATTRIBUTES_PER_ELEMENT,
    MAX_ELEMENTS,
    HostileMarkupError,
    check_markup,
)
from storyline.ingest import ingest
from storyline.store import Store

REAL_PAGE = DATA / "html" / "uk_unian_pace_reforms.html"


def _with_markup(extra: str) -> str:
    """The real page with ``extra`` markup inserted right after ``<body…>``."""
    html = REAL_PAGE.read_text(encoding="utf-8")
    at = html.index(">", html.index("<body")) + 1
    return html[:at] + extra + html[at:]


def _attributes(n: int) -> str:
    return "<div " + " ".join(f'data-a{i}="{i}"' for i in range(n)) + ">x</div>"


def test_real_pages_pass_the_markup_caps() -> None:
    for page in sorted((DATA / "html").glob("*.html")):
        check_markup(page.read_text(encoding="utf-8", errors="replace"), page.name)


def test_an_element_over_the_attribute_cap_is_refused_at_once() -> None:
    check_markup(_with_markup(_attributes(MAX_ATTRIBUTES_PER_ELEMENT)))  # at the cap: fine
    hostile = _with_markup(_attributes(200_000))
    start = time.monotonic()
    with pytest.raises(HostileMarkupError) as caught:
        check_markup(hostile, "pages/hostile.html")
    assert time.monotonic() - start < 1
    assert str(caught.value) == (
        "pages/hostile.html: an element with 200000 attributes, over the cap of "
        f"{MAX_ATTRIBUTES_PER_ELEMENT} per element"
    )


def test_a_page_over_the_element_cap_is_refused() -> None:
    with pytest.raises(HostileMarkupError, match=f"over the cap of {MAX_ELEMENTS} per page"):
        check_markup(_with_markup("<i>x</i>" * (MAX_ELEMENTS + 1)), "big.html")


@pytest.mark.slow
def test_a_200k_attribute_page_finishes_in_bound_and_its_batch_is_stored(
    tmp_path: Path,
) -> None:
    pages = tmp_path / "pages"
    shutil.copytree(SEEDS, pages)
    (pages / "hostile.html").write_text(_with_markup(_attributes(200_000)), encoding="utf-8")
    db = tmp_path / "store.db"
    command = [sys.executable, "-m", "storyline", "ingest", str(pages), "--db", str(db), "-q"]
    start = time.monotonic()
    run = subprocess.run(
        [*command, "--no-annotate"],  # the guard is in extraction: models would only add time
        capture_output=True,
        text=True,
        timeout=90,  # before the guard: lxml alone takes minutes on this page
    )
    assert time.monotonic() - start < 90
    assert run.returncode == 1, run.stderr
    failed = [line for line in run.stderr.splitlines() if "failed:" in line]
    assert len(failed) == 1
    assert "hostile.html: an element with 200000 attributes, over the cap of" in failed[0]
    with Store.open(f"sqlite:///{db}") as store:
        assert store.count_articles() == len(list(SEEDS.glob("*.txt")))


def _slow_for(name: str, seconds: float) -> Any:
    extract = ingest_module.extract_article

    def extract_slowly(raw: Any, **kwargs: Any) -> Any:
        if raw.source.endswith(name):
            time.sleep(seconds)
        return extract(raw, **kwargs)

    return extract_slowly


def test_a_page_over_the_time_limit_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In this process (``--workers 1``): the page is given up after the limit."""
    pages = tmp_path / "pages"
    shutil.copytree(SEEDS, pages)
    slow = sorted(pages.glob("*.txt"))[2]
    monkeypatch.setattr(ingest_module, "extract_article", _slow_for(slow.name, 60))
    url = f"sqlite:///{tmp_path / 'store.db'}"
    settings = Settings.from_env(db_url=url, page_time_limit=1)
    start = time.monotonic()
    with Store.open(url) as store:
        report = ingest([str(pages)], store, settings, annotate=False)
    assert time.monotonic() - start < 30
    assert [str(e) for e in report.failed] == [
        f"{slow}: took longer than 1 s, the time limit per page"
    ]
    assert report.ingested + report.duplicates == len(list(SEEDS.glob("*.txt"))) - 1


def test_an_alarm_swallowed_once_still_ends_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception raised while Python runs a ``__del__`` is printed and dropped (CI saw
    the alarm land in a regex object's ``__del__`` and the page run on): the alarm must
    come again."""
    pages = tmp_path / "pages"
    shutil.copytree(SEEDS, pages)
    slow = sorted(pages.glob("*.txt"))[1]
    extract = ingest_module.extract_article

    def swallow_the_first_alarm(raw: Any, **kwargs: Any) -> Any:
        if raw.source.endswith(slow.name):
            with contextlib.suppress(BaseException):  # what a __del__ does with it
                time.sleep(60)
            for _ in range(600):
                time.sleep(0.1)
        return extract(raw, **kwargs)

    monkeypatch.setattr(ingest_module, "extract_article", swallow_the_first_alarm)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    start = time.monotonic()
    with Store.open(url) as store:
        report = ingest(
            [str(pages)], store, Settings.from_env(db_url=url, page_time_limit=1), annotate=False
        )
    assert time.monotonic() - start < 30
    assert [str(e) for e in report.failed] == [
        f"{slow}: took longer than 1 s, the time limit per page"
    ]


@pytest.mark.slow
def test_a_slow_page_in_the_process_pool_fails_alone(tmp_path: Path) -> None:
    """In a pool of two processes: 90k elements (under the cap) keep trafilatura busy for
    seconds in Python code, which the alarm interrupts."""
    pages = tmp_path / "pages"
    shutil.copytree(SEEDS, pages)
    (pages / "spans.html").write_text(_with_markup('<span a="1">x</span>' * 90_000))
    url = f"sqlite:///{tmp_path / 'store.db'}"
    settings = Settings.from_env(db_url=url, page_time_limit=2)
    with Store.open(url) as store:
        report = ingest([str(pages)], store, settings, workers=2, annotate=False)
    assert [str(e) for e in report.failed] == [
        f"{pages / 'spans.html'}: took longer than 2 s, the time limit per page"
    ]
    assert report.ingested + report.duplicates == len(list(SEEDS.glob("*.txt")))


def test_the_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().page_time_limit == 30
    monkeypatch.setenv("STORYLINE_PAGE_TIME_LIMIT", "2.5")
    assert Settings.from_env().page_time_limit == 2.5
