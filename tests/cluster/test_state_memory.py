"""What ClusterState keeps in memory (posting-list heads, article profiles) must always
agree with what a fresh state reads from the store, so keeping it changes no decision."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from storyline.cluster.bags import Bag, add_bags
from storyline.cluster.events import Clusterer
from storyline.cluster.index import LSH_POSTING_LIMIT, POSTING_LIMIT, lsh_keys
from storyline.cluster.signals import build_signals
from storyline.cluster.state import ClusterState, Head
from storyline.store import Store
from tests.conftest import unit_vector

TEXTS = [
    "Mayor Odile Frane opened the Harnby ferry terminal on Friday after two years of work.",
    "Fire chief Bram Tesse closed the Veldrin hospital wing after a kitchen fire on Sunday.",
    "Veldrin reopened its market square after the spring fair, organisers said.",
]


@pytest.fixture
def store():
    with Store(":memory:") as opened:
        yield opened


def test_postings_kept_in_memory_rank_as_the_store_does(store: Store):
    warm = ClusterState(store)
    keys = [f"k{n}" for n in range(6)]
    chooser = random.Random(6)
    for step in range(400):
        warm.tick()
        if step % 50 == 0:
            # Looked up mid-stream: heads read now must follow every later post.
            warm.best_blocked(keys, limit=100)
        event = f"event-{chooser.randrange(120):03d}"
        warm.post(chooser.sample(keys, chooser.randint(1, 3)), event)
    warm.flush()  # what the transaction's owner does before committing
    for query in (keys, keys[:2], ["k3", "k3"], ["never-posted"]):
        for limit in (1, 7, 1000):
            cold = ClusterState(store)  # reads every posting list from the store
            assert warm.best_blocked(query, limit) == cold.best_blocked(query, limit)
    assert len(warm.best_blocked(["k0"], limit=1000)) == POSTING_LIMIT


def test_a_re_posted_event_moves_to_the_front_and_a_deleted_one_leaves(store: Store):
    state = ClusterState(store)
    for number in range(POSTING_LIMIT + 3):
        state.tick()
        state.post(["busy"], f"event-{number:03d}")
    assert "event-000" not in state.best_blocked(["busy"], limit=1000)
    state.tick()
    state.post(["busy"], "event-000")
    found = state.best_blocked(["busy"], limit=1000)
    assert "event-000" in found and "event-003" not in found
    state.delete_event("event-000")
    after = state.best_blocked(["busy"], limit=1000)
    assert "event-000" not in after and len(after) == POSTING_LIMIT - 1
    state.flush()
    assert after == ClusterState(store).best_blocked(["busy"], limit=1000)
    state.tick()
    state.post(["busy"], "event-new")
    assert state.best_blocked(["busy"], limit=1000) == sorted([*after, "event-new"])


def test_an_lsh_band_keeps_a_shorter_head_than_a_name(store: Store):
    state = ClusterState(store)
    band, name = lsh_keys(unit_vector(3))[0], "n@veldrin"
    for number in range(POSTING_LIMIT + 5):
        state.tick()
        state.post([band, name], f"event-{number:03d}")
    state.flush()
    fresh = ClusterState(store)
    newest = [f"event-{n:03d}" for n in range(POSTING_LIMIT + 4, -1, -1)]
    assert fresh.best_blocked([band], limit=1000) == sorted(newest[:LSH_POSTING_LIMIT])
    assert fresh.best_blocked([name], limit=1000) == sorted(newest[:POSTING_LIMIT])


def test_signals_come_back_in_the_order_asked(store: Store):
    state = ClusterState(store)
    signals = [
        build_signals(f"a{n}", None, text, f"2030-0{n + 1}-01", unit_vector(n))
        for n, text in enumerate(TEXTS)
    ]
    for article in signals:
        state.save_signals(article)
    found = state.signals(["a2", "missing", "a0", "a2"])
    assert [s.article_id for s in found] == ["a2", "a0", "a2"]
    assert np.array_equal(found[1].vector, signals[0].vector)
    assert [t for t, _ in found[1].terms] == [t for t, _ in signals[0].terms]
    assert found[0].day == signals[2].day and found[0].title == signals[2].title


def test_an_article_is_profiled_once_in_the_form_the_store_reads_back(store: Store):
    state = ClusterState(store)
    article = state.as_stored(build_signals("a0", None, TEXTS[0], None, unit_vector(0)))
    first = state.profile(article)
    state.save_signals(article)
    (kept,) = state.signals(["a0"])
    assert state.profile(kept) is first  # the arrival's profile serves the later looks
    (read,) = ClusterState(store).signals(["a0"])  # a fresh process reads the same
    assert read.terms == article.terms and read.names == article.names
    assert np.array_equal(read.vector, article.vector)
    # Other signals under the same id are profiled afresh.
    changed = replace(article, terms=article.terms[:2])
    assert len(state.profile(changed).terms) == 2
    assert len(state.profile(article).terms) == len(first.terms)


def test_document_counts_kept_in_memory_agree_with_the_store(store: Store):
    with ClusterState(store) as state:  # writes its counts behind, on leaving the block
        for number, text in enumerate(TEXTS):
            article = build_signals(f"a{number}", None, text, None, unit_vector(number))
            state.count_document(article)
    rows = dict(store.query("SELECT term, df FROM cluster_terms"))
    assert rows["ferry"] == 1 and rows["veldrin"] == 2 and rows["@veldrin"] >= 1
    words = ["ferry", "veldrin", "@veldrin"]
    warm = state.idf(np.asarray(state.term_ids(words), dtype=np.int64))
    fresh = ClusterState(store)  # reads the counts back from the store
    assert np.array_equal(warm, fresh.idf(np.asarray(fresh.term_ids(words), dtype=np.int64)))
    assert warm[1] < warm[0]  # in two reports of three, against one


def test_adding_bags_sums_shared_terms_and_keeps_the_heaviest():
    def bag(pairs: dict[int, float]) -> Bag:
        ids = sorted(pairs)
        return Bag(np.asarray(ids, dtype=np.int64), np.asarray([pairs[i] for i in ids]))

    spelled = {1: "delta", 2: "alpha", 3: "charlie", 4: "bravo", 5: "echo"}.__getitem__
    total = add_bags(bag({1: 1.0, 3: 2.0}), bag({2: 1.0, 3: 0.5, 5: 1.0}), 10, spelled)
    assert total.ids.tolist() == [1, 2, 3, 5] and total.weights.tolist() == [1, 1, 2.5, 1]
    # Cut to three: 3 stays (heaviest); of the tied 1, 2 and 5, "alpha" and "delta" win.
    assert add_bags(total, Bag.empty(), 3, spelled).ids.tolist() == [1, 2, 3]
    back = add_bags(total, bag({3: 0.5, 5: 1.0}), 10, spelled, sign=-1.0)
    assert back.ids.tolist() == [1, 2, 3] and back.weights.tolist() == [1, 1, 2]
    assert len(add_bags(Bag.empty(), Bag.empty(), 5, spelled)) == 0


def test_bookkeeping_written_behind_commits_with_the_articles_or_not_at_all(tmp_path):
    signals = [
        build_signals(f"a{n}", None, text, None, unit_vector(n)) for n, text in enumerate(TEXTS)
    ]
    with Store(tmp_path / "store.db") as opened:
        with opened.transaction(), Clusterer(opened) as clusterer:
            for article in signals[:2]:
                clusterer.add(article)
        with pytest.raises(RuntimeError), opened.transaction(), Clusterer(opened) as late:
            late.add(signals[2])
            raise RuntimeError("killed mid-batch")
    with Store(tmp_path / "store.db") as reopened:
        counters = dict(reopened.query("SELECT name, value FROM cluster_counters"))
        assert counters == {"documents": 2, "clock": 2}
        heads = reopened.query("SELECT head FROM cluster_heads")
        posted = {event for (head,) in heads for event in Head.unpacked(head).ids}
        attached = {row[0] for row in reopened.query("SELECT event_id FROM event_articles")}
        assert posted == attached and len(attached) >= 1
        df = dict(reopened.query("SELECT term, df FROM cluster_terms"))
        assert df["ferry"] == 1 and df["veldrin"] == 1 and "market" not in df
