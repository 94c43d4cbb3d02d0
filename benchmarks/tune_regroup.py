"""Grid search behind the batch second look at a story's reports (storyline/cluster/regroup.py).

    python benchmarks/tune_regroup.py [--bench ../shared/bench] [--only ecbplus timeline17]

Runs the clusterer as shipped (`run_stream`, one batch, so every story is grouped again at
the end) over the pooled ECB+ documents for each grid point of the cut and the smallest
block regrouped, and prints BCubed F1 (date order, as `storyline eval`), F1 on the odd and
the even topics, and the event agreement of the two shuffled orders `storyline eval` uses;
then the split-half choice (chosen on one half of the topics, scored on the other); then
the same for the smallest half and the ratio at which a regrouped group is cut in two. On
Timeline17 it prints story F1 and the event and story agreement at the shipped values.
Run ahead of time; the chosen values are written into regroup.py by hand. Embeddings and
entity mentions come from tune_cluster.py's cache.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from tune_cluster import (
    bench_arguments,
    ecbplus_documents,
    labelled_signals,
    timeline17_documents,
)

from storyline.cluster import halves, regroup
from storyline.evaluate.bcubed import bcubed
from storyline.evaluate.streaming import run_stream

CUTS = (0.97, 0.99, 1.01)
SMALLEST = (4, 12, 16, 20)
BISECT_SMALLEST = (2, 3, 4)
BISECT_RATIOS = (0.6, 0.65, 0.7, 0.75)


def main() -> None:
    args = bench_arguments(__doc__)
    if "ecbplus" in args.only:
        ecbplus(args.bench / "ecbplus")
    if "timeline17" in args.only:
        timeline17(args.bench / "timeline17")


def ecbplus(folder) -> None:
    documents = ecbplus_documents(folder)
    signals, gold = labelled_signals("ecbplus", documents)
    shipped = regroup.CUT, regroup.SMALLEST_STORY
    points = [(cut, smallest) for smallest in SMALLEST for cut in CUTS]
    ecbplus_grid(signals, gold, points, _set_regroup, 0, "(cut, smallest)")
    _set_regroup(shipped)
    shipped_bisect = regroup.BISECT_SMALLEST, halves.SPLIT_RATIO
    points = [(smallest, ratio) for smallest in BISECT_SMALLEST for ratio in BISECT_RATIOS]
    ecbplus_grid(signals, gold, points, _set_bisect, 0, "(smallest half, bisect ratio)")
    _set_bisect(shipped_bisect)


def _set_regroup(point: tuple[float, int]) -> None:
    regroup.CUT, regroup.SMALLEST_STORY = point


def _set_bisect(point: tuple[int, float]) -> None:
    regroup.BISECT_SMALLEST, halves.SPLIT_RATIO = point


def timeline17(folder) -> None:
    documents = timeline17_documents(folder)
    signals, gold = labelled_signals("t17", documents)
    _, stories = run_stream(signals)
    events_agree, stories_agree = order_agreements(signals)
    print(
        f"timeline17 (cut {regroup.CUT}, smallest {regroup.SMALLEST_STORY}): story F1"
        f" {bcubed(stories, gold)['bcubed_f1']:.4f}, event agreement {events_agree:.4f},"
        f" story agreement {stories_agree:.4f}"
    )


def ecbplus_grid(
    signals: Sequence,
    gold: dict[str, str],
    points: Sequence[tuple[float, float]],
    apply: Callable[[Any], None],
    which: int,
    label: str,
) -> None:
    """For each point: apply it, cluster, print BCubed F1 of events (which 0) or stories
    (which 1) against gold, on all, the even and the odd topics, and the agreement of two
    shuffled orders; then the split-half choice."""
    halves: dict[tuple[float, float], tuple[float, float]] = {}
    for point in points:
        apply(point)
        clusters = run_stream(signals)[which]
        even, odd = (half_f1(clusters, gold, parity) for parity in (0, 1))
        halves[point] = even, odd
        agreement = order_agreements(signals)[which]
        print(
            f"ecbplus {label} {point}: F1 {bcubed(clusters, gold)['bcubed_f1']:.4f} (even topics"
            f" {even:.4f}, odd {odd:.4f}), {('event', 'story')[which]} agreement {agreement:.4f}",
            flush=True,
        )
    print_split_half(halves, label)


def print_split_half(halves: dict[tuple[float, float], tuple[float, float]], point: str) -> None:
    """The point chosen on each half of the topics (F1 on even, odd), scored on the other."""
    for tune, other in ((0, 1), (1, 0)):
        best = max(halves, key=lambda p: (halves[p][tune], p))
        print(
            f"split-half: chosen on the {'odd' if tune else 'even'} topics {point} ="
            f" {best}, F1 {halves[best][tune]:.4f}; on the other half {halves[best][other]:.4f},"
            f" best there {max(h[other] for h in halves.values()):.4f}"
        )


def half_f1(events: dict[str, str], gold: dict[str, str], parity: int) -> float:
    keep = [a for a in events if int(gold[a].split("/")[0]) % 2 == parity]
    return bcubed({a: events[a] for a in keep}, {a: gold[a] for a in keep})["bcubed_f1"]


def order_agreements(signals: Sequence) -> tuple[float, float]:
    """Event and story BCubed F1 of the second shuffled order against the first."""
    first, second = list(signals), list(signals)
    random.Random(1).shuffle(first)
    random.Random(2).shuffle(second)
    (events_a, stories_a), (events_b, stories_b) = run_stream(first), run_stream(second)
    return bcubed(events_b, events_a)["bcubed_f1"], bcubed(stories_b, stories_a)["bcubed_f1"]


if __name__ == "__main__":
    main()
