"""The "cluster" pipeline stage: new articles join events and stories one by one, in
arrival order; when the batch is done, the stories it touched group their reports near its
days into events again (regroup.py). Stories of fewer than regroup.SMALLEST_STORY reports come
out the same from one batch or from the same articles arriving singly; in a larger story
a batch and single arrivals can draw an event's bounds differently, each in one batch over
the reports near what arrived."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from ..embeddings import DOCUMENTS, embed
from ..models import Article
from ..settings import Settings
from ..store import Store
from .events import Clusterer
from .signals import build_signals, embedding_text

log = logging.getLogger(__name__)


def cluster_stage(store: Store, article_ids: Sequence[str], settings: Settings) -> None:
    """Pipeline stage: assign each new article to an event (and its event to a story)."""
    articles = store.articles(article_ids)
    if not articles:
        return
    vectors = article_vectors(store, articles)
    mentions = entity_mentions(store, [a.id for a in articles])
    with Clusterer(store) as clusterer:
        for article in articles:
            clusterer.add(
                build_signals(
                    article.id,
                    article.title,
                    article.text,
                    article.published,
                    vectors[article.id],
                    mentions.get(article.id, ()),
                )
            )


def article_vectors(store: Store, articles: Sequence[Article]) -> dict[str, np.ndarray]:
    """Title-and-lead embeddings, from the store's cache or computed (and cached) now."""
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(articles), 500):
        chunk = [a.id for a in articles[start : start + 500]]
        marks = ",".join("?" * len(chunk))
        for article_id, vector in store.execute(
            f"SELECT article_id, vector FROM article_vectors WHERE article_id IN ({marks})", chunk
        ):
            found[article_id] = np.frombuffer(vector, dtype=np.float32)
    missing = [a for a in articles if a.id not in found]
    if missing:
        computed = embed([embedding_text(a.title, a.text) for a in missing], DOCUMENTS)
        store.executemany(
            "INSERT OR REPLACE INTO article_vectors VALUES (?, ?)",
            [
                (a.id, v.astype(np.float32).tobytes())
                for a, v in zip(missing, computed, strict=True)
            ],
        )
        found.update({a.id: v for a, v in zip(missing, computed, strict=True)})
    return found


def entity_mentions(store: Store, article_ids: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
    """(canonical name, offset) of the entity mentions each article counts, when the
    entities stage has run; empty otherwise."""
    exists = store.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name IN ('mentions', 'entities')"
    ).fetchall()
    if len(exists) < 2:
        return {}
    found: dict[str, list[tuple[str, int]]] = {}
    for article_id in article_ids:
        rows = store.execute(
            "SELECT e.name, m.start FROM mentions m JOIN entities e ON e.id = m.entity_id"
            " WHERE m.article_id = ? AND m.counted = 1 ORDER BY m.start",
            (article_id,),
        )
        found[article_id] = [(row[0], row[1]) for row in rows]
    return found
