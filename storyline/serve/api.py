"""The JSON API: every listing of ../shared/CONTRACT.md, one object by id, search,
ingest and the analysts' corrections. Item fields are the CLI's `--json` fields; each
route's response model (schemas.py) documents them in /openapi.json and checks what is sent.

Listings take `?limit=&offset=` and report the full count in the `X-Total-Count` header.
Ids, names and queries are bounded (settings.py): a longer one is a 400 that says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import APIRouter, BackgroundTasks, Depends, Path, Query, Request, Response, Security
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..errors import NotFoundError, UsageError
from ..ingest import parse_user_date
from ..models import Article, RawDocument, Rejection
from ..settings import MAX_ID_CHARS, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS
from . import schemas
from .app import ServeState, TooLarge, media_type
from .uploads import documents_from_file, documents_from_json, read_limited, too_large_message


class ErrorBody(BaseModel):
    """Every error the API returns: one line that says what to do next."""

    error: str


def _error_doc(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


# The errors every route may answer with (app.py turns library errors into these codes), and
# those of the routes that write; the write token is declared as the bearer scheme.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error_doc(
        "A malformed parameter or body (a bad date, a limit out of range, an over-long id)"
    ),
    404: _error_doc("No object with that id, or no such route"),
    500: _error_doc("The server failed; its log says why"),
    503: _error_doc("Another process held the store too long; try again when it is done"),
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _error_doc("A write without the server's token: send `Authorization: Bearer <token>`"),
    403: _error_doc(
        "A write another site's page may have sent: its `Origin` (or `Referer`) is not this"
        " server's; or, on a server without a token, a body of a type HTML forms send"
        " (send JSON as `application/json`, or upload from this server's own pages)"
    ),
    408: _error_doc("A request body that took too long to arrive"),
    413: _error_doc("A body over the server's upload limit"),
}
WRITE_TOKEN = Security(HTTPBearer(auto_error=False, description="The server's write token"))


def guard_write(request: Request) -> None:
    state_of(request).check_write(request)


# Every write route's: the token (documented as the bearer scheme) and the same-origin check.
WRITE_GUARD = [WRITE_TOKEN, Depends(guard_write)]

router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)
T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most items returned.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items skipped first.")]
StoryId = Annotated[
    str | None,
    Query(max_length=MAX_ID_CHARS, description="Only this story (`/api/stories` lists them)."),
]
# An object's id in the path (or a unique prefix of one).
Id = Annotated[str, Path(max_length=MAX_ID_CHARS)]


def bounded(description: str | None = None) -> Any:
    """A free-text query parameter no longer than an id: a name, an outlet, a date."""
    return Query(max_length=MAX_ID_CHARS, description=description)


Rows = list[dict[str, Any]]


def state_of(request: Request) -> ServeState:
    state: ServeState = request.app.state.serve
    return state


def paged(
    items: Sequence[T],
    limit: int,
    offset: int,
    response: Response,
    row: Callable[[T], dict[str, Any]],
) -> Rows:
    """One page of `items` as JSON rows (only the page is converted, and validated against
    the route's response model); `X-Total-Count` says how many there are in all."""
    response.headers["X-Total-Count"] = str(len(items))
    return [row(item) for item in items[offset : offset + limit]]


class _Item(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def to_dict(item: _Item) -> dict[str, Any]:
    return item.to_dict()


def by_id(items: Sequence[T], wanted: str, ident: Callable[[T], str], what: str, listing: str) -> T:
    """The item whose id is `wanted` (or a unique prefix of at least 4 characters)."""
    exact = [i for i in items if ident(i) == wanted]
    if not exact and len(wanted) >= 4:
        exact = [i for i in items if ident(i).startswith(wanted)]
    if len(exact) != 1:
        raise NotFoundError(f"no {what} {wanted!r}; GET /api/{listing} lists the ids")
    return exact[0]


# -- articles -----------------------------------------------------------------------------


@router.get("/articles", summary="List articles", response_model=list[schemas.ArticleSummary])
def articles(request: Request, response: Response, limit: Limit = 100, offset: Offset = 0) -> Rows:
    with state_of(request).open() as storyline:
        return paged(storyline.articles(), limit, offset, response, Article.summary)


@router.get(
    "/articles/{article_id}",
    summary="One article, whole, with its sentences",
    response_model=schemas.Article,
)
def article(request: Request, article_id: Id) -> dict[str, Any]:
    with state_of(request).open() as storyline:
        return storyline.article(article_id).to_dict()


@router.get(
    "/articles/{article_id}/alignment",
    summary="A copy's aligned sentences",
    response_model=list[schemas.Alignment],
)
def alignment(request: Request, article_id: Id) -> Rows:
    with state_of(request).open() as storyline:
        return storyline.alignment(article_id)


@router.get(
    "/search",
    summary="Full-text search (words, stemmed; or SQLite FTS5 query syntax), best match first",
    response_model=list[schemas.SearchHit],
)
def search(
    request: Request,
    response: Response,
    q: Annotated[
        str,
        Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Words or an FTS5 query."),
    ],
    limit: Limit = 50,
    offset: Offset = 0,
    since: Annotated[str | None, bounded("Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, bounded("Published on or before (YYYY-MM-DD).")] = None,
    outlet: Annotated[str | None, bounded("Only this outlet's reports.")] = None,
    entity: Annotated[str | None, bounded("Reports naming this entity (id or name).")] = None,
    story: StoryId = None,
) -> Rows:
    """Each hit is the article's listing fields plus `snippet` (the passage that matched)
    and `highlights` ([start, end] offsets of the matched words in it). A query of no words
    finds nothing."""
    with state_of(request).open() as storyline:
        found = storyline.search(
            q, limit, offset, since=since, until=until, outlet=outlet, entity=entity, story=story
        )
    response.headers["X-Total-Count"] = str(found.total)
    return [hit.to_dict() for hit in found.hits]


@router.get(
    "/rejections",
    summary="Inputs that were rejected, with the reason",
    response_model=list[schemas.Rejection],
)
def rejections(
    request: Request, response: Response, limit: Limit = 100, offset: Offset = 0
) -> Rows:
    with state_of(request).open() as storyline:
        found = storyline.rejections()
    return paged(found, limit, offset, response, lambda r: {"source": r.source, "reason": r.reason})


@router.get(
    "/duplicates",
    summary="Copies and rewrites (`of` is the original)",
    response_model=list[schemas.Duplicate],
)
def duplicates(
    request: Request, response: Response, limit: Limit = 100, offset: Offset = 0
) -> Rows:
    with state_of(request).open() as storyline:
        return paged(storyline.duplicates(), limit, offset, response, to_dict)


# -- events and stories -------------------------------------------------------------------


@router.get("/events", summary="Articles grouped into events", response_model=list[schemas.Event])
def events(
    request: Request,
    response: Response,
    story: StoryId = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Rows:
    with state_of(request).open() as storyline:
        return paged(storyline.events(story), limit, offset, response, to_dict)


@router.get("/events/{event_id}", summary="One event", response_model=schemas.Event)
def event(request: Request, event_id: Id) -> dict[str, Any]:
    with state_of(request).open() as storyline:
        found = by_id(storyline.events(), event_id, lambda e: e.id, "event", "events")
    return found.to_dict()


@router.get(
    "/stories",
    summary="Events grouped into long-running stories",
    response_model=list[schemas.Story],
)
def stories(request: Request, response: Response, limit: Limit = 100, offset: Offset = 0) -> Rows:
    with state_of(request).open() as storyline:
        return paged(storyline.stories(), limit, offset, response, to_dict)


@router.get("/stories/{story_id}", summary="One story", response_model=schemas.StoryDetail)
def story(request: Request, story_id: Id) -> dict[str, Any]:
    with state_of(request).open() as storyline:
        found = by_id(storyline.stories(), story_id, lambda s: s.id, "story", "stories")
        lag = storyline.synthesis_lag(found.id)
    # The kept claims, timeline and briefing lack the newest reports of a large story until
    # the next analysis that adds none (synthesise/stored.py): say from how many they are.
    built_from = {"reports": lag[0], "of": lag[1]} if lag else None
    return found.to_dict() | {"syntheses_built_from": built_from}


@router.get(
    "/stories/{story_id}/related",
    summary="Stories kept apart that reports are also about",
    response_model=list[schemas.RelatedStory],
)
def related(request: Request, story_id: Id) -> Rows:
    with state_of(request).open() as storyline:
        return [r.to_dict() for r in storyline.related_stories(story_id)]


# -- entities, quotes, dates --------------------------------------------------------------


@router.get(
    "/entities",
    summary="Canonical entities, most mentioned first",
    response_model=list[schemas.Entity],
)
def entities(
    request: Request,
    response: Response,
    story: StoryId = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Rows:
    with state_of(request).open() as storyline:
        return paged(storyline.entities(story), limit, offset, response, to_dict)


@router.get(
    "/entities/{entity_id}",
    summary="One entity, with its stories, quotes and reports by day",
    response_model=schemas.EntityProfile,
)
def entity(request: Request, entity_id: Id) -> dict[str, Any]:
    with state_of(request).open() as storyline:
        return storyline.entity_profile(entity_id).to_dict()


@router.get(
    "/quotes",
    summary="Quotes and reported speech, with who said them",
    response_model=list[schemas.Quote],
)
def quotes(
    request: Request,
    response: Response,
    story: StoryId = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Rows:
    with state_of(request).open() as storyline:
        return paged(storyline.quotes(story), limit, offset, response, to_dict)


@router.get(
    "/dates",
    summary="Time expressions, normalised against publication dates",
    response_model=list[schemas.TimeExpression],
)
def dates(
    request: Request,
    response: Response,
    article: Annotated[str | None, bounded("Only this article's.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Rows:
    with state_of(request).open() as storyline:
        return paged(storyline.dates(article), limit, offset, response, to_dict)


# -- synthesis ----------------------------------------------------------------------------


@router.get(
    "/timeline",
    summary="Dated happenings, merged across reports",
    response_model=list[schemas.TimelineEntry],
)
def timeline(
    request: Request,
    response: Response,
    story: StoryId = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Rows:
    state = state_of(request)
    with state.open() as storyline:
        entries = state.cached(("timeline", story), lambda: storyline.timeline(story))
    return paged(entries, limit, offset, response, to_dict)


@router.get(
    "/claims",
    summary="Claims: who holds them, support, conflicts",
    response_model=list[schemas.Claim],
)
def claims(
    request: Request,
    response: Response,
    story: StoryId = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Rows:
    state = state_of(request)
    with state.open() as storyline:
        found = state.cached(("claims", story), lambda: storyline.claims(story))
    return paged(found, limit, offset, response, to_dict)


@router.get("/claims/{claim_id}", summary="One claim", response_model=schemas.Claim)
def claim(request: Request, claim_id: Id, story: StoryId = None) -> dict[str, Any]:
    state = state_of(request)
    with state.open() as storyline:
        found = state.cached(("claims", story), lambda: storyline.claims(story))
    return by_id(found, claim_id, lambda c: c.id, "claim", "claims").to_dict()


@router.get(
    "/positions",
    summary="Each actor's claims, keyed by entity id",
    response_model=schemas.Positions,
)
def positions(request: Request, story: StoryId = None) -> dict[str, Rows]:
    state = state_of(request)
    with state.open() as storyline:
        found = state.cached(("positions", story), lambda: storyline.positions(story))
    return {holder: [c.to_dict() for c in held] for holder, held in found.items()}


@router.get(
    "/changes",
    summary="What is new in a story since a date",
    response_model=list[schemas.Change],
)
def changes(
    request: Request,
    response: Response,
    since: Annotated[str, bounded("YYYY-MM-DD")],
    story: StoryId = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Rows:
    state = state_of(request)
    with state.open() as storyline:
        found = state.cached(("changes", story, since), lambda: storyline.changes(story, since))
    return paged(found, limit, offset, response, to_dict)


@router.get(
    "/brief",
    summary="The briefing; every sentence cites its reports",
    response_model=schemas.Briefing,
    responses={
        200: {
            "description": "The briefing: JSON, or Markdown or HTML with `format=md` or `html`",
            "content": {
                "text/markdown": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
            },
        }
    },
)
def brief(
    request: Request,
    story: StoryId = None,
    format: Annotated[str, bounded("json, md or html")] = "json",
) -> Response:
    from ..synthesise import to_html, to_markdown

    if format not in ("json", "md", "html"):
        raise UsageError(f"unknown format {format!r}; use json, md or html")
    state = state_of(request)
    with state.open() as storyline:
        briefing = state.cached(("brief", story), lambda: storyline.brief(story))
    if format == "md":
        return PlainTextResponse(to_markdown(briefing), media_type="text/markdown")
    if format == "html":
        return HTMLResponse(to_html(briefing))
    return JSONResponse(briefing.to_dict())


# -- writes -------------------------------------------------------------------------------

_INGEST_BODY = {
    "requestBody": {
        "description": "JSON articles, or one file in a multipart field named `file`"
        " (any format `storyline ingest` reads).",
        "content": {
            "application/json": {
                "schema": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            k: {"type": "string"}
                            for k in ("text", "html", "title", "outlet", "published", "url")
                        },
                    },
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


@router.post(
    "/ingest",
    summary="Add articles (JSON or an uploaded file), then analyse",
    openapi_extra=_INGEST_BODY,
    status_code=202,
    responses={
        202: {"model": schemas.Job, "description": "The job, queued; poll its `url`"},
        200: {"model": schemas.IngestReport, "description": "With `wait=true`: what it did"},
        **WRITE_ERRORS,
    },
    dependencies=WRITE_GUARD,
)
async def ingest(
    request: Request,
    published: Annotated[str | None, bounded("Date for articles that lack one.")] = None,
    outlet: Annotated[str | None, bounded("Outlet for articles that lack one.")] = None,
    wait: Annotated[
        bool, Query(description="Answer when the job is done, with its report, not at once.")
    ] = False,
) -> Response:
    """Answers at once (202) with the job to poll at `GET /api/jobs/ID`; jobs run one at a
    time, in arrival order. A body that cannot be read is refused here (400, 408, 413)."""
    state = state_of(request)
    defaults = {"published": parse_user_date(published), "outlet": outlet}
    body = await _limited_body(request, state.max_upload_bytes)
    kind = media_type(request)
    if kind == "multipart/form-data":
        data, filename = await _uploaded_file(request, body)
        job = state.jobs.submit(lambda: _ingest_file(state, data, filename, defaults))
    elif kind in ("application/json", ""):
        documents = documents_from_json(body)
        job = state.jobs.submit(lambda: _ingest_documents(state, documents, defaults))
    else:
        raise UsageError(
            f"cannot read a {kind} body; send JSON articles or a multipart file upload"
        )
    if not wait:
        return JSONResponse(
            job.to_dict(), status_code=202, headers={"Location": job.to_dict()["url"]}
        )
    done = await run_in_threadpool(state.jobs.wait, job.id)
    if done.error is not None:
        return JSONResponse({"error": done.error, **(done.report or {})}, done.http_status)
    return JSONResponse(done.report)


@router.get(
    "/jobs",
    summary="Ingest jobs, oldest first (those this server still remembers)",
    response_model=list[schemas.Job],
)
def jobs(request: Request) -> Rows:
    return [job.to_dict() for job in state_of(request).jobs.all()]


@router.get(
    "/jobs/{job_id}",
    summary="One ingest job: queued, running, done or failed",
    response_model=schemas.Job,
)
def job(request: Request, job_id: Id) -> dict[str, Any]:
    found = state_of(request).jobs.get(job_id)
    if found is None:
        raise NotFoundError(f"no job {job_id!r}; GET /api/jobs lists those this server remembers")
    return found.to_dict()


async def _limited_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(too_large_message(limit))
    return await read_limited(request.stream(), limit)


async def _uploaded_file(request: Request, body: bytes) -> tuple[bytes, str | None]:
    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, replay).form(max_files=1, max_fields=5)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise UsageError('no file found; send it in a multipart field named "file"')
        return await upload.read(), upload.filename
    finally:
        await form.close()


def _ingest_documents(
    state: ServeState, documents: Sequence[RawDocument | Rejection], defaults: dict[str, str | None]
) -> dict[str, Any]:
    with state.open() as storyline:
        return storyline.ingest_documents(documents, defaults).to_dict()


def _ingest_file(
    state: ServeState, data: bytes, filename: str | None, defaults: dict[str, str | None]
) -> dict[str, Any]:
    with state.open() as storyline:
        documents = documents_from_file(data, filename, state.settings)
        return storyline.ingest_documents(documents, defaults).to_dict()


BodyId = Annotated[str, Field(max_length=MAX_ID_CHARS)]


class MergeRequest(BaseModel):
    keep: BodyId = Field(description="The event (or story) that stays.")
    other: BodyId = Field(description="The event (or story) merged into it.")


class SplitRequest(BaseModel):
    event: BodyId
    articles: list[BodyId] = Field(min_length=1, max_length=MAX_LIMIT)


class MoveRequest(BaseModel):
    item: BodyId = Field(description="An article (into an event) or an event (into a story).")
    target: BodyId


@router.post(
    "/merge",
    summary="Merge two events (or two stories) into the first",
    response_model=schemas.Merged,
    responses=WRITE_ERRORS,
    dependencies=WRITE_GUARD,
)
def merge(request: Request, body: MergeRequest, after: BackgroundTasks) -> dict[str, str]:
    state = state_of(request)
    after.add_task(state.refresh)
    with state.open() as storyline:
        return {"merged": body.other, "into": storyline.merge(body.keep, body.other)}


@router.post(
    "/split",
    summary="Split articles off an event into a new event",
    response_model=schemas.Split,
    responses=WRITE_ERRORS,
    dependencies=WRITE_GUARD,
)
def split(request: Request, body: SplitRequest, after: BackgroundTasks) -> dict[str, Any]:
    state = state_of(request)
    after.add_task(state.refresh)
    with state.open() as storyline:
        return {"event": storyline.split(body.event, body.articles), "articles": body.articles}


@router.post(
    "/move",
    summary="Move an article into an event, or an event into a story",
    response_model=schemas.Moved,
    responses=WRITE_ERRORS,
    dependencies=WRITE_GUARD,
)
def move(request: Request, body: MoveRequest, after: BackgroundTasks) -> dict[str, str]:
    state = state_of(request)
    after.add_task(state.refresh)
    with state.open() as storyline:
        return {"moved": body.item, "to": storyline.move(body.item, body.target)}


@router.get(
    "/corrections",
    summary="The analysts' corrections, oldest first",
    response_model=list[schemas.Correction],
)
def corrections(
    request: Request, response: Response, limit: Limit = 100, offset: Offset = 0
) -> Rows:
    with state_of(request).open() as storyline:
        return paged(storyline.corrections(), limit, offset, response, lambda c: c)
