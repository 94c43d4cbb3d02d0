"""Each story's claims, timeline, briefing, entities and speakers, built once per version
of the story and kept.

A large story takes minutes to synthesise, so readers (the web page, the API, the CLI)
must not pay for it on first view. After each analysis, `refresh` rebuilds what changed
and stores it as JSON, lists one item per row so a reader can take the first few of
thousands without decoding the rest. A kept kind is used only while its version still
matches, so a correction (merge, split, move) or a new report is never hidden behind a
stale copy: until the next refresh, `Reader` builds it afresh (and does not store it).

Versions: claims, timeline and briefing read the clustering (the story's title, each
event's id, title and articles) and per-article rows fixed once an article is analysed,
so a hash of the clustering tells when they change. Entities and speakers also follow
entity resolution, which a report in another story can change, so their version adds
how many reports have been enriched. SCHEMA_VERSION is part of every version, so output
from older code is rebuilt, not misread.

Large stories: claims, timeline and briefing cost time in proportion to the story, so
rebuilding them whole after every batch of new reports made a watcher's cost per report
grow with the store (Timeline17, 1,000 reports in fifties: 193 ms a report, 39 ms at 100).
A run that adds reports may therefore keep a large story's copy while the story has grown
by less than a quarter since it was built (`Deferral`): the copy then stands for the
current version, and readers are told how many of the story's reports it was built from
(`lag`). A rebuild at each quarter's growth costs a bounded multiple of one build per
report, however large the story. Anything but an addition (a report moved out, a
correction) and a run that adds nothing (`storyline analyse`) rebuild exactly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..models import Briefing, Claim, ClaimSummary, Entity, Quote, Story, TimelineEntry
from ..store import Store
from ..timing import stage

# Bump when what is kept changes shape or meaning. 2: facilities share the organisation's
# entity (migration 0013_facility_names), so kept entity ids changed; claims group one
# speaker's rewordings, and the timeline and briefing read differently (stop 16).
SCHEMA_VERSION = 3
# Quotes kept per speaker: readers show a speaker's first few, not all.
QUOTES_KEPT = 4

CLAIMS, TIMELINE, BRIEF, ENTITIES, SPEAKERS = "claims", "timeline", "brief", "entities", "speakers"
KINDS = (CLAIMS, TIMELINE, BRIEF, ENTITIES, SPEAKERS)
_FOLLOWS_ENTITIES = (ENTITIES, SPEAKERS)
_SUMMARY = "claim summaries"
# What a run that adds reports may keep for a large story; entities and speakers are cheap
# and always rebuilt.
_DEFERRABLE = (CLAIMS, TIMELINE, BRIEF)


@dataclass(frozen=True)
class Deferral:
    """A story of at least `min_reports` keeps its claims, timeline and briefing through a
    run that only adds reports to it, until it has grown by `growth` since they were built.
    """

    min_reports: int = 40
    growth: float = 0.25


@cache
def _adapter(kind: str) -> Any:
    """pydantic's TypeAdapter round-trips the frozen dataclasses through JSON exactly (tuples
    included); pickle would execute code from a store someone handed over. Built on first
    use: pydantic and the adapters take a tenth of a second a listing should not spend.
    As a summary (`_SUMMARY`), a claim's row is read without the fields a summary lacks."""
    from pydantic import TypeAdapter

    types: dict[str, Any] = {
        CLAIMS: Claim,
        TIMELINE: TimelineEntry,
        BRIEF: Briefing,
        ENTITIES: Entity,
        SPEAKERS: tuple[int, list[Quote]],
        _SUMMARY: ClaimSummary,
    }
    return TypeAdapter(types[kind])


Progress = Callable[[str, int, int], None]


class Reader:
    """What is kept for a story, while current; else built here once per version (the
    briefing reusing the claims and timeline) and not stored, since readers don't write."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._built: dict[tuple[str, str, str], list[Any]] = {}
        self._versions: dict[tuple[object, str], dict[str, str]] = {}

    def get(
        self, story: Story, kind: str, limit: int | None = None, best: int | None = None
    ) -> list[Any]:
        """The kind's items (the briefing is one), the first `limit` when given; with
        `best`, the `best` heaviest (timeline: most sources), still in order."""
        version = self.versions(story)[kind]
        if _kept_version(self.store, story.id, kind) == version:
            items = _kept_items(self.store, story.id, kind, limit, best)
            if items is not None:
                return items
        return best_of(kind, self.build(story.id, version, kind), best)[:limit]

    def claim_summaries(self, story: Story, limit: int | None = None) -> list[ClaimSummary]:
        """The claims without their statements: read from the kept claims without
        building a citation object per statement (most of a large claim's weight)."""
        version = self.versions(story)[CLAIMS]
        if _kept_version(self.store, story.id, CLAIMS) == version:
            items = _kept_items(self.store, story.id, CLAIMS, limit, adapter=_adapter(_SUMMARY))
            if items is not None:
                return items
        return [ClaimSummary.of(c) for c in self.build(story.id, version, CLAIMS)[:limit]]

    def count(self, story: Story, kind: str) -> int:
        version = self.versions(story)[kind]
        rows = self.store.query(
            "SELECT items FROM story_syntheses WHERE story_id = ? AND kind = ? AND version = ?",
            (story.id, kind, version),
        )
        return int(rows[0][0]) if rows else len(self.build(story.id, version, kind))

    def versions(self, story: Story) -> dict[str, str]:
        """Each kind's current version; remembered until the store next changes."""
        key = (store_state(self.store), story.id)
        if key not in self._versions:
            self._versions[key] = _versions(self.store, story)
        return self._versions[key]

    def build(self, story_id: str, version: str, kind: str) -> list[Any]:
        key = (story_id, version, kind)
        if key not in self._built:
            self._built[key] = _BUILDERS[kind](self, story_id)
        return self._built[key]


def kept(store: Store, story: Story, kind: str) -> list[Any] | None:
    """The kept items of `kind` for `story` while current, else None."""
    if _kept_version(store, story.id, kind) != _versions(store, story)[kind]:
        return None
    return _kept_items(store, story.id, kind, None)


def refresh(
    store: Store, progress: Progress | None = None, defer: Deferral | None = None
) -> list[str]:
    """Rebuild and store what changed for every story; drop what was kept for stories that
    no longer exist. Returns the ids of the stories whose claims were rebuilt. With
    `defer` (a run that added reports), a large story that only grew a little keeps its
    claims, timeline and briefing (`Deferral`).

    Each story is built outside any transaction and written in one short one, so a killed
    refresh keeps the stories it finished and readers are never blocked for long.
    """
    from ..cluster import list_stories

    stories = list_stories(store)
    kept: dict[tuple[str, str], str] = {
        (row["story_id"], row["kind"]): row["version"]
        for row in store.query("SELECT story_id, kind, version FROM story_syntheses")
    }
    bases = _bases(store)
    work = []
    with stage("syntheses: versions"):
        for story in stories:
            versions, articles = _versions_and_articles(store, story)
            stale = {k: v for k, v in versions.items() if kept.get((story.id, k)) != v}
            if defer is None and bases.get(story.id, articles) != articles:
                stale |= {k: versions[k] for k in _DEFERRABLE}  # kept through additions
            if defer is not None and _may_keep(defer, story.id, stale, kept, bases, articles):
                _keep(store, story.id, {k: v for k, v in stale.items() if k in _DEFERRABLE})
                stale = {k: v for k, v in stale.items() if k not in _DEFERRABLE}
            if stale:
                work.append((story, stale, articles))
    rebuilt = []
    for done, (story, stale, articles) in enumerate(work, start=1):
        reader = Reader(store)  # one per story: what it built is dropped once stored
        made = {}
        for kind, version in stale.items():
            with stage(f"syntheses: {kind}"):
                made[kind] = (version, reader.build(story.id, version, kind))
        base = articles if any(k in _DEFERRABLE for k in made) else None
        _save(store, story.id, made, base)
        if CLAIMS in stale:
            rebuilt.append(story.id)
        if progress is not None:
            progress("synthesise", done, len(work))
    gone = sorted(({story_id for story_id, _ in kept} | set(bases)) - {s.id for s in stories})
    if gone:
        with store.transaction() as db:
            db.executemany("DELETE FROM story_syntheses WHERE story_id = ?", [(g,) for g in gone])
            db.executemany("DELETE FROM synthesis_bases WHERE story_id = ?", [(g,) for g in gone])
    return rebuilt


def lag(store: Store, story: Story) -> tuple[int, int] | None:
    """(reports the kept claims, timeline and briefing were built from, reports in the
    story) when a run kept them through additions (`Deferral`); None when they are whole."""
    base = _bases(store, story.id).get(story.id)
    if base is None:
        return None
    versions, articles = _versions_and_articles(store, story)
    if _kept_version(store, story.id, CLAIMS) != versions[CLAIMS]:
        return None
    return (len(base), len(articles)) if len(base) < len(articles) else None


def _bases(store: Store, story_id: str | None = None) -> dict[str, list[str]]:
    sql = "SELECT story_id, articles FROM synthesis_bases"
    params: tuple[str, ...] = ()
    if story_id is not None:
        sql, params = sql + " WHERE story_id = ?", (story_id,)
    return {row["story_id"]: json.loads(row["articles"]) for row in store.query(sql, params)}


def _may_keep(
    defer: Deferral,
    story_id: str,
    stale: Mapping[str, str],
    kept: Mapping[tuple[str, str], str],
    bases: Mapping[str, list[str]],
    articles: list[str],
) -> bool:
    """Whether the story's kept claims, timeline and briefing may stand for its new version:
    all kept, built from at least `min_reports` reports that are all still in it, and the
    story grown by less than `growth` since."""
    base = bases.get(story_id)
    if base is None or not any(k in stale for k in _DEFERRABLE):
        return False
    if any((story_id, k) not in kept for k in _DEFERRABLE):
        return False
    return (
        len(base) >= defer.min_reports
        and len(articles) < len(base) * (1 + defer.growth)
        and set(base) <= set(articles)
    )


def _keep(store: Store, story_id: str, versions: Mapping[str, str]) -> None:
    """Let the kept items stand for the current versions (a deferred rebuild)."""
    with store.transaction() as db:
        db.executemany(
            "UPDATE story_syntheses SET version = ? WHERE story_id = ? AND kind = ?",
            [(version, story_id, kind) for kind, version in versions.items()],
        )


def _versions(store: Store, story: Story) -> dict[str, str]:
    return _versions_and_articles(store, story)[0]


def _versions_and_articles(store: Store, story: Story) -> tuple[dict[str, str], list[str]]:
    """Each kind's version, and the story's articles (sorted)."""
    from ..cluster import list_events

    events = sorted((e.id, e.title, sorted(e.articles)) for e in list_events(store, story.id))
    clustering = _hash([SCHEMA_VERSION, story.title, events])
    enriched = store.query("SELECT count(*) FROM stage_done WHERE stage = 'enrich'")[0][0]
    following = _hash([clustering, enriched])
    versions = {kind: following if kind in _FOLLOWS_ENTITIES else clustering for kind in KINDS}
    return versions, sorted({a for _, _, ids in events for a in ids})


def _hash(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()


def store_state(store: Store) -> tuple[int, int]:
    """Changes whenever this connection or another commits a write."""
    data_version = store.query("PRAGMA data_version")[0][0]
    return int(data_version), store.total_changes


def _kept_version(store: Store, story_id: str, kind: str) -> str | None:
    rows = store.query(
        "SELECT version FROM story_syntheses WHERE story_id = ? AND kind = ?", (story_id, kind)
    )
    return str(rows[0]["version"]) if rows else None


def _kept_items(
    store: Store,
    story_id: str,
    kind: str,
    limit: int | None,
    best: int | None = None,
    adapter: Any = None,
) -> list[Any] | None:
    where = "story_id = ? AND kind = ?"
    if best is None:
        sql = f"SELECT payload FROM synthesis_items WHERE {where} ORDER BY position LIMIT ?"
        params: tuple[object, ...] = (story_id, kind, -1 if limit is None else limit)
    else:
        chosen = f"SELECT position, payload FROM synthesis_items WHERE {where}"
        chosen += " ORDER BY weight DESC, position LIMIT ?"
        sql = f"SELECT payload FROM ({chosen}) ORDER BY position LIMIT ?"
        params = (story_id, kind, best, -1 if limit is None else limit)
    from pydantic import ValidationError

    try:
        decode = (adapter or _adapter(kind)).validate_json
        return [decode(row["payload"]) for row in store.query(sql, params)]
    except ValidationError:
        return None  # written by other code; the caller builds it afresh


def best_of(kind: str, items: Sequence[Any], best: int | None) -> list[Any]:
    """The `best` heaviest items (all when None), in their order; ties go to the earlier."""
    from .timeline import best_supported

    if best is None or kind != TIMELINE:
        return list(items)[:best]
    return best_supported(items, best)


def _weight(kind: str, item: Any) -> int:
    """How much an item weighs when a reader wants the best few (SQL's side of best_of):
    a timeline entry, its number of sources."""
    return len(item.sources) if kind == TIMELINE else 0


def _build_claims(reader: Reader, story_id: str) -> list[Any]:
    from ..cluster import list_stories
    from .claims import build_claims

    # Claims merge what the timeline merges: the story's current timeline, built once for
    # both (Reader.build remembers it).
    story = next(s for s in list_stories(reader.store) if s.id == story_id)
    timeline = reader.build(story_id, reader.versions(story)[TIMELINE], TIMELINE)
    return list(build_claims(reader.store, story_id, timeline=timeline))


def _build_timeline(reader: Reader, story_id: str) -> list[Any]:
    from .timeline import build_timeline

    return list(build_timeline(reader.store, story_id))


def _build_brief(reader: Reader, story_id: str) -> list[Any]:
    from ..cluster import list_stories
    from .brief import brief

    story = next(s for s in list_stories(reader.store) if s.id == story_id)
    claims = reader.get(story, CLAIMS)
    timeline = reader.get(story, TIMELINE)
    return [brief(reader.store, story_id, claims=claims, timeline=timeline)]


def _build_entities(reader: Reader, story_id: str) -> list[Any]:
    from ..cluster import story_articles
    from ..enrich.entities import list_entities

    return list_entities(reader.store, story_articles(reader.store, story_id))


def _build_speakers(reader: Reader, story_id: str) -> list[Any]:
    from ..cluster import story_articles
    from ..enrich.quotes import quotes_by_speaker

    articles = story_articles(reader.store, story_id)
    return quotes_by_speaker(reader.store, articles, None, QUOTES_KEPT)


_BUILDERS: dict[str, Callable[[Reader, str], list[Any]]] = {
    CLAIMS: _build_claims,
    TIMELINE: _build_timeline,
    BRIEF: _build_brief,
    ENTITIES: _build_entities,
    SPEAKERS: _build_speakers,
}


def _save(
    store: Store,
    story_id: str,
    made: Mapping[str, tuple[str, Sequence[Any]]],
    base: list[str] | None = None,
) -> None:
    """Store what was built; `base`, the articles the claims, timeline and briefing were
    built from (when they were)."""
    rows = [
        (story_id, kind, position, _weight(kind, item), _adapter(kind).dump_json(item).decode())
        for kind, (_, items) in made.items()
        for position, item in enumerate(items)
    ]
    with store.transaction() as db:
        for kind, (version, items) in made.items():
            db.execute(
                "DELETE FROM synthesis_items WHERE story_id = ? AND kind = ?", (story_id, kind)
            )
            db.execute(
                "INSERT OR REPLACE INTO story_syntheses (story_id, kind, version, items)"
                " VALUES (?, ?, ?, ?)",
                (story_id, kind, version, len(items)),
            )
        db.executemany(
            "INSERT INTO synthesis_items (story_id, kind, position, weight, payload)"
            " VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        if base is not None:
            db.execute(
                "INSERT OR REPLACE INTO synthesis_bases (story_id, articles) VALUES (?, ?)",
                (story_id, json.dumps(base)),
            )
