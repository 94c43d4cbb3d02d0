"""Stories that stay apart: how the stories hold together on Timeline17, pooled and by half.

    python benchmarks/tune_stories.py [--bench ../shared/bench] [--grid]

Prints, for all folders pooled and for each half of the topics, BCubed F1 of the stories
against the topics, and per topic the share of its reports in its largest story and the
share of that story that is the topic's; then what each story holds. The halves put the
two concurrent uprisings (LibyaWar, SyrianCrisis) in one half with two other topics, the
rest in the other, so a rule chosen on the half without them is checked where stories of
one kind run side by side, and a rule chosen on that half is checked where they do not.
With --grid, every point of the story-identity grid (cluster/cast.py) on each half, and
the point chosen on each half scored on the other. Signals come from tune_cluster.py's cache.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from tune_cluster import DEFAULT_BENCH, labelled_signals, timeline17_documents

from storyline.evaluate.bcubed import bcubed, class_shares
from storyline.evaluate.streaming import order_agreement, run_stream

# Topics with a same-kind neighbour in the same months go in one half.
SIDE_BY_SIDE = ("LibyaWar", "SyrianCrisis", "MJ", "haiti")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--agreement", action="store_true", help="also two shuffled orders")
    args = parser.parse_args()
    signals, gold = labelled_signals("t17", timeline17_documents(args.bench / "timeline17"))
    halves = topic_halves(signals, gold)
    for name, part in (("all", signals), *halves.items()):
        report(name, part, gold, show_stories=name == "all")
        if args.agreement:
            print(f"{name}: order agreement {order_agreement(part)}", flush=True)


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
