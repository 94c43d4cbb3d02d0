"""JSON and JSON Lines dumps: one article per object (`text` or `html`, optional metadata)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import RejectedInput
from ..models import RawDocument, Rejection
from ..settings import Settings
from .files import decode, read_bytes
from .published import normalise_published


def read_jsonl_file(path: Path, settings: Settings) -> Iterator[RawDocument | Rejection]:
    """One object per line, streamed so a dump of any size is read in constant memory.

    Gzip-compressed dumps (`.jsonl.gz`) are read the same way.
    """
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as handle:
        seen_any = False
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            seen_any = True
            source = f"{path}:{number}"
            try:
                yield record_to_document(_load_line(line, settings), source)
            except RejectedInput as exc:
                yield Rejection(source, exc.reason)
        if not seen_any:
            yield Rejection(str(path), "empty file")


def read_json_file(path: Path, settings: Settings) -> Iterator[RawDocument | Rejection]:
    """A JSON document: one object, or a list of objects."""
    try:
        data = json.loads(decode(read_bytes(path, settings.max_document_bytes)))
    except RejectedInput as exc:
        yield Rejection(str(path), exc.reason)
        return
    except json.JSONDecodeError as exc:
        yield Rejection(str(path), f"invalid JSON at line {exc.lineno}: {exc.msg}")
        return
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records):
        source = f"{path}#{index}" if isinstance(data, list) else str(path)
        try:
            yield record_to_document(record, source)
        except RejectedInput as exc:
            yield Rejection(source, exc.reason)


def _load_line(line: bytes, settings: Settings) -> Any:
    if len(line) > settings.max_document_bytes:
        raise RejectedInput(f"record is over the {settings.max_document_bytes:,}-byte limit")
    try:
        return json.loads(decode(line))
    except json.JSONDecodeError as exc:
        raise RejectedInput(f"invalid JSON ({exc.msg} at column {exc.colno})") from None


def record_to_document(record: Any, source: str) -> RawDocument:
    if not isinstance(record, dict):
        raise RejectedInput("record is not a JSON object")
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        raise RejectedInput('record has neither a "text" nor an "html" string')
    return RawDocument(
        source=_string(record.get("url")) or source,
        text=text if isinstance(text, str) else None,
        html=html if isinstance(html, str) and not isinstance(text, str) else None,
        title=_string(record.get("title")),
        outlet=_string(record.get("outlet")),
        published=normalise_published(record.get("published") or record.get("time")),
        url=_string(record.get("url")),
        author=_string(record.get("author")),
    )


def _string(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
