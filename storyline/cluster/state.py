"""The clusterer's state in the store: event and story summaries, postings, term counts.

Every read and write of the cluster tables goes through ClusterState, so the pipeline
stage, the corrections and the evaluations (on an in-memory store) share one code path.
Callers own the transaction. What it keeps in memory (summaries, posting-list heads,
document frequencies, article profiles) is written through to the store at once, except
the bookkeeping every article adds (document counts, postings, counters): that is written
behind, in sorted batches, by `flush()`, which the transaction's owner calls before it
commits (or leave a `with ClusterState(store) as state:` block). Then a commit never leaves
the tables behind the memory and a fresh ClusterState decides the same. Posting heads are
written back whole, so a state kept across transactions must be the store's only writer
(the pipeline stage and the corrections make one per transaction).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from ..embeddings import DOCUMENTS, dimension
from .bags import Bag, make_bag, pack, unpack
from .index import posting_limit
from .scoring import Summary
from .signals import ArticleSignals

if TYPE_CHECKING:
    from ..store import Row, Store

# Terms and names kept in an event's or a story's summary.
SUMMARY_TERMS = 120
SUMMARY_NAMES = 40
CACHED_SUMMARIES = 4096
# Article profiles kept: a story's reports grouped again (regroup.py: a block of at most
# regroup.LARGEST, mostly the same reports batch after batch), an event re-examined (at most
# resplit.SPLIT_LARGEST members) and the article just compared.
CACHED_PROFILES = 2048
# Posting-list heads kept in memory (each at most posting_limit(key) postings).
CACHED_POSTINGS = 100_000
# Added to every idf: small, so terms every report shares (the story's own) count little.
IDF_FLOOR = 0.1
# Pseudo-documents that contain no term: a young store, with few reports to count, then
# does not take every shared word for a common one. At 1, the example's third report (the
# shelters) found the dam and the town it shares with the first two worth a third of its own
# words and started an event of its own (0.26 against the 0.28 bar); at 2 it joins (0.34),
# and 2 or 3 keep the seeds' two meetings apart (5 merges them). On the benchmarks (cached
# signals, stop 15) 1 → 2 leaves ECB+ F1 and both order agreements unchanged and moves
# Timeline17 stories 0.9588 → 0.9581; six shuffled Timeline17 orders score the same at both.
IDF_PRIOR = 2
# SQLite page cache for the connection (KiB): the clusterer's working set (document counts,
# postings, summaries) outgrows the default 2 MB as the store grows. On a store of 27k
# bench articles the document-count upserts took 0.48-0.63 ms per article with 2 MB and
# 0.29-0.38 ms with 64 MB (1,000 upserts of 100 terms, timed with time.process_time).
PAGE_CACHE_KIB = 65536
# Postings and document counts written behind before they are flushed anyway: bounds the
# memory a caller that flushes rarely can hold (a stage batch holds far fewer).
PENDING_LIMIT = 200_000
_SUMMARY_COLUMNS = "id, vector, terms, names, first_day, last_day, size"


class ClusterState:
    """Reads and writes the cluster tables of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        size = int(store.execute("PRAGMA cache_size").fetchone()[0])  # < 0: KiB, else pages
        if (-size if size < 0 else size * 4) < PAGE_CACHE_KIB:
            store.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
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
        # The posting-list head of each key looked up or posted to in this session:
        # at most posting_limit(key) postings (the store keeps no more). Heads changed since the
        # last flush are written then.
        self._postings: dict[str, Head] = {}
        self._dirty_heads: set[str] = set()
        # Articles profiled lately, with the signals object each profile was made from.
        self._profiles: dict[str, tuple[ArticleSignals, Summary]] = {}
        # Signals saved or read lately (as many as profiles): a story's reports grouped
        # again batch after batch are read once, and keep their profiles.
        self._signals: dict[str, ArticleSignals] = {}
        # Written behind (flush): document-count increments by term id, the heads above,
        # and whether the counters changed. One sorted batch per flush dirties each B-tree
        # page once instead of once per article (on a store of 28k bench articles the
        # per-article upserts took 15% of the clustering time).
        self._pending_df: Counter[int] = Counter()
        self._counters_changed = False

    def __enter__(self) -> ClusterState:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is None:
            self.flush()

    def flush(self) -> None:
        """Write what is kept behind; call it inside the transaction, before the commit."""
        if self._pending_df:
            self.store.executemany(
                "INSERT INTO cluster_terms (term, df) VALUES (?, ?)"
                " ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
                sorted((self._terms[i], count) for i, count in self._pending_df.items()),
            )
            self._pending_df.clear()
        if self._dirty_heads:
            dirty = sorted(self._dirty_heads)
            self.store.executemany(
                "INSERT OR REPLACE INTO cluster_heads VALUES (?, ?)",
                [(key, self._postings[key].packed()) for key in dirty if self._postings[key].ids],
            )
            self.store.executemany(
                "DELETE FROM cluster_heads WHERE key = ?",
                [(key,) for key in dirty if not self._postings[key].ids],
            )
            self._dirty_heads.clear()
        if self._counters_changed:
            self._set_counter("documents", self.documents)
            self._set_counter("clock", self.clock)
            self._counters_changed = False

    # -- counters, vocabulary and document frequencies --------------------------------------

    def _counter(self, name: str) -> int:
        row = self.store.execute(
            "SELECT value FROM cluster_counters WHERE name = ?", (name,)
        ).fetchone()
        return int(row[0]) if row else 0

    def _set_counter(self, name: str, value: int) -> None:
        self.store.execute(
            "INSERT INTO cluster_counters VALUES (?, ?)"
            " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    def looked_at(self, look: str, story_id: str) -> int:
        """The clock when a story last had a second look of this kind ("regrouped",
        "unchained"); 0: never."""
        return self._counter(f"{look}:{story_id}")

    def mark_looked(self, look: str, story_id: str) -> None:
        self._set_counter(f"{look}:{story_id}", self.clock)

    def pending_since(self, story_id: str, clock: int) -> int:
        """How many of a story's articles were clustered after this clock."""
        row = self.store.execute(
            "SELECT COUNT(*) FROM event_articles a JOIN events e ON e.id = a.event_id"
            " WHERE e.story = ? AND a.seq > ?",
            (story_id, clock),
        ).fetchone()
        return int(row[0])

    def tick(self) -> int:
        self.clock += 1
        self._counters_changed = True
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

    def _flush_when_full(self) -> None:
        if len(self._pending_df) + len(self._dirty_heads) > PENDING_LIMIT:
            self.flush()

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
            self._load_df(ids[~self._df_known[ids]])
        # ln((N + prior) / (df + 1)), with ln(df + 1) kept per term: one gather per call.
        return (math.log(self.documents + IDF_PRIOR) + IDF_FLOOR) - self._log_df[ids]

    def _load_df(self, ids: np.ndarray) -> None:
        terms = [self._terms[i] for i in ids.tolist()]
        for start in range(0, len(terms), 500):
            chunk = terms[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for term, df in self.store.execute(
                f"SELECT term, df FROM cluster_terms WHERE term IN ({marks})", chunk
            ):
                self._df[self._ids[term]] = df
        self._df_known[ids] = True
        self._log_df[ids] = np.log(self._df[ids] + 1)

    def count_document(self, article: ArticleSignals) -> None:
        """Add one article to the document frequencies the idf is taken from."""
        profile = self.profile(article)  # usually kept from the comparison just made
        ids = np.union1d(profile.terms.ids, profile.names.ids)  # a term that is a name: once
        self.idf(ids)  # loads the current counts
        self._df[ids] += 1
        self._log_df[ids] = np.log(self._df[ids] + 1)
        self._pending_df.update(ids.tolist())
        self.documents += 1
        self._counters_changed = True
        self._flush_when_full()

    # -- articles -----------------------------------------------------------------------------

    def profile(self, article: ArticleSignals) -> Summary:
        """One article as a one-member summary (kept for the same signals object, which
        is profiled again when counted and when its event or story is re-examined)."""
        kept = self._profiles.get(article.article_id)
        if kept is not None and kept[0] is article:
            return kept[1]
        profile = Summary(
            article.article_id,
            article.vector,
            self.bag(article.terms),
            self.bag(article.names),
            article.day,
            article.day,
            1,
        )
        self._profiles.pop(article.article_id, None)
        self._profiles[article.article_id] = (article, profile)
        if len(self._profiles) > CACHED_PROFILES:
            del self._profiles[next(iter(self._profiles))]  # the least recently made
        return profile

    def event_of(self, article_id: str) -> str | None:
        row = self.store.execute(
            "SELECT event_id FROM event_articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def _keep_signals(self, article: ArticleSignals) -> None:
        self._signals.pop(article.article_id, None)
        self._signals[article.article_id] = article
        if len(self._signals) > CACHED_PROFILES:
            del self._signals[next(iter(self._signals))]  # the least recently kept

    @staticmethod
    def as_stored(article: ArticleSignals) -> ArticleSignals:
        """The article as the store will read it back (weights rounded to float32): the
        clusterer decides on this form from the first look, so a second look decides the
        same in this process as in a fresh one, and the profile made on arrival serves
        the later looks."""
        return replace(
            article,
            vector=np.asarray(article.vector, dtype=np.float32),
            terms=_rounded(article.terms),
            names=_rounded(article.names),
        )

    def save_signals(self, article: ArticleSignals) -> None:
        """Store an article's signals (in the form `as_stored` gives)."""
        self._keep_signals(article)
        # The vector too (the pipeline stage has cached it already): re-examining an event
        # (resplit.py) compares its members from the store.
        self.store.execute(
            "INSERT OR IGNORE INTO article_vectors VALUES (?, ?)",
            (article.article_id, _vector_blob(article.vector)),
        )
        self.store.execute(
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
        kept = {a: self._signals[a] for a in article_ids if a in self._signals}
        unread = [a for a in article_ids if a not in kept]
        rows: dict[str, tuple] = {}
        for start in range(0, len(unread), 500):
            chunk = unread[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.store.execute(
                "SELECT s.article_id, s.terms, s.names, s.day, s.title, v.vector"
                " FROM cluster_signals s JOIN article_vectors v ON v.article_id = s.article_id"
                f" WHERE s.article_id IN ({marks})",
                chunk,
            ):
                rows[row[0]] = tuple(row)
        for article_id, row in rows.items():
            kept[article_id] = ArticleSignals(
                article_id,
                np.frombuffer(row[5], dtype=np.float32),
                _unpack_pairs(row[1]),
                _unpack_pairs(row[2]),
                row[3],
                row[4],
            )
        for article_id in article_ids:
            if article_id in kept:
                self._keep_signals(kept[article_id])
        return [kept[a] for a in article_ids if a in kept]

    def arrival(self, article_ids: Sequence[str]) -> dict[str, int]:
        """The arrival position (seq) of clustered articles."""
        found: dict[str, int] = {}
        for start in range(0, len(article_ids), 500):
            chunk = list(article_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.store.execute(
                f"SELECT article_id, seq FROM event_articles WHERE article_id IN ({marks})", chunk
            )
            found.update((row[0], int(row[1])) for row in rows)
        return found

    def members(self, event_id: str) -> list[str]:
        rows = self.store.execute(
            "SELECT article_id FROM event_articles WHERE event_id = ? ORDER BY seq, article_id",
            (event_id,),
        )
        return [row[0] for row in rows]

    # -- candidate search -----------------------------------------------------------------------

    def best_blocked(self, keys: Iterable[str], limit: int) -> list[str]:
        """Events met under the most keys first (ties by id), at most `limit` of them; each
        key contributes its head, the events most recently filed under it (posting_limit).

        Counted in Python over the heads kept in memory: ranking inside SQLite cost ~1 ms
        per article at 10k articles (16 keys × 40 postings through two temp B-trees), a
        third of the clustering time then."""
        keys = list(keys)
        heads = self._heads(keys)
        hits: Counter[str] = Counter()
        for key in keys:
            hits.update(heads[key].ids)
        # Grouped by count, so only the groups that reach `limit` are sorted by id (sorting
        # every hit by count first, even in C, measured slower).
        groups: dict[int, list[str]] = {}
        for event_id, count in hits.items():
            groups.setdefault(count, []).append(event_id)
        ranked: list[str] = []
        for count in sorted(groups, reverse=True):
            ranked += sorted(groups[count])
            if len(ranked) >= limit:
                break
        return ranked[:limit]

    def _heads(self, keys: list[str]) -> dict[str, Head]:
        """The posting-list heads of some keys, read from the store (one statement per 500
        keys) when not in memory, and kept."""
        unread = sorted({key for key in keys if key not in self._postings})
        if len(self._postings) + len(unread) > CACHED_POSTINGS:
            # Let the earlier-kept half go at once (so this runs rarely), having written
            # every changed head to the store.
            self.flush()
            asked, kept = set(keys), list(self._postings)
            for key in kept[: len(kept) // 2]:
                if key not in asked:
                    del self._postings[key]
        for start in range(0, len(unread), 500):
            chunk = unread[start : start + 500]
            loaded = {key: Head() for key in chunk}
            marks = ",".join("?" * len(chunk))
            for key, head in self.store.execute(
                f"SELECT key, head FROM cluster_heads WHERE key IN ({marks})", chunk
            ):
                loaded[key] = Head.unpacked(head)
            self._postings.update(loaded)
        return {key: self._postings[key] for key in keys}

    def post(self, keys: Iterable[str], event_id: str) -> None:
        """File an event under some keys as touched now: it goes to the front of each head
        (leaving its older place there), and the oldest posting beyond its limit goes."""
        keys = list(dict.fromkeys(keys))
        for key, head in self._heads(keys).items():
            head.file(self.clock, event_id, posting_limit(key))
        self._dirty_heads.update(keys)
        self._flush_when_full()

    # -- summaries ------------------------------------------------------------------------------

    def stories_of(self, event_ids: Sequence[str]) -> list[str]:
        """The distinct stories of some events (a light query: no summaries parsed)."""
        found: set[str] = set()
        unread = []
        for event_id in event_ids:
            cached = self._cache.get(("events", event_id))
            if cached is None:
                unread.append(event_id)
            else:
                found.add(cached.story)
        for start in range(0, len(unread), 500):
            chunk = unread[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.store.execute(f"SELECT story FROM events WHERE id IN ({marks})", chunk)
            found.update(row[0] for row in rows)
        return sorted(found)

    def events(self, event_ids: Sequence[str]) -> list[Summary]:
        return [s for s in (self.event(e) for e in event_ids) if s is not None]

    def event(self, event_id: str) -> Summary | None:
        cached = self._cache.get(("events", event_id))
        if cached is not None:
            return cached
        row = self.store.execute(
            f"SELECT {_SUMMARY_COLUMNS}, story FROM events WHERE id = ?", (event_id,)
        ).fetchone()
        return self._remember("events", self._summary(row)) if row else None

    def story(self, story_id: str) -> Summary | None:
        cached = self._cache.get(("stories", story_id))
        if cached is not None:
            return cached
        row = self.store.execute(
            f"SELECT {_SUMMARY_COLUMNS}, id FROM stories WHERE id = ?", (story_id,)
        ).fetchone()
        return self._remember("stories", self._summary(row)) if row else None

    def _remember(self, table: str, summary: Summary) -> Summary:
        self._cache.pop((table, summary.id), None)
        self._cache[(table, summary.id)] = summary
        if len(self._cache) > CACHED_SUMMARIES:
            del self._cache[next(iter(self._cache))]  # the least recently written or read
        return summary

    def _summary(self, row: Row) -> Summary:
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
        self.store.execute(
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
        self.store.execute(
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
        row = self.store.execute(sql, (key,)).fetchone()
        return str(row[0]) if row else ""

    def attach(self, article_id: str, event_id: str) -> None:
        self.store.execute(
            "INSERT INTO event_articles VALUES (?, ?, ?)"
            " ON CONFLICT(article_id) DO UPDATE SET event_id = excluded.event_id",
            (event_id, article_id, self.clock),
        )

    def reassign(self, article_id: str, event_id: str) -> None:
        """Move an article to another event, keeping its arrival position."""
        self.store.execute(
            "UPDATE event_articles SET event_id = ? WHERE article_id = ?", (event_id, article_id)
        )

    def story_events(self, story_id: str) -> list[str]:
        """The ids of a story's events, in id order."""
        rows = self.store.execute("SELECT id FROM events WHERE story = ? ORDER BY id", (story_id,))
        return [row[0] for row in rows]

    def assign_events(self, event_ids: Sequence[str], story_id: str) -> None:
        """Move some events into a story (the caller writes the story's summary)."""
        self.store.executemany(
            "UPDATE events SET story = ? WHERE id = ?", [(story_id, e) for e in event_ids]
        )
        for event_id in event_ids:
            cached = self._cache.get(("events", event_id))
            if cached is not None:
                self._cache[("events", event_id)] = replace(cached, story=story_id)

    def move_events(self, story_id: str, into: str) -> None:
        """Every event of one story into another (story merges)."""
        moved = self.story_events(story_id)
        self.store.execute("UPDATE events SET story = ? WHERE story = ?", (into, story_id))
        for event_id in moved:
            self._cache.pop(("events", event_id), None)

    def forget_event(self, event_id: str) -> None:
        """Drop a cached summary whose row was changed behind the cache."""
        self._cache.pop(("events", event_id), None)

    def delete_event(self, event_id: str) -> None:
        self.delete_events({event_id: None})

    def delete_events(self, filed: dict[str, list[str] | None]) -> None:
        """Delete events and their postings: each event with the keys it was filed under
        when the caller knows them (its members'), else None.

        Known keys are edited by primary key: finding every head that holds an event
        reads the whole table. A posting under a key the caller missed (a former
        member's) stays behind with a stale id, which only takes a candidate's place until
        newer postings push it out. A head that loses an event holds one posting fewer
        until the next is filed under its key."""
        gone = sorted(filed)
        for event_id in gone:
            self._cache.pop(("events", event_id), None)
        keys = {key for e in gone for key in filed[e] or ()}
        unknown = [e for e in gone if filed[e] is None]
        if unknown:
            self.flush()  # every head in the store, to be searched
            for event_id in unknown:
                rows = self.store.execute(
                    "SELECT key FROM cluster_heads WHERE instr(head, ?)", (f":{event_id}",)
                )
                keys.update(row[0] for row in rows)
        leaving = set(gone)
        for head in self._heads(sorted(keys)).values():
            head.drop(leaving)
        self._dirty_heads.update(keys)
        self.store.executemany("DELETE FROM events WHERE id = ?", [(e,) for e in gone])

    def retire(self, kind: str, old: str, successor: str) -> None:
        """Record that an event or story id is gone and which id took most of it (kind
        "events" or "stories"); ids that pointed to it now point to its successor."""
        if old == successor:
            return
        self.store.execute(
            "UPDATE retired_ids SET successor = ? WHERE kind = ? AND successor = ?",
            (successor, kind, old),
        )
        self.store.execute(
            "INSERT INTO retired_ids VALUES (?, ?, ?)"
            " ON CONFLICT(kind, id) DO UPDATE SET successor = excluded.successor",
            (old, kind, successor),
        )

    def delete_story(self, story_id: str) -> None:
        self._cache.pop(("stories", story_id), None)
        self.store.execute("DELETE FROM stories WHERE id = ?", (story_id,))


class Head:
    """The head of one key's posting list: event ids newest-filed first (ties by id), with
    the clock reading each was filed at, negated so both lists sort ascending, and each
    posting as the store spells it. Plain parallel lists, so membership, counting and
    writing the head back run in C (a full head spelled afresh at every flush cost 57 µs
    per article at 100k bench articles)."""

    __slots__ = ("ids", "negated", "spelled")

    def __init__(self) -> None:
        self.negated: list[int] = []
        self.ids: list[str] = []
        self.spelled: list[str] = []

    def file(self, clock: int, event_id: str, limit: int) -> None:
        """File an event at this clock reading: it leaves its older place, and the oldest
        posting beyond the limit goes."""
        if event_id in self.ids:
            position = self.ids.index(event_id)
            del self.negated[position], self.ids[position], self.spelled[position]
        place = bisect.bisect_left(self.negated, -clock)
        while (
            place < len(self.ids) and self.negated[place] == -clock and self.ids[place] < event_id
        ):
            place += 1
        self.negated.insert(place, -clock)
        self.ids.insert(place, event_id)
        self.spelled.insert(place, f"{clock}:{event_id}")
        del self.negated[limit:], self.ids[limit:], self.spelled[limit:]

    def drop(self, event_ids: set[str]) -> None:
        kept = [n for n, event_id in enumerate(self.ids) if event_id not in event_ids]
        self.negated = [self.negated[n] for n in kept]
        self.ids = [self.ids[n] for n in kept]
        self.spelled = [self.spelled[n] for n in kept]

    def packed(self) -> str:
        """As the store keeps it: "touched:event_id" pairs apart by spaces."""
        return " ".join(self.spelled)

    @classmethod
    def unpacked(cls, text: str) -> Head:
        pairs = sorted(
            (-int(touched), event_id, pair)
            for pair in text.split()
            for touched, event_id in (pair.split(":", 1),)
        )
        head = cls()
        head.negated = [n for n, _, _ in pairs]
        head.ids = [e for _, e, _ in pairs]
        head.spelled = [p for _, _, p in pairs]
        return head


def _rounded(pairs: Sequence[tuple[str, float]]) -> tuple[tuple[str, float], ...]:
    """(term, weight) pairs with the weights rounded to float32, as the store keeps them."""
    weights = np.asarray([w for _, w in pairs], dtype=np.float32).astype(np.float64)
    return tuple(zip((t for t, _ in pairs), weights.tolist(), strict=True))


def empty_vector() -> np.ndarray:
    return np.zeros(dimension(DOCUMENTS), dtype=np.float32)


def _vector_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def _pack_pairs(pairs: Sequence[tuple[str, float]]) -> bytes:
    return pack([t for t, _ in pairs], np.asarray([w for _, w in pairs], dtype=np.float64))


def _unpack_pairs(blob: bytes) -> tuple[tuple[str, float], ...]:
    terms, weights = unpack(blob)
    return tuple(zip(terms, weights.tolist(), strict=True))


def _iso(day: int | None) -> str | None:
    return dt.date.fromordinal(day).isoformat() if day is not None else None
