"""`storyline duplicates` as scripts drive it: the contract's JSON and the aligned pairs."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from storyline.cli import cli


def _run(db, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_duplicates_json_lists_the_rewrite(seeded):
    opened, ids = seeded
    outcome = _run(opened.settings.db_path, "duplicates", "--json")
    assert outcome.exit_code == 0, outcome.output
    rows = json.loads(outcome.output)
    assert [(r["article"], r["of"], r["kind"]) for r in rows] == [
        (ids["001"], ids["000"], "rewrite")
    ]
    assert set(rows[0]) >= {"article", "of", "kind", "score", "rule", "pairs"}


def test_pairs_show_the_aligned_sentences(seeded):
    opened, ids = seeded
    outcome = _run(opened.settings.db_path, "duplicates", "--pairs", ids["001"], "--json")
    assert outcome.exit_code == 0, outcome.output
    (relation,) = json.loads(outcome.output)
    copy, original = opened.article(ids["001"]), opened.article(ids["000"])
    assert relation["of"] == ids["000"]
    for pair in relation["aligned"]:
        assert pair["article_text"] == copy.sentences[pair["article_sentence"]].text
        assert pair["original_text"] == original.sentences[pair["original_sentence"]].text


def test_pairs_of_an_article_that_copies_nothing_is_a_one_line_error(seeded):
    opened, ids = seeded
    outcome = subprocess.run(
        [
            sys.executable,
            "-m",
            "storyline",
            "--db",
            str(opened.settings.db_path),
            "duplicates",
            "--pairs",
            ids["000"],
        ],
        capture_output=True,
        text=True,
    )
    assert outcome.returncode == 1
    assert "copies nothing" in outcome.stderr
    assert len(outcome.stderr.strip().splitlines()) == 1


def test_text_listing_names_kind_and_original(seeded):
    opened, ids = seeded
    outcome = _run(opened.settings.db_path, "duplicates")
    assert outcome.exit_code == 0
    assert f"{ids['001']} rewrite of {ids['000']}" in outcome.output
