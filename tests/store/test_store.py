"""The SQLite store: migrations, revisions, full-text search, and surviving a kill."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from storyline import NotFoundError, Settings, StoreError, Storyline, UsageError
from storyline.store import Store
from storyline.store.migrations import MIGRATIONS

BODY = "The city council voted on Monday to rebuild the old stone bridge over the river. Work starts in June."


def test_migrations_are_recorded_once_by_name(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store(path) as store:
        assert store.applied_migrations() == [m.name for m in MIGRATIONS]
    with Store(path) as store:  # reopening applies nothing twice
        assert store.applied_migrations() == [m.name for m in MIGRATIONS]
        assert store.query("PRAGMA journal_mode")[0][0] == "wal"


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO _migrations VALUES ('9999_future', 'x')")
    with pytest.raises(StoreError, match="newer storyline"):
        Store(path)


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError, match="cannot open"):
        Store(path)


def test_same_url_with_changed_text_is_a_new_revision(storyline: Storyline, tmp_path: Path) -> None:
    first = tmp_path / "v1.txt"
    first.write_text(f"---\nurl: https://news.example/bridge\n---\n{BODY}")
    storyline.ingest([first])
    second = tmp_path / "v2.txt"
    second.write_text(
        f"---\nurl: https://news.example/bridge\n---\n{BODY} The vote was eleven to four."
    )
    report = storyline.ingest([second])
    assert len(report.added) == 1 and report.revisions == report.added
    old, new = storyline.articles()
    assert new.revision_of == old.id
    assert "eleven to four" in new.text and "eleven to four" not in old.text


def test_same_file_edited_is_a_revision_of_the_earlier_reading(
    storyline: Storyline, tmp_path: Path
) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text(BODY)
    storyline.ingest([path])
    path.write_text(BODY + " The mayor welcomed the vote.")
    storyline.ingest([path])
    old, new = storyline.articles()
    assert new.revision_of == old.id


def test_ids_are_content_derived_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text(BODY)
    ids = []
    for name in ("one.db", "two.db"):
        with Storyline(Settings(db_path=tmp_path / name)) as storyline:
            ids.append(storyline.ingest([path]).added)
    assert ids[0] == ids[1] and len(ids[0][0]) == 12


def test_full_text_search_finds_words_and_ignores_diacritics(
    storyline: Storyline, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "b.txt").write_text(
        "Officials in Türkiye opened a new airport terminal on Friday morning."
    )
    storyline.ingest([tmp_path])

    def sources(query: str, **filters: str) -> list[str]:
        return [h.article.source for h in storyline.search(query, **filters).hits]

    assert sources("bridge") == [str(tmp_path / "a.txt")]
    assert sources("Turkiye") == [str(tmp_path / "b.txt")]
    storyline.search('airport "unbalanced')  # malformed FTS syntax falls back, never raises
    assert sources("airport (") == [str(tmp_path / "b.txt")]
    # Words are stemmed: "votes" and "rebuilding" find "voted" and "rebuild".
    assert sources("votes rebuilding") == [str(tmp_path / "a.txt")]
    # The passage that matched, with the matched words' offsets.
    (hit,) = storyline.search("bridges").hits
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["bridge"]
    assert storyline.search("bridge").total == 1 and storyline.search("zzqx").total == 0


def test_search_is_narrowed_by_date_outlet_entity_and_story(
    seeded_dated: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded_dated

    def found(**filters: str) -> set[str]:
        return {h.article.id for h in storyline.search("sanction", **filters).hits}

    everything = found()
    assert everything == set(ids.values())  # every seed says "sanctions"
    assert found(until="2025-03-31") == {ids["000"], ids["001"], ids["002"]}
    assert found(since="2025-11-01") == everything - found(until="2025-03-31")
    ap = next(a for a in storyline.articles() if a.id == ids["004"]).outlet
    assert ap and found(outlet=ap.lower()) == {ids["004"]}
    rubio = {a for e in storyline.entities() if e.name == "Marco Rubio" for a in e.articles}
    assert rubio and found(entity="Marco Rubio") == rubio & everything
    story = next(s for s in storyline.stories() if ids["000"] in s.articles)
    assert found(story=story.id[:6]) == everything & set(story.articles)
    with pytest.raises(UsageError):
        found(since="someday")
    with pytest.raises(NotFoundError):
        found(entity="Nobody Atall")


def test_killing_ingest_loses_nothing_committed_and_a_rerun_finishes(tmp_path: Path) -> None:
    dump = tmp_path / "many.jsonl"
    with dump.open("w") as handle:
        for i in range(3000):
            handle.write(
                json.dumps(
                    {
                        "text": f"{BODY} Report number {i} of the series.",
                        "url": f"https://n.example/{i}",
                    }
                )
                + "\n"
            )
    db = tmp_path / "kill.db"
    env = {**os.environ, "STORYLINE_BATCH_SIZE": "50"}
    # Storing is what a kill can interrupt; the analysis stages resume on their own (pending()).
    command = [
        sys.executable,
        "-m",
        "storyline",
        "--db",
        str(db),
        "ingest",
        str(dump),
        "--json",
        "--no-analyse",
    ]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _count(db) < 100:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
    stored = _count(db)
    assert 0 < stored < 3000, "the kill should land mid-run"
    assert stored % 50 == 0, "only whole batches are committed"
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    result = json.loads(rerun.stdout)
    assert result["added"] == 3000 - stored and result["skipped"] == stored
    assert _count(db) == 3000
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT count(*) FROM stage_done").fetchone()[0] == 0


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_moving_the_cluster_rows_to_rowid_tables_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    before = [m for m in MIGRATIONS if m.name != "0011_cluster_rows"]
    vector = bytes(range(256)) * 6  # 1.5 KB, an embedding's size
    with Store(path, migrations=before) as old, old.transaction() as db:
        db.execute("INSERT INTO article_vectors VALUES ('a1', ?)", (vector,))
        db.execute("INSERT INTO cluster_signals VALUES ('a1', 't', 'n', 740000, 'Title')")
    with Store(path) as upgraded:
        assert upgraded.applied_migrations()[-1] == "0011_cluster_rows"
        vectors = upgraded.query("SELECT article_id, vector FROM article_vectors")
        assert [tuple(row) for row in vectors] == [("a1", vector)]
        signals = upgraded.query("SELECT * FROM cluster_signals")
        assert [tuple(row) for row in signals] == [("a1", "t", "n", 740000, "Title")]
        schema = upgraded.query("SELECT sql FROM sqlite_master WHERE name = 'article_vectors'")
        assert "WITHOUT ROWID" not in schema[0][0]


def test_an_older_store_enriches_again_the_articles_naming_a_facility(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    (tmp_path / "facility.txt").write_text(
        "Protesters gathered outside the White House on Sunday evening.", encoding="utf-8"
    )
    (tmp_path / "plain.txt").write_text(BODY, encoding="utf-8")
    with Storyline(Settings(db_path=path)) as first:
        first.ingest([tmp_path / "facility.txt", tmp_path / "plain.txt"])
        with first.store.transaction() as db:  # as a store written before the migration
            db.execute("DELETE FROM _migrations WHERE name = '0013_facility_names'")
    with Storyline(Settings(db_path=path)) as upgraded:
        pending = upgraded.store.pending("enrich")
        assert [a.source for a in upgraded.store.articles(pending)] == [
            str(tmp_path / "facility.txt")
        ]
        assert upgraded.analyse()["enrich"] == 1
        assert [e.name for e in upgraded.entities() if "White" in e.name] == ["White House"]


def test_cutting_posting_lists_to_heads_keeps_the_newest_postings_of_each_key(
    tmp_path: Path,
) -> None:
    from storyline.cluster.index import POSTING_LIMIT
    from storyline.cluster.state import ClusterState

    path = tmp_path / "old.db"
    before = [m for m in MIGRATIONS if m.name != "0015_posting_heads"]
    with Store(path, migrations=before) as old, old.transaction() as db:
        rows = [("busy", f"event-{n:03d}", n) for n in range(POSTING_LIMIT + 5)]
        rows += [("quiet", "event-000", 7), ("quiet", "event-900", 3)]
        db.executemany("INSERT INTO cluster_keys VALUES (?, ?, ?)", rows)
    with Store(path) as upgraded:
        assert "0015_posting_heads" in upgraded.applied_migrations()
        state = ClusterState(upgraded)
        busy = state.best_blocked(["busy"], limit=1000)
        assert busy == [f"event-{n:03d}" for n in range(5, POSTING_LIMIT + 5)]
        assert state.best_blocked(["quiet", "busy"], limit=2) == ["event-000", "event-005"]
        assert upgraded.query("SELECT name FROM sqlite_master WHERE name = 'cluster_keys'") == []


def test_numbering_the_terms_keeps_every_count_and_numbers_the_commonest_first(
    tmp_path: Path,
) -> None:
    from storyline.cluster.signals import build_signals
    from storyline.cluster.state import ClusterState, empty_vector

    path = tmp_path / "old.db"
    before = [m for m in MIGRATIONS if m.name != "0017_numbered_terms"]
    counts = {"ferry": 1, "harbour": 5, "@veldrin": 3, "storm": 5}
    with Store(path, migrations=before) as old, old.transaction() as db:
        db.executemany("INSERT INTO cluster_df VALUES (?, ?)", sorted(counts.items()))
    with Store(path) as upgraded:
        assert "0017_numbered_terms" in upgraded.applied_migrations()
        numbered = upgraded.query("SELECT id, term, df FROM cluster_terms ORDER BY id")
        assert [(row[1], row[2]) for row in numbered] == [
            ("harbour", 5),
            ("storm", 5),
            ("@veldrin", 3),
            ("ferry", 1),
        ]
        assert upgraded.query("SELECT name FROM sqlite_master WHERE name = 'cluster_df'") == []
        with upgraded.transaction(), ClusterState(upgraded) as state:
            ids = np.asarray(state.term_ids(["ferry", "harbour", "gull"]), dtype=np.int64)
            # idf = ln((N + prior) / (df + 1)) + floor: the rarer, the higher.
            ferry, harbour, gull = state.idf(ids).tolist()
            assert gull > ferry > harbour
            report = build_signals("a1", None, "ferry harbour gull", None, empty_vector())
            state.count_document(report)
        after = dict(upgraded.query("SELECT term, df FROM cluster_terms"))
        assert after["ferry"] == 2 and after["harbour"] == 6 and after["gull"] == 1
        newest = upgraded.query("SELECT term FROM cluster_terms ORDER BY id DESC LIMIT 1")
        assert newest[0][0] == "gull"  # a new term is numbered after every known one


def test_a_second_writer_waits_its_turn_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Two writers on one store: the second waits for the first's batch, never fails."""
    path = tmp_path / "shared.db"
    finished: list[str] = []

    def write_second() -> None:
        with Store(path) as second, second.transaction() as db:
            db.execute("INSERT INTO _migrations VALUES ('second', 'now')")
        finished.append("second")

    with Store(path) as first:
        with first.transaction() as db:
            db.execute("INSERT INTO _migrations VALUES ('first', 'now')")
            waiting = threading.Thread(target=write_second)
            waiting.start()
            time.sleep(1.0)  # past the short busy waits: the second is queued
            assert finished == []
        waiting.join(timeout=30)
        assert finished == ["second"]
        names = {r[0] for r in first.query("SELECT name FROM _migrations")}
        assert {"first", "second"} <= names
    assert "waiting for its turn" in caplog.text
