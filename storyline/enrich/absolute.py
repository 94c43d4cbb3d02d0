"""Absolute date strings read by dateparser ("16.03.2025", "2025/03/16", "Sept 2019"), with
the precision it found. Only strings that carry their own year are accepted: a year
dateparser fills in from today's date would be a guess.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .calendar import Point


def absolute_point(text: str, day_first: bool = False) -> Point | None:
    """dateparser's reading of an absolute date string, or None."""
    parsed = _date_data(text, "DMY" if day_first else "")
    if parsed is None:
        return None
    period, year, month, day = parsed
    if period == "year":
        return Point("year", year)
    if period == "month":
        return Point("month", year, month)
    if period == "day":
        return Point("day", year, month, day)
    return None


@lru_cache(maxsize=4096)
def _date_data(text: str, order: str) -> tuple[str, int, int, int] | None:
    """Cached: dateparser costs about a millisecond a call, and dates repeat."""
    data = _parser(order).get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    if "year" not in set(getattr(data, "parts", ()) or ()):
        return None
    found = data.date_obj
    return (data.period or "day", found.year, found.month, found.day)


@lru_cache(maxsize=2)
def _parser(order: str) -> Any:
    from dateparser.date import DateDataParser

    settings = {"DATE_ORDER": order} if order else {}
    return DateDataParser(languages=["en"], settings=settings)
