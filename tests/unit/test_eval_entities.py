"""Entity linking on the dev gold (storyline.evaluation.entities)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paths import DEV, SHARED
from storyline.evaluation import entities as evaluation

pytestmark = pytest.mark.skipif(not DEV.exists(), reason="needs the shared dev corpus")


def test_gold_mentions_point_into_the_articles() -> None:
    articles = evaluation.gold_mentions(DEV)
    assert len(articles) == 27
    assert sum(len(v) for v in articles.values()) == 330
    for article, golds in articles.items():
        text = (DEV / "articles" / f"{article}.txt").read_text(encoding="utf-8")
        for g in golds:
            assert text[g.mention.start : g.mention.end] == g.mention.text
            assert g.mention.normal


def test_linking_meets_the_targets_on_the_dev_gold() -> None:
    report = evaluation.evaluate_linking(DEV)
    assert report.mentions == 330
    assert report.completeness >= 0.95, report.split
    assert report.purity >= 0.97, report.mixed


def test_the_command_prints_and_writes_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STORYLINE_SHARED", str(SHARED))
    assert evaluation.dev_dir() == DEV
    out = tmp_path / "entities.json"
    evaluation.entities_command(out=out)
    printed = capsys.readouterr().out
    assert "completeness" in printed and "purity" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["completeness"] >= 0.95 and data["purity"] >= 0.97
    assert {"split", "mixed", "mentions"} <= data.keys()
