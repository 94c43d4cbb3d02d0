"""`storyline eval timeline17` on a hand-made folder in the Timeline17 layout (invented text),
and the parts it is built from."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from storyline.errors import EvalDataError
from storyline.evaluate import evaluate
from storyline.evaluate.timeline_tls import detokenise
from storyline.settings import Settings
from storyline.synthesise.datewise import Sentence, pick_sentences, rank_dates

ARTICLES = [
    {
        "id": "1",
        "time": "2030-05-02",
        "text": "The Larkspur dam burst on May 1 , flooding the lower town of Ebbridge .\n"
        "Rescue teams reached the lower town on May 1 , hours after the Larkspur dam burst .\n"
        "Officials said the reservoir behind the dam had been rising for weeks .",
    },
    {
        "id": "2",
        "time": "2030-05-04",
        "text": "Engineers sealed the Larkspur breach with steel plates on May 3 .\n"
        "The Larkspur repair on May 3 took eleven hours , the water board said .\n"
        "Residents of Ebbridge began returning to their flooded homes .",
    },
    {
        "id": "3",
        "time": "2030-05-06",
        "text": "A public inquiry into the Larkspur dam failure opened on May 6 in Ebbridge .\n"
        "The inquiry heard that two safety inspections of the dam had been skipped .",
    },
]
GOLD = [
    ["2030-05-01", ["The Larkspur dam burst , flooding the lower town ."]],
    ["2030-05-03", ["Engineers sealed the breach in the Larkspur dam ."]],
    ["2030-05-06", ["A public inquiry into the dam failure opened ."]],
]


def _folder(root: Path) -> Path:
    folder = root / "nested" / "dam_gazette"
    folder.mkdir(parents=True)
    (folder / "articles.jsonl").write_text(
        "\n".join(json.dumps(a) for a in ARTICLES), encoding="utf-8"
    )
    (folder / "timelines.jsonl").write_text(json.dumps(GOLD) + "\n", encoding="utf-8")
    (folder / "keywords.json").write_text(json.dumps(["Larkspur"]), encoding="utf-8")
    return folder


def test_eval_scores_a_folder_found_recursively(tmp_path: Path) -> None:
    _folder(tmp_path)
    result = evaluate("timeline17", tmp_path, Settings(db_path=tmp_path / "unused.db"))
    assert result["dataset"] == "timeline17" and result["n"] == 1
    assert result["date_f1"] == pytest.approx(1.0)
    assert 0.3 < result["ar1_f"] <= 1.0 and 0.0 < result["ar2_f"] <= result["ar1_f"]
    assert {"date_f1", "ar1_f", "ar2_f"} <= set(result["baseline"])


def test_eval_without_timeline_folders_says_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(EvalDataError):
        evaluate("timeline17", tmp_path, Settings(db_path=tmp_path / "unused.db"))


def test_dates_rank_by_mentions_within_the_gold_span() -> None:
    day = dt.date
    pool = [
        Sentence("a", day(2030, 5, 2), 0, (day(2030, 5, 1),)),
        Sentence("b", day(2030, 5, 2), 1, (day(2030, 5, 1), day(2029, 1, 1))),
        Sentence("c", day(2030, 5, 4), 0, (day(2030, 5, 3),)),
    ]
    ranked = rank_dates(pool, day(2030, 5, 1), day(2030, 5, 6))
    assert ranked[0] == day(2030, 5, 1)
    assert day(2029, 1, 1) not in ranked


def test_picked_sentences_do_not_repeat_each_other() -> None:
    published = dt.date(2030, 5, 2)
    texts = [
        "The dam burst and flooded the town .",
        "The dam burst and flooded the town , officials said .",
        "Rescue boats reached the flooded town at noon .",
    ]
    candidates = [Sentence(t, published, i, ()) for i, t in enumerate(texts)]
    picked = pick_sentences(candidates, 2)
    assert len(picked) == 2
    assert not {texts[0], texts[1]} <= set(picked)


def test_detokenise_rejoins_what_tokenising_split() -> None:
    assert detokenise("On May 5 , 2030 -LRB- a Sunday -RRB- , it 's over .") == (
        "On May 5, 2030 (a Sunday), it's over."
    )
