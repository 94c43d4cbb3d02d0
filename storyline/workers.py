"""Worker processes: how every process pool of storyline's is started.

Pools are forked, so a worker starts with the parent's modules and models loaded (a spawned
one would import storyline again, about 3 s, before its first task), and each worker dies
with its parent: a parent killed with -9 runs no clean-up, and its workers, each holding
hundreds of megabytes, would otherwise wait for work for good.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def cores() -> int:
    return os.cpu_count() or 1


def fork_pool(workers: int, setup: Callable[[], None] | None = None) -> ProcessPoolExecutor | None:
    """A pool of `workers` forked processes, each running `setup` first; None where this
    machine has one core or cannot fork (the caller then works in its own process)."""
    if cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(os.getpid(), setup),
    )


def _start_worker(parent: int, setup: Callable[[], None] | None) -> None:
    die_with_parent(parent)
    if setup is not None:
        setup()


def die_with_parent(parent: int) -> None:
    """Ask Linux to end this process when its parent dies (elsewhere: nothing to do)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def pids(pool: ProcessPoolExecutor | None) -> list[int]:
    """A pool's worker process ids (benchmarks add their CPU time to the parent's)."""
    return sorted(pool._processes or {}) if pool is not None else []


__all__ = ["cores", "die_with_parent", "fork_pool", "pids"]
