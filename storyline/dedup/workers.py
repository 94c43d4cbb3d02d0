"""Words, shingles and MinHash signatures of a batch, computed on every core.

What copy detection does per article from its text alone (words, shingle and content
hashes, two MinHash signatures) is independent between articles and was two thirds of
the stage's cost. A large batch is therefore split over a small process pool, while the
parent keeps the LSH index and is the only one that writes the store. Results come back
in input order and are the very values the serial path computes (the same function runs
in the workers), so the relations found never depend on whether the pool ran.

Our own logic: datasketch has no batch or multi-process signature computation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from ..workers import cores, fork_pool, pids
from .minhash import HashedText, Signatures, hashed_text, lean_minhash, signatures

# Below this many articles a batch is hashed in this process: a pipeline call on a few
# files should not fork. One article costs about 0.6 ms of CPU to hash and sign, the
# round trip to a worker about 0.05 ms, so the pool pays off on any batch this size.
POOL_MIN_ARTICLES = 100
# Articles per task sent to a worker: large enough that the round trip is small, small
# enough that the parent starts indexing the first results while the rest are computed.
CHUNK = 25
# Workers at most: the target machine has 2 cores; more rarely helps, as the parent's
# index updates (serial) then dominate.
MAX_WORKERS = 4

_Arrays = tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]

_POOL: ProcessPoolExecutor | None = None


def hashed_and_signed(
    texts: Sequence[str], parallel: bool | None = None
) -> Iterator[tuple[HashedText, Signatures]]:
    """(hashed text, signatures) of each text, in order.

    `parallel=None` uses the pool for batches of POOL_MIN_ARTICLES or more when this
    machine has several cores and can fork; True or False forces the choice (tests).
    """
    use_pool = len(texts) >= POOL_MIN_ARTICLES if parallel is None else parallel
    pool = _pool() if use_pool else None
    if pool is None:
        for text in texts:
            hashed = hashed_text(text)
            yield hashed, signatures(hashed)
        return
    for arrays in pool.map(_arrays, texts, chunksize=CHUNK):
        yield _from_arrays(arrays)


def warm_up() -> None:
    """Start the pool now (benchmarks: a once-per-process cost, not a per-article one)."""
    pool = _pool()
    if pool is not None:
        list(pool.map(_arrays, ["warm up"] * 2 * _workers()))


def worker_pids() -> list[int]:
    """The pool's worker process ids (benchmarks add their CPU time to the parent's)."""
    return pids(_POOL)


def shutdown() -> None:
    """Stop the pool (it starts again on next use): its workers' CPU time and memory are
    then counted as this process's children's."""
    global _POOL
    if _POOL is not None:
        _POOL.shutdown()
        _POOL = None


def _workers() -> int:
    return min(MAX_WORKERS, cores())


def _pool() -> ProcessPoolExecutor | None:
    """The process-wide pool, started on first use; None where it cannot help or run.
    Its workers need only numpy, zlib and this module, all loaded in the parent."""
    global _POOL
    if _POOL is None:
        _POOL = fork_pool(_workers())
    return _POOL


def _arrays(text: str) -> _Arrays:
    """What a worker sends back: plain arrays pickle smaller and faster than MinHash objects."""
    hashed = hashed_text(text)
    sigs = signatures(hashed)
    return (
        hashed.shingles,
        hashed.content,
        None if sigs.shingles is None else sigs.shingles.hashvalues,
        None if sigs.content is None else sigs.content.hashvalues,
    )


def _from_arrays(arrays: _Arrays) -> tuple[HashedText, Signatures]:
    shingles, content, shingle_values, content_values = arrays
    return HashedText(shingles, content), Signatures(
        None if shingle_values is None else lean_minhash(shingle_values),
        None if content_values is None else lean_minhash(content_values),
    )


__all__ = ["CHUNK", "POOL_MIN_ARTICLES", "hashed_and_signed", "shutdown", "warm_up", "worker_pids"]
