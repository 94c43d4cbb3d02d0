"""The dates EXPECTED.md lists for the seeds, with and without the publication dates."""

from __future__ import annotations

from storyline import Storyline
from storyline.models import TimeExpression


def values(storyline: Storyline, article: str) -> dict[str, set[str | None]]:
    found: dict[str, set[str | None]] = {}
    for expression in storyline.dates(article):
        found.setdefault(expression.text, set()).add(expression.value)
    return found


def test_000_with_its_publication_date(seeded_dated: tuple[Storyline, dict[str, str]]) -> None:
    storyline, ids = seeded_dated
    found = values(storyline, ids["000"])
    assert found["Tuesday"] == {"2025-03-25"}  # "On Tuesday" and "Tuesday's meeting"
    assert found["March 16"] == {"2025-03-16"}
    assert found["January 20"] == {"2025-01-20"}
    assert found["2019"] == {"2019"}
    assert found["2020"] == {"2020"}


def test_002_preview_points_forward(seeded_dated: tuple[Storyline, dict[str, str]]) -> None:
    storyline, ids = seeded_dated
    tuesday = [e for e in storyline.dates(ids["002"]) if e.text == "Tuesday"]
    assert tuesday and all(e.value == "2025-03-25" and e.direction == "future" for e in tuesday)


def test_004_with_its_publication_date(seeded_dated: tuple[Storyline, dict[str, str]]) -> None:
    storyline, ids = seeded_dated
    by_text = {e.text: e for e in storyline.dates(ids["004"])}
    assert by_text["Nov. 10"].value == "2025-11-10"
    assert by_text["the following year"].value == "2020"
    assert by_text["September"].value == "2025-09"
    assert by_text["September"].precision == "month"
    assert by_text["2028"].value == "2028"
    assert by_text["2028"].precision == "year"


def test_without_publication_dates_absolute_resolve(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded
    found = values(storyline, ids["001"])
    assert found["2019"] == {"2019"}
    assert found["2020"] == {"2020"}
    assert found["January 20, 2025"] == {"2025-01-20"}


def test_without_publication_dates_relative_are_unresolved(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded
    relative: list[TimeExpression] = []
    for number in ("000", "004"):
        relative += [
            e
            for e in storyline.dates(ids[number])
            if e.text in ("Tuesday", "March 16", "January 20", "Nov. 10", "September")
        ]
    assert {e.text for e in relative} >= {"Tuesday", "March 16", "Nov. 10", "September"}
    assert all(e.value is None and not e.resolved for e in relative)


def test_listing_covers_every_article_in_order(
    seeded_dated: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded_dated
    everything = storyline.dates()
    assert {e.article for e in everything} == set(ids.values())
    for article in ids.values():
        starts = [e.start for e in everything if e.article == article]
        assert starts == sorted(starts)
    text = storyline.article(ids["004"]).text
    for expression in storyline.dates(ids["004"]):
        assert text[expression.start : expression.end] == expression.text
