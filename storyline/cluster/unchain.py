"""A second look at a story's events, all at once: is it several stories chained together?

Streaming links a new event to the story of its most alike event or summary, so stories
of one kind (two shootings, two arrests) can chain into one through an event that reads
a little like both, and which ones chain depends on who came first (two shuffled orders
of ECB+ agreed on stories at BCubed 0.83). So when a batch of reports has been clustered,
each story it touched is cut where its events fall apart: single linkage over the story's
events, each pair scored as the stream scores an event against a story's (text similarity
minus the story time penalty), joined at LINK; a part holding fewer than SMALLEST_LINKED_PART reports
goes back to the part it is most alike, so a stray event does not leave its long-running
story. The result depends on the story's events, not on their order.

Our own rule (scipy finds the connected parts): no library cuts a chain of clusters
apart where no member of one side reads like any member of the other.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from .scoring import (
    EMBEDDING_WEIGHT,
    NAMES_WEIGHT,
    STORY_DAYS,
    TERMS_WEIGHT,
    Summary,
    Weighting,
    bag_rows,
    gram,
    pairwise_time_penalties,
    unit_rows,
)

# Two events are linked when their similarity reaches this. ECB+ (all documents pooled;
# stories against topics, BCubed F1 / story agreement of two shuffled orders; the stream
# alone 0.805 / 0.826), at SMALLEST_LINKED_PART 8: LINK 0.22 → 0.887 / 0.928, 0.25 → 0.926 / 0.974,
# 0.28 → 0.883 / 0.991. Timeline17 stories F1: 0.22 and 0.25 leave it at 0.955, 0.28 →
# 0.947 (benchmarks/tune_unchain.py).
LINK = 0.25
# Reports a part must hold to stand as a story of its own (a topic's happening in ECB+
# holds 9 reports on average). ECB+ at LINK 0.25: 4 → 0.922 / 0.974, 8 → 0.926 / 0.974,
# 12 → 0.927 / 0.910; on F1 against topics alone a split-half check prefers 12, but its
# stories then depend on the order. Timeline17: at 8 stories are as they were; a
# prototype where every part stood gave 0.940 (86 stories for 24).
SMALLEST_LINKED_PART = 8
# A story is looked at again when at least 1 / DUE_SHARE of its reports arrived since its
# last look (once per batch at most), as in regroup.py.
DUE_SHARE = 4
# Stories with more events than this are left whole (the work is quadratic in them).
LARGEST = 2000


def due(size: int, events: int, pending: int) -> bool:
    """Whether a story of `size` reports in `events` events, `pending` reports of them
    clustered since its last look, is looked at now."""
    return (
        size >= 2 * SMALLEST_LINKED_PART and 1 < events <= LARGEST and pending * DUE_SHARE >= size
    )


def similarity(weighting: Weighting, events: Sequence[Summary]) -> np.ndarray:
    """Pairwise text similarity of the events' summaries (the stream's weighting), minus
    the story time penalty between their spans."""
    text = (
        EMBEDDING_WEIGHT * gram(unit_rows(np.stack([e.vector for e in events])))
        + TERMS_WEIGHT * gram(bag_rows(weighting, [e.terms for e in events]))
        + NAMES_WEIGHT * gram(bag_rows(weighting, [e.names for e in events]))
    )
    penalty = pairwise_time_penalties(
        [e.first_day for e in events], STORY_DAYS, [e.last_day for e in events]
    )
    return text - penalty


def parts(similarity: np.ndarray, sizes: Sequence[int]) -> list[int]:
    """A part number per event (0 for all when the story stays whole); parts numbered in
    the order of their first event."""
    linked = csr_matrix(similarity >= LINK)
    count, labels = connected_components(linked, directed=False)
    reports = np.bincount(labels, weights=np.asarray(sizes, dtype=np.float64), minlength=count)
    standing = [part for part in range(count) if reports[part] >= SMALLEST_LINKED_PART]
    if len(standing) < 2:
        return [0] * len(sizes)
    for part in range(count):
        if part not in standing:
            inside = labels == part
            closest = [float(similarity[inside][:, labels == s].max()) for s in standing]
            labels[inside] = standing[int(np.argmax(closest))]  # ties: the earlier part
    first_seen = {part: number for number, part in enumerate(dict.fromkeys(labels.tolist()))}
    return [first_seen[part] for part in labels.tolist()]
