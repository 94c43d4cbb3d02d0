"""WARC archives through warcio: each HTML response becomes an article, as in CC-News.

The capture date bounds the publication date (a page cannot be published after it was
captured); it is never taken as the publication date itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..models import RawDocument, Rejection
from ..settings import Settings
from .published import normalise_published


def read_warc_file(path: Path, settings: Settings) -> Iterator[RawDocument | Rejection]:
    found = 0
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response":
                    continue
                document = _record_to_document(record, settings)
                if document is not None:
                    found += 1
                    yield document
    except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        yield Rejection(str(path), f"malformed WARC after {found} pages ({reason})")
        return
    if found == 0:
        yield Rejection(str(path), "WARC archive holds no HTML responses")


def _record_to_document(record: object, settings: Settings) -> RawDocument | Rejection | None:
    headers = record.rec_headers  # type: ignore[attr-defined]
    http = record.http_headers  # type: ignore[attr-defined]
    url = headers.get_header("WARC-Target-URI") or "warc-record"
    if http is None or not (http.get_header("Content-Type") or "").lower().startswith(
        ("text/html", "application/xhtml")
    ):
        return None
    status = http.get_statuscode()
    if status and not status.startswith("2"):
        return None
    body = record.content_stream().read(settings.max_document_bytes + 1)  # type: ignore[attr-defined]
    if len(body) > settings.max_document_bytes:
        return Rejection(url, f"page is over the {settings.max_document_bytes:,}-byte limit")
    if not body.strip():
        return Rejection(url, "empty page")
    charset = _charset(http.get_header("Content-Type") or "")
    html = body.decode(charset or "utf-8", errors="replace")
    return RawDocument(
        source=url,
        html=html,
        url=url,
        published_before=normalise_published(headers.get_header("WARC-Date")),
    )


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            name = value.strip("\"' ").lower()
            try:
                "".encode(name)
            except LookupError:
                return None
            return name
    return None
