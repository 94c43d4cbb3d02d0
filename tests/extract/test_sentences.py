"""Sentence segmentation: BlingFire's breaker and our rule on top of it."""

from __future__ import annotations

from storyline.extract.sentences import split_sentences


def test_a_sentence_ending_before_an_initialism_ends_there() -> None:
    text = "He met leaders in Kyiv and Gaza. U.S. officials welcomed the visit. It was led by Gen. U.S. Grant."
    sentences = [s.text for s in split_sentences([(text, 0)])]
    assert sentences[:2] == [
        "He met leaders in Kyiv and Gaza.",
        "U.S. officials welcomed the visit.",
    ]
    # A title before the initialism is no sentence's end.
    assert not any(s.endswith("Gen.") for s in sentences)
    offsets = split_sentences([(text, 10)])
    assert [text[s.start - 10 : s.end - 10] for s in offsets] == sentences
