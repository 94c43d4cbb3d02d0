"""Worker pools die with their parent: a run killed with -9 leaves no worker behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from storyline import workers

PARENT = """
import sys, time
from storyline.workers import fork_pool, pids
pool = fork_pool(2)
list(pool.map(abs, range(4)))
print(*pids(pool), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is dead, only not yet reaped
        return stat.read().split(") ")[-1][0] != "Z"


@pytest.mark.skipif(
    workers.cores() < 2 or not sys.platform.startswith("linux"), reason="forked pools on Linux"
)
def test_workers_end_when_their_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    children = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(children) == 2 and all(_alive(pid) for pid in children)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in children)
