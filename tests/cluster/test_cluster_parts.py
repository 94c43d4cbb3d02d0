"""The clustering's parts on hand-made input: signals, bags, BCubed, the blocking index."""

from __future__ import annotations

import numpy as np

from storyline.cluster.bags import Bag, add_bags, bag_cosine, pack, unpack
from storyline.cluster.index import blocking_keys, lsh_keys
from storyline.cluster.signals import (
    build_signals,
    display_title,
    name_weights,
    parse_day,
    term_weights,
    when_words,
)
from storyline.evaluate.bcubed import bcubed


def test_terms_fold_plurals_and_drop_stop_words():
    terms = dict(term_weights("The talks and the talk were about fighters, 35 of them."))
    assert "talk" in terms and "talks" not in terms
    assert "the" not in terms and "35" in terms
    assert terms["talk"] > terms["fighter"]


def test_names_skip_sentence_openers_but_keep_names():
    text = "Officials met in Ostrava. Later, Mira Holt said the Ostrava plan held."
    names = dict(name_weights(text))
    assert "@ostrava" in names and "@holt" in names
    assert "@later" not in names and "@officials" not in names


def test_when_words_find_days_and_years():
    found = when_words("It happened on Tuesday, March 16, after the 2019 purchase.")
    assert set(found) == {"when tuesday", "when march 16", "when 2019"}


def test_titles_fall_back_to_the_first_sentence():
    assert display_title(" Own title ", "Body.") == "Own title"
    long = " ".join(f"word{n}" for n in range(15)) + "."
    assert display_title(None, long).endswith("…")
    assert display_title(None, "Short first. Second one.") == "Short first."


def test_days_parse_only_full_dates():
    assert parse_day("2025-03-26T10:00:00") == parse_day("2025-03-26")
    assert parse_day("2025-03") is None
    assert parse_day("not a date") is None


def test_bags_add_cap_and_compare():
    left = Bag(np.array([1, 2, 3]), np.array([1.0, 2.0, 3.0]))
    right = Bag(np.array([2, 4]), np.array([1.0, 5.0]))
    total = add_bags(left, right, cap=3, term_of=str)
    assert total.ids.tolist() == [2, 3, 4]
    assert total.weights.tolist() == [3.0, 3.0, 5.0]
    ones = np.ones(3)
    assert bag_cosine(left, ones, left, ones) == 1.0
    assert bag_cosine(left, ones, Bag.empty(), np.ones(0)) == 0.0
    back = add_bags(total, right, cap=10, term_of=str, sign=-1.0)
    assert back.ids.tolist() == [2, 3]


def test_packed_bags_round_trip():
    terms, weights = unpack(pack(["alpha", "beta"], np.array([0.5, 2.0])))
    assert terms == ["alpha", "beta"] and weights.tolist() == [0.5, 2.0]
    assert unpack(pack([], np.zeros(0)))[0] == []


def test_lsh_keys_are_stable_and_close_vectors_share_keys():
    rng = np.random.default_rng(3)
    vector = rng.standard_normal(384).astype(np.float32)
    vector /= np.linalg.norm(vector)
    near = vector + 0.005 * rng.standard_normal(384).astype(np.float32)
    far = -vector
    assert lsh_keys(vector) == lsh_keys(vector.copy())
    assert len(set(lsh_keys(vector)) & set(lsh_keys(near))) > len(
        set(lsh_keys(vector)) & set(lsh_keys(far))
    )
    signals = build_signals("a1", "Mira Holt visits Ostrava", "Mira Holt went.", None, vector)
    assert any(key.startswith("n@") for key in blocking_keys(signals))


def test_bcubed_scores_perfect_split_and_lumped_clusterings():
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    assert bcubed(gold, gold)["bcubed_f1"] == 1.0
    lumped = bcubed({k: "one" for k in gold}, gold)
    assert lumped["bcubed_p"] == 0.5 and lumped["bcubed_r"] == 1.0
    split = bcubed({k: k for k in gold}, gold)
    assert split["bcubed_p"] == 1.0 and split["bcubed_r"] == 0.5
