"""The analysis pipeline: the stages that run on newly stored articles, registered here.

A stage is a plain callable with declared inputs and outputs (as in spaCy): it receives
the store, the ids of articles it has not processed yet, and the settings; it reads the
tables named in `reads` and writes those in `writes`. The pipeline calls each stage in
order on its pending articles, one batch per transaction, and records the batch as done
in the same transaction, so a killed run resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import timing
from .cluster.stage import cluster_stage
from .dedup.copies import find_copies
from .enrich import enrich
from .settings import Settings
from .store import Store
from .synthesise import stored

StageFunction = Callable[[Store, Sequence[str], Settings], None]
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Stage:
    name: str
    run: StageFunction
    reads: tuple[str, ...] = ("articles",)
    writes: tuple[str, ...] = ()
    # Articles per call; a stage that compares across articles may want them all at once.
    batch_size: int = 200


# Registration in one place: later stages append themselves here, in flow order
# (dedup → enrich → cluster); synthesis follows, per story, in analyse().
STAGES: list[Stage] = [
    Stage(
        "dedup",
        find_copies,
        reads=("articles", "spans", "minhashes"),
        writes=("duplicates", "minhashes"),
        batch_size=500,
    ),
    Stage("enrich", enrich, reads=("articles", "spans"), batch_size=50),
    Stage(
        "cluster",
        cluster_stage,
        reads=("articles", "article_vectors", "mentions", "entities"),
        writes=("events", "event_articles", "stories", "article_vectors"),
    ),
]


def analyse(store: Store, settings: Settings, progress: Progress | None = None) -> dict[str, int]:
    """Run every stage on what it has not seen, then synthesise every story whose content
    changed (new reports or an analyst's correction). Returns articles processed per stage
    and, under "synthesise", the number of stories rebuilt."""
    processed: dict[str, int] = {}
    for stage in STAGES:
        pending = store.pending(stage.name)
        processed[stage.name] = len(pending)
        for start in range(0, len(pending), stage.batch_size):
            batch = pending[start : start + stage.batch_size]
            with store.transaction(), timing.stage(stage.name):
                stage.run(store, batch, settings)
                store.mark_done(stage.name, batch)
            if progress is not None:
                progress(stage.name, start + len(batch), len(pending))
    # Stories, not articles, are synthesised: a story's claims, timeline and briefing are
    # kept per version of the story (synthesise/stored.py), so readers never wait for them.
    # A run that added reports may keep a large story's copy a while (stored.Deferral); one
    # that added nothing (`storyline analyse` after a watcher's runs) brings all up to date.
    defer = stored.Deferral() if any(processed.values()) else None
    with timing.stage("syntheses"):
        processed["synthesise"] = len(stored.refresh(store, progress, defer))
    return processed
