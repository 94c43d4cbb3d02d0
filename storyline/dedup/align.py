"""Sentence alignment between a copy and its original.

Two flavours: a lexical one (no embeddings) for exact and near copies, where sentences are
mostly the same words, and the paraphrase one for rewrites (storyline.dedup.paraphrase),
which needs the MiniLM vectors. Each copy sentence is aligned to its best-scoring original
sentence if that score passes the decision; several copy sentences may align to one
original sentence (a rewriter may split a sentence in two).

Our own logic: no library aligns the sentences of two documents by a paraphrase decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..models import AlignedPair
from .paraphrase import LexicalView, lexical_view, linear_candidates, words

# Lexical alignment: word Dice at or above this counts as the same sentence (copies and
# near-copies keep most of a sentence's words).
SAME_SENTENCE_DICE = 0.6
# Paraphrase alignment: the decision's own cut-off.
PARAPHRASE_CUT = 0.5
# A sentence's paraphrase is looked for among the original's NEAREST sentences by meaning
# (cosine), not all of them. On 12 pairs of Timeline17 reports and on the seeds, every
# alignment found against all sentences was found among the 5 nearest, at a quarter of the
# cost; two long reports (hundreds of sentences each) otherwise cost tens of seconds.
NEAREST = 5


@dataclass(frozen=True)
class SentenceSet:
    """One article's sentences, reduced once for every comparison it takes part in."""

    texts: tuple[str, ...]
    views: tuple[LexicalView, ...]
    vectors: np.ndarray | None = None


def sentence_set(texts: Sequence[str], vectors: np.ndarray | None = None) -> SentenceSet:
    return SentenceSet(tuple(texts), tuple(lexical_view(t) for t in texts), vectors)


@dataclass(frozen=True)
class SentenceWords:
    """One article's sentences as words only: all the lexical alignment of copies needs.

    Building full paraphrase views (character n-grams and the rest) for a near copy's
    sentences was a tenth of the copy-detection stage's time on Timeline17.
    """

    sequences: tuple[tuple[str, ...], ...]
    words: tuple[frozenset[str], ...]


def sentence_words(texts: Sequence[str]) -> SentenceWords:
    sequences = tuple(tuple(words(t)) for t in texts)
    return SentenceWords(sequences, tuple(frozenset(s) for s in sequences))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def align_lexically(copy: SentenceWords, original: SentenceWords) -> tuple[AlignedPair, ...]:
    """Pairs of (nearly) the same sentence, by word overlap alone.

    Identical word sequences are matched through a lookup first (copies are mostly that),
    so only the changed sentences are compared with every original sentence.
    """
    same: dict[tuple[str, ...], int] = {}
    for j, sequence in enumerate(original.sequences):
        same.setdefault(sequence, j)
    pairs = []
    for i, (sequence, mine) in enumerate(zip(copy.sequences, copy.words, strict=True)):
        if sequence in same:
            pairs.append(AlignedPair(i, same[sequence], 1.0))
            continue
        best_j, best = -1, 0.0
        for j, other in enumerate(original.words):
            score = _dice(mine, other)
            if score > best:
                best_j, best = j, score
        if best >= SAME_SENTENCE_DICE:
            pairs.append(AlignedPair(i, best_j, round(best, 4)))
    return tuple(pairs)


def align_paraphrases(
    copy: SentenceSet, original: SentenceSet, at_least: int = 0
) -> tuple[AlignedPair, ...]:
    """Pairs whose paraphrase decision says "same meaning". Both sets need vectors.

    A rewriter often joins two sentences into one ("X said … and declined to say …") or
    splits one in two, and the strict sentence decision rejects a sentence against half of
    what it says. So each sentence is also compared with two adjacent sentences of the
    other report read as one (the joined unit: both texts, the normalised sum of both
    vectors, which kept the cosine within 0.03–0.06 of embedding the joined text on the
    example corpus's rewrite). The best-scoring units claim copy sentences first; a copy
    sentence aligned with a joined unit yields one pair per original sentence in it.

    With `at_least`, a caller that needs that many copy sentences aligned gets () at once
    when even every pair the linear model left open could not align so many: the
    cross-encoder (30 ms a pair) is then not asked, and the answer is the same.
    """
    if copy.vectors is None or original.vectors is None:
        raise ValueError("paraphrase alignment needs sentence vectors for both articles")
    if not copy.texts or not original.texts:
        return ()
    copy_views, copy_vectors, copy_members = _with_joined(copy.texts, copy.views, copy.vectors)
    original_views, original_vectors, original_members = _with_joined(
        original.texts, original.views, original.vectors
    )
    # The linear model picks each unit's candidate; the full decision (with the
    # cross-encoder where the linear model is unsure) confirms or rejects it. Two joined
    # units are two sentences against two, which the single sentences say: a joined unit
    # of the copy is compared with single sentences of the original only.
    singles = len(copy.texts)
    blocks = [
        linear_candidates(
            copy_vectors[:singles],
            copy_views[:singles],
            original_vectors,
            original_views,
            nearest=NEAREST,
            best_only=True,
        ),
        linear_candidates(
            copy_vectors[singles:],
            copy_views[singles:],
            original_vectors[: len(original.texts)],
            original_views[: len(original.texts)],
            nearest=NEAREST,
            best_only=True,
        ),
    ]
    reachable = {k for i, _ in blocks[0].possible() for k in copy_members[i]}
    reachable |= {k for i, _ in blocks[1].possible() for k in copy_members[singles + i]}
    if len(reachable) < at_least:
        return ()
    scores = np.zeros((len(copy_views), len(original_views)))
    scores[:singles] = blocks[0].scores(copy_views[:singles], original_views)
    scores[singles:, : len(original.texts)] = blocks[1].scores(
        copy_views[singles:], original_views[: len(original.texts)]
    )
    matches = [
        (-float(scores[i, j]), i, j)
        for i in range(scores.shape[0])
        for j in [int(np.argmax(scores[i]))]
        if scores[i, j] >= PARAPHRASE_CUT
    ]
    aligned: set[int] = set()
    pairs = []
    for negative_score, i, j in sorted(matches):
        if aligned & set(copy_members[i]):
            continue
        aligned.update(copy_members[i])
        score = round(-negative_score, 4)
        pairs += [AlignedPair(a, o, score) for a in copy_members[i] for o in original_members[j]]
    return tuple(sorted(pairs, key=lambda p: (p.article_sentence, p.original_sentence)))


def _with_joined(
    texts: Sequence[str], views: Sequence[LexicalView], vectors: np.ndarray
) -> tuple[list[LexicalView], np.ndarray, list[tuple[int, ...]]]:
    """Views and vectors of the sentences followed by each two adjacent sentences as one
    unit, and the sentence numbers each unit holds."""
    count = len(texts)
    summed = vectors[:-1] + vectors[1:]
    norms = np.linalg.norm(summed, axis=1, keepdims=True)
    joined = summed / np.where(norms > 0, norms, 1.0)
    unit_views = list(views) + [
        lexical_view(f"{texts[k]} {texts[k + 1]}") for k in range(count - 1)
    ]
    members: list[tuple[int, ...]] = [(k,) for k in range(count)]
    members += [(k, k + 1) for k in range(count - 1)]
    return unit_views, np.vstack([vectors, joined]).astype(np.float32), members


def aligned_sentences(pairs: Sequence[AlignedPair]) -> int:
    """How many of the copy's sentences are aligned (a joined unit gives two pairs)."""
    return len({p.article_sentence for p in pairs})


def coverage(pairs: Sequence[AlignedPair], copy_sentences: int, original_sentences: int) -> float:
    """Aligned copy sentences as a share of the shorter report's sentence count.

    The shorter one, so that the share does not depend on which of the two turned out to
    be the original (a condensed rewrite, or a rewrite that adds a paragraph, still counts).
    """
    shorter = min(copy_sentences, original_sentences)
    return min(1.0, len({p.article_sentence for p in pairs}) / shorter) if shorter else 0.0


__all__ = [
    "SentenceSet",
    "SentenceWords",
    "align_lexically",
    "align_paraphrases",
    "aligned_sentences",
    "coverage",
    "sentence_set",
    "sentence_words",
]
