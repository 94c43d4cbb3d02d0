"""Ingest speed: read, clean, segment and store the Timeline17 articles.

    python benchmarks/bench_ingest.py [DATA_DIR] [--limit N]

DATA_DIR defaults to ../shared/bench/timeline17 (every `articles.jsonl` and
`articles.tokenized.jsonl.gz` under it). Analysis stages are not run: this measures the
foundation (ingest + clean + segment + store) only. Prints articles/s and peak memory.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import tempfile
import time
from pathlib import Path

from storyline import Settings, Storyline
from storyline.ingest import read_inputs

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "bench" / "timeline17"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    files = sorted(args.data.rglob("articles.jsonl")) + sorted(
        args.data.rglob("articles.tokenized.jsonl.gz")
    )
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(db_path=Path(folder) / "bench.db")
        with Storyline(settings) as storyline:
            # Warm the sentence segmenter so its one-off load is not counted per article.
            storyline.ingest_documents([], analyse=False)
            from storyline.extract.sentences import split_sentences

            split_sentences([("Warm up. Done.", 0)])
            documents = itertools.islice(read_inputs(files, settings), args.limit)
            started, cpu_started = time.perf_counter(), time.process_time()
            report = storyline.ingest_documents(documents, analyse=False)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    count = len(report.added)
    print(
        f"articles: {count} added, {len(report.skipped)} skipped, {len(report.rejected)} rejected"
    )
    print(
        f"wall: {elapsed:.2f} s  ->  {count / elapsed:.0f} articles/s (ingest + clean + segment + store)"
    )
    # CPU time is what the machine's other load cannot inflate; on an idle core wall ≈ CPU.
    print(f"cpu:  {cpu:.2f} s  ->  {count / cpu:.0f} articles per CPU-second")
    print(f"peak memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
