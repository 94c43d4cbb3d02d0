"""A second look at a growing story: is another story the same one, begun apart?

A story is linked one event at a time, with the evidence of the moment: the first report
of a new turn (a vaccine campaign in a flu story, a court case in an oil-spill story)
may read unlike the story's few events so far and found a story of its own, which then
grows beside the first. So when a story reaches one of a few sizes (a geometric series,
so the work per article stays bounded), its summary is compared with the stories of the
events its strongest names and its centroid block to, and the ones alike enough are
merged into it (the oldest keeps its id). A while after each report arrived, a story it
left alone (a stray) joins the established story it reads as part of, and a report alone
in its event re-decides its story (STRAY_DELAYS). Stories an analyst has corrected
(merged into, moved into, or holding a corrected event) are never re-linked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from . import cast, resplit
from .bags import Bag, add_bags
from .index import MAX_STORY_EVENTS, NAME_KEYS, lsh_keys
from .scoring import (
    REHOME_MARGIN,
    STORY_DAYS,
    STORY_RELINK_THRESHOLD,
    STORY_THRESHOLD,
    Probe,
    Summary,
    time_penalty,
)
from .state import SUMMARY_NAMES, SUMMARY_TERMS, ClusterState

# Story sizes (articles) at which a story takes its second look: from RELINK_FIRST, each
# RELINK_GROWTH times the last, without end (each look costs the same bounded lookup, and
# looks grow rarer as the story grows, so the work per article stays flat).
RELINK_FIRST = 2
RELINK_GROWTH = 1.5


def due(size: int) -> bool:
    """Whether a story that just reached this size is re-examined."""
    checkpoint = float(RELINK_FIRST)
    while round(checkpoint) < size:
        checkpoint *= RELINK_GROWTH
    return round(checkpoint) == size


def corrected(state: ClusterState, story_id: str) -> bool:
    """Whether an analyst corrected this story or one of its events."""
    row = state.store.execute(
        "SELECT 1 FROM corrections WHERE target = ?"
        " OR target IN (SELECT id FROM events WHERE story = ?) LIMIT 1",
        (story_id, story_id),
    )
    return row.fetchone() is not None


def story_keys(state: ClusterState, story: Summary) -> list[str]:
    """Blocking keys of a story, as an article's: LSH bands of its centroid plus its
    NAME_KEYS most frequent names."""
    order = np.lexsort((story.names.ids, -story.names.weights))[:NAME_KEYS]
    names = [state.term_of(int(i)) for i in story.names.ids[order]]
    return lsh_keys(story.vector) + [f"n{name}" for name in names]


def span_gap(first: Summary, second: Summary) -> float | None:
    """Days between two spans of days; None when either is undated."""
    if None in (first.first_day, first.last_day, second.first_day, second.last_day):
        return None
    assert first.first_day is not None and first.last_day is not None
    assert second.first_day is not None and second.last_day is not None
    return float(max(0, second.first_day - first.last_day, first.first_day - second.last_day))


def other_stories(state: ClusterState, summary: Summary, own: str) -> list[Summary]:
    """The stories of the events the blocking lookup finds for a summary, but its own."""
    blocked = state.best_blocked(story_keys(state, summary), MAX_STORY_EVENTS)
    found = (state.story(i) for i in state.stories_of(blocked) if i != own)
    return [s for s in found if s is not None]


def mates(state: ClusterState, story: Summary) -> list[str]:
    """Stories (other than this one, none corrected) alike enough to be the same story."""
    others = other_stories(state, story, story.id)
    if not others:
        return []
    with Probe(story, state) as probe:
        scores = probe.text_similarities(others)
    found = []
    for other, score in zip(others, scores.tolist(), strict=True):
        score -= time_penalty(span_gap(story, other), STORY_DAYS)
        if (
            score >= STORY_RELINK_THRESHOLD
            and not corrected(state, other.id)
            and not cast.distinct(state, story, other, state.term_of)
        ):
            found.append(other.id)
    return found


# Event sizes at which an event re-decides its story (rehome): its story was chosen on its
# first report alone; a few reports later its summary says better what it is about.
REHOME_SIZES = frozenset({2, 4, 8, 16})
# Event sizes at which an event re-decides its story once more on the late look at its
# founding report (STRAY_DELAYS below): a report alone in its event joined a story on the
# evidence of its arrival, when the story it belongs to may have been young. Timeline17
# stories with the stray look above (all / even / odd folders): without 0.954 / 0.970 /
# 0.969; sizes {1} → 0.959 / 0.974 / 0.984; {1, 2, 3} → the same.
LATE_REHOME_SIZES = frozenset({1})
# Weights are stored as float32; a term taken out leaves at most this much behind.
RESIDUE = 1e-4


def without(story: Summary, event: Summary, term_of: Callable[[int], str]) -> Summary:
    """The story's summary with one of its events taken out."""
    return replace(
        story,
        vector=story.vector - event.vector,
        terms=_positive(add_bags(story.terms, event.terms, SUMMARY_TERMS, term_of, -1.0)),
        names=_positive(add_bags(story.names, event.names, SUMMARY_NAMES, term_of, -1.0)),
        size=story.size - event.size,
    )


def _positive(bag: Bag) -> Bag:
    """The bag without the float32 rounding residue a subtraction leaves of removed terms."""
    keep = bag.weights > RESIDUE
    return Bag(bag.ids[keep], bag.weights[keep])


def better_story(state: ClusterState, event: Summary) -> str | None:
    """Another story this event reads as part of clearly more than its own (compared with
    its own story without it), or None. Corrected events and stories stay where they are."""
    own = state.story(event.story)
    if own is None or resplit.corrected(state, event) or corrected(state, own.id):
        return None
    others = other_stories(state, event, own.id)
    if not others:
        return None
    rest = without(own, event, state.term_of)
    scores = _story_scores(state, event, [*others, rest])
    own_score = float(scores[-1]) if rest.size > 0 else STORY_THRESHOLD
    best, top = _top(others, scores[:-1])
    if (
        top < own_score + REHOME_MARGIN
        or corrected(state, best.id)
        or cast.distinct(state, event, best, state.term_of)
    ):
        return None
    return best.id


def _story_scores(state: ClusterState, summary: Summary, stories: list[Summary]) -> np.ndarray:
    """A summary's similarity with stories, on the story time scale."""
    with Probe(summary, state) as probe:
        scores = probe.text_similarities(stories)
    return scores - np.array([time_penalty(span_gap(summary, s), STORY_DAYS) for s in stories])


def _top(stories: list[Summary], scores: np.ndarray) -> tuple[Summary, float]:
    """The best-scoring story and its score (ties: the lower id)."""
    top = float(scores.max())
    tied = (s for s, x in zip(stories, scores.tolist(), strict=True) if x == top)
    return min(tied, key=lambda s: s.id), top


# A stray: the first report of a story's side turn (a bank's losses in a flu story) may
# read unlike the story, score under STORY_THRESHOLD against everything and found a story
# of its own. Whether it is a stray or the first report of a new story shows only later:
# a new story grows, a stray stays alone. So STRAY_DELAYS articles after a report arrived,
# if its story still holds at most STRAY_SIZE articles, that story is compared with the
# stories its summary blocks to, and joins the best of them if that one is established
# (at least STRAY_STORY_SIZE articles) and scores at least STRAY_THRESHOLD. One indexed
# lookup per delay per article (event_articles by seq): the work per article stays flat.
# Timeline17 stories (benchmarks/tune_cluster.py --only strays; F1 on all / even / odd
# folders, measured at stop 13): no look 0.944 / 0.954 / 0.951; delays (64, 512) at
# threshold 0.08 / 0.10 / 0.12 → 0.953 / 0.953 / 0.950 (even 0.970 / 0.969 / 0.964, odd
# 0.967 / 0.960 / 0.958); (32, 256) → 0.950 (0.973 / 0.967 at 0.08) and (128, 1024) →
# 0.950 / 0.951 / 0.948. Split-half: tuned on odd → (64, 0.08), 0.970 on even (best 0.973);
# tuned on even → (32, 0.08), 0.967 on odd (the best there). With other signals a delay of
# 32 ran two topics together (0.908): a young story given too little time to grow was
# taken for a stray; we keep (64, 512), clear of that. STRAY_SIZE 1 / 2 / 3 / 4 → 0.951 /
# 0.953 / 0.954 / 0.954; STRAY_STORY_SIZE 10 / 20 / 40 made no difference; a margin over
# the runner-up (0.03) cost 0.002-0.003 everywhere.
STRAY_DELAYS: tuple[int, ...] = (64, 512)
STRAY_SIZE = 3
STRAY_THRESHOLD = 0.08
STRAY_STORY_SIZE = 20


def arrived_before(state: ClusterState) -> list[str]:
    """The articles that arrived STRAY_DELAYS articles ago (their stories are due a look)."""
    found = []
    for delay in STRAY_DELAYS:
        row = state.store.execute(
            "SELECT article_id FROM event_articles WHERE seq = ? ORDER BY article_id LIMIT 1",
            (state.clock - delay,),
        ).fetchone()
        if row is not None:
            found.append(str(row[0]))
    return found


def stray_home(state: ClusterState, small: Summary) -> str | None:
    """The established story a small story (a stray, see above) belongs to, or None.
    Corrected stories are neither moved nor moved into."""
    if small.size > STRAY_SIZE or corrected(state, small.id):
        return None
    others = other_stories(state, small, small.id)
    if not others:
        return None
    best, top = _top(others, _story_scores(state, small, others))
    if top < STRAY_THRESHOLD or best.size < STRAY_STORY_SIZE or corrected(state, best.id):
        return None
    return best.id
