"""A large story's page stays light: the best supported timeline entries, citations shown
as their first reports and a count, on hand-made inputs."""

from __future__ import annotations

from storyline.models import Article, TimelineEntry
from storyline.serve.pages import CITES_SHOWN, citations
from storyline.synthesise.stored import TIMELINE, best_of


def _entry(number: int, date: str, tellers: int) -> TimelineEntry:
    return TimelineEntry(
        id=f"e{number}",
        date=date,
        precision="day",
        text=f"happening {number}",
        sources=tuple(f"a{i}" for i in range(tellers)),
    )


def test_shown_entries_keep_the_best_supported_in_timeline_order() -> None:
    timeline = [
        _entry(0, "2010-04-20", 1),
        _entry(1, "2010-04-22", 9),
        _entry(2, "2010-05-02", 3),
        _entry(3, "2010-06-01", 9),
        _entry(4, "2010-07-15", 2),
    ]
    shown = best_of(TIMELINE, timeline, 3)
    assert [e.id for e in shown] == ["e1", "e2", "e3"]
    assert best_of(TIMELINE, timeline, 10) == timeline


def test_a_tie_in_support_keeps_the_earlier_entry() -> None:
    timeline = [_entry(0, "2009", 2), _entry(1, "2010", 2), _entry(2, "2011", 2)]
    assert [e.id for e in best_of(TIMELINE, timeline, 2)] == ["e0", "e1"]


def test_citations_show_the_first_reports_and_count_the_rest() -> None:
    ids = [f"report{i:02d}" for i in range(CITES_SHOWN + 4)]
    reports = {
        i: Article(id=i, source=f"{i}.txt", text="Some text.", outlet="<b>Daily</b>") for i in ids
    }
    cite = citations(ids, reports)
    many = str(cite(ids))
    assert many.count('class="source"') == CITES_SHOWN
    assert "+4 more" in many
    assert "<b>" not in many and "&lt;b&gt;Daily&lt;/b&gt;" in many
    few = str(cite(ids[:2]))
    assert few.count('class="source"') == 2 and "more" not in few
