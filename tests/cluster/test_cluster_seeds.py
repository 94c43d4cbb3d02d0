"""Events and stories on the five seed reports (read from ../shared/seeds)."""

from __future__ import annotations

from pathlib import Path

from storyline import Settings, Storyline
from tests.conftest import SEEDS

MEETING = {"000", "001", "002"}
FOLLOW_UP = {"003", "004"}


def _groups(storyline: Storyline, ids: dict[str, str]) -> list[set[str]]:
    number = {article: seed for seed, article in ids.items()}
    return sorted(({number[a] for a in e.articles} for e in storyline.events()), key=min)


def test_seeds_make_two_events_in_one_story(seeded):
    storyline, ids = seeded
    assert _groups(storyline, ids) == [MEETING, FOLLOW_UP]
    stories = storyline.stories()
    assert len(stories) == 1
    assert set(stories[0].articles) == set(ids.values())
    assert set(stories[0].events) == {e.id for e in storyline.events()}


def test_dated_seeds_make_the_same_events_with_their_days(seeded_dated):
    storyline, ids = seeded_dated
    assert _groups(storyline, ids) == [MEETING, FOLLOW_UP]
    assert len(storyline.stories()) == 1
    spans = sorted((e.start, e.end) for e in storyline.events())
    assert spans == [("2025-03-24", "2025-03-26"), ("2025-11-10", "2025-11-12")]


def test_events_and_stories_are_titled_from_their_reports(seeded):
    storyline, _ = seeded
    texts = {a.id: f"{a.title or ''} {a.text}" for a in storyline.articles()}
    for event in storyline.events():
        cut = event.title.removesuffix(" …")
        assert any(cut in texts[a] for a in event.articles)
    story = storyline.stories()[0]
    assert story.title in {e.title for e in storyline.events()}


def test_ids_are_the_same_when_articles_arrive_one_by_one(seeded, tmp_path: Path):
    together, _ = seeded
    with Storyline(Settings(db_path=tmp_path / "one-by-one.db")) as single:
        for path in sorted(SEEDS.glob("*.txt")):
            single.ingest([path])
        assert [e.to_dict() for e in single.events()] == [e.to_dict() for e in together.events()]
        assert [s.to_dict() for s in single.stories()] == [s.to_dict() for s in together.stories()]


def test_ingesting_again_changes_nothing(seeded):
    storyline, _ = seeded
    before = [e.to_dict() for e in storyline.events()]
    report = storyline.ingest(sorted(SEEDS.glob("*.txt")))
    assert report.added == ()
    assert [e.to_dict() for e in storyline.events()] == before


def test_story_articles_lists_one_story(seeded):
    from storyline.cluster import story_articles

    storyline, ids = seeded
    story = storyline.stories()[0]
    assert sorted(story_articles(storyline.store, story.id)) == sorted(ids.values())
    assert sorted(story_articles(storyline.store, story.id[:6])) == sorted(ids.values())
