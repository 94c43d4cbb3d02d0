"""Speakers the parser alone gets wrong, on an invented report: a quote continued in the
same paragraph, a person named beside a description, "she" after an organisation, a
heading above a paragraph, and invented organisation and place names."""

from __future__ import annotations

import pytest

from tests.conftest import ingested_text

STORY = (
    "Floodwater reached the old mill district of Brackenridge Springs on Sunday night.\n\n"
    '"We carried the children out through the window," said Ilse Marren, a baker who has '
    'run a shop beside the canal for twenty years. "The water came up in minutes."\n\n'
    "Its chief hydrologist, Pavel Dunmore, said the canal gates had jammed twice this year.\n\n"
    "The review's chair, retired professor Odile Fenwick, said on Monday that Harrowgate "
    'Utilities had ignored two warnings. "The gates were never tested," she said.\n\n'
    "Questions for the operator\n\n"
    "Councillor Bram Ostler called for a public hearing, saying the operator had cut its "
    "repair budget in half.\n"
)


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("speakers")
    with ingested_text(folder, "flood.txt", STORY) as storyline:
        entities = storyline.entities()
        names = {e.id: e.name for e in entities}
        yield [(q, names.get(q.entity or "")) for q in storyline.quotes()], entities


def _speaker_of(found, fragment: str) -> str | None:
    quotes, _ = found
    matches = [name for quote, name in quotes if fragment in quote.text]
    assert matches, f"no quote with {fragment!r}; have {[q.text for q, _ in quotes]}"
    return matches[0]


def test_quote_continued_later_in_the_paragraph_keeps_its_speaker(found):
    assert _speaker_of(found, "The water came up in minutes") == "Ilse Marren"


def test_person_named_beside_a_description_is_the_speaker(found):
    assert _speaker_of(found, "canal gates had jammed") == "Pavel Dunmore"
    assert _speaker_of(found, "had ignored two warnings") == "Odile Fenwick"


def test_she_is_the_person_not_the_organisation_named_last(found):
    assert _speaker_of(found, "The gates were never tested") == "Odile Fenwick"


def test_a_heading_never_becomes_the_speaker(found):
    assert _speaker_of(found, "repair budget in half") == "Bram Ostler"


def test_names_ending_in_an_organisation_or_place_word_are_not_people(found):
    _, entities = found
    types = {e.name: e.type for e in entities}
    assert types.get("Harrowgate Utilities") != "PERSON"
    assert types.get("Brackenridge Springs") in {"GPE", "LOC"}
