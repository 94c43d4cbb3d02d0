"""RSS and Atom feeds through feedparser: each entry is one article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from ..errors import RejectedInput
from ..models import RawDocument, Rejection
from ..settings import Settings
from .files import read_bytes
from .published import normalise_published

_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)


def looks_like_feed(head: bytes) -> bool:
    return bool(_FEED_ROOT.search(head[:2048]))


def read_feed_file(path: Path, settings: Settings) -> Iterator[RawDocument | Rejection]:
    try:
        data = read_bytes(path, settings.max_document_bytes)
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
    feed = feedparser.parse(data)
    if not feed.entries:
        why = getattr(feed, "bozo_exception", None)
        detail = f" ({str(why).splitlines()[0]})" if why else ""
        raise RejectedInput(f"not a readable RSS/Atom feed, or a feed with no entries{detail}")
    return list(feed.entries), feed.feed.get("title")


def check_safe_xml(data: bytes) -> None:
    try:
        safe_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise RejectedInput(f"refused unsafe XML: {type(exc).__name__}") from None
    except Exception:
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
