"""`storyline dates`: the contract's JSON shape, the --article filter, and a bad id."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPORT = """---
title: Harbour works
published: 2024-06-12
---
The harbour authority said on Monday that dredging, begun in 2019, will resume on Friday.
Work stopped for three weeks last month after a storm damaged the pier.
"""


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline", "--db", str(db), *args], capture_output=True, text=True
    )


def test_dates_json(tmp_path: Path) -> None:
    db = tmp_path / "dates.db"
    source = tmp_path / "harbour.md"
    source.write_text(REPORT)
    assert run("ingest", str(source), db=db).returncode == 0
    listing = run("dates", "--json", db=db)
    assert listing.returncode == 0, listing.stderr
    rows = json.loads(listing.stdout)
    assert all(set(row) >= {"article", "text", "value", "precision", "resolved"} for row in rows)
    by_text = {row["text"]: row for row in rows}
    assert by_text["Monday"]["value"] == "2024-06-10"
    assert by_text["Friday"]["value"] == "2024-06-14"
    assert by_text["2019"]["precision"] == "year"
    assert by_text["three weeks"]["kind"] == "duration"
    assert by_text["last month"]["value"] == "2024-05"

    article = rows[0]["article"]
    only = json.loads(run("dates", "--article", article, "--json", db=db).stdout)
    assert only == rows

    missing = run("dates", "--article", "nosuchid", "--json", db=db)
    assert missing.returncode == 1
    assert "no article" in missing.stderr
