"""Copies and rewrites: which reports copy or reword others, and who was first.

The stage that finds them is copies.py (exact, near and rewrite, and the rule that picks
the original); this module reads what it stored: the relations, their aligned sentences,
and groups of reports that count as one source.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import NotFoundError
from ..models import AlignedPair, Duplicate
from ..store import Row, Store

if TYPE_CHECKING:
    from .copies import (
        MIN_ALIGNED,
        NEAR_JACCARD,
        REWRITE_COVERAGE,
        choose_original,
        find_copies,
        load_index,
    )

# The stage (copies.py) is imported on first use: its LSH index needs datasketch, which
# imports scipy, half a second that a command reading the store should not spend.
_STAGE = {
    "MIN_ALIGNED",
    "NEAR_JACCARD",
    "REWRITE_COVERAGE",
    "choose_original",
    "find_copies",
    "load_index",
}


def __getattr__(name: str) -> Any:
    if name in _STAGE:
        return getattr(importlib.import_module(".copies", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- reading ------------------------------------------------------------------------------


def duplicates(store: Store, article_id: str | None = None) -> list[Duplicate]:
    """Every relation (or those where `article_id` is the copy), copies in arrival order."""
    sql = (
        "SELECT d.article, d.of, d.kind, d.score, d.rule, d.pairs FROM duplicates d"
        " JOIN articles a ON a.id = d.article JOIN articles o ON o.id = d.of"
    )
    params: tuple[str, ...] = ()
    if article_id is not None:
        sql += " WHERE d.article = ?"
        params = (article_id,)
    rows = store.query(sql + " ORDER BY a.seq, o.seq", params)
    return [_duplicate(r) for r in rows]


def _duplicate(r: Row) -> Duplicate:
    pairs = tuple(AlignedPair(int(i), int(j), float(s)) for i, j, s in json.loads(r["pairs"]))
    return Duplicate(r["article"], r["of"], r["kind"], r["score"], r["rule"], pairs)


def alignment(store: Store, article_id: str) -> list[dict[str, object]]:
    """The relations where the article is the copy, each with its aligned sentence texts."""
    article = store.article(article_id)
    relations = duplicates(store, article.id)
    if not relations:
        raise NotFoundError(
            f"article {article.id} copies nothing stored;"
            " `storyline duplicates` lists the relations"
        )
    shown = []
    for relation in relations:
        original = store.article(relation.of)
        shown.append(
            {
                **relation.to_dict(),
                "aligned": [
                    {
                        "article_sentence": p.article_sentence,
                        "original_sentence": p.original_sentence,
                        "score": p.score,
                        "article_text": _text_of(article.sentences, p.article_sentence),
                        "original_text": _text_of(original.sentences, p.original_sentence),
                    }
                    for p in relation.pairs
                ],
            }
        )
    return shown


def _text_of(sentences: Sequence[object], index: int) -> str | None:
    return getattr(sentences[index], "text", None) if 0 <= index < len(sentences) else None


def independent_groups(store: Store, article_ids: Sequence[str]) -> list[list[str]]:
    """The given articles grouped so that copies and rewrites of one another share a group.

    Relations through articles outside `article_ids` count too (two copies of one wire
    story are one source even when the wire story itself is not among them). Groups come
    in the order of their first member in `article_ids`; members keep that order too.
    """
    wanted = list(dict.fromkeys(article_ids))
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for r in store.query("SELECT article, of FROM duplicates ORDER BY article, of"):
        first, second = root(r["article"]), root(r["of"])
        if first != second:
            parent[max(first, second)] = min(first, second)
    groups: dict[str, list[str]] = {}
    for article_id in wanted:
        groups.setdefault(root(article_id), []).append(article_id)
    return list(groups.values())


__all__ = [
    "MIN_ALIGNED",
    "NEAR_JACCARD",
    "REWRITE_COVERAGE",
    "AlignedPair",
    "Duplicate",
    "alignment",
    "choose_original",
    "duplicates",
    "find_copies",
    "independent_groups",
    "load_index",
]
