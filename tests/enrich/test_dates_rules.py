"""Time expressions on invented sentences: tense direction, anaphora, durations, vague
expressions, seasons, quarters, decades, and no guessing without a publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.enrich.calendar import Point, shift, weekday_near
from storyline.enrich.dates import find_time_expressions
from storyline.models import TimeExpression

# 2024-06-12 is a Wednesday.
ANCHOR = dt.date(2024, 6, 12)


def found(text: str, anchor: dt.date | None = ANCHOR) -> dict[str, TimeExpression]:
    return {e.text: e for e in find_time_expressions(text, anchor)}


def test_past_tense_points_back_and_future_forward() -> None:
    past = found("The two mayors met on Monday in a harbour town.")
    future = found("The two mayors are set to meet on Monday in a harbour town.")
    assert past["Monday"].value == "2024-06-10"
    assert past["Monday"].direction == "past"
    assert future["Monday"].value == "2024-06-17"
    assert future["Monday"].direction == "future"


def test_will_and_last_next() -> None:
    text = "The board will vote on Friday. It voted last Friday and will vote again next Tuesday."
    values = [(e.text, e.value, e.precision) for e in find_time_expressions(text, ANCHOR)]
    assert values == [
        ("Friday", "2024-06-14", "day"),
        ("last Friday", "2024-06-07", "day"),
        ("next Tuesday", "2024-06-18", "day"),
    ]


def test_deictic_days_and_units() -> None:
    result = found(
        "Yesterday the ferry stopped; today it runs again, and last month it was late. "
        "Next year a bridge opens."
    )
    assert result["Yesterday"].value == "2024-06-11"
    assert result["today"].value == "2024-06-12"
    assert result["last month"].value == "2024-05"
    assert result["last month"].precision == "month"
    assert result["Next year"].value == "2025"


def test_anaphora_follows_the_last_date_in_the_text() -> None:
    text = (
        "The orchard was planted in 1987. The following year it flooded, "
        "and that year the pears failed."
    )
    result = found(text)
    assert result["1987"].value == "1987"
    assert result["The following year"].value == "1988"
    assert result["The following year"].anchor == "text"
    assert result["that year"].value == "1988"


def test_anaphora_resolves_even_without_a_publication_date() -> None:
    result = found("The mill closed in 2003 and reopened two years later.", anchor=None)
    assert result["2003"].value == "2003"
    assert result["two years later"].value == "2005"


def test_month_day_without_year_takes_the_year_from_the_anchor() -> None:
    result = found("The permit was signed on March 3 and expires in September 2026.")
    assert result["March 3"].value == "2024-03-03"
    assert result["September 2026"].value == "2026-09"
    assert result["September 2026"].precision == "month"


def test_durations_are_kept_as_durations() -> None:
    result = found("After a two-day visit and three weeks of talks, the envoys left for 18 months.")
    assert result["two-day"].kind == "duration"
    assert result["two-day"].value == "P2D"
    assert result["three weeks"].value == "P3W"
    assert result["18 months"].value == "P18M"
    assert all(e.kind == "duration" for e in result.values())


def test_vague_expressions_are_unresolved_ranges() -> None:
    result = found(
        "Prices rose in recent years and may fall in the coming months; for now they hold."
    )
    for text in ("recent years", "the coming months", "now"):
        assert result[text].resolved is False
        assert result[text].value is None
    assert result["now"].timeml == "PRESENT_REF"


def test_seasons_quarters_decades_centuries() -> None:
    result = found(
        "Sales fell in the third quarter of 2023, rose last summer, "
        "peaked in the 1990s and dipped in the 19th century."
    )
    assert result["the third quarter of 2023"].value == "2023-Q3"
    assert result["the third quarter of 2023"].precision == "quarter"
    assert result["last summer"].value == "2023-SU"
    assert result["last summer"].precision == "season"
    assert result["the 1990s"].value == "199"
    assert result["the 1990s"].precision == "decade"
    assert result["the 19th century"].value == "18"
    assert result["the 19th century"].precision == "century"


def test_without_publication_date_relative_is_never_guessed() -> None:
    text = "The dam opened on Tuesday, a year after work began on 4 May 2021, and shut last week."
    result = found(text, anchor=None)
    assert result["Tuesday"].resolved is False and result["Tuesday"].value is None
    assert result["last week"].resolved is False
    assert result["4 May 2021"].value == "2021-05-04"
    assert result["4 May 2021"].resolved is True


def test_quantities_are_not_years() -> None:
    result = found("The company hired 1500 workers and paid $2000 each in 2022.")
    assert list(result) == ["2022"]


def test_may_the_verb_is_not_a_month() -> None:
    assert "May" not in found("May the council reconsider? It may.")
    assert found("The vote was held in May.")["May"].value == "2024-05"


def test_offsets_index_the_text() -> None:
    text = "Rain is expected on Thursday."
    (expression,) = find_time_expressions(text, ANCHOR)
    assert text[expression.start : expression.end] == "Thursday"
    assert expression.value == "2024-06-13"


@pytest.mark.parametrize(
    ("weekday", "direction", "expected"),
    [(1, "past", dt.date(2024, 6, 11)), (1, "future", dt.date(2024, 6, 18)), (2, "past", ANCHOR)],
)
def test_weekday_near(weekday: int, direction: str, expected: dt.date) -> None:
    assert weekday_near(ANCHOR, weekday, direction) == expected


def test_shift_keeps_a_quarter_when_asked() -> None:
    quarter = Point("quarter", 1989, quarter=3)
    assert shift(quarter, -1, "year", keep=True).value == "1988-Q3"
    assert shift(Point("day", 2024, 1, 31), 1, "month").value == "2024-02"


def test_numeric_dates_are_read_by_dateparser() -> None:
    text = "Signed on 16.03.2025, filed 2025/03/18 and stamped 19-Mar-2025; due 4/1/2025."
    values = [(e.text, e.value) for e in find_time_expressions(text, None)]
    assert values == [
        ("16.03.2025", "2025-03-16"),
        ("2025/03/18", "2025-03-18"),
        ("19-Mar-2025", "2025-03-19"),
        ("4/1/2025", "2025-04-01"),
    ]


def test_impossible_dates_are_left_out() -> None:
    assert find_time_expressions("The form was dated February 30, 2021.", ANCHOR)[0].value == "2021"
    assert all(e.value != "2021-02-30" for e in find_time_expressions("On 2021-02-30.", ANCHOR))


def test_bad_anchor_and_empty_text_do_not_crash() -> None:
    assert find_time_expressions("", ANCHOR) == []
    (expression,) = find_time_expressions("It rained yesterday.", "not a date")
    assert expression.resolved is False


def test_clock_shifts_resolve_to_the_day_they_land_on() -> None:
    import datetime as _dt

    from storyline.enrich.dates import find_time_expressions as _find

    anchor = _dt.date(2026, 5, 4)
    found = {
        e.text: e.value
        for e in _find("The ferry left two hours ago and will return 36 hours later.", anchor)
    }
    assert found == {"two hours ago": "2026-05-04", "36 hours later": "2026-05-06"}
