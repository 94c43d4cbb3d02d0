"""HTML pages, rendered server-side with Jinja2 (autoescape on: report text is untrusted).

`/` stories and search box, `/stories/{id}` the story page, `/articles/{id}` an article
with its marks and its copies side by side, `/search?q=` full-text search.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..core import Storyline
from ..errors import NotFoundError
from ..ingest import parse_user_date
from ..models import Article, Quote, TimelineEntry
from ..settings import MAX_OFFSET, MAX_QUERY_CHARS
from ..synthesise.brief import readable_date
from .api import Id, bounded, by_id, state_of
from .charts import PALETTE_SIZE, ChartEntry, coverage, timeline_chart
from .highlight import (
    cited_mark,
    date_marks,
    entity_marks,
    heading_marks,
    quote_marks,
    segments,
)

router = APIRouter(include_in_schema=False)
TEMPLATES = Path(__file__).parent / "templates"
ENTITIES_SHOWN = 40
SPEAKERS_SHOWN = 15
QUOTES_PER_SPEAKER = 4
CLAIMS_SHOWN = 60
SENTENCE_SHOWN = 320
# Keeps a 2,000-article story's page light (a few hundred KB, not megabytes): the best
# supported timeline entries, the first reports of a citation, the first reports and the
# first sentences of each briefing section and the first conflicts of a claim; the rest
# are a link away (paged JSON). A 147-article Timeline17 story's page: 4.9 MB before, 434 KB.
TIMELINE_SHOWN = 120
CITES_SHOWN = 5
REPORTS_SHOWN = 200
BRIEF_SHOWN = 12
# Characters of each report's text read for lists (its label when it has no outlet or title).
TEXT_HEAD = 400
CONFLICTS_SHOWN = 5
# Hits on the search page.
SEARCH_SHOWN = 100

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
# Dates as a reader says them: "2026-WI" is "winter 2025–2026", "198" "the 1980s".
environment.filters["readable"] = readable_date


def compile_templates() -> None:
    """Compile every template now, at start-up, rather than on each page's first view."""
    for name in environment.list_templates(extensions=["html"]):
        environment.get_template(name)


def page_html(name: str, **context: Any) -> str:
    return environment.get_template(name).render(query="", **context)


def render(name: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(page_html(name, **context))


def render_error(status: int, message: str) -> str:
    return environment.get_template("error.html").render(status=status, message=message)


def safe_link(url: str | None) -> str | None:
    """Only web links become <a href>: a `javascript:` URL in a report stays text."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


def label(article: Article) -> str:
    """How a report is named in lists: outlet, else title, else its first words."""
    if article.outlet:
        return article.outlet
    if article.title:
        return _shorten(article.title, 48)
    return _shorten(article.text, 48)


_CHIP = Markup('<a class="source" href="{}" title="{}">{}</a>')
_MORE = Markup('<span class="more">+{} more</span>')
_NUMBERED_CHIP = Markup('<a class="source" href="{}" title="{}">{}<sup>{}</sup></a>')


def citations(
    story_articles: Sequence[str], reports: dict[str, Article]
) -> Callable[[Iterable[str]], Markup]:
    """`cite(ids)`: the links to cited reports, each escaped once, when first cited (a large
    story cites thousands of times, but not every report). A report is named by its outlet
    (with its number in the story), else as "report N"."""
    numbers = {article_id: n for n, article_id in enumerate(story_articles, start=1)}
    chips: dict[tuple[str, int | None], Markup] = {}

    def chip(article_id: str, start: int | None = None) -> Markup:
        """The report's link; with `start`, opening it at (and marking) that sentence."""
        key = (article_id, start)
        if key not in chips:
            href = f"/articles/{article_id}" + ("" if start is None else f"?at={start}#cited")
            article, number = reports.get(article_id), numbers.get(article_id)
            if article is None or number is None:
                chips[key] = _CHIP.format(href, article_id, article_id[:8])
            elif article.outlet:
                chips[key] = _NUMBERED_CHIP.format(
                    href, label(article), _shorten(article.outlet, 28), number
                )
            else:
                chips[key] = _CHIP.format(href, label(article), f"report {number}")
        return chips[key]

    def cite(ids: Iterable[str], sentences: Iterable[Sequence[Any]] = ()) -> Markup:
        """The first CITES_SHOWN reports as links, then how many more. With `sentences`
        ((article, start, ...) citations), a report's link opens at its cited sentence."""
        every = list(ids)
        at: dict[str, int] = {}
        for article_id, start, *_ in sentences:
            at.setdefault(article_id, start)
        links = [chip(a, at.get(a)) for a in every[:CITES_SHOWN]]
        if len(every) > CITES_SHOWN:
            links.append(_MORE.format(len(every) - CITES_SHOWN))
        return Markup('<span class="sources">') + Markup("").join(links) + Markup("</span>")

    return cite


def _shorten(text: str, most: int) -> str:
    # Only the head is shown: collapsing a whole article's whitespace would be wasted work.
    head = " ".join(text[: most * 4].split())
    if len(head) <= most and len(text) <= most * 4:
        return head
    return head[: most - 1].rsplit(" ", 1)[0] + "…"


# -- pages --------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    with state_of(request).open() as storyline:
        stories = storyline.stories()
        reports = {a.id: a for a in storyline.articles(text_head=TEXT_HEAD)}
    from ..extract.sentences import headline  # at use: the extract package loads trafilatura

    rows = []
    for story in stories:
        mine = [reports[a] for a in story.articles if a in reports]
        # The newest report: by publication date (undated count as oldest), then arrival.
        order = {a.id: i for i, a in enumerate(mine)}
        latest = max(
            mine, key=lambda a: (a.published or a.published_before or "", order[a.id]), default=None
        )
        rows.append(
            {
                "story": story,
                "outlets": sorted({a.outlet for a in mine if a.outlet}),
                "latest": latest,
                "latest_line": headline(latest.title, latest.text) if latest else "",
            }
        )
    return render("index.html", stories=rows, articles=len(reports))


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
    since: Annotated[str, bounded()] = "",
    until: Annotated[str, bounded()] = "",
    outlet: Annotated[str, bounded()] = "",
    entity: Annotated[str, bounded()] = "",
    story: Annotated[str, bounded()] = "",
) -> HTMLResponse:
    """Hits with their matched words marked; the filters are the API's (blank: unused)."""
    filters = {"since": since, "until": until, "outlet": outlet, "entity": entity, "story": story}
    used = {k: v.strip() or None for k, v in filters.items()}
    results, total = [], 0
    from ..extract.sentences import headline  # at use: the extract package loads trafilatura

    if q.strip():
        with state_of(request).open() as storyline:
            found = storyline.search(
                q.strip(),
                SEARCH_SHOWN,
                since=used["since"],
                until=used["until"],
                outlet=used["outlet"],
                entity=used["entity"],
                story=used["story"],
            )
        total = found.total
        results = [
            {
                "article": h.article,
                "title": headline(h.article.title, h.article.text),
                "passage": marked(h.snippet, h.highlights),
            }
            for h in found.hits
        ]
    page = environment.get_template("search.html").render(
        query=q, results=results, total=total, filters=filters
    )
    return HTMLResponse(page)


def marked(text: str, highlights: Sequence[tuple[int, int]]) -> Markup:
    """The passage, escaped, with each matched word in <mark>."""
    parts, cursor = [], 0
    for start, end in highlights:
        parts.append(escape(text[cursor:start]))
        parts.append(Markup("<mark>{}</mark>").format(text[start:end]))
        cursor = end
    parts.append(escape(text[cursor:]))
    return Markup("").join(parts)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(
    request: Request,
    story_id: Id,
    since: Annotated[str | None, bounded()] = None,
    claim: Annotated[
        str | None, Query(max_length=MAX_QUERY_CHARS, description="Only claims with these words.")
    ] = None,
) -> HTMLResponse:
    state = state_of(request)
    since = parse_user_date(since) if since else None
    claim = " ".join((claim or "").split()) or None
    with state.open() as storyline:

        def build() -> str:
            context = state.cached(
                ("story-page", story_id), lambda: story_context(storyline, story_id)
            )
            changes = storyline.changes(context["story"].id, since) if since else None
            if claim:
                context = context | filtered_claims(storyline, context["story"].id, claim)
            return page_html(
                "story.html", **context, since=since, changes=changes, claim_filter=claim
            )

        # The whole page is kept per store version: readers mostly reload the same stories.
        return HTMLResponse(state.cached(("story-html", story_id, since, claim), build))


def filtered_claims(storyline: Storyline, story_id: str, words: str) -> dict[str, Any]:
    """The story's claims whose text or holder has every one of `words` (any case), best
    supported first: what the page shows in place of the best supported few."""
    wanted = words.casefold().split()
    found = [
        c
        for c in storyline.claim_summaries(story_id)
        if all(w in f"{c.holder_name or ''} {c.text}".casefold() for w in wanted)
    ]
    shown = found[:CLAIMS_SHOWN]
    return {"claims": shown, "claim_ids": {c.id for c in shown}, "claims_matching": len(found)}


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request,
    article_id: Id,
    at: Annotated[
        int | None, Query(ge=0, le=MAX_OFFSET, description="Mark the sentence at this offset.")
    ] = None,
) -> HTMLResponse:
    state = state_of(request)
    with state.open() as storyline:
        return HTMLResponse(
            state.cached(
                ("article-html", article_id, at),
                lambda: page_html("article.html", **article_context(storyline, article_id, at)),
            )
        )


@router.get("/docs", response_class=HTMLResponse)
def docs_page() -> HTMLResponse:
    """The interactive API documentation, from local files."""
    return render("docs.html")


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: Id) -> HTMLResponse:
    """One entity: its names, the stories that name it, what it said, and when it was named."""
    with state_of(request).open() as storyline:
        profile = storyline.entity_profile(entity_id)
        named = {a for _, ids in profile.by_day for a in ids}
        quoted = {q.article for q in profile.quotes}
        reports = {a.id: a for a in storyline.store.articles(named | quoted, text_head=TEXT_HEAD)}
    order = [a for _, ids in profile.by_day for a in ids]
    return render(
        "entity.html",
        profile=profile,
        cite=citations(order, reports),
        busiest=max((len(ids) for _, ids in profile.by_day), default=1),
    )


# -- the story page -----------------------------------------------------------------------


def story_context(storyline: Storyline, story_id: str) -> dict[str, Any]:
    """Everything the story page shows except what is new (that depends on `since`). The
    syntheses are read as analysis kept them (synthesise/stored.py)."""
    story = by_id(storyline.stories(), story_id, lambda s: s.id, "story", "stories")
    events = storyline.events(story.id)
    reports = {a.id: a for a in storyline.store.articles(story.articles, text_head=TEXT_HEAD)}
    event_colour = {e.id: i % PALETTE_SIZE for i, e in enumerate(events)}
    event_of_article = {a: e for e in events for a in e.articles}
    entries = storyline.timeline(story.id, best=TIMELINE_SHOWN)

    def colour(entry: TimelineEntry) -> int:
        """An entry takes the colour of its first teller's event (grey when unknown)."""
        first = event_of_article.get(entry.sources[0]) if entry.sources else None
        return event_colour[first.id] if first else PALETTE_SIZE

    claims = storyline.claim_summaries(story.id, limit=CLAIMS_SHOWN)
    entities, entity_total = storyline.top_entities(story.id, ENTITIES_SHOWN)
    briefing = storyline.brief(story.id)
    return {
        "story": story,
        "events": events,
        "related": storyline.related_stories(story.id),
        "event_colour": event_colour,
        "event_of": event_of_article,
        "reports": reports,
        "labels": {a.id: label(a) for a in reports.values()},
        "cite": citations(story.articles, reports),
        "outlets": sorted({a.outlet for a in reports.values() if a.outlet}),
        "timeline": entries,
        "timeline_total": storyline.timeline_count(story.id),
        "sentence_of": cited_sentences(storyline, entries, reports),
        "timeline_colour": {e.id: colour(e) for e in entries},
        "chart": timeline_chart(
            [
                ChartEntry(
                    f"t-{e.id}",
                    e.date,
                    colour(e),
                    f"{readable_date(e.date)}: {_shorten(e.text, 90)}",
                )
                for e in entries
            ]
        ),
        "coverage": coverage(
            (a.outlet, a.published or a.published_before) for a in reports.values()
        ),
        "entities": entities,
        "entity_total": entity_total,
        "speakers": speakers(
            storyline.quotes_by_speaker(story.id, SPEAKERS_SHOWN, QUOTES_PER_SPEAKER)
        ),
        "claims": claims,
        "claim_total": storyline.claim_count(story.id),
        "claim_ids": {c.id for c in claims},
        "brief": briefing,
        "lag": storyline.synthesis_lag(story.id),
        "brief_shown": BRIEF_SHOWN,
        "reports_shown": REPORTS_SHOWN,
        "conflicts_shown": CONFLICTS_SHOWN,
    }


def cited_sentences(
    storyline: Storyline, entries: Sequence[TimelineEntry], reports: dict[str, Article]
) -> dict[str, str]:
    """Each entry's sentence as the first of the story's reports that tells it wrote it."""
    first = {
        entry.id: next((c for c in entry.sentences if c[0] in reports), None) for entry in entries
    }
    needed = {c[0] for c in first.values() if c is not None}
    texts = {a.id: a.text for a in storyline.store.articles(needed)}
    # Capped: a missed sentence boundary can make a "sentence" a whole article.
    return {
        entry_id: _shorten(texts[c[0]][c[1] : c[2]], SENTENCE_SHOWN) if c else ""
        for entry_id, c in first.items()
    }


def speakers(groups: Sequence[tuple[int, list[Quote]]]) -> list[dict[str, Any]]:
    """Each speaker's name (as their first quote resolves it), count and quotes shown."""
    return [
        {"name": quotes[0].speaker or "unknown speaker", "count": count, "quotes": quotes}
        for count, quotes in groups
    ]


# -- the article page ---------------------------------------------------------------------


def article_context(storyline: Storyline, article_id: str, at: int | None = None) -> dict[str, Any]:
    """The article page; with `at` (a citation's offset), its sentence is marked."""
    article = storyline.article(article_id)
    mine = storyline.entities(article=article.id)
    quotes = storyline.quotes(article=article.id)
    dates = storyline.dates(article.id)
    marks = [
        *entity_marks(article.text, mine),
        *quote_marks(quotes),
        *date_marks(dates),
        *heading_marks(article.headings),
        *cited_mark(article.sentences, at),
    ]
    stories = [s for s in storyline.stories() if article.id in s.articles]
    return {
        "article": article,
        "label": label(article),
        "link": safe_link(article.url),
        "segments": segments(article.text, marks),
        "entities": mine,
        "quotes": quotes,
        "dates": dates,
        "relations": relations(storyline, article.id),
        "stories": stories,
    }


def relations(storyline: Storyline, article_id: str) -> list[dict[str, Any]]:
    """Copies and rewrites this article takes part in, each with its aligned sentences,
    this article's sentence always on the left."""
    shown = []
    for duplicate in storyline.duplicates():
        if article_id not in (duplicate.article, duplicate.of):
            continue
        is_copy = duplicate.article == article_id
        other = storyline.article(duplicate.of if is_copy else duplicate.article)
        try:
            found = storyline.alignment(duplicate.article)
        except NotFoundError:
            found = []
        aligned: list[dict[str, Any]] = next(
            (list(r["aligned"]) for r in found if r.get("of") == duplicate.of),  # type: ignore[call-overload]
            [],
        )
        pairs = [
            {
                "mine": p["article_text"] if is_copy else p["original_text"],
                "theirs": p["original_text"] if is_copy else p["article_text"],
                "score": p["score"],
            }
            for p in aligned
        ]
        shown.append(
            {
                "other": other,
                "other_label": label(other),
                "is_copy": is_copy,
                "kind": duplicate.kind,
                "score": duplicate.score,
                "pairs": pairs,
            }
        )
    return shown
