"""The domain objects, all frozen: what flows between the stages and what the store returns.

Offsets (`start`, `end`) always index into `Article.text`, the cleaned body: every later
stage cites (article id, offset) pairs against it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawDocument:
    """One report as a reader found it, before cleaning.

    Exactly one of `text` or `html` is set. Metadata is whatever the input carried;
    unknowns are None.
    """

    source: str
    text: str | None = None
    html: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_before: str | None = None
    url: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Rejection:
    """An input (file, record, entry, page) that could not become an article, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class Span:
    """A stretch of an article body: a sentence or a heading."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Dateline:
    """The place and outlet a report opens with ("ISTANBUL (AP) —")."""

    place: str | None
    outlet: str | None
    length: int


@dataclass(frozen=True)
class CleanText:
    """The body of a report after boilerplate removal, with its structure."""

    text: str
    title: str | None
    dateline: Dateline | None
    sentences: tuple[Span, ...]
    headings: tuple[Span, ...]
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """A stored report."""

    id: str
    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    place: str | None = None
    published: str | None = None
    published_before: str | None = None
    url: str | None = None
    author: str | None = None
    revision_of: str | None = None
    sentences: tuple[Span, ...] = ()
    headings: tuple[Span, ...] = ()

    @property
    def words(self) -> int:
        return len(self.text.split())

    def summary(self) -> dict[str, Any]:
        """The listing shape of the contract."""
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "outlet": self.outlet,
            "place": self.place,
            "published": self.published,
            "words": self.words,
        }

    def to_dict(self) -> dict[str, Any]:
        data = self.summary()
        data.update(
            {
                "url": self.url,
                "author": self.author,
                "published_before": self.published_before,
                "revision_of": self.revision_of,
                "text": self.text,
                "sentences": [asdict(s) for s in self.sentences],
                "headings": [asdict(h) for h in self.headings],
            }
        )
        return data


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did."""

    added: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    rejected: tuple[Rejection, ...] = ()
    revisions: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": len(self.added),
            "skipped": len(self.skipped),
            "rejected": [asdict(r) for r in self.rejected],
            "articles": list(self.added),
            "revisions": list(self.revisions),
        }
