"""The delayed second look at small stories (relink.py): a report that founded a story of
its own but reads as part of an established story joins it once the stream has moved on;
an unrelated story stays apart, a corrected one is left alone, the established story keeps
its id; a report alone in its event re-decides its story on that late look."""

from __future__ import annotations

import pytest

from storyline.cluster import events as events_module
from storyline.cluster import relink
from storyline.cluster.events import Clusterer
from storyline.cluster.signals import build_signals
from storyline.store import Store
from tests.conftest import record_story_move, unit_vector

# Invented: a flood story, a late report on its rebuilding, and an unrelated harbour strike.
FLOOD = [
    "Flood waters rose through Harnby on Monday after the river Teal burst its banks, "
    "and mayor Odile Frane ordered the Harnby school closed.",
    "In Harnby the flood reached the market square; mayor Odile Frane said the Teal was "
    "still rising and rescue boats took families from Quarry Lane.",
]
REBUILDING = (
    "Three months after the Teal flood, Harnby mayor Odile Frane opened the rebuilt Quarry "
    "Lane bridge and promised new flood walls along the river."
)
STRIKE = [
    "Dock workers in Pelmar walked out on Tuesday, closing the port of Dosca, union leader "
    "Tobiah Renn said, over a pay offer from the harbour board.",
    "The Dosca port strike entered its second day as Tobiah Renn and the Pelmar harbour board "
    "met for talks on pay and night shifts.",
    "Tobiah Renn called off the Dosca port strike after the Pelmar harbour board raised its "
    "pay offer for night shifts.",
]


def _signal(article_id: str, text: str, day: str, seed: int):
    return build_signals(article_id, None, text, day, unit_vector(seed))


@pytest.fixture
def stray(monkeypatch: pytest.MonkeyPatch):
    """A store where the rebuilding report founded a story of its own (story links switched
    off while it arrived), beside the flood story and before the strike's reports."""
    monkeypatch.setattr(relink, "STRAY_STORY_SIZE", 2)
    monkeypatch.setattr(relink, "STRAY_DELAYS", (2,))
    with Store(":memory:") as store:
        clusterer = Clusterer(store)
        flood = [_signal(f"flood-{n}", text, "2030-03-02", 1) for n, text in enumerate(FLOOD)]
        with monkeypatch.context() as patch, store.transaction():
            patch.setattr(events_module, "STORY_THRESHOLD", 9.0)
            patch.setattr(relink, "STORY_RELINK_THRESHOLD", 9.0)
            patch.setattr(relink, "REHOME_MARGIN", 9.0)
            patch.setattr(relink, "STRAY_DELAYS", ())
            story_of = {a.article_id: clusterer.add(a).story_id for a in flood}
            story_of["late"] = clusterer.add(_signal("late", REBUILDING, "2030-06-10", 1)).story_id
        yield store, clusterer, story_of


def _strike(clusterer: Clusterer, store: Store) -> dict[str, str]:
    strike = [_signal(f"strike-{n}", text, "2030-06-11", 2) for n, text in enumerate(STRIKE)]
    with store.transaction():
        return {a.article_id: clusterer.add(a).story_id for a in strike}


def _story_now(store: Store, article_id: str) -> str:
    row = store.db.execute(
        "SELECT e.story FROM event_articles a JOIN events e ON e.id = a.event_id"
        " WHERE a.article_id = ?",
        (article_id,),
    ).fetchone()
    return str(row[0])


def test_a_stray_finds_the_established_story_and_an_unrelated_one_does_not(stray):
    _store, clusterer, story_of = stray
    state = clusterer.state
    assert story_of["late"] != story_of["flood-0"] == story_of["flood-1"]
    late = state.story(story_of["late"])
    assert late is not None and late.size == 1
    assert relink.stray_home(state, late) == story_of["flood-0"]


def test_a_stray_joins_its_story_once_the_stream_moved_on(stray):
    store, clusterer, story_of = stray
    strike = _strike(clusterer, store)
    assert _story_now(store, "late") == story_of["flood-0"]  # the flood story keeps its id
    gone = store.db.execute("SELECT 1 FROM stories WHERE id = ?", (story_of["late"],))
    assert gone.fetchone() is None
    flood = clusterer.state.story(story_of["flood-0"])
    assert flood is not None and flood.size == 3
    # The strike is a story of its own, never pulled into the flood.
    assert {_story_now(store, a) for a in strike} == {strike["strike-0"]}
    assert strike["strike-0"] != story_of["flood-0"]


def test_a_story_grown_past_a_stray_or_too_young_a_home_is_left(stray, monkeypatch):
    _store, clusterer, story_of = stray
    state = clusterer.state
    late = state.story(story_of["late"])
    assert late is not None
    monkeypatch.setattr(relink, "STRAY_SIZE", 0)
    assert relink.stray_home(state, late) is None
    monkeypatch.setattr(relink, "STRAY_SIZE", 2)
    monkeypatch.setattr(relink, "STRAY_STORY_SIZE", 3)
    assert relink.stray_home(state, late) is None


def test_a_corrected_stray_stays_apart(stray):
    store, clusterer, story_of = stray
    record_story_move(store, story_of["late"])
    _strike(clusterer, store)
    assert _story_now(store, "late") == story_of["late"]


def test_the_report_due_a_look_is_the_one_that_arrived_that_many_articles_ago(stray):
    _store, clusterer, _story_of = stray
    state = clusterer.state
    assert state.clock == 3
    # Articles are filed at the clock after their tick (1, 2, 3); STRAY_DELAYS is (2,).
    assert relink.arrived_before(state) == ["flood-0"]
    state.tick()
    assert relink.arrived_before(state) == ["flood-1"]


def test_a_lone_report_re_decides_its_story_on_the_late_look(stray, monkeypatch):
    store, clusterer, story_of = stray
    monkeypatch.setattr(relink, "STRAY_SIZE", 0)  # no stray look: only the late rehome
    _strike(clusterer, store)
    assert _story_now(store, "late") == story_of["flood-0"]


def test_without_the_late_looks_a_lone_report_stays_where_it_began(stray, monkeypatch):
    store, clusterer, story_of = stray
    monkeypatch.setattr(relink, "STRAY_SIZE", 0)
    monkeypatch.setattr(relink, "LATE_REHOME_SIZES", frozenset())
    _strike(clusterer, store)
    assert _story_now(store, "late") == story_of["late"]
