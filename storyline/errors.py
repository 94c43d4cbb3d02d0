"""The exception tree. Everything storyline raises on purpose derives from StorylineError.

    StorylineError
    ├── UsageError        the caller asked for something malformed (bad date, bad option)
    ├── NotFoundError     an id or path that does not exist
    ├── RejectedInput     one input document could not be read; the run goes on
    ├── StoreError        the SQLite file cannot be opened, is from a newer version, or
    │   │                 refused a statement (every SQLite error leaves the Store as one)
    │   └── StoreLockedError  another process holds the write lock; wait for it or stop it
    └── EvalDataError     a benchmark folder does not have the expected layout

Messages are one line and say what to do next; the CLI prints them as they are.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Root of every error storyline raises deliberately."""


class UsageError(StorylineError):
    """Malformed request from the caller."""


class NotFoundError(StorylineError):
    """An id or path that does not exist."""


class RejectedInput(StorylineError):
    """One input could not become an article. Carries the reason shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StoreError(StorylineError):
    """The store cannot be used."""


class StoreLockedError(StoreError):
    """Another process holds the store's lock longer than this one waits for it."""


class EvalDataError(StorylineError):
    """A data folder given to `storyline eval` has no data of the expected layout."""


__all__ = [
    "EvalDataError",
    "NotFoundError",
    "RejectedInput",
    "StoreError",
    "StoreLockedError",
    "StorylineError",
    "UsageError",
]
