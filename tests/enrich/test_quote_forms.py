"""Quote forms on invented sentences: curly and straight marks, split around the cue,
several sentences, partial quotes, "according to X", "X told Reuters"."""

from __future__ import annotations

import pytest

from tests.conftest import ingested_text

STORY = (
    "Harbour Town Council approved the new sea wall on Monday after a long debate.\n\n"
    "“We will rebuild the harbour before winter,” Mayor Elena Vasquez said.\n\n"
    '"The vote was fair and open," said councillor Tomas Lindgren.\n\n'
    "Governor Aisha Rahman visited the site later. “The budget is tight,” she said. "
    "“But the schools come first.”\n\n"
    "“The river rose overnight. Nobody was hurt,” the fire chief Marta Olsen said.\n\n"
    "Olsen described the rescue as “textbook” in her report.\n\n"
    "According to Lena Frey, the repairs will end in May.\n\n"
    "Finance Minister Jonas Berg told Reuters that the grant would be paid in full.\n\n"
    "A Norwegian Energy Ministry source said the pipeline would open next year.\n\n"
    "Vasquez also said that the ferry would run again in March.\n\n"
    "The harbour company declined to say when the old wall was last inspected.\n\n"
    "The port authority would not say whether the ferry was safe.\n\n"
    "The engineers' survey found that sand poured during the 1998 works had not set "
    "properly with the older stone.\n\n"
    "The inquiry into the Lisbon harbour found that the old wall had cracked in 1998.\n\n"
    "A spokesman for Harbour Town Council said the wall would cost more than planned.\n\n"
    "The council kept the old ferry, which Governor Aisha Rahman argued posed a risk to "
    "passengers.\n\n"
    "Local fishermen worried that the new wall would block the northern channel.\n"
)


@pytest.fixture(scope="module")
def quotes(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("quote_forms")
    with ingested_text(folder, "harbour.txt", STORY) as storyline:
        names = {e.id: e.name for e in storyline.entities()}
        yield [(q, names.get(q.entity or "")) for q in storyline.quotes()]


def _find(quotes, fragment: str):
    found = [(q, name) for q, name in quotes if fragment in q.text]
    assert found, f"no quote with {fragment!r}; have {[q.text for q, _ in quotes]}"
    return found[0]


def test_curly_quote_with_cue_after(quotes):
    quote, name = _find(quotes, "We will rebuild the harbour")
    assert quote.direct and not quote.partial
    assert quote.cue == "said"
    assert name == "Elena Vasquez"


def test_straight_quote_with_inverted_cue(quotes):
    quote, name = _find(quotes, "The vote was fair and open")
    assert quote.direct
    assert name == "Tomas Lindgren"


def test_quote_split_around_the_cue_keeps_the_speaker(quotes):
    _first, first_name = _find(quotes, "The budget is tight")
    second, second_name = _find(quotes, "But the schools come first")
    assert first_name == second_name == "Aisha Rahman"
    assert second.direct


def test_multi_sentence_quote_is_one_quote(quotes):
    quote, name = _find(quotes, "The river rose overnight")
    assert "Nobody was hurt" in quote.text
    assert name == "Marta Olsen"


def test_partial_quote(quotes):
    quote, name = _find(quotes, "textbook")
    assert quote.partial and quote.direct
    assert quote.cue == "described"
    assert name == "Marta Olsen"


def test_according_to(quotes):
    quote, name = _find(quotes, "the repairs will end in May")
    assert not quote.direct
    assert quote.cue == "According to"
    assert name == "Lena Frey"


def test_told_reuters(quotes):
    quote, name = _find(quotes, "the grant would be paid in full")
    assert not quote.direct and quote.cue == "told"
    assert name == "Jonas Berg"


def test_unnamed_source_links_to_its_organisation(quotes):
    quote, name = _find(quotes, "the pipeline would open")
    assert quote.speaker == "A Norwegian Energy Ministry source"
    assert name == "Norwegian Energy Ministry"


def test_surname_in_reported_speech(quotes):
    _quote, name = _find(quotes, "the ferry would run again")
    assert name == "Elena Vasquez"


def test_a_withheld_saying_is_no_quote(quotes):
    texts = [q.text for q, _ in quotes]
    assert not [t for t in texts if "inspected" in t or "ferry was safe" in t], texts


def test_reported_clause_is_read_whole(quotes):
    quote, _ = _find(quotes, "sand poured during the 1998 works")
    assert quote.text.endswith("with the older stone")


def test_an_unnamed_source_speaks_for_its_organisation_not_for_a_place_it_names(quotes):
    _, name = _find(quotes, "the wall would cost more")
    assert name == "Harbour Town Council"
    quote, name = _find(quotes, "the old wall had cracked")
    assert quote.speaker == "The inquiry into the Lisbon harbour" and name is None


def test_a_speaker_inside_a_relative_clause(quotes):
    # "…, which Governor Aisha Rahman argued posed a risk": the relative pronoun is the
    # subject of what is said, the governor the speaker.
    quote, name = _find(quotes, "posed a risk to passengers")
    assert name == "Aisha Rahman" and quote.cue == "argued"


def test_a_worry_is_reported_speech(quotes):
    quote, _ = _find(quotes, "the new wall would block the northern channel")
    assert quote.speaker == "Local fishermen" and not quote.direct


def test_the_cue_keeps_its_auxiliaries_and_adverbs(quotes):
    # As PolNeAR marks cues: "also said", "has said", "will argue".
    quote, name = _find(quotes, "the ferry would run again")
    assert quote.cue == "also said" and name == "Elena Vasquez"
