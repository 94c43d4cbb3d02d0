"""Sentence alignment of a rewrite: reworded sentences, and sentences a rewriter joined."""

from __future__ import annotations

from pathlib import Path

from storyline import Settings, Storyline
from storyline.dedup.align import align_paraphrases, aligned_sentences, sentence_set
from storyline.embeddings import embed

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "kestrel-falls"

ORIGINAL = [
    "The city council voted on Tuesday to close the Elm Street bridge to lorries.",
    "Inspectors found that two of its steel girders had rusted through.",
    "The mayor said repairs would cost about 3 million euros.",
    "Work is expected to start in June.",
]
JOINED = [
    "On Tuesday the city council voted to shut the Elm Street bridge to lorries.",
    "Inspectors had found two of its steel girders rusted through, and the mayor put the "
    "cost of repairs at about 3 million euros.",
    "Work should begin in June.",
]


def _set(texts: list[str]):
    return sentence_set(texts, embed(texts))


def test_a_joined_sentence_aligns_with_both_sentences_it_joins():
    pairs = align_paraphrases(_set(JOINED), _set(ORIGINAL))
    by_copy = {(p.article_sentence, p.original_sentence) for p in pairs}
    assert {(1, 1), (1, 2)} <= by_copy
    assert aligned_sentences(pairs) == 3


def test_unrelated_sentences_do_not_align():
    other = [
        "The orchestra will tour four Baltic capitals in the autumn.",
        "Tickets go on sale next week.",
    ]
    assert align_paraphrases(_set(other), _set(ORIGINAL)) == ()


def test_the_example_rewrite_is_found_with_its_joined_sentences(tmp_path: Path):
    wire = EXAMPLE / "2026-03-03-northern-wire-evacuation.txt"
    rewrite = EXAMPLE / "2026-03-04-civic-post-rewrite.txt"
    with Storyline(Settings(db_path=tmp_path / "s.db")) as opened:
        opened.ingest([wire, rewrite])
        ids = {Path(a.source).name: a.id for a in opened.articles()}
        (relation,) = opened.duplicates()
        assert (relation.article, relation.of, relation.kind) == (
            ids[rewrite.name],
            ids[wire.name],
            "rewrite",
        )
        joined = [
            p
            for p in relation.pairs
            if sum(q.article_sentence == p.article_sentence for q in relation.pairs) == 2
        ]
        assert joined, "the rewrite joins the wire's sentences two by two"


def test_the_cross_encoder_is_not_asked_when_too_few_sentences_could_align(monkeypatch):
    import storyline.dedup.cross_encoder as cross_encoder

    asked: list[int] = []
    real = cross_encoder.cross_logits

    def counting(pairs):  # type: ignore[no-untyped-def]
        asked.append(len(pairs))
        return real(pairs)

    monkeypatch.setattr(cross_encoder, "cross_logits", counting)
    # The rewrite's three sentences could align at most (five units with the joined ones):
    # asked for four aligned sentences, the answer is no without asking.
    assert align_paraphrases(_set(JOINED), _set(ORIGINAL), at_least=4) == ()
    assert asked == []
    # Asked for what it can reach, it aligns as it does with no bound (and asks).
    needed = align_paraphrases(_set(JOINED), _set(ORIGINAL), at_least=3)
    assert asked
    assert needed == align_paraphrases(_set(JOINED), _set(ORIGINAL))
    assert aligned_sentences(needed) == 3
