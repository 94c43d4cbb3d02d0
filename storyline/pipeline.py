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
# (dedup → enrich → cluster); synthesis follows, per story, in analyse(). `reads` and
# `writes` name the store tables; check_stages() holds them to the flow order.
STAGES: list[Stage] = [
    Stage(
        "dedup",
        find_copies,
        reads=("articles", "spans", "minhashes", "sentence_vectors"),
        writes=("duplicates", "minhashes", "sentence_vectors"),
        batch_size=500,
    ),
    Stage(
        "enrich",
        enrich,
        reads=("articles", "spans", "sentence_vectors"),
        writes=(
            "mentions",
            "entities",
            "entity_aliases",
            "roles",
            "quotes",
            "time_expressions",
            "happenings",
            "happening_echoes",
            "sentence_vectors",
            "figures",
            "assertions",
        ),
        batch_size=50,
    ),
    Stage(
        "cluster",
        cluster_stage,
        reads=("articles", "article_vectors", "mentions", "entities", "corrections"),
        writes=(
            "events",
            "event_articles",
            "stories",
            "article_vectors",
            "cluster_counters",
            "cluster_heads",
            "cluster_signals",
            "cluster_terms",
            "retired_ids",
        ),
    ),
]
# What ingest writes before any stage runs, and what analysts write (corrections).
INGESTED = frozenset({"articles", "spans", "corrections"})


def check_stages(stages: Sequence[Stage], ingested: frozenset[str] = INGESTED) -> None:
    """Every table a stage reads is written by ingest, by an earlier stage or by itself
    (as spaCy's analyze_pipes checks a pipeline's attributes); raises ValueError naming the
    first that is not, so a stage registered out of order fails at import."""
    written = set(ingested)
    for stage in stages:
        missing = sorted(set(stage.reads) - written - set(stage.writes))
        if missing:
            raise ValueError(f"stage {stage.name!r} reads {missing}, which no earlier stage writes")
        written |= set(stage.writes)


check_stages(STAGES)


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
