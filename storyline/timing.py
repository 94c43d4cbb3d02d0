"""CPU time spent in each stage of the analysis, in this process.

The pipeline benchmark prints it per report, and the progress log names the stage a run
is in. Stages nest (the rewrite check embeds sentences): each stage is charged only its own
time, what a nested stage spends goes to the nested one, so the figures add up to the
whole. A worker process measures its own and hands the totals back (`add`).

Our own logic: a profiler charges functions, not the named stages of our flow, and costs
far more than the two clock reads a stage costs here.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

_totals: defaultdict[str, float] = defaultdict(float)
# The running stages, innermost last: [name, CPU time when it started or last resumed].
_running: list[list] = []


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Charge the CPU time of the block to `name` (minus what nested stages take)."""
    now = time.process_time()
    if _running:
        outer = _running[-1]
        _totals[outer[0]] += now - outer[1]
    _running.append([name, now])
    try:
        yield
    finally:
        now = time.process_time()
        _totals[name] += now - _running.pop()[1]
        if _running:
            _running[-1][1] = now


def timed(name: str, items: Iterable[T]) -> Iterator[T]:
    """`items`, with the time spent producing each one charged to `name` (a reader)."""
    iterator = iter(items)
    while True:
        with stage(name):
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


def current() -> str | None:
    """The innermost running stage, if any."""
    return _running[-1][0] if _running else None


def totals() -> dict[str, float]:
    """CPU seconds per stage so far in this process (and what workers handed back)."""
    return dict(_totals)


def add(more: Mapping[str, float]) -> None:
    """Add a worker's totals to this process's."""
    for name, seconds in more.items():
        _totals[name] += seconds


def reset() -> None:
    _totals.clear()
