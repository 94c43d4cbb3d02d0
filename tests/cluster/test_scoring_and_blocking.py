"""Scoring many candidates at once and the blocking ranking, on hand-made signals."""

from __future__ import annotations

import pytest

from storyline.cluster.index import POSTING_LIMIT
from storyline.cluster.scoring import (
    EVENT_DAYS,
    STORY_DAYS,
    Probe,
)
from storyline.cluster.signals import build_signals
from storyline.cluster.state import ClusterState
from storyline.store import Store
from tests.conftest import unit_vector

TEXTS = [
    "Mayor Odile Frane opened the Harnby ferry terminal on Friday after two years of work.",
    "The Harnby ferry terminal opened; Odile Frane cut the ribbon as the first boat left.",
    "Fire chief Bram Tesse closed the Veldrin hospital wing after a kitchen fire on Sunday.",
    "Veldrin reopened its market square after the spring fair, organisers said.",
]


@pytest.fixture
def state():
    with Store(":memory:") as store:
        yield ClusterState(store)


def test_scoring_many_at_once_equals_scoring_one_by_one(state: ClusterState):
    signals = [
        build_signals(f"a{n}", None, text, f"2030-0{n + 1}-01", unit_vector(n))
        for n, text in enumerate(TEXTS)
    ]
    for article in signals:
        state.count_document(article)
    profiles = [state.profile(s) for s in signals]
    with Probe(profiles[0], state) as probe:
        together = probe.similarities(profiles[1:], EVENT_DAYS)
        one_by_one = [probe.similarity(other, EVENT_DAYS) for other in profiles[1:]]
        # Float32 embeddings: the batched product rounds a little differently.
        assert together == pytest.approx(one_by_one, abs=1e-5)
        assert probe.text_similarities([]).size == 0
        # The two ferry reports share names and words; the fire report shares almost none.
        texts = probe.text_similarities(profiles[1:])
        assert texts[0] > texts[1]
        # A month apart is far at the event scale, near at the story scale.
        assert probe.similarities(profiles[1:2], STORY_DAYS)[0] > together[0]


def test_best_blocked_ranks_by_shared_keys_and_reads_only_recent_postings(state: ClusterState):
    state.post(["k1", "k2", "k3"], "event-b")
    state.post(["k1"], "event-a")
    state.post(["k2", "k3"], "event-c")
    assert state.best_blocked(["k1", "k2", "k3"], limit=10) == ["event-b", "event-c", "event-a"]
    assert state.best_blocked(["k1", "k2", "k3"], limit=2) == ["event-b", "event-c"]
    assert state.best_blocked([], limit=5) == []
    for number in range(POSTING_LIMIT + 5):
        state.tick()
        state.post(["busy"], f"event-{number:03d}")
    found = state.best_blocked(["busy"], limit=1000)
    assert len(found) == POSTING_LIMIT
    assert "event-000" not in found and f"event-{POSTING_LIMIT + 4:03d}" in found
