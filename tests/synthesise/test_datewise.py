"""The DATEWISE parts of `storyline eval timeline17`, on invented sentences."""

from __future__ import annotations

import datetime as dt

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.errors import UsageError
from storyline.synthesise import datewise as tls
from storyline.synthesise.datewise import Sentence

DAY = dt.date(2031, 3, 10)
NEXT = DAY + dt.timedelta(days=1)


def test_a_day_ranks_by_articles_not_by_repeated_sentences() -> None:
    other = DAY - dt.timedelta(days=3)
    pool = [
        Sentence("The ferry sank on Monday .", NEXT, 0, (other,), "a"),
        Sentence("Monday 's sinking shocked the island .", NEXT, 1, (other,), "a"),
        Sentence("Divers searched on Friday .", NEXT, 2, (other,), "a"),
        Sentence("The harbour closed on Tuesday .", NEXT, 0, (DAY,), "b"),
        Sentence("Since Tuesday the harbour is shut .", NEXT, 0, (DAY,), "c"),
    ]
    assert tls.rank_dates(pool, other, NEXT)[:2] == [DAY, other]


def test_undated_early_lines_count_for_the_day_published_and_the_day_before() -> None:
    dated = Sentence("The ferry sank on Monday after a storm .", NEXT, 0, (DAY,), "a")
    undated = Sentence("Rescuers pulled forty people from the water .", NEXT, 1, (), "a")
    late = Sentence("The island has two ferries .", NEXT, tls.PUBLISHED_LINES, (), "a")
    mentioning, published = tls._candidates_by_day([dated, undated, late])
    assert mentioning == {DAY: [dated]}
    assert published[NEXT] == [undated] and published[DAY] == [undated]
    assert all(late not in lines for lines in published.values())


def test_topic_terms_are_the_words_most_leads_use() -> None:
    leads = [
        "Ferry sinks off Arnholm island in a storm",
        "Arnholm ferry owner questioned by police",
        "Storm delays the search for the Arnholm ferry",
        "Football club wins the cup",
    ]
    pool = [Sentence(text, DAY, 0, (), str(i)) for i, text in enumerate(leads)]
    pool.append(Sentence("Cup cup cup cup cup cup", DAY, 1, (), "0"))  # not a lead
    terms = tls.topic_terms(pool)
    assert terms[:2] == ["arnholm", "ferry"]
    assert terms.index("storm") < terms.index("cup")


def test_the_date_vector_keeps_only_terms_both_kinds_of_sentence_use() -> None:
    mention = [Sentence("The ferry sank near Arnholm harbour .", NEXT, 3, (DAY,), "a")]
    publish = [Sentence("Arnholm mourns the ferry crew lost at sea .", NEXT, 0, (), "b")]
    vectorizer = TfidfVectorizer(stop_words="english").fit([s.text for s in mention + publish])
    centre = tls.date_vector(vectorizer, mention, publish)
    vocabulary = vectorizer.vocabulary_
    assert centre[vocabulary["ferry"]] > 0 and centre[vocabulary["arnholm"]] > 0
    assert centre[vocabulary["harbour"]] == 0 and centre[vocabulary["mourns"]] == 0
    assert tls.date_vector(vectorizer, mention, []) is None


def test_a_timeline_keeps_on_topic_sentences_of_summary_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tls, "TOPIC_TERMS", 2)  # "arnholm" and "ferry", in both leads
    leads = [
        "The Arnholm ferry sank in a storm , the coast guard of the island said on Tuesday .",
        "Survivors of the Arnholm ferry described waves taller than houses to reporters .",
    ]
    pool = [Sentence(text, NEXT, 0, (DAY,), f"lead{i}") for i, text in enumerate(leads)]
    off_topic = "A football match ended in a draw after extra time was played at the stadium ."
    pool += [
        Sentence(off_topic, NEXT, 1, (DAY,), "lead0"),
        Sentence("Arnholm ferry sank Monday .", NEXT, 1, (DAY,), "lead1"),  # too short
    ]
    timeline = tls.datewise(pool, (), dates=1, per_date=3, start=DAY, end=NEXT)
    assert list(timeline) == [DAY]
    assert sorted(timeline[DAY]) == sorted(leads)


def test_summary_of_the_seeds_puts_the_meeting_day_first_among_equals(seeded_dated):
    storyline, ids = seeded_dated
    entries = storyline.timeline_summary(dates=3)
    days = [e.date for e in entries]
    assert days == sorted(days) and len(set(days)) <= 3
    assert "2025-03-25" in days  # the day 000, 001 and 002 all mention
    texts = {a.id: a.text for a in storyline.articles()}
    for entry in entries:
        assert entry.sources and set(entry.sources) <= set(ids.values())
        for article, start, end in entry.sentences:
            assert texts[article][start:end] == entry.text
    assert len({e.text for e in entries}) == len(entries)  # no sentence tells two days


def test_summary_needs_dated_reports_and_sane_sizes(seeded):
    storyline, _ = seeded
    assert storyline.timeline_summary(dates=3) == []  # the seeds without publication dates
    with pytest.raises(UsageError):
        storyline.timeline_summary(dates=0)
