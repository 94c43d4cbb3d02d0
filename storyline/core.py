"""The library's front door: `Storyline`, one store plus the flow that fills it.

The CLI, the REST API and tests all go through this class; they hold no logic of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import cluster, dedup, synthesise, timing
from .cluster import story_articles
from .cluster.listing import resolve
from .errors import NotFoundError, RejectedInput, UsageError
from .models import (
    Article,
    Briefing,
    Change,
    Claim,
    ClaimSummary,
    Entity,
    EntityProfile,
    IngestReport,
    Quote,
    RawDocument,
    Rejection,
    RelatedStory,
    SearchFilters,
    SearchHit,
    SearchResults,
    TimeExpression,
)
from .settings import Settings
from .store import Store
from .synthesise import stored
from .synthesise.datewise import summary_timeline
from .synthesise.timeline import TimelineEntry, build_timeline

if TYPE_CHECKING:
    from .pipeline import Progress

# Reading, cleaning and analysing import their libraries (trafilatura, spaCy, scipy,
# datasketch, the encoder) and the enrich annotators their rules when first called, in the methods below: a command that only
# reads the store answers without paying for them.


class Storyline:
    """A storyline database. `Storyline(settings)` opens (and if need be creates) the store;
    with `create=False`, a store that does not exist is a UsageError (a reader's typo must
    not leave an empty store behind)."""

    def __init__(self, settings: Settings | None = None, create: bool = True) -> None:
        self.settings = settings or Settings()
        path = Path(self.settings.db_path)
        if not create and str(path) != ":memory:" and not path.exists():
            raise UsageError(
                f"there is no store at {path}; name one with --db (or $STORYLINE_DB),"
                " or make one with `storyline ingest PATH`"
            )
        self.store = Store(self.settings.db_path)
        self._syntheses = stored.Reader(self.store)
        self._stories_seen: tuple[object, dict[str, cluster.Story]] = (None, {})

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Storyline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest -----------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        published: str | None = None,
        outlet: str | None = None,
        on_document: Callable[[], None] | None = None,
        on_stage: Progress | None = None,
        analyse: bool = True,
    ) -> IngestReport:
        """Read, clean and store every document under `paths`, then analyse what is new.

        `published` and `outlet` fill in what inputs lack. Bad documents become rejections
        (kept in the store too); the run goes on. Articles are committed in batches.
        With `analyse=False` the analysis stages wait for the next `analyse()` call.
        """
        from .ingest import parse_user_date, read_inputs

        defaults = {"published": parse_user_date(published), "outlet": outlet}
        documents = read_inputs(paths, self.settings)
        return self.ingest_documents(documents, defaults, on_document, on_stage, analyse)

    def ingest_documents(
        self,
        documents: Iterable[RawDocument | Rejection],
        defaults: dict[str, str | None] | None = None,
        on_document: Callable[[], None] | None = None,
        on_stage: Progress | None = None,
        analyse: bool = True,
    ) -> IngestReport:
        """Like ingest(), for documents already read (the REST API's uploads)."""
        added: list[str] = []
        skipped: list[str] = []
        revisions: list[str] = []
        rejected: list[Rejection] = []
        batch: list[Article | Rejection] = []
        for item in timing.timed("read", documents):
            if on_document is not None:
                on_document()
            outcome = item if isinstance(item, Rejection) else self._prepare(item, defaults or {})
            if isinstance(outcome, Rejection):
                rejected.append(outcome)
                batch.append(outcome)
            elif self.store.has_article(outcome.id) or any(
                isinstance(b, Article) and b.id == outcome.id for b in batch
            ):
                skipped.append(outcome.id)
            else:
                batch.append(outcome)
            if len(batch) >= self.settings.batch_size:
                self._commit(batch, added, revisions)
                batch = []
        self._commit(batch, added, revisions)
        if analyse:
            self.analyse(on_stage)
        return IngestReport(tuple(added), tuple(skipped), tuple(rejected), tuple(revisions))

    def _prepare(self, raw: RawDocument, defaults: dict[str, str | None]) -> Article | Rejection:
        from .extract import build_article

        fills = {k: v for k, v in defaults.items() if v and not getattr(raw, k)}
        try:
            with timing.stage("clean"):
                return build_article(replace(raw, **fills), self.settings)
        except RejectedInput as exc:
            return Rejection(raw.source, exc.reason)

    def _commit(
        self, batch: list[Article | Rejection], added: list[str], revisions: list[str]
    ) -> None:
        from .extract import text_fingerprint

        if not batch:
            return
        with timing.stage("store"), self.store.transaction():
            for item in batch:
                if isinstance(item, Rejection):
                    self.store.add_rejection(item)
                    continue
                previous = self.store.latest_revision(item.url, item.source)
                if previous is not None:
                    item = replace(item, revision_of=previous)
                    revisions.append(item.id)
                self.store.add_article(item, text_fingerprint(item.text))
                added.append(item.id)

    def analyse(self, on_stage: Progress | None = None) -> dict[str, int]:
        """Run the analysis stages on whatever they have not processed (resumes a killed run)."""
        from .pipeline import analyse

        return analyse(self.store, self.settings, on_stage)

    # -- reading ----------------------------------------------------------------------------

    def articles(self, text_head: int | None = None) -> list[Article]:
        """Every article in arrival order; with `text_head`, texts cut to that many characters."""
        return self.store.articles(text_head=text_head)

    def article(self, article_id: str) -> Article:
        return self.store.article(article_id)

    def rejections(self) -> list[Rejection]:
        return self.store.rejections()

    def search(
        self,
        query: str,
        limit: int = 50,
        offset: int = 0,
        *,
        since: str | None = None,
        until: str | None = None,
        outlet: str | None = None,
        entity: str | None = None,
        story: str | None = None,
    ) -> SearchResults:
        """Reports matching a full-text query (words, stemmed: "sanction" finds "sanctions";
        or FTS5 syntax), best match first, each with the passage that matched; narrowed to
        a publication date range (inclusive, YYYY-MM-DD), an outlet, an entity (id or name)
        or a story (id or prefix)."""
        from .ingest import parse_user_date
        from .store.search import search

        filters = SearchFilters(
            since=parse_user_date(since),
            until=parse_user_date(until),
            outlet=outlet,
            entity=self._entity_id(entity) if entity else None,
            articles=tuple(story_articles(self.store, story)) if story else None,
        )
        found, total = search(self.store, query, filters, limit, offset)
        articles = {a.id: a for a in self.store.articles([i for i, _ in found])}
        hits = tuple(
            SearchHit(articles[i], text, marks) for i, (text, marks) in found if i in articles
        )
        return SearchResults(hits, total)

    def _entity_id(self, entity: str) -> str:
        """An entity by id, else by its name or a name it is written as (the most mentioned)."""
        by_name = (
            "SELECT id FROM entities WHERE id = ?1"
            " UNION ALL SELECT id FROM (SELECT id FROM entities WHERE name = ?1 COLLATE NOCASE"
            " ORDER BY id LIMIT 1)"
            " UNION ALL SELECT entity_id FROM (SELECT entity_id FROM entity_forms"
            " WHERE text = ?1 COLLATE NOCASE GROUP BY entity_id ORDER BY sum(n) DESC, entity_id"
            " LIMIT 1)"
        )
        rows = self.store.query(by_name, (entity,))
        if not rows:
            raise NotFoundError(f"no entity {entity!r}; `storyline entities` lists them")
        return str(rows[0][0])

    def duplicates(self) -> list[dedup.Duplicate]:
        """Copies and rewrites: each with its kind, score, original and the rule that chose it."""
        return dedup.duplicates(self.store)

    def alignment(self, article_id: str) -> list[dict[str, object]]:
        """The aligned sentence pairs (with texts) of every relation where the article copies."""
        return dedup.alignment(self.store, article_id)

    def independent_groups(self, article_ids: list[str]) -> list[list[str]]:
        """Articles grouped so copies and rewrites of one another count once."""
        return dedup.independent_groups(self.store, article_ids)

    def entities(self, story: str | None = None, article: str | None = None) -> list[Entity]:
        """Canonical entities (of one story's articles, or one article's), most mentioned
        there first."""
        from .enrich.entities import list_entities

        return list_entities(self.store, self._scope(story, article))

    def entity_profile(self, entity_id: str) -> EntityProfile:
        """One entity (by id) with its stories, its quotes and the reports naming it by day."""
        from .enrich.entities import list_entities
        from .enrich.quotes import list_quotes

        rows = self.store.query(
            "SELECT DISTINCT article_id FROM mentions WHERE entity_id = ?", (entity_id,)
        )
        articles = [r[0] for r in rows]
        found = [e for e in list_entities(self.store, articles) if e.id == entity_id]
        if not found:
            raise NotFoundError(f"no entity {entity_id}; `storyline entities` lists them")
        entity = found[0]
        named = set(entity.articles)
        stories = sorted(
            (
                (s.id, s.title, len(named & set(s.articles)))
                for s in self.stories()
                if named & set(s.articles)
            ),
            key=lambda row: (-row[2], row[0]),
        )
        days: dict[str, list[str]] = {}
        for article in self.store.articles(entity.articles, text_head=0):
            day = (article.published or article.published_before or "undated")[:10]
            days.setdefault(day, []).append(article.id)
        quotes = [q for q in list_quotes(self.store, entity.articles) if q.entity == entity_id]
        return EntityProfile(entity, tuple(stories), tuple(quotes), _by_day(days))

    def top_entities(self, story: str, most: int) -> tuple[list[Entity], int]:
        """A story's `most` most mentioned entities, and how many it mentions in all."""
        found = self._story(story)
        entities = self._syntheses.get(found, stored.ENTITIES, most)
        return entities, self._syntheses.count(found, stored.ENTITIES)

    def quotes_by_speaker(self, story: str, most: int, each: int) -> list[tuple[int, list[Quote]]]:
        """A story's `most` most quoted speakers: how often each is quoted, and their first
        `each` quotes (at most stored.QUOTES_KEPT)."""
        groups = self._syntheses.get(self._story(story), stored.SPEAKERS, most)
        return [(count, list(quotes[:each])) for count, quotes in groups]

    def quotes(self, story: str | None = None, article: str | None = None) -> list[Quote]:
        """Quotes and reported speech (of one story's articles, or one article's), with
        resolved speakers."""
        from .enrich.quotes import list_quotes

        return list_quotes(self.store, self._scope(story, article))

    def _scope(self, story: str | None, article: str | None) -> list[str] | None:
        if article is not None:
            return [self.store.article(article).id]
        return story_articles(self.store, story) if story else None

    def dates(self, article: str | None = None) -> list[TimeExpression]:
        """Time expressions (of one article), normalised against publication dates."""
        from .enrich.dates import time_expressions

        return time_expressions(self.store, article)

    def timeline(self, story: str | None = None, best: int | None = None) -> list[TimelineEntry]:
        """Dated happenings (of one story), merged across the reports that state them; with
        `best`, only that many, those most reports state (then the earliest)."""
        if story is None:
            return stored.best_of(stored.TIMELINE, build_timeline(self.store), best)
        return self._syntheses.get(self._story(story), stored.TIMELINE, best=best)

    def timeline_count(self, story: str | None = None) -> int:
        """How many entries the timeline (of one story) has."""
        if story is None:
            return len(self.timeline())
        return self._syntheses.count(self._story(story), stored.TIMELINE)

    def timeline_summary(
        self, story: str | None = None, dates: int = 10, per_date: int = 1
    ) -> list[TimelineEntry]:
        """The `dates` most reported days (of one story), `per_date` sentences each."""
        if dates < 1 or per_date < 1:
            raise UsageError("--dates and --per-date take a whole number of 1 or more")
        ids = story_articles(self.store, story) if story else self.store.article_ids()
        return summary_timeline(self.store, ids, dates, per_date)

    def events(self, story: str | None = None) -> list[cluster.Event]:
        """Events (of one story), in the order their first reports arrived."""
        return cluster.list_events(self.store, story)

    def stories(self) -> list[cluster.Story]:
        """Stories, each with its events and articles."""
        return cluster.list_stories(self.store)

    def related_stories(self, story: str) -> list[RelatedStory]:
        """Stories kept apart from this one that some reports are about as well (a Syria
        report that sets the Libyan war beside it), with those reports."""
        return cluster.related_stories(self.store, story)

    def merge(self, keep: str, other: str) -> str:
        """Merge two events (or two stories) into the first; returns the kept id."""
        return cluster.merge(self.store, keep, other)

    def split(self, event: str, articles: list[str]) -> str:
        """Split articles off an event into a new event; returns the new event's id."""
        return cluster.split(self.store, event, articles)

    def move(self, item: str, target: str) -> str:
        """Move an article into an event, or an event into a story; returns the target id."""
        return cluster.move(self.store, item, target)

    def corrections(self) -> list[dict[str, object]]:
        """The analysts' merge/split/move corrections, oldest first."""
        # Imported by name: `cluster.corrections` is also the module that defines it.
        from .cluster.corrections import corrections

        return corrections(self.store)

    def claims(self, story: str | None = None, limit: int | None = None) -> list[Claim]:
        """Claims (of one story): statements grouped by meaning, best supported first;
        the first `limit` of them when given (a story's are read without the rest)."""
        if story is None:
            return synthesise.build_claims(self.store)[:limit]
        return self._syntheses.get(self._story(story), stored.CLAIMS, limit)

    def claim_summaries(self, story: str, limit: int | None = None) -> list[ClaimSummary]:
        """A story's claims without their statements, best supported first (for listings:
        far lighter to read than whole claims on a large story)."""
        return self._syntheses.claim_summaries(self._story(story), limit)

    def claim_count(self, story: str | None = None) -> int:
        """How many claims (of one story)."""
        if story is None:
            return len(self.claims())
        return self._syntheses.count(self._story(story), stored.CLAIMS)

    def positions(self, story: str | None = None) -> dict[str, list[Claim]]:
        """Each actor's claims, side by side."""
        return synthesise.positions(self.claims(story))

    def changes(self, story: str | None, since: str) -> list[Change]:
        """What is new in a story since a date (YYYY-MM-DD)."""
        return synthesise.changes(self.store, story, since)

    def brief(self, story: str | None = None) -> Briefing:
        """The extractive briefing of one story; every sentence cites its reports. A
        briefing never mixes stories: without `story`, it is of the largest
        (`largest_story`)."""
        if story is None:
            largest = self.largest_story()
            if largest is None:
                return synthesise.brief(self.store)  # nothing clustered yet: empty
            story = largest.id
        briefing: Briefing = self._syntheses.get(self._story(story), stored.BRIEF)[0]
        return briefing

    def largest_story(self) -> cluster.Story | None:
        """The story with the most reports (ties: the first listed), None when there is none."""
        stories = self.stories()
        return max(stories, key=lambda s: len(s.articles)) if stories else None

    def refresh(self, on_stage: Progress | None = None) -> list[str]:
        """Rebuild the kept claims, timeline and briefing of every story whose content
        changed since they were built (after corrections); returns those story ids.
        `analyse()` does this too."""
        return stored.refresh(self.store, on_stage)

    def synthesis_lag(self, story: str) -> tuple[int, int] | None:
        """(reports its kept claims, timeline and briefing were built from, reports in the
        story) when a run that added a few reports to a large story kept them (see
        synthesise/stored.py); None when they cover the whole story. `refresh` or an
        `analyse` with nothing new brings them up to date."""
        return stored.lag(self.store, self._story(story))

    def _story(self, story: str) -> cluster.Story:
        """One story by id or unique id prefix."""
        full = resolve(self.store, "stories", story)
        state = stored.store_state(self.store)
        if self._stories_seen[0] != state:  # listing stories reads every event: do it once
            self._stories_seen = (state, {s.id: s for s in cluster.list_stories(self.store)})
        return self._stories_seen[1][full]


def _by_day(days: dict[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Days in order, the undated last."""
    order = sorted(days, key=lambda d: (d == "undated", d))
    return tuple((day, tuple(days[day])) for day in order)
