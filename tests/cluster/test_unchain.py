"""The batch second look at a story's events (unchain.py): real ECB+ reports of two topics
of one kind, which the stream chains into one story, come out as stories of their own in
any arrival order; the store stays consistent; a small stray part stays with its story;
a story an analyst corrected is left whole."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from storyline import Settings, Storyline
from storyline.cluster import unchain
from storyline.cluster.events import Clusterer
from storyline.cluster.scoring import STORY_DAYS, pairwise_time_penalties, time_penalty
from storyline.cluster.signals import ArticleSignals
from storyline.evaluate.ecbplus import read_ecbplus
from storyline.evaluate.streaming import LabelledDocument, document_signals, run_stream
from storyline.store import Store
from tests.conftest import BENCH, record_story_move

ECBPLUS = BENCH / "ecbplus"
# Two ECB+ topics of one kind (read from ../shared/bench) that the stream alone chains
# into one story in every order tried.
CHAINED = ("21", "33")


@pytest.fixture(scope="module")
def chained_signals() -> list[ArticleSignals]:
    if not ECBPLUS.is_dir():
        pytest.skip("../shared/bench/ecbplus not found")
    documents = [
        LabelledDocument(f"{topic}/{d.path.name}", None, d.text, None, d.kind)
        for topic in CHAINED
        for d in read_ecbplus(ECBPLUS / topic)
    ]
    return document_signals(documents)


def _topics_per_story(stories: dict[str, str]) -> list[list[str]]:
    found: dict[str, set[str]] = {}
    for article, story in stories.items():
        found.setdefault(story, set()).add(article.split("/")[0])
    return sorted(sorted(topics) for topics in found.values())


def _shuffled(signals: list[ArticleSignals], seed: int) -> list[ArticleSignals]:
    order = list(signals)
    random.Random(seed).shuffle(order)
    return order


@pytest.mark.parametrize("seed", [1, 2])
def test_two_topics_chained_by_the_stream_become_stories_of_their_own(chained_signals, seed):
    _, stories = run_stream(_shuffled(chained_signals, seed))
    assert all(len(topics) == 1 for topics in _topics_per_story(stories))


def test_without_the_second_look_the_stream_chains_them(chained_signals, monkeypatch):
    monkeypatch.setattr(unchain, "SMALLEST_LINKED_PART", 10**6)
    _, stories = run_stream(_shuffled(chained_signals, 1))
    assert list(CHAINED) in _topics_per_story(stories)


def test_the_store_agrees_with_itself_after_a_cut(chained_signals):
    with Store(":memory:") as store:
        with store.transaction(), Clusterer(store) as clusterer:
            for article in _shuffled(chained_signals, 1):
                clusterer.add(article)
        stories = dict(store.query("SELECT id, size FROM stories"))
        counted = dict(
            store.query(
                "SELECT e.story, COUNT(*) FROM events e"
                " JOIN event_articles a ON a.event_id = e.id GROUP BY e.story"
            )
        )
        assert stories == counted  # no empty or miscounted story
        untitled = store.query(
            "SELECT s.id FROM stories s WHERE NOT EXISTS"
            " (SELECT 1 FROM events e WHERE e.story = s.id AND e.title = s.title)"
        )
        assert untitled == []  # every story is titled from one of its own events


def test_a_corrected_story_is_left_whole(chained_signals, monkeypatch):
    signals = _shuffled(chained_signals, 1)
    query = "SELECT a.article_id, e.story FROM event_articles a JOIN events e ON e.id = a.event_id"
    with Store(":memory:") as store:
        monkeypatch.setattr(unchain, "SMALLEST_LINKED_PART", 10**6)
        with store.transaction(), Clusterer(store) as clusterer:
            for article in signals[:-4]:
                clusterer.add(article)
        before = dict(store.query(query))
        assert list(CHAINED) in _topics_per_story(before)  # the stream chained them
        for (story,) in store.query("SELECT id FROM stories"):
            record_story_move(store, story)
        monkeypatch.undo()
        with store.transaction(), Clusterer(store) as clusterer:
            for article in signals[-4:]:
                clusterer.add(article)
        after = dict(store.query(query))
        assert {a: after[a] for a in before} == before


def test_a_small_part_stays_with_the_part_it_reads_most_like():
    # Events 0-1 and 3 hold enough reports to stand; event 2 (3 reports) links to none
    # but reads more like event 3 than like the others.
    similarity = np.array(
        [
            [1.0, 0.5, 0.10, 0.0],
            [0.5, 1.0, 0.05, 0.0],
            [0.10, 0.05, 1.0, 0.2],
            [0.0, 0.0, 0.2, 1.0],
        ]
    )
    assert unchain.parts(similarity, [5, 5, 3, 9]) == [0, 0, 1, 1]
    # With no second part large enough, the story stays whole.
    assert unchain.parts(similarity, [5, 5, 3, 2]) == [0, 0, 0, 0]


def test_a_story_is_looked_at_again_once_enough_of_it_is_new():
    smallest = 2 * unchain.SMALLEST_LINKED_PART
    assert not unchain.due(smallest - 1, 3, smallest - 1)  # too small to hold two parts
    assert not unchain.due(smallest * 4, 1, smallest * 4)  # one event: nothing to cut
    size = 10 * unchain.DUE_SHARE
    assert not unchain.due(size, 5, 9)
    assert unchain.due(size, 5, 10)


def test_the_time_penalty_between_spans_is_the_gap_between_them():
    penalties = pairwise_time_penalties([100, 500, None], STORY_DAYS, [200, 900, None])
    assert penalties[0, 1] == pytest.approx(time_penalty(300.0, STORY_DAYS))
    assert penalties[1, 0] == penalties[0, 1]
    assert penalties[0, 2] == 0.0  # undated: no penalty
    overlapping = pairwise_time_penalties([100, 150], STORY_DAYS, [900, 160])
    assert overlapping[0, 1] == 0.0


def test_ingested_in_two_runs_the_topics_end_in_stories_of_their_own(tmp_path):
    # Through the whole pipeline (cleaning, entities, the cluster stage's own batches):
    # the same-kind topics, ingested as text files in two runs, never share a story.
    if not ECBPLUS.is_dir():
        pytest.skip("../shared/bench/ecbplus not found")
    documents = [(topic, d) for topic in CHAINED for d in read_ecbplus(ECBPLUS / topic)]
    random.Random(3).shuffle(documents)
    topic_of: dict[str, str] = {}
    for number, (topic, document) in enumerate(documents):
        path = tmp_path / f"{number:03d}.txt"
        path.write_text(document.text, encoding="utf-8")
        topic_of[path.name] = topic
    files = sorted(tmp_path.glob("*.txt"))
    half = len(files) // 2
    with Storyline(Settings(db_path=tmp_path / "store.db")) as storyline:
        storyline.ingest(files[:half])
        storyline.ingest(files[half:])
        source = {a.id: Path(a.source).name for a in storyline.articles()}
        stories = storyline.stories()
    assert sum(len(s.articles) for s in stories) == len(source)
    mixed = [s.id for s in stories if len({topic_of[source[a]] for a in s.articles}) > 1]
    assert mixed == []
    assert max(len(s.articles) for s in stories) >= unchain.SMALLEST_LINKED_PART
