"""One settings object, built at the edge (CLI, server, tests) and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_DB = "storyline.db"


@dataclass(frozen=True)
class Settings:
    db_path: Path = Path(DEFAULT_DB)
    # Largest single document (file, JSON record, feed entry, WARC record) accepted, in bytes.
    max_document_bytes: int = 10 * 1024 * 1024
    # Articles written per transaction during ingest: a kill loses at most one batch.
    batch_size: int = 200
    # Fewer words than this after cleaning and the document is rejected as empty.
    min_words: int = 5
    # A report's analysis (parse, entities, quotes, dates, happenings) reads at most this many
    # characters, cut after a whole sentence; the report is kept whole. News reports run to
    # a few thousand (Timeline17: 4,100 at the median, 8,100 at the 90th percentile); what
    # runs past this is a page's comments or archive, whose parse took gigabytes and minutes.
    analysed_characters: int = 50_000

    @classmethod
    def from_env(cls, db: str | os.PathLike[str] | None = None, **overrides: object) -> Settings:
        """Settings from explicit values, then `$STORYLINE_*`, then defaults."""
        path = db or os.environ.get("STORYLINE_DB") or DEFAULT_DB
        base = cls(db_path=Path(path))
        numbers: dict[str, int] = {}
        for field, variable in (
            ("max_document_bytes", "STORYLINE_MAX_DOCUMENT_BYTES"),
            ("batch_size", "STORYLINE_BATCH_SIZE"),
            ("analysed_characters", "STORYLINE_ANALYSED_CHARACTERS"),
        ):
            value = os.environ.get(variable)
            if value:
                numbers[field] = int(value)
        base = replace(base, **numbers)  # type: ignore[arg-type]
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(base, **clean)  # type: ignore[arg-type]
