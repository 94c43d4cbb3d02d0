"""Article text and metadata out of HTML, through trafilatura (which uses htmldate)."""

from __future__ import annotations

from dataclasses import replace

import lxml.html
import trafilatura

from ..errors import RejectedInput
from ..ingest.published import normalise_published
from ..models import RawDocument

_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "br", "tr", "pre"}


def html_to_document(raw: RawDocument) -> RawDocument:
    """The raw document with `text` taken out of its `html`; input metadata wins over the page's."""
    assert raw.html is not None
    extracted = trafilatura.bare_extraction(
        raw.html,
        url=raw.url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        deduplicate=False,
    )
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        # Feed entries and short pages are fragments that trafilatura finds too thin.
        text = fragment_text(raw.html)
    if not text.strip():
        raise RejectedInput("no article text found in the HTML")
    meta = extracted if extracted is not None else None
    published = raw.published or normalise_published(getattr(meta, "date", None))
    if raw.published_before and published and published > raw.published_before:
        published = None  # a page cannot be published after it was captured
    return replace(
        raw,
        html=None,
        text=text,
        title=raw.title or getattr(meta, "title", None),
        outlet=raw.outlet or getattr(meta, "sitename", None),
        published=published,
        url=raw.url or getattr(meta, "url", None),
        author=raw.author or getattr(meta, "author", None),
    )


def fragment_text(html: str) -> str:
    """Visible text of an HTML fragment, one line per block element."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    return str(root.text_content())
