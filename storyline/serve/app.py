"""The web app: REST API under /api, HTML pages, static files; `create_app(settings)`.

Each request opens its own `Storyline` (SQLite connections are not shared across threads)
and closes it when done; expensive reads are memoised per store version (cache.py).

Writes (every POST) need the bearer token when one is set, and never come from another
site's page: see `ServeState.check_write`. Behind a proxy, pass the Host header on.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import secrets
import threading
from collections.abc import Awaitable, Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core import Storyline
from ..errors import NotFoundError, StoreLockedError, StorylineError, UsageError
from ..settings import Settings
from .cache import Memo
from .jobs import Jobs

T = TypeVar("T")

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
# Largest request body accepted by POST /api/ingest (JSON or a whole uploaded file).
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Seconds a client has to send a whole request body: one that trickles it in a byte at a
# time would otherwise hold its request open for ever. 20 MB in a minute is 2.7 Mbit/s.
DEFAULT_BODY_SECONDS = 60.0
# What an HTML form (or a `no-cors` fetch) of any site can send without the browser first
# asking this server: a body of one of these types, or of none.
FORM_TYPES = frozenset(
    ("", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain")
)


class TooLarge(StorylineError):
    """A request body over the upload limit (HTTP 413)."""


class Unauthorised(StorylineError):
    """A write without the right bearer token (HTTP 401)."""


class Forbidden(StorylineError):
    """A write another site's page may have sent (HTTP 403)."""


@dataclass
class ServeState:
    """What every request needs: settings, the write token, the memo."""

    settings: Settings
    token: str | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    memo: Memo = field(init=False)
    jobs: Jobs = field(init=False)
    _refreshing: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.memo = Memo(Path(self.settings.db_path))
        self.jobs = Jobs(status_of=_job_status)

    @contextmanager
    def open(self) -> Iterator[Storyline]:
        with Storyline(self.settings) as storyline:
            yield storyline

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        return self.memo.get(key, compute)

    def refresh(self) -> None:
        """Rebuild the kept briefings a correction made stale (run after the response);
        one at a time, since a second would redo the same work."""
        with self._refreshing, self.open() as storyline:
            storyline.refresh()

    def check_write(self, request: Request) -> None:
        """Writes need `Authorization: Bearer <token>` whenever a token is configured, and
        never come from another site's page (a browser says which in Origin, or Referer).
        Without a token (on loopback) any page the user visits could post here, so a write
        must also prove it is not such a page's form: an Origin of this server, or a body no
        form can send (`application/json`); browsers send Origin on every cross-site POST."""
        check_same_origin(request, loopback=self.token is None)
        if self.token is None:
            if not request.headers.get("origin") and media_type(request) in FORM_TYPES:
                raise Forbidden(
                    "without a token, a write must be JSON sent as `Content-Type:"
                    " application/json`, or carry this server's origin as its own pages do"
                    f" (`Origin: {request.url.scheme}://{_host(request)}`); or start the"
                    " server with --token"
                )
            return
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip(), self.token):
            raise Unauthorised(
                "this server needs a token for writes; send `Authorization: Bearer <token>`"
            )


def media_type(request: Request) -> str:
    """The request body's type without its parameters: "application/json"."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def check_same_origin(request: Request, loopback: bool) -> None:
    """Refuses a request a browser sent from a page of another origin than this server's
    (the Host it was asked for). With `loopback`, the origin must also name this machine:
    a page whose DNS name was pointed at 127.0.0.1 is "same-origin" by name only."""
    sender = request.headers.get("origin") or request.headers.get("referer")
    if not sender:
        return  # not a browser's cross-site request: those always say where they come from
    parts = urlsplit(sender)
    own = parts.scheme in ("http", "https") and parts.netloc.lower() == _host(request)
    if not own or (loopback and not is_loopback(parts.hostname or "")):
        raise Forbidden(
            f"refusing a write sent from {sender[:80]!r}: writes come from this server's own"
            " pages or from programs that send no Origin header"
        )


def _host(request: Request) -> str:
    return request.headers.get("host", "").lower()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resolve_token(host: str, token: str | None) -> str | None:
    """The write token (`--token`, else $STORYLINE_TOKEN); required beyond loopback."""
    token = token or os.environ.get("STORYLINE_TOKEN") or None
    if token is None and not is_loopback(host):
        raise UsageError(
            f"refusing to serve on {host} without a write token; pass --token or set STORYLINE_TOKEN"
        )
    return token


def create_app(
    settings: Settings,
    host: str = "127.0.0.1",
    token: str | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    body_seconds: float = DEFAULT_BODY_SECONDS,
) -> FastAPI:
    """The FastAPI app on the store of `settings`; `host` decides whether a token is required;
    a request body must arrive within `body_seconds`."""
    from . import api, pages

    state = ServeState(settings, resolve_token(host, token), max_upload_bytes)
    with state.open():
        pass  # fail now, not on the first request, when the store cannot be opened
    pages.compile_templates()
    app = FastAPI(
        title="storyline",
        summary="News reports turned into the story they tell: every object over HTTP.",
        version="1",
        docs_url=None,  # FastAPI's docs page loads scripts from a CDN: ours is local (/docs)
        redoc_url=None,
    )
    app.state.serve = state
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/docs/static", StaticFiles(directory=_swagger_ui()), name="docs-static")
    _install_error_handlers(app)
    # Inside the security headers' middleware, which would wrap the 408 it raises in an
    # exception group (a 500) when raised through its own reads.
    app.add_middleware(BodyDeadline, seconds=body_seconds)
    _install_security_headers(app)
    _document_errors_as_served(app)
    return app


class BodyDeadline:
    """A request's body must have arrived `seconds` after the request began, else 408 (and the
    connection is closed). Once the body is in, the app's reads (a wait for the client to
    disconnect) are left unbounded."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds
        body_done = False

        async def bounded() -> Message:
            nonlocal body_done
            if body_done:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                raise StarletteHTTPException(
                    408,
                    f"the request body took over {self.seconds:g} s to arrive; send it again"
                    " over a faster link, or in smaller parts",
                    headers={"Connection": "close"},
                ) from None
            body_done = message["type"] != "http.request" or not message.get("more_body")
            return message

        await self.app(scope, bounded, send)


def _swagger_ui() -> Path:
    """Swagger UI's files (5.x: it reads OpenAPI 3.1), as the fastapi-offline package ships
    them; only the files are used."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def _document_errors_as_served(app: FastAPI) -> None:
    """FastAPI documents a 422 for every route with parameters; this server answers a
    malformed request with 400 and the `{"error": ...}` body (documented on the router), so
    the 422 and its schemas are taken out of the OpenAPI document."""
    from fastapi.openapi.utils import get_openapi

    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, summary=app.summary, routes=app.routes
            )
            for operations in schema["paths"].values():
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]


# Defence in depth behind the escaping: no inline or foreign scripts, styles or frames.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self';"
    " script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _install_security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


_STATUS: list[tuple[type[StorylineError], int]] = [
    (NotFoundError, 404),
    (UsageError, 400),
    (TooLarge, 413),
    (Unauthorised, 401),
    (Forbidden, 403),
    (StoreLockedError, 503),  # another process held the store too long: try again later
]


def _status_for(exc: StorylineError) -> int:
    return next((status for kind, status in _STATUS if isinstance(exc, kind)), 500)


def _job_status(exc: Exception) -> int:
    return _status_for(exc) if isinstance(exc, StorylineError) else 500


def _error(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """JSON for the API; a small HTML page for a person's browser."""
    headers = {**(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    if request.url.path.startswith("/api") or request.url.path.endswith(".json"):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    from .pages import render_error

    return HTMLResponse(render_error(status, message), status_code=status, headers=headers)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StorylineError)
    async def storyline_error(request: Request, exc: StorylineError) -> Response:
        return _error(request, _status_for(exc), str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        logger.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return _error(
            request, 500, "the server failed on this request; see its log and report the bug"
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 400, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}; see /openapi.json for the routes"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}; see /openapi.json"
        return _error(request, exc.status_code, message, exc.headers)  # a 405's Allow


def _validation_message(exc: RequestValidationError) -> str:
    first: dict[str, Any] = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "body", "path"))
    what = first.get("msg", "invalid request")
    return f"{where or 'request'}: {what}; fix it and try again"
