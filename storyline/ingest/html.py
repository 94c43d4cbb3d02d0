"""HTML pages saved as files. Extraction (trafilatura) happens in the extract stage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import RejectedInput
from ..models import RawDocument, Rejection
from ..settings import Settings
from .files import decode, read_bytes


def read_html_file(path: Path, settings: Settings) -> Iterator[RawDocument | Rejection]:
    try:
        html = decode(read_bytes(path, settings.max_document_bytes))
    except RejectedInput as exc:
        yield Rejection(str(path), exc.reason)
        return
    yield RawDocument(source=str(path), html=html)
