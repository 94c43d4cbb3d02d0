"""Sentence and document vectors, and the store's one cache of sentence vectors.

Which encoder (encoders.py) serves each use is chosen here, by the figures of
benchmarks/compare_encoders.py on the quality floors:
- DOCUMENTS: an article's title and lead, which clustering compares (one per article);
- SENTENCES: sentences and clauses, which rewrite checks, happenings and claims compare
  (dozens per article).
Vectors are L2-normalised float32, so a dot product is a cosine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .encoders import DIMENSIONS, MINILM, load
from .timing import stage

if TYPE_CHECKING:
    from .store import Store

DOCUMENTS, SENTENCES = "documents", "sentences"
ENCODERS = {DOCUMENTS: MINILM, SENTENCES: MINILM}


def dimension(role: str = SENTENCES) -> int:
    """The length of the vectors `embed` gives for `role`, without loading the encoder."""
    return DIMENSIONS[ENCODERS[role]]


def embed(texts: Sequence[str], role: str = SENTENCES) -> np.ndarray:
    """One normalised vector per text, shape (len(texts), dimension(role))."""
    if not texts:
        return np.zeros((0, dimension(role)), dtype=np.float32)
    with stage("embeddings"):
        return load(ENCODERS[role]).encode(texts)


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
        return np.zeros((0, dimension()), dtype=np.float32)
    known = known_vectors(store, article_id)
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
    return np.frombuffer(blob, dtype=np.float32).reshape(len(pieces), dimension())


def keep_vectors(store: Store, rows: Sequence[tuple[str, int, str, bytes]]) -> None:
    """Cache (article, start, text key, vector) rows, inside the caller's transaction if
    there is one (a stage's batch), else in a transaction of their own."""
    insert = "INSERT OR REPLACE INTO sentence_vectors VALUES (?, ?, ?, ?)"
    if store.in_transaction:
        store.executemany(insert, rows)
    else:
        with store.transaction():
            store.executemany(insert, rows)


def forget_vectors(store: Store, article_id: str, pieces: Sequence[tuple[int, str]]) -> None:
    """Drop cached pieces that are now stored elsewhere (an enriched article's sentences
    live in `happening_echoes`), so the store keeps one copy of each vector."""
    store.executemany(
        "DELETE FROM sentence_vectors WHERE article_id = ? AND start = ? AND text_hash = ?",
        [(article_id, start, text_key(text)) for start, text in pieces],
    )


def known_vectors(store: Store, article_id: str) -> dict[tuple[int, str], bytes]:
    """(start, text key) -> vector for every cached piece of one article."""
    known = {
        (r[0], r[1]): r[2]
        for r in store.query(
            "SELECT start, text_hash, vector FROM sentence_vectors WHERE article_id = ?",
            (article_id,),
        )
    }
    # The text is read once and cut here: SQLite's substr walks a long page from its start
    # for every sentence.
    article = store.query("SELECT text FROM articles WHERE id = ?", (article_id,))
    if not article:
        return known
    text = article[0]["text"]
    for r in store.query(
        "SELECT sentence_start, sentence_end, vector FROM happening_echoes WHERE article_id = ?",
        (article_id,),
    ):
        piece = text[r["sentence_start"] : r["sentence_end"]]
        known.setdefault((r["sentence_start"], text_key(piece)), r["vector"])
    return known
