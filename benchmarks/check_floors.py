"""Run `storyline eval` for every data set in floors.json and fail if a score is below its floor.

    python benchmarks/check_floors.py [--bench ../shared/bench] [--only NAME ...]

Prints each eval's JSON result, a digest of the data it scored (so two runs' figures can be
compared), and one verdict line per metric (a dotted metric name reaches
into a nested figure, e.g. "order_agreement.stories_bcubed_f1"); exits 1 on any drop.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from storyline.evaluate import evaluate
from storyline.settings import Settings

FLOORS = Path(__file__).with_name("floors.json")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--bench",
        type=Path,
        default=Path(__file__).resolve().parents[1].parent / "shared" / "bench",
    )
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    floors = json.loads(FLOORS.read_text())["evals"]
    failures = 0
    for name, spec in floors.items():
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        data = args.bench / spec["data"]
        result = evaluate(name, data, Settings.from_env(":memory:"))
        elapsed = time.perf_counter() - started
        print(json.dumps(result), flush=True)
        print(f"data {name} {data_digest(data)}", flush=True)
        for metric, floor in spec["floors"].items():
            value = _metric(result, metric)
            ok = isinstance(value, int | float) and value >= floor
            failures += not ok
            print(
                f"{'ok  ' if ok else 'FAIL'} {name} {metric} = {value} (floor {floor}) [{elapsed:.0f}s]"
            )
    return 1 if failures else 0


def data_digest(folder: Path) -> str:
    """sha256 over the folder's files (relative paths and contents, in sorted order): which
    data a score was measured on, so two runs' figures can be compared."""
    digest = hashlib.sha256()
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return f"sha256:{digest.hexdigest()[:16]} ({len(files)} files)"


def _metric(result: dict, name: str) -> object:
    """A score by name; a dotted name reaches into a nested result ("order_agreement.x")."""
    value: object = result
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


if __name__ == "__main__":
    sys.exit(main())
