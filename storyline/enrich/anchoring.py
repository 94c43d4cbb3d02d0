"""Anchoring relative time expressions: on the publication date, on the last date the text
mentioned (anaphora: "the following year", "that month"), with the tense of the clause
deciding the direction ("met on Tuesday" → the Tuesday before; "will meet on Tuesday" →
the Tuesday after).

Our own logic: dateparser's RELATIVE_BASE + PREFER_DATES_FROM works on a whole string with a
single global preference, not per clause tense, and has no text-internal reference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .calendar import (
    PRECISIONS,
    SEASONS,
    Point,
    at_precision,
    day_point,
    month_near,
    shift,
    weekday_near,
)
from .temporal import Relative

# Month each season starts in (winter counted from the January of its year).
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 1}
_FIXED_HOLIDAYS = {
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "new year day": (1, 1),
    "new year eve": (12, 31),
    "independence day": (7, 4),
    "halloween": (10, 31),
    "valentine day": (2, 14),
    "veterans day": (11, 11),
}


def anchor_relative(
    rel: Relative, anchor: dt.date | None, reference: Point | None, direction: str | None
) -> Point | None:
    """The calendar point a relative expression names, or None when it cannot be known.

    Without an anchor (no publication date), expressions based on it stay unresolved;
    anaphoric ones can still resolve against a date the text itself gave.
    """
    if (
        rel.keep_precision
        and reference is not None
        and reference.precision in ("quarter", "half")
        and rel.unit == "year"
    ):
        # business news: "profit rose in the third quarter from a year ago" means 1988-Q3
        return _from_reference(rel, reference)
    if rel.base == "reference":
        found = _from_reference(rel, reference) if reference is not None else None
        if found is not None or (reference is not None and not rel.clock):
            return found
        if anchor is None:
            return None
        return _from_anchor(rel, anchor, direction)
    if anchor is None:
        return None
    return _from_anchor(rel, anchor, direction)


def _from_anchor(rel: Relative, anchor: dt.date, direction: str | None) -> Point | None:
    if rel.holiday:
        return _holiday(rel, anchor, direction)
    if rel.weekday is not None:
        return _with_time(_weekday(rel, anchor, direction), rel)
    if rel.month is not None and rel.unit in ("day", "month"):
        return _named_month(rel, anchor, direction)
    if rel.season is not None:
        return _season(rel, anchor, direction)
    if rel.unit == "quarter" and rel.quarter is not None:
        year = anchor.year + (rel.year_offset or 0)
        if (
            not rel.year_offset
            and direction != "future"
            and rel.quarter > (anchor.month - 1) // 3 + 1
        ):
            year -= 1  # "the fourth quarter" reported in January is last year's
        return Point("quarter", year, quarter=rel.quarter)
    if rel.unit == "half" and rel.month is not None:
        return Point("half", anchor.year, half=1 if rel.month <= 6 else 2)
    if rel.unit == "decade" and rel.year_offset is not None:
        # "the '90s": the latest such decade not after the anchor.
        decade = anchor.year // 100 * 10 + rel.year_offset // 10
        return Point("decade", decade=decade if decade * 10 <= anchor.year else decade - 10)
    if rel.unit == "weekend":
        if rel.offset:
            step = dt.timedelta(days=1 if rel.offset > 0 else -1)
            saturday = weekday_near(anchor + step, 5, "future" if rel.offset > 0 else "past")
        else:
            saturday = weekday_near(anchor, 5, direction)
        return replace(at_precision(saturday, "week"), precision="weekend")
    point = shift(day_point(anchor), rel.offset, rel.unit) if rel.unit != "day" else None
    if rel.unit == "day":
        point = day_point(anchor + dt.timedelta(days=rel.offset))
        return _with_time(point, rel)
    return point


def _from_reference(rel: Relative, reference: Point) -> Point | None:
    """ "the following year" after 2019 is 2020; "that month" after 2025-03-16 is 2025-03;
    "a year earlier" than 1989-Q3 is 1988-Q3."""
    if rel.weekday is not None or rel.month is not None or rel.season is not None:
        return None
    if _rank(reference.precision) > _rank(rel.unit):
        return None  # a day after "2019" is no particular day
    if rel.offset == 0:
        if rel.unit == "day" and (rel.clock or rel.part_of_day):
            return _with_time(day_point(reference.as_date()), rel)
        return (
            at_precision(reference.as_date(), rel.unit)
            if reference.precision != rel.unit
            else reference
        )
    if rel.unit == "weekend":
        return None
    # "a year earlier" than 1989-Q3 is 1988-Q3; "the following year" after May 1995 is 1996.
    keep = (
        rel.keep_precision
        and reference.precision in ("quarter", "half", "season")
        and _rank(reference.precision) < _rank(rel.unit)
    )
    moved = shift(reference, rel.offset, rel.unit, keep=keep)
    if rel.part_of_day:
        return _with_time(moved, rel)
    return moved


def _rank(precision: str) -> int:
    return PRECISIONS.index(precision) if precision in PRECISIONS else 0


def _with_time(point: Point, rel: Relative) -> Point:
    if rel.clock:
        return replace(point, precision="time", clock=rel.clock)
    if rel.part_of_day:
        return replace(point, precision="time", part_of_day=rel.part_of_day)
    return point


def _weekday(rel: Relative, anchor: dt.date, direction: str | None) -> Point:
    weekday = rel.weekday if rel.weekday is not None else 0
    if rel.offset < 0:
        day = weekday_near(anchor - dt.timedelta(days=1), weekday, "past")
    elif rel.offset > 0:
        day = weekday_near(anchor + dt.timedelta(days=1), weekday, "future")
    else:
        day = weekday_near(anchor, weekday, direction)
    return day_point(day)


def _named_month(rel: Relative, anchor: dt.date, direction: str | None) -> Point | None:
    month = rel.month or 1
    if rel.year_offset is not None:
        year = anchor.year + rel.year_offset
    elif rel.offset == 0 and not rel.tense_decides:
        year = anchor.year  # "this September"
    elif rel.offset < 0:
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif rel.offset > 0:
        year = anchor.year if month > anchor.month else anchor.year + 1
    else:
        year = month_near(anchor, month, direction)
    if rel.day is not None:
        # A full date names its day precisely: the tense of a verb far away ("declared ...
        # payable Dec. 7") is a weaker cue than nearness, so only "future" overrides it.
        if direction != "future" and rel.tense_decides:
            year = _nearest_year(anchor, month, rel.day)
        try:
            dt.date(year, month, rel.day)
        except ValueError:
            return None  # "Feb. 29" in a year without one
        return _with_time(Point("day", year, month, rel.day), rel)
    return Point("month", year, month)


def _nearest_year(anchor: dt.date, month: int, day: int) -> int:
    """With no tense to go by, the year that puts "March 16" nearest the anchor."""
    best = anchor.year
    best_gap: float | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            days = (dt.date(year, month, day) - anchor).days
        except ValueError:
            continue
        gap = days * 1.5 if days > 0 else -days  # the future counts half as near again
        if best_gap is None or gap < best_gap or (gap == best_gap and year < best):
            best, best_gap = year, gap
    return best


def _season(rel: Relative, anchor: dt.date, direction: str | None) -> Point:
    season = rel.season or "SP"
    current = at_precision(anchor, "season")
    year = anchor.year
    start = _SEASON_START[season]
    if rel.offset < 0 or (rel.offset == 0 and direction == "past" and rel.tense_decides):
        # the latest such season that has begun before the anchor
        same_season = current.season == season and current.year == year
        if (rel.offset < 0 and same_season) or start > anchor.month:
            year -= 1
    elif rel.offset > 0 and start <= anchor.month:
        year += 1
    return Point("season", year, season=season if season in SEASONS else "SP")


def _holiday(rel: Relative, anchor: dt.date, direction: str | None) -> Point | None:
    name = rel.holiday or ""
    if rel.year_offset is not None and rel.year_offset > 1000:
        found = holiday_date(name, rel.year_offset)
        return day_point(found) if found else None
    this_year = holiday_date(name, anchor.year)
    if this_year is None:
        return None
    if rel.offset:
        direction = "past" if rel.offset < 0 else "future"
        if this_year == anchor:
            this_year = holiday_date(name, anchor.year + rel.offset) or this_year
    if direction == "future" and this_year < anchor:
        this_year = holiday_date(name, anchor.year + 1) or this_year
    elif direction != "future" and this_year > anchor:
        this_year = holiday_date(name, anchor.year - 1) or this_year
    return day_point(this_year)


def holiday_date(name: str, year: int) -> dt.date | None:
    """The day a (US/Christian-calendar) holiday falls on in `year`."""
    if name in _FIXED_HOLIDAYS:
        month, day = _FIXED_HOLIDAYS[name]
        return dt.date(year, month, day)
    if name.startswith("thanksgiving"):
        return _nth_weekday(year, 11, 3, 4)
    if name == "labor day":
        return _nth_weekday(year, 9, 0, 1)
    if name == "memorial day":
        last = _nth_weekday(year, 5, 0, 5) or _nth_weekday(year, 5, 0, 4)
        return last
    if name == "election day":
        first_monday = _nth_weekday(year, 11, 0, 1)
        return first_monday + dt.timedelta(days=1) if first_monday else None
    if name.startswith("easter"):
        return _easter(year)
    return None


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date | None:
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    return day if day.month == month else None


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)
