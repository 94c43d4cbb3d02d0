"""The JSON the API answers with, as pydantic models: what `/openapi.json` documents.

Each model mirrors a `to_dict()` (or `summary()`) of storyline/models.py, or a dict built
in core.py, dedup, cluster or serve/jobs.py, field for field and in the same order, so the
served JSON is exactly what the library returns. A key is present even when its value is
null: fields are required, and nullable where the library may give None.

Every model lets unknown keys through (`extra="allow"`): the contract lets the library add
fields, and a field added there must reach clients before it is documented here, not be
dropped. tests/serve/test_openapi.py fails when a served key is not declared.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, RootModel


class Schema(BaseModel):
    """The base of every response model: keys not declared pass through unchanged."""

    model_config = ConfigDict(extra="allow")


# -- articles -----------------------------------------------------------------------------


class ArticleSummary(Schema):
    """An article as listings show it."""

    id: str
    source: str = Field(description="The path or URL it came from (`upload:NAME` for uploads).")
    title: str | None
    outlet: str | None
    place: str | None = Field(description="The dateline's place.")
    published: str | None = Field(description="Publication date, YYYY-MM-DD.")
    words: int = Field(description="Words in the cleaned body.")


class Span(Schema):
    """A sentence or heading: its text and its offsets into the article's `text`."""

    text: str
    start: int
    end: int


class Article(ArticleSummary):
    """One article, whole."""

    url: str | None
    author: str | None
    published_before: str | None = Field(
        description="Latest possible publication date, when only a bound is known."
    )
    revision_of: str | None = Field(
        description="The article this one revises (same URL or source, ingested earlier)."
    )
    text: str = Field(description="The body after boilerplate removal; offsets index into it.")
    sentences: list[Span]
    headings: list[Span]


class SearchHit(ArticleSummary):
    """A matching article with the passage that matched."""

    snippet: str = Field(description="The passage that matched.")
    highlights: list[tuple[int, int]] = Field(
        description="[start, end] offsets of the matched words in `snippet`."
    )


class Rejection(Schema):
    """An input that could not become an article."""

    source: str
    reason: str


class Duplicate(Schema):
    """`article` copies or rewrites `of`, the original."""

    article: str = Field(description="The copy.")
    of: str = Field(description="The original.")
    kind: str = Field(description="`exact`, `near` or `rewrite`.")
    score: float = Field(description="How much of the text is shared (0 to 1).")
    rule: str = Field(
        description="How the original was chosen: `published`, `published_before` or"
        " `stored_first`."
    )
    pairs: int = Field(description="Sentences aligned between the two.")


class AlignedSentence(Schema):
    """A sentence of the copy aligned to one of the original's."""

    article_sentence: int = Field(description="Index into the copy's sentences.")
    original_sentence: int = Field(description="Index into the original's sentences.")
    score: float
    article_text: str | None
    original_text: str | None


class Alignment(Duplicate):
    """A copy relation with its aligned sentences."""

    aligned: list[AlignedSentence]


# -- events and stories -------------------------------------------------------------------


class Event(Schema):
    """Reports of one happening."""

    id: str
    story: str = Field(description="The story it belongs to.")
    title: str
    start: str | None = Field(description="First day of its dated reports.")
    end: str | None = Field(description="Last day of its dated reports.")
    articles: list[str]


class Story(Schema):
    """Events linked over weeks and months."""

    id: str
    title: str
    events: list[str]
    articles: list[str]
    start: str | None
    end: str | None


class BuiltFrom(Schema):
    """How many of a story's reports its kept claims, timeline and briefing cover."""

    reports: int = Field(description="Reports they were built from.")
    of: int = Field(description="Reports in the story.")


class StoryDetail(Story):
    """One story."""

    syntheses_built_from: BuiltFrom | None = Field(
        description="Null when the kept claims, timeline and briefing cover every report."
    )


class RelatedStory(Schema):
    """A story kept apart from this one that some of its reports are about as well."""

    id: str
    title: str
    reports: list[str] = Field(description="The reports that name both.")


# -- entities, quotes, dates --------------------------------------------------------------


class Role(Schema):
    role: str
    date: str | None = Field(description="Publication date of the report that gives the role.")


class Entity(Schema):
    """A canonical entity: a person, country, organisation, ..."""

    id: str
    name: str
    type: str
    aliases: list[str]
    articles: list[str]
    mentions: int = Field(description="Named mentions (demonyms link without counting).")
    roles: list[Role]


class Quote(Schema):
    """A direct quote or reported speech."""

    article: str
    speaker: str | None = Field(description="The speaker as the article names or describes them.")
    entity: str | None = Field(description="The speaker's canonical entity id.")
    text: str
    direct: bool = Field(description="In quotation marks (else reported speech).")
    partial: bool = Field(description="A fragment quoted inside a sentence.")
    cue: str | None = Field(description="The speech verb (`said`, `told`).")
    start: int
    end: int


class EntityStory(Schema):
    id: str
    title: str
    reports: int = Field(description="The story's reports that name the entity.")


class EntityDay(Schema):
    day: str = Field(description="Publication day, YYYY-MM-DD, or `undated`.")
    articles: list[str]


class EntityProfile(Entity):
    """One entity with its stories, its quotes and the reports naming it by day."""

    stories: list[EntityStory]
    quotes: list[Quote]
    by_day: list[EntityDay]


class TimeExpression(Schema):
    """A time expression, normalised against the publication date."""

    article: str | None
    text: str
    value: str | None = Field(
        description="ISO 8601 value (`2025`, `2025-03`, `2025-03-25`, `P2D`); null if unresolved."
    )
    precision: str | None = Field(description="`day`, `month`, `year`, ...")
    resolved: bool
    kind: str = Field(description="`date`, `time`, `duration`, `set` or `range`.")
    start: int
    end: int
    timeml: str | None = Field(description="The TimeML normalisation.")
    mod: str | None = Field(description="TimeML modifier (`START`, `APPROX`, ...).")
    direction: str | None = Field(description="The tense that placed it: past, future, present.")
    anchor: str | None = Field(description="What it was resolved against.")


# -- synthesis ----------------------------------------------------------------------------


class Citation(Schema):
    """A sentence of a report: the article and offsets into its body."""

    article: str
    start: int
    end: int


class TimelineEntry(Schema):
    """One dated happening, merged across the reports that state it."""

    id: str
    date: str = Field(description="ISO value at `precision`.")
    precision: str
    text: str
    sources: list[str] = Field(description="Every report that states it, first teller first.")
    undated: list[str] = Field(description="Reports that tell it without giving its date.")
    sentences: list[Citation]


class Figure(Schema):
    """A number a report gives."""

    article: str | None
    text: str
    value: float
    unit: str | None
    quantity: str = Field(description="What it counts.")
    bound: str | None = Field(description="`more`, `less`, `least` or `approx` when hedged.")
    start: int
    end: int


class Claim(Schema):
    """Statements that say the same thing, with who holds them and how well supported."""

    id: str
    text: str
    holder: str | None = Field(description="Entity id of the speaker; null for an outlet's voice.")
    holder_name: str | None
    sources: list[str]
    independent: int = Field(description="Sources, copies and rewrites counted once.")
    conflicts: list[str] = Field(description="Ids of claims that contradict this one.")
    statements: list[Citation]
    figures: list[Figure]
    first_published: str | None
    kind: str = Field(description="`claim`, or `plan` when told ahead of its happening.")


class Positions(RootModel[dict[str, list[Claim]]]):
    """Each actor's claims, keyed by entity id, most supported actor first."""


class Change(Schema):
    """Something new in a story since a date."""

    kind: str = Field(description="`event`, `claim`, `figure`, `actor` or `quote`.")
    text: str
    sources: list[str]
    date: str | None
    placed_by: str | None = Field(
        description="How undated sources were placed (`its event`, `its text`), else null."
    )


class BriefSentence(Schema):
    text: str
    sources: list[str]


class BriefSection(Schema):
    title: str
    sentences: list[BriefSentence]


class Briefing(Schema):
    """An extractive briefing: every sentence is taken from, and cites, its reports."""

    story: str | None
    title: str | None
    sections: list[BriefSection]


# -- writes -------------------------------------------------------------------------------


class IngestReport(Schema):
    """What one ingest run did."""

    added: int
    skipped: int = Field(description="Articles already stored.")
    rejected: list[Rejection]
    articles: list[str] = Field(description="Ids of the articles added.")
    revisions: list[str] = Field(description="Added articles that revise a stored one.")


class Job(Schema):
    """An ingest job."""

    job: str
    status: str = Field(description="`queued`, `running`, `done` or `failed`.")
    url: str = Field(description="Where to poll it.")
    submitted: str
    finished: str | None
    report: IngestReport | None
    error: str | None


class Correction(Schema):
    """An analyst's merge, split or move."""

    kind: str
    target: str
    articles: list[str]
    at: str


class Merged(Schema):
    merged: str
    into: str


class Split(Schema):
    event: str = Field(description="The new event.")
    articles: list[str]


class Moved(Schema):
    moved: str
    to: str
