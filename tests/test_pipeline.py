"""The stages' declared tables: in flow order, and all in the store's schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.pipeline import INGESTED, STAGES, Stage, check_stages
from storyline.store import Store


def _tables(tmp_path: Path) -> set[str]:
    with Store(tmp_path / "schema.db") as store:
        rows = store.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in rows}


def test_every_declared_table_exists_in_the_schema(tmp_path: Path) -> None:
    declared = set(INGESTED).union(*(set(s.reads) | set(s.writes) for s in STAGES))
    assert declared <= _tables(tmp_path)


def test_a_stage_reading_what_only_a_later_stage_writes_is_refused() -> None:
    def nothing(*_: object) -> None:
        return None

    early = Stage("early", nothing, reads=("articles", "mentions"))
    late = Stage("late", nothing, writes=("mentions",))
    check_stages([late, early])
    with pytest.raises(ValueError, match="'early' reads \\['mentions'\\]"):
        check_stages([early, late])
