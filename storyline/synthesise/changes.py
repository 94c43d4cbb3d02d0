"""What is new in a story since a date: events, claims, changed figures, actors, quotes.

A report's date is its publication date, else the latest date it can have been published
(WARC capture), else the day it was stored: "since I last looked" must still work for
reports that carry no date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..models import Change, Claim, Figure
from ..store import Store
from .claims import build_claims
from .statements import story_scope


def changes(store: Store, story: str | None, since: str) -> list[Change]:
    """Everything in the story first reported after `since` (YYYY-MM-DD), oldest first per kind."""
    from ..ingest.published import parse_user_date  # here: the ingest package loads readers

    day = parse_user_date(since)
    assert day is not None
    article_ids = story_scope(store, story)
    dated = report_dates(store, article_ids)
    new = {a for a, d in dated.items() if d > day}
    if not new:
        return []
    claims = build_claims(store, story)
    found = _new_events(store, article_ids, new, dated)
    found += _new_claims(claims, new, dated)
    found += _changed_figures(claims, new, dated)
    found += _new_actors(store, article_ids, new, dated)
    found += _new_quotes(store, new, dated)
    return found


def report_dates(store: Store, article_ids: Sequence[str]) -> dict[str, str]:
    wanted = set(article_ids)
    rows = store.query("SELECT id, published, published_before, ingested_at FROM articles")
    return {
        r["id"]: r["published"] or r["published_before"] or r["ingested_at"][:10]
        for r in rows
        if r["id"] in wanted
    }


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


def _new_claims(claims: Sequence[Claim], new: set[str], dated: dict[str, str]) -> list[Change]:
    found = [
        Change("claim", c.text, c.sources, _first_date(c.sources, dated))
        for c in claims
        if all(s in new for s in c.sources)
    ]
    return sorted(found, key=lambda c: (c.date or "", c.text))


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
        if entity.articles and all(a in new for a in entity.articles):
            found.append(
                Change("actor", entity.name, entity.articles, _first_date(entity.articles, dated))
            )
    return sorted(found, key=lambda c: (c.date or "", c.text))


def _new_quotes(store: Store, new: set[str], dated: dict[str, str]) -> list[Change]:
    from ..enrich.quotes import list_quotes

    found = []
    for quote in list_quotes(store, sorted(new)):
        who = quote.speaker or "unattributed"
        text = f"{who}: “{quote.text}”" if quote.direct else f"{who}: {quote.text}"
        found.append(Change("quote", text, (quote.article,), dated.get(quote.article)))
    return sorted(found, key=lambda c: (c.date or "", c.text))
