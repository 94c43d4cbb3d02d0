"""Which sentences state something checkable, on hand-made sentences parsed by spaCy."""

from __future__ import annotations

import pytest

from storyline.enrich.assertions import assertion_kind, reads_alone, speech_kind
from storyline.nlp import load_nlp


def _sentence(text: str):  # type: ignore[no-untyped-def]
    return next(iter(load_nlp()(text).sents))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The ferry operator cancelled every crossing on the lake.", "claim"),
        ("Engineers are set to inspect the spillway.", "plan"),
        ("The closure could mark a turning point for the valley.", "hedged"),
        ("If the rain continues, the town would have to be evacuated.", "hedged"),
        ("Will the dam hold?", "hedged"),
        ("Tensions over the dam have simmered for years.", "scene"),
        ("The reservoir crisis and its aftermath", "fragment"),
        ("The reasons include:", "scene"),
    ],
)
def test_a_sentence_is_told_by_what_it_does(text: str, kind: str) -> None:
    assert assertion_kind(_sentence(text)) == kind


def test_a_date_or_figure_makes_a_sentence_without_an_actor_checkable() -> None:
    framing = _sentence("The closure marks the longest shutdown since the floods.")
    assert assertion_kind(framing) == "scene"
    assert assertion_kind(framing, anchored=True) == "anchored"


def test_a_partial_quote_without_a_verb_is_a_fragment() -> None:
    doc = load_nlp()('He praised the "remarkable courage" of the crews.')
    quoted = doc.char_span(doc.text.index("remarkable"), doc.text.index(" of the") - 1)
    assert speech_kind(quoted) == "fragment"
    assert speech_kind(_sentence("the crews worked through the night")) == "claim"


@pytest.mark.parametrize(
    ("text", "alone"),
    [
        ("The mayor closed the bridge on Monday.", True),
        ("He then closed the bridge.", False),
        ("That decision angered the ferry operators.", False),
        ("Since then, the operators have refused to sail.", False),
        ("Since the flood, the operators have refused to sail.", True),
    ],
)
def test_a_sentence_that_points_back_does_not_read_alone(text: str, alone: bool) -> None:
    assert reads_alone(_sentence(text)) is alone
