"""The stage clock charges each stage its own CPU time, nested stages apart."""

from __future__ import annotations

import time

import pytest

from storyline import timing


def _burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


@pytest.fixture(autouse=True)
def _fresh_clock() -> None:
    timing.reset()


def test_a_nested_stage_is_charged_to_itself_not_its_parent() -> None:
    with timing.stage("outer"):
        _burn(0.05)
        with timing.stage("inner"):
            assert timing.current() == "inner"
            _burn(0.1)
        assert timing.current() == "outer"
    totals = timing.totals()
    assert 0.09 <= totals["inner"] < 0.15
    assert 0.04 <= totals["outer"] < 0.09  # without the inner stage's 0.1 s
    assert timing.current() is None


def test_timed_charges_the_time_spent_producing_each_item() -> None:
    def slow_reader():
        for number in range(3):
            _burn(0.03)
            yield number

    seen = []
    for item in timing.timed("read", slow_reader()):
        with timing.stage("use"):
            _burn(0.01)
        seen.append(item)
    assert seen == [0, 1, 2]
    assert 0.08 <= timing.totals()["read"] < 0.14
    assert 0.025 <= timing.totals()["use"] < 0.06


def test_a_workers_totals_are_added() -> None:
    with timing.stage("parse"):
        pass
    timing.add({"parse": 1.5, "entities": 0.25})
    assert timing.totals()["parse"] >= 1.5
    assert timing.totals()["entities"] == 0.25
