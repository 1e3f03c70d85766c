"""factRuEval reader, the NER evaluation (both columns), the dev-gold scoring and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from paths import DEV, SHARED
from storyline.evaluation.factrueval import outermost, read_document, read_factrueval
from storyline.evaluation.ner import dev_gold, evaluate_ner, ner_command, shared_dir

FACTRU = SHARED / "corpora" / "factrueval-2016"


def test_shared_dir_is_the_repos_sibling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORYLINE_SHARED", raising=False)
    assert shared_dir().resolve() == SHARED.resolve()
    monkeypatch.setenv("STORYLINE_SHARED", "/elsewhere")
    assert shared_dir() == Path("/elsewhere")


def test_factrueval_objects_become_spans_over_the_text() -> None:
    doc = read_document(FACTRU / "testset" / "book_3539.txt")
    assert doc.doc_id == "book_3539"
    assert doc.spans[0] == (0, 20, "PER")
    assert doc.surface(doc.spans[0]) == "Александр Вертинский"
    surfaces = {(doc.surface(s), s[2]) for s in doc.spans}
    assert ("Александра Вертинского", "PER") in surfaces
    assert ("Козицкого переулка", "LOC") in surfaces  # loc_name + loc_descr spans, one object
    assert ("Москве", "LOC") in surfaces


def test_factrueval_reader_reads_every_document_with_consistent_spans() -> None:
    docs = list(read_factrueval(FACTRU / "testset"))
    assert len(docs) == 132
    labels = {s[2] for d in docs for s in d.spans}
    assert labels == {"PER", "ORG", "LOC"}
    for d in docs:
        for start, end, _ in d.spans:
            surface = d.text[start:end]
            assert surface and surface == surface.strip()


def test_outermost_drops_nested_spans() -> None:
    spans = [(0, 10, "ORG"), (4, 10, "LOC"), (12, 15, "LOC")]
    assert outermost(spans) == ((0, 10, "ORG"), (12, 15, "LOC"))


def test_small_factrueval_run_storyline_not_below_plain_natasha() -> None:
    result = evaluate_ner("factrueval", limit=20)
    assert result["docs"] == 20
    plain, ours = result["columns"]["natasha-plain"], result["columns"]["storyline"]
    for label in ("PER", "ORG", "LOC", "micro"):
        assert ours[label]["f1"] >= plain[label]["f1"], label
    assert ours["micro"]["f1"] > 0.75
    assert ours["PER"]["f1"] > 0.85


def test_dev_gold_scoring_is_on_distinct_surfaces() -> None:
    _langs, texts, gold = dev_gold(DEV)
    assert len(texts) == 27
    assert all(name in texts[i] for i, name, _ in gold)
    result = evaluate_ner("dev", limit=4)
    assert result["docs"] == 4
    assert set(result["columns"]) == {"ru", "uk", "en", "all"}
    total = result["columns"]["all"]["micro"]
    ids = sorted(texts)[:4]
    assert total["tp"] + total["fn"] == len({g for g in gold if g[0] in ids})


def test_ner_command_prints_and_writes_json(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(ner_command)
    out = tmp_path / "ner.json"
    run = CliRunner().invoke(app, ["factrueval", "--limit", "3", "--out", str(out)])
    assert run.exit_code == 0, run.output
    assert "natasha-plain" in run.output and "storyline" in run.output
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["corpus"] == "factrueval" and saved["docs"] == 3
    bad = CliRunner().invoke(app, ["nosuch"])
    assert bad.exit_code == 2
