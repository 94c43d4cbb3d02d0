"""The sentence-paraphrase decision and sentence alignment, on invented sentences."""

from __future__ import annotations

import numpy as np
import pytest

from storyline import Storyline
from storyline.dedup.align import (
    align_lexically,
    align_paraphrases,
    coverage,
    sentence_set,
    sentence_words,
)
from storyline.dedup.paraphrase import (
    is_paraphrase,
    lexical_view,
    pair_features,
    token_edit_distance,
)
from storyline.embeddings import embed
from storyline.models import RawDocument

COPY = [
    "The mayor of Dunmore opened the new footbridge over the river on Saturday.",
    "Engineers said the bridge can carry four hundred people at once.",
    "Local bakers sold bread shaped like fish at the opening.",
]
ORIGINAL = [
    "On Saturday, Dunmore's mayor inaugurated a new pedestrian bridge across the river.",
    "According to engineers, up to four hundred people can cross the bridge at the same time.",
    "The bridge cost eleven million euros.",
]


def _features(a: str, b: str):
    vectors = embed([a, b])
    return pair_features(float(vectors[0] @ vectors[1]), lexical_view(a), lexical_view(b))


def test_a_reworded_sentence_is_a_paraphrase():
    assert is_paraphrase(_features(COPY[0], ORIGINAL[0]))


def test_a_sentence_on_another_matter_is_not():
    assert not is_paraphrase(_features(COPY[2], ORIGINAL[2]))


def test_a_changed_figure_is_noticed():
    features = _features("The fund paid 40 million euros.", "The fund paid 75 million euros.")
    assert features.number_clash == 1.0
    same = _features("The fund paid 40 million euros.", "The fund paid 40 million euros.")
    assert same.number_clash == 0.0
    assert same.word_overlap_min == pytest.approx(1.0)
    assert same.edit_distance == 0.0 and same.same_numbers == 1.0


def test_a_negation_and_an_extra_clause_are_noticed():
    plain = lexical_view("The council approved the harbour budget on Monday.")
    negated = lexical_view("The council did not approve the harbour budget on Monday.")
    longer = lexical_view(
        "The council approved the harbour budget on Monday, after a debate that ran late"
        " into the night over the cost of dredging."
    )
    assert pair_features(0.9, plain, negated).negation_clash == 1.0
    assert pair_features(0.9, plain, longer).negation_clash == 0.0
    extra = pair_features(0.9, plain, longer)
    assert extra.word_overlap_max == 1.0 and extra.word_overlap_min < 0.5
    assert extra.unmatched_content_min == 0.0 and extra.unmatched_content_max >= 5
    assert is_paraphrase(pair_features(0.9, plain, plain))
    assert not is_paraphrase(extra)


def test_word_edit_distance_counts_whole_words():
    assert token_edit_distance(["a", "red", "boat"], ["a", "blue", "boat"]) == 1
    assert token_edit_distance(["a", "boat"], ["a", "red", "boat", "sank"]) == 2
    assert token_edit_distance([], ["boat"]) == 1


def test_paraphrase_alignment_pairs_each_copy_sentence_with_its_counterpart():
    copy = sentence_set(COPY, embed(COPY))
    original = sentence_set(ORIGINAL, embed(ORIGINAL))
    pairs = align_paraphrases(copy, original)
    assert [(p.article_sentence, p.original_sentence) for p in pairs] == [(0, 0), (1, 1)]
    assert coverage(pairs, len(COPY), len(ORIGINAL)) == pytest.approx(2 / 3)
    assert coverage(pairs, len(COPY), 2) == 1.0


def test_paraphrase_alignment_needs_vectors():
    with pytest.raises(ValueError):
        align_paraphrases(sentence_set(COPY), sentence_set(ORIGINAL))


def test_lexical_alignment_matches_copied_sentences_only():
    copied = [ORIGINAL[1], "A sentence the original never had about tram timetables.", ORIGINAL[2]]
    pairs = align_lexically(sentence_words(copied), sentence_words(ORIGINAL))
    assert [(p.article_sentence, p.original_sentence, p.score) for p in pairs] == [
        (0, 1, 1.0),
        (2, 2, 1.0),
    ]


def test_nearest_scores_only_the_closest_sentences_by_meaning() -> None:
    from storyline.dedup.paraphrase import linear_candidates

    texts_a = ["The minister resigned on Friday after the vote."]
    texts_b = [
        "Nobody expected the storm to reach the coast.",
        "The minister quit on Friday following the vote.",
        "Prices rose sharply in the spring.",
    ]
    # Hand-made unit vectors: A's sentence is closest to B's second, then its first.
    vectors_a = np.array([[1.0, 0.0, 0.0]])
    vectors_b = np.array([[0.6, 0.8, 0.0], [0.95, 0.0, 0.312], [0.0, 0.0, 1.0]])
    views_a = [lexical_view(t) for t in texts_a]
    views_b = [lexical_view(t) for t in texts_b]
    every = linear_candidates(vectors_a, views_a, vectors_b, views_b).scores(views_a, views_b)
    near = linear_candidates(vectors_a, views_a, vectors_b, views_b, nearest=1).scores(
        views_a, views_b
    )
    assert np.count_nonzero(every) == 3
    assert np.count_nonzero(near) == 1 and near[0, 1] == every[0, 1] > 0.5


def test_a_rewrite_is_judged_on_the_first_sentences_of_a_very_long_report(
    storyline: Storyline,
) -> None:
    from storyline.dedup.copies import REWRITE_SENTENCES, _Context

    # Invented: a scraped page of many short numbered sentences.
    text = " ".join(f"Item {n} of the harbour log was filed today." for n in range(400))
    report = storyline.ingest_documents([RawDocument("hand/log.txt", text=text)], analyse=False)
    (article_id,) = report.added
    texts = _Context(storyline.store, embed_rewrites=False).sentence_set(article_id, False).texts
    assert len(texts) == REWRITE_SENTENCES
    assert texts[0].startswith("Item 0 ") and texts[-1].startswith(f"Item {REWRITE_SENTENCES - 1} ")
