"""Grid search behind the batch second look at a story's events (storyline/cluster/unchain.py).

    python benchmarks/tune_unchain.py [--bench ../shared/bench] [--only ecbplus timeline17]

Runs the clusterer as shipped (`run_stream`, one batch, so every story is looked at again
at the end) over the pooled ECB+ documents for each grid point of the link and the
smallest part, and prints the stories' BCubed F1 against the topics (a topic's two
happenings are of one kind, so a topic is the nearest thing ECB+ has to a story), on the
odd and the even topics, and the story agreement of the two shuffled orders `storyline
eval` uses; then the split-half choice. On Timeline17 it prints story F1 and agreement at
each link with the shipped smallest part. Run ahead of time; the chosen values are written
into unchain.py by hand. Embeddings and entity mentions come from tune_cluster.py's cache.
"""

from __future__ import annotations

from tune_cluster import (
    bench_arguments,
    ecbplus_documents,
    labelled_signals,
    timeline17_documents,
)
from tune_regroup import ecbplus_grid, order_agreements

from storyline.cluster import unchain
from storyline.evaluate.bcubed import bcubed
from storyline.evaluate.streaming import run_stream

LINKS = (0.22, 0.25, 0.28)
SMALLEST = (4, 8, 12)


def main() -> None:
    args = bench_arguments(__doc__)
    if "ecbplus" in args.only:
        ecbplus(args.bench / "ecbplus")
    if "timeline17" in args.only:
        timeline17(args.bench / "timeline17")


def ecbplus(folder) -> None:
    documents = ecbplus_documents(folder)
    signals, gold = labelled_signals("ecbplus", documents)
    topics = {article: label.split("/")[0] for article, label in gold.items()}
    shipped = unchain.LINK, unchain.SMALLEST_LINKED_PART
    points = [(link, smallest) for smallest in SMALLEST for link in LINKS]
    ecbplus_grid(signals, topics, points, _set_unchain, 1, "(link, smallest)")
    _set_unchain(shipped)


def _set_unchain(point: tuple[float, int]) -> None:
    unchain.LINK, unchain.SMALLEST_LINKED_PART = point


def timeline17(folder) -> None:
    documents = timeline17_documents(folder)
    signals, gold = labelled_signals("t17", documents)
    shipped = unchain.LINK
    for link in LINKS:
        unchain.LINK = link
        _, stories = run_stream(signals)
        print(
            f"timeline17 (link {link}, smallest {unchain.SMALLEST_LINKED_PART}): story F1"
            f" {bcubed(stories, gold)['bcubed_f1']:.4f}, story agreement"
            f" {order_agreements(signals)[1]:.4f}",
            flush=True,
        )
    unchain.LINK = shipped


if __name__ == "__main__":
    main()
