"""Quotes and reported speech on the seeds: the quotes EXPECTED.md lists, with their speakers."""

from __future__ import annotations

from storyline.models import Entity, Quote


def _entity(seeded, name: str) -> Entity:
    (found,) = [e for e in seeded[0].entities() if e.name == name]
    return found


def _quote(seeded, number: str, fragment: str) -> Quote:
    storyline, ids = seeded
    found = [q for q in storyline.quotes() if q.article == ids[number] and fragment in q.text]
    assert found, f"no quote with {fragment!r} in {number}"
    return found[0]


def test_unnamed_ministry_source_keeps_description_and_links_to_ministry(seeded):
    quote = _quote(seeded, "000", "Technical talks will be held")
    assert quote.direct
    assert "Turkish Foreign Ministry source" in (quote.speaker or "")
    assert quote.entity == _entity(seeded, "Turkish Foreign Ministry").id


def test_partial_quote_of_an_unnamed_aide(seeded):
    quote = _quote(seeded, "002", "transformational")
    assert quote.direct and quote.partial
    assert quote.speaker == "a senior Trump aide"
    assert quote.entity != _entity(seeded, "Donald Trump").id


def test_barrack_quotes_in_both_reports(seeded):
    barrack = _entity(seeded, "Tom Barrack").id
    for number, fragment in [
        ("004", "The positive relationship between President Trump"),
        ("004", "Our hope is that these talks will yield a breakthrough"),
        ("003", "the most fruitful conversations"),
    ]:
        quote = _quote(seeded, number, fragment)
        assert quote.direct
        assert quote.entity == barrack, (number, fragment, quote.speaker)
        assert quote.speaker == "Tom Barrack"


def test_reported_speech_with_told_reuters(seeded):
    quote = _quote(seeded, "003", "find a way to lift US sanctions")
    assert not quote.direct
    assert quote.cue == "told"
    assert quote.entity == _entity(seeded, "Hakan Fidan").id


def test_reported_speech_of_erdogan(seeded):
    quote = _quote(seeded, "004", "Turkey invested $1.4 billion")
    assert not quote.direct
    assert quote.entity == _entity(seeded, "Recep Tayyip Erdogan").id


def test_capital_as_speaker_is_the_country(seeded):
    quote = _quote(seeded, "000", "its removal is unjust")
    assert quote.cue == "says"
    assert quote.speaker == "Ankara"
    assert quote.entity == _entity(seeded, "Turkey").id


def test_pronoun_speaker_resolves_to_the_person(seeded):
    quote = _quote(seeded, "003", "improving ties between US President Donald Trump")
    assert quote.entity == _entity(seeded, "Tom Barrack").id


def test_scare_quotes_are_not_speech(seeded):
    storyline, ids = seeded
    texts = [q.text for q in storyline.quotes() if q.article == ids["000"]]
    assert not any("reliable and strong partner" in t for t in texts)
