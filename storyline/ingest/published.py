"""Publication dates from whatever form an input gives them, as ISO `YYYY-MM-DD`."""

from __future__ import annotations

import datetime as dt
import re
import reprlib
import time
from email.utils import parsedate_to_datetime

from ..errors import RejectedInput, UsageError
from .files import one_line

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
# The longest date worth parsing ("Thursday, 2 April 2026, 10:00 AM Central European Summer
# Time" is 62): dateparser is slow on long strings, and a long one is never a date.
_MAX_DATE_CHARACTERS = 100


def normalise_published(value: object) -> str | None:
    """A date, datetime, struct_time, timestamp or date string as `YYYY-MM-DD`; None when
    unreadable. Never raises: pages and feeds carry whatever their software wrote.

    Time zones are dropped after conversion: a report's day is the day its outlet printed.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return _calendar_date(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, bool):
        return None  # YAML and JSON `true` is no date, though Python counts it as 1
    if isinstance(value, int | float):
        return _from_timestamp(value)
    if isinstance(value, str):
        return _parse_string(value)
    return None  # a list or a mapping


def declared_published(value: object) -> str | None:
    """The publication date an input declares of itself (front matter, a JSON record), as
    `YYYY-MM-DD`; None when it declares none.

    A date it declares that cannot be read (`2025-02-30`, `.inf`) is refused, not dropped:
    stored undated, the report would lose its place on the timeline, and once the date is
    fixed the report would be skipped as already stored (its id does not include the date).
    """
    if value is None or value == "":
        return None
    published = normalise_published(value)
    if published is None:
        raise RejectedInput(
            f"cannot read the publication date {_shown(value)}; "
            "write it as YYYY-MM-DD, or leave it out"
        )
    return published


def _shown(value: object) -> str:
    """The value as the input wrote it, cut short."""
    try:
        return one_line(reprlib.repr(value), 60)
    except ValueError:  # Python will not print a number of over 4,300 digits
        return f"(a {type(value).__name__} too long to show)"


def _calendar_date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:  # 2025-02-30, year 0
        return None


def _from_timestamp(seconds: float) -> str | None:
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date().isoformat()
    except (OverflowError, OSError, ValueError):  # NaN, infinities, years past 9999
        return None


def _parse_string(text: str) -> str | None:
    if len(text) > _MAX_DATE_CHARACTERS:
        return None
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _calendar_date(year, month, day)
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    import dateparser  # slow to import; only loose strings need it

    parsed = dateparser.parse(
        text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": True}
    )
    return parsed.date().isoformat() if parsed else None


def parse_user_date(text: str | None) -> str | None:
    """A date the user typed (`--published`, `--since`); a bad one is a usage error."""
    if text is None:
        return None
    value = normalise_published(text)
    if value is None:
        raise UsageError(f"cannot read the date {text!r}; write it as YYYY-MM-DD")
    return value
