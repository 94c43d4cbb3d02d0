"""One settings object, built at the edge (CLI, server, tests) and passed down.

Every number is checked when the object is made: a bad one is a UsageError that names the
setting (or the variable it came from) and says what to write instead, never a traceback.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import UsageError

DEFAULT_DB = "storyline.db"
# Longest id (or id prefix, entity name, outlet) taken from a user, on the command line or
# in a URL: ids are a dozen characters, and SQLite refuses a prefix pattern of 50,000.
MAX_ID_CHARS = 200
# Longest full-text query: a few sentences of words; longer ones only make SQLite work.
MAX_QUERY_CHARS = 1000
# Most items one request lists (a page of an API listing, `storyline search --limit`), and
# most skipped (?offset=): SQLite takes no integer past 2**63.
MAX_LIMIT = 10_000
MAX_OFFSET = 1_000_000_000
# The numeric settings each `$STORYLINE_*` variable sets.
ENVIRONMENT = {
    "max_document_bytes": "STORYLINE_MAX_DOCUMENT_BYTES",
    "batch_size": "STORYLINE_BATCH_SIZE",
    "analysed_characters": "STORYLINE_ANALYSED_CHARACTERS",
}


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

    def __post_init__(self) -> None:
        # Every number counts something: 0 or less would reject, or batch, everything.
        for field in fields(self):
            value = getattr(self, field.name)
            if field.type == "int" and (not _is_whole(value) or value < 1):
                raise UsageError(f"{field.name} is {value!r}; give a whole number of 1 or more")

    @classmethod
    def from_env(cls, db: str | os.PathLike[str] | None = None, **overrides: object) -> Settings:
        """Settings from explicit values, then `$STORYLINE_*`, then defaults."""
        path = db or os.environ.get("STORYLINE_DB") or DEFAULT_DB
        numbers = {
            field: _number_from(variable)
            for field, variable in ENVIRONMENT.items()
            if os.environ.get(variable)
        }
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(cls(db_path=Path(path), **numbers), **clean)  # type: ignore[arg-type]


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number_from(variable: str) -> int:
    """A whole number of 1 or more from `$variable`, or a UsageError naming it."""
    text = os.environ[variable].strip()
    # Digits only: no sign, no "1e6", no "10MB"; at most 18 of them (SQLite's integers).
    number = int(text) if re.fullmatch(r"[0-9]{1,18}", text) else 0
    if number < 1:
        raise UsageError(
            f"${variable} is {text!r}; set it to a whole number of 1 or more, in digits"
            " (1000000, not 1e6), or unset it"
        )
    return number
