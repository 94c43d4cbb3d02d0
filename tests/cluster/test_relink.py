"""The second looks at stories (relink.py): a story begun apart from its twin is found and
merged, an unrelated story is not, corrected stories are left alone, and an event taken
out of a story leaves the summary of the rest."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.cluster import events as events_module
from storyline.cluster import relink
from storyline.cluster.events import Clusterer, empty_summary, grow
from storyline.cluster.signals import build_signals
from storyline.store import Store
from tests.conftest import record_story_move, unit_vector

# An invented flood story told in two turns months apart, and an unrelated harbour strike.
FLOOD_MARCH = [
    "Flood waters rose through Harnby on Monday after the river Teal burst its banks, "
    "and mayor Odile Frane ordered the Harnby school closed.",
    "In Harnby the flood reached the market square; mayor Odile Frane said the Teal was "
    "still rising and rescue boats took families from Quarry Lane.",
]
FLOOD_JUNE = [
    "Three months after the Teal flood, Harnby mayor Odile Frane opened the rebuilt Quarry "
    "Lane bridge and promised new flood walls along the river.",
    "Harnby families who lost homes in the Teal flood moved back to Quarry Lane, mayor Odile "
    "Frane said, as the flood walls went up.",
]
STRIKE = [
    "Dock workers in Pelmar walked out on Tuesday, closing the port of Dosca, union leader "
    "Tobiah Renn said, over a pay offer from the harbour board.",
    "The Dosca port strike entered its second day as Tobiah Renn and the Pelmar harbour board "
    "met for talks on pay and night shifts.",
]


def _signals(prefix: str, texts: list[str], day: str, vector: np.ndarray):
    return [build_signals(f"{prefix}-{n}", None, text, day, vector) for n, text in enumerate(texts)]


@pytest.fixture
def apart(monkeypatch: pytest.MonkeyPatch):
    """A store where every new event founded its own story (story links switched off while
    streaming): the flood's two turns are two stories, the strike a third."""
    flood, strike = unit_vector(1), unit_vector(2)
    stream = (
        _signals("march", FLOOD_MARCH, "2030-03-02", flood)
        + _signals("strike", STRIKE, "2030-03-03", strike)
        + _signals("june", FLOOD_JUNE, "2030-06-10", flood)
    )
    with Store(":memory:") as store:
        clusterer = Clusterer(store)
        with monkeypatch.context() as patch:
            patch.setattr(events_module, "STORY_THRESHOLD", 9.0)
            patch.setattr(relink, "STORY_RELINK_THRESHOLD", 9.0)
            patch.setattr(relink, "REHOME_MARGIN", 9.0)
            with store.transaction():
                story_of = {a.article_id: clusterer.add(a).story_id for a in stream}
        yield store, clusterer, story_of


def test_a_story_finds_its_twin_and_not_an_unrelated_story(apart):
    _store, clusterer, story_of = apart
    assert len({story_of["march-0"], story_of["june-0"], story_of["strike-0"]}) == 3
    march = clusterer.state.story(story_of["march-0"])
    assert relink.mates(clusterer.state, march) == [story_of["june-0"]]


def test_a_corrected_story_is_not_relinked(apart):
    store, clusterer, story_of = apart
    record_story_move(store, story_of["june-0"])
    march = clusterer.state.story(story_of["march-0"])
    assert relink.corrected(clusterer.state, story_of["june-0"])
    assert not relink.corrected(clusterer.state, story_of["march-0"])
    assert relink.mates(clusterer.state, march) == []


# Invented: a flood report that reads as both turns of the flood story.
BRIDGE = (
    "Mayor Odile Frane said Harnby was still counting the cost of the Teal flood as "
    "Quarry Lane families waited for the rebuilt bridge and new flood walls."
)


def _bridge(clusterer: Clusterer, store: Store):
    vector = unit_vector(1) + 0.35 * unit_vector(7)
    with store.transaction():
        return clusterer.add(
            build_signals("bridge-0", None, BRIDGE, "2030-04-28", vector / np.linalg.norm(vector))
        )


def test_an_event_between_two_stories_merges_them(apart):
    store, clusterer, story_of = apart
    _bridge(clusterer, store)
    stories = {row[0] for row in store.db.execute("SELECT id FROM stories")}
    assert len(stories & {story_of["march-0"], story_of["june-0"]}) == 1


def test_an_event_between_two_stories_never_merges_a_corrected_one(apart):
    store, clusterer, story_of = apart
    record_story_move(store, story_of["june-0"])
    _bridge(clusterer, store)
    stories = {row[0] for row in store.db.execute("SELECT id FROM stories")}
    assert {story_of["march-0"], story_of["june-0"]} <= stories


def test_stories_are_reexamined_at_geometric_sizes():
    checked = [size for size in range(1, 60) if relink.due(size)]
    assert checked[0] == relink.RELINK_FIRST
    gaps = np.diff(checked)
    assert (gaps >= 1).all() and gaps[-1] > gaps[0]  # looks grow rarer as the story grows


def test_taking_an_event_out_of_a_story_leaves_the_rest():
    with Store(":memory:") as store:
        state = Clusterer(store).state
        flood, strike = unit_vector(1), unit_vector(2)
        first = state.profile(_signals("march", FLOOD_MARCH[:1], "2030-03-02", flood)[0])
        other = state.profile(_signals("strike", STRIKE[:1], "2030-03-03", strike)[0])
        story = grow(grow(empty_summary("s"), first, state.term_of), other, state.term_of)
        rest = relink.without(story, other, state.term_of)
        assert rest.size == 1
        np.testing.assert_allclose(rest.vector, first.vector, atol=1e-6)
        assert set(rest.names.ids.tolist()) == set(first.names.ids.tolist())


def test_an_event_alone_in_its_story_moves_to_the_story_it_reads_as(apart):
    _store, clusterer, story_of = apart
    state = clusterer.state
    june = state.event(state.event_of("june-0") or "")
    strike = state.event(state.event_of("strike-0") or "")
    assert june is not None and strike is not None
    assert relink.better_story(state, june) == story_of["march-0"]
    assert relink.better_story(state, strike) is None
