"""The briefing cites every sentence; `changes` tells what is new since a date."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ingested_text, seed_path

from storyline import Settings, Storyline, synthesise
from storyline.models import BriefSentence, Citation, Claim
from storyline.synthesise import to_html, to_markdown
from storyline.synthesise.brief import _contested, readable_date


def _as_reported(line: str, names: list[str]) -> list[re.Pattern[str]]:
    """The line, and the report's own wording when the briefing named a speaker in it: the
    name put before the sentence ("Name: ...") or put for the report's pronoun or short
    description ("the source added")."""
    forms = [re.escape(line)]
    for name in names:
        if line.startswith(f"{name}: "):
            forms.append(re.escape(line[len(name) + 2 :]))
        if name in line:
            said_by = r"(?:he|she|it|He|She|It|the [a-z]+)"
            forms.append(re.escape(line).replace(re.escape(name), said_by, 1))
    return [re.compile(f) for f in forms]


def test_every_brief_sentence_cites_reports_that_contain_it(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, _ = seeded
    briefing = storyline.brief()
    titles = [s.title for s in briefing.sections]
    assert titles[:3] == ["What happened", "The latest", "Who said what"]
    texts = {a.id: a.text for a in storyline.articles()}
    names = [e.name for e in storyline.entities()]
    for section in briefing.sections:
        assert section.sentences
        for sentence in section.sentences:
            assert sentence.sources
            if section.title != "Timeline":
                reported = _as_reported(sentence.text, names)
                assert any(r.search(texts[sentence.sources[0]]) for r in reported), sentence.text


def test_brief_never_repeats_a_sentence_or_counts_the_rewrite_apart(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded
    briefing = storyline.brief()
    prose = [
        s
        for sec in briefing.sections
        if sec.title in ("What happened", "The latest")
        for s in sec.sentences
    ]
    assert len({s.text for s in prose}) == len(prose)
    # A sentence 000 and its rewrite 001 both state is one sentence citing both.
    assert not any(
        s.sources == (ids["001"],)
        and any(o.sources[0] == ids["000"] and o.text == s.text for o in prose)
        for s in prose
    )


def test_without_dates_the_latest_is_the_event_that_arrived_last(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    # The seeds are undated and arrive in file order: the November talks (003, 004) last.
    storyline, ids = seeded
    (latest,) = [s for s in storyline.brief().sections if s.title == "The latest"]
    cited = {source for sentence in latest.sentences for source in sentence.sources}
    assert cited and cited <= {ids["003"], ids["004"]}


def test_story_brief_and_formats(seeded: tuple[Storyline, dict[str, str]]) -> None:
    storyline, _ = seeded
    (story,) = storyline.stories()
    briefing = storyline.brief(story.id)
    assert briefing.story == story.id
    data = briefing.to_dict()
    assert set(data) >= {"story", "sections"}
    assert all(set(s) == {"title", "sentences"} for s in data["sections"])
    markdown = to_markdown(briefing)
    assert markdown.startswith("# ") and "## What happened" in markdown
    page = to_html(briefing)
    assert "<h2>What happened</h2>" in page and "<script" not in page


def test_changes_since_march_are_the_november_reports(
    seeded_dated: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded_dated
    new = storyline.changes(None, "2025-06-01")
    november = {ids["003"], ids["004"]}
    assert new
    assert all(set(c.sources) <= november for c in new)
    kinds = {c.kind for c in new}
    assert {"event", "claim", "actor"} <= kinds
    actors = {c.text for c in new if c.kind == "actor"}
    assert "Tom Barrack" in actors and "Hakan Fidan" not in actors
    assert "F-16" not in actors  # a jet is not an actor
    assert storyline.changes(None, "2025-12-01") == []
    texts = [c.text for c in new]
    # Fragments are not news; what a speaker said is given with the speaker.
    said = [c.text.split(": ", 1)[-1] for c in new if c.kind in ("claim", "quote")]
    assert said and all(len(t.split()) >= 5 for t in said)
    assert not any(t.endswith("positive relationship") for t in texts)
    assert any(t.startswith("Tom Barrack: ") for t in texts)
    # 2019 is background to a reader who last looked in March; what the November reports
    # tell of the months between is news.
    assert not any("$1.4 billion" in t for t in texts)
    assert any("might soon lift the ban" in t for t in texts)


def test_undated_reports_are_placed_by_their_event_and_never_by_the_day_they_were_stored(
    tmp_path: Path, seeded: tuple[Storyline, dict[str, str]]
) -> None:
    undated, _ = seeded
    assert undated.changes(None, "2025-06-01") == []  # stored today, yet nothing is placed
    days = {"000": "2025-03-26", "001": "2025-03-26", "002": "2025-03-24", "004": "2025-11-10"}
    with Storyline(Settings(db_path=tmp_path / "mixed.db")) as storyline:
        for number, day in days.items():
            storyline.ingest([seed_path(number)], published=day, analyse=False)
        storyline.ingest([seed_path("003")], analyse=False)  # no date
        storyline.analyse()
        (late,) = [a.id for a in storyline.articles() if a.published is None]
        placed = [c for c in storyline.changes(None, "2025-06-01") if late in c.sources]
        assert placed and all(c.date and c.date >= "2025-11-10" for c in placed)
        only_late = [c for c in placed if c.sources == (late,)]
        assert only_late and all(c.placed_by == "its event" for c in only_late)


# Invented: a resident quoted over two sentences, and later with "she said".
QUARRY = """---
title: Quarry blast rattles Millbrook homes
outlet: Millbrook Echo
published: 2026-06-10
---
A blast at the Millbrook quarry cracked windows in dozens of homes on Tuesday morning, the town council said.

"The whole kitchen shook and a plate fell off the shelf," said Greta Holm, who lives two streets from the quarry fence. "Nobody from the quarry has knocked on our door since."

Council leader Omar Haddad said inspectors would visit the site on Thursday. "We will not let blasting start again until we know what went wrong," he said.

Greta Holm has started a petition calling for the quarry to close. "The company has ignored our letters for months," she said.
"""


def test_every_quote_line_names_its_speaker_and_cites_its_report(tmp_path: Path) -> None:
    with ingested_text(tmp_path, "quarry.md", QUARRY) as storyline:
        (article,) = storyline.articles()
        text = storyline.article(article.id).text
        quotes = [q for q in storyline.quotes() if q.speaker in ("Greta Holm", "Omar Haddad")]
        lines = [
            s
            for section in storyline.brief().sections
            if section.title != "Timeline"
            for s in section.sentences
        ]
        assert len({s.text for s in lines}) == len(lines), "no line shown in two sections"
        quoted = [(s, q) for s in lines for q in quotes if q.text in s.text]
        # Not vacuous: lines whose report sentence lacks the name ("…," she said) are shown.
        assert any("ignored our letters" in s.text or "knocked" in s.text for s, _ in quoted)
        for line, quote in quoted:
            assert quote.speaker in line.text, line.text
            assert line.sources == (article.id,)
            speaker = [quote.speaker or ""]
            assert any(r.search(text) for r in _as_reported(line.text, speaker)), line.text


def _claim(name: str, article: str, start: int, conflicts: tuple[str, ...]) -> Claim:
    return Claim(
        name, name, None, None, (article,), 1, conflicts, (Citation(article, start, start + 9),)
    )


def test_contested_points_show_each_dispute_once_and_no_line_twice() -> None:
    said = {"a": "The pier is safe.", "b": "The pier is not safe.", "c": "The pier is safe!"}
    claims = [
        _claim("a", "r1", 0, ("b", "c")),
        _claim("b", "r2", 0, ("a", "c")),
        _claim("c", "r3", 0, ("a", "b")),  # worded like a: no dispute with a
    ]

    def render(claim: Claim) -> BriefSentence:
        return BriefSentence(said[claim.id], claim.sources)

    shown = [s.text for s in _contested(claims, render)]
    assert shown == ["The pier is safe.", "The pier is not safe."]
    assert len({tuple(re.findall(r"\w+", t.lower())) for t in shown}) == len(shown)


def test_timeline_dates_read_as_a_reader_says_them() -> None:
    assert readable_date("2026-WI") == "winter 2025–2026"  # TIMEX files a winter under its January
    assert readable_date("2026-SU") == "summer 2026"
    assert readable_date("2026-Q3") == "Q3 2026"
    assert readable_date("198") == "the 1980s"
    assert [readable_date(d) for d in ("2026-03-02", "2026-03", "2026")] == [
        "2026-03-02",
        "2026-03",
        "2026",
    ]


def test_a_long_timeline_is_briefed_by_its_best_supported_entries(storyline: Storyline) -> None:
    from storyline.models import TimelineEntry
    from storyline.synthesise.brief import TIMELINE_MOST

    # Hand-made: entry i is told by i % 7 + 1 reports.
    entries = [
        TimelineEntry(
            id=f"e{i}",
            date=f"2024-01-{i + 1:02d}",
            precision="day",
            text=f"happening {i}",
            sources=tuple(f"r{k}" for k in range(i % 7 + 1)),
        )
        for i in range(TIMELINE_MOST + 10)
    ]
    briefing = synthesise.brief(storyline.store, None, claims=[], timeline=entries)
    (section,) = [s for s in briefing.sections if s.title == "Timeline"]
    assert len(section.sentences) == TIMELINE_MOST
    shown = [len(s.sources) for s in section.sentences]
    assert min(shown) >= sorted((len(e.sources) for e in entries), reverse=True)[TIMELINE_MOST - 1]
    assert [s.text for s in section.sentences] == sorted(s.text for s in section.sentences)


# -- whole sentences that read alone (issue 26) ----------------------------------------------


def _lines(briefing: object, *titles: str) -> list[BriefSentence]:
    return [s for sec in briefing.sections if sec.title in titles for s in sec.sentences]  # type: ignore[attr-defined]


def test_what_happened_tells_what_happened_not_what_was_foretold(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    happened = _lines(seeded[0].brief(), "What happened")
    assert happened
    assert not [s for s in happened if "is set to meet" in s.text]
    assert any("Fidan" in s.text and "Rubio" in s.text for s in happened)


def test_brief_lines_read_alone_name_their_speaker_once_and_close_their_quotes(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, _ = seeded
    names = [e.name for e in storyline.entities()]
    for line in _lines(storyline.brief(), "What happened", "The latest", "Who said what"):
        text = line.text
        assert not re.match(r"(?:Since then|He|She|It|They|That|This|These)\b", text), text
        if any(text.startswith(f"{n}: ") for n in names):
            assert not re.search(r"\b(?:said|added|told|according to)\b", text), text
        assert text.count("“") == text.count("”"), text
        assert text.count('"') % 2 == 0, text


def test_timeline_entries_are_sentences_not_clause_fragments(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    entries = seeded[0].timeline()
    assert entries
    for entry in entries:
        assert entry.text[0].isupper(), entry.text
        assert not re.match(r"(?:a move|his|its|which|that)\b", entry.text, re.I), entry.text
    (returned,) = [e for e in entries if e.date == "2025-01-20"]
    assert returned.text.startswith("Since his return to office")


def test_brief_lines_open_their_report_at_the_cited_sentence(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, _ = seeded
    texts = {a.id: a.text for a in storyline.articles()}
    for line in _lines(storyline.brief(), "What happened", "The latest"):
        (article, start), *_ = line.cited
        assert article == line.sources[0]
        assert texts[article][start:].startswith(line.text[:20])
        assert {a for a, _ in line.cited} == set(line.sources)
