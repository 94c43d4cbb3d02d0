"""Stories that stay apart: how the stories hold together on Timeline17, pooled and by half.

    python benchmarks/tune_stories.py [--bench ../shared/bench] [--grid]

Prints, for all folders pooled and for each half of the topics, BCubed F1 of the stories
against the topics, and per topic the share of its reports in its largest story and the
share of that story that is the topic's; then what each story holds. The halves put the
two concurrent uprisings (LibyaWar, SyrianCrisis) in one half with two other topics, the
rest in the other, so a rule chosen on the half without them is checked where stories of
one kind run side by side, and a rule chosen on that half is checked where they do not.
With --grid, every point of the grid of cast.SPLIT and cast.SMALLEST_CAST_PART (cluster/cast.py) on each half (mean F1 of
publication order and three shuffled orders), and the point chosen on each half scored on
the other. Signals come from tune_cluster.py's cache.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from tune_cluster import DEFAULT_BENCH, labelled_signals, timeline17_documents

from storyline.cluster import cast
from storyline.evaluate.bcubed import bcubed, class_shares
from storyline.evaluate.streaming import order_agreement, run_stream

# Topics with a same-kind neighbour in the same months go in one half.
SIDE_BY_SIDE = ("LibyaWar", "SyrianCrisis", "MJ", "haiti")
# (cast.SPLIT, cast.SMALLEST_CAST_PART) points tried; SPLIT 0 switches the cast test off. Each is
# scored in publication order and in SHUFFLES shuffled orders (the mean), so a point is
# not chosen for one order.
SPLIT_GRID = [(0.0, 8)] + [
    (split, smallest) for split in (0.1, 0.15, 0.2, 0.25) for smallest in (8, 16)
]
SHUFFLES = (1, 2, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--agreement", action="store_true", help="also two shuffled orders")
    parser.add_argument(
        "--grid", action="store_true", help="tune cast.SPLIT and SMALLEST_CAST_PART on each half"
    )
    args = parser.parse_args()
    signals, gold = labelled_signals("t17", timeline17_documents(args.bench / "timeline17"))
    halves = topic_halves(signals, gold)
    if args.grid:
        split_grid(halves, gold)
        return
    for name, part in (("all", signals), *halves.items()):
        report(name, part, gold, show_stories=name == "all")
        if args.agreement:
            print(f"{name}: order agreement {order_agreement(part)}", flush=True)


def split_grid(halves: dict[str, list], gold: dict[str, str]) -> None:
    """Every SPLIT_GRID point on each half, then the point chosen on each half scored on
    the other."""
    chosen = (cast.SPLIT, cast.SMALLEST_CAST_PART)
    scores: dict[str, dict[tuple[float, int], float]] = {name: {} for name in halves}
    for point in SPLIT_GRID:
        cast.SPLIT, cast.SMALLEST_CAST_PART = point
        for name, part in halves.items():
            scores[name][point] = orders_f1(part, gold)
        print(
            f"(SPLIT, SMALLEST) {point}: " + ", ".join(f"{n} {scores[n][point]}" for n in halves),
            flush=True,
        )
    for tuned, other in (tuple(halves), tuple(reversed(halves))):
        best = max(SPLIT_GRID, key=lambda p: (scores[tuned][p], -p[0], p[1]))
        print(
            f"tuned on the {tuned} -> (SPLIT, SMALLEST) {best} (F1 {scores[tuned][best]});"
            f" on the {other} F1 {scores[other][best]}, best there {max(scores[other].values())}"
        )
    cast.SPLIT, cast.SMALLEST_CAST_PART = chosen


def orders_f1(signals: Sequence, gold: dict[str, str]) -> float:
    """Mean stories BCubed F1 over publication order and the SHUFFLES orders."""
    truth = {s.article_id: gold[s.article_id] for s in signals}
    figures = []
    for seed in (None, *SHUFFLES):
        order = list(signals)
        if seed is not None:
            random.Random(seed).shuffle(order)
        figures.append(bcubed(run_stream(order)[1], truth)["bcubed_f1"])
    return round(sum(figures) / len(figures), 4)


def topic_halves(signals: Sequence, gold: dict[str, str]) -> dict[str, list]:
    return {
        "side-by-side half": [s for s in signals if gold[s.article_id] in SIDE_BY_SIDE],
        "other half": [s for s in signals if gold[s.article_id] not in SIDE_BY_SIDE],
    }


def report(name: str, signals: Sequence, gold: dict[str, str], show_stories: bool) -> float:
    started = time.perf_counter()
    _, stories = run_stream(signals)
    truth = {s.article_id: gold[s.article_id] for s in signals}
    scores = bcubed(stories, truth)
    print(
        f"{name}: {len(signals)} reports, {len(set(stories.values()))} stories, {scores}"
        f" [{time.perf_counter() - started:.0f}s]",
        flush=True,
    )
    for topic, share in class_shares(stories, truth).items():
        print(f"  {topic:14} {share}")
    if show_stories:
        held: dict[str, Counter[str]] = {}
        for article, story in stories.items():
            held.setdefault(story, Counter())[truth[article]] += 1
        for story, counts in sorted(held.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
            print(f"  story {story} of {sum(counts.values()):5}: {dict(counts.most_common())}")
    return scores["bcubed_f1"]


if __name__ == "__main__":
    main()
