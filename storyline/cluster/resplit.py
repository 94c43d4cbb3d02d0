"""A second look at a growing event: was it two happenings of the same kind all along?

Streaming assignment decides with the evidence of the moment: the first report of a
second earthquake, arriving while only the first one's event exists, may join it on the
topic words they share, and the mixed event then draws in the rest of both. So when an
event reaches one of a few sizes (a geometric series, so the work per article stays
bounded), its members are compared pairwise and bisected (halves.py); when the two halves
are much less alike to each other than within themselves, the half without the founding
article becomes a new event of the same story. The decision depends on the set
of members, not on their order, which also makes the result less dependent on arrival
order. Events an analyst has corrected are never re-split, nor events of stories of
regroup.SMALLEST_STORY reports or more: those are grouped again whole when a batch ends
(regroup.py). Skipping their re-splits made clustering Timeline17 replicated to 100k
reports 45% faster (benchmarks/bench_cluster.py, 457 → 661 articles/s) and left ECB+ F1
at 0.944; it cost some order agreement (ECB+ events 0.975 → 0.965, stories 0.845 →
0.826; Timeline17 events 0.983 → 0.977).
"""

from __future__ import annotations

import numpy as np

from . import regroup
from .scoring import EVENT_DAYS, Probe, Summary
from .signals import ArticleSignals
from .state import ClusterState

# Both halves need this many members: a lone odd report is no second happening, but two
# can be (the seeds' follow-up meeting, which joins the first meeting's event under the
# join threshold of 0.28). ECB+ development folders (threshold 0.28, ratio 0.7): 2 → F1
# 0.905, 3 → 0.907 (the split-half check picks 3 on either half); we take 2 for the seeds,
# at a cost of 0.002. Timeline17 stories: 0.9588 either way.
SPLIT_MIN_PART = 2
# Sizes at which an event is re-examined: from SPLIT_FIRST, each SPLIT_GROWTH times the
# last, up to SPLIT_LARGEST (beyond it an event is settled; the cost per check is quadratic).
# Sizes below 2 × SPLIT_MIN_PART are skipped: no split could pass.
SPLIT_FIRST = 4
SPLIT_GROWTH = 1.3
SPLIT_LARGEST = 48


def _checkpoints() -> frozenset[int]:
    sizes, size = set(), float(SPLIT_FIRST)
    while size <= SPLIT_LARGEST:
        if round(size) >= 2 * SPLIT_MIN_PART:
            sizes.add(round(size))
        size *= SPLIT_GROWTH
    return frozenset(sizes)


CHECKPOINTS = _checkpoints()


def due(size: int, story_size: int) -> bool:
    """Whether an event that just reached this size, in a story of `story_size` reports,
    is re-examined (a story that large is regrouped instead, see above)."""
    return size in CHECKPOINTS and story_size < regroup.SMALLEST_STORY


def similarity_matrix(state: ClusterState, members: list[ArticleSignals]) -> np.ndarray:
    """Symmetric pairwise similarity (event time scale) of the members; zero diagonal."""
    profiles = [state.profile(m) for m in members]
    size = len(profiles)
    matrix = np.zeros((size, size))
    for row, profile in enumerate(profiles[:-1]):
        with Probe(profile, state) as probe:
            matrix[row, row + 1 :] = probe.similarities(profiles[row + 1 :], EVENT_DAYS)
    return matrix + matrix.T


def corrected(state: ClusterState, event: Summary) -> bool:
    """Whether an analyst merged into or moved into this event (then it stays as it is)."""
    row = state.store.execute("SELECT 1 FROM corrections WHERE target = ? LIMIT 1", (event.id,))
    return row.fetchone() is not None
