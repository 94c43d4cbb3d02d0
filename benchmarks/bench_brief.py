"""Time to brief a large story: ingest Timeline17 articles, then build claims and the briefing.

    python benchmarks/bench_brief.py [DATA_DIR] [--limit 2000] [--db PATH]

Ingests up to --limit articles (every analysis stage runs) into a store (kept at --db so a
second run skips the ingest), then times the briefing of the largest story built from the
stored rows (twice: the first call in this process is "cold"; sentence vectors come from
the cache the enrich stage fills), read as analysis kept it, and the whole store's built.
Wall seconds and this process's CPU seconds (the machine may be shared).
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable
from pathlib import Path

from storyline import Settings, Storyline, synthesise
from storyline.ingest import read_inputs
from storyline.models import Briefing

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "bench" / "timeline17"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/storyline-bench-brief.db"))
    args = parser.parse_args()
    files = sorted(args.data.rglob("articles.jsonl")) + sorted(
        args.data.rglob("articles.tokenized.jsonl.gz")
    )
    with Storyline(Settings(db_path=args.db)) as storyline:
        started = time.perf_counter()
        if len(storyline.store.article_ids()) < args.limit:
            documents = itertools.islice(read_inputs(files, storyline.settings), args.limit)
            report = storyline.ingest_documents(documents)
            added = len(report.added)
        else:
            storyline.analyse()  # finishes the analysis of a run that was stopped
            added = 0
        print(f"ingest + analysis: {added} new articles in {time.perf_counter() - started:.0f} s")
        stories = sorted(storyline.stories(), key=lambda s: -len(s.articles))
        largest = stories[0]
        print(
            f"stories: {len(stories)}; largest: {len(largest.articles)} articles ({largest.title[:60]!r})"
        )
        runs: list[tuple[str, Callable[[], Briefing]]] = [
            ("largest story, built", lambda: synthesise.brief(storyline.store, largest.id)),
            ("largest story, built again", lambda: synthesise.brief(storyline.store, largest.id)),
            ("largest story, as kept by analysis", lambda: storyline.brief(largest.id)),
            ("whole store, built", lambda: storyline.brief(None)),
        ]
        for label, run in runs:
            started, cpu = time.perf_counter(), time.process_time()
            briefing = run()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            sentences = sum(len(s.sentences) for s in briefing.sections)
            print(f"brief {label}: {elapsed:.2f} s wall, {cpu:.2f} s CPU, {sentences} sentences")


if __name__ == "__main__":
    main()
