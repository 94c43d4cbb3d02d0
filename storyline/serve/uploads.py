"""POST /api/ingest bodies → RawDocuments, through the same readers the CLI uses.

JSON bodies (one article object or a list) go through `record_to_document`; a record
without a `url` gets the source `api:<digest of the record>`: a source is what tells a new
version of a report from another report (the store takes a later article from the same
source as a revision of the earlier), and only the same record has the same digest. An
uploaded file is written to a temporary folder under its own (sanitised) name and read by
`read_inputs`, so every format the CLI takes is taken here, with the same limits.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

from ..errors import RejectedInput, UsageError
from ..ingest import read_inputs
from ..ingest.records import load_json, record_to_document
from ..models import RawDocument, Rejection
from ..settings import Settings

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def documents_from_json(body: bytes) -> list[RawDocument | Rejection]:
    """A JSON article object, or a list of them; bad records become Rejections, whose source
    `api#N` says which record of the body it was."""
    try:
        # The readers' parser: too deep a nesting or too long a number is refused, not a 500.
        data = load_json(body.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UsageError(f"the body is not UTF-8 ({exc}); send a list of articles") from None
    except RejectedInput as exc:
        raise UsageError(f"the body is not an article list: {exc.reason}") from None
    records = data if isinstance(data, list) else [data]
    if not records:
        raise UsageError('the body is an empty list; send [{"text": ..., "title": ...}, ...]')
    found: list[RawDocument | Rejection] = []
    for index, record in enumerate(records):
        try:
            found.append(record_to_document(record, record_source(record)))
        except RejectedInput as exc:
            found.append(Rejection(f"api#{index}", exc.reason))
    return found


def record_source(record: object) -> str:
    """`api:` and a digest of the record: the same for the same record, whatever else the
    body held, and different for any other."""
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False)
    return "api:" + hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def safe_filename(name: str | None) -> str:
    """The client's file name without folders or odd characters; keeps the suffix readers use."""
    base = Path((name or "").replace("\\", "/")).name
    cleaned = _SAFE_NAME.sub("_", base).lstrip(".")
    return cleaned or "upload.txt"


def documents_from_file(
    data: bytes, filename: str | None, settings: Settings
) -> Iterator[RawDocument | Rejection]:
    """Read one uploaded file as the CLI would read it from disk; sources say `upload:NAME`."""
    name = safe_filename(filename)
    with tempfile.TemporaryDirectory(prefix="storyline-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        for item in read_inputs([path], settings):
            yield _relabel(item, str(path), f"upload:{name}")


def _relabel(item: RawDocument | Rejection, temporary: str, shown: str) -> RawDocument | Rejection:
    if item.source.startswith(temporary):
        return replace(item, source=shown + item.source[len(temporary) :])
    return item


async def read_limited(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """The whole body, refusing as soon as it passes `limit` bytes."""
    from .app import TooLarge

    received = bytearray()
    async for chunk in chunks:
        received += chunk
        if len(received) > limit:
            raise TooLarge(too_large_message(limit))
    return bytes(received)


def too_large_message(limit: int) -> str:
    return f"the upload is over the {limit:,}-byte limit; split it into smaller files"
