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
# A Markdown line that is structure, not prose: a table row, heading, list item or block
# quote, or a line holding inline code.
_MARKUP_LINE = re.compile(r"^\s*(?:\||#{1,6}\s|[-*+]\s|\d+[.)]\s|>)|`[^`\n]+`")
_FENCE = ("```", "~~~")
# Share of a text's characters in Markdown structure above which it is notes or
# documentation (a README, a file of expected results) rather than a report. Reports in
# the seeds and the example hold at most 8%; the project's READMEs and contract 76–89%.
NOTES_MARKUP_SHARE = 0.5


def read_text_file(path: Path, settings: Settings) -> Iterator[RawDocument | Rejection]:
    try:
        text = decode(read_bytes(path, settings.max_document_bytes))
        yield document_from_text(text, source=str(path))
    except RejectedInput as exc:
        yield Rejection(str(path), exc.reason)


def document_from_text(text: str, source: str) -> RawDocument:
    """A RawDocument from text that may open with front matter; notes and documentation
    that lie among the reports of a folder are refused."""
    meta, body = split_front_matter(text)
    share = markup_share(body)
    if share > NOTES_MARKUP_SHARE:
        raise RejectedInput(
            f"reads as notes, not a report: {share:.0%} of its text is Markdown tables, "
            "lists, headings or code (a report is mostly paragraphs); ingest the reports alone"
        )
    return RawDocument(
        source=source,
        text=body,
        title=_string(meta.get("title")),
        outlet=_string(meta.get("outlet") or meta.get("source") or meta.get("publisher")),
        published=normalise_published(meta.get("published") or meta.get("date")),
        url=_string(meta.get("url") or meta.get("link")),
        author=_string(meta.get("author")),
    )


def markup_share(text: str) -> float:
    """The share of the text's characters on Markdown structure lines (fenced code
    included), blank lines left out."""
    total = markup = 0
    in_fence = False
    for line in text.splitlines():
        if not line.strip():
            continue
        fence = line.lstrip().startswith(_FENCE)
        total += len(line)
        if fence or in_fence or _MARKUP_LINE.search(line):
            markup += len(line)
        in_fence = in_fence != fence
    return markup / total if total else 0.0


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
