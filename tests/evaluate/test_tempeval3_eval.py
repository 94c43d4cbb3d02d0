"""`storyline eval tempeval3`: reading TimeML and the TempEval-3 measures."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import EvalDataError
from storyline.evaluate import evaluate
from storyline.evaluate.tempeval3 import _score, read_timeml
from storyline.settings import Settings
from tests.conftest import BENCH

INVENTED = """<?xml version="1.0" ?>
<TimeML>
<DOCID>invented</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2021-04-09"
functionInDocument="CREATION_TIME">2021-04-09</TIMEX3></DCT>
<TEXT>
The lighthouse keeper retired
<TIMEX3 tid="t1" type="DATE" value="2021-04-08">yesterday</TIMEX3> after
<TIMEX3 tid="t2" type="DURATION" value="P30Y">30 years</TIMEX3> &amp; a party on
<TIMEX3 tid="t3" type="DATE" value="2021-04-06">Tuesday</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_read_timeml_offsets_and_anchor(tmp_path: Path) -> None:
    path = tmp_path / "doc.tml"
    path.write_text(INVENTED)
    document = read_timeml(path)
    assert document.creation.isoformat() == "2021-04-09"
    assert [(g.text, g.value) for g in document.timexes] == [
        ("yesterday", "2021-04-08"),
        ("30 years", "P30Y"),
        ("Tuesday", "2021-04-06"),
    ]
    for gold in document.timexes:
        assert document.text[gold.start : gold.end] == gold.text
    assert "&" in document.text


def test_evaluate_invented_document(tmp_path: Path) -> None:
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "doc.tml").write_text(INVENTED)
    result = evaluate("tempeval3", tmp_path, Settings())
    assert result["dataset"] == "tempeval3"
    assert result["n"] == 3
    assert result["strict_f1"] == 1.0
    assert result["value_f1"] == 1.0
    assert "relaxed_f1" in result["baseline"]


def test_scores_relaxed_strict_and_value() -> None:
    gold = [(0, 10, "2020"), (20, 30, "P2D"), (40, 50, "2021-01")]
    system = [(0, 10, "2020"), (22, 30, "P3D"), (60, 70, "1999")]
    scores = _score(gold, system)
    assert scores["relaxed_p"] == pytest.approx(2 / 3, abs=1e-3)
    assert scores["relaxed_r"] == pytest.approx(2 / 3, abs=1e-3)
    assert scores["strict_f1"] == pytest.approx(1 / 3, abs=1e-3)
    assert scores["value_f1"] == pytest.approx(1 / 3, abs=1e-3)


def test_folder_without_timeml_is_an_eval_data_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here")
    with pytest.raises(EvalDataError):
        evaluate("tempeval3", tmp_path, Settings())


@pytest.mark.skipif(not (BENCH / "tempeval3").is_dir(), reason="benchmark data not present")
def test_real_timeml_sample_beats_the_baseline(tmp_path: Path) -> None:
    for path in sorted((BENCH / "tempeval3").rglob("*.tml"))[:12]:
        (tmp_path / path.name).symlink_to(path)
    result = evaluate("tempeval3", tmp_path, Settings())
    assert result["relaxed_f1"] > 0.8
    assert result["relaxed_f1"] > result["baseline"]["relaxed_f1"]
    assert result["value_f1"] > result["baseline"]["value_f1"]
