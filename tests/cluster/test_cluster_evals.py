"""The clustering evaluations read their layouts (hand-made folders, invented text)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from storyline.errors import EvalDataError
from storyline.evaluate.ecbplus import read_ecbplus
from storyline.evaluate.timeline17 import find_topics, read_articles


def _ecb_file(path: Path, words: list[str]) -> None:
    tokens = "".join(
        f'<token t_id="{i}" sentence="{i // 4}" number="{i % 4}">{w}</token>'
        for i, w in enumerate(words)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<Document doc_name="{path.name}">{tokens}</Document>')


def test_ecbplus_reader_finds_both_kinds_by_name(tmp_path: Path):
    first = ["A", "dam", "burst", "in", "Ferrow", "on", "Monday", "."]
    _ecb_file(tmp_path / "3" / "3_1ecb.xml", first)
    _ecb_file(tmp_path / "3" / "3_2ecbplus.xml", ["Another", "dam", "burst", "in", "Lisk", "."])
    (tmp_path / "3" / "notes.xml").write_text("<x/>")
    documents = read_ecbplus(tmp_path)
    assert [(d.topic, d.kind) for d in documents] == [("3", "ecb"), ("3", "ecbplus")]
    assert documents[0].text.splitlines()[0] == "A dam burst in"


def test_ecbplus_reader_refuses_an_empty_folder(tmp_path: Path):
    with pytest.raises(EvalDataError):
        read_ecbplus(tmp_path)


def test_timeline17_reader_reads_plain_and_gzipped_articles(tmp_path: Path):
    plain = tmp_path / "storm_outletA"
    zipped = tmp_path / "nested" / "storm_outletB"
    for folder in (plain, zipped):
        folder.mkdir(parents=True)
        (folder / "timelines.jsonl").write_text("[]\n")
    record = {"id": "7", "time": "2012-01-02", "text": "A storm reached Pellam ."}
    (plain / "articles.jsonl").write_text(json.dumps(record) + "\n")
    with gzip.open(zipped / "articles.tokenized.jsonl.gz", "wt") as out:
        out.write(json.dumps(record) + "\n")
    topics = find_topics(tmp_path)
    assert [t.topic for t in topics] == ["storm", "storm"]
    articles = [a for t in topics for a in read_articles(t)]
    assert sorted(a.id for a in articles) == ["storm_outletA/7", "storm_outletB/7"]
    assert {a.time for a in articles} == {"2012-01-02"}
