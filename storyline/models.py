"""The domain objects, all frozen: what flows between the stages and what the store returns.

Offsets (`start`, `end`) always index into `Article.text`, the cleaned body: every later
stage cites (article id, offset) pairs against it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawDocument:
    """One report as a reader found it, before cleaning.

    Exactly one of `text` or `html` is set. Metadata is whatever the input carried;
    unknowns are None.
    """

    source: str
    text: str | None = None
    html: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_before: str | None = None
    url: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Rejection:
    """An input (file, record, entry, page) that could not become an article, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class Span:
    """A stretch of an article body: a sentence or a heading."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Dateline:
    """The place and outlet a report opens with ("ISTANBUL (AP) —")."""

    place: str | None
    outlet: str | None
    length: int


@dataclass(frozen=True)
class CleanText:
    """The body of a report after boilerplate removal, with its structure."""

    text: str
    title: str | None
    dateline: Dateline | None
    sentences: tuple[Span, ...]
    headings: tuple[Span, ...]
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """A stored report."""

    id: str
    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    place: str | None = None
    published: str | None = None
    published_before: str | None = None
    url: str | None = None
    author: str | None = None
    revision_of: str | None = None
    sentences: tuple[Span, ...] = ()
    headings: tuple[Span, ...] = ()

    @property
    def words(self) -> int:
        return len(self.text.split())

    def summary(self) -> dict[str, Any]:
        """The listing shape of the contract."""
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "outlet": self.outlet,
            "place": self.place,
            "published": self.published,
            "words": self.words,
        }

    def to_dict(self) -> dict[str, Any]:
        data = self.summary()
        data.update(
            {
                "url": self.url,
                "author": self.author,
                "published_before": self.published_before,
                "revision_of": self.revision_of,
                "text": self.text,
                "sentences": [asdict(s) for s in self.sentences],
                "headings": [asdict(h) for h in self.headings],
            }
        )
        return data


@dataclass(frozen=True)
class SearchFilters:
    """What a search is narrowed to. Dates are inclusive (YYYY-MM-DD) and leave out undated
    reports; `outlet` ignores case; `entity` is an entity id; `articles` a story's reports."""

    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    entity: str | None = None
    articles: tuple[str, ...] | None = None


@dataclass(frozen=True)
class SearchHit:
    """One matching report, with the passage that matched: `highlights` are the (start, end)
    offsets of the matched words in `snippet`."""

    article: Article
    snippet: str
    highlights: tuple[tuple[int, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return self.article.summary() | {
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
        }


@dataclass(frozen=True)
class SearchResults:
    """A page of hits, best first, and how many reports match in all."""

    hits: tuple[SearchHit, ...]
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "results": [h.to_dict() for h in self.hits]}


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did."""

    added: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    rejected: tuple[Rejection, ...] = ()
    revisions: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": len(self.added),
            "skipped": len(self.skipped),
            "rejected": [asdict(r) for r in self.rejected],
            "articles": list(self.added),
            "revisions": list(self.revisions),
        }


@dataclass(frozen=True)
class AlignedPair:
    """A sentence of a copy (index into its sentences) aligned to one of its original's."""

    article_sentence: int
    original_sentence: int
    score: float


@dataclass(frozen=True)
class Duplicate:
    """`article` copies or rewrites `of` (the original).

    kind: "exact" (same normalised text), "near" (most word 4-grams shared) or "rewrite"
    (most sentences align, meaning for meaning). rule: how the original was chosen:
    "published" (earlier publication date), "published_before" (earlier latest-possible
    date), or "stored_first" (no comparable dates: the one stored first).
    """

    article: str
    of: str
    kind: str
    score: float
    rule: str
    pairs: tuple[AlignedPair, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "of": self.of,
            "kind": self.kind,
            "score": self.score,
            "rule": self.rule,
            "pairs": len(self.pairs),
        }


@dataclass(frozen=True)
class Entity:
    """A canonical entity across the store: one person, country, organisation or system.

    `mentions` counts named mentions only; demonyms ("Turkish") link without counting.
    """

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    mentions: int = 0
    roles: tuple[tuple[str, str | None], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "articles": list(self.articles),
            "mentions": self.mentions,
            "roles": [{"role": role, "date": date} for role, date in self.roles],
        }


@dataclass(frozen=True)
class Quote:
    """A direct quote or a piece of reported speech, with who said it.

    `speaker` is the name or description as the article gives it (an unnamed source keeps
    its description); `entity` is the canonical entity of the speaker, or of the
    organisation an unnamed source belongs to; None when neither is known.
    """

    article: str
    start: int
    end: int
    text: str
    speaker: str | None
    entity: str | None
    direct: bool
    partial: bool
    cue: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "speaker": self.speaker,
            "entity": self.entity,
            "text": self.text,
            "direct": self.direct,
            "partial": self.partial,
            "cue": self.cue,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class EntityProfile:
    """Everything about one entity: the stories whose reports name it (id, title, how many
    of its reports), what it is quoted as saying, and the reports that name it by day
    (publication day; "undated" for reports without one)."""

    entity: Entity
    stories: tuple[tuple[str, str, int], ...]
    quotes: tuple[Quote, ...]
    by_day: tuple[tuple[str, tuple[str, ...]], ...]

    def to_dict(self) -> dict[str, Any]:
        return self.entity.to_dict() | {
            "stories": [{"id": i, "title": t, "reports": n} for i, t, n in self.stories],
            "quotes": [q.to_dict() for q in self.quotes],
            "by_day": [{"day": d, "articles": list(a)} for d, a in self.by_day],
        }


@dataclass(frozen=True)
class TimeExpression:
    """A time expression in a text, normalised against the publication date (issue 5).

    `kind`: date | time | duration | set | range. `value`: the calendar value when known
    (ISO 8601: "2025", "2025-03", "2025-03-25"; "2025-Q1", "2025-SU", "198" for a quarter,
    season, decade; "P2D" for a duration), else None and `resolved` is False. `timeml`:
    the TimeML normalisation (also "PAST_REF", "XXXX-WXX-2", ...). `direction`: the tense
    that placed it (past | future | present | None); `anchor`: what it was resolved
    against ("publication", "text" for an earlier date in the text, "none" if absolute).
    """

    text: str
    start: int
    end: int
    value: str | None
    precision: str | None
    resolved: bool
    kind: str
    timeml: str | None = None
    mod: str | None = None
    direction: str | None = None
    anchor: str | None = None
    article: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "text": self.text,
            "value": self.value,
            "precision": self.precision,
            "resolved": self.resolved,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "timeml": self.timeml,
            "mod": self.mod,
            "direction": self.direction,
            "anchor": self.anchor,
        }


@dataclass(frozen=True)
class Event:
    """Reports of one happening (issue 6). `start`/`end`: ISO days of its dated reports."""

    id: str
    story: str
    title: str
    start: str | None
    end: str | None
    articles: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "story": self.story,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "articles": list(self.articles),
        }


@dataclass(frozen=True)
class Story:
    """Events linked over weeks and months by shared entities and topic (issue 6)."""

    id: str
    title: str
    events: tuple[str, ...]
    articles: tuple[str, ...]
    start: str | None = None
    end: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "events": list(self.events),
            "articles": list(self.articles),
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class RelatedStory:
    """Another story that reports of this one are also about: the two are kept apart (their
    casts are distinct) and linked by the reports that name both (`reports`)."""

    id: str
    title: str
    reports: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "reports": list(self.reports)}


@dataclass(frozen=True)
class Figure:
    """A number a report gives: "$1.4 billion", "over 100" jets, "22 years".

    `quantity` is what it counts (lemma of its noun, or of the verb it depends on); `bound`
    is "more", "less", "least" or "approx" when the report hedges ("over 100").
    """

    text: str
    start: int
    end: int
    value: float
    unit: str | None
    quantity: str
    bound: str | None
    sentence_start: int
    sentence_end: int
    article: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "quantity": self.quantity,
            "bound": self.bound,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Citation:
    """A sentence of a report: (article id, offsets into its body)."""

    article: str
    start: int
    end: int


@dataclass(frozen=True)
class Claim:
    """Statements that say the same thing, with who holds them and how well supported.

    `holder`: the entity id of the speaker for attributed statements, None for the outlet's
    own voice; `independent`: sources once copies and rewrites count once; `conflicts`:
    ids of claims that give another value for the same quantity or contradict this one.
    """

    id: str
    text: str
    holder: str | None
    holder_name: str | None
    sources: tuple[str, ...]
    independent: int
    conflicts: tuple[str, ...]
    statements: tuple[Citation, ...]
    figures: tuple[Figure, ...] = ()
    first_published: str | None = None
    kind: str = "claim"  # "plan" when told ahead of its happening ("is set to meet")
    # (article, sentence start) of each source's first statement: where a citation opens.
    cited: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "holder": self.holder,
            "holder_name": self.holder_name,
            "sources": list(self.sources),
            "independent": self.independent,
            "conflicts": list(self.conflicts),
            "statements": [asdict(c) for c in self.statements],
            "figures": [f.to_dict() for f in self.figures],
            "first_published": self.first_published,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class ClaimSummary:
    """A claim without its statements and figures: what a listing of claims shows."""

    id: str
    text: str
    holder: str | None
    holder_name: str | None
    sources: tuple[str, ...]
    independent: int
    conflicts: tuple[str, ...]
    first_published: str | None = None
    kind: str = "claim"
    cited: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(cls, claim: Claim) -> ClaimSummary:
        return cls(
            claim.id,
            claim.text,
            claim.holder,
            claim.holder_name,
            claim.sources,
            claim.independent,
            claim.conflicts,
            claim.first_published,
            claim.kind,
            claim.cited,
        )


@dataclass(frozen=True)
class Change:
    """Something new in a story since a date: kind is event, claim, figure, actor or quote."""

    kind: str
    text: str
    sources: tuple[str, ...]
    date: str | None = None
    # None when a source's publication date gives `date`; else how its undated sources were
    # placed: "its event" (the event's dated reports) or "its text" (the latest day it names).
    placed_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "sources": list(self.sources),
            "date": self.date,
            "placed_by": self.placed_by,
        }


@dataclass(frozen=True)
class BriefSentence:
    text: str
    sources: tuple[str, ...]
    # (report, sentence start) per source: where each citation opens its report.
    cited: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class BriefSection:
    title: str
    sentences: tuple[BriefSentence, ...]


@dataclass(frozen=True)
class Briefing:
    """An extractive briefing: every sentence is taken from, and cites, its reports."""

    story: str | None
    title: str | None
    sections: tuple[BriefSection, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "story": self.story,
            "title": self.title,
            "sections": [
                {
                    "title": s.title,
                    "sentences": [
                        {"text": x.text, "sources": list(x.sources)} for x in s.sentences
                    ],
                }
                for s in self.sections
            ],
        }


@dataclass(frozen=True)
class TimelineEntry:
    """One dated happening, merged across the reports that state it (issue 7).

    `date`: ISO value at `precision` ("2019", "2025-09", "2025-03-25"); `sources`: every
    report that states it, first teller first; `sentences`: (article, start, end) citations;
    `undated`: sources that tell the same happening without giving its date.
    """

    id: str
    date: str
    precision: str
    text: str
    sources: tuple[str, ...]
    sentences: tuple[tuple[str, int, int], ...] = ()
    undated: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date,
            "precision": self.precision,
            "text": self.text,
            "sources": list(self.sources),
            "undated": list(self.undated),
            "sentences": [{"article": a, "start": s, "end": e} for a, s, e in self.sentences],
        }
