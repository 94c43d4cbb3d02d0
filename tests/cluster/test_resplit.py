"""The second look at a growing event (resplit.py): a mixed event of two same-kind
happenings is split in two; one happening, or an event an analyst corrected, is left alone."""

from __future__ import annotations

import random

import numpy as np
import pytest

from storyline import Storyline
from storyline.cluster import events as events_module
from storyline.cluster import halves, merge, resplit
from storyline.cluster.signals import build_signals
from storyline.cluster.state import ClusterState
from storyline.evaluate.streaming import order_agreement, run_stream
from storyline.models import RawDocument

# Two invented floods: the same kind of happening, told in the same words, in two
# different towns with different people.
NORTH = [
    "Flood waters rose through Harnby on Monday after the river Teal burst its banks, "
    "and mayor Odile Frane ordered the Harnby school closed.",
    "In Harnby the flood reached the market square; mayor Odile Frane said the Teal was "
    "still rising and rescue boats took families from Quarry Lane.",
    "Harnby counted the flood damage as the Teal fell back; Odile Frane asked the province "
    "for help rebuilding the Quarry Lane bridge.",
    "Rescue boats in Harnby carried 40 residents from Quarry Lane to the school gym, mayor "
    "Odile Frane said, as the Teal flood crested.",
]
SOUTH = [
    "Flood waters swept through Veldrin when the river Osk overflowed, and fire chief "
    "Bram Tesse evacuated the Veldrin hospital.",
    "The Osk flood cut the Veldrin ring road; chief Bram Tesse said rescue boats reached "
    "the Millbrook estate before dawn.",
    "Veldrin began pumping out the Millbrook estate after the Osk flood, Bram Tesse said, "
    "and the hospital reopened its wards.",
    "Bram Tesse said 25 Veldrin families from Millbrook stayed in shelters as the Osk "
    "flood waters slowly drained.",
]


def _signals(texts: list[tuple[str, str]]):
    # One shared vector: the embedding reads both floods as the same kind of news, so
    # only the words and names can tell them apart.
    vector = np.ones(384, dtype=np.float32) / np.sqrt(384)
    return [build_signals(key, None, text, None, vector) for key, text in texts]


def _stream() -> list[tuple[str, str]]:
    north = [(f"north-{n}", t) for n, t in enumerate(NORTH)]
    south = [(f"south-{n}", t) for n, t in enumerate(SOUTH)]
    return [item for pair in zip(north, south, strict=True) for item in pair]


def _groups(events: dict[str, str]) -> list[set[str]]:
    members: dict[str, set[str]] = {}
    for article, event in events.items():
        members.setdefault(event, set()).add(article.split("-")[0])
    return sorted(members.values(), key=sorted)


def test_two_interleaved_floods_end_as_two_events():
    events, stories = run_stream(_signals(_stream()))
    assert _groups(events) == [{"north"}, {"south"}]
    assert len(set(stories.values())) == 1


def test_a_mixed_event_is_split_by_the_second_look(monkeypatch: pytest.MonkeyPatch):
    # A join threshold the shared vector alone passes: every report joins the first event,
    # as the first report of a second happening may when only the first one's event exists.
    monkeypatch.setattr(events_module, "EVENT_THRESHOLD", 0.25)
    events, _ = run_stream(_signals(_stream()))
    assert _groups(events) == [{"north"}, {"south"}]
    monkeypatch.setattr(halves, "SPLIT_RATIO", 0.0)
    events, _ = run_stream(_signals(_stream()))
    assert _groups(events) == [{"north", "south"}]


def _two_blocks(first: int, second: int) -> np.ndarray:
    """Similarities of two groups of members: 0.6 within a group, 0.1 across."""
    size = first + second
    blocks = np.full((size, size), 0.1)
    blocks[:first, :first] = blocks[first:, first:] = 0.6
    np.fill_diagonal(blocks, 0.0)
    return blocks


def test_bisection_finds_two_blocks_and_leaves_one_group_alone():
    other = halves.bisection(_two_blocks(4, 4), resplit.SPLIT_MIN_PART)
    assert other is not None and other.tolist() == [False] * 4 + [True] * 4
    uniform = np.full((8, 8), 0.5)
    np.fill_diagonal(uniform, 0.0)
    assert halves.bisection(uniform, resplit.SPLIT_MIN_PART) is None


def test_a_lone_odd_member_is_no_second_happening():
    similarity = np.full((7, 7), 0.6)
    similarity[6, :] = similarity[:, 6] = 0.05
    np.fill_diagonal(similarity, 0.0)
    assert halves.bisection(similarity, resplit.SPLIT_MIN_PART) is None


def test_a_pair_of_reports_of_another_happening_is_split_off():
    # Two reports are enough to show a second happening (a follow-up meeting, another
    # flood); one odd report alone is not.
    other = halves.bisection(_two_blocks(3, 2), resplit.SPLIT_MIN_PART)
    assert other is not None and other.tolist() == [False] * 3 + [True] * 2


def test_two_reports_of_a_second_flood_leave_the_first_floods_event(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(events_module, "EVENT_THRESHOLD", 0.25)  # every report joins at first
    north = [(f"north-{n}", t) for n, t in enumerate(NORTH[:3])]
    south = [(f"south-{n}", t) for n, t in enumerate(SOUTH[:2])]
    events, stories = run_stream(_signals(north + south))
    assert _groups(events) == [{"north"}, {"south"}]
    assert len(set(stories.values())) == 1


def test_checks_come_at_a_few_growing_sizes():
    sizes = sorted(resplit.CHECKPOINTS)
    assert sizes[0] >= 2 * resplit.SPLIT_MIN_PART
    assert sizes[-1] <= resplit.SPLIT_LARGEST
    assert len(sizes) <= 10  # a few checks per event: bounded work per article
    assert not resplit.due(resplit.SPLIT_LARGEST + 1, 1)


def test_an_event_an_analyst_merged_into_is_not_re_split(storyline: Storyline):
    documents = [
        RawDocument(source=f"hand/{key}.txt", text=text, title=None, published=None)
        for key, text in _stream()[:4]
    ]
    storyline.ingest_documents(documents)
    events = storyline.events()
    state = ClusterState(storyline.store)
    keep = events[0].id
    assert not resplit.corrected(state, state.event(keep))
    if len(events) > 1:
        keep = merge(storyline.store, keep, events[1].id)
    else:
        storyline.store.db.execute(
            "INSERT INTO corrections (kind, target, articles, at) VALUES ('merge', ?, '[]', '')",
            (keep,),
        )
    assert resplit.corrected(state, state.event(keep))


def test_shuffled_orders_end_in_the_same_two_events(monkeypatch: pytest.MonkeyPatch):
    # Permissive joining: whatever the order, the floods mix at first and only the second
    # look separates them, the same way every time.
    monkeypatch.setattr(events_module, "EVENT_THRESHOLD", 0.25)
    signals = _signals(_stream())
    for seed in (1, 2, 3):
        shuffled = list(signals)
        random.Random(seed).shuffle(shuffled)
        events, _ = run_stream(shuffled)
        assert _groups(events) == [{"north"}, {"south"}]
    agreement = order_agreement(signals)
    assert agreement == {"events_bcubed_f1": 1.0, "stories_bcubed_f1": 1.0}
