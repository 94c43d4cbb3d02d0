"""Plain-text and Markdown reports, with optional YAML front matter."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ..errors import RejectedInput
from ..models import RawDocument, Rejection
from ..settings import Settings
from .files import decode, read_bytes
from .published import normalise_published

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def read_text_file(path: Path, settings: Settings) -> Iterator[RawDocument | Rejection]:
    try:
        text = decode(read_bytes(path, settings.max_document_bytes))
        yield document_from_text(text, source=str(path))
    except RejectedInput as exc:
        yield Rejection(str(path), exc.reason)


def document_from_text(text: str, source: str) -> RawDocument:
    """A RawDocument from text that may open with front matter."""
    meta, body = split_front_matter(text)
    return RawDocument(
        source=source,
        text=body,
        title=_string(meta.get("title")),
        outlet=_string(meta.get("outlet") or meta.get("source") or meta.get("publisher")),
        published=normalise_published(meta.get("published") or meta.get("date")),
        url=_string(meta.get("url") or meta.get("link")),
        author=_string(meta.get("author")),
    )


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0]
        raise RejectedInput(f"front matter is not valid YAML ({problem})") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise RejectedInput("front matter must be a YAML mapping of key: value lines")
    return meta, text[match.end() :]


def _string(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
