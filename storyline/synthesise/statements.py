"""Statements: the sentences of a story's reports, each with who holds it and a vector.

A statement is held by the speaker when a quote or piece of reported speech overlaps it,
otherwise by the outlet's own voice. Sentence vectors (bundled MiniLM) are cached in the
store so a story is embedded once, not on every `claims` or `brief`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..embeddings import EMBEDDING_DIM, embed
from ..models import Quote
from ..store import Store

_THAT = re.compile(r"^that\s+", re.I)
# Shorter sentences ("He declined to comment.") carry no claim of their own.
MIN_WORDS = 6


@dataclass(frozen=True)
class Statement:
    article: str
    start: int
    end: int
    text: str
    published: str | None
    outlet: str | None
    order: int  # arrival order of the article, for stable sorting
    holder: str | None = None
    holder_name: str | None = None
    direct_quote: bool = False
    sentence: str = ""  # the whole sentence it comes from


def story_scope(store: Store, story: str | None) -> list[str]:
    """Article ids of a story (all articles when story is None), in arrival order."""
    if story is None:
        return store.article_ids()
    from ..cluster import story_articles

    return story_articles(store, story)


def statements(store: Store, article_ids: Sequence[str]) -> list[Statement]:
    """What the reports state, in arrival then text order.

    Attributed speech counts as its content, held by its speaker ("Ankara says its removal
    is unjust" → "its removal is unjust", held by Turkey); every other sentence of at least
    MIN_WORDS words is the outlet's own statement. `start`/`end` always cite the sentence.
    """
    quotes = _quotes(store, article_ids)
    found: list[Statement] = []
    for order, article in enumerate(store.articles(article_ids, with_spans=True)):
        inside = quotes.get(article.id, [])
        for sentence in article.sentences:
            said = [q for q in inside if sentence.start <= q.start < sentence.end]
            for quote in said:
                content = _THAT.sub("", quote.text)
                if len(content.split()) >= 2:
                    found.append(
                        Statement(
                            article.id,
                            sentence.start,
                            sentence.end,
                            content,
                            article.published,
                            article.outlet,
                            order,
                            quote.entity,
                            quote.speaker,
                            quote.direct and not quote.partial,
                            sentence.text,
                        )
                    )
            if not said and len(sentence.text.split()) >= MIN_WORDS:
                found.append(
                    Statement(
                        article.id,
                        sentence.start,
                        sentence.end,
                        sentence.text,
                        article.published,
                        article.outlet,
                        order,
                        sentence=sentence.text,
                    )
                )
    return found


def _quotes(store: Store, article_ids: Sequence[str]) -> dict[str, list[Quote]]:
    from ..enrich.quotes import list_quotes

    by_article: dict[str, list[Quote]] = {}
    for quote in list_quotes(store, article_ids):
        by_article.setdefault(quote.article, []).append(quote)
    return by_article


def vectors(store: Store, found: Sequence[Statement]) -> np.ndarray:
    """Normalised vectors of the statements, from the cache or freshly embedded (and cached)."""
    if not found:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    cached: dict[tuple[str, int, str], bytes] = {}
    for article_id in dict.fromkeys(s.article for s in found):
        for row in store.query(
            "SELECT start, text_hash, vector FROM sentence_vectors WHERE article_id = ?",
            (article_id,),
        ):
            cached[(article_id, row[0], row[1])] = row[2]
    missing = [s for s in found if _key(s) not in cached]
    if missing:
        fresh = embed([s.text for s in missing])
        rows = [
            (*_key(s), v.astype(np.float32).tobytes()) for s, v in zip(missing, fresh, strict=True)
        ]
        insert = "INSERT OR REPLACE INTO sentence_vectors VALUES (?, ?, ?, ?)"
        if store.db.in_transaction:
            store.db.executemany(insert, rows)
        else:
            with store.transaction():
                store.db.executemany(insert, rows)
        for article_id, start, text_hash, blob in rows:
            cached[(article_id, start, text_hash)] = blob
    return np.stack([np.frombuffer(cached[_key(s)], dtype=np.float32) for s in found])


def _key(statement: Statement) -> tuple[str, int, str]:
    """A sentence can hold several statements (one per quote): the text tells them apart."""
    digest = hashlib.sha256(statement.text.encode()).hexdigest()[:16]
    return statement.article, statement.start, digest
