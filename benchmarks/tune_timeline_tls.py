"""Tune the fixed choices of `storyline eval timeline17` on the development folders.

    python benchmarks/tune_timeline_tls.py [--data ../shared/bench/timeline17] [--cache FILE]

Reads every folder's sentences once (optionally cached in a pickle outside the repo), then
prints the eval's figures for a small grid of the module's constants. The winners are
written into storyline/evaluate/timeline_tls.py by hand; the eval itself never tunes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import pickle
from pathlib import Path
from typing import Any

from storyline.evaluate import timeline_tls as tls
from storyline.evaluate.timeline17 import find_topics, read_articles

# The last grid tried; earlier ones: STORY_IDF, MENTIONS_FIRST, PUBLISHED_ALL and
# LEAD_BONUS (all lowered AR-1 from 0.111), MAX_TOKENS 40/60/100 (100 best, barely).
GRID = {
    "MAX_TOKENS": [60, 100],
    "PUBLISHED_WEIGHT": [0.0, 0.5],
}


def load(data: Path, cache: Path | None) -> list[Any]:
    if cache is not None and cache.exists():
        with cache.open("rb") as handle:
            return list(pickle.load(handle))
    folders = [
        (tls.read_sentences(read_articles(f)), tls.read_keywords(f), tls.read_gold(f))
        for f in find_topics(data)
    ]
    if cache is not None:
        with cache.open("wb") as handle:
            pickle.dump(folders, handle)
    return folders


def score(folders: list[Any]) -> dict[str, float]:
    from tilse.data.timelines import GroundTruth
    from tilse.data.timelines import Timeline as TilseTimeline

    rouge = tls._RougeScorer()
    rows = []
    for sentences, keywords, golds in folders:
        for gold in golds:
            dates = len(gold)
            per_date = max(1, round(sum(len(s) for s in gold.values()) / dates))
            start, end = min(gold), max(gold)
            pool = [s for s in sentences if start <= s.published <= end]
            system = tls.datewise(pool, keywords, dates, per_date, start, end)
            rows.append(rouge.score(TilseTimeline(system), GroundTruth([TilseTimeline(gold)])))
    return tls._mean(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "timeline17"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    folders = load(args.data, args.cache)
    names = list(GRID)
    for values in itertools.product(*(GRID[n] for n in names)):
        for name, value in zip(names, values, strict=True):
            setattr(tls, name, value)
        print(json.dumps({**dict(zip(names, values, strict=True)), **score(folders)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
