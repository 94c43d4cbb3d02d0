"""The timeline: dated happenings merged across reports, each citing every report that states it.

    build_timeline(store, story_id=None) -> [TimelineEntry]

Reads the `happenings` the enrich stage stored (clauses and their vectors; nothing is
parsed or embedded here). Within one date value, happenings that mean the same thing are
one entry: our own greedy grouping (no library merges dated clauses), in a fixed order, by
the cosine of their date-masked clause vectors. Threshold chosen on the seeds and
hand-made cases (tests/synthesise/test_timeline.py holds them): the weakest link
between tellings of one happening on the seeds is 0.32 ("coming back into office" /
"his return to office"); unrelated happenings on one date score near 0.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..cluster import story_articles
from ..models import TimelineEntry
from ..store import Store

# Same date, same happening: cosine of the date-masked clause vectors at or above this.
SAME_HAPPENING = 0.30
# A plan told before its date ("are set to inspect on Monday") is the same happening as a
# report of it only at this closeness or more, and only when the same actor acts in both:
# the seeds' preview of the meeting is 0.58 to 0.70 from the reports of it (Fidan acts in
# both); the example's preview of an assessment "on Thursday" 0.42 from the report of the
# reservoir's drop that day; the example's preview of the inspection (engineers) and the
# report of the evacuation (authorities) on the same Monday are 0.64 apart, and only their
# actors tell them apart.
SAME_PLAN = 0.50
# An undated sentence this close to a dated one tells the same happening (seeds: true
# tellings 0.76 and 0.83; the closest unrelated sentence 0.70).
SAME_TELLING = 0.75
# Fewer words than this and an entry's text is a fragment.
MIN_WORDS = 8
# A clause cut from inside a sentence that opens with one of these words is an adverbial
# ("following its acquisition of … in 2019", "before it was suspended … in 2019"), not a
# statement that reads alone.
_LEADING_LINKS = frozenset(
    [
        "after",
        "amid",
        "as",
        "at",
        "because",
        "before",
        "by",
        "despite",
        "during",
        "following",
        "for",
        "from",
        "if",
        "in",
        "of",
        "on",
        "over",
        "since",
        "than",
        "though",
        "to",
        "unless",
        "until",
        "when",
        "whereas",
        "while",
        "with",
        "without",
    ]
)
# A date value a publication date can be compared with: year, month or day.
_CALENDAR = re.compile(r"^\d{4}(?:-\d{2}){0,2}$")


@dataclass(frozen=True)
class _Dated:
    """A stored happening with what ordering and merging need."""

    article: str
    order: tuple[str, str]  # (publication date, id): first teller first, whatever the arrival
    date: str
    precision: str
    text: str
    sentence: tuple[str, int, int]
    vector: np.ndarray
    sentence_text: str = ""
    published: str | None = None
    actor: str | None = None
    whole: bool | None = None  # the clause reads as a sentence; None: enriched before

    @property
    def foretold(self) -> bool:
        """Told before it happened: a preview's plan ("are set to inspect on Monday")."""
        if not self.published or not _CALENDAR.match(self.date):
            return False
        return self.published[: len(self.date)] < self.date


def best_supported(entries: Sequence[TimelineEntry], most: int | None) -> list[TimelineEntry]:
    """The `most` entries most reports state (all when None), in timeline order; of
    entries stated equally often, the earlier."""
    if most is None:
        return list(entries)
    ranked = sorted(range(len(entries)), key=lambda i: (-len(entries[i].sources), i))
    return [entries[i] for i in sorted(ranked[:most])]


def build_timeline(
    store: Store, story_id: str | None = None, articles: Sequence[str] | None = None
) -> list[TimelineEntry]:
    """The timeline of a story (or of `articles`, or of the whole store), ordered by date
    then first source."""
    if story_id is not None:
        articles = story_articles(store, story_id)
    happenings = _load(store, articles)
    by_date: dict[str, list[_Dated]] = {}
    for item in happenings:
        by_date.setdefault(item.date, []).append(item)
    entries = [_entry(group) for date in by_date for group in merge_same_date(by_date[date])]
    entries = add_undated_tellings(store, entries, articles)
    first: dict[str, tuple[str, str]] = {}
    for item in happenings:
        first[item.article] = min(first.get(item.article, item.order), item.order)
    return sorted(
        entries, key=lambda e: (_date_key(e.date), first.get(e.sources[0], ("", "")), e.id)
    )


def merge_same_date(
    items: Sequence[_Dated], threshold: float = SAME_HAPPENING
) -> list[list[_Dated]]:
    """Group one date's happenings by meaning: each joins the group of its most similar
    earlier happening when that similarity reaches the threshold, else starts a group
    (single link, in first-teller order, so the result does not depend on arrival batches)."""
    ordered = sorted(items, key=lambda h: (h.order, h.sentence))
    similarity = np.stack([h.vector for h in ordered]) @ np.stack([h.vector for h in ordered]).T
    group_of: list[int] = []
    groups: list[list[_Dated]] = []
    for index, item in enumerate(ordered):
        allowed = similarity[index, :index].copy()
        for other in range(index):
            if _other_happening(item, ordered[other]):
                allowed[other] = -np.inf
        nearest = int(np.argmax(allowed)) if index and np.isfinite(allowed).any() else -1
        needed = threshold
        if nearest >= 0 and item.foretold != ordered[nearest].foretold:
            needed = max(threshold, SAME_PLAN)
        if nearest >= 0 and similarity[index, nearest] >= needed:
            group_of.append(group_of[nearest])
            groups[group_of[nearest]].append(item)
        else:
            group_of.append(len(groups))
            groups.append([item])
    return groups


def _other_happening(first: _Dated, second: _Dated) -> bool:
    """A plan and a report of one date in which different actors act are two happenings
    ("engineers are set to inspect" / "authorities ordered the evacuation")."""
    if first.foretold == second.foretold or not first.actor or not second.actor:
        return False
    return not set(first.actor.split()) & set(second.actor.split())


def _entry(group: list[_Dated]) -> TimelineEntry:
    sources: list[str] = []
    for item in group:  # already in first-teller order
        if item.article not in sources:
            sources.append(item.article)
    # The entry speaks with the first teller's fullest clause, unless that is a fragment
    # ("coming back into office on January 20") and another teller says it whole. A report
    # published after the date tells what happened; a preview only what was planned, so
    # the first teller is the first report written once it had happened, if any.
    told = [h for h in group if not h.foretold] or group
    if any(h.whole is not None for h in group):
        text = _whole_text(told)
    else:  # happenings enriched before clauses were judged: judged by their words
        first = [h for h in told if h.article == told[0].article]
        chosen = max(first, key=lambda h: (len(h.text), -h.sentence[1]))
        if _fragment(chosen.text):
            chosen = max(group, key=lambda h: (not _fragment(h.text), len(h.text), h.order))
        # No teller says it whole ("take until the following year"; a quote cut open):
        # the sentence it comes from does.
        fragment = _fragment(chosen.text) and chosen.sentence_text
        text = chosen.sentence_text if fragment else chosen.text
    sentences = tuple(dict.fromkeys(h.sentence for h in group))
    date, precision = group[0].date, group[0].precision
    digest = hashlib.sha256("|".join([date, *sorted(f"{a}:{s}" for a, s, _ in sentences)]).encode())
    return TimelineEntry(
        id=digest.hexdigest()[:12],
        date=date,
        precision=precision,
        text=text,
        sources=tuple(sources),
        sentences=sentences,
    )


def _whole_text(told: Sequence[_Dated]) -> str:
    """The entry's words: the first teller's clause that reads as a sentence ("the U.S.
    removed Turkey from the programme in 2019"), else the first teller's whole sentence;
    never a clause fragment ("a move that led to sanctions in 2020")."""
    readable = [h for h in told if h.whole and not _fragment(h.text)]
    if readable:
        return _capitalised(readable[0].text)
    first = told[0]
    return first.sentence_text or first.text


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def add_undated_tellings(
    store: Store, entries: list[TimelineEntry], articles: Sequence[str] | None
) -> list[TimelineEntry]:
    """Add, as a source, each report that tells an entry's happening without its date: a
    sentence with no date whose vector is at least SAME_TELLING close to a sentence the
    entry cites (each undated sentence backs at most its closest entry)."""
    if not entries:
        return entries
    scope = set(articles) if articles is not None else None
    dated: dict[tuple[str, int], np.ndarray] = {}
    undated: list[tuple[str, int, int, np.ndarray]] = []
    for r in store.query(
        "SELECT article_id, sentence_start, sentence_end, dated, vector FROM happening_echoes"
    ):
        if scope is not None and r["article_id"] not in scope:
            continue
        vector = np.frombuffer(r["vector"], dtype=np.float32)
        if r["dated"]:
            dated[(r["article_id"], r["sentence_start"])] = vector
        else:
            undated.append((r["article_id"], r["sentence_start"], r["sentence_end"], vector))
    owners = [
        (index, dated[(a, start)])
        for index, entry in enumerate(entries)
        for a, start, _ in entry.sentences
        if (a, start) in dated
    ]
    if not owners or not undated:
        return entries
    cited = np.stack([v for _, v in owners])
    found: dict[int, list[tuple[str, int, int]]] = {}
    for chunk in range(0, len(undated), 2048):
        rows = undated[chunk : chunk + 2048]
        similarity = np.stack([v for *_, v in rows]) @ cited.T
        best = similarity.argmax(axis=1)
        # Only the rows whose closest entry is close enough are looked at one by one.
        scores = similarity[np.arange(len(rows)), best]
        for position in np.flatnonzero(scores >= SAME_TELLING).tolist():
            article, start, end, _ = rows[position]
            entry = owners[int(best[position])][0]
            if article not in entries[entry].sources:
                found.setdefault(entry, []).append((article, start, end))
    return [_with_undated(entry, found.get(index, [])) for index, entry in enumerate(entries)]


def _with_undated(entry: TimelineEntry, tellings: list[tuple[str, int, int]]) -> TimelineEntry:
    if not tellings:
        return entry
    extra = tuple(dict.fromkeys(a for a, _, _ in sorted(tellings)))
    return replace(
        entry,
        sources=entry.sources + extra,
        undated=extra,
        sentences=entry.sentences + tuple(sorted(tellings)),
    )


def _fragment(text: str) -> bool:
    """Too short to read alone, a quotation cut open, or an adverbial clause cut from
    inside its sentence."""
    quotes = text.count('"') + text.count("“") + text.count("”")
    words = text.split()
    return len(words) < MIN_WORDS or quotes % 2 == 1 or words[0] in _LEADING_LINKS


# Where a season or quarter starts, as a month: "2026-WI" is the winter of 2025–2026
# (brief.readable_date), so it sorts with January 2026, before the spring.
_PERIOD_MONTH = {"WI": "01", "SP": "03", "SU": "06", "FA": "09"}
_PERIOD_MONTH |= {f"Q{q}": f"{3 * q - 2:02d}" for q in range(1, 5)}


def _date_key(date: str) -> tuple[str, int]:
    # A decade value ("198") sorts with its first year; coarser before finer at equal prefix.
    year, _, rest = date.partition("-")
    if rest in _PERIOD_MONTH:
        return (f"{year}-{_PERIOD_MONTH[rest]}", len(date))
    return (date.ljust(4, "0"), len(date))


def _load(store: Store, articles: Sequence[str] | None) -> list[_Dated]:
    rows = store.query(
        "SELECT h.article_id, h.date, h.precision, h.text, h.sentence_start, h.sentence_end,"
        " h.vector, h.actor, h.whole, a.published, a.seq,"
        " substr(a.text, h.sentence_start + 1, h.sentence_end - h.sentence_start) AS sentence"
        " FROM happenings h JOIN articles a ON a.id = h.article_id"
        " ORDER BY a.seq, h.expression_start"
    )
    scope = set(articles) if articles is not None else None
    return [
        _Dated(
            article=r["article_id"],
            order=((r["published"] or "9999")[:10], r["article_id"]),
            date=r["date"],
            precision=r["precision"],
            text=r["text"],
            sentence=(r["article_id"], r["sentence_start"], r["sentence_end"]),
            vector=np.frombuffer(r["vector"], dtype=np.float32),
            sentence_text=r["sentence"].strip(),
            published=r["published"],
            actor=r["actor"],
            whole=None if r["whole"] is None else bool(r["whole"]),
        )
        for r in rows
        if scope is None or r["article_id"] in scope
    ]
