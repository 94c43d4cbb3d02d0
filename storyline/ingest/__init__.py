"""Ingest: find the inputs and read each into RawDocuments, or Rejections with a reason.

A reader is a plain callable `(path, settings) -> Iterator[RawDocument | Rejection]`; the
table below, keyed by file suffix, is the one place readers are registered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import RejectedInput
from ..models import RawDocument, Rejection
from ..settings import Settings
from .feeds import looks_like_feed, read_feed_file
from .files import one_line, storable, walk
from .html import read_html_file
from .published import normalise_published, parse_user_date
from .records import read_json_file, read_jsonl_file
from .text import document_from_text, read_text_file
from .warc import read_warc_file

Reader = Callable[[Path, Settings], Iterator[RawDocument | Rejection]]

READERS: dict[str, Reader] = {
    ".txt": read_text_file,
    ".md": read_text_file,
    ".markdown": read_text_file,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".xhtml": read_html_file,
    ".json": read_json_file,
    ".jsonl": read_jsonl_file,
    ".jsonl.gz": read_jsonl_file,
    ".ndjson.gz": read_jsonl_file,
    ".ndjson": read_jsonl_file,
    ".rss": read_feed_file,
    ".atom": read_feed_file,
    ".xml": read_feed_file,
    ".warc": read_warc_file,
    ".warc.gz": read_warc_file,
}


def reader_for(path: Path) -> Reader | None:
    name = path.name.lower()
    for suffix in sorted(READERS, key=len, reverse=True):
        if name.endswith(suffix):
            return READERS[suffix]
    return _sniff(path)


def _sniff(path: Path) -> Reader | None:
    """Files without a known suffix: feeds are recognised by their root element."""
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError:
        return None
    return read_feed_file if looks_like_feed(head) else None


def read_inputs(
    paths: Iterable[str | Path], settings: Settings
) -> Iterator[RawDocument | Rejection]:
    """Every document found under `paths`, in a stable order, bad ones as Rejections.

    Whatever goes wrong with one file, the run goes on: an error no reader foresaw (a
    RecursionError, MemoryError, OverflowError in some library) is a Rejection of that file.
    """
    for found in walk(paths):
        if isinstance(found, Rejection):
            yield _storable(found)
            continue
        for item in _read_one(found, settings):
            yield _storable(item)


def _read_one(path: Path, settings: Settings) -> Iterator[RawDocument | Rejection]:
    reader = reader_for(path)
    if reader is None:
        yield Rejection(str(path), f"unsupported file type {path.suffix or '(none)'!r}")
        return
    try:
        yield from reader(path, settings)
    except RejectedInput as exc:
        yield Rejection(str(path), exc.reason)
    except OSError as exc:
        yield Rejection(str(path), f"cannot read file ({exc.strerror or exc})")
    except Exception as exc:  # one bad file must not end the run
        message = one_line(str(exc))
        detail = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
        yield Rejection(str(path), f"could not be read ({detail})")


def _storable(item: RawDocument | Rejection) -> RawDocument | Rejection:
    """The item with lone surrogates (from JSON or YAML escapes, odd charsets) replaced:
    the store's UTF-8 cannot hold them."""
    if isinstance(item, Rejection):
        return Rejection(storable(item.source), storable(item.reason))
    texts = {name: storable(value) for name, value in vars(item).items() if isinstance(value, str)}
    return dataclasses.replace(item, **texts)


__all__ = [
    "READERS",
    "Reader",
    "document_from_text",
    "normalise_published",
    "parse_user_date",
    "read_inputs",
    "reader_for",
    "walk",
]
