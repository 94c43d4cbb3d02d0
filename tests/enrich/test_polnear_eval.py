"""`storyline eval polnear` on a tiny brat folder written here (invented text)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.errors import EvalDataError
from storyline.evaluate import evaluate
from storyline.settings import Settings

TEXT = (
    "The harbour master said that the pier would close. Ships will wait offshore, officials said. "
    "According to the port authority, fuel prices rose.\n"
)


def _span(text: str, fragment: str) -> str:
    start = text.index(fragment)
    return f"{start} {start + len(fragment)}"


def _write_split(root: Path, split: str, wrong: bool = False) -> None:
    (root / split / "text").mkdir(parents=True)
    (root / split / "attributions").mkdir(parents=True)
    (root / split / "text" / "harbour-news.txt").write_text(TEXT, encoding="utf-8")
    content = "the pier would close" if wrong else "that the pier would close"
    lines = [
        f"T1\tSource {_span(TEXT, 'The harbour master')}\tThe harbour master",
        f"T2\tCue {_span(TEXT, 'said')}\tsaid",
        f"T3\tContent {_span(TEXT, content)}\t{content}",
        f"T4\tSource {_span(TEXT, 'officials')}\tofficials",
        f"T5\tCue {TEXT.rindex('said')} {TEXT.rindex('said') + 4}\tsaid",
        f"T6\tContent {_span(TEXT, 'Ships will wait offshore')}\tShips will wait offshore",
        f"T7\tSource {_span(TEXT, 'the port authority')}\tthe port authority",
        f"T8\tCue {_span(TEXT, 'According to')}\tAccording to",
        f"T9\tContent {_span(TEXT, 'fuel prices rose')}\tfuel prices rose",
        "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3",
    ]
    (root / split / "attributions" / "harbour-news_ab12.ann").write_text(
        "\n".join(lines) + "\n", encoding="utf-8"
    )


def test_scores_dev_split_and_skips_train(tmp_path):
    _write_split(tmp_path, "dev")
    _write_split(tmp_path, "train", wrong=True)
    result = evaluate("polnear", tmp_path, Settings())
    json.dumps(result)
    assert result["dataset"] == "polnear" and result["n"] == 1
    assert result["cue_f1"] == 1.0
    assert result["source_f1"] == 1.0
    assert result["content_f1"] == 1.0
    assert set(result["baseline"]) >= {"source_f1", "cue_f1", "content_f1"}
    # The baseline knows only "say": "according to" escapes it.
    assert result["baseline"]["source_f1"] < 1.0


def test_folder_without_the_layout_is_an_error(tmp_path):
    _write_split(tmp_path, "train")
    with pytest.raises(EvalDataError):
        evaluate("polnear", tmp_path, Settings())
