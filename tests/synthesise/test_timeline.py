"""The timeline: dated happenings merged across reports (issue 7), on the seeds and on
hand-made reports (invented text)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline import Settings, Storyline
from storyline.cli import cli
from storyline.models import TimelineEntry


def _entries(storyline: Storyline, date: str) -> list[TimelineEntry]:
    return [e for e in storyline.timeline() if e.date == date]


def _sources(storyline: Storyline, date: str, ids: dict[str, str]) -> set[str]:
    """Seed numbers citing the single entry at `date`."""
    found = _entries(storyline, date)
    assert len(found) == 1, [e.text for e in found]
    numbers = {v: k for k, v in ids.items()}
    return {numbers[a] for a in found[0].sources}


@pytest.mark.parametrize(
    ("date", "precision", "must_cite"),
    [
        ("2016", "year", {"002"}),
        ("2019", "year", {"000", "001", "002", "004"}),
        ("2020", "year", {"000", "001", "002", "004"}),
        ("2025-01-20", "day", {"000", "001"}),
        ("2025-03-16", "day", {"000", "001"}),
        ("2025-03-25", "day", {"000", "001", "002"}),
        ("2025-09", "month", {"004"}),
        ("2025-11-10", "day", {"004"}),
        ("2028", "year", {"004"}),
    ],
)
def test_seed_timeline_has_the_expected_entries_with_their_sources(
    seeded_dated: tuple[Storyline, dict[str, str]], date: str, precision: str, must_cite: set[str]
) -> None:
    storyline, ids = seeded_dated
    assert must_cite <= _sources(storyline, date, ids)
    assert _entries(storyline, date)[0].precision == precision


def test_seed_timeline_keeps_each_happening_to_its_own_reports(
    seeded_dated: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded_dated
    assert _sources(storyline, "2016", ids) == {"002"}
    assert _sources(storyline, "2028", ids) == {"004"}
    assert _sources(storyline, "2025-03-16", ids) <= {"000", "001", "002"}
    assert "004" not in _sources(storyline, "2025-03-25", ids)


def test_seed_reports_telling_a_happening_without_its_date_are_sources(
    seeded_dated: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded_dated
    (removal,) = _entries(storyline, "2019")
    (call,) = _entries(storyline, "2025-03-16")
    # 003 tells the removal without a year; 002 the call as "days after a phone call".
    assert ids["003"] in removal.undated and ids["003"] in removal.sources
    assert ids["002"] in call.undated and ids["002"] in call.sources
    assert not _entries(storyline, "2028")[0].undated


def test_seed_timeline_has_no_entry_for_a_bare_publication_date(
    seeded_dated: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, _ = seeded_dated
    dates = [e.date for e in storyline.timeline()]
    # 003 was published 2025-11-12, 002 on 2025-03-24, 000 on 2025-03-26: none says so.
    assert not {"2025-11-12", "2025-03-24", "2025-03-26"} & set(dates)
    assert dates == sorted(dates, key=lambda d: d.ljust(4, "0"))


def test_seed_entries_cite_sentences_that_contain_their_text(
    seeded_dated: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, _ = seeded_dated
    for entry in storyline.timeline():
        texts = {a: storyline.article(a).text for a in entry.sources}
        assert {a for a, _, _ in entry.sentences} == set(entry.sources)
        cited = [texts[a][start:end] for a, start, end in entry.sentences]
        assert any(entry.text.split(" … ")[0] in sentence for sentence in cited)


def test_seed_removal_in_2019_reads_as_a_statement(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    # Undated, 001 is the first teller, and it dates the removal only in "following its
    # acquisition of … in 2019".
    storyline, _ = seeded
    (removal,) = _entries(storyline, "2019")
    assert removal.text.split()[0] not in {"following", "before", "over", "to"}, removal.text


def test_story_timeline_cites_only_that_storys_reports(
    seeded_dated: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded_dated
    story = next(s for s in storyline.stories() if ids["000"] in s.articles)
    entries = storyline.timeline(story.id)
    assert any(e.date == "2025-03-25" for e in entries)
    assert all(set(e.sources) <= set(story.articles) for e in entries)


def test_timeline_cli_prints_the_contract_fields(
    seeded_dated: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, _ = seeded_dated
    result = CliRunner().invoke(
        cli, ["timeline", "--db", str(storyline.settings.db_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all({"date", "precision", "text", "sources"} <= set(r) for r in rows)


# -- hand-made reports (invented) ----------------------------------------------------------

BRIDGE_AND_FLOOD = (
    "The river council opened a new footbridge over the Arden in Dunmore in 2021. "
    "Heavy floods destroyed most of the barley harvest across the valley in 2021. "
    "Farmers in the valley say the harvest has recovered since then."
)
BRIDGE_AGAIN = (
    "Dunmore's footbridge across the Arden was opened by the river council in 2021, "
    "residents recalled at a meeting on Thursday. The bridge now carries thousands of walkers."
)
MILL = (
    "The old paper mill in Carrow closed in 2015, a decision that led to street protests in 2016. "
    "The site has stood empty ever since."
)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_same_date_happenings_merge_by_meaning_and_split_otherwise(
    storyline: Storyline, tmp_path: Path
) -> None:
    first = _write(tmp_path, "bridge_flood.txt", BRIDGE_AND_FLOOD)
    second = _write(tmp_path, "bridge_again.txt", BRIDGE_AGAIN)
    storyline.ingest([first], published="2024-06-03")
    storyline.ingest([second], published="2024-06-07")
    by_source = {Path(a.source).name: a.id for a in storyline.articles()}
    entries = _entries(storyline, "2021")
    assert len(entries) == 2
    bridge = next(e for e in entries if "footbridge" in e.text)
    flood = next(e for e in entries if "floods" in e.text)
    assert bridge.sources == (by_source["bridge_flood.txt"], by_source["bridge_again.txt"])
    assert flood.sources == (by_source["bridge_flood.txt"],)
    # The meeting "on Thursday" is dated against 2024-06-07: a happening of its own.
    assert [e.date for e in storyline.timeline()] == ["2021", "2021", "2024-06-06"]


def test_two_dates_in_one_sentence_give_two_happenings(
    storyline: Storyline, tmp_path: Path
) -> None:
    storyline.ingest([_write(tmp_path, "mill.txt", MILL)], published="2023-02-01")
    (closed,) = _entries(storyline, "2015")
    (protests,) = _entries(storyline, "2016")
    assert "closed" in closed.text and "protests" not in closed.text
    assert "protests" in protests.text
    assert closed.sentences[0][1:] == protests.sentences[0][1:]  # one sentence, two entries


def test_timeline_is_the_same_whether_reports_arrive_together_or_apart(tmp_path: Path) -> None:
    paths = [
        _write(tmp_path, "bridge_flood.txt", BRIDGE_AND_FLOOD),
        _write(tmp_path, "bridge_again.txt", BRIDGE_AGAIN),
        _write(tmp_path, "mill.txt", MILL),
    ]
    with Storyline(Settings(db_path=tmp_path / "together.db")) as together:
        together.ingest(paths, published="2024-06-07")
        at_once = [e.to_dict() for e in together.timeline()]
    with Storyline(Settings(db_path=tmp_path / "apart.db")) as apart:
        for path in reversed(paths):
            apart.ingest([path], published="2024-06-07")
        one_by_one = [e.to_dict() for e in apart.timeline()]
    assert at_once == one_by_one
    assert len(at_once) >= 4


def test_timeline_of_an_empty_store_is_empty(storyline: Storyline) -> None:
    assert storyline.timeline() == []


# Invented: a preview of a visit, the report of it, and clauses that cannot stand alone.
PREVIEW = """---
title: Inspectors to visit Carrow mill
outlet: Carrow Herald
published: 2026-05-01
---
Inspectors from the river agency are set to visit the Carrow mill on Monday to check its dye tanks.
The visit was requested by councillor Ines Ward, who said on Thursday that "nobody should fish here, but nobody should panic either."
"""
VISITED = """---
title: Leaking dye tanks found at Carrow mill
outlet: Valley Post
published: 2026-05-05
---
Inspectors from the river agency visited the Carrow mill on Monday and found two leaking dye tanks beside the weir.
Repairs to the tanks will cost about $2 million and take until the following year, the agency said.
"""


def test_an_entry_tells_what_happened_not_what_a_preview_planned(
    storyline: Storyline, tmp_path: Path
) -> None:
    storyline.ingest(
        [_write(tmp_path, "preview.md", PREVIEW), _write(tmp_path, "post.md", VISITED)]
    )
    by_source = {Path(a.source).name: a.id for a in storyline.articles()}
    (visit,) = _entries(storyline, "2026-05-04")
    assert visit.sources == (by_source["preview.md"], by_source["post.md"])
    assert "found two leaking dye tanks" in visit.text


CLOSED = """---
title: Carrow weir path closed after inspection
outlet: River Courier
published: 2026-05-05
---
The council closed the footpath along the Carrow mill weir on Monday after inspectors found leaking dye tanks beside it.
"""


def test_a_plan_and_what_others_did_that_day_are_two_entries(
    storyline: Storyline, tmp_path: Path
) -> None:
    """The preview's inspectors and the council that closed the path act on one Monday in
    alike words; a plan joins only a report in which the same actor acts."""
    storyline.ingest(
        [_write(tmp_path, "preview.md", PREVIEW), _write(tmp_path, "closed.md", CLOSED)]
    )
    by_source = {Path(a.source).name: a.id for a in storyline.articles()}
    monday = _entries(storyline, "2026-05-04")
    assert sorted(e.sources for e in monday) == sorted(
        [(by_source["preview.md"],), (by_source["closed.md"],)]
    )


def test_an_entry_never_reads_as_a_fragment(storyline: Storyline, tmp_path: Path) -> None:
    storyline.ingest(
        [_write(tmp_path, "preview.md", PREVIEW), _write(tmp_path, "post.md", VISITED)]
    )
    (repairs,) = _entries(storyline, "2027")
    assert repairs.text.startswith("Repairs to the tanks will cost")  # not "take until …"
    (said,) = _entries(storyline, "2026-04-30")
    assert said.text.endswith('nobody should panic either."'), "a quotation is not cut open"
    for entry in storyline.timeline():
        assert len(entry.text.split()) >= 8
        assert entry.text.count('"') % 2 == 0


def test_seasons_and_quarters_sort_where_they_start() -> None:
    from storyline.synthesise.timeline import _date_key

    dates = ["2026-09-16", "2026-WI", "2026-03", "2025-12-01", "2026-Q2", "2026-SU", "198"]
    assert sorted(dates, key=_date_key) == [
        "198",
        "2025-12-01",
        "2026-WI",
        "2026-03",
        "2026-Q2",
        "2026-SU",
        "2026-09-16",
    ]


def test_an_entry_is_not_a_clause_cut_from_inside_its_sentence(
    storyline: Storyline, tmp_path: Path
) -> None:
    # The first teller dates the happening only in an adverbial ("following its purchase
    # … in 2018"); the entry speaks with the later teller who says it whole.
    first = _write(
        tmp_path,
        "removed.txt",
        "The club was previously removed from the northern league following its purchase of "
        "two players from a banned agent in 2018, a move that angered the town.\n",
    )
    second = _write(
        tmp_path,
        "thrown_out.txt",
        "The club was thrown out of the northern league in 2018 over its purchase of two "
        "players from a banned agent, which angered the town.\n",
    )
    storyline.ingest([first], published="2024-05-01")
    storyline.ingest([second], published="2024-05-03")
    (entry,) = _entries(storyline, "2018")
    assert len(entry.sources) == 2
    assert entry.text.startswith("The club was thrown out of the northern league in 2018")
