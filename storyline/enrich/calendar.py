"""Calendar points at a precision (day, week, month, quarter, season, year, decade, century)
and the arithmetic that relative expressions need: shift by units, find the weekday before
or after an anchor, format as a TimeML / ISO 8601 value.

Our own logic: dateparser returns a datetime with no notion of "the quarter" or "the 1980s",
and cannot move a month-precision point by a quarter, so this small algebra does it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

# Precision names, finest first.
PRECISIONS = (
    "time",
    "day",
    "weekend",
    "week",
    "month",
    "season",
    "quarter",
    "half",
    "year",
    "decade",
    "century",
)
SEASONS = ("SP", "SU", "FA", "WI")


@dataclass(frozen=True)
class Point:
    """A stretch of the calendar named at one precision.

    `year` is always set except for decades/centuries (then `decade` = 198 for the 1980s,
    `century` = 19 for the 1900s). Finer fields are set down to `precision`.
    """

    precision: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    week: int | None = None
    quarter: int | None = None
    half: int | None = None
    season: str | None = None
    decade: int | None = None
    century: int | None = None
    part_of_day: str | None = None  # MO, AF, EV, NI (TimeML)
    clock: str | None = None  # "HH:MM"

    @property
    def value(self) -> str:
        """The TimeML value (ISO 8601 where ISO has a form for it)."""
        p = self.precision
        if p == "century":
            return f"{self.century:02d}"
        if p == "decade":
            return f"{self.decade:03d}"
        y = f"{self.year:04d}"
        if p == "year":
            return y
        if p == "half":
            return f"{y}-H{self.half}"
        if p == "quarter":
            return f"{y}-Q{self.quarter}"
        if p == "season":
            return f"{y}-{self.season}"
        if p == "month":
            return f"{y}-{self.month:02d}"
        if p == "week":
            return f"{y}-W{self.week:02d}"
        if p == "weekend":
            return f"{y}-W{self.week:02d}-WE"
        day = f"{y}-{self.month:02d}-{self.day:02d}"
        if p == "time":
            return f"{day}T{self.clock}" if self.clock else f"{day}T{self.part_of_day}"
        return day

    @property
    def calendar_value(self) -> str | None:
        """The contract's ISO value (YYYY, YYYY-MM, YYYY-MM-DD), or the TimeML one for the rest."""
        if self.precision == "time":
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return self.value

    def as_date(self) -> dt.date:
        """The first day of the stretch (for ordering and shifting)."""
        if self.precision in ("day", "time"):
            return dt.date(self.year or 1, self.month or 1, self.day or 1)
        if self.precision in ("week", "weekend"):
            return dt.date.fromisocalendar(self.year or 1, self.week or 1, 1)
        if self.precision == "month":
            return dt.date(self.year or 1, self.month or 1, 1)
        if self.precision == "quarter":
            return dt.date(self.year or 1, 3 * ((self.quarter or 1) - 1) + 1, 1)
        if self.precision == "half":
            return dt.date(self.year or 1, 1 if self.half == 1 else 7, 1)
        if self.precision == "season":
            return dt.date(
                self.year or 1, {"WI": 1, "SP": 3, "SU": 6, "FA": 9}[self.season or "SP"], 1
            )
        if self.precision == "decade":
            return dt.date(max(1, (self.decade or 0) * 10), 1, 1)
        if self.precision == "century":
            return dt.date(max(1, (self.century or 0) * 100), 1, 1)
        return dt.date(self.year or 1, 1, 1)


def day_point(day: dt.date) -> Point:
    return Point("day", day.year, day.month, day.day)


def at_precision(day: dt.date, precision: str) -> Point:
    """The stretch of the given precision that contains `day`."""
    if precision == "day":
        return day_point(day)
    if precision == "week":
        iso = day.isocalendar()
        return Point("week", iso.year, week=iso.week)
    if precision == "month":
        return Point("month", day.year, day.month)
    if precision == "quarter":
        return Point("quarter", day.year, quarter=(day.month - 1) // 3 + 1)
    if precision == "half":
        return Point("half", day.year, half=1 if day.month <= 6 else 2)
    if precision == "season":
        season = SEASONS[((day.month - 3) % 12) // 3]
        return Point("season", day.year + (day.month == 12), season=season)
    if precision == "decade":
        return Point("decade", decade=day.year // 10)
    if precision == "century":
        return Point("century", century=day.year // 100)
    return Point("year", day.year)


_CLOCK_SECONDS = {"hour": 3600, "minute": 60, "second": 1}


def shift(point: Point, amount: int, unit: str, keep: bool = False) -> Point:
    """Move a point by `amount` units.

    keep=False (deictic: "two months ago"): the result is named at the coarser of the
    point's precision and the unit. keep=True (anaphoric: "a year earlier" than 1989-Q3):
    the point keeps its own precision, so the answer is 1988-Q3.
    """
    if unit in ("decade", "century") or point.year is None:
        if point.precision == "decade" and unit == "decade":
            return Point("decade", decade=(point.decade or 0) + amount)
        if point.precision == "century" and unit == "century":
            return Point("century", century=(point.century or 0) + amount)
        if point.year is None:
            return point
        target = unit
        amount, unit = amount * (10 if unit == "decade" else 100), "year"
        if not keep:
            start = point.as_date()
            return at_precision(
                dt.date(start.year + amount, 1, 1), target
            )  # ValueError off the calendar
    start = point.as_date()
    if unit in _CLOCK_SECONDS:
        # "two hours ago" against a publication day: take the day's middle, so only a
        # shift past midnight changes the date.
        seconds = 12 * 3600 + amount * _CLOCK_SECONDS[unit]
        moved = start + dt.timedelta(days=seconds // 86400)
    elif unit in ("day", "week"):
        moved = start + dt.timedelta(days=amount * (7 if unit == "week" else 1))
    else:
        months = amount * {"month": 1, "quarter": 3, "half": 6, "season": 3, "year": 12}[unit]
        index = start.year * 12 + start.month - 1 + months
        moved = _clamped(index // 12, index % 12 + 1, start.day)
    if keep:
        if point.precision == "time":
            return replace(point, year=moved.year, month=moved.month, day=moved.day)
        if point.precision == "season":
            return replace(point, year=moved.year)
        return at_precision(moved, point.precision)
    return at_precision(moved, coarser(point.precision, unit))


def coarser(a: str, b: str) -> str:
    order = {p: i for i, p in enumerate(PRECISIONS)}
    return a if order.get(a, 0) >= order.get(b, 0) else b


def weekday_near(anchor: dt.date, weekday: int, direction: str | None) -> dt.date:
    """The `weekday` (0 = Monday) nearest the anchor in the direction the tense gives.

    Past: the latest such day on or before the anchor ("met on Tuesday"); future: the
    earliest on or after ("is set to meet on Tuesday"). Unknown: whichever is nearer,
    ties to the past (news mostly reports what happened).
    """
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if direction == "future":
        return anchor + dt.timedelta(days=ahead)
    if direction == "past" or back <= ahead:
        return anchor - dt.timedelta(days=back)
    return anchor + dt.timedelta(days=ahead)


def month_near(anchor: dt.date, month: int, direction: str | None) -> int:
    """The year of the `month` named without a year, read from the anchor and the tense.

    Without a past or future tense, the nearer occurrence, with the future counted half as
    near again (reports look back more often than ahead).
    """
    if direction == "future" and month < anchor.month:
        return anchor.year + 1
    if direction == "past" and month > anchor.month:
        # next month is a plan even in a past-tense clause ("said it would close in November")
        return anchor.year if month == anchor.month + 1 else anchor.year - 1
    if direction in ("past", "future"):
        return anchor.year
    back = (anchor.month - month) % 12
    ahead = (month - anchor.month) % 12
    if back == 0:
        return anchor.year
    if ahead * 1.5 < back:
        return anchor.year + (month < anchor.month)
    return anchor.year - (month > anchor.month)


def _decade_of(point: Point) -> int:
    if point.decade is not None:
        return point.decade
    if point.century is not None:
        return point.century * 10
    return (point.year or 0) // 10


def _clamped(year: int, month: int, day: int) -> dt.date:
    for candidate in (day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    return dt.date(year, month, 28)
