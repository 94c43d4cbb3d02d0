"""storyline: turn a pile of news reports into the story they tell.

The public API. The flow is ingest → extract → dedup → enrich → cluster → synthesise, all
behind `Storyline`, which keeps everything in one SQLite file.
"""

import importlib
from typing import TYPE_CHECKING, Any

from .core import Storyline
from .errors import (
    EvalDataError,
    NotFoundError,
    RejectedInput,
    StoreError,
    StoreLockedError,
    StorylineError,
    UsageError,
)
from .models import Article, IngestReport, RawDocument, Rejection, Span
from .settings import Settings

if TYPE_CHECKING:
    from .extract import build_article, clean_text
    from .ingest import read_inputs

# Readers and cleaners are imported on first use: they load trafilatura, feedparser and
# warcio, which a command that only reads the store should not wait for.
_LAZY = {"build_article": ".extract", "clean_text": ".extract", "read_inputs": ".ingest"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "Article",
    "EvalDataError",
    "IngestReport",
    "NotFoundError",
    "RawDocument",
    "RejectedInput",
    "Rejection",
    "Settings",
    "Span",
    "StoreError",
    "StoreLockedError",
    "Storyline",
    "StorylineError",
    "UsageError",
    "build_article",
    "clean_text",
    "read_inputs",
]
