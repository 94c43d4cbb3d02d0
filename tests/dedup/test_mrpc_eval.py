"""`storyline eval mrpc` on small MRPC-layout folders written by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.errors import EvalDataError
from storyline.evaluate import evaluate
from storyline.evaluate.mrpc import accuracy_f1, find_tables, read_pairs
from storyline.settings import Settings

HEADER = "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String"
ROWS = [
    (
        "1",
        "The council approved the new budget on Friday.",
        "On Friday the council passed the new budget.",
    ),
    ("1", "Rain delayed the harvest by two weeks.", "The harvest was held up two weeks by rain."),
    (
        "0",
        "The council approved the new budget on Friday.",
        "The zoo bought a second giraffe last spring.",
    ),
    (
        "0",
        "Shares of the miner rose 4 percent.",
        "Shares of the miner fell 9 percent after the report.",
    ),
]


def _write_table(folder: Path, rows=ROWS, bom: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pairs.txt"
    lines = [HEADER] + [f"{q}\t{i}\t{i + 100}\t{a}\t{b}" for i, (q, a, b) in enumerate(rows)]
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_tables_are_found_by_header_recursively(tmp_path: Path):
    table = _write_table(tmp_path / "nested" / "deeper")
    (tmp_path / "notes.txt").write_text("Quality is not a header here\n", encoding="utf-8")
    assert find_tables(tmp_path) == [table]
    pairs = read_pairs(tmp_path)
    assert [p.label for p in pairs] == [True, True, False, False]
    assert pairs[0].second.startswith("On Friday")


def test_a_malformed_line_is_skipped(tmp_path: Path):
    path = _write_table(tmp_path, bom=False)
    path.write_text(path.read_text(encoding="utf-8") + "x\tonly two\n", encoding="utf-8")
    assert len(read_pairs(tmp_path)) == len(ROWS)


def test_a_folder_without_tables_is_an_eval_data_error(tmp_path: Path):
    with pytest.raises(EvalDataError):
        evaluate("mrpc", tmp_path, Settings())


def test_scores_and_baseline_are_reported(tmp_path: Path):
    _write_table(tmp_path)
    result = evaluate("mrpc", tmp_path, Settings())
    assert result["dataset"] == "mrpc" and result["n"] == len(ROWS)
    # Both paraphrases found and the unrelated pair rejected; the changed-figure pair sits
    # near the cut, which leans to recall because it was chosen for F1 (the target).
    assert result["recall"] == 1.0 and result["accuracy"] >= 0.75
    assert result["precision"] >= 2 / 3
    assert set(result["baseline"]) >= {"accuracy", "f1"}


def test_the_cli_prints_one_json_object(tmp_path: Path):
    _write_table(tmp_path)
    outcome = CliRunner().invoke(cli, ["eval", "mrpc", "--data", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output
    assert json.loads(outcome.output)["n"] == len(ROWS)


def test_accuracy_and_f1_by_hand():
    scores = accuracy_f1([True, True, False, False], [True, False, True, False])
    assert scores["accuracy"] == 0.5 and scores["f1"] == 0.5
