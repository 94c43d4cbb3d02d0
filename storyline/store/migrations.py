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
    Migration(
        "0003_entities_quotes",
        """
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            type TEXT NOT NULL
        );
        CREATE TABLE entity_aliases (
            entity_id TEXT NOT NULL,
            alias TEXT NOT NULL,
            PRIMARY KEY (entity_id, alias)
        ) WITHOUT ROWID;
        CREATE INDEX entity_aliases_alias ON entity_aliases(alias);
        CREATE TABLE mentions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            entity_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            role TEXT,
            counted INTEGER NOT NULL DEFAULT 1,
            type TEXT NOT NULL,
            key TEXT NOT NULL,
            local INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (article_id, start, end)
        ) WITHOUT ROWID;
        CREATE INDEX mentions_entity ON mentions(entity_id);
        CREATE INDEX mentions_key ON mentions(key);
        CREATE TABLE roles (
            entity_id TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            date TEXT,
            PRIMARY KEY (entity_id, article_id, role)
        ) WITHOUT ROWID;
        CREATE TABLE quotes (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            speaker TEXT,
            entity_id TEXT,
            direct INTEGER NOT NULL,
            partial INTEGER NOT NULL DEFAULT 0,
            cue TEXT,
            cue_start INTEGER,
            cue_end INTEGER,
            speaker_start INTEGER,
            speaker_end INTEGER,
            mention_start INTEGER,
            mention_end INTEGER,
            PRIMARY KEY (article_id, start, end)
        ) WITHOUT ROWID;
        """,
    ),
    Migration(
        "0004_dedup",
        """
        CREATE TABLE duplicates (
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            of TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('exact', 'near', 'rewrite')),
            score REAL NOT NULL,
            rule TEXT NOT NULL,
            pairs TEXT NOT NULL,
            PRIMARY KEY (article, of)
        ) WITHOUT ROWID;
        CREATE INDEX duplicates_of ON duplicates(of);
        CREATE TABLE minhashes (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            shingles BLOB,
            content BLOB
        ) WITHOUT ROWID;
        """,
    ),
    Migration(
        "0005_events",
        """
        CREATE TABLE article_vectors (
            article_id TEXT PRIMARY KEY,
            vector BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            story TEXT NOT NULL,
            title TEXT NOT NULL,
            start TEXT,
            end TEXT,
            size INTEGER NOT NULL,
            first_day INTEGER,
            last_day INTEGER,
            vector BLOB NOT NULL,
            terms TEXT NOT NULL,
            names TEXT NOT NULL,
            touched INTEGER NOT NULL
        );
        CREATE INDEX events_story ON events(story);
        CREATE TABLE event_articles (
            event_id TEXT NOT NULL,
            article_id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL
        );
        CREATE INDEX event_articles_event ON event_articles(event_id, seq);
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            start TEXT,
            end TEXT,
            size INTEGER NOT NULL,
            first_day INTEGER,
            last_day INTEGER,
            vector BLOB NOT NULL,
            terms TEXT NOT NULL,
            names TEXT NOT NULL
        );
        CREATE TABLE corrections (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            target TEXT NOT NULL,
            articles TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE TABLE cluster_signals (
            article_id TEXT PRIMARY KEY,
            terms TEXT NOT NULL,
            names TEXT NOT NULL,
            day INTEGER,
            title TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE cluster_keys (
            key TEXT NOT NULL,
            event_id TEXT NOT NULL,
            touched INTEGER NOT NULL,
            PRIMARY KEY (key, event_id)
        ) WITHOUT ROWID;
        CREATE INDEX cluster_keys_recent ON cluster_keys(key, touched);
        CREATE TABLE cluster_df (
            term TEXT PRIMARY KEY,
            df INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE cluster_counters (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    ),
    Migration(
        "0006_dates",
        """
        CREATE TABLE time_expressions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            value TEXT,
            precision TEXT,
            resolved INTEGER NOT NULL,
            kind TEXT NOT NULL,
            timeml TEXT,
            mod TEXT,
            direction TEXT,
            anchor TEXT,
            PRIMARY KEY (article_id, start)
        ) WITHOUT ROWID;
        CREATE INDEX time_expressions_value ON time_expressions(value);
        """,
    ),
    Migration(
        "0007_figures_claims",
        """
        CREATE TABLE figures (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            value REAL NOT NULL,
            unit TEXT,
            quantity TEXT NOT NULL,
            bound TEXT,
            sentence_start INTEGER NOT NULL,
            sentence_end INTEGER NOT NULL,
            PRIMARY KEY (article_id, start)
        ) WITHOUT ROWID;
        CREATE TABLE sentence_vectors (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            text_hash TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (article_id, start, text_hash)
        ) WITHOUT ROWID;
        """,
    ),
    Migration(
        "0008_happenings",
        """
        CREATE TABLE happenings (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            expression_start INTEGER NOT NULL,
            sentence_start INTEGER NOT NULL,
            sentence_end INTEGER NOT NULL,
            clause_start INTEGER NOT NULL,
            clause_end INTEGER NOT NULL,
            date TEXT NOT NULL,
            precision TEXT NOT NULL,
            text TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (article_id, expression_start)
        ) WITHOUT ROWID;
        CREATE INDEX happenings_date ON happenings(date);
        CREATE TABLE happening_echoes (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            sentence_start INTEGER NOT NULL,
            sentence_end INTEGER NOT NULL,
            dated INTEGER NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (article_id, sentence_start)
        ) WITHOUT ROWID;
        """,
    ),
    Migration(
        "0009_syntheses",
        """
        CREATE TABLE story_syntheses (
            story_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            version TEXT NOT NULL,
            items INTEGER NOT NULL,
            PRIMARY KEY (story_id, kind)
        ) WITHOUT ROWID;
        CREATE TABLE synthesis_items (
            story_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            position INTEGER NOT NULL,
            weight INTEGER NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (story_id, kind, position),
            FOREIGN KEY (story_id, kind) REFERENCES story_syntheses(story_id, kind)
                ON DELETE CASCADE
        ) WITHOUT ROWID;
        """,
    ),
    Migration(
        "0010_event_articles_seq",
        # The clusterer looks up the article that arrived N articles ago (cluster/relink.py).
        """
        CREATE INDEX event_articles_seq ON event_articles(seq);
        """,
    ),
    Migration(
        # The vector (1.5 KB) and signal rows outgrew a WITHOUT ROWID page's local payload,
        # so each row took an overflow page of its own, mostly empty: a 100k-article bench
        # store was 1.1 GB, two thirds of it these pages. Rowid tables keep such rows local.
        "0011_cluster_rows",
        """
        CREATE TABLE article_vectors_rows (
            article_id TEXT PRIMARY KEY,
            vector BLOB NOT NULL
        );
        INSERT INTO article_vectors_rows SELECT article_id, vector FROM article_vectors;
        DROP TABLE article_vectors;
        ALTER TABLE article_vectors_rows RENAME TO article_vectors;
        CREATE TABLE cluster_signals_rows (
            article_id TEXT PRIMARY KEY,
            terms TEXT NOT NULL,
            names TEXT NOT NULL,
            day INTEGER,
            title TEXT NOT NULL
        );
        INSERT INTO cluster_signals_rows
            SELECT article_id, terms, names, day, title FROM cluster_signals;
        DROP TABLE cluster_signals;
        ALTER TABLE cluster_signals_rows RENAME TO cluster_signals;
        """,
    ),
    Migration(
        # Who acts in a dated clause: a plan and a report of one date are one happening
        # only when the same actor acts in both (synthesise/timeline.py).
        "0012_happening_actors",
        """
        ALTER TABLE happenings ADD COLUMN actor TEXT;
        """,
    ),
    Migration(
        # A facility's mentions now share the key of the organisation of that name ("the
        # White House"): the articles that mention one are enriched again by the next
        # `storyline analyse` (or ingest), so an older store does not keep both entities.
        "0013_facility_names",
        """
        DELETE FROM stage_done WHERE stage = 'enrich'
            AND article_id IN (SELECT article_id FROM mentions WHERE type = 'FAC');
        """,
    ),
    Migration(
        # Event and story ids the clusterer retired (an event regrouped into others, a story
        # merged into another), each with the id that took most of it: an id a reader saw
        # keeps resolving (cluster/listing.py resolve).
        "0014_retired_ids",
        """
        CREATE TABLE retired_ids (
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            successor TEXT NOT NULL,
            PRIMARY KEY (kind, id)
        ) WITHOUT ROWID;
        """,
    ),
    Migration(
        # Each blocking key's posting list cut to its head, the 40 events last filed under it
        # (index.POSTING_LIMIT then), one row per key: "touched:event_id" pairs, apart by
        # spaces, in any order. A batch then dirties one page per key it posts to, where a
        # row per (key, event) in two B-trees dirtied three or four (cluster/state.py).
        "0015_posting_heads",
        """
        CREATE TABLE cluster_heads (
            key TEXT PRIMARY KEY,
            head TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO cluster_heads
            SELECT key, group_concat(touched || ':' || event_id, ' ')
            FROM (
                SELECT key, touched, event_id, row_number() OVER (
                    PARTITION BY key ORDER BY touched DESC, event_id
                ) AS place
                FROM cluster_keys
            )
            WHERE place <= 40
            GROUP BY key;
        DROP TABLE cluster_keys;
        """,
    ),
    Migration(
        # Retiring an id re-points the ids that pointed to it (cluster/state.py retire),
        # which read the whole table without this: 54 µs of each article's clustering at
        # 100k bench articles, 2 µs at 1k.
        "0016_retired_successors",
        """
        CREATE INDEX retired_ids_successor ON retired_ids(kind, successor);
        """,
    ),
    Migration(
        # Document counts by term number, numbered in order of first sight (the commonest
        # terms of the store first): a batch's counts of terms it has met before then fall
        # on few pages, where counts keyed by the term text fell anywhere in the table (at
        # 100k bench articles, 3,949 of the 5,814 pages a batch of 200 wrote). The term
        # text stays unique, so an unknown term is found by it (cluster/state.py).
        "0017_numbered_terms",
        """
        CREATE TABLE cluster_terms (
            id INTEGER PRIMARY KEY,
            term TEXT NOT NULL UNIQUE,
            df INTEGER NOT NULL
        );
        INSERT INTO cluster_terms (term, df) SELECT term, df FROM cluster_df ORDER BY df DESC, term;
        DROP TABLE cluster_df;
        """,
    ),
    Migration(
        # Each entity's mentions counted by written form, kept by triggers on `mentions`:
        # resolving an article's names read every mention of each entity and key it named,
        # so a popular entity (thousands of mentions) cost more with every report
        # (enrich/entities.py). Mentions with a role get an index of their own.
        "0018_entity_forms",
        """
        CREATE TABLE entity_forms (
            entity_id TEXT NOT NULL,
            key TEXT NOT NULL,
            local INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            counted INTEGER NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (entity_id, key, local, text, type, counted)
        ) WITHOUT ROWID;
        CREATE INDEX entity_forms_key ON entity_forms(key, local, entity_id);
        INSERT INTO entity_forms
            SELECT entity_id, key, local, text, type, counted, COUNT(*) FROM mentions
            GROUP BY entity_id, key, local, text, type, counted;
        CREATE TRIGGER mentions_added AFTER INSERT ON mentions BEGIN
            INSERT INTO entity_forms VALUES
                (NEW.entity_id, NEW.key, NEW.local, NEW.text, NEW.type, NEW.counted, 1)
                ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER mentions_removed AFTER DELETE ON mentions BEGIN
            UPDATE entity_forms SET n = n - 1 WHERE entity_id = OLD.entity_id AND key = OLD.key AND local = OLD.local AND text = OLD.text AND type = OLD.type AND counted = OLD.counted;
            DELETE FROM entity_forms WHERE entity_id = OLD.entity_id AND key = OLD.key AND local = OLD.local AND text = OLD.text AND type = OLD.type AND counted = OLD.counted AND n <= 0;
        END;
        CREATE TRIGGER mentions_changed AFTER UPDATE ON mentions BEGIN
            UPDATE entity_forms SET n = n - 1 WHERE entity_id = OLD.entity_id AND key = OLD.key AND local = OLD.local AND text = OLD.text AND type = OLD.type AND counted = OLD.counted;
            DELETE FROM entity_forms WHERE entity_id = OLD.entity_id AND key = OLD.key AND local = OLD.local AND text = OLD.text AND type = OLD.type AND counted = OLD.counted AND n <= 0;
            INSERT INTO entity_forms VALUES
                (NEW.entity_id, NEW.key, NEW.local, NEW.text, NEW.type, NEW.counted, 1)
                ON CONFLICT DO UPDATE SET n = n + 1;
        END;
        CREATE INDEX mentions_roles ON mentions(entity_id) WHERE role IS NOT NULL;
        """,
    ),
    Migration(
        "0019_synthesis_bases",
        # The reports a story's kept claims, timeline and briefing were built from: a run
        # that only adds a few reports to a large story may keep them (synthesise/stored.py).
        """
        CREATE TABLE synthesis_bases (
            story_id TEXT PRIMARY KEY,
            articles TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    ),
    Migration(
        "0020_articles_fts_porter",
        # Search finds "sanctions" for "sanction": the index stems words (Porter) as well as
        # folding case and diacritics. Rebuilt from the articles.
        """
        DROP TRIGGER articles_fts_insert;
        DROP TRIGGER articles_fts_delete;
        DROP TABLE articles_fts;
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='seq',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, old.title, old.text);
        END;
        """,
    ),
    Migration(
        "0021_assertions",
        # Which sentences and pieces of reported speech state something checkable
        # (enrich/assertions.py); `speech` 1 for reported speech, 0 for a whole sentence.
        # Articles enriched before have no rows: their statements all count as claims.
        # happenings.whole: the dated clause reads as a sentence (NULL: enriched before).
        """
        ALTER TABLE happenings ADD COLUMN whole INTEGER;
        CREATE TABLE assertions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            speech INTEGER NOT NULL,
            kind TEXT NOT NULL,
            alone INTEGER NOT NULL,
            PRIMARY KEY (article_id, start, end, speech)
        ) WITHOUT ROWID;
        """,
    ),
]
