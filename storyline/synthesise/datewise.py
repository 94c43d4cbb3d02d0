"""A timeline summary: the N most important dates of a collection, K sentences each.

What the timeline-summarisation literature calls DATEWISE (Gholipour Ghalandari & Ifrim
2020, news-tls), with our own fixed choices and no supervised date ranker: dates ranked by
how many articles mention them; for each date, the candidates are the sentences that
mention it and the undated early lines of the articles published on it or the day after;
those of summary length that use one of the collection's topic terms (the words most lead
lines use) are ranked by closeness to the date's vector (TF-IDF over the whole input, on
the terms the mentioning and the published sentences share: news-tls's PM-Mean) and picked
without repeating one another. `storyline eval timeline17` scores it on Timeline17.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..models import TimelineEntry
from ..store import Store

# Chosen by AR-1 F on a development half of the folders and checked on the other half
# (benchmarks/tune_timeline_tls.py prints both; figures measured on the T17 development
# folders: dev / check). The final setting: dev 0.147 / check 0.136, date F1 0.587 / 0.719.
# A day's rank: the articles that mention it (1 each), plus this much per article published
# on it (0.5: dev 0.142 / check 0.139).
PUBLISHED_WEIGHT = 0.0
# Two picked sentences of one date may not be closer than this (TF-IDF cosine; dev / check
# 0.3: 0.146 / 0.137, 0.7: 0.147 / 0.136: flat).
REDUNDANT = 0.5
# Sentences shorter or longer than this (in tokens) are not summary material. Measured
# before topic terms: 6-100 dev 0.133; 10-40 0.144; 6-30 0.139; 6-40 0.140; 6-60 0.134.
MIN_TOKENS, MAX_TOKENS = 10, 40
# Undated lines among an article's first PUBLISHED_LINES are candidates for the day it was
# published and the PUBLISHED_DAYS - 1 days before (news reports yesterday's events).
# Measured with lengths 6-100: 2 lines dev 0.130, 5: 0.128, 10: 0.133, 20: 0.125, all:
# 0.125; one day instead of two lowered each (10 lines: 0.121).
PUBLISHED_LINES, PUBLISHED_DAYS = 10, 2
# Candidates must use one of the TOPIC_TERMS words most lead lines use. Dev, in a first
# exploration breaking ties among equally common words another way: none 0.144, 3 0.145,
# 10 0.149, 20 0.150, 40 0.149; this code, dev / check: 10 0.147 / 0.136, 20 0.146 / 0.135.
TOPIC_TERMS = 10


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article, with the days it mentions."""

    text: str  # as the data set gives it (tokenised): what ROUGE compares
    published: dt.date
    position: int  # index in its article: 0 is the lead
    mentions: tuple[dt.date, ...]
    article: str = ""  # its article's id: a day's rank counts articles, not sentences


def datewise(
    pool: Sequence[Sentence],
    keywords: Sequence[str],
    dates: int,
    per_date: int,
    start: dt.date,
    end: dt.date,
) -> dict[dt.date, list[str]]:
    """A timeline of `dates` dates with up to `per_date` sentences each."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    ranked = rank_dates(pool, start, end)
    mentioning, published = _candidates_by_day(pool)
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:  # term weights over the whole input of the timeline, as news-tls fits them
        vectorizer.fit(sorted({s.text for s in pool}))
    except ValueError:  # no words at all
        return {}
    terms = set(topic_terms(pool))
    timeline: dict[dt.date, list[str]] = {}
    # A sentence tells one day. On T17 (all folders) AR-1 0.140 → 0.138, date F1 0.671 → 0.673:
    # a reader is never shown one sentence under two dates, for a cost within the noise.
    used: set[str] = set()
    for day in ranked:
        mention, publish = mentioning.get(day, []), published.get(day, [])
        candidates = [s for s in _usable(mention + publish, terms, keywords) if s.text not in used]
        centre = date_vector(vectorizer, mention, publish)
        picked = pick_sentences(candidates, per_date, vectorizer, centre)
        if picked:
            timeline[day] = picked
            used.update(picked)
        if len(timeline) == dates:
            break
    return timeline


def rank_dates(pool: Sequence[Sentence], start: dt.date, end: dt.date) -> list[dt.date]:
    """Days within [start, end], mentioned by the most articles first (days articles were
    published on follow, weighted by PUBLISHED_WEIGHT)."""
    score: dict[dt.date, float] = {}
    counted: set[tuple[str, dt.date]] = set()
    for index, sentence in enumerate(pool):
        source = sentence.article or f"#{index}"  # without an article id, each sentence counts
        for day in sentence.mentions:
            if start <= day <= end and (source, day) not in counted:
                counted.add((source, day))
                score[day] = score.get(day, 0.0) + 1.0
    published = Counter(s.published for s in pool if s.position == 0)
    for day, articles in published.items():
        score[day] = score.get(day, 0.0) + PUBLISHED_WEIGHT * articles
    return sorted(score, key=lambda d: (-score[d], d))


def _candidates_by_day(
    pool: Sequence[Sentence],
) -> tuple[dict[dt.date, list[Sentence]], dict[dt.date, list[Sentence]]]:
    """The sentences that mention each day, and the undated early lines of the articles
    published on it or the day after (news-tls's PM collector)."""
    mentioning: dict[dt.date, list[Sentence]] = {}
    published: dict[dt.date, list[Sentence]] = {}
    for sentence in pool:
        for day in sentence.mentions:
            mentioning.setdefault(day, []).append(sentence)
        if not sentence.mentions and sentence.position < PUBLISHED_LINES:
            for back in range(PUBLISHED_DAYS):
                day = sentence.published - dt.timedelta(days=back)
                published.setdefault(day, []).append(sentence)
    return mentioning, published


def topic_terms(pool: Sequence[Sentence]) -> list[str]:
    """The TOPIC_TERMS words most articles' lead lines use: the story's query, found from
    the input itself (the data set's keywords.json holds only the topic's folder name)."""
    from sklearn.feature_extraction.text import CountVectorizer

    leads = [s.text for s in pool if s.position == 0]
    counter = CountVectorizer(stop_words="english", binary=True)
    try:
        counts = np.asarray(counter.fit_transform(leads).sum(axis=0)).ravel()
    except ValueError:  # no leads, or nothing but stop words
        return []
    words = counter.get_feature_names_out()
    order = sorted(range(len(words)), key=lambda i: (-int(counts[i]), str(words[i])))
    return [str(words[i]) for i in order[:TOPIC_TERMS]]


def _usable(
    candidates: list[Sentence], terms: set[str], keywords: Sequence[str] = ()
) -> list[Sentence]:
    """Candidates of summary length that use a topic term (as a token) or a keyword (inside
    the text), once each."""
    unique = list({s.text: s for s in candidates}.values())
    sized = [s for s in unique if MIN_TOKENS <= len(s.text.split()) <= MAX_TOKENS]
    if not terms and not keywords:
        return sized
    return [s for s in sized if _on_topic(s.text.lower(), terms, keywords)]


def _on_topic(lowered: str, terms: set[str], keywords: Sequence[str]) -> bool:
    return bool(terms.intersection(lowered.split())) or any(k in lowered for k in keywords)


def date_vector(vectorizer: Any, mention: list[Sentence], publish: list[Sentence]) -> Any:
    """What a day is about: the terms its mentioning sentences and the sentences published
    on it share (their two mean TF-IDF vectors summed on those terms; news-tls's PM-Mean);
    None when it has only one kind, and the candidates' own centroid is used."""
    if not mention or not publish:
        return None
    mean_mention = np.asarray(vectorizer.transform([s.text for s in mention]).mean(axis=0))
    mean_publish = np.asarray(vectorizer.transform([s.text for s in publish]).mean(axis=0))
    shared = (mean_mention > 0) & (mean_publish > 0)
    if not shared.any():
        return None
    return np.where(shared, mean_mention + mean_publish, 0.0).ravel()


def pick_sentences(
    candidates: Sequence[Sentence], count: int, vectorizer: Any = None, centre: Any = None
) -> list[str]:
    """The sentences closest to `centre` (by default the candidates' TF-IDF centroid),
    skipping near-repeats."""
    if not candidates:
        return []
    texts = [s.text for s in candidates]
    if vectorizer is None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        try:
            vectorizer.fit(texts)
        except ValueError:  # nothing but stop words
            return texts[:count]
    matrix = vectorizer.transform(texts)
    if centre is None:
        centre = np.asarray(matrix.mean(axis=0)).ravel()
    norm = np.linalg.norm(centre)
    closeness = np.asarray(matrix @ (centre / norm)).ravel() if norm else np.zeros(len(texts))
    order = sorted(range(len(texts)), key=lambda i: (-float(closeness[i]), texts[i]))
    picked: list[int] = []
    for index in order:
        if all(float((matrix[index] @ matrix[j].T).toarray()[0, 0]) < REDUNDANT for j in picked):
            picked.append(index)
        if len(picked) == count:
            break
    return [texts[i] for i in picked]


# -- from the store ----------------------------------------------------------------------------


def summary_timeline(
    store: Store, articles: Sequence[str], dates: int, per_date: int = 1
) -> list[TimelineEntry]:
    """The `dates` most important days of these stored articles, `per_date` sentences each,
    in date order; each sentence cites every article that carries it word for word."""
    pool, cited = _stored_sentences(store, articles)
    days = [day for s in pool for day in (s.published, *s.mentions)]
    if not pool or not days:
        return []
    picked = datewise(pool, (), dates, per_date, min(days), max(days))
    entries = []
    for day in sorted(picked):
        for text in picked[day]:
            sentences = tuple(cited[text])
            sources = tuple(dict.fromkeys(article for article, _, _ in sentences))
            key = f"{day.isoformat()}|{text}"
            entry_id = hashlib.sha256(key.encode()).hexdigest()[:12]
            entries.append(
                TimelineEntry(entry_id, day.isoformat(), "day", text, sources, sentences)
            )
    return entries


def _stored_sentences(
    store: Store, ids: Sequence[str]
) -> tuple[list[Sentence], dict[str, list[tuple[str, int, int]]]]:
    """The articles' sentences with the days they mention (resolved to the day by the dates
    annotator), and where each sentence text stands."""
    pool: list[Sentence] = []
    cited: dict[str, list[tuple[str, int, int]]] = {}
    for article in store.articles(ids, with_spans=True):
        published = _iso_day(article.published)
        if published is None:  # undated reports cannot be placed on a date axis
            continue
        days = _mentioned_days(store, article.id)
        for position, span in enumerate(article.sentences):
            inside = tuple(dict.fromkeys(d for start, d in days if span.start <= start < span.end))
            pool.append(Sentence(span.text, published, position, inside, article.id))
            cited.setdefault(span.text, []).append((article.id, span.start, span.end))
    return pool, cited


def _mentioned_days(store: Store, article_id: str) -> list[tuple[int, dt.date]]:
    rows = store.query(
        "SELECT start, value FROM time_expressions WHERE article_id = ? AND resolved = 1"
        " AND precision = 'day' ORDER BY start",
        (article_id,),
    )
    return [(row["start"], day) for row in rows if (day := _iso_day(row["value"])) is not None]


def _iso_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
