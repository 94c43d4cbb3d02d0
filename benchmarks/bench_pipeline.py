"""Analysis at the speed of the wire: full ingest and analysis of real reports, by stage.

    python benchmarks/bench_pipeline.py [--data DIR] [--sizes 1000 10000] [--batch 100]

Reads the reports of a folder of the bench layout (default: the Timeline17 development
folders; their tokenised text is put back together as a page would read) and feeds N of
them to `Storyline.ingest_documents` in batches of `--batch`, each batch analysed at once,
as a watcher feeding a store from the wire would. Up to the number of real reports, N is
a sample of them spread evenly over publication time (every story present); beyond it
they are replicated: replica r has every word that only one story uses re-spelled (its
vowels turned r places, "Gaddafi" -> "Giddifo"), every year and its publication date moved
on by 3 r years, so it reads like news, shares the language's common words with the
originals, and is neither a copy nor a rewrite of them (as bench_cluster.py does with
signals).

Each size runs in a fresh process, with the models loaded before the clock starts (a
watcher loads them once). Prints, per size: reports/s by the wall clock, reports per
CPU-second (this process and its workers), peak resident memory (this process, and the
largest worker), CPU ms per report for every stage (timing.py; a stage is charged its own
time, not its nested stages'), then the ratio of per-report CPU cost largest/smallest.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storyline import Storyline

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "bench" / "timeline17"
WORD = re.compile(r"[A-Za-z]+")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
VOWELS = "aeiou"


def originals(data: Path) -> list[dict[str, str]]:
    """Every report of the folder in publication order: id, story, published, text."""
    from storyline.evaluate.timeline17 import find_topics, read_articles
    from storyline.evaluate.timeline_tls import detokenise

    found = [
        {
            "id": a.id,
            "story": a.topic,
            "published": a.time or "",
            "text": "\n".join(detokenise(line) for line in a.text.splitlines()),
        }
        for folder in find_topics(data)
        for a in read_articles(folder)
        if a.text.strip()
    ]
    return sorted(found, key=lambda r: (r["published"], r["id"]))


def story_words(reports: list[dict[str, str]]) -> frozenset[str]:
    """Words (lower-cased) that the reports of one story only use: a replica re-spells them."""
    stories: dict[str, set[str]] = {}
    for report in reports:
        for word in set(WORD.findall(report["text"].lower())):
            stories.setdefault(word, set()).add(report["story"])
    return frozenset(word for word, found in stories.items() if len(found) == 1)


def respell(word: str, number: int) -> str:
    """Vowels turned `number` places (case kept): pronounceable, tokenised alike."""
    turned = []
    for char in word:
        lower = char.lower()
        if lower in VOWELS:
            new = VOWELS[(VOWELS.index(lower) + number) % len(VOWELS)]
            char = new.upper() if char.isupper() else new
        turned.append(char)
    return "".join(turned)


def replicate(report: dict[str, str], number: int, own: frozenset[str]) -> dict[str, str]:
    def word(match: re.Match[str]) -> str:
        text = match.group(0)
        return respell(text, number) if text.lower() in own else text

    def year(match: re.Match[str]) -> str:
        return str(int(match.group(0)) + 3 * number)

    text = YEAR.sub(year, WORD.sub(word, report["text"]))
    published = YEAR.sub(year, report["published"]) if report["published"] else ""
    return {**report, "id": f"{report['id']}~{number}", "text": text, "published": published}


def sample(reports: list[dict[str, str]], size: int) -> list[dict[str, str]]:
    """`size` reports: an even spread of the originals, then replicas (each a later era)."""
    if size <= len(reports):
        return [reports[i * len(reports) // size] for i in range(size)]
    own = story_words(reports)
    found = list(reports)
    number = 1
    while len(found) < size:
        found += [replicate(r, number, own) for r in reports[: size - len(found)]]
        number += 1
    return found


def run(data: Path, size: int, batch: int) -> dict[str, object]:
    """One size, measured in this process (called in a fresh one per size)."""
    from storyline import Settings, Storyline, timing
    from storyline.models import RawDocument

    reports = sample(originals(data), size)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(db_path=Path(folder) / "bench.db")
        with Storyline(settings) as storyline:
            _warm_up(storyline)
            timing.reset()
            wall, cpu = time.perf_counter(), _cpu()
            for start in range(0, len(reports), batch):
                documents = [
                    RawDocument(
                        source=r["id"],
                        text=r["text"],
                        published=r["published"] or None,
                        outlet=r["id"].split("/")[0],
                    )
                    for r in reports[start : start + batch]
                ]
                storyline.ingest_documents(documents)
                _log(start + len(documents), len(reports), time.perf_counter() - wall)
            wall = time.perf_counter() - wall
            _stop_workers()
            cpu = _cpu() - cpu
            stored = len(storyline.store.article_ids())
    stages = {k: round(1000 * v / size, 1) for k, v in sorted(timing.totals().items())}
    return {
        "reports": size,
        "stored": stored,
        "reports_per_s": round(size / wall, 2),
        "reports_per_cpu_s": round(size / cpu, 2),
        "cpu_s_per_report": round(cpu / size, 3),
        "peak_mb": _peak_mb(resource.RUSAGE_SELF),
        "largest_worker_peak_mb": _peak_mb(resource.RUSAGE_CHILDREN),
        "cpu_ms_per_report": stages,
    }


def _warm_up(storyline: Storyline) -> None:
    """Load the models and start the workers: a watcher pays for that once, not per report."""
    from storyline.models import RawDocument

    text = "Ministers met in Ankara on Tuesday. Officials said talks would resume next week."
    storyline.ingest_documents([RawDocument(source="warm-up", text=text, published="2020-01-01")])
    from storyline.enrich import prefetch

    prefetch.warm_up()


def _stop_workers() -> None:
    """Shut the worker pools down so their CPU time and memory show in RUSAGE_CHILDREN."""
    from storyline.dedup import workers
    from storyline.enrich import prefetch

    workers.shutdown()
    prefetch.shutdown()


def _cpu() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mb(who: int) -> int:
    return round(resource.getrusage(who).ru_maxrss / 1024)


def _log(done: int, total: int, elapsed: float) -> None:
    print(f"  {done}/{total} reports, {done / elapsed:.1f}/s", file=sys.stderr, flush=True)


def _sizes(args: argparse.Namespace) -> Iterator[dict[str, object]]:
    for size in args.sizes:
        command = [sys.executable, __file__, "--one", str(size), "--data", str(args.data)]
        command += ["--batch", str(args.batch)]
        out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
        yield json.loads(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run(args.data, args.one, args.batch)))
        return 0
    results = []
    for result in _sizes(args):
        results.append(result)
        print(json.dumps(result), file=sys.stderr, flush=True)
    summary: dict[str, object] = {"sizes": results}
    if len(results) > 1:
        first, last = results[0], results[-1]
        ratio = float(last["cpu_s_per_report"]) / float(first["cpu_s_per_report"])  # type: ignore[arg-type]
        summary["cpu_cost_ratio_largest_smallest"] = round(ratio, 3)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
