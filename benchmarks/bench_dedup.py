"""Copy-detection speed on the Timeline17 articles: articles/s at 1k and at all articles.

    python benchmarks/bench_dedup.py [--data ../shared/bench/timeline17] [--batch 500]
                                     [--rewrites] [--limit N]

Reads every `articles.jsonl` / `articles.tokenized.jsonl.gz` under the folder (recursively),
cleans and stores the articles in a temporary store (not timed), then times the dedup
stage (exact copies + MinHash LSH near-duplicates; the embedding-based rewrite check is
excluded unless --rewrites) batch by batch in arrival order, the way the pipeline runs
it. Prints one JSON object: articles/s for the first 1,000 and for all, the per-article
cost of every batch (to show how it grows as the index fills), and the relations found.

Batches of 500 are hashed and signed in the stage's process pool (storyline/dedup/
workers.py; forked once, before the clock), so articles/s by the wall clock uses every
core; articles per CPU-second counts the parent's and the workers' CPU time together.
Per-article cost follows article length: the first 500 Timeline17 articles average
2,082 words (one has 139,776), the rest 480-1,140.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from storyline.dedup import duplicates, find_copies
from storyline.dedup.minhash import CandidateIndex, hashed_text
from storyline.dedup.workers import warm_up, worker_pids
from storyline.errors import RejectedInput
from storyline.extract import build_article, text_fingerprint
from storyline.models import Article, RawDocument
from storyline.settings import Settings
from storyline.store import Store

FIRST = 1000


def read_documents(data: Path) -> Iterator[RawDocument]:
    files = sorted(data.rglob("articles.jsonl")) + sorted(data.rglob("articles.tokenized.jsonl.gz"))
    for path in sorted(files):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                if not line.strip():
                    continue
                record = json.loads(line)
                yield RawDocument(
                    source=f"{path.parent.name}/{record.get('id', number)}",
                    text=record.get("text") or "",
                    published=(record.get("time") or "")[:10] or None,
                )


def prepare(data: Path, settings: Settings) -> list[Article]:
    articles: dict[str, Article] = {}
    for raw in read_documents(data):
        try:
            article = build_article(raw, settings)
        except RejectedInput:
            continue
        articles.setdefault(article.id, article)
    # Arrival in publication order, as a news stream would bring them.
    return sorted(articles.values(), key=lambda a: (a.published or "", a.source))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "timeline17"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--rewrites",
        action="store_true",
        help="include the rewrite check (sentence embeddings of candidate pairs): the cost a"
        " real ingest pays, outside the copy-detection target",
    )
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    args = parser.parse_args()
    settings = Settings()
    articles = prepare(args.data, settings)
    if args.limit:
        articles = articles[: args.limit]
    if not articles:
        print(f"{args.data}: no Timeline17 articles found", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.db") as store:
        with store.transaction():
            for article in articles:
                store.add_article(article, text_fingerprint(article.text))
        # Per-process one-offs (stop-word list import, LSH band search) are not per-article
        # costs: pay them before the clock starts.
        CandidateIndex()
        hashed_text("warm up")
        warm_up()  # the hashing pool's workers (forked once per process)
        batches: list[tuple[int, int, float]] = []
        # CPU seconds too: on a shared machine wall time also counts other people's work.
        # The hashing pool's workers are counted with the parent (all CPU the stage used).
        cpu: list[float] = []
        for start in range(0, len(articles), args.batch):
            ids = [a.id for a in articles[start : start + args.batch]]
            began, began_cpu = time.perf_counter(), _cpu_seconds()
            with store.transaction():
                find_copies(store, ids, settings, rewrites=args.rewrites)
            batches.append((start + len(ids), len(ids), time.perf_counter() - began))
            cpu.append(_cpu_seconds() - began_cpu)
        kinds = Counter(d.kind for d in duplicates(store))
    first_n, first_time = _cumulative(batches, FIRST)
    total_time = sum(seconds for _, _, seconds in batches)
    report = {
        "articles": len(articles),
        "articles_per_s_first_1k": round(first_n / first_time, 1),
        "articles_per_s_all": round(len(articles) / total_time, 1),
        "articles_per_cpu_s_all": round(len(articles) / sum(cpu), 1),
        "rewrite_check": args.rewrites,
        "hashing_workers": len(worker_pids()),
        "words_per_article": round(sum(a.words for a in articles) / len(articles)),
        "ms_per_article_by_batch": [
            {"index_size_after": end, "ms_per_article": round(1000 * seconds / n, 3)}
            for end, n, seconds in batches
        ],
        "ms_per_article_first_1k": round(1000 * first_time / first_n, 3),
        "ms_per_article_after_1k": _after(batches, FIRST),
        "relations": dict(sorted(kinds.items())),
    }
    print(json.dumps(report, indent=2))
    return 0


def _cpu_seconds() -> float:
    """CPU seconds of this process and of the hashing pool's workers (Linux /proc)."""
    total = time.process_time()
    tick = os.sysconf("SC_CLK_TCK")
    for pid in worker_pids():
        # Fields after the parenthesised command name; utime and stime are the 12th and 13th.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _cumulative(batches: list[tuple[int, int, float]], limit: int) -> tuple[int, float]:
    """Articles and seconds of the batches that make up the first `limit` articles."""
    n, seconds = 0, 0.0
    for _, size, spent in batches:
        if n >= limit:
            break
        n, seconds = n + size, seconds + spent
    return n, seconds


def _after(batches: list[tuple[int, int, float]], limit: int) -> float | None:
    later = [(size, spent) for end, size, spent in batches if end > limit]
    if not later:
        return None
    return round(1000 * sum(s for _, s in later) / sum(n for n, _ in later), 3)


if __name__ == "__main__":
    sys.exit(main())
