"""The story page's charts, laid out server-side: a timeline on a date axis and coverage
by outlet over time. We wrote the layout ourselves (a few lines of arithmetic) rather than
ship a JavaScript charting library: the page must work offline and render fast.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
WIDTH = 960
MARGIN = 24
LANE_HEIGHT = 22
MAX_LANES = 10
# Two dots closer than this (in SVG units) go on different lanes.
MIN_GAP = 16
PALETTE_SIZE = 8


def period(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day an ISO value ("2019", "2025-09", "2025-03-25") covers."""
    match = _ISO.match(value or "")
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            return dt.date(year, month, 1), _month_end(year, month)
        return dt.date(year, month, day), dt.date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Dot:
    """One timeline entry drawn on the axis: a dot at its middle, a bar over its period."""

    anchor: str
    x: float
    x0: float
    x1: float
    y: float
    colour: int
    label: str


@dataclass(frozen=True)
class TimelineChart:
    width: int
    height: int
    axis_y: float
    dots: tuple[Dot, ...]
    ticks: tuple[Tick, ...]


@dataclass(frozen=True)
class ChartEntry:
    """What the chart needs of a timeline entry: an anchor id, its date, colour and label."""

    anchor: str
    date: str
    colour: int
    label: str


def timeline_chart(entries: Sequence[ChartEntry]) -> TimelineChart | None:
    """Dots on a date axis, stacked in lanes so none overlap; None when nothing is dated."""
    placed = [(e, p) for e in entries if (p := period(e.date)) is not None]
    if not placed:
        return None
    first = min(p[0] for _, p in placed)
    last = max(p[1] for _, p in placed)
    span = max((last - first).days, 1)
    first -= dt.timedelta(days=span * 0.03 + 1)
    last += dt.timedelta(days=span * 0.03 + 1)
    scale = (WIDTH - 2 * MARGIN) / max((last - first).days, 1)

    def x_of(day: dt.date) -> float:
        return round(MARGIN + (day - first).days * scale, 1)

    lanes_end: list[float] = []
    dots = []
    for entry, (start, end) in sorted(placed, key=lambda ep: (ep[1][0], ep[1][1])):
        x0, x1 = x_of(start), x_of(end + dt.timedelta(days=1))
        middle = round((x0 + x1) / 2, 1)
        lane = _free_lane(lanes_end, middle)
        y = 14 + lane * LANE_HEIGHT
        dots.append(Dot(entry.anchor, middle, x0, x1, y, entry.colour, entry.label))
    lanes = max(len(lanes_end), 1)
    axis_y = 14 + lanes * LANE_HEIGHT
    ticks = tuple(Tick(x_of(day), label) for day, label in _ticks(first, last))
    return TimelineChart(WIDTH, int(axis_y + 30), axis_y, tuple(dots), ticks)


def _free_lane(lanes_end: list[float], x: float) -> int:
    for lane, end in enumerate(lanes_end):
        if x - end >= MIN_GAP:
            lanes_end[lane] = x
            return lane
    if len(lanes_end) < MAX_LANES:
        lanes_end.append(x)
        return len(lanes_end) - 1
    # Every lane is busy: share the one that has been free longest.
    lane = min(range(len(lanes_end)), key=lambda i: lanes_end[i])
    lanes_end[lane] = x
    return lane


def _ticks(first: dt.date, last: dt.date) -> Iterable[tuple[dt.date, str]]:
    """Year ticks for long spans, month ticks for shorter ones, day ticks for a few weeks."""
    days = (last - first).days
    if days > 3 * 365:
        years = range(first.year + 1, last.year + 1)
        step = max(1, len(years) // 10 + (1 if len(years) % 10 else 0))
        return [(dt.date(y, 1, 1), str(y)) for y in years if (y - years[0]) % step == 0]
    if days > 60:
        months = []
        cursor = dt.date(first.year, first.month, 1)
        while cursor <= last:
            if cursor >= first:
                months.append(cursor)
            cursor = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        step = max(1, -(-len(months) // 10))
        return [(m, m.strftime("%b %Y")) for i, m in enumerate(months) if i % step == 0]
    step = max(1, -(-days // 10))
    return [
        (first + dt.timedelta(days=d), (first + dt.timedelta(days=d)).strftime("%d %b"))
        for d in range(1, days, step)
    ]


@dataclass(frozen=True)
class CoverageRow:
    outlet: str
    cells: tuple[tuple[int, int], ...]  # (count, heat level 0–5) per column
    total: int


@dataclass(frozen=True)
class Coverage:
    columns: tuple[str, ...]
    rows: tuple[CoverageRow, ...]


def coverage(reports: Iterable[tuple[str | None, str | None]], top: int = 12) -> Coverage:
    """Reports per outlet per period (day, month or year, whichever fits the span).

    `reports`: (outlet, published) pairs. Outlets past the `top` busiest share one row.
    """
    pairs = [(outlet or "unknown outlet", period(published)) for outlet, published in reports]
    days = [p[0] for _, p in pairs if p is not None]
    bucket = _bucket_for(days)
    counts: Counter[tuple[str, str]] = Counter()
    for outlet, when in pairs:
        counts[(outlet, bucket(when[0]) if when else "undated")] += 1
    columns = sorted({c for _, c in counts if c != "undated"})
    if any(c == "undated" for _, c in counts):
        columns.append("undated")
    per_outlet = Counter[str]()
    for (outlet, _), n in counts.items():
        per_outlet[outlet] += n
    ranked = sorted(per_outlet, key=lambda o: (-per_outlet[o], o))
    shown, rest = ranked[:top], ranked[top:]
    if rest:
        for (outlet, column), n in list(counts.items()):
            if outlet in rest:
                counts[("other outlets", column)] += n
        shown.append("other outlets")
        per_outlet["other outlets"] = sum(per_outlet[o] for o in rest)
    peak = max(counts.values(), default=1)
    rows = tuple(
        CoverageRow(
            outlet,
            tuple((counts[(outlet, c)], _heat(counts[(outlet, c)], peak)) for c in columns),
            per_outlet[outlet],
        )
        for outlet in shown
    )
    return Coverage(tuple(columns), rows)


def _bucket_for(days: Sequence[dt.date]) -> Callable[[dt.date], str]:
    span = (max(days) - min(days)).days if days else 0
    if span <= 45:
        return lambda d: d.isoformat()
    if span <= 3 * 365:
        return lambda d: d.strftime("%Y-%m")
    return lambda d: str(d.year)


def _heat(count: int, peak: int) -> int:
    if count == 0:
        return 0
    return max(1, min(5, round(5 * count / peak)))
