"""Cleaning rules on hand-made text."""

from __future__ import annotations

from storyline.extract import clean_text
from storyline.extract.clean import normalise
from storyline.extract.dateline import parse_dateline


def test_normalise_composes_unicode_and_tidies_space() -> None:
    decomposed = "Tu\u0308rkiye\u00a0 and\u200b the  allies \r\nsecond line  "
    assert normalise(decomposed) == "Türkiye and the allies\nsecond line"


def test_boilerplate_lines_are_dropped_and_reported() -> None:
    text = (
        "The council approved the new bridge on Friday after a long debate.\n"
        "Read more: Five things to know about bridges\n"
        "Work will start in the spring and last two years.\n"
        "Share this article\n"
        "Subscribe to our newsletter\n"
        "By Jane Q. Writer\n"
    )
    cleaned = clean_text(text)
    assert "Read more" not in cleaned.text
    assert "Subscribe" not in cleaned.text and "Share" not in cleaned.text
    assert "Jane" not in cleaned.text
    assert len(cleaned.dropped) == 4
    assert [s.text for s in cleaned.sentences] == [
        "The council approved the new bridge on Friday after a long debate.",
        "Work will start in the spring and last two years.",
    ]


def test_long_paragraph_starting_with_a_cue_word_is_kept() -> None:
    text = (
        "The mayor spoke first.\n"
        "Related: the mayor said the bridge, which has been discussed for a decade by every council "
        "that has sat in the town hall since the old ferry stopped running, would finally be built "
        "with money from the regional fund and a loan from the national development bank."
    )
    assert "finally be built" in clean_text(text).text


def test_headline_first_line_becomes_title_only_when_it_looks_like_one() -> None:
    headline = clean_text(
        "Council Backs New River Bridge\n\nThe council approved the bridge on Friday."
    )
    assert headline.title == "Council Backs New River Bridge"
    assert headline.text == "The council approved the bridge on Friday."
    sentence = clean_text("The council approved the bridge on Friday.\nWork starts in spring.")
    assert sentence.title is None


def test_given_title_repeated_as_first_line_is_removed() -> None:
    cleaned = clean_text(
        "Bridge approved\nThe council approved the bridge on Friday.", title="Bridge Approved"
    )
    assert cleaned.title == "Bridge Approved"
    assert cleaned.text == "The council approved the bridge on Friday."


def test_hard_wrapped_lines_are_joined_into_one_paragraph() -> None:
    text = "The council approved the new bridge on Friday after\na long debate that lasted well into\nthe night."
    cleaned = clean_text(text)
    assert (
        cleaned.text
        == "The council approved the new bridge on Friday after a long debate that lasted well into the night."
    )
    assert len(cleaned.sentences) == 1


def test_markdown_headings_are_headings() -> None:
    cleaned = clean_text(
        "The council met on Friday.\n\n## What comes next\n\nWork starts in spring."
    )
    assert [h.text for h in cleaned.headings] == ["What comes next"]
    assert "#" not in cleaned.text


def test_datelines() -> None:
    wire = parse_dateline("LONDON, March 3 (Reuters) - Oil prices rose.")
    assert wire is not None and (wire.place, wire.outlet) == ("London", "Reuters")
    hyphenated = parse_dateline("PORT-AU-PRINCE, Haiti (CNN) -- Rescuers dug through the night.")
    assert hyphenated is not None and hyphenated.place == "Port-Au-Prince"
    bare = parse_dateline("NEW YORK — Stocks fell.")
    assert bare is not None and (bare.place, bare.outlet) == ("New York", None)
    named = parse_dateline("Paris, Le Quotidien: The strike continued.")
    assert named is not None and (named.place, named.outlet) == ("Paris", "Le Quotidien")
    # A clause that merely looks like "Word, Words:" is not a dateline: the place is unknown.
    assert parse_dateline("However, the Minister said: no.") is None
    assert parse_dateline("NATO — the alliance met.") is None
