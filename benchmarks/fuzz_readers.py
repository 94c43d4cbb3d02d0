"""Fuzz the readers, the cleaner and the date resolver for longer than the test suite does.

    python benchmarks/fuzz_readers.py [--examples N] [--seed S] [--only NAME ...]

The inputs and properties are those of tests/hostile/test_fuzz_readers.py (a file's bytes
generated around its format, then cut and mutated; read_inputs yields only RawDocuments and
one-line Rejections, storable, soon), drawn N times per reader (default 10,000), without
shrinking. Each reader runs in a process of its own, so that its peak RSS is its own. Prints
per reader the cases tried, the failures (a crash, or an answer breaking a property), the
time per 1,000 cases, the slowest case and the peak RSS; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' strategies

from hypothesis import HealthCheck, Phase, given, seed, settings

from tests.hostile.test_fuzz_readers import CHECKS, FILES, read_bytes_as

SHOWN_FAILURES = 5
BATCH = 1000


@dataclass
class Outcome:
    name: str
    tried: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    slowest: float = 0.0
    base_mb: float = 0.0
    peak_mb: float = 0.0


def properties(folder: Path) -> dict[str, tuple[Any, Callable[[Any], None]]]:
    """Every fuzzed target: its input strategy and the check that raises on a failure."""
    readers = {
        name: (strategy, lambda case: read_bytes_as(folder, *case))
        for name, strategy in FILES.items()
    }
    return {**readers, **CHECKS}


def fuzz(name: str, examples: int, start: int) -> Outcome:
    """Draw `examples` inputs for `name` and check each; failures are counted, not raised.

    Drawn in batches of BATCH, each with its own seed: Hypothesis remembers every input of
    a run, and over 10,000 of them that memory would hide the readers' own.
    """
    outcome = Outcome(name, base_mb=_peak_rss_mb())
    with tempfile.TemporaryDirectory(prefix="storyline-fuzz-") as folder:
        strategy, check = properties(Path(folder))[name]

        def one(case: Any) -> None:
            outcome.tried += 1
            began = time.perf_counter()
            try:
                check(case)
            except Exception as exc:
                message = str(exc).splitlines()[0][:160] if str(exc) else ""
                outcome.failures.append(f"{type(exc).__name__}: {message} | {repr(case)[:200]}")
            outcome.slowest = max(outcome.slowest, time.perf_counter() - began)

        began = time.perf_counter()
        for batch, first in enumerate(range(0, examples, BATCH)):
            run = given(case=strategy)(one)
            run = seed(start * 1_000_003 + batch)(run)
            settings(
                max_examples=min(BATCH, examples - first),
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )(run)()
        outcome.seconds = time.perf_counter() - began
    outcome.peak_mb = _peak_rss_mb()
    return outcome


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=10_000, help="inputs per reader")
    parser.add_argument("--seed", type=int, default=0)
    names = [*FILES, *CHECKS]
    parser.add_argument("--only", nargs="+", choices=names, default=names)
    args = parser.parse_args()
    print(
        f"{'target':<18}{'cases':>8}{'failures':>10}{'s/1000':>9}{'slowest':>10}"
        f"{'RSS before':>12}{'peak RSS':>10}"
    )
    failed = False
    # A fresh process per target: ru_maxrss is a high-water mark of the whole process.
    with multiprocessing.get_context("fork").Pool(1, maxtasksperchild=1) as pool:
        for name in args.only:
            outcome = pool.apply(fuzz, (name, args.examples, args.seed))
            per_thousand = 1000 * outcome.seconds / max(outcome.tried, 1)
            print(
                f"{name:<18}{outcome.tried:>8}{len(outcome.failures):>10}{per_thousand:>9.1f}"
                f"{outcome.slowest:>9.2f}s{outcome.base_mb:>9.0f} MB{outcome.peak_mb:>7.0f} MB",
                flush=True,
            )
            for failure in outcome.failures[:SHOWN_FAILURES]:
                print(f"    {failure}")
            failed = failed or bool(outcome.failures)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
