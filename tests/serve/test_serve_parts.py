"""The web app's parts on hand-made inputs: the memo, the chart layout, the text marks,
the token rules and the `storyline serve` refusal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline import Settings
from storyline.cli import cli
from storyline.errors import UsageError
from storyline.models import Entity, Quote, Span, TimeExpression
from storyline.serve import is_loopback, resolve_token
from storyline.serve.cache import Memo
from storyline.serve.charts import MAX_LANES, ChartEntry, coverage, period, timeline_chart
from storyline.serve.highlight import (
    date_marks,
    entity_marks,
    heading_marks,
    quote_marks,
    segments,
)
from storyline.serve.uploads import safe_filename
from storyline.store import Store


def test_memo_recomputes_only_after_a_commit(tmp_path: Path) -> None:
    db = tmp_path / "memo.db"
    calls: list[int] = []
    with Store(db) as store:
        memo = Memo(db)

        def compute() -> int:
            calls.append(1)
            return len(calls)

        assert memo.get("k", compute) == 1
        assert memo.get("k", compute) == 1
        assert memo.get("other", compute) == 2
        with store.transaction():
            store.db.execute("INSERT INTO rejections (source, reason, at) VALUES ('x', 'y', 'z')")
        assert memo.get("k", compute) == 3
        assert memo.get("k", compute) == 3


def test_memo_forgets_the_least_recently_used(tmp_path: Path) -> None:
    memo = Memo(tmp_path / "none.db", size=2)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: 99)  # a is fresh again
    memo.get("c", lambda: 3)  # b goes
    assert memo.get("a", lambda: 100) == 1
    assert memo.get("b", lambda: 200) == 200


def test_period_of_iso_values() -> None:
    assert period("2019") == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert period("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert period("2025-12") == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert period("2025-03-25") == (dt.date(2025, 3, 25), dt.date(2025, 3, 25))
    assert period("2025-13") is None
    assert period("PAST_REF") is None
    assert period(None) is None


def test_timeline_chart_orders_stacks_and_scales() -> None:
    entries = [
        ChartEntry("late", "2021-06-01", 1, "late"),
        ChartEntry("early", "2020", 0, "early"),
        ChartEntry("same-day", "2021-06-01", 2, "again"),
        ChartEntry("undated", "sometime", 0, "nothing"),
    ]
    chart = timeline_chart(entries)
    assert chart is not None
    assert [d.anchor for d in chart.dots] == ["early", "late", "same-day"]
    early, late, again = chart.dots
    assert early.x < late.x == again.x
    assert late.y != again.y  # same place: stacked on another lane
    assert early.x1 - early.x0 > late.x1 - late.x0  # a year is drawn wider than a day
    assert all(0 <= d.x0 <= d.x1 <= chart.width for d in chart.dots)
    assert chart.ticks and all(0 <= t.x <= chart.width for t in chart.ticks)
    assert timeline_chart([ChartEntry("x", "unknown", 0, "x")]) is None


def test_timeline_axis_breaks_around_a_dense_stretch() -> None:
    """A story dated 2016-2028 that happens in 2025: 2025 gets most of the axis."""
    days = [f"2025-{m:02d}-{d:02d}" for m in (3, 4, 10, 11) for d in (5, 12, 19, 26)]
    entries = [ChartEntry(f"e{i}", day, 0, day) for i, day in enumerate(days)]
    entries += [ChartEntry("coup", "2016", 0, "2016"), ChartEntry("kaan", "2028", 0, "2028")]
    chart = timeline_chart(entries)
    assert chart is not None and len(chart.breaks) == 2
    by_anchor = {d.anchor: d for d in chart.dots}
    in_2025 = [by_anchor[f"e{i}"].x for i in range(len(days))]
    inner = chart.width - 2 * 24
    assert max(in_2025) - min(in_2025) > 0.6 * inner  # the cluster is drawn wide
    assert by_anchor["coup"].x < chart.breaks[0] < min(in_2025)  # outliers still shown,
    assert max(in_2025) < chart.breaks[1] < by_anchor["kaan"].x  # beyond the breaks
    xs = [t.x for t in chart.ticks]
    assert xs == sorted(xs) and any(t.label == "Apr 2025" for t in chart.ticks)
    # Spread evenly over the span, the axis stays whole.
    even = [ChartEntry(f"y{y}", str(y), 0, str(y)) for y in range(2016, 2029)]
    whole = timeline_chart(even)
    assert whole is not None and whole.breaks == ()


def test_timeline_chart_caps_its_lanes() -> None:
    crowd = [ChartEntry(f"e{i}", "2022-01-01", 0, "crowd") for i in range(40)]
    chart = timeline_chart(crowd)
    assert chart is not None
    assert len({d.y for d in chart.dots}) == MAX_LANES


def test_coverage_buckets_and_ranks_outlets() -> None:
    days = coverage(
        [
            ("Daily A", "2024-05-01"),
            ("Daily A", "2024-05-02"),
            ("Weekly B", "2024-05-02"),
            (None, None),
        ]
    )
    assert days.columns == ("2024-05-01", "2024-05-02", "undated")
    assert [r.outlet for r in days.rows] == ["Daily A", "Weekly B", "unknown outlet"]
    assert [c for c, _ in days.rows[0].cells] == [1, 1, 0]
    months = coverage([("A", "2024-01-10"), ("A", "2024-06-10"), ("B", "2024-06-11")])
    assert months.columns == ("2024-01", "2024-06")
    years = coverage([("A", "2010-01-10"), ("A", "2016-06-10")])
    assert years.columns == ("2010", "2016")
    many = coverage([(f"Outlet {i:02}", "2024-01-01") for i in range(15)], top=3)
    assert [r.outlet for r in many.rows][-1] == "other outlets" and many.rows[-1].total == 12
    assert max(level for r in many.rows for _, level in r.cells) == 5


def test_segments_keep_the_text_and_nest_marks() -> None:
    text = 'Mayor Ana Ruiz said on 3 May that "the bridge opens in June".\nLocal news\n'
    entity = Entity("e1", "Ana Ruiz", "PERSON", aliases=("Ruiz",), articles=("a",))
    said = "the bridge opens in June"
    quote = Quote(
        "a",
        text.index(said),
        text.index(said) + len(said),
        said,
        "Ana Ruiz",
        "e1",
        True,
        False,
        "said",
    )
    dates = [
        TimeExpression(
            "3 May", text.index("3 May"), text.index("3 May") + 5, None, None, False, "date"
        ),
        TimeExpression(
            "June", text.index("June"), text.index("June") + 4, "2024-06", "month", True, "date"
        ),
    ]
    marks = [
        *entity_marks(text, [entity]),
        *quote_marks([quote]),
        *date_marks(dates),
        *heading_marks([Span("Local news", text.index("Local"), text.index("Local") + 10)]),
    ]
    pieces = segments(text, marks)
    assert "".join(p.text for p in pieces) == text
    kinds = {p.text: p.kinds for p in pieces}
    assert kinds["Ana Ruiz"] == ("entity",)
    assert kinds["3 May"] == ("date",)
    assert kinds["June"] == ("date", "quote")
    assert kinds["Local news"] == ("heading",)
    assert "2024-06" in next(p.note for p in pieces if p.text == "June")
    assert segments("short", [quote_marks([quote])[0]]) == segments("short", [])  # out of range


def test_entity_marks_are_whole_words_longest_first() -> None:
    people = [Entity("e", "Ana Ruiz", "PERSON", aliases=("Ruiz", "Ana"))]
    marks = entity_marks("Ana Ruiz met Ruizton's mayor; Ruiz left.", people)
    assert [(m.start, m.end) for m in marks] == [(0, 8), (30, 34)]


def test_hosts_and_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    assert resolve_token("127.0.0.1", None) is None
    assert resolve_token("0.0.0.0", "t") == "t"
    with pytest.raises(UsageError, match="--token"):
        resolve_token("10.0.0.5", None)


def test_serve_command_refuses_an_open_host_without_a_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "s.db")])
    assert isinstance(result.exception, UsageError)
    assert "STORYLINE_TOKEN" in str(result.exception)


def test_upload_names_lose_their_folders() -> None:
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\me\\report 1.html") == "report_1.html"
    assert safe_filename(".hidden.json") == "hidden.json"
    assert safe_filename(None) == "upload.txt"
    assert safe_filename("..") == "upload.txt"


def test_settings_path_may_be_a_string(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from storyline.serve import create_app

    client = TestClient(create_app(Settings(db_path=str(tmp_path / "s.db"))))  # type: ignore[arg-type]
    assert client.get("/api/articles").json() == []
    assert client.get("/").status_code == 200
