"""Grid search behind the clustering thresholds in storyline/cluster/scoring.py.

    python benchmarks/tune_cluster.py [--bench ../shared/bench] [--only ecbplus timeline17 strays]

Run ahead of time on the development folders; the chosen values are then written into
scoring.py by hand (the evaluations never tune). Embeddings and entity mentions are cached
in the temp folder, so a second run only re-clusters.
"""

from __future__ import annotations

import argparse
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path

from storyline.cluster import events as stream_module
from storyline.cluster import halves, relink, resplit
from storyline.evaluate.bcubed import bcubed
from storyline.evaluate.ecbplus import read_ecbplus
from storyline.evaluate.streaming import (
    LabelledDocument,
    document_signals,
    embed_documents,
    ner_mentions,
    run_stream,
)
from storyline.evaluate.timeline17 import find_topics, read_articles

DEFAULT_BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "bench"


def cached_signals(name: str, documents: list[LabelledDocument]) -> list:
    cache = Path(tempfile.gettempdir()) / f"storyline-tune-{name}-{len(documents)}.pkl"
    if cache.exists():
        vectors, mentions = pickle.loads(cache.read_bytes())
    else:
        vectors = embed_documents(documents)
        mentions = ner_mentions([d.text for d in documents])
        cache.write_bytes(pickle.dumps((vectors, mentions)))
    return document_signals(documents, vectors, mentions)


def labelled_signals(name: str, documents: list[LabelledDocument]) -> tuple[list, dict[str, str]]:
    """The documents' cached signals, and each document's gold label by article id."""
    return cached_signals(name, documents), {d.id: d.label for d in documents}


def ecbplus_documents(folder: Path) -> list[LabelledDocument]:
    return [
        LabelledDocument(str(d.path), None, d.text, None, f"{d.topic}/{d.kind}")
        for d in read_ecbplus(folder)
    ]


def timeline17_documents(folder: Path) -> list[LabelledDocument]:
    articles = [a for topic in find_topics(folder) for a in read_articles(topic)]
    articles.sort(key=lambda a: (a.time or "", a.id))
    return [LabelledDocument(a.id, None, a.text, a.time, a.topic) for a in articles if a.text]


def ecbplus_f1(
    signals: list, gold: dict[str, str], threshold: float, ratio: float, min_part: float = 3
) -> float:
    set_event_constants(threshold, ratio, min_part)
    events, _ = run_stream(signals)
    return bcubed(events, {s.article_id: gold[s.article_id] for s in signals})["bcubed_f1"]


def set_event_constants(threshold: float, ratio: float, min_part: float) -> None:
    """The join threshold and the second look's split ratio and smallest half."""
    stream_module.EVENT_THRESHOLD = threshold
    halves.SPLIT_RATIO = ratio
    resplit.SPLIT_MIN_PART = int(min_part)
    resplit.CHECKPOINTS = resplit._checkpoints()  # the sizes re-examined follow the min part


def split_half(signals: list, gold: dict[str, str], grid: list[tuple[float, ...]]) -> None:
    """Choose (threshold, ratio, min part) on the odd-numbered topics, score it on the even
    ones, and the other way round: how much the choice overfits the topics it was made on."""
    topic = {article: int(label.split("/")[0]) for article, label in gold.items()}
    halves = {
        parity: [s for s in signals if topic[s.article_id] % 2 == parity] for parity in (0, 1)
    }
    _tune_on_each_half(halves, lambda half, p: ecbplus_f1(half, gold, *p), grid, "topics")


def _tune_on_each_half(
    halves: dict[int, list],
    score: Callable[[list, tuple[float, ...]], float],
    grid: list[tuple[float, ...]],
    unit: str,
) -> None:
    """Choose the grid point on one half, score it on the other, both ways round, and print
    how far the choice falls from the best possible on the half it never saw."""
    for tune, other in ((1, 0), (0, 1)):
        tuned = {p: score(halves[tune], p) for p in grid}
        best = max(grid, key=lambda p: (tuned[p], p))
        held_out = {p: score(halves[other], p) for p in grid}
        print(
            f"split-half: tuned on {'odd' if tune else 'even'} {unit} -> {best}"
            f" (F1 {tuned[best]}); on the other half F1 {held_out[best]},"
            f" best possible there {max(held_out.values())}",
            flush=True,
        )


def story_f1(signals: list, gold: dict[str, str], relink_threshold: float, margin: float) -> float:
    relink.STORY_RELINK_THRESHOLD = relink_threshold
    relink.REHOME_MARGIN = margin
    _, stories = run_stream(signals)
    return bcubed(stories, {s.article_id: gold[s.article_id] for s in signals})["bcubed_f1"]


def story_split_half(signals: list, gold: dict[str, str], grid: list[tuple[float, ...]]) -> None:
    """The second looks at stories (relink.py), chosen on the odd-numbered Timeline17 folders
    and scored on the even ones, and the other way round (each half holds every topic but
    other outlets' articles)."""
    folders = sorted({s.article_id.split("/")[0] for s in signals})
    parity = {folder: number % 2 for number, folder in enumerate(folders)}
    halves = {
        side: [s for s in signals if parity[s.article_id.split("/")[0]] == side] for side in (0, 1)
    }
    _tune_on_each_half(halves, lambda half, p: story_f1(half, gold, *p), grid, "folders (stories)")


def stray_f1(signals: list, gold: dict[str, str], first_delay: float, threshold: float) -> float:
    relink.STRAY_DELAYS = (int(first_delay), int(8 * first_delay)) if first_delay else ()
    relink.STRAY_THRESHOLD = threshold
    _, stories = run_stream(signals)
    return bcubed(stories, {s.article_id: gold[s.article_id] for s in signals})["bcubed_f1"]


def tune_strays(signals: list, gold: dict[str, str]) -> None:
    """The delayed look at small stories (relink.py STRAY_*): every grid point on all
    Timeline17 folders and on each half (odd / even folders), then chosen on one half and
    scored on the other. A first delay of 0 switches the look off."""
    chosen = (relink.STRAY_DELAYS, relink.STRAY_THRESHOLD)
    folders = sorted({s.article_id.split("/")[0] for s in signals})
    parity = {folder: number % 2 for number, folder in enumerate(folders)}
    halves = {
        side: [s for s in signals if parity[s.article_id.split("/")[0]] == side] for side in (0, 1)
    }
    grid: list[tuple[float, ...]] = [(0.0, 0.10)]
    grid += [(d, t) for d in (32.0, 64.0, 128.0) for t in (0.08, 0.10, 0.12)]
    for point in grid:
        figures = [round(stray_f1(part, gold, *point), 4) for part in (signals, *halves.values())]
        print("timeline17 strays (first delay, threshold)", point, "all/even/odd", figures)
    _tune_on_each_half(halves, lambda half, p: stray_f1(half, gold, *p), grid, "folders (strays)")
    relink.STRAY_DELAYS, relink.STRAY_THRESHOLD = chosen  # back to the values in the code


def bench_arguments(description: str | None) -> argparse.Namespace:
    """--bench (the labelled data) and --only (which of ecbplus, timeline17), shared by the
    clustering benchmarks."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--only", nargs="*", default=["ecbplus", "timeline17"])
    return parser.parse_args()


def main() -> None:
    args = bench_arguments(__doc__)
    if "ecbplus" in args.only:
        documents = ecbplus_documents(args.bench / "ecbplus")
        signals, gold = labelled_signals("ecbplus", documents)
        chosen = (stream_module.EVENT_THRESHOLD, halves.SPLIT_RATIO, resplit.SPLIT_MIN_PART)
        grid: list[tuple[float, ...]] = [
            (t, r, m) for t in (0.28, 0.30, 0.32, 0.34) for r in (0.6, 0.7, 0.8) for m in (2, 3)
        ]
        for threshold, ratio, min_part in grid:
            f1 = ecbplus_f1(signals, gold, threshold, ratio, min_part)
            print(
                "ecbplus event_threshold", threshold, "split_ratio", ratio, "min_part", min_part,
                f1, flush=True,
            )  # fmt: skip
        split_half(signals, gold, grid)
        set_event_constants(*chosen)  # back to the values in the code
    if "timeline17" in args.only:
        documents = timeline17_documents(args.bench / "timeline17")
        signals, gold = labelled_signals("t17", documents)
        story_constants = (stream_module.STORY_THRESHOLD, stream_module.STORY_MERGE_THRESHOLD)
        for story, merge in ((0.12, 0.4), (0.15, 0.4), (0.15, 0.5), (0.2, 0.4)):
            stream_module.STORY_THRESHOLD = story
            stream_module.STORY_MERGE_THRESHOLD = merge
            _, stories = run_stream(signals)
            print("timeline17 story/merge", story, merge, bcubed(stories, gold), flush=True)
        stream_module.STORY_THRESHOLD, stream_module.STORY_MERGE_THRESHOLD = story_constants
        # 99 switches a second look off.
        relink_grid: list[tuple[float, ...]] = [(99.0, 99.0)]
        relink_grid += [(t, m) for t in (0.25, 0.3, 0.35) for m in (0.0, 0.05)]
        for threshold, margin in relink_grid:
            f1 = story_f1(signals, gold, threshold, margin)
            print("timeline17 relink", threshold, "rehome margin", margin, f1, flush=True)
        story_split_half(signals, gold, relink_grid)
    if "strays" in args.only:
        documents = timeline17_documents(args.bench / "timeline17")
        signals, gold = labelled_signals("t17", documents)
        tune_strays(signals, gold)


if __name__ == "__main__":
    main()
