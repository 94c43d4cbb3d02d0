"""JSON and JSON Lines dumps: one article per object (`text` or `html`, optional metadata)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import RejectedInput
from ..models import RawDocument, Rejection
from ..settings import Settings
from .files import decode, read_bytes, storable
from .published import declared_published
from .streams import ExpandedStream, non_blank_lines

# An article record is an object of strings; nesting past this is a bomb (the json module
# recurses once per level and fails at about 1,000), not an article.
MAX_JSON_DEPTH = 100
# No field of an article needs a longer number (a nanosecond timestamp has 19 digits);
# converting a 5,000-digit one is refused by Python with a message about its own limits.
_MAX_NUMBER_DIGITS = 100
# Strings whole (escapes included), brackets, and a quote that opens a string never closed.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]|"', re.S)


def read_jsonl_file(path: Path, settings: Settings) -> Iterator[RawDocument | Rejection]:
    """One object per line, streamed so a dump of any size is read in constant memory.

    Gzip-compressed dumps (`.jsonl.gz`) are read the same way, their expansion capped.
    """
    limit = settings.max_document_bytes
    seen_any = False
    with ExpandedStream.open(path, limit) as stream:
        try:
            for number, line in non_blank_lines(stream, limit):
                seen_any = True
                yield _line_to_document(line, f"{path}:{number}", limit)
        except RejectedInput as exc:
            kept = "; the records before it were read" if seen_any else ""
            yield Rejection(str(path), exc.reason + kept)
            return
        if stream.truncated:
            yield Rejection(str(path), "gzip data is cut short (the file ends early)")
    if not seen_any:
        yield Rejection(str(path), "empty file")


def _line_to_document(line: bytes | None, source: str, limit: int) -> RawDocument | Rejection:
    if line is None:
        return Rejection(source, f"record is over the {limit:,}-byte limit")
    try:
        return record_to_document(load_json(decode(line)), source)
    except RejectedInput as exc:
        return Rejection(source, exc.reason)


def read_json_file(path: Path, settings: Settings) -> Iterator[RawDocument | Rejection]:
    """A JSON document: one object, or a list of objects."""
    try:
        data = load_json(decode(read_bytes(path, settings.max_document_bytes)))
    except RejectedInput as exc:
        yield Rejection(str(path), exc.reason)
        return
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records):
        source = f"{path}#{index}" if isinstance(data, list) else str(path)
        try:
            yield record_to_document(record, source)
        except RejectedInput as exc:
            yield Rejection(source, exc.reason)


def load_json(text: str) -> Any:
    """Parsed JSON; too deep a nesting, too long a number or bad syntax is a RejectedInput."""
    depth = json_depth(text, MAX_JSON_DEPTH)
    if depth > MAX_JSON_DEPTH:
        raise RejectedInput(f"JSON nested over {MAX_JSON_DEPTH} levels deep; not an article")
    try:
        return json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise RejectedInput(
            f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None


def json_depth(text: str, stop: int) -> int:
    """How deep the text's arrays and objects nest, counted up to `stop` + 1 (brackets in
    strings do not count); one pass, without the recursion of the parser."""
    depth = deepest = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > stop:
                break
        elif token in ("]", "}"):
            depth -= 1
        elif token == '"':
            break  # a string never closed: the parser will say where
    return deepest


def _bounded_int(digits: str) -> int:
    if len(digits) > _MAX_NUMBER_DIGITS:
        raise RejectedInput(f"invalid JSON: a number {len(digits):,} digits long")
    return int(digits)


def record_to_document(record: Any, source: str) -> RawDocument:
    if not isinstance(record, dict):
        raise RejectedInput("record is not a JSON object")
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        raise RejectedInput('record has neither a "text" nor an "html" string')
    return RawDocument(
        source=_string(record.get("url")) or source,
        text=storable(text) if isinstance(text, str) else None,
        html=storable(html) if isinstance(html, str) and not isinstance(text, str) else None,
        title=_string(record.get("title")),
        outlet=_string(record.get("outlet")),
        published=declared_published(record.get("published") or record.get("time")),
        url=_string(record.get("url")),
        author=_string(record.get("author")),
    )


def _string(value: object) -> str | None:
    return storable(value.strip()) or None if isinstance(value, str) else None
