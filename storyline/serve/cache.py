"""A small memo for expensive reads (claims, briefing, timeline) shared by all requests.

Entries are keyed by the store's version, so any write — through this server or by a
`storyline ingest` in another process — makes them stale. We wrote our own because the
usual caches (functools.lru_cache, cachetools) know nothing of an SQLite file changing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def store_version(db_path: Path) -> tuple[object, ...]:
    """Changes whenever a commit lands.

    In WAL mode a commit appends frames to the -wal file (its size grows) or restarts it
    (its header salts change), and a checkpoint rewrites the main file. The -wal file's
    mtime is left out: merely opening a connection recreates the file.
    """
    stamp: list[object] = []
    try:
        stat = db_path.stat()
        stamp += [stat.st_mtime_ns, stat.st_size]
    except OSError:
        stamp += [0, 0]
    wal = db_path.with_name(db_path.name + "-wal")
    try:
        with wal.open("rb") as handle:
            stamp += [wal.stat().st_size, handle.read(32)]
    except OSError:
        stamp += [0, b""]
    return tuple(stamp)


class Memo:
    """Least-recently-used results, valid for one store version."""

    def __init__(self, db_path: Path, size: int = 128) -> None:
        self.db_path = db_path
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        full = (store_version(self.db_path), key)
        with self._lock:
            if full in self._entries:
                self._entries.move_to_end(full)
                cached: T = self._entries[full]
                return cached
        value = compute()
        with self._lock:
            self._entries[full] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
