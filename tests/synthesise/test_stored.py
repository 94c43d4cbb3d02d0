"""Each story's claims, timeline and briefing are kept per version of the story."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline import Settings, Storyline, synthesise
from storyline.cli import cli
from storyline.models import ClaimSummary, Story
from storyline.synthesise import stored
from storyline.synthesise.timeline import build_timeline
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def analysed_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Storyline]:
    db = tmp_path_factory.mktemp("stored") / "seeds.db"
    with Storyline(Settings(db_path=db)) as opened:
        opened.ingest(sorted(SEEDS.glob("*.txt")), published="2025-11-12")
        yield opened


@pytest.fixture
def analysed(analysed_once: Storyline, tmp_path: Path) -> Iterator[Storyline]:
    """A copy of the analysed seeds each test may change."""
    copy = sqlite3.connect(tmp_path / "copy.db")
    analysed_once.store.db.backup(copy)
    copy.close()
    with Storyline(Settings(db_path=tmp_path / "copy.db")) as opened:
        yield opened


def _only_story(storyline: Storyline) -> Story:
    (story,) = storyline.stories()
    return story


def _kinds(storyline: Storyline, story_id: str) -> list[str]:
    rows = storyline.store.query(
        "SELECT DISTINCT kind FROM synthesis_items WHERE story_id = ? ORDER BY kind", (story_id,)
    )
    return [r["kind"] for r in rows]


def test_analysis_keeps_what_reading_would_compute(analysed: Storyline) -> None:
    story = _only_story(analysed)
    assert _kinds(analysed, story.id) == sorted(stored.KINDS)
    assert stored.kept(analysed.store, story, stored.BRIEF) == [
        synthesise.brief(analysed.store, story.id)
    ]
    assert stored.kept(analysed.store, story, stored.CLAIMS) == synthesise.build_claims(
        analysed.store, story.id
    )
    assert stored.kept(analysed.store, story, stored.ENTITIES) == analysed.entities(story.id)
    assert analysed.timeline(story.id[:6]) == build_timeline(analysed.store, story.id)
    # Readers may take the best supported few without decoding the rest.
    claims = analysed.claims(story.id)
    assert analysed.claims(story.id, limit=3) == claims[:3]
    assert analysed.claim_count(story.id) == len(claims) > 3
    assert analysed.claim_summaries(story.id, limit=3) == [ClaimSummary.of(c) for c in claims[:3]]
    timeline = build_timeline(analysed.store, story.id)
    assert analysed.timeline(story.id, best=2) == stored.best_of(stored.TIMELINE, timeline, 2)
    assert analysed.timeline_count(story.id) == len(timeline) > 2
    # Nothing changed: a second analysis rebuilds nothing.
    assert analysed.analyse()["synthesise"] == 0


def test_a_correction_makes_the_kept_synthesis_stale_until_refreshed(
    analysed: Storyline,
) -> None:
    story = _only_story(analysed)
    largest = max(analysed.events(story.id), key=lambda e: len(e.articles))
    analysed.split(largest.id, [largest.articles[-1]])
    changed = _only_story(analysed)
    assert stored.kept(analysed.store, changed, stored.BRIEF) is None
    # Readers still get the briefing of the story as it is now, computed afresh.
    assert analysed.brief(changed.id) == synthesise.brief(analysed.store, changed.id)
    fresh = synthesise.build_claims(analysed.store, changed.id)
    assert analysed.claim_summaries(changed.id) == [ClaimSummary.of(c) for c in fresh]
    assert analysed.refresh() == [changed.id]
    assert stored.kept(analysed.store, changed, stored.BRIEF) is not None


def test_a_payload_from_other_code_is_recomputed_not_misread(analysed: Storyline) -> None:
    story = _only_story(analysed)
    with analysed.store.transaction() as db:
        db.execute(
            "UPDATE synthesis_items SET payload = ? WHERE story_id = ? AND kind = ? AND position = 0",
            ('{"id": 1}', story.id, stored.CLAIMS),
        )
    assert stored.kept(analysed.store, story, stored.CLAIMS) is None
    assert analysed.claims(story.id) == synthesise.build_claims(analysed.store, story.id)


def test_syntheses_of_stories_that_are_gone_are_dropped(analysed: Storyline) -> None:
    story = _only_story(analysed)
    with analysed.store.transaction() as db:
        db.execute("INSERT INTO story_syntheses VALUES ('gone', 'brief', 'v', 1)")
        db.execute(
            "INSERT INTO synthesis_items VALUES (?, ?, ?, ?, ?)", ("gone", stored.BRIEF, 0, 0, "{}")
        )
    assert analysed.refresh() == []
    ids = {r["story_id"] for r in analysed.store.query("SELECT story_id FROM synthesis_items")}
    assert ids == {story.id}


def test_a_run_adding_reports_to_a_large_story_keeps_its_synthesis_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A watcher's run that adds a few reports keeps a large story's claims, timeline and
    briefing (the seeds' story counts as large here); readers are told what they lack, and
    an analysis that adds nothing brings them up to date."""
    seeds = sorted(SEEDS.glob("*.txt"))
    with Storyline(Settings(db_path=tmp_path / "s.db")) as opened:
        opened.ingest(seeds[:4], published="2025-11-12")
        story = _only_story(opened)
        before = opened.claims(story.id)
        assert opened.synthesis_lag(story.id) is None
        deferral = stored.Deferral
        monkeypatch.setattr(stored, "Deferral", lambda: deferral(min_reports=1, growth=1.0))
        opened.ingest(seeds[4:], published="2025-11-12")
        grown = _only_story(opened)
        assert opened.synthesis_lag(grown.id) == (4, 5)
        assert opened.claims(grown.id) == before  # kept, not rebuilt
        # Entities are cheap and always current.
        assert opened.entities(grown.id) == stored.Reader(opened.store).build(
            grown.id, "fresh", stored.ENTITIES
        )
        result = CliRunner().invoke(
            cli, ["--db", str(tmp_path / "s.db"), "claims", "--story", grown.id]
        )
        assert "built from 4 of the story's 5 reports" in result.stderr
        assert opened.analyse()["synthesise"] == 1  # nothing new: everything brought up to date
        assert opened.synthesis_lag(grown.id) is None
        assert opened.claims(grown.id) == synthesise.build_claims(opened.store, grown.id)


def test_a_synthesis_is_kept_through_additions_only() -> None:
    defer = stored.Deferral(min_reports=2, growth=0.6)
    kinds = (stored.CLAIMS, stored.TIMELINE, stored.BRIEF)
    kept = {("s", k): "old" for k in kinds}
    stale = {k: "new" for k in kinds}
    base = {"s": ["a", "b"]}
    assert stored._may_keep(defer, "s", stale, kept, base, ["a", "b", "c"])
    assert not stored._may_keep(defer, "s", stale, kept, base, ["a", "c"])  # b moved out
    assert not stored._may_keep(defer, "s", stale, kept, base, ["a", "b", "c", "d"])  # grown
    assert not stored._may_keep(defer, "s", stale, kept, {"s": ["a"]}, ["a", "b"])  # small
    assert not stored._may_keep(defer, "s", stale, {}, base, ["a", "b", "c"])  # nothing kept
