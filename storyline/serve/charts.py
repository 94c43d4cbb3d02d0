"""The story page's charts, laid out server-side: a timeline on a date axis and coverage
by outlet over time. We wrote the layout ourselves (a few lines of arithmetic) rather than
ship a JavaScript charting library: the page must work offline and render fast.
"""

from __future__ import annotations

import datetime as dt
import math
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
    breaks: tuple[float, ...] = ()  # x of each break in the axis (its scale changes there)


# The axis breaks when this share of the entries lies in a stretch this narrow (a fraction
# of the whole span): a story dated 2016-2028 that happens in 2025 gets 2025 drawn wide, the
# outliers squeezed into the margins (OUTLIER_WIDTH of the axis on each side that has some).
DENSE_SHARE = 0.8
DENSE_SPAN = 0.25
OUTLIER_WIDTH = 0.12


@dataclass(frozen=True)
class ChartEntry:
    """What the chart needs of a timeline entry: an anchor id, its date, colour and label."""

    anchor: str
    date: str
    colour: int
    label: str


def timeline_chart(entries: Sequence[ChartEntry]) -> TimelineChart | None:
    """Dots on a date axis, stacked in lanes so none overlap; None when nothing is dated.
    When most entries cluster in a short stretch of a long span, the axis is broken around
    it (`Scale`), so the cluster is readable and the outliers still shown."""
    placed = [(e, p) for e in entries if (p := period(e.date)) is not None]
    if not placed:
        return None
    scale = Scale.fit([p for _, p in placed])
    lanes_end: list[float] = []
    dots = []
    for entry, (start, end) in sorted(placed, key=lambda ep: (ep[1][0], ep[1][1])):
        x0, x1 = scale.x(start), scale.x(end + dt.timedelta(days=1))
        middle = round((x0 + x1) / 2, 1)
        lane = _free_lane(lanes_end, middle)
        y = 14 + lane * LANE_HEIGHT
        dots.append(Dot(entry.anchor, middle, x0, x1, y, entry.colour, entry.label))
    lanes = max(len(lanes_end), 1)
    axis_y = 14 + lanes * LANE_HEIGHT
    return TimelineChart(
        WIDTH, int(axis_y + 30), axis_y, tuple(dots), scale.ticks(), scale.breaks()
    )


@dataclass(frozen=True)
class Scale:
    """Days to x: linear pieces over (first day, x) knots, one piece unless the axis breaks."""

    knots: tuple[tuple[dt.date, float], ...]

    @classmethod
    def fit(cls, periods: Sequence[tuple[dt.date, dt.date]]) -> Scale:
        first, last = _padded(min(p[0] for p in periods), max(p[1] for p in periods))
        inner = (MARGIN, WIDTH - MARGIN)
        dense = _dense_stretch(periods, (last - first).days)
        if dense is None:
            return cls(((first, inner[0]), (last, inner[1])))
        before = any(start < dense[0] for start, _ in periods)
        after = any(end > dense[1] for _, end in periods)
        low, high = _padded(*dense)
        room = inner[1] - inner[0]
        knots = [(first, float(inner[0]))]
        if before:
            knots.append((low, inner[0] + room * OUTLIER_WIDTH))
        if after:
            knots.append((high, inner[1] - room * OUTLIER_WIDTH))
        knots.append((last, float(inner[1])))
        return cls(tuple(knots))

    def x(self, day: dt.date) -> float:
        for (a, xa), (b, xb) in zip(self.knots, self.knots[1:], strict=False):
            if day <= b or (b, xb) == self.knots[-1]:
                share = (day - a).days / max((b - a).days, 1)
                return round(xa + share * (xb - xa), 1)
        return self.knots[-1][1]

    def breaks(self) -> tuple[float, ...]:
        return tuple(round(x, 1) for _, x in self.knots[1:-1])

    def ticks(self) -> tuple[Tick, ...]:
        """Each piece's own ticks, a wide piece's finer than a squeezed one's."""
        found: list[Tick] = []
        for (a, xa), (b, xb) in zip(self.knots, self.knots[1:], strict=False):
            wide = (xb - xa) > (WIDTH - 2 * MARGIN) / 2
            days = _ticks(a, b) if wide else _year_ticks(a, b)
            found += [Tick(self.x(day), label) for day, label in days]
        return tuple(found)


def _padded(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    span = max((last - first).days, 1)
    pad = dt.timedelta(days=span * 0.03 + 1)
    return first - pad, last + pad


def _dense_stretch(
    periods: Sequence[tuple[dt.date, dt.date]], span_days: int
) -> tuple[dt.date, dt.date] | None:
    """The narrowest stretch holding DENSE_SHARE of the entries' middles, when it is under
    DENSE_SPAN of the whole span (else None: the axis stays whole)."""
    middles = sorted(a + (b - a) / 2 for a, b in periods)
    need = max(2, math.ceil(DENSE_SHARE * len(middles)))
    if len(middles) < 5 or need >= len(middles):
        return None
    low, high = min(
        ((middles[i], middles[i + need - 1]) for i in range(len(middles) - need + 1)),
        key=lambda pair: (pair[1] - pair[0], pair[0]),
    )
    if (high - low).days >= DENSE_SPAN * span_days:
        return None
    return low, high


def _year_ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """At most two year ticks for a squeezed piece of the axis."""
    years = [y for y in range(first.year + 1, last.year + 1)]
    chosen = years if len(years) <= 2 else [years[0], years[-1]]
    return [(dt.date(y, 1, 1), str(y)) for y in chosen]


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
