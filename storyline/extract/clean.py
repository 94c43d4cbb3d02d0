"""From raw report text to a clean body: normalised, boilerplate out, structure recognised.

The rules here are our own (no library splits a pasted plain-text report into title,
dateline, headings and paragraphs); trafilatura has already done this job for HTML, and
these rules then only tidy what it returns.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..models import Dateline
from .dateline import parse_dateline

# NUL among them: files holding one are refused as binary, but JSON (`\u0000`), UTF-16 and
# feeds can still carry one in, and it would reach the store.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\x00"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_TERMINAL = ".!?:;,\"'”’)…"
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_BULLET = re.compile(r"^(?:[-*•·–]|\d{1,2}[.)])\s+")
_BOILERPLATE = [
    re.compile(
        r"^(?:read also|also read|read more|more to read|related(?: stories| articles| news| coverage)?"
        r"|see also|recommended(?: for you)?|you may also like|must read|don'?t miss|trending)\s*[:|»\-–—]",
        re.I,
    ),
    re.compile(
        r"^(?:share (?:this|on)|share$|follow us|subscribe|sign up (?:for|to)|click here|advertisement$"
        r"|tweet this|email this|print this|listen to this|all rights reserved"
        r"|copyright\b|©)",
        re.I,
    ),
    # A byline left in the body ("By Jane Doe", "By Jane Doe and John Roe").
    re.compile(r"^[Bb]y\s+[A-Z][\w.'’\-]+(?:\s+(?:and\s+)?[A-Z][\w.'’\-]+){0,5}$"),
]
# Boilerplate cues above only count on short blocks: a long paragraph is article text.
_BOILERPLATE_MAX_WORDS = 25
_HEADING_MAX_WORDS = 12
_TITLE_MAX_WORDS = 25


@dataclass(frozen=True)
class Block:
    text: str
    kind: str  # "paragraph", "heading" or "item"


@dataclass(frozen=True)
class Structure:
    title: str | None
    dateline: Dateline | None
    blocks: tuple[Block, ...]
    dropped: tuple[str, ...]


def normalise(text: str) -> str:
    """NFC, one kind of newline, no invisible characters, single spaces, no trailing space."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    return "\n".join(line.strip() for line in _SPACES.sub(" ", text).split("\n"))


def structure(text: str, title: str | None) -> Structure:
    """Title, dateline and typed blocks of a normalised body."""
    paragraphs = _paragraphs(normalise(text))
    kept, dropped = _drop_boilerplate(paragraphs)
    title, kept = _take_title(kept, title)
    dateline = None
    if kept:
        dateline = parse_dateline(kept[0][0])
        if dateline is not None:
            rest = kept[0][0][dateline.length :].lstrip()
            kept = ([(rest, kept[0][1])] if rest else []) + kept[1:]
    blocks = tuple(_classify(kept, i) for i in range(len(kept)))
    return Structure(title, dateline, blocks, tuple(dropped))


def _paragraphs(text: str) -> list[tuple[str, bool]]:
    """Paragraphs, each with whether a blank line follows it.

    Each line is a paragraph, except hard-wrapped ones: a line not ending a sentence that is
    followed by one starting in lower case continues it.
    """
    out: list[tuple[str, bool]] = []
    lines = [_MARKDOWN_HEADING.sub("", line) for line in text.split("\n")]
    for i, line in enumerate(lines):
        if not line:
            if out:
                out[-1] = (out[-1][0], True)
            continue
        previous_blank = i > 0 and not lines[i - 1]
        if out and not previous_blank and _continues(out[-1][0], line):
            out[-1] = (f"{out[-1][0]} {line}", False)
        else:
            out.append((line, False))
    return out


def _continues(previous: str, line: str) -> bool:
    return not previous.endswith(tuple(_TERMINAL)) and line[:1].islower()


def _drop_boilerplate(
    paragraphs: list[tuple[str, bool]],
) -> tuple[list[tuple[str, bool]], list[str]]:
    kept, dropped = [], []
    for text, blank_after in paragraphs:
        if len(text.split()) <= _BOILERPLATE_MAX_WORDS and any(p.match(text) for p in _BOILERPLATE):
            dropped.append(text)
        else:
            kept.append((text, blank_after))
    return kept, dropped


def _take_title(
    paragraphs: list[tuple[str, bool]], title: str | None
) -> tuple[str | None, list[tuple[str, bool]]]:
    """The known title (and its echo as the first line), or a headline first line."""
    if not paragraphs:
        return title, paragraphs
    first, blank_after = paragraphs[0]
    if title:
        same = _comparable(first) == _comparable(normalise(title))
        return normalise(title).strip(), paragraphs[1:] if same else paragraphs
    if len(paragraphs) > 1 and _is_headline(first, blank_after):
        return first, paragraphs[1:]
    return None, paragraphs


def _is_headline(line: str, blank_after: bool) -> bool:
    words = line.split()
    if not 2 <= len(words) <= _TITLE_MAX_WORDS or line.endswith(tuple(".:;,")):
        return False
    if parse_dateline(line) is not None:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return blank_after or capitalised >= 0.6 * len(words)


def _classify(paragraphs: list[tuple[str, bool]], index: int) -> Block:
    text = paragraphs[index][0]
    if _BULLET.match(text):
        return Block(text, "item")
    is_last = index == len(paragraphs) - 1
    if not is_last and _is_heading(text):
        return Block(text, "heading")
    return Block(text, "paragraph")


def _is_heading(text: str) -> bool:
    words = text.split()
    if not words or len(words) > _HEADING_MAX_WORDS:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    if text.endswith("?") or text.endswith("!"):
        return len(words) <= 6
    return not text.endswith(tuple(_TERMINAL))


def _comparable(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()
