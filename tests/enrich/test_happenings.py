"""Happenings: a date after "since" opens a standing state, it dates no happening (invented
report)."""

from __future__ import annotations

from pathlib import Path

from conftest import ingested_text

MILL = """---
title: Carrow mill owner fined
outlet: Carrow Herald
published: 2026-04-20
---
Harrow Paper, the company that has run the Carrow mill since 2011, was fined on Friday for dumping dye in the river.
The river has been closed to anglers since March 3, and the company has cut its workforce by a fifth since 2022.
Harrow Paper took over the mill in 2011 from a local cooperative.
Anglers say the water has smelled of chemicals since the dye first reached the weir last winter.
"""


def test_a_state_that_began_at_a_date_is_no_happening(tmp_path: Path) -> None:
    with ingested_text(tmp_path, "mill.md", MILL) as storyline:
        entries = {e.date: e.text for e in storyline.timeline()}
        resolved = {d.value for d in storyline.dates() if d.value}
    # The dates resolve; only the clauses they open ("has run … since") are not entries.
    assert {"2011", "2022", "2026-03-03"} <= resolved
    assert "2022" not in entries and "2026-03-03" not in entries
    # 2011 is an entry only for what happened then: the take-over, not "has run … since".
    assert "took over the mill" in entries["2011"] and "has run" not in entries["2011"]
    assert "fined on Friday" in entries["2026-04-17"]
    # A clause after "since" keeps its own date, told without the linking word.
    winter = next(text for date, text in entries.items() if "weir" in text)
    assert winter.startswith("The dye first reached the weir")


REJECTED = """---
title: Contractor rejects findings
outlet: Carrow Herald
published: 2026-09-16
---
Brill Concrete on Tuesday rejected the findings of the river inquiry, saying the samples it sent to the laboratory in 2019 were genuine.
"""


def test_another_date_inside_a_subject_leaves_no_gap(tmp_path: Path) -> None:
    with ingested_text(tmp_path, "rejected.md", REJECTED) as storyline:
        entries = {e.date: e.text for e in storyline.timeline()}
    # Cutting the 2019 clause would leave "saying … were genuine".
    assert (
        "saying the samples it sent to the laboratory in 2019 were genuine" in entries["2026-09-15"]
    )
    assert "2019" in entries
