"""Figures on invented sentences: numbers in words, units of measure, what they count."""

from __future__ import annotations

import pytest

from storyline.enrich.figures import find_figures
from storyline.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_nlp()


def _figures(nlp, text: str) -> list[tuple[str, float, str | None, str | None]]:  # type: ignore[no-untyped-def]
    return [(f.text, f.value, f.unit, f.bound) for f in find_figures(nlp(text))]


def test_numbers_written_in_words_with_their_unit(nlp) -> None:  # type: ignore[no-untyped-def]
    assert _figures(nlp, "The lake has dropped by three metres since Monday.") == [
        ("three metres", 3.0, "metre", None)
    ]


def test_a_measure_the_ner_leaves_untagged(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _figures(nlp, "The mayor said the lake had already dropped by almost a metre.")
    assert found == [("almost a metre", 1.0, "metre", "less")]


def test_spellings_of_one_unit_compare(nlp) -> None:  # type: ignore[no-untyped-def]
    short = _figures(nlp, "The new road will be 12 km long, the council said.")
    words = _figures(nlp, "The new road will be twelve kilometres long, the council said.")
    assert (
        [(v, u) for _, v, u, _ in short]
        == [(v, u) for _, v, u, _ in words]
        == [(12.0, "kilometre")]
    )


def test_a_figure_of_speech_is_no_measure(nlp) -> None:  # type: ignore[no-untyped-def]
    assert _figures(nlp, "There is a degree of doubt, and a ton of work left.") == []


def test_a_volume_is_not_a_length(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _figures(nlp, "The lake holds about 40 million cubic metres of water.")
    assert found == [("about 40 million cubic metres", 4e7, "cubic metre", "approx")]


def test_one_of_them_is_not_a_count(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _figures(nlp, "One of the divers said two boats were damaged.")
    assert [(text, value) for text, value, _, _ in found] == [("two", 2.0)]
