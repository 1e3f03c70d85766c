"""``storyline report`` from the command line: the five seeds ingested, then the dossier
in Markdown to stdout, in HTML to a file, and the one-line error for an unknown story."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app

runner = CliRunner()


@pytest.fixture
def db(seeds_db: str) -> str:
    return seeds_db


@pytest.fixture
def story(seeds_story: str) -> str:
    return seeds_story


def test_markdown_goes_to_stdout(db: str, story: str) -> None:
    result = runner.invoke(app, ["report", story, "--db", db])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("# ")
    assert text.index("Geneva, 10 Jan 2022") < text.index("Brussels, 12 Jan 2022")
    assert "**7 h 30 min** (PT7H30M)" in text and "**8 h** (PT8H)" in text
    assert "### Dmitry Peskov" in text
    assert not result.stderr


def test_html_goes_to_the_output_file(db: str, story: str, tmp_path: Path) -> None:
    target = tmp_path / "dossier.html"
    result = runner.invoke(
        app, ["report", story, "--db", db, "--format", "html", "--lang", "uk", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert not result.stdout
    assert str(target) in result.stderr
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="uk">' in html
    assert "<script" not in html.lower() and "src=" not in html
    assert "Хронологія" in html and "7 год 30 хв" in html


def test_unknown_story_is_one_error_line(db: str) -> None:
    result = runner.invoke(app, ["report", "s_missing", "--db", db])
    assert result.exit_code != 0
    assert not result.stdout
    assert result.stderr.strip().splitlines() == ["error: no story s_missing in the store"]


def test_unwritable_output_is_one_error_line(db: str, story: str, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "dossier.md"
    result = runner.invoke(app, ["report", story, "--db", db, "-o", str(target)])
    assert result.exit_code != 0
    assert "error: cannot write" in result.stderr
