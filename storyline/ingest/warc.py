"""WARC archives through warcio: each HTML response becomes an article, as in CC-News.

The capture date bounds the publication date (a page cannot be published after it was
captured); it is never taken as the publication date itself.

warcio reads whatever it is given: header lines to their end however long, blank lines
one at a time, gzip without a ceiling. The archive is therefore expanded here
(streams.ExpandedStream, capped) and warcio's line reader bounded, so a small hostile
file cannot hold gigabytes or spin for minutes.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader

from ..errors import RejectedInput
from ..models import RawDocument, Rejection
from ..settings import Settings
from .files import one_line
from .published import normalise_published
from .streams import ExpandedStream

# Longest WARC or HTTP header line accepted (long URLs and cookies run to a few kilobytes).
MAX_HEADER_LINE = 64 * 1024
# Records are separated by two blank lines; a run of more is padding or an attack.
MAX_BLANK_LINES = 1000


def read_warc_file(path: Path, settings: Settings) -> Iterator[RawDocument | Rejection]:
    found = 0
    with ExpandedStream.open(path, settings.max_document_bytes) as stream:
        try:
            for record in _records(stream):
                item = _record_to_document(record, settings)
                if _ends_early(record):
                    url = record.rec_headers.get_header("WARC-Target-URI") or str(path)
                    yield Rejection(
                        url, f"cut short: the archive ends inside this record{_kept(found)}"
                    )
                    return
                if item is not None:
                    found += isinstance(item, RawDocument)
                    yield item
        except RejectedInput as exc:
            yield Rejection(str(path), f"malformed WARC after {found} pages ({exc.reason})")
            return
        if stream.truncated:
            yield Rejection(str(path), f"cut short: the gzip data ends early{_kept(found)}")
            return
    if found == 0:
        yield Rejection(str(path), "WARC archive holds no HTML responses")


def _records(stream: ExpandedStream) -> Iterator[Any]:
    """warcio's records, its failures on a malformed archive raised as RejectedInput."""
    records = iter(_BoundedArchive(stream))
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except RejectedInput:
            raise
        except ArchiveLoadFailed as exc:
            raise RejectedInput(one_line(str(exc))) from None
        except Exception as exc:  # warcio fails in its own ways on odd records, e.g. an
            # AttributeError on a response without a WARC-Target-URI
            raise RejectedInput(f"warcio {type(exc).__name__}: {one_line(str(exc))}") from None
        yield record


def _kept(found: int) -> str:
    pages = "1 page" if found == 1 else f"{found} pages"
    return f" ({pages} before it kept)" if found else ""


def _record_to_document(record: Any, settings: Settings) -> RawDocument | Rejection | None:
    """An HTML response as a RawDocument; other records are None."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    http = record.http_headers
    content_type = http.get_header("Content-Type") or ""
    if not content_type.lower().startswith(("text/html", "application/xhtml")):
        return None
    status = http.get_statuscode()
    if status and not status.startswith("2"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or "warc-record"
    limit = settings.max_document_bytes
    body = record.content_stream().read(limit + 1)
    if len(body) > limit:
        return Rejection(url, f"page is over the {limit:,}-byte limit")
    if not body.strip():
        return Rejection(url, "empty page")
    html = _decode(body, content_type)
    if "\x00" in html:
        return Rejection(url, "binary data, not text")
    return RawDocument(
        source=url,
        html=html,
        url=url,
        published_before=normalise_published(record.rec_headers.get_header("WARC-Date")),
    )


def _ends_early(record: Any) -> bool:
    """Whether the archive ended before the record's declared length (a cut download)."""
    raw = record.raw_stream
    if not isinstance(raw, LimitReader):
        return False  # no usable Content-Length: nothing to measure against
    while raw.read(_DRAIN_BYTES):
        pass
    return raw.limit > 0


_DRAIN_BYTES = 1 << 16


def _decode(body: bytes, content_type: str) -> str:
    """The page as text in its declared charset; UTF-8 when the charset is unknown or
    cannot decode it (`idna`, `undefined`, a name with a NUL), as browsers do."""
    charset = _charset(content_type)
    if charset is not None:
        try:
            return body.decode(charset, errors="replace")
        except (UnicodeError, ValueError, LookupError):
            pass
    return body.decode("utf-8", errors="replace")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            name = value.strip("\"' ").lower()
            try:
                return codecs.lookup(name).name
            except (LookupError, ValueError, TypeError):
                return None
    return None


class _BoundedLines(BufferedReader):
    """warcio's line reader, refusing a line over MAX_HEADER_LINE and a run of over
    MAX_BLANK_LINES blank lines. Page bodies are read with read(), never readline()."""

    def __init__(self, stream: ExpandedStream) -> None:
        super().__init__(stream)  # no decompression: the stream is expanded already
        self._blank_run = 0

    def readline(self, length: int | None = None) -> bytes:
        line = self._line(MAX_HEADER_LINE if length is None else min(length, MAX_HEADER_LINE))
        if len(line) >= MAX_HEADER_LINE and not line.endswith(b"\n"):
            raise RejectedInput(f"a header line runs past {MAX_HEADER_LINE:,} bytes")
        self._blank_run = self._blank_run + 1 if line and not line.strip() else 0
        if self._blank_run > MAX_BLANK_LINES:
            raise RejectedInput(f"over {MAX_BLANK_LINES:,} blank lines in a row")
        return line

    def _line(self, limit: int) -> bytes:
        """Up to `limit` bytes, to the end of the line (warcio's own readline miscounts
        across its buffer's refills, and copies the line once per refill)."""
        parts: list[bytes] = []
        size = 0
        while size < limit:
            self._fillbuff()
            if self.empty():
                break
            part = self.buff.readline(limit - size)
            parts.append(part)
            size += len(part)
            if part.endswith(b"\n"):
                break
        return b"".join(parts)


class _BoundedArchive(ArchiveIterator):
    """ArchiveIterator over an expanded stream, its lines read by _BoundedLines."""

    def __init__(self, stream: ExpandedStream) -> None:
        super().__init__(stream)
        # warcio builds its reader in __init__ and first uses it when iterated.
        self.reader = _BoundedLines(self.fh)
