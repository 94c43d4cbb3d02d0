"""A second look at a story's reports, all at once: which of them tell one happening?

Streaming decides each report on the evidence of its moment, so the events it ends with
depend on who came first (two shuffled orders of Timeline17 agreed on events at BCubed
0.77). So when a batch of reports has been clustered, the reports of each story it
touched, on the days it touched, are grouped into events again in one batch, by average
linkage, and the result depends on the set of reports, not on their order.

The similarity is our own (no library centres a similarity on neighbourhoods): each
report's MiniLM, term and name vectors are taken relative to the mean of its NEIGHBOURS
nearest reports in the block, so what a story's reports all share (the earthquake, the
island) drops out and what tells two happenings apart is left; minus the event time
penalty when both are dated. Centring is relative to the block, so each group is then
checked on its own, uncentred: one that falls clearly in two halves is cut in two (two
fires at one chain's stores, five years apart). Stories an analyst corrected are left as
they are.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from scipy.spatial.distance import squareform

from . import halves
from .scoring import (
    EMBEDDING_WEIGHT,
    EVENT_DAYS,
    NAMES_WEIGHT,
    TERMS_WEIGHT,
    bag_rows,
    gram,
    pairwise_time_penalties,
    unit_rows,
)
from .signals import ArticleSignals
from .state import ClusterState

# Each report is centred on the mean of this many nearest reports of its block. ECB+,
# batch clustering of all documents pooled, split-half by topic parity: 40 was the best
# on both halves. Here, with the cut and smallest block below, 20 or 60 neighbours score
# ECB+ F1 0.809 / 0.921 (40: 0.944).
NEIGHBOURS = 40
# Weights of the centred MiniLM, term and name similarities (a split-half check on ECB+
# preferred terms and MiniLM over names).
WEIGHTS = (0.4, 0.4, 0.2)
# Average-linkage distance (1 - centred similarity) at which the groups are cut, and the
# smallest block grouped again (a smaller one keeps the stream's events: centred on a few
# reports, every report reads unlike the rest). ECB+ BCubed F1 / event agreement of two
# shuffled orders (benchmarks/tune_regroup.py; stream alone 0.900 / 0.926):
#   smallest  4: cut 0.97 → 0.910 / 0.945, 0.99 → 0.926 / 0.949, 1.01 → 0.925 / 0.953
#   smallest 12: cut 0.97 → 0.923 / 0.957, 0.99 → 0.937 / 0.958, 1.01 → 0.935 / 0.960
#   smallest 16: cut 0.97 → 0.931 / 0.964, 0.99 → 0.944 / 0.965, 1.01 → 0.941 / 0.966
#   smallest 20: cut 0.97 → 0.930 / 0.959, 0.99 → 0.944 / 0.960, 1.01 → 0.943 / 0.961
# Split-half (F1 on odd / even topics): chosen on the even topics, (20, 0.99) scores 0.944
# on the odd ones (best there 0.953); chosen on the odd, (20, 1.01) scores 0.933 on the
# even (best 0.944); (16, 0.99) is within 0.01 of the best on both (0.942 / 0.946).
# Timeline17 (dated, so the time penalty applies), event agreement: stream alone 0.774;
# (16, 0.99) → 0.983, (4, 0.97) → 0.989, stories unchanged (F1 0.958). With the events of
# stories this large no longer re-split as they grow (resplit.py): 0.977, stories 0.959.
CUT = 0.99
SMALLEST_STORY = 16
# A block is grouped in slices of at most this many reports, in date order (the work is
# quadratic in the slice).
LARGEST = 1500
# A block is grouped again when at least 1 / DUE_SHARE of its reports arrived since its
# story was last grouped again (once per batch at most): reports ingested one at a time
# then cost one regroup per few reports, not one each.
DUE_SHARE = 4
# Reports of a story within this many days of a batch's reports are grouped again with
# them (whole events: an event is taken in when its span comes this near). Reports 8 days
# apart take a time penalty of 0.12, 16 days 0.24, so beyond that they seldom group.
# Timeline17 replicated to 30k reports (benchmarks/bench_cluster.py, batches of 200):
# 32 days → blocks of 378 reports on average, 703 articles/s; 16 → 305, 750/s; 8 → 264,
# 781/s. The evaluations cluster in one batch, so every story is one block there.
WINDOW_DAYS = 8
# Each group is then cut in two while it falls in two (halves.py: halves of at least
# BISECT_SMALLEST reports, reading under halves.SPLIT_RATIO times as alike across as
# inside, on the clusterer's uncentred similarity minus the time penalty). Centred on a
# pooled block, two happenings of one kind can read as one: ECB+ topic 14 (two Waitrose
# fires, Banstead 2008 and Wellington 2013) is one group in a block with any other topic's
# reports, two when grouped alone. ECB+ F1 (benchmarks/tune_regroup.py; without the cut
# 0.944, odd / even topics 0.946 / 0.942): smallest half 3 or 4 at ratio 0.60 / 0.65 /
# 0.70 / 0.75 → 0.951 / 0.951 / 0.955 / 0.951, all on the even topics (odd 0.946
# throughout; even 0.955 / 0.955 / 0.963 / 0.956); smallest half 2 at 0.65 / 0.70 → 0.946 /
# 0.945 (pairs of odd reports peeled off). The ratio is one with resplit's (the grid moves
# both), and 0.7 is the best for both. Event agreement of two shuffled orders unchanged
# (ECB+ 0.965, Timeline17 0.978); Timeline17 stories unchanged (0.955), its events 831 →
# 834.
BISECT_SMALLEST = 4


def due(size: int, pending: int) -> bool:
    """Whether a block of `size` reports, `pending` of them clustered since the story was
    last grouped again, is grouped again now."""
    return size >= SMALLEST_STORY and pending * DUE_SHARE >= size


def groups(state: ClusterState, block: Sequence[ArticleSignals]) -> list[int]:
    """A group number per report of the block (same number, same happening)."""
    grams = [gram(matrix) for matrix in _vectors(state, block)]
    penalty = pairwise_time_penalties([s.day for s in block], EVENT_DAYS)
    weighted = _weighted(grams)
    plain = weighted - penalty
    distance = 1.0 - (_centred(grams, weighted) - penalty).astype(np.float64)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(np.clip(distance, 0.0, None), checks=False), method="average")
    labels = [int(g) for g in fcluster(tree, t=CUT, criterion="distance")]
    return _bisected(labels, plain)


def _weighted(grams: list[np.ndarray]) -> np.ndarray:
    """The clusterer's own weighted cosines (MiniLM, terms, names)."""
    return EMBEDDING_WEIGHT * grams[0] + TERMS_WEIGHT * grams[1] + NAMES_WEIGHT * grams[2]


def _bisected(labels: list[int], plain: np.ndarray) -> list[int]:
    """The groups, each cut in two while it falls apart (halves.py)."""
    found = np.asarray(labels)
    pending = [np.flatnonzero(found == label) for label in sorted(set(labels))]
    next_label = max(labels, default=0) + 1
    while pending:
        members = pending.pop()
        similarity = plain[np.ix_(members, members)]
        np.fill_diagonal(similarity, 0.0)
        other = halves.bisection(similarity, BISECT_SMALLEST)
        if other is None:
            continue
        found[members[other]] = next_label
        next_label += 1
        pending += [members[~other], members[other]]
    return [int(g) for g in found]


def _vectors(state: ClusterState, block: Sequence[ArticleSignals]) -> list:
    """Unit MiniLM vectors, and unit tf-idf term and name vectors (the clusterer's idf)."""
    profiles = [state.profile(s) for s in block]
    return [
        unit_rows(np.stack([s.vector for s in block])),
        bag_rows(state, [p.terms for p in profiles]),
        bag_rows(state, [p.names for p in profiles]),
    ]


def _centred(grams: list[np.ndarray], plain: np.ndarray) -> np.ndarray:
    """Weighted cosines after centring each report on its nearest (by the clusterer's own
    weighting, `plain`, whose diagonal this overwrites), symmetrised; from the Gram
    matrices alone: (x - m)·(y - m) = x·y - x·m - y·m + m·m."""
    size = plain.shape[0]
    count = min(NEIGHBOURS, size - 1)
    np.fill_diagonal(plain, -np.inf)  # a report is not its own neighbour
    nearest = np.argpartition(-plain, count - 1, axis=1)[:, :count]
    # Row r averages the reports nearest to r.
    average = csr_matrix(
        (
            np.full(nearest.size, 1.0 / count, dtype=np.float32),
            (np.repeat(np.arange(size), count), nearest.ravel()),
        ),
        shape=(size, size),
    )
    total = np.zeros((size, size), dtype=np.float32)
    for dots, weight in zip(grams, WEIGHTS, strict=True):
        to_mean = np.asarray(average @ dots)  # [r, j]: x_j · m_r
        mean_norm = np.asarray(average.multiply(to_mean).sum(axis=1)).ravel()  # m_r · m_r
        own = np.diag(to_mean).copy()  # x_r · m_r
        # In place from here (the block's matrices are the regroup's main cost):
        # norms[r, j] = |x_j - m_r|², part = (x_r - m_r)·(x_j - m_r) / (|x_r - m_r| |x_j - m_r|).
        part = dots - to_mean
        part -= own[:, None]
        part += mean_norm[:, None]
        norms = to_mean
        norms *= -2.0
        norms += np.diag(dots)[None, :]
        norms += mean_norm[:, None]
        np.maximum(norms, 1e-12, out=norms)
        norms *= np.diag(norms).copy()[:, None]
        np.sqrt(norms, out=norms)
        part /= norms
        part *= weight / 2
        total += part
        total += part.T
    return total


def slices(block: list[ArticleSignals]) -> list[list[ArticleSignals]]:
    """The block in date order (undated last, then by id), cut into equal slices of at
    most LARGEST reports."""
    ordered = sorted(block, key=lambda s: (s.day is None, s.day or 0, s.article_id))
    count = -(-len(ordered) // LARGEST)
    size = -(-len(ordered) // count) if count else 0
    return [ordered[i : i + size] for i in range(0, len(ordered), size)] if size else []


def heirs(old: dict[str, set[str]], new: list[set[str]]) -> list[str | None]:
    """Which old event's id each new group keeps: by largest overlap (ties: the larger old
    event, then the lower id), each old id to at most one group; None for the rest."""
    pairs = sorted(
        (
            (-len(members & group), -len(members), event_id, index)
            for event_id, members in old.items()
            for index, group in enumerate(new)
            if members & group
        )
    )
    kept: list[str | None] = [None] * len(new)
    used: set[str] = set()
    for _, _, event_id, index in pairs:
        if kept[index] is None and event_id not in used:
            kept[index] = event_id
            used.add(event_id)
    return kept
