"""Publication dates from whatever form an input gives them, as ISO `YYYY-MM-DD`."""

from __future__ import annotations

import datetime as dt
import re
import time
from email.utils import parsedate_to_datetime

from ..errors import UsageError

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def normalise_published(value: object) -> str | None:
    """A date, datetime, struct_time or date string as `YYYY-MM-DD`; None when unreadable.

    Time zones are dropped after conversion: a report's day is the day its outlet printed.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, tz=dt.UTC).date().isoformat()
    return _parse_string(str(value))


def _parse_string(text: str) -> str | None:
    match = _ISO.match(text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups())).isoformat()
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
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
