"""RSS and Atom feeds through feedparser: each entry is one article."""

from __future__ import annotations

import codecs
import io
import re
import reprlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from ..errors import RejectedInput
from ..models import RawDocument, Rejection
from ..settings import Settings
from .files import looks_binary, one_line, read_bytes
from .published import normalise_published

_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
_CHARACTER_REFERENCE = re.compile(rb"&#([xX][0-9a-fA-F]+|[0-9]+);")
_NO_CHARACTER = b"&#xFFFD;"
_ENCODING_DECLARATION = re.compile(
    rb"""\A((?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\bencoding\s*=\s*["'])([^"']*)(["'])"""
)


def looks_like_feed(head: bytes) -> bool:
    return bool(_FEED_ROOT.search(head[:2048]))


def read_feed_file(path: Path, settings: Settings) -> Iterator[RawDocument | Rejection]:
    try:
        data = read_bytes(path, settings.max_document_bytes)
        if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and looks_binary(data):
            raise RejectedInput("binary data, not text")
        entries, outlet = parse_feed(data)
    except RejectedInput as exc:
        yield Rejection(str(path), exc.reason)
        return
    for index, entry in enumerate(entries):
        source = entry.get("link") or f"{path}#{index}"
        try:
            yield entry_to_document(entry, source, outlet)
        except RejectedInput as exc:
            yield Rejection(source, exc.reason)


def parse_feed(data: bytes) -> tuple[list[Any], str | None]:
    """Entries and the feed's title. XML is screened first: no entities, no DTD tricks."""
    check_safe_xml(data)
    data = _CHARACTER_REFERENCE.sub(_real_character, data)
    try:
        # As a stream: given bytes, feedparser first tries them as a file name to open.
        feed = feedparser.parse(io.BytesIO(data))
    except (ValueError, OverflowError) as exc:  # what _real_character cannot see (UTF-16)
        raise RejectedInput(f"not a readable RSS/Atom feed ({one_line(str(exc))})") from None
    if not feed.entries:
        why = getattr(feed, "bozo_exception", None)
        detail = f" ({str(why).splitlines()[0]})" if why else ""
        raise RejectedInput(f"not a readable RSS/Atom feed, or a feed with no entries{detail}")
    return list(feed.entries), feed.feed.get("title")


def _real_character(reference: re.Match[bytes]) -> bytes:
    """A character reference as it is, or U+FFFD (as HTML reads it) for one that names no
    character (a surrogate, past U+10FFFF): feedparser raises on those."""
    digits = reference.group(1).lstrip(b"xX0") or b"0"
    hexadecimal = reference.group(1)[:1] in b"xX"
    code = int(digits, 16 if hexadecimal else 10) if len(digits) <= 8 else sys.maxunicode + 1
    real = code <= sys.maxunicode and not 0xD800 <= code <= 0xDFFF
    return reference.group() if real else _NO_CHARACTER


def check_safe_xml(data: bytes) -> None:
    """Entity declarations and external references are refused.

    Malformed XML passes (feedparser reads it loosely, expanding no entities of its own),
    but a feed is never let past unscreened for its declared encoding: an unknown one is
    refused, and one the XML parser cannot read (GBK, Shift_JIS) is screened as Latin-1,
    in which the markup of any of them still reads.
    """
    try:
        _screen(data)
    except LookupError:
        declared = _ENCODING_DECLARATION.match(data)
        name = declared.group(2).decode("latin-1") if declared else "?"
        raise RejectedInput(
            f"the feed declares an unknown encoding {reprlib.repr(name)}; "
            "correct the encoding in its <?xml ...?> line"
        ) from None
    except ValueError:
        try:
            _screen(_ENCODING_DECLARATION.sub(rb"\g<1>iso-8859-1\g<3>", data, count=1))
        except (LookupError, ValueError):
            raise RejectedInput("the feed's encoding cannot be read by the XML screen") from None


def _screen(data: bytes) -> None:
    try:
        safe_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise RejectedInput(f"refused unsafe XML: {type(exc).__name__}") from None
    except ParseError:
        return


def entry_to_document(entry: Any, source: str, outlet: str | None) -> RawDocument:
    html = _entry_html(entry)
    if not html:
        raise RejectedInput("feed entry has no content or summary")
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    return RawDocument(
        source=source,
        html=html,
        title=entry.get("title") or None,
        outlet=outlet,
        published=normalise_published(published),
        url=entry.get("link") or None,
        author=_author_name(entry.get("author")),
    )


def _author_name(author: str | None) -> str | None:
    """RSS writes authors as "email (Name)"; keep the name."""
    if not author:
        return None
    match = re.search(r"\(([^()]+)\)\s*$", author)
    return match.group(1).strip() if match and "@" in author else author


def _entry_html(entry: Any) -> str | None:
    contents = entry.get("content") or []
    best = max((c.get("value") or "" for c in contents), key=len, default="")
    summary = entry.get("summary") or ""
    return best if len(best) >= len(summary) else summary or None
