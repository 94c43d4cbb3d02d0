"""Analysts' merge, split and move survive later ingests."""

from __future__ import annotations

import pytest

from storyline import Storyline
from storyline.cluster.listing import resolve
from storyline.errors import NotFoundError, UsageError
from storyline.models import RawDocument
from tests.conftest import SEEDS

# Invented: a later report on the same talks, to be ingested after a correction.
LATER = RawDocument(
    source="hand/later.txt",
    title="Ankara and Washington resume fighter jet talks",
    text=(
        "Turkish and American officials resumed talks in Ankara on the F-35 fighter jet "
        "programme and the S-400 missile system, the Turkish Foreign Ministry said. Ambassador "
        "Tom Barrack said both sides hoped sanctions imposed under CAATSA could be eased."
    ),
)

# Invented: a report with nothing in common with the seeds.
BAKERY = RawDocument(
    source="hand/bakery.txt",
    title="Harbour bakery wins regional bread prize",
    text=(
        "A small bakery on the harbour front of Lenwick won the regional rye bread prize on "
        "Saturday, its owner Petra Valsgaard said, after judges praised the sourdough crust."
    ),
)


@pytest.fixture
def corrected(storyline: Storyline) -> Storyline:
    storyline.ingest(sorted(SEEDS.glob("*.txt")))
    return storyline


def _by_seed(storyline: Storyline) -> dict[str, str]:
    return {a.source.split("/")[-1][:3]: a.id for a in storyline.articles() if "seeds" in a.source}


def _event_of(storyline: Storyline, article: str) -> str:
    (event,) = [e.id for e in storyline.events() if article in e.articles]
    return event


def test_merge_keeps_the_first_event_and_survives_an_ingest(corrected: Storyline):
    seeds = _by_seed(corrected)
    first, second = _event_of(corrected, seeds["000"]), _event_of(corrected, seeds["003"])
    assert corrected.merge(first, second) == first
    corrected.ingest_documents([LATER])
    merged = next(e for e in corrected.events() if e.id == first)
    assert set(seeds.values()) <= set(merged.articles)
    assert second not in {e.id for e in corrected.events()}
    assert [c["kind"] for c in corrected.corrections()] == ["merge"]
    # The merged-away id still leads somewhere: to the event that took it in.
    assert resolve(corrected.store, "events", second) == first


def test_split_makes_a_new_event_that_survives_an_ingest(corrected: Storyline):
    seeds = _by_seed(corrected)
    meeting = _event_of(corrected, seeds["000"])
    new_event = corrected.split(meeting, [seeds["002"]])
    corrected.ingest_documents([LATER])
    events = {e.id: set(e.articles) for e in corrected.events()}
    assert seeds["002"] in events[new_event]
    assert {seeds["000"], seeds["001"]} <= events[meeting]
    assert seeds["002"] not in events[meeting]
    story = {e.id: e.story for e in corrected.events()}
    assert story[new_event] == story[meeting]


def test_move_puts_an_article_in_another_event_for_good(corrected: Storyline):
    seeds = _by_seed(corrected)
    follow_up = _event_of(corrected, seeds["003"])
    corrected.move(seeds["002"], follow_up)
    corrected.ingest_documents([LATER])
    assert _event_of(corrected, seeds["002"]) == follow_up


def test_move_an_event_into_another_story(corrected: Storyline):
    seeds = _by_seed(corrected)
    seeds_story = next(e.story for e in corrected.events() if seeds["000"] in e.articles)
    corrected.ingest_documents([BAKERY])
    (bakery,) = [e for e in corrected.events() if e.story != seeds_story]
    assert corrected.move(bakery.id, seeds_story) == seeds_story
    corrected.ingest_documents([LATER])
    (story,) = corrected.stories()
    assert bakery.id in story.events
    assert [c["kind"] for c in corrected.corrections()] == ["move"]


def test_bad_corrections_say_what_to_do(corrected: Storyline):
    seeds = _by_seed(corrected)
    meeting = _event_of(corrected, seeds["000"])
    with pytest.raises(NotFoundError):
        corrected.merge(meeting, "ffffffffffff")
    with pytest.raises(UsageError):
        corrected.merge(meeting, meeting)
    with pytest.raises(UsageError):
        corrected.split(meeting, [seeds["003"]])
    with pytest.raises(UsageError):
        corrected.split(meeting, [seeds["000"], seeds["001"], seeds["002"]])
    # A move to where the item already is moves nothing, says so, and records nothing.
    with pytest.raises(UsageError, match="already in event"):
        corrected.move(seeds["000"], meeting)
    story = next(e.story for e in corrected.events() if e.id == meeting)
    with pytest.raises(UsageError, match="already in story"):
        corrected.move(meeting, story)
    assert corrected.corrections() == []


def test_a_briefing_without_a_story_is_of_the_largest_never_a_mix(corrected: Storyline):
    corrected.ingest_documents([BAKERY])
    seeds_story = corrected.largest_story()
    assert seeds_story is not None and len(corrected.stories()) == 2
    briefing = corrected.brief()
    assert (briefing.story, briefing.title) == (seeds_story.id, seeds_story.title)
    bakery = next(a.id for a in corrected.articles() if a.source == BAKERY.source)
    cited = {s for section in briefing.sections for line in section.sentences for s in line.sources}
    assert cited and bakery not in cited and cited <= set(seeds_story.articles)
