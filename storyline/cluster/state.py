"""The clusterer's state in the store: event and story summaries, postings, term counts.

Every read and write of the cluster tables goes through ClusterState, so the pipeline
stage, the corrections and the evaluations (on an in-memory store) share one code path.
Callers own the transaction.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from collections.abc import Iterable, Sequence

import numpy as np

from ..embeddings import EMBEDDING_DIM
from .bags import Bag, make_bag, pack, unpack
from .index import POSTING_LIMIT
from .scoring import Summary
from .signals import ArticleSignals

# Terms and names kept in an event's or a story's summary.
SUMMARY_TERMS = 120
SUMMARY_NAMES = 40
CACHED_SUMMARIES = 4096
# Added to every idf: small, so terms every report shares (the story's own) count little.
IDF_FLOOR = 0.1
# Pseudo-documents that contain no term: a young store, with few reports to count, then
# does not take every shared word for a common one.
IDF_PRIOR = 1
_SUMMARY_COLUMNS = "id, vector, terms, names, first_day, last_day, size"


class ClusterState:
    """Reads and writes the cluster tables of one SQLite connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.documents = self._counter("documents")
        self.clock = self._counter("clock")
        # Process-local vocabulary: term → id, and the document frequency of each id.
        self._ids: dict[str, int] = {}
        self._terms: list[str] = []
        self._df = np.zeros(1024, dtype=np.float64)
        self._df_known = np.zeros(1024, dtype=bool)
        self._scratch = np.zeros(1024, dtype=np.float64)
        self._log_df = np.zeros(1024, dtype=np.float64)
        # Summaries parsed or written in this session, so streaming rarely re-reads them.
        self._cache: dict[tuple[str, str], Summary] = {}

    # -- counters, vocabulary and document frequencies --------------------------------------

    def _counter(self, name: str) -> int:
        row = self.db.execute(
            "SELECT value FROM cluster_counters WHERE name = ?", (name,)
        ).fetchone()
        return int(row[0]) if row else 0

    def _set_counter(self, name: str, value: int) -> None:
        self.db.execute(
            "INSERT INTO cluster_counters VALUES (?, ?)"
            " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    def tick(self) -> int:
        self.clock += 1
        self._set_counter("clock", self.clock)
        return self.clock

    def term_ids(self, terms: Iterable[str]) -> list[int]:
        terms = list(terms)
        lookup = self._ids.get
        ids = [lookup(term, -1) for term in terms]
        if -1 in ids:
            for position, term in enumerate(terms):
                if ids[position] == -1:
                    ids[position] = self._ids.setdefault(term, len(self._terms))
                    if ids[position] == len(self._terms):
                        self._terms.append(term)
            self._grow_df()
        return ids

    def _grow_df(self) -> None:
        if len(self._terms) > self._df.size:
            grown = max(len(self._terms), 2 * self._df.size)
            self._df = np.concatenate([self._df, np.zeros(grown - self._df.size)])
            self._df_known = np.concatenate(
                [self._df_known, np.zeros(grown - self._df_known.size, bool)]
            )
            self._scratch = np.concatenate([self._scratch, np.zeros(grown - self._scratch.size)])
            self._log_df = np.concatenate([self._log_df, np.zeros(grown - self._log_df.size)])

    @property
    def scratch(self) -> np.ndarray:
        """A zeroed array over the vocabulary, lent to one Probe at a time."""
        return self._scratch

    def term_of(self, term_id: int) -> str:
        return self._terms[term_id]

    def bag(self, weights: Sequence[tuple[str, float]]) -> Bag:
        return make_bag(self.term_ids(t for t, _ in weights), [w for _, w in weights])

    def idf(self, ids: np.ndarray) -> np.ndarray:
        """Smoothed idf of term ids, from the document frequencies in the store."""
        if not self._df_known[ids].all():
            missing = ids[~self._df_known[ids]]
            self._load_df([self._terms[i] for i in missing.tolist()])
        # ln((N + prior) / (df + 1)), with ln(df + 1) kept per term: one gather per call.
        return (math.log(self.documents + IDF_PRIOR) + IDF_FLOOR) - self._log_df[ids]

    def _load_df(self, terms: list[str]) -> None:
        for start in range(0, len(terms), 500):
            chunk = terms[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for term, df in self.db.execute(
                f"SELECT term, df FROM cluster_df WHERE term IN ({marks})", chunk
            ):
                self._df[self._ids[term]] = df
        ids = self.term_ids(terms)
        self._df_known[ids] = True
        self._log_df[ids] = np.log(self._df[ids] + 1)

    def count_document(self, article: ArticleSignals) -> None:
        """Add one article to the document frequencies the idf is taken from."""
        terms = sorted({t for t, _ in article.terms} | {n for n, _ in article.names})
        ids = np.asarray(self.term_ids(terms), dtype=np.int64)
        self.idf(ids)  # loads the current counts
        self._df[ids] += 1
        self._log_df[ids] = np.log(self._df[ids] + 1)
        self.db.executemany(
            "INSERT INTO cluster_df VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = df + 1",
            [(t,) for t in terms],
        )
        self.documents += 1
        self._set_counter("documents", self.documents)

    # -- articles -----------------------------------------------------------------------------

    def profile(self, article: ArticleSignals) -> Summary:
        """One article as a one-member summary."""
        return Summary(
            article.article_id,
            article.vector,
            self.bag(article.terms),
            self.bag(article.names),
            article.day,
            article.day,
            1,
        )

    def event_of(self, article_id: str) -> str | None:
        row = self.db.execute(
            "SELECT event_id FROM event_articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def save_signals(self, article: ArticleSignals) -> None:
        # The vector too (the pipeline stage has cached it already): re-examining an event
        # (resplit.py) compares its members from the store.
        self.db.execute(
            "INSERT OR IGNORE INTO article_vectors VALUES (?, ?)",
            (article.article_id, _vector_blob(article.vector)),
        )
        self.db.execute(
            "INSERT OR REPLACE INTO cluster_signals VALUES (?, ?, ?, ?, ?)",
            (
                article.article_id,
                _pack_pairs(article.terms),
                _pack_pairs(article.names),
                article.day,
                article.title,
            ),
        )

    def signals(self, article_ids: Sequence[str]) -> list[ArticleSignals]:
        """Stored signals of articles (with their cached vectors), in the order asked."""
        found = []
        for article_id in article_ids:
            row = self.db.execute(
                "SELECT s.terms, s.names, s.day, s.title, v.vector FROM cluster_signals s"
                " JOIN article_vectors v ON v.article_id = s.article_id WHERE s.article_id = ?",
                (article_id,),
            ).fetchone()
            if row is not None:
                found.append(
                    ArticleSignals(
                        article_id,
                        np.frombuffer(row[4], dtype=np.float32),
                        _unpack_pairs(row[0]),
                        _unpack_pairs(row[1]),
                        row[2],
                        row[3],
                    )
                )
        return found

    def members(self, event_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT article_id FROM event_articles WHERE event_id = ? ORDER BY seq, article_id",
            (event_id,),
        )
        return [row[0] for row in rows]

    # -- candidate search -----------------------------------------------------------------------

    def best_blocked(self, keys: Iterable[str], limit: int) -> list[str]:
        """Events met under the most keys first (ties by id), at most `limit` of them; each
        key contributes only the POSTING_LIMIT events most recently filed under it.

        One statement for all keys, counted inside SQLite: a query per key and counting
        in Python cost more than the lookups themselves, and grew as posting lists filled."""
        keys = list(keys)
        if not keys:
            return []
        one = (
            "SELECT * FROM (SELECT event_id FROM cluster_keys WHERE key = ?"
            " ORDER BY touched DESC, event_id LIMIT ?)"
        )
        sql = (
            f"SELECT event_id, COUNT(*) AS hits FROM ({' UNION ALL '.join([one] * len(keys))})"
            " GROUP BY event_id ORDER BY hits DESC, event_id LIMIT ?"
        )
        parameters = [value for key in keys for value in (key, POSTING_LIMIT)] + [limit]
        return [row[0] for row in self.db.execute(sql, parameters)]

    def post(self, keys: Iterable[str], event_id: str) -> None:
        self.db.executemany(
            "INSERT INTO cluster_keys VALUES (?, ?, ?)"
            " ON CONFLICT(key, event_id) DO UPDATE SET touched = excluded.touched",
            [(key, event_id, self.clock) for key in keys],
        )

    # -- summaries ------------------------------------------------------------------------------

    def stories_of(self, event_ids: Sequence[str]) -> list[str]:
        """The distinct stories of some events (a light query: no summaries parsed)."""
        found: set[str] = set()
        for start in range(0, len(event_ids), 500):
            chunk = list(event_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT story FROM events WHERE id IN ({marks})", chunk)
            found.update(row[0] for row in rows)
        return sorted(found)

    def events(self, event_ids: Sequence[str]) -> list[Summary]:
        return [s for s in (self.event(e) for e in event_ids) if s is not None]

    def event(self, event_id: str) -> Summary | None:
        cached = self._cache.get(("events", event_id))
        if cached is not None:
            return cached
        row = self.db.execute(
            f"SELECT {_SUMMARY_COLUMNS}, story FROM events WHERE id = ?", (event_id,)
        ).fetchone()
        return self._remember("events", self._summary(row)) if row else None

    def story(self, story_id: str) -> Summary | None:
        cached = self._cache.get(("stories", story_id))
        if cached is not None:
            return cached
        row = self.db.execute(
            f"SELECT {_SUMMARY_COLUMNS}, id FROM stories WHERE id = ?", (story_id,)
        ).fetchone()
        return self._remember("stories", self._summary(row)) if row else None

    def _remember(self, table: str, summary: Summary) -> Summary:
        self._cache.pop((table, summary.id), None)
        self._cache[(table, summary.id)] = summary
        if len(self._cache) > CACHED_SUMMARIES:
            del self._cache[next(iter(self._cache))]  # the least recently written or read
        return summary

    def _summary(self, row: sqlite3.Row) -> Summary:
        terms, term_weights = unpack(row[2])
        names, name_weights = unpack(row[3])
        return Summary(
            row[0],
            np.frombuffer(row[1], dtype=np.float32),
            make_bag(self.term_ids(terms), term_weights.tolist()),
            make_bag(self.term_ids(names), name_weights.tolist()),
            row[4],
            row[5],
            row[6],
            row[7],
        )

    def _pack_bag(self, bag: Bag) -> bytes:
        return pack([self._terms[i] for i in bag.ids.tolist()], bag.weights)

    def write_event(self, summary: Summary, title: str) -> None:
        self._remember("events", summary)
        self.db.execute(
            "INSERT INTO events (id, story, title, start, end, size, first_day, last_day, vector,"
            " terms, names, touched) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET story = excluded.story, title = excluded.title,"
            " start = excluded.start, end = excluded.end, size = excluded.size,"
            " first_day = excluded.first_day, last_day = excluded.last_day,"
            " vector = excluded.vector, terms = excluded.terms, names = excluded.names,"
            " touched = excluded.touched",
            (
                summary.id,
                summary.story,
                title,
                _iso(summary.first_day),
                _iso(summary.last_day),
                summary.size,
                summary.first_day,
                summary.last_day,
                _vector_blob(summary.vector),
                self._pack_bag(summary.terms),
                self._pack_bag(summary.names),
                self.clock,
            ),
        )

    def write_story(self, summary: Summary, title: str) -> None:
        self._remember("stories", summary)
        self.db.execute(
            "INSERT INTO stories (id, title, start, end, size, first_day, last_day, vector, terms,"
            " names) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET title = excluded.title, start = excluded.start,"
            " end = excluded.end, size = excluded.size, first_day = excluded.first_day,"
            " last_day = excluded.last_day, vector = excluded.vector, terms = excluded.terms,"
            " names = excluded.names",
            (
                summary.id,
                title,
                _iso(summary.first_day),
                _iso(summary.last_day),
                summary.size,
                summary.first_day,
                summary.last_day,
                _vector_blob(summary.vector),
                self._pack_bag(summary.terms),
                self._pack_bag(summary.names),
            ),
        )

    def title_of(self, table: str, key: str) -> str:
        sql = {
            "events": "SELECT title FROM events WHERE id = ?",
            "stories": "SELECT title FROM stories WHERE id = ?",
        }[table]
        row = self.db.execute(sql, (key,)).fetchone()
        return str(row[0]) if row else ""

    def attach(self, article_id: str, event_id: str) -> None:
        self.db.execute(
            "INSERT INTO event_articles VALUES (?, ?, ?)"
            " ON CONFLICT(article_id) DO UPDATE SET event_id = excluded.event_id",
            (event_id, article_id, self.clock),
        )

    def reassign(self, article_id: str, event_id: str) -> None:
        """Move an article to another event, keeping its arrival position."""
        self.db.execute(
            "UPDATE event_articles SET event_id = ? WHERE article_id = ?", (event_id, article_id)
        )

    def move_events(self, story_id: str, into: str) -> None:
        """Every event of one story into another (story merges)."""
        self.db.execute("UPDATE events SET story = ? WHERE story = ?", (into, story_id))
        self._cache = {k: v for k, v in self._cache.items() if v.story != story_id}

    def forget_event(self, event_id: str) -> None:
        """Drop a cached summary whose row was changed behind the cache."""
        self._cache.pop(("events", event_id), None)

    def delete_event(self, event_id: str) -> None:
        self._cache.pop(("events", event_id), None)
        self.db.execute("DELETE FROM events WHERE id = ?", (event_id,))
        self.db.execute("DELETE FROM cluster_keys WHERE event_id = ?", (event_id,))

    def delete_story(self, story_id: str) -> None:
        self._cache.pop(("stories", story_id), None)
        self.db.execute("DELETE FROM stories WHERE id = ?", (story_id,))


def empty_vector() -> np.ndarray:
    return np.zeros(EMBEDDING_DIM, dtype=np.float32)


def _vector_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def _pack_pairs(pairs: Sequence[tuple[str, float]]) -> bytes:
    return pack([t for t, _ in pairs], np.asarray([w for _, w in pairs], dtype=np.float64))


def _unpack_pairs(blob: bytes) -> tuple[tuple[str, float], ...]:
    terms, weights = unpack(blob)
    return tuple(zip(terms, weights.tolist(), strict=True))


def _iso(day: int | None) -> str | None:
    return dt.date.fromordinal(day).isoformat() if day is not None else None
