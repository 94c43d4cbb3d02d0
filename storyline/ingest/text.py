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
from .published import declared_published

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
# A Markdown line that is structure, not prose: a table row, heading, list item or block
# quote, or a line holding inline code; tables and code are what reports never hold.
_MARKUP_LINE = re.compile(r"^\s*(?:\||#{1,6}\s|[-*+]\s|\d+[.)]\s|>)|`[^`\n]+`")
_TABLE_OR_CODE = re.compile(r"^\s*\||`[^`\n]+`")
_FENCE = ("```", "~~~")
# A text is notes or documentation (a README, a file of expected results), not a report,
# when more than this share of its characters is Markdown structure and at least
# NOTES_TABLE_SHARE is tables or code. Reports in the seeds and the example hold at most 8%
# structure; EXPECTED.md 89% (19% tables and code), the project's READMEs and contract
# 76–89% (77–84%). A listicle report, all headline and bullets, has no table or code.
NOTES_MARKUP_SHARE = 0.5
NOTES_TABLE_SHARE = 0.1
# Front matter is a few `key: value` lines; past these it is an attack on the YAML parser.
MAX_FRONT_MATTER_CHARACTERS = 64 * 1024
MAX_FRONT_MATTER_DEPTH = 10


class FrontMatterLoader(yaml.SafeLoader):
    """YAML for front matter: every value a string (or null, a list, a mapping), so that
    `2025-02-30`, `.inf` or a 5,000-digit number reach the readers as text to judge rather
    than failing inside PyYAML; aliases are refused (ten lines of them expand to
    gigabytes), and so is deep nesting (the composer recurses once per level)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise RejectedInput("front matter uses a YAML alias (*name); write the value out")
        self._depth += 1
        try:
            if self._depth > MAX_FRONT_MATTER_DEPTH:
                raise RejectedInput(
                    f"front matter nests over {MAX_FRONT_MATTER_DEPTH} levels deep; "
                    "write it as key: value lines"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_NULL, _STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{kind}" for kind in ("null", "str", "seq", "map"))
# Own tables, taken from SafeLoader's: of its implicit types only null, and constructors
# for nothing but null, strings, lists and mappings.
FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag == _NULL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    if any(tag == _NULL for tag, _ in resolvers)
}
FrontMatterLoader.yaml_constructors = {
    tag: yaml.SafeLoader.yaml_constructors[tag] for tag in (_NULL, _STR, _SEQ, _MAP)
}


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
    share, tables = markup_shares(body)
    if share > NOTES_MARKUP_SHARE and tables >= NOTES_TABLE_SHARE:
        raise RejectedInput(
            f"reads as notes, not a report: {share:.0%} of its text is Markdown tables, "
            "lists, headings or code (a report is mostly paragraphs); ingest the reports alone"
        )
    return RawDocument(
        source=source,
        text=body,
        title=_string(meta.get("title")),
        outlet=_string(meta.get("outlet") or meta.get("source") or meta.get("publisher")),
        published=declared_published(meta.get("published") or meta.get("date")),
        url=_string(meta.get("url") or meta.get("link")),
        author=_string(meta.get("author")),
    )


def markup_shares(text: str) -> tuple[float, float]:
    """The shares of the text's characters on Markdown structure lines, and on table and
    code lines alone (fenced code counts in both), blank lines left out."""
    total = markup = tables = 0
    in_fence = False
    for line in text.splitlines():
        if not line.strip():
            continue
        fence = line.lstrip().startswith(_FENCE)
        code = fence or in_fence or bool(_TABLE_OR_CODE.search(line))
        total += len(line)
        markup += len(line) if code or _MARKUP_LINE.search(line) else 0
        tables += len(line) if code else 0
        in_fence = in_fence != fence
    return (markup / total, tables / total) if total else (0.0, 0.0)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    if len(match.group(1)) > MAX_FRONT_MATTER_CHARACTERS:
        raise RejectedInput(
            f"front matter is over {MAX_FRONT_MATTER_CHARACTERS:,} characters; "
            "it holds a few key: value lines"
        )
    try:
        meta = yaml.load(match.group(1), Loader=FrontMatterLoader)
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
