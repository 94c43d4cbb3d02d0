"""The command line: a thin layer that calls the library and prints what it returns.

Every listing takes `--json` and then prints exactly one JSON document on stdout; progress
and logs go to stderr. Library errors become one-line messages and exit status 1; bad
usage exits 2 (click's convention).
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .core import Storyline
from .errors import StorylineError, UsageError
from .settings import MAX_ID_CHARS, MAX_LIMIT, MAX_QUERY_CHARS, Settings

F = Callable[..., Any]
# Seconds between progress lines when stderr is not a terminal.
LOG_EVERY = 5.0
# Seconds `storyline serve` keeps an idle connection open for the client's next request.
KEEP_ALIVE_SECONDS = 5


def main() -> None:
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("storyline: interrupted; run the same command again to finish the job", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except UsageError as exc:  # the contract: 2 for bad usage
        click.echo(f"storyline: {exc}", err=True)
        sys.exit(2)
    except StorylineError as exc:
        click.echo(f"storyline: {exc}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)


class UserText(click.ParamType):
    """A string from the command line the store can look up: a shell passes any bytes, which
    Python keeps as text SQLite cannot take, and an id of 100,000 characters is no id."""

    name = "text"

    def __init__(self, most: int, what: str) -> None:
        self.most, self.what = most, what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text, name = str(value), (param.human_readable_name if param else "the value")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(f"{name} is not valid UTF-8 text; retype it") from None
        if len(text) > self.most:
            raise UsageError(
                f"{name} is {len(text):,} characters long; {self.what} has at most {self.most}"
            )
        return text


# Ids (or id prefixes), names and full-text queries, as the store can take them.
ID = UserText(MAX_ID_CHARS, "an id")
NAME = UserText(MAX_ID_CHARS, "a name")
QUERY = UserText(MAX_QUERY_CHARS, "a query")


def store_options(func: F) -> F:
    """--db and --json on every command, so they work after the subcommand too."""

    @click.option(
        "--db", "db", envvar="STORYLINE_DB", default=None, help="SQLite file [./storyline.db]"
    )
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
    @click.pass_context
    @functools.wraps(func)
    def wrapper(ctx: click.Context, db: str | None, as_json: bool, **kwargs: Any) -> Any:
        db = db or (ctx.obj or {}).get("db")
        return func(settings=Settings.from_env(db), as_json=as_json, **kwargs)

    return wrapper


@contextmanager
def opened(settings: Settings, create: bool = False) -> Iterator[Storyline]:
    """The store; only a command that adds reports (`create`) makes one that is missing."""
    with Storyline(settings, create=create) as storyline:
        yield storyline


def emit(data: Any, as_json: bool, text: Callable[[Any], str]) -> None:
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        rendered = text(data)
        if rendered:
            click.echo(rendered)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="STORYLINE_DB", default=None, help="SQLite file [./storyline.db]")
@click.version_option(package_name="storyline")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """storyline: turn a pile of news reports into the story they tell."""
    ctx.obj = {"db": db}


# -- ingest -------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", help="Publication date (YYYY-MM-DD) for inputs that lack one.")
@click.option("--outlet", type=NAME, help="Outlet name for inputs that lack one.")
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    help="Largest single document accepted, in bytes.",
)
@click.option(
    "--no-analyse",
    "defer",
    is_flag=True,
    help="Only store the articles; `storyline analyse` runs the analysis later (bulk loads).",
)
@store_options
def ingest(
    settings: Settings,
    as_json: bool,
    paths: tuple[str, ...],
    published: str | None,
    outlet: str | None,
    max_bytes: int | None,
    defer: bool,
) -> None:
    """Read files, folders, feeds and archives; then analyse what is new.

    Exit status 0 when at least one input was added or was already stored, even if others
    were rejected (each rejection is a line on stderr); 1 when every input was rejected."""
    from dataclasses import replace

    if max_bytes is not None:
        settings = replace(settings, max_document_bytes=max_bytes)
    with opened(settings, create=True) as storyline, _progress() as progress:
        report = storyline.ingest(
            paths,
            published=published,
            outlet=outlet,
            on_document=progress.document,
            on_stage=progress.stage,
            analyse=not defer,
        )
    for rejection in report.rejected:
        click.echo(f"rejected {rejection.source}: {rejection.reason}", err=True)
    emit(report.to_dict(), as_json, _ingest_text)
    if report.rejected and not report.added and not report.skipped:
        click.echo(
            f"storyline: nothing ingested: every input was rejected ({len(report.rejected)};"
            " reasons above); fix them and run again",
            err=True,
        )
        sys.exit(1)


@cli.command()
@store_options
def analyse(settings: Settings, as_json: bool) -> None:
    """Run the analysis stages on every article they have not processed yet."""
    with opened(settings) as storyline, _progress() as progress:
        processed = storyline.analyse(on_stage=progress.stage)
    emit(processed, as_json, lambda done: ", ".join(f"{k}: {v}" for k, v in done.items()))


def _ingest_text(data: dict[str, Any]) -> str:
    return (
        f"added {data['added']}, skipped {data['skipped']} already stored, "
        f"rejected {len(data['rejected'])}"
    )


class _Bars:
    """tqdm bars on stderr when it is a terminal; else (a log file, a pipe) a line every
    LOG_EVERY seconds saying what is done, how fast, and in which stage."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._tqdm = tqdm
        self.enabled = sys.stderr.isatty()
        self.reading: Any = None
        self.stages: dict[str, Any] = {}
        self._read = 0
        self._logged = self._last_event = time.monotonic()
        self._began: dict[str, float] = {}

    def document(self) -> None:
        self._read += 1
        if not self.enabled:
            self._log("reading", f"{self._read} documents", self._read)
            return
        if self.reading is None:
            self.reading = self._tqdm(desc="reading", unit="doc", file=sys.stderr, leave=False)
        self.reading.update(1)

    def stage(self, name: str, done: int, total: int) -> None:
        stories = name == "synthesise"
        if not self.enabled:
            unit = "stories" if stories else "reports"
            self._log(name, f"{done}/{total} {unit}", done, final=done == total)
            return
        bar = self.stages.get(name)
        if bar is None:
            bar = self.stages[name] = self._tqdm(
                desc=name,
                total=total,
                unit="story" if stories else "art",
                file=sys.stderr,
                leave=False,
            )
        bar.update(done - bar.n)

    def _log(self, step: str, what: str, done: int, final: bool = False) -> None:
        now = time.monotonic()
        # A stage's first callback comes after its first batch: it began at the last event.
        began = self._began.setdefault(step, self._last_event)
        self._last_event = now
        if now - self._logged < LOG_EVERY and not (final and now - began >= LOG_EVERY):
            return
        rate = done / max(now - began, 1e-3)
        print(f"storyline: {step}: {what}, {rate:.1f}/s", file=sys.stderr, flush=True)
        self._logged = now

    def close(self) -> None:
        for bar in [self.reading, *self.stages.values()]:
            if bar is not None:
                bar.close()


@contextmanager
def _progress() -> Iterator[_Bars]:
    bars = _Bars()
    try:
        yield bars
    finally:
        bars.close()


# -- articles -----------------------------------------------------------------------------


@cli.command()
@click.option("--search", "query", type=QUERY, help="Only articles matching this full-text query.")
@store_options
def articles(settings: Settings, as_json: bool, query: str | None) -> None:
    """List the stored articles."""
    from .extract.sentences import headline  # not at import: the package loads trafilatura

    with opened(settings) as storyline:
        found = [h.article for h in storyline.search(query).hits] if query else storyline.articles()
        rows = [a.summary() | {"headline": headline(a.title, a.text)} for a in found]
        emit(rows, as_json, _articles_text)


def _articles_text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for row in rows:
        meta = " · ".join(str(row[k]) for k in ("outlet", "place", "published") if row[k])
        meta = f"  [{meta}]" if meta else ""
        lines.append(
            f"{row['id']}  {row['headline']}{meta}  {_count(row['words'], 'word')}  {row['source']}"
        )
    return "\n".join(lines) or "no articles yet; add some with `storyline ingest PATH`"


@cli.command()
@click.argument("query", type=QUERY)
@click.option("--since", help="Only reports published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Only reports published on or before this date (YYYY-MM-DD).")
@click.option("--outlet", type=NAME, help="Only this outlet's reports.")
@click.option("--entity", type=ID, help="Only reports that name this entity (id or name).")
@click.option("--story", type=ID, help="Only this story's reports.")
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(1, MAX_LIMIT),
    help="Hits to show.",
)
@store_options
def search(
    settings: Settings,
    as_json: bool,
    query: str,
    since: str | None,
    until: str | None,
    outlet: str | None,
    entity: str | None,
    story: str | None,
    limit: int,
) -> None:
    """Find reports by words ("sanction" finds "sanctions") or an FTS5 query, best first,
    each with the passage that matched. JSON: {"total", "results": [article + "snippet",
    "highlights": [[start, end], ...]]}."""
    with opened(settings) as storyline:
        found = storyline.search(
            query, limit, since=since, until=until, outlet=outlet, entity=entity, story=story
        )
        emit(found.to_dict(), as_json, _search_text)


def _search_text(data: dict[str, Any]) -> str:
    if not data["results"]:
        return "no report matches; fewer or other words may find some"
    lines = [f"{_count(data['total'], 'report')} match; the best {len(data['results'])}:"]
    for row in data["results"]:
        meta = " · ".join(str(row[k]) for k in ("outlet", "published") if row[k])
        lines.append(f"{row['id']}  {row['title'] or '(untitled)'}  [{meta}]")
        lines.append(f"    {_marked(row['snippet'], row['highlights'])}")
    return "\n".join(lines)


def _marked(text: str, highlights: list[list[int]]) -> str:
    """The passage with its matched words in bold on a terminal, in **stars** otherwise."""
    opening, closing = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("**", "**")
    for start, end in reversed(highlights):
        text = f"{text[:start]}{opening}{text[start:end]}{closing}{text[end:]}"
    return text


def _count(n: int, noun: str) -> str:
    """ "1 report", "2 reports"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@cli.command()
@click.argument("article_id", type=ID)
@store_options
def article(settings: Settings, as_json: bool, article_id: str) -> None:
    """Show one article, whole."""
    with opened(settings) as storyline:
        emit(storyline.article(article_id).to_dict(), as_json, _article_text)


def _article_text(data: dict[str, Any]) -> str:
    meta = " · ".join(str(data[k]) for k in ("outlet", "place", "published") if data[k])
    return f"{data['title'] or '(untitled)'}\n{meta}\n{data['source']}\n\n{data['text']}"


@cli.command()
@store_options
def rejections(settings: Settings, as_json: bool) -> None:
    """List the inputs that were rejected, with the reason."""
    with opened(settings) as storyline:
        rows = [{"source": r.source, "reason": r.reason} for r in storyline.rejections()]
        emit(rows, as_json, lambda rs: "\n".join(f"{r['source']}: {r['reason']}" for r in rs))


# -- duplicates ---------------------------------------------------------------------------


@cli.command()
@click.option(
    "--pairs", "article_id", type=ID, help="Show the aligned sentences of this copy's relations."
)
@store_options
def duplicates(settings: Settings, as_json: bool, article_id: str | None) -> None:
    """List copies and rewrites (`of` is the original), or one copy's aligned sentences."""
    with opened(settings) as storyline:
        if article_id:
            emit(storyline.alignment(article_id), as_json, _alignment_text)
        else:
            emit([d.to_dict() for d in storyline.duplicates()], as_json, _duplicates_text)


def _duplicates_text(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{r['article']} {r['kind']} of {r['of']}  score {r['score']:.2f}"
        f"  ({r['rule']}, {r['pairs']} pairs)"
        for r in rows
    ]
    return "\n".join(lines) or "no copies or rewrites found"


def _alignment_text(relations: list[dict[str, Any]]) -> str:
    blocks = []
    for r in relations:
        lines = [f"{r['article']} {r['kind']} of {r['of']} (score {r['score']:.2f}, {r['rule']})"]
        for p in r["aligned"]:
            lines.append(f"  [{p['score']:.2f}] {p['article_text']}")
            lines.append(f"         = {p['original_text']}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# -- entities and quotes ------------------------------------------------------------------


@cli.command()
@click.option("--story", type=ID, help="Only the entities of this story's articles.")
@store_options
def entities(settings: Settings, as_json: bool, story: str | None) -> None:
    """List canonical entities with their aliases, articles and mention counts."""
    with opened(settings) as storyline:
        emit([e.to_dict() for e in storyline.entities(story)], as_json, _entities_text)


def _entities_text(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{r['id']}  {r['name']} [{r['type']}] {_count(r['mentions'], 'mention')}"
        f" in {_count(len(r['articles']), 'article')}"
        + (f"  aka {', '.join(r['aliases'])}" if r["aliases"] else "")
        for r in rows
    ]
    return "\n".join(lines) or "no entities yet; add articles with `storyline ingest PATH`"


@cli.command()
@click.option("--story", type=ID, help="Only the quotes of this story's articles.")
@store_options
def quotes(settings: Settings, as_json: bool, story: str | None) -> None:
    """List quotes and reported speech with who said them."""
    with opened(settings) as storyline:
        emit([q.to_dict() for q in storyline.quotes(story)], as_json, _quotes_text)


def _quotes_text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for r in rows:
        text = f"“{r['text']}”" if r["direct"] else r["text"]
        speaker, cue = r["speaker"] or "(unknown)", r["cue"] or ""
        said = f"{cue} {speaker}" if cue.lower().startswith("according") else f"{speaker} {cue}"
        lines.append(f"{r['article']}  {said}: {text}")
    return "\n".join(lines) or "no quotes found"


@cli.command()
@click.option("--article", "article_id", type=ID, help="Only this article's time expressions.")
@store_options
def dates(settings: Settings, as_json: bool, article_id: str | None) -> None:
    """List time expressions, normalised against the publication dates."""
    with opened(settings) as storyline:
        emit([d.to_dict() for d in storyline.dates(article_id)], as_json, _dates_text)


def _dates_text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for r in rows:
        dated = r["kind"] in ("date", "time")
        value = r["value"] or ("(unresolved)" if dated else f"({r['kind']})")
        lines.append(f"{r['article']}  {r['text']!r:32} {value} {r['precision'] or ''}")
    return "\n".join(lines) or "no time expressions found"


@cli.command()
@click.option("--story", "story", type=ID, help="Only this story's events.")
@store_options
def events(settings: Settings, as_json: bool, story: str | None) -> None:
    """List events: the reports of one happening each."""
    with opened(settings) as storyline:
        emit([e.to_dict() for e in storyline.events(story)], as_json, _events_text)


def _events_text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for r in rows:
        span = " – ".join(dict.fromkeys(d for d in (r["start"], r["end"]) if d)) or "undated"
        reports = len(r["articles"])
        lines.append(
            f"{r['id']}  {r['title']}  [{span}] story {r['story']}, {_count(reports, 'report')}"
        )
    return "\n".join(lines) or "no events yet; add articles with `storyline ingest PATH`"


@cli.command()
@store_options
def stories(settings: Settings, as_json: bool) -> None:
    """List stories: events linked over weeks and months."""
    with opened(settings) as storyline:
        emit([s.to_dict() for s in storyline.stories()], as_json, _stories_text)


def _stories_text(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{r['id']}  {r['title']}  {_count(len(r['events']), 'event')}, {_count(len(r['articles']), 'report')}"
        for r in rows
    ]
    return "\n".join(lines) or "no stories yet; add articles with `storyline ingest PATH`"


@cli.command()
@click.argument("story", type=ID)
@store_options
def related(settings: Settings, as_json: bool, story: str) -> None:
    """List the stories kept apart from STORY that some reports are about as well."""
    with opened(settings) as storyline:
        rows = [r.to_dict() for r in storyline.related_stories(story)]
        emit(rows, as_json, _related_text)


def _related_text(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{r['id']}  {r['title']}  {_count(len(r['reports']), 'report')} about both" for r in rows
    ]
    return "\n".join(lines) or "no related stories"


@cli.command()
@click.argument("keep", type=ID)
@click.argument("other", type=ID)
@store_options
def merge(settings: Settings, as_json: bool, keep: str, other: str) -> None:
    """Merge event OTHER into event KEEP (or story OTHER into story KEEP)."""
    with opened(settings) as storyline:
        kept = storyline.merge(keep, other)
        _refresh(storyline)
        emit({"merged": other, "into": kept}, as_json, lambda d: f"merged into {d['into']}")


@cli.command()
@click.argument("event", type=ID)
@click.argument("articles", nargs=-1, required=True, type=ID)
@store_options
def split(settings: Settings, as_json: bool, event: str, articles: tuple[str, ...]) -> None:
    """Split ARTICLES off EVENT into a new event of the same story."""
    with opened(settings) as storyline:
        created = storyline.split(event, list(articles))
        _refresh(storyline)
        result = {"event": created, "articles": list(articles)}
        emit(result, as_json, lambda d: f"new event {d['event']}")


@cli.command()
@click.argument("item", type=ID)
@click.argument("target", type=ID)
@store_options
def move(settings: Settings, as_json: bool, item: str, target: str) -> None:
    """Move ARTICLE into event TARGET (or an EVENT into story TARGET)."""
    with opened(settings) as storyline:
        moved_to = storyline.move(item, target)
        _refresh(storyline)
        emit({"moved": item, "to": moved_to}, as_json, lambda d: f"moved {d['moved']} to {d['to']}")


def _refresh(storyline: Storyline) -> None:
    """Rebuild the kept briefings of the stories a correction changed."""
    with _progress() as progress:
        storyline.refresh(on_stage=progress.stage)


# -- synthesis ----------------------------------------------------------------------------


@cli.command()
@click.option("--story", type=ID, help="Only this story's claims.")
@store_options
def claims(settings: Settings, as_json: bool, story: str | None) -> None:
    """List claims: who holds them, how many independent reports support them, conflicts."""
    with opened(settings) as storyline:
        emit([c.to_dict() for c in storyline.claims(story)], as_json, _claims_text)
        _say_lag(storyline, story, "claims")


def _claims_text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for r in rows:
        who = r["holder_name"] or "(outlet)"
        conflict = f"  conflicts: {', '.join(r['conflicts'])}" if r["conflicts"] else ""
        lines.append(f"{r['id']}  [{r['independent']} indep.] {who}: {r['text']}{conflict}")
    return "\n".join(lines) or "no claims yet; add articles with `storyline ingest PATH`"


@cli.command()
@click.option("--story", type=ID, help="The story to look at (`storyline stories` lists them).")
@click.option("--since", required=True, help="Show what is new after this date (YYYY-MM-DD).")
@store_options
def changes(settings: Settings, as_json: bool, story: str | None, since: str) -> None:
    """What is new in a story since a date: events, claims, figures, actors, quotes."""
    with opened(settings) as storyline:
        emit([c.to_dict() for c in storyline.changes(story, since)], as_json, _changes_text)


def _changes_text(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{r['date'] or '':10}  {r['kind']:6}  {r['text']}  [{', '.join(r['sources'])}]"
        + (f"  (undated; placed by {r['placed_by']})" if r.get("placed_by") else "")
        for r in rows
    ]
    return "\n".join(lines) or "nothing new since then"


@cli.command()
@click.option("--story", type=ID, help="The story to brief (default: the largest).")
@click.option(
    "--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True
)
@store_options
def brief(settings: Settings, as_json: bool, story: str | None, fmt: str) -> None:
    """The briefing: every sentence taken from, and citing, its reports."""
    from .synthesise import to_html, to_markdown

    with opened(settings) as storyline:
        briefing = storyline.brief(story)
        _say_lag(storyline, briefing.story, "briefing")
        stories = len(storyline.stories()) if story is None else 1
        if stories > 1:
            click.echo(
                f"storyline: {stories} stories in the store; this is the"
                f" largest, {briefing.story} ({briefing.title}); brief another with --story ID"
                " (`storyline stories` lists them)",
                err=True,
            )
    if as_json or fmt == "json":
        click.echo(json.dumps(briefing.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(to_html(briefing) if fmt == "html" else to_markdown(briefing), nl=False)


@cli.command()
@click.option("--story", type=ID, help="Only this story's timeline.")
@click.option(
    "--dates",
    type=click.IntRange(min=1),
    help="Summarise instead: the N most reported days, each with its most central sentences.",
)
@click.option(
    "--per-date",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Sentences per day.",
)
@store_options
def timeline(
    settings: Settings, as_json: bool, story: str | None, dates: int | None, per_date: int
) -> None:
    """Dated happenings, merged across the reports that state them (or, with --dates, a
    summary of the most reported days)."""
    with opened(settings) as storyline:
        if dates is None:
            entries = storyline.timeline(story)
        else:
            entries = storyline.timeline_summary(story, dates, per_date)
        emit([e.to_dict() for e in entries], as_json, _timeline_text)
        _say_lag(storyline, story, "timeline")


def _say_lag(storyline: Storyline, story: str | None, what: str) -> None:
    """Tell the reader (on stderr) when a story's kept synthesis lacks its newest reports."""
    lag = storyline.synthesis_lag(story) if story else None
    if lag is not None:
        click.echo(
            f"storyline: this {what} is built from {lag[0]} of the story's {lag[1]} reports;"
            " `storyline analyse` brings it up to date",
            err=True,
        )


def _timeline_text(rows: list[dict[str, Any]]) -> str:
    from .synthesise.brief import readable_date  # "2026-WI" as "winter 2025–2026"

    lines = [
        f"{readable_date(r['date']):<10}  {r['text']}  [{', '.join(r['sources'])}]" for r in rows
    ]
    return "\n".join(lines) or "no dated happenings yet; add articles with `storyline ingest PATH`"


# -- web UI and REST API ------------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on.",
)
@click.option(
    "--token", envvar="STORYLINE_TOKEN", help="Bearer token for writes (needed beyond loopback)."
)
@store_options
def serve(settings: Settings, as_json: bool, host: str, port: int, token: str | None) -> None:
    """Serve the web UI and the REST API (OpenAPI at /openapi.json)."""
    import uvicorn

    from .serve import create_app

    app = create_app(settings, host=host, token=token)
    click.echo(f"storyline: serving {settings.db_path} on http://{host}:{port}/", err=True)
    uvicorn.run(
        app, host=host, port=port, log_level="warning", timeout_keep_alive=KEEP_ALIVE_SECONDS
    )


# -- evaluation ---------------------------------------------------------------------------


@cli.command("eval")
@click.argument("name")
@click.option(
    "--data", "data_dir", required=True, type=click.Path(path_type=Path), help="Data set folder."
)
@click.option("--db", "db", default=None, hidden=True)
def eval_command(name: str, data_dir: Path, db: str | None) -> None:
    """Score storyline on a labelled data set (see ../shared/bench/README.md)."""
    from .evaluate import evaluate

    result = evaluate(name, data_dir, Settings.from_env(db))
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
