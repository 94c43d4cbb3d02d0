"""The sentence-paraphrase decision: do two sentences say the same thing?

Two models, the second asked only when the first is unsure:
- a linear (logistic) model over the MiniLM cosine and lexical signals: word, bigram,
  content-word and character n-gram overlaps measured both ways, figures and negations
  that disagree, unmatched content words, lengths and word edit distance (~0.15 ms a pair);
- a cross-encoder (cross_encoder.py: the bundled MiniLM reading both sentences at once,
  with our trained adapters; ~30 ms a pair).
The decision adds CROSS_WEIGHT times the cross-encoder's logit to the linear model's
log-odds when those are within SETTLED of the cut, and says "paraphrase" at 0 or more.
Every constant is fixed ahead of time on the MRPC training data (benchmarks/
tune_paraphrase.py and benchmarks/train_paraphrase_adapter.py print the figures and the
fitted values); nothing is fitted at run time. Lexical signals matter because MRPC-style
non-paraphrases often share the topic (high cosine) but differ in a figure or in a clause.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import jellyfish
import numpy as np

_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Words that turn a statement round: "did not resign" is no paraphrase of "resigned".
_NEGATIONS = frozenset({"not", "no", "never", "nt", "without", "nor", "none", "neither", "cannot"})

# Fitted by benchmarks/tune_paraphrase.py (logistic regression on standardised features, all
# MRPC training pairs, folded back onto the raw features; the F1-best probability cut is
# folded into BIAS). Order matches PairFeatures.vector(). 10-fold CV on the MRPC training
# part (each fold's weights and cut fitted on the other nine): F1 0.843 / accuracy 0.772,
# against lexical signals alone 0.837 / 0.757, MiniLM cosine alone 0.823 / 0.723, TF-IDF
# cosine 0.816 / 0.706, and the six-signal model this one replaced 0.833 / 0.752.
WEIGHTS: tuple[float, ...] = (
    3.79773,
    1.52518,
    1.57095,
    3.81967,
    -5.05555,
    -0.28305,
    -1.50285,
    2.95319,
    7.71486,
    4.14171,
    -9.60067,
    -0.561643,
    0.0534435,
    -0.968259,
    5.21797,
    -0.215731,
    0.133147,
    0.252674,
    -0.273164,
    -2.83886,
)
BIAS: float = -3.07722
# The logistic model's log-odds without the cut folded into BIAS (the F1-best probability
# cut on the training pairs was 0.4536): the blend below adds to the model's own log-odds.
CUT_LOG_ODDS: float = -0.18629
# The blend: linear log-odds + CROSS_WEIGHT x cross-encoder logit >= 0. Five folds of the
# MRPC training file (each fold's models fitted on the other four fifths; the weight and
# the cut of 0 chosen on the first fold, benchmarks/train_paraphrase_adapter.py cv): see
# that script's docstring for the figures.
CROSS_WEIGHT: float = 0.5
# Linear log-odds this far from 0 settle the decision alone. The cross-encoder's logits
# on the training folds ran from -3.8 to 6.5, so its share rarely exceeds 2; with 2 the
# folds' decisions were the same as asking it about every pair, for 65-68% of the asking.
SETTLED: float = 2.0


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words, read from their module alone: importing it through the
    spacy package loads all of spaCy (2.7 s) into commands that parse nothing."""
    import importlib.util

    spacy = importlib.util.find_spec("spacy")
    folder = Path(next(iter(spacy.submodule_search_locations or []))) if spacy else None
    spec = folder and importlib.util.spec_from_file_location(
        "storyline_stop_words", folder / "lang" / "en" / "stop_words.py"
    )
    if not spec or not spec.loader:  # an unusual install: the ordinary import
        from spacy.lang.en.stop_words import STOP_WORDS

        return frozenset(STOP_WORDS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def content_words(text: str) -> set[str]:
    stops = stop_words()
    return {w for w in words(text) if w not in stops}


@dataclass(frozen=True)
class PairFeatures:
    """What the decision looks at for one sentence pair.

    Overlaps are measured both ways (the share of A's items found in B, and of B's in A)
    and kept as the smaller and the larger share: MRPC non-paraphrases are often one
    sentence plus a clause, which a single symmetric overlap hides.
    """

    cosine: float
    word_overlap_min: float
    word_overlap_max: float
    bigram_overlap_min: float
    bigram_overlap_max: float
    content_overlap_min: float
    content_overlap_max: float
    char3_overlap_min: float
    char3_overlap_max: float
    char5_overlap_min: float
    char5_overlap_max: float
    number_clash: float
    same_numbers: float
    negation_clash: float
    length_gap: float
    unmatched_content_min: float
    unmatched_content_max: float
    words_min: float
    words_max: float
    edit_distance: float

    def vector(self) -> tuple[float, ...]:
        return _feature_values(self)


# The features in declaration order, read in one call (vector() runs once per scored pair).
_feature_values = operator.attrgetter(*(field.name for field in fields(PairFeatures)))


@dataclass(frozen=True)
class LexicalView:
    """A sentence reduced once to the sets the lexical signals compare."""

    sequence: tuple[str, ...]
    words: frozenset[str]
    content: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    char3: frozenset[str]
    char5: frozenset[str]
    numbers: frozenset[str]
    negated: bool
    length: int
    text: str = ""  # the sentence itself, for the cross-encoder


def lexical_view(text: str) -> LexicalView:
    tokens = words(text)
    stops = stop_words()
    lowered = text.lower()
    return LexicalView(
        sequence=tuple(tokens),
        words=frozenset(tokens),
        content=frozenset(t for t in tokens if t not in stops),
        bigrams=frozenset(itertools.pairwise(tokens)),
        char3=_char_grams(lowered, 3),
        char5=_char_grams(lowered, 5),
        numbers=frozenset(n.replace(",", "") for n in _NUMBER.findall(text)),
        negated=bool(_NEGATIONS.intersection(tokens)) or "n't" in lowered,
        length=len(tokens),
        text=text,
    )


def _char_grams(text: str, size: int) -> frozenset[str]:
    return frozenset(text[i : i + size] for i in range(len(text) - size + 1))


def _overlaps(a: frozenset[Any], b: frozenset[Any]) -> tuple[float, float]:
    """(smaller, larger) of the shares of A's items in B and of B's items in A."""
    if not a or not b:
        return 0.0, 0.0
    common = len(a & b)
    first, second = common / len(a), common / len(b)
    return (first, second) if first <= second else (second, first)


def token_edit_distance(a: Sequence[str], b: Sequence[str]) -> int:
    """Levenshtein distance over words: each distinct word becomes one character, so the
    compiled string distance of jellyfish does the work."""
    code: dict[str, str] = {}
    for word in itertools.chain(a, b):
        code.setdefault(word, chr(0x100 + len(code)))
    first = "".join(code[w] for w in a)
    second = "".join(code[w] for w in b)
    return int(jellyfish.levenshtein_distance(first, second))


def pair_features(cosine: float, a: LexicalView, b: LexicalView) -> PairFeatures:
    longest = max(a.length, b.length, 1)
    word_min, word_max = _overlaps(a.words, b.words)
    bigram_min, bigram_max = _overlaps(a.bigrams, b.bigrams)
    content_min, content_max = _overlaps(a.content, b.content)
    char3_min, char3_max = _overlaps(a.char3, b.char3)
    char5_min, char5_max = _overlaps(a.char5, b.char5)
    unmatched_a, unmatched_b = len(a.content - b.content), len(b.content - a.content)
    return PairFeatures(
        cosine=float(cosine),
        word_overlap_min=word_min,
        word_overlap_max=word_max,
        bigram_overlap_min=bigram_min,
        bigram_overlap_max=bigram_max,
        content_overlap_min=content_min,
        content_overlap_max=content_max,
        char3_overlap_min=char3_min,
        char3_overlap_max=char3_max,
        char5_overlap_min=char5_min,
        char5_overlap_max=char5_max,
        # A figure in one sentence and not the other: "sold for $2.5 billion" vs "$1.8 billion".
        number_clash=1.0 if a.numbers ^ b.numbers else 0.0,
        same_numbers=1.0 if a.numbers and a.numbers == b.numbers else 0.0,
        negation_clash=1.0 if a.negated != b.negated else 0.0,
        length_gap=abs(a.length - b.length) / longest,
        unmatched_content_min=float(min(unmatched_a, unmatched_b)),
        unmatched_content_max=float(max(unmatched_a, unmatched_b)),
        words_min=float(min(a.length, b.length)),
        words_max=float(max(a.length, b.length)),
        edit_distance=token_edit_distance(a.sequence, b.sequence) / longest,
    )


def paraphrase_score(features: PairFeatures) -> float:
    """The linear model alone, probability-like in (0, 1), its F1-best cut at 0.5: the quick
    decision, for callers that compare many statements pairwise (claims)."""
    return 1.0 / (1.0 + math.exp(CUT_LOG_ODDS - linear_log_odds(features)))


def is_paraphrase(features: PairFeatures) -> bool:
    return paraphrase_score(features) >= 0.5


def linear_log_odds(features: PairFeatures) -> float:
    """The linear model's own log-odds (its cut not folded in)."""
    return BIAS + CUT_LOG_ODDS + sum(w * f for w, f in zip(WEIGHTS, features.vector(), strict=True))


def blended_scores(
    log_odds: np.ndarray, pairs: Sequence[tuple[LexicalView, LexicalView]]
) -> np.ndarray:
    """The full decision's scores in (0, 1) for pairs with these linear log-odds, asking the
    cross-encoder about the unsure ones (see above); 0.5 or more means paraphrase."""
    from .cross_encoder import cross_logits

    blended = np.asarray(log_odds, dtype=np.float64).copy()
    unsure = np.flatnonzero(np.abs(blended) < SETTLED)
    if len(unsure):
        texts = [(pairs[i][0].text, pairs[i][1].text) for i in unsure.tolist()]
        blended[unsure] += CROSS_WEIGHT * cross_logits(texts)
    return 1.0 / (1.0 + np.exp(-blended))


def paraphrase_scores(pairs: Sequence[tuple[float, LexicalView, LexicalView]]) -> np.ndarray:
    """The full decision's scores for (cosine, view, view) triples."""
    log_odds = np.array([linear_log_odds(pair_features(c, a, b)) for c, a, b in pairs])
    return blended_scores(log_odds, [(a, b) for _, a, b in pairs])


@dataclass(frozen=True)
class Candidates:
    """Pairs (cells of an A x B matrix) the linear model scored, with its log-odds: what
    the full decision then settles, asking the cross-encoder about the unsure ones."""

    shape: tuple[int, int]
    cells: tuple[tuple[int, int], ...]
    log_odds: tuple[float, ...]

    def possible(self) -> list[tuple[int, int]]:
        """Cells the full decision may yet call paraphrases: those the linear model did
        not settle as no (log-odds of -SETTLED or less are not asked about)."""
        return [
            cell for cell, value in zip(self.cells, self.log_odds, strict=True) if value > -SETTLED
        ]

    def scores(self, views_a: Sequence[LexicalView], views_b: Sequence[LexicalView]) -> np.ndarray:
        found = np.zeros(self.shape, dtype=np.float64)
        if self.cells:
            rows, columns = zip(*self.cells, strict=True)
            views = [(views_a[i], views_b[j]) for i, j in self.cells]
            found[list(rows), list(columns)] = blended_scores(np.array(self.log_odds), views)
        return found


def linear_candidates(
    vectors_a: np.ndarray,
    views_a: Sequence[LexicalView],
    vectors_b: np.ndarray,
    views_b: Sequence[LexicalView],
    nearest: int | None = None,
    best_only: bool = False,
) -> Candidates:
    """Pairs of sentences of A and B, chosen and scored by the linear model alone: every
    pair, or with `nearest`, each sentence of A with only the `nearest` of B closest in
    meaning (cosine); with `best_only`, each sentence of A with only its best candidate by
    the linear model (the cross-encoder is then asked once per sentence at most). The
    linear model costs ~0.15 ms a pair, and two long reports make tens of thousands of
    pairs. `.scores()` settles them with the full decision (pairs not chosen score 0)."""
    cosines = (
        vectors_a @ vectors_b.T
        if len(views_a) and len(views_b)
        else np.zeros((len(views_a), len(views_b)))
    )
    cells: list[tuple[int, int]] = []
    log_odds: list[float] = []
    for i, view_a in enumerate(views_a):
        if nearest is None or nearest >= len(views_b):
            columns: Sequence[int] = range(len(views_b))
        else:
            columns = np.argpartition(-cosines[i], nearest - 1)[:nearest].tolist()
        row = [
            (j, linear_log_odds(pair_features(float(cosines[i, j]), view_a, views_b[j])))
            for j in columns
        ]
        if best_only and row:
            row = [max(row, key=lambda cell: (cell[1], -cell[0]))]  # ties: the lower column
        cells += [(i, j) for j, _ in row]
        log_odds += [value for _, value in row]
    return Candidates((len(views_a), len(views_b)), tuple(cells), tuple(log_odds))


__all__ = [
    "BIAS",
    "CROSS_WEIGHT",
    "CUT_LOG_ODDS",
    "SETTLED",
    "WEIGHTS",
    "Candidates",
    "LexicalView",
    "PairFeatures",
    "blended_scores",
    "content_words",
    "is_paraphrase",
    "lexical_view",
    "linear_candidates",
    "linear_log_odds",
    "pair_features",
    "paraphrase_score",
    "paraphrase_scores",
    "token_edit_distance",
    "words",
]
