"""storyline: turn a pile of news reports into the story they tell.

The public API. The flow is ingest → extract → dedup → enrich → cluster → synthesise, all
behind `Storyline`, which keeps everything in one SQLite file.
"""

from .core import Storyline
from .errors import (
    EvalDataError,
    NotFoundError,
    RejectedInput,
    StoreError,
    StorylineError,
    UsageError,
)
from .extract import build_article, clean_text
from .ingest import read_inputs
from .models import Article, IngestReport, RawDocument, Rejection, Span
from .settings import Settings

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
    "Storyline",
    "StorylineError",
    "UsageError",
    "build_article",
    "clean_text",
    "read_inputs",
]
