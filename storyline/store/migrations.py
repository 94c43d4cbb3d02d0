"""Named, transactional schema migrations, applied once each, in order.

Each later stage adds its own tables by appending a migration here; a name, once shipped,
never changes and its SQL is never edited (add a new migration instead).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str


MIGRATIONS: list[Migration] = [
    Migration(
        "0001_articles",
        """
        CREATE TABLE articles (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            url TEXT,
            title TEXT,
            outlet TEXT,
            place TEXT,
            published TEXT,
            published_before TEXT,
            author TEXT,
            text TEXT NOT NULL,
            words INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            revision_of TEXT REFERENCES articles(id),
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX articles_url ON articles(url);
        CREATE INDEX articles_source ON articles(source);
        CREATE INDEX articles_fingerprint ON articles(fingerprint);
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE spans (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('sentence', 'heading')),
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            PRIMARY KEY (article_id, kind, idx)
        ) WITHOUT ROWID;
        CREATE TABLE rejections (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL,
            UNIQUE (source, reason)
        );
        CREATE TABLE stage_done (
            stage TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (stage, article_id)
        ) WITHOUT ROWID;
        """,
    ),
    Migration(
        "0002_articles_fts",
        """
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, old.title, old.text);
        END;
        """,
    ),
]
