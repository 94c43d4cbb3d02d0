"""The briefing cites every sentence; `changes` tells what is new since a date."""

from __future__ import annotations

from storyline import Storyline
from storyline.synthesise import to_html, to_markdown


def test_every_brief_sentence_cites_reports_that_contain_it(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, _ = seeded
    briefing = storyline.brief()
    titles = [s.title for s in briefing.sections]
    assert titles[:3] == ["What happened", "The latest", "Who said what"]
    texts = {a.id: a.text for a in storyline.articles()}
    for section in briefing.sections:
        assert section.sentences
        for sentence in section.sentences:
            assert sentence.sources
            if section.title != "Timeline":
                assert sentence.text in texts[sentence.sources[0]]


def test_brief_never_repeats_a_sentence_or_counts_the_rewrite_apart(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded
    briefing = storyline.brief()
    prose = [
        s
        for sec in briefing.sections
        if sec.title in ("What happened", "The latest")
        for s in sec.sentences
    ]
    assert len({s.text for s in prose}) == len(prose)
    # A sentence 000 and its rewrite 001 both state is one sentence citing both.
    assert not any(
        s.sources == (ids["001"],)
        and any(o.sources[0] == ids["000"] and o.text == s.text for o in prose)
        for s in prose
    )


def test_story_brief_and_formats(seeded: tuple[Storyline, dict[str, str]]) -> None:
    storyline, _ = seeded
    (story,) = storyline.stories()
    briefing = storyline.brief(story.id)
    assert briefing.story == story.id
    data = briefing.to_dict()
    assert set(data) >= {"story", "sections"}
    assert all(set(s) == {"title", "sentences"} for s in data["sections"])
    markdown = to_markdown(briefing)
    assert markdown.startswith("# ") and "## What happened" in markdown
    page = to_html(briefing)
    assert "<h2>What happened</h2>" in page and "<script" not in page


def test_changes_since_march_are_the_november_reports(
    seeded_dated: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded_dated
    new = storyline.changes(None, "2025-06-01")
    november = {ids["003"], ids["004"]}
    assert new
    assert all(set(c.sources) <= november for c in new)
    kinds = {c.kind for c in new}
    assert {"event", "claim", "quote", "actor"} <= kinds
    actors = {c.text for c in new if c.kind == "actor"}
    assert "Tom Barrack" in actors and "Hakan Fidan" not in actors
    assert storyline.changes(None, "2025-12-01") == []
