"""Extract: from a RawDocument to an Article with a clean body, sentences and metadata."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from ..errors import RejectedInput
from ..models import Article, CleanText, RawDocument, Span
from ..settings import Settings
from .clean import normalise, structure
from .html import html_to_document
from .sentences import split_sentences

_BULLET_MARK = re.compile(r"^(?:[-*•·–]|\d{1,2}[.)])\s+")


def clean_text(text: str, title: str | None = None) -> CleanText:
    """The body of a plain-text report, cleaned, with title, dateline, sentences and headings."""
    parts = structure(text, title)
    body_parts: list[str] = []
    headings: list[Span] = []
    prose: list[tuple[str, int]] = []
    offset = 0
    for block in parts.blocks:
        if body_parts:
            offset += 2  # the "\n\n" joining blocks
        body_parts.append(block.text)
        if block.kind == "heading":
            headings.append(Span(block.text, offset, offset + len(block.text)))
        else:
            skip = _marker_length(block.text) if block.kind == "item" else 0
            prose.append((block.text[skip:], offset + skip))
        offset += len(block.text)
    return CleanText(
        text="\n\n".join(body_parts),
        title=parts.title,
        dateline=parts.dateline,
        sentences=tuple(split_sentences(prose)),
        headings=tuple(headings),
        dropped=parts.dropped,
    )


def _marker_length(text: str) -> int:
    match = _BULLET_MARK.match(text)
    return match.end() if match else 0


def build_article(raw: RawDocument, settings: Settings) -> Article:
    """Clean a raw document into an Article; raises RejectedInput with the reason."""
    if raw.html is not None:
        if len(raw.html.encode("utf-8", "ignore")) > settings.max_document_bytes:
            raise RejectedInput(f"page is over the {settings.max_document_bytes:,}-byte limit")
        raw = html_to_document(raw)
    assert raw.text is not None
    if len(raw.text) > settings.max_document_bytes:
        raise RejectedInput(f"text is over the {settings.max_document_bytes:,}-byte limit")
    cleaned = clean_text(raw.text, raw.title)
    words = len(cleaned.text.split())
    if words < settings.min_words:
        raise RejectedInput(f"only {words} words of text after cleaning; nothing to analyse")
    dateline = cleaned.dateline
    article = Article(
        id="",
        source=raw.source,
        text=cleaned.text,
        title=cleaned.title,
        outlet=raw.outlet or (dateline.outlet if dateline else None),
        place=dateline.place if dateline else None,
        published=raw.published,
        published_before=raw.published_before,
        url=raw.url,
        author=raw.author,
        # Sentences are what every analysis reads: those past the analysed length (a page's
        # comments, settings.analysed_characters) are not marked, the text stays whole.
        sentences=tuple(s for s in cleaned.sentences if s.end <= settings.analysed_characters),
        headings=cleaned.headings,
    )
    return replace(article, id=article_id(article))


def article_id(article: Article) -> str:
    """Content-derived: the same report gives the same id on every machine.

    A report is its body plus where it says it comes from (url, else outlet and title), so
    a copy on another site is a different article and re-reading the same file is not.
    """
    origin = article.url or f"{article.outlet or ''}\x1f{article.title or ''}"
    digest = hashlib.sha256(f"{origin}\x1e{article.text}".encode()).hexdigest()
    return digest[:12]


def text_fingerprint(text: str) -> str:
    """Hash of the body with case, punctuation and spacing ignored: exact copies share it."""
    canonical = " ".join(re.findall(r"\w+", normalise(text).lower()))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


__all__ = ["article_id", "build_article", "clean_text", "normalise", "text_fingerprint"]
