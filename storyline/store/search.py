"""Full-text search over the reports: SQLite FTS5, words stemmed (Porter) and folded (case,
diacritics) by the index (migration 0020_articles_fts_porter), ranked by bm25, narrowed by
date, outlet, entity or story, each hit with the passage that matched (FTS5's snippet)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..models import SearchFilters

if TYPE_CHECKING:
    from . import Store

# Words of a hit's passage.
SNIPPET_WORDS = 24
# FTS5 puts these around each matched word; control characters never in a cleaned report.
_OPEN, _CLOSE = "\x02", "\x03"
_FROM = "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid WHERE articles_fts MATCH ?"

Passage = tuple[str, tuple[tuple[int, int], ...]]


def search(
    store: Store, query: str, filters: SearchFilters, limit: int, offset: int = 0
) -> tuple[list[tuple[str, Passage]], int]:
    """(article id, (passage, highlights)) of a page of hits, best first, and the number of
    reports that match in all. A query FTS5 cannot parse ("sanction AND") is read again
    as plain words; one of no words (" ", '"') finds nothing."""
    where, params = _where(filters)
    for match in _readings(query):
        try:
            # The connection itself (this module is the store's): FTS5 tells a query it
            # cannot parse by an OperationalError, which the Store's methods translate.
            rows = store.db.execute(
                f"SELECT a.id, snippet(articles_fts, -1, char(2), char(3), '…', {SNIPPET_WORDS})"
                f" {_FROM}{where} ORDER BY rank LIMIT ? OFFSET ?",
                (match, *params, limit, offset),
            ).fetchall()
            total = store.db.execute(
                f"SELECT count(*) {_FROM}{where}", (match, *params)
            ).fetchall()[0][0]
        except sqlite3.OperationalError:
            continue
        return [(row[0], passage(row[1])) for row in rows], int(total)
    return [], 0


def passage(marked: str) -> Passage:
    """FTS5's marked snippet as plain text and the offsets of its matched words."""
    text: list[str] = []
    highlights: list[tuple[int, int]] = []
    length, start = 0, 0
    for char in marked:
        if char == _OPEN:
            start = length
        elif char == _CLOSE:
            highlights.append((start, length))
        else:
            text.append(char)
            length += 1
    return "".join(text), tuple(highlights)


def _readings(query: str) -> Iterator[str]:
    """The query as FTS5 syntax, then as its plain words (none when it has no words: an
    empty MATCH is a syntax error too)."""
    words = [w.replace('"', "") for w in query.split()]
    if any(words):
        yield query
        yield " ".join(f'"{w}"' for w in words if w)


def _where(filters: SearchFilters) -> tuple[str, list[Any]]:
    story = None if filters.articles is None else json.dumps(list(filters.articles))
    wanted = [
        (filters.since, "substr(a.published, 1, 10) >= ?"),
        (filters.until, "substr(a.published, 1, 10) <= ?"),
        (filters.outlet, "a.outlet = ? COLLATE NOCASE"),
        (filters.entity, "a.id IN (SELECT article_id FROM mentions WHERE entity_id = ?)"),
        (story, "a.id IN (SELECT value FROM json_each(?))"),
    ]
    used = [(value, clause) for value, clause in wanted if value]
    return "".join(f" AND {clause}" for _, clause in used), [value for value, _ in used]
