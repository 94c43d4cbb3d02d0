"""Stories that stay apart (cast.py, related.py): two stories of one kind, told in the same
words in the same months, with disjoint casts, come out as two stories in any order and
across batches; a report about both relates them instead of merging them; real Timeline17
reports of two concurrent uprisings (read from ../shared/bench) each keep a story."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from storyline.cluster import cast, related_stories
from storyline.cluster.events import Clusterer
from storyline.cluster.signals import ArticleSignals
from storyline.cluster.state import ClusterState
from storyline.evaluate.bcubed import class_shares
from storyline.evaluate.streaming import LabelledDocument, document_signals, run_stream
from storyline.evaluate.timeline17 import find_topics, read_articles
from storyline.store import Store
from tests.conftest import BENCH, unit_vector

# What both uprisings are told in: the same topic words every day.
TOPIC = ("protesters", "regime", "forces", "opposition", "crackdown", "sanctions", "capital")
# Each day's own words (what happened that day), shared by both countries' reports.
DAY_WORDS = ("shelling", "ceasefire", "funeral", "defection", "siege", "curfew", "talks")
CASTS = {
    "A": ("@valdoria", "@president kress", "@port amaro", "@valdorian army", "@lena osk"),
    "B": ("@keshmir", "@general oduya", "@tal varan", "@keshmiri council", "@idris mal"),
}
FIRST_DAY = 734200


def report(country: str, number: int, casts: tuple[str, ...] | None = None) -> ArticleSignals:
    """A hand-made report of one uprising: the topic words, its day's words, the country's
    cast (or `casts`), and a vector near every other report's (one kind of story)."""
    day = FIRST_DAY + 2 * (number // 2)
    word = DAY_WORDS[(number // 2) % len(DAY_WORDS)]
    names = casts or CASTS[country]
    vector = unit_vector(0) + 0.2 * unit_vector(1000 + number)
    return ArticleSignals(
        f"{country}{number:03d}",
        (vector / np.linalg.norm(vector)).astype(np.float32),
        tuple(sorted((t, 1.0) for t in (*TOPIC, word, f"{word}s"))),
        tuple(sorted((n, 1.0 + (i < 2)) for i, n in enumerate(names))),
        day,
        f"{word} in {names[0][1:]}",
    )


def uprisings(count: int = 40) -> list[ArticleSignals]:
    """Both countries' reports, day by day, each day's two side by side."""
    return [report(country, n) for n in range(count) for country in "AB"]


def stories_by_country(signals: list[ArticleSignals]) -> list[set[str]]:
    _, stories = run_stream(signals)
    found: dict[str, set[str]] = {}
    for article, story in stories.items():
        found.setdefault(story, set()).add(article[0])
    return sorted(found.values(), key=sorted)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_two_uprisings_with_disjoint_casts_stay_two_stories(seed):
    order = uprisings()
    random.Random(seed).shuffle(order)
    assert stories_by_country(order) == [{"A"}, {"B"}]


def test_without_the_cast_test_they_are_one_story(monkeypatch):
    monkeypatch.setattr(cast, "SPLIT", 0.0)
    assert stories_by_country(uprisings()) == [{"A", "B"}]


def test_later_batches_do_not_weld_them_again():
    with Store(":memory:") as store:
        signals = uprisings(60)
        for start in range(0, len(signals), 20):  # one transaction per batch of 20
            with store.transaction(), Clusterer(store) as clusterer:
                for article in signals[start : start + 20]:
                    clusterer.add(article)
        rows = store.query(
            "SELECT e.story, a.article_id FROM events e JOIN event_articles a ON a.event_id = e.id"
        )
    countries: dict[str, set[str]] = {}
    for story, article in rows:
        countries.setdefault(story, set()).add(article[0])
    assert sorted(map(sorted, countries.values())) == [["A"], ["B"]]


def test_a_story_keeps_its_identity_as_its_cast_grows():
    """Half the cast changes over the story (a new envoy, a minister gone): one story."""
    early, late = CASTS["A"], (*CASTS["A"][:3], "@envoy barrow", "@minister tal")
    signals = [report("A", n, early if n < 16 else late) for n in range(32)]
    assert stories_by_country(signals) == [{"A"}]


def test_a_report_about_both_relates_the_stories_without_merging_them():
    both = report("X", 7, (CASTS["A"][0], CASTS["B"][0], CASTS["A"][1], CASTS["B"][1]))
    with Store(":memory:") as store:
        with store.transaction(), Clusterer(store) as clusterer:
            for article in [*uprisings(), both]:
                clusterer.add(article)
        story_of = dict(
            store.query(
                "SELECT a.article_id, e.story FROM event_articles a JOIN events e"
                " ON e.id = a.event_id"
            )
        )
        a_story, b_story = story_of["A000"], story_of["B000"]
        assert a_story != b_story
        related = related_stories(store, a_story)
        assert [(r.id, r.reports) for r in related] == [(b_story, ("X007",))]
        assert [r.id for r in related_stories(store, b_story)] == [a_story]


def test_distinct_needs_established_summaries_with_disjoint_casts():
    with Store(":memory:") as store, store.transaction():
        state = ClusterState(store)
        profiles = {key: state.profile(report(key[0], key[1])) for key in [("A", 0), ("B", 0)]}
        a, b = profiles[("A", 0)], profiles[("B", 0)]
        grown = {name: _sized(p, cast.SMALLEST_CAST_PART) for name, p in (("a", a), ("b", b))}
        assert cast.distinct(state, grown["a"], grown["b"], state.term_of)
        assert not cast.distinct(state, grown["a"], grown["a"], state.term_of)
        assert not cast.distinct(state, a, b, state.term_of)  # one report each: too few


def _sized(summary, size):
    from dataclasses import replace

    return replace(summary, size=size)


# -- real reports: two concurrent uprisings from Timeline17 ---------------------------------

UPRISINGS = ("LibyaWar", "SyrianCrisis")


@pytest.fixture(scope="module")
def uprising_signals() -> list[ArticleSignals]:
    folders = [t for t in find_topics_or_skip() if t.topic in UPRISINGS]
    articles = [a for folder in folders for a in read_articles(folder)]
    # Each story's first 150 reports (Libya's from February 2011, Syria's from April), in
    # publication order: the stream alone melts them into one story.
    articles.sort(key=lambda a: (a.time or "", a.id))
    chosen = [a for topic in UPRISINGS for a in [x for x in articles if x.topic == topic][:150]]
    chosen.sort(key=lambda a: (a.time or "", a.id))
    documents = [LabelledDocument(a.id, None, a.text, a.time, a.topic) for a in chosen]
    return document_signals(documents)


def find_topics_or_skip():
    if not (BENCH / "timeline17").is_dir():
        pytest.skip("../shared/bench/timeline17 not found")
    return find_topics(BENCH / "timeline17")


@pytest.mark.parametrize("seed", [None, 1])
def test_libya_and_syria_each_keep_a_story_of_their_own(uprising_signals, seed):
    order = list(uprising_signals)
    if seed is not None:
        random.Random(seed).shuffle(order)
    _, stories = run_stream(order)
    gold = {s.article_id: s.article_id.split("_")[0] for s in order}
    shares = class_shares(stories, gold)
    for topic in UPRISINGS:
        assert shares[topic]["in_largest"] >= 0.9, shares
        assert shares[topic]["largest_purity"] >= 0.9, shares


def test_without_the_cast_test_libya_and_syria_melt(uprising_signals, monkeypatch):
    monkeypatch.setattr(cast, "SPLIT", 0.0)
    _, stories = run_stream(uprising_signals)
    largest = Counter(stories.values()).most_common(1)[0][0]
    topics = {a.split("_")[0] for a, s in stories.items() if s == largest}
    assert topics == set(UPRISINGS)
