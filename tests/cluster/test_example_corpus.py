"""The bundled example corpus (examples/kestrel-falls, written by us): two events in one story."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import Settings, Storyline

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "kestrel-falls"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("example") / "example.db"
    with Storyline(Settings(db_path=db)) as opened:
        opened.ingest(sorted(EXAMPLE.iterdir()))
        yield opened


def _months(storyline: Storyline) -> list[set[str]]:
    """Per event, the months of its dated reports (the undated rewrite has none)."""
    months = {a.id: a.published[:7] for a in storyline.articles() if a.published}
    return sorted(
        ({months[a] for a in event.articles if a in months} for event in storyline.events()),
        key=min,
    )


def test_the_example_makes_the_march_event_and_the_september_event(example):
    assert _months(example) == [{"2026-03"}, {"2026-09"}]
    sizes = sorted(len(event.articles) for event in example.events())
    assert sizes == [3, 5]  # the undated rewrite of the wire report joins March


def test_the_example_is_one_story(example):
    stories = example.stories()
    assert len(stories) == 1
    assert set(stories[0].events) == {event.id for event in example.events()}
