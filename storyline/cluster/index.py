"""Candidate search: which few events a new article should be compared with.

Blocking keys are random-hyperplane LSH bands of the article's embedding plus its
strongest names. Each key keeps the head of its posting list, the events most recently
filed under it (posting_limit: fewer for an LSH band than for a name), as one row, so the
work per article is bounded by (keys × limit) however large the store grows
(ClusterState.best_blocked, which keeps the heads it has read in memory and writes the
changed ones at each flush).
We wrote this ourselves: the approximate-nearest-neighbour libraries keep
their whole index in memory, not in the store.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..embeddings import DOCUMENTS, dimension
from .signals import ArticleSignals

BANDS = 12
BITS_PER_BAND = 8
NAME_KEYS = 4
POSTING_LIMIT = 40
# An LSH band has only 2**BITS_PER_BAND buckets, so its heads fill first (from ~10k
# articles on) and then hold mostly recent events of anything alike; a name's head is the
# way back to a story's older events. Timeline17 replicated to 100k articles
# (benchmarks/bench_cluster.py): band heads of 20 against 40 → stories BCubed F1 0.9592
# against 0.9567, 704 against 658 articles/s. ECB+ unchanged (F1 0.944, agreement 0.965 /
# 0.974), Timeline17 stories unchanged (0.9553); its agreement of two shuffled orders
# 0.980 / 0.984 → 0.978 / 0.983 (a crowded band's head fills there too).
LSH_POSTING_LIMIT = 20
# The first letter of an LSH band's key (a name's key starts with "n").
_LSH_PREFIX = "h"
# Events scored in full per article, the best-blocked first.
MAX_CANDIDATES = 16
# Events whose stories a new event may join (their stories' summaries are scored).
MAX_STORY_EVENTS = 64
_SEED = 6


@lru_cache(maxsize=1)
def _hyperplanes() -> np.ndarray:
    rng = np.random.default_rng(_SEED)
    return rng.standard_normal((BANDS * BITS_PER_BAND, dimension(DOCUMENTS))).astype(np.float32)


@lru_cache(maxsize=1)
def _bit_values() -> np.ndarray:
    return 1 << np.arange(BITS_PER_BAND, dtype=np.int64)


def posting_limit(key: str) -> int:
    """How many postings a key's head keeps."""
    return LSH_POSTING_LIMIT if key.startswith(_LSH_PREFIX) else POSTING_LIMIT


def lsh_keys(vector: np.ndarray) -> list[str]:
    bits = ((_hyperplanes() @ vector) > 0).reshape(BANDS, BITS_PER_BAND)
    codes = bits.astype(np.int64) @ _bit_values()  # all bands in one product
    return [f"{_LSH_PREFIX}{band}:{code:x}" for band, code in enumerate(codes.tolist())]


def blocking_keys(article: ArticleSignals) -> list[str]:
    """LSH bands plus the article's most frequent names."""
    names = sorted(article.names, key=lambda nw: (-nw[1], nw[0]))[:NAME_KEYS]
    return lsh_keys(article.vector) + [f"n{name}" for name, _ in names]
