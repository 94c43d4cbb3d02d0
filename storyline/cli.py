"""The command line: a thin layer that calls the library and prints what it returns.

Every listing takes `--json` and then prints exactly one JSON document on stdout; progress
and logs go to stderr. Library errors become one-line messages and exit status 1; bad
usage exits 2 (click's convention).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .core import Storyline
from .errors import StorylineError
from .settings import Settings

F = Callable[..., Any]


def main() -> None:
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("storyline: interrupted; run the same command again to finish the job", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except StorylineError as exc:
        click.echo(f"storyline: {exc}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)


def store_options(func: F) -> F:
    """--db and --json on every command, so they work after the subcommand too."""

    @click.option("--db", "db", envvar="STORYLINE_DB", default=None, help="SQLite file [./storyline.db]")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
    @click.pass_context
    @functools.wraps(func)
    def wrapper(ctx: click.Context, db: str | None, as_json: bool, **kwargs: Any) -> Any:
        db = db or (ctx.obj or {}).get("db")
        return func(settings=Settings.from_env(db), as_json=as_json, **kwargs)

    return wrapper


@contextmanager
def opened(settings: Settings) -> Iterator[Storyline]:
    with Storyline(settings) as storyline:
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
@click.option("--outlet", help="Outlet name for inputs that lack one.")
@click.option("--max-bytes", type=int, help="Largest single document accepted, in bytes.")
@store_options
def ingest(
    settings: Settings, as_json: bool, paths: tuple[str, ...], published: str | None,
    outlet: str | None, max_bytes: int | None,
) -> None:
    """Read files, folders, feeds and archives; then analyse what is new."""
    from dataclasses import replace

    if max_bytes:
        settings = replace(settings, max_document_bytes=max_bytes)
    with opened(settings) as storyline, _progress() as progress:
        report = storyline.ingest(
            paths, published=published, outlet=outlet,
            on_document=progress.document, on_stage=progress.stage,
        )
    for rejection in report.rejected:
        click.echo(f"rejected {rejection.source}: {rejection.reason}", err=True)
    emit(report.to_dict(), as_json, _ingest_text)


def _ingest_text(data: dict[str, Any]) -> str:
    return (
        f"added {data['added']}, skipped {data['skipped']} already stored, "
        f"rejected {len(data['rejected'])}"
    )


class _Bars:
    """tqdm bars on stderr, only when it is a terminal."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._tqdm = tqdm
        self.enabled = sys.stderr.isatty()
        self.reading: Any = None
        self.stages: dict[str, Any] = {}

    def document(self) -> None:
        if not self.enabled:
            return
        if self.reading is None:
            self.reading = self._tqdm(desc="reading", unit="doc", file=sys.stderr, leave=False)
        self.reading.update(1)

    def stage(self, name: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        bar = self.stages.get(name)
        if bar is None:
            bar = self.stages[name] = self._tqdm(desc=name, total=total, unit="art", file=sys.stderr, leave=False)
        bar.update(done - bar.n)

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
@click.option("--search", "query", help="Only articles matching this full-text query.")
@store_options
def articles(settings: Settings, as_json: bool, query: str | None) -> None:
    """List the stored articles."""
    with opened(settings) as storyline:
        found = storyline.search(query) if query else storyline.articles()
        emit([a.summary() for a in found], as_json, _articles_text)


def _articles_text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for row in rows:
        meta = " · ".join(str(row[k]) for k in ("outlet", "place", "published") if row[k])
        lines.append(f"{row['id']}  {row['title'] or '(untitled)'}  [{meta}] {row['words']} words")
    return "\n".join(lines) or "no articles yet; add some with `storyline ingest PATH`"


@cli.command()
@click.argument("article_id")
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


# -- evaluation ---------------------------------------------------------------------------


@cli.command("eval")
@click.argument("name")
@click.option("--data", "data_dir", required=True, type=click.Path(path_type=Path), help="Data set folder.")
@click.option("--db", "db", default=None, hidden=True)
def eval_command(name: str, data_dir: Path, db: str | None) -> None:
    """Score storyline on a labelled data set (see ../shared/bench/README.md)."""
    from .evaluate import evaluate

    result = evaluate(name, data_dir, Settings.from_env(db))
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
