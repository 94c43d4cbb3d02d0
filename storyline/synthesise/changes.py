"""What is new in a story since a date: events, claims, changed figures, actors, quotes.

What is new is what the reports published after the date say that earlier ones did not:
- a report is dated by its publication date (or the latest it can have been published, a
  WARC capture); an undated one is placed by the dated reports of its event, else by the
  latest day its own text names (it cannot have been published before), and the change
  says so; a report that cannot be placed is never "new" (the day it was stored says
  nothing about the news);
- a claim is new when no earlier report states it: not grouped with an earlier statement,
  not a paraphrase of one (the copy detector's decision, as claims use it), not background
  (a sentence whose dates all fall before the date: "removed from the program in 2019"),
  and not a fragment of a few words ("positive relationship");
- a quote is listed when no new claim already gives it.
Our own rules: no library decides novelty over a story.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from ..dedup.paraphrase import is_paraphrase, lexical_view, pair_features
from ..models import Change, Claim, Figure
from ..store import Store
from .claims import build_claims
from .statements import Statement, statements, story_scope, vectors

# Fewer words than this is a fragment, not news ("positive relationship", "discussions are
# ongoing"): a partial quote the full sentence around it gives better.
MIN_WORDS = 5
# Below this cosine a statement is never taken for a paraphrase of an earlier one (the same
# cheap pre-filter the claims use).
_MIN_COSINE = 0.5
# Entities that act: people, organisations, governments (places stand for them) and groups.
ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})
PUBLISHED, BY_EVENT, BY_TEXT = "publication", "its event", "its text"


def changes(store: Store, story: str | None, since: str) -> list[Change]:
    """Everything in the story first reported after `since` (YYYY-MM-DD), oldest first per kind."""
    from ..ingest.published import parse_user_date  # here: the ingest package loads readers

    day = parse_user_date(since)
    assert day is not None
    article_ids = story_scope(store, story)
    placed = place_reports(store, article_ids)
    dated = {a: d for a, (d, _) in placed.items()}
    new = {a for a, d in dated.items() if d > day}
    if not new:
        return []
    # Background is what happened before the reader's last look: before the latest report
    # published by then ("removed in 2019"), not what the new reports tell of the weeks in
    # between ("Trump said in September the ban might be lifted").
    horizon = max((d for d in dated.values() if d <= day), default=day)
    every = build_claims(store, story)
    claims = [c for c in every if _is_news(store, c, horizon)]
    found = _new_events(store, article_ids, new, dated)
    found += _new_claims(claims, new, dated, _said_before(store, article_ids, new))
    found += _changed_figures(claims, new, dated)
    found += _new_actors(store, article_ids, new, dated)
    found += _new_quotes(store, new, dated, every)
    how = {a: h for a, (_, h) in placed.items()}
    return [_say_how(c, how) for c in found]


def place_reports(store: Store, article_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Each report's day and how it was found (PUBLISHED, BY_EVENT, BY_TEXT); a report
    that cannot be placed is left out."""
    wanted = json.dumps(list(article_ids))
    rows = store.query(
        "SELECT id, published, published_before, ingested_at FROM articles"
        " WHERE id IN (SELECT value FROM json_each(?))",
        (wanted,),
    )
    placed = {
        r["id"]: ((r["published"] or r["published_before"])[:10], PUBLISHED)
        for r in rows
        if r["published"] or r["published_before"]
    }
    undated = {r["id"]: r["ingested_at"][:10] for r in rows if r["id"] not in placed}
    if not undated:
        return placed
    from ..cluster import list_events

    for event in list_events(store):
        days = [placed[a][0] for a in event.articles if a in placed and placed[a][1] == PUBLISHED]
        for article in event.articles:
            if article in undated and days:
                placed[article] = (max(days), BY_EVENT)
    for row in store.query(
        "SELECT article_id, max(value) FROM time_expressions WHERE resolved AND precision = 'day'"
        " AND article_id IN (SELECT value FROM json_each(?)) GROUP BY article_id",
        (json.dumps([a for a in undated if a not in placed]),),
    ):
        if row[1] <= undated[row[0]]:  # not after the day it was stored
            placed[row[0]] = (row[1], BY_TEXT)
    return placed


def _say_how(change: Change, how: dict[str, str]) -> Change:
    ways = {how[s] for s in change.sources if s in how} - {PUBLISHED}
    if not ways or any(how.get(s) == PUBLISHED for s in change.sources):
        return change
    return Change(change.kind, change.text, change.sources, change.date, sorted(ways)[0])


def _is_news(store: Store, claim: Claim, day: str) -> bool:
    """Not a fragment, and not background: some sentence of it is not dated wholly before."""
    if len(claim.text.split()) < MIN_WORDS:
        return False
    for cited in claim.statements:
        values = [
            row[0]
            for row in store.query(
                "SELECT value FROM time_expressions WHERE article_id = ? AND resolved"
                " AND start >= ? AND end <= ? AND value IS NOT NULL",
                (cited.article, cited.start, cited.end),
            )
        ]
        if not values or any(v[: len(day)] >= day[: len(v)] for v in values):
            return True
    return False


def _said_before(store: Store, article_ids: Sequence[str], new: set[str]) -> set[tuple[str, int]]:
    """(article, sentence start) of the new reports' statements that paraphrase a statement
    of an earlier report."""
    found = statements(store, article_ids)
    if not found:
        return set()
    matrix = vectors(store, found)
    recent = [i for i, s in enumerate(found) if s.article in new]
    earlier = [i for i, s in enumerate(found) if s.article not in new]
    if not recent or not earlier:
        return set()
    cosines = matrix[recent] @ matrix[earlier].T
    said = set()
    for row, column in zip(*np.nonzero(cosines >= _MIN_COSINE), strict=True):
        mine, theirs = found[recent[row]], found[earlier[column]]
        if (mine.article, mine.start) not in said and _paraphrase(
            float(cosines[row, column]), mine, theirs
        ):
            said.add((mine.article, mine.start))
    return said


def _paraphrase(cosine: float, a: Statement, b: Statement) -> bool:
    return is_paraphrase(pair_features(cosine, lexical_view(a.text), lexical_view(b.text)))


def _first_date(sources: Sequence[str], dated: dict[str, str]) -> str:
    return min(dated[s] for s in sources if s in dated)


def _new_events(
    store: Store, article_ids: Sequence[str], new: set[str], dated: dict[str, str]
) -> list[Change]:
    from ..cluster import list_events

    scope = set(article_ids)
    found = []
    for event in list_events(store):
        members = [a for a in event.articles if a in scope]
        if members and all(a in new for a in members):
            found.append(Change("event", event.title, tuple(members), _first_date(members, dated)))
    return sorted(found, key=lambda c: (c.date or "", c.text))


def _new_claims(
    claims: Sequence[Claim],
    new: set[str],
    dated: dict[str, str],
    said_before: set[tuple[str, int]],
) -> list[Change]:
    found = [
        Change("claim", _held(c), c.sources, _first_date(c.sources, dated))
        for c in claims
        if all(s in new for s in c.sources)
        and not all((s.article, s.start) in said_before for s in c.statements)
    ]
    return sorted(found, key=lambda c: (c.date or "", c.text))


def _held(claim: Claim) -> str:
    return f"{claim.holder_name}: {claim.text}" if claim.holder_name else claim.text


def _changed_figures(claims: Sequence[Claim], new: set[str], dated: dict[str, str]) -> list[Change]:
    """A quantity whose value in new reports differs from its value in earlier ones."""
    before: dict[tuple[str, str | None], list[Figure]] = defaultdict(list)
    after: dict[tuple[str, str | None], list[Figure]] = defaultdict(list)
    for claim in claims:
        for figure in claim.figures:
            side = after if figure.article in new else before
            side[(figure.quantity, figure.unit)].append(figure)
    found = []
    for key, recent in after.items():
        old_values = {f.value for f in before.get(key, [])}
        fresh = [f for f in recent if old_values and f.value not in old_values]
        if fresh:
            was = ", ".join(sorted({f.text for f in before[key]}))
            now = ", ".join(sorted({f.text for f in fresh}))
            sources = tuple(dict.fromkeys(f.article or "" for f in fresh))
            found.append(
                Change(
                    "figure",
                    f"{key[0]}: was {was}, now {now}",
                    sources,
                    _first_date(sources, dated),
                )
            )
    return sorted(found, key=lambda c: (c.date or "", c.text))


def _new_actors(
    store: Store, article_ids: Sequence[str], new: set[str], dated: dict[str, str]
) -> list[Change]:
    from ..enrich.entities import list_entities

    found = []
    for entity in list_entities(store, article_ids):
        if entity.type not in ACTOR_TYPES:
            continue  # a jet or a law is not an actor
        if entity.articles and all(a in new for a in entity.articles):
            found.append(
                Change("actor", entity.name, entity.articles, _first_date(entity.articles, dated))
            )
    return sorted(found, key=lambda c: (c.date or "", c.text))


def _new_quotes(
    store: Store, new: set[str], dated: dict[str, str], claims: Sequence[Claim]
) -> list[Change]:
    """Quotes of the new reports in no claim's sentence (a claim, new or not, has judged
    those already), fragments left out."""
    from ..enrich.quotes import list_quotes

    judged: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for claim in claims:
        for cited in claim.statements:
            judged[cited.article].append((cited.start, cited.end))
    found = []
    for quote in list_quotes(store, sorted(new)):
        in_claim = any(start <= quote.start < end for start, end in judged[quote.article])
        if in_claim or len(quote.text.split()) < MIN_WORDS:
            continue
        who = quote.speaker or "unattributed"
        text = f"{who}: “{quote.text}”" if quote.direct else f"{who}: {quote.text}"
        found.append(Change("quote", text, (quote.article,), dated.get(quote.article)))
    return sorted(found, key=lambda c: (c.date or "", c.text))
