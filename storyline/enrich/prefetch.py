"""Sentence vectors embedded in a worker process while this one parses and annotates.

The enrich stage's two large costs, the spaCy parse and the MiniLM vector of every sentence
(the timeline and claims compare them), do not depend on each other: an article's sentences
are known from extract. So a worker process embeds a batch's sentences, article by article
in order, while this process parses; each article's vectors go into the store's one
sentence-vector cache (embeddings.py) just before its annotators run, and the happenings
annotator finds them there. The worker makes the very call the annotator would (one
`embed` per article, so the same batches), so the vectors do not depend on where they were
computed. Any failure of the worker leaves the annotator to embed what is missing itself.

Our own logic: spaCy's `n_process` parses in parallel but cannot overlap other work.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

import numpy as np

from .. import timing
from ..embeddings import embed, known_vectors, text_key
from ..models import Article
from ..store import Store
from ..workers import fork_pool, pids

logger = logging.getLogger("storyline")

# A batch with fewer sentences to embed is embedded in this process, by the annotator: a
# few files should not start a process (about 1 s to fork and load the encoder).
POOL_MIN_SENTENCES = 200

Rows = list[tuple[str, int, str, bytes]]

_POOL: ProcessPoolExecutor | None = None


def prefetched(store: Store, articles: Sequence[Article]) -> Iterator[Rows]:
    """For each article in order, the cache rows (article, start, text key, vector) of its
    sentences that were not cached yet, embedded ahead in the worker; empty rows where the
    batch is small, no worker can run, or the worker failed (the annotator embeds them)."""
    missing = [_missing_pieces(store, a) for a in articles]
    pool = _pool() if sum(map(len, missing)) >= POOL_MIN_SENTENCES else None
    if pool is None:
        return iter([[] for _ in articles])
    try:
        # Submitted now, not on first iteration: the worker starts while this process parses.
        futures = [pool.submit(_embed, [text for _, text in pieces]) for pieces in missing]
    except Exception:  # a worker that died since the last batch
        _give_up()
        return iter([[] for _ in articles])
    return (
        _rows(article.id, pieces, future)
        for article, pieces, future in zip(articles, missing, futures, strict=True)
    )


def warm_up() -> None:
    """Start the worker and load its encoder now (benchmarks: a once-per-process cost)."""
    pool = _pool()
    if pool is not None:
        pool.submit(_embed, ["warm up"]).result()


def worker_pids() -> list[int]:
    return pids(_POOL)


def shutdown() -> None:
    """Stop the worker (it starts again on next use)."""
    global _POOL
    if _POOL is not None:
        _POOL.shutdown()
        _POOL = None


def _give_up() -> None:
    logger.warning(
        "the sentence-vector worker stopped; this batch's sentences are embedded in this"
        " process (a new worker starts with the next batch)",
        exc_info=True,
    )
    shutdown()


def _missing_pieces(store: Store, article: Article) -> list[tuple[int, str]]:
    known = known_vectors(store, article.id)
    return [
        (s.start, s.text) for s in article.sentences if (s.start, text_key(s.text)) not in known
    ]


def _rows(article_id: str, pieces: list[tuple[int, str]], future: Future) -> Rows:
    try:
        vectors, cpu = future.result()
    except Exception:  # a dead worker: the annotator embeds these itself
        _give_up()
        return []
    timing.add({"embeddings": cpu})
    return [
        (article_id, start, text_key(text), vector.tobytes())
        for (start, text), vector in zip(pieces, vectors, strict=True)
    ]


def _embed(texts: list[str]) -> tuple[np.ndarray, float]:
    """In the worker: the texts' vectors and the CPU seconds they took."""
    started = time.process_time()
    vectors = embed(texts) if texts else np.zeros((0, 0), dtype=np.float32)
    return vectors.astype(np.float32), time.process_time() - started


def _fresh_encoders() -> None:
    """In a new worker: load its own encoder rather than use a session copied by fork."""
    from ..encoders import load

    load.cache_clear()


def _pool() -> ProcessPoolExecutor | None:
    """The one worker, started on first use; None on one core or where fork is missing."""
    global _POOL
    if _POOL is None:
        _POOL = fork_pool(1, _fresh_encoders)
    return _POOL


__all__ = ["POOL_MIN_SENTENCES", "prefetched", "shutdown", "warm_up", "worker_pids"]
