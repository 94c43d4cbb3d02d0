"""Store: one SQLite file (WAL) holding articles, rejections and every stage's results.

Writes happen inside `transaction()`; a process killed mid-run loses only the transaction
it was in. The Store is the one way into the file: other modules run statements through
`execute` / `executemany` / `query` / `query_one` and group them with `atomic()`, and
never see the connection, so every sqlite3 error leaves as a StoreError (StoreLockedError
when another process holds the lock). Library code raises StoreError / NotFoundError,
never sqlite3 errors.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import NotFoundError, StoreError, StoreLockedError
from ..models import Article, Rejection, Span
from .migrations import MIGRATIONS, Migration

_ARTICLE_COLUMNS = (
    "id, source, url, title, outlet, place, published, published_before, author, text, revision_of"
)

# WAL pages after which a commit copies them into the database (SQLite's default is 1000):
# a clustering batch in a large store dirties more than that, so each commit also paid a
# checkpoint; pages dirtied again by the next batches (counters, stories, index interior
# pages) are now copied once per checkpoint. The WAL file is cut back to this size after.
CHECKPOINT_PAGES = 16384
# Seconds a writer waits for another to release the store before giving up; other
# statements wait BUSY_TIMEOUT_MS for a lock.
WRITER_WAIT = 900.0
BUSY_TIMEOUT_MS = 30_000
logger = logging.getLogger("storyline")
# SQLite's result codes for a lock another connection holds (the low byte of an extended code).
_LOCK_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)

# A row as statements return it: by position or by column name.
Row = sqlite3.Row
# Called with the SQL and parameters of each statement run through the Store's methods
# (None for executemany, whose rows may be a one-pass iterator) before it runs, as
# sqlite-utils' `tracer`; the write lock's BEGIN, retried in `_begin`, is not traced.
Tracer = Callable[[str, Any], None]


class Store:
    """The SQLite store. Use as a context manager, or call close()."""

    def __init__(
        self,
        path: str | Path,
        migrations: Sequence[Migration] = MIGRATIONS,
        trace: Tracer | None = None,
    ) -> None:
        self.path = Path(path)
        self.trace = trace
        self._savepoints = 0  # atomic() blocks open inside the transaction
        try:
            if self.path.parent and not self.path.parent.exists():
                raise StoreError(f"{self.path.parent}: folder does not exist; create it first")
            self.db = sqlite3.connect(
                str(self.path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
            )
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
            self.db.execute(f"PRAGMA journal_size_limit={CHECKPOINT_PAGES * 4096}")
            self._migrate(migrations)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path}: cannot open the store ({exc}); is it a storyline database?"
            ) from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- statements -------------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run one statement; iterate the cursor or fetch from it for its rows."""
        if self.trace is not None:
            self.trace(sql, params)
        try:
            return self.db.execute(sql, params)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        if self.trace is not None:
            self.trace(sql, None)
        try:
            return self.db.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        cursor = self.execute(sql, params)
        try:
            return cursor.fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a statement's result, or None."""
        cursor = self.execute(sql, params)
        try:
            row: Row | None = cursor.fetchone()
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        return row

    @property
    def in_transaction(self) -> bool:
        return self.db.in_transaction

    @property
    def total_changes(self) -> int:
        """Rows this connection has changed since it opened."""
        return self.db.total_changes

    def _error(self, exc: sqlite3.Error) -> StoreError:
        if _locked(exc):
            return StoreLockedError(
                f"{self.path} is locked: another storyline process is writing to it;"
                " wait for it to finish (or stop it), then run this again"
            )
        return StoreError(f"{self.path}: {exc}; if the file is intact, please report this")

    # -- transactions -----------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error. Not re-entrant (see atomic()).
        Waits its turn while another process writes (`_begin`)."""
        self._begin()
        try:
            yield self
        except BaseException:
            self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    @contextmanager
    def atomic(self) -> Iterator[Store]:
        """A block whose writes land together or not at all, nestable: a transaction of
        its own outside one, else a savepoint, so an error rolls back this block only (and
        goes on to the caller; the enclosing block's writes stay)."""
        if not self.db.in_transaction:
            with self.transaction():
                yield self
            return
        self._savepoints += 1
        name = f"atomic_{self._savepoints}"
        try:
            self.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                self.execute(f"ROLLBACK TO {name}")
                raise
            finally:
                self.execute(f"RELEASE {name}")
        finally:
            self._savepoints -= 1

    def _begin(self) -> None:
        """Take the write lock, however long another writer holds it (up to WRITER_WAIT).

        A second `ingest` on the same store died after the connection's 30 s busy timeout
        while the first analysed a batch, and lost what it was given. Writers now queue:
        the wait is said once, and only a lock held past WRITER_WAIT is an error.
        """
        started = time.monotonic()
        said = False
        while True:
            try:
                # Short busy waits, so the wait is said at once and the deadline kept.
                self.db.execute("PRAGMA busy_timeout = 250")
                self.db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.Error as exc:
                if not _locked(exc):
                    raise self._error(exc) from exc
                waited = time.monotonic() - started
                if waited > WRITER_WAIT:
                    raise StoreLockedError(
                        f"{self.path} has been locked by another writer for {waited:.0f} s;"
                        " let it finish (or stop it), then run this again"
                    ) from None
                if not said:
                    logger.warning(
                        "%s: another process is writing to this store; waiting for its turn",
                        self.path,
                    )
                    said = True
            finally:
                self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _migrate(self, migrations: Sequence[Migration]) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        done = {row[0] for row in self.db.execute("SELECT name FROM _migrations")}
        known = {m.name for m in migrations}
        if done - known:
            newer = ", ".join(sorted(done - known))
            raise StoreError(
                f"{self.path} was written by a newer storyline ({newer}); upgrade storyline"
            )
        for migration in migrations:
            if migration.name in done:
                continue
            with self.transaction():
                # The connection's own errors: __init__ reports a failing migration as a
                # store that cannot be opened.
                for statement in _statements(migration.sql):
                    self.db.execute(statement)
                self.db.execute("INSERT INTO _migrations VALUES (?, ?)", (migration.name, _now()))

    def applied_migrations(self) -> list[str]:
        return [row[0] for row in self.execute("SELECT name FROM _migrations ORDER BY rowid")]

    # -- articles ---------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        return (
            self.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
            is not None
        )

    def latest_revision(self, url: str | None, source: str) -> str | None:
        """The newest article from the same url (or, without one, the same source path)."""
        if url:
            row = self.execute(
                "SELECT id FROM articles WHERE url = ? ORDER BY seq DESC LIMIT 1", (url,)
            ).fetchone()
        else:
            row = self.execute(
                "SELECT id FROM articles WHERE source = ? AND url IS NULL ORDER BY seq DESC LIMIT 1",
                (source,),
            ).fetchone()
        return row[0] if row else None

    def add_article(self, article: Article, fingerprint: str) -> None:
        """Insert one article and its spans. Call inside transaction()."""
        self.execute(
            "INSERT INTO articles (id, source, url, title, outlet, place, published, published_before,"
            " author, text, words, fingerprint, revision_of, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                article.source,
                article.url,
                article.title,
                article.outlet,
                article.place,
                article.published,
                article.published_before,
                article.author,
                article.text,
                article.words,
                fingerprint,
                article.revision_of,
                _now(),
            ),
        )
        rows = [
            (article.id, "sentence", i, s.start, s.end) for i, s in enumerate(article.sentences)
        ]
        rows += [(article.id, "heading", i, h.start, h.end) for i, h in enumerate(article.headings)]
        self.executemany("INSERT INTO spans VALUES (?, ?, ?, ?, ?)", rows)

    def add_rejection(self, rejection: Rejection) -> None:
        self.execute(
            "INSERT OR IGNORE INTO rejections (source, reason, at) VALUES (?, ?, ?)",
            (rejection.source, rejection.reason, _now()),
        )

    def rejections(self) -> list[Rejection]:
        rows = self.execute("SELECT source, reason FROM rejections ORDER BY id")
        return [Rejection(r["source"], r["reason"]) for r in rows]

    def article_ids(self) -> list[str]:
        return [row[0] for row in self.execute("SELECT id FROM articles ORDER BY seq")]

    def articles(
        self,
        ids: Iterable[str] | None = None,
        with_spans: bool = False,
        text_head: int | None = None,
    ) -> list[Article]:
        """Articles in arrival order (all, or the given ids). With `text_head`, each text is
        cut to its first that many characters: listings of thousands of reports need only
        the head, and reading whole texts is most of their cost."""
        columns = _ARTICLE_COLUMNS
        if text_head is not None:
            columns = columns.replace(", text,", f", substr(text, 1, {int(text_head)}) AS text,")
        if ids is None:
            rows = self.execute(f"SELECT {columns} FROM articles ORDER BY seq").fetchall()
        else:
            wanted = list(dict.fromkeys(ids))
            rows = []
            for chunk in _chunks(wanted, 500):
                marks = ",".join("?" * len(chunk))
                rows += self.execute(
                    f"SELECT {columns}, seq FROM articles WHERE id IN ({marks})", chunk
                ).fetchall()
            rows.sort(key=lambda r: r["seq"])
        return [self._article(row, with_spans) for row in rows]

    def article(self, article_id: str) -> Article:
        """One article with its spans; a unique id prefix is accepted too."""
        row = self.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None and len(article_id) >= 4:
            matches = self.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id LIKE ? LIMIT 2",
                (article_id.replace("%", "").replace("_", "") + "%",),
            ).fetchall()
            row = matches[0] if len(matches) == 1 else None
        if row is None:
            raise NotFoundError(f"no article {article_id!r}; `storyline articles` lists the ids")
        return self._article(row, with_spans=True)

    def _article(self, row: Row, with_spans: bool) -> Article:
        sentences: tuple[Span, ...] = ()
        headings: tuple[Span, ...] = ()
        if with_spans:
            sentences, headings = self._spans(row["id"], row["text"])
        return Article(
            id=row["id"],
            source=row["source"],
            text=row["text"],
            title=row["title"],
            outlet=row["outlet"],
            place=row["place"],
            published=row["published"],
            published_before=row["published_before"],
            url=row["url"],
            author=row["author"],
            revision_of=row["revision_of"],
            sentences=sentences,
            headings=headings,
        )

    def _spans(self, article_id: str, text: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
        rows = self.execute(
            "SELECT kind, start, end FROM spans WHERE article_id = ? ORDER BY kind, idx",
            (article_id,),
        )
        found: dict[str, list[Span]] = {"sentence": [], "heading": []}
        for kind, start, end in rows:
            found[kind].append(Span(text[start:end], start, end))
        return tuple(found["sentence"]), tuple(found["heading"])

    # -- stage bookkeeping ------------------------------------------------------------------

    def pending(self, stage: str) -> list[str]:
        """Articles the stage has not processed yet, in arrival order."""
        rows = self.execute(
            "SELECT id FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM stage_done d WHERE d.stage = ? AND d.article_id = a.id) ORDER BY seq",
            (stage,),
        )
        return [row[0] for row in rows]

    def mark_done(self, stage: str, article_ids: Iterable[str]) -> None:
        self.executemany(
            "INSERT OR IGNORE INTO stage_done VALUES (?, ?)", [(stage, i) for i in article_ids]
        )


def _locked(exc: sqlite3.Error) -> bool:
    """Whether another connection holds the lock the statement needed."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _LOCK_CODES
    return "locked" in str(exc) or "busy" in str(exc)


def _statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


__all__ = ["Migration", "Row", "Store", "Tracer"]
