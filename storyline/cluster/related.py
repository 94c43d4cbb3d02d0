"""Related stories: kept apart, linked by the reports that are about both.

Two stories of one kind with distinct casts stay two stories (cast.py) even when some of
their reports name both: a Syria report that sets the Libyan war beside it, a roundup of
both uprisings. Such a report links the two as related stories instead: the story page
shows the other story and the reports about both, not a merged story.

A report is about a story when its cast's cosine with the story's cast (cast.py's
weighting) reaches cast.ABOUT (0.2), about as much as the weaker tenth of a story's own
reports are about its cast. On the Timeline17 stories (13 folders, one batch) that relates
the LibyaWar and SyrianCrisis stories by 2 reports and the financial crisis's to the oil
spill's by 21; at 0.1 (with the clusterer's plain idf) nearly every pair of stories was
related, by reports naming only the U.S., the U.N. or the outlet. Candidates are the
stories the story's blocking keys find (its centroid's bands and its strongest names, as
relink.py looks for mates), so the look costs a few lookups and the two stories' reports,
whatever the size of the store.
"""

from __future__ import annotations

from ..models import RelatedStory
from ..store import Store
from . import cast
from .bags import Bag
from .listing import resolve, story_title
from .relink import other_stories
from .scoring import Summary
from .state import ClusterState


def related_stories(store: Store, story: str) -> list[RelatedStory]:
    """The stories some reports of this one (or of theirs) are also about, most such
    reports first (ties: by id)."""
    story_id = resolve(store, "stories", story)
    state = ClusterState(store)
    own = state.story(story_id)
    if own is None:
        return []
    own_reports = _casts(state, story_id)
    found = []
    for other in other_stories(state, own, story_id):
        both = _about_both(state, own_reports + _casts(state, other.id), own, other)
        if both:
            found.append(RelatedStory(other.id, story_title(store, other.id), tuple(sorted(both))))
    return sorted(found, key=lambda r: (-len(r.reports), r.id))


def _casts(state: ClusterState, story_id: str) -> list[tuple[str, Bag]]:
    """Each report of a story with its names (the signals' names bag)."""
    reports = [a for e in state.story_events(story_id) for a in state.members(e)]
    return [(s.article_id, state.bag(s.names)) for s in state.signals(reports)]


def _about_both(
    state: ClusterState, reports: list[tuple[str, Bag]], first: Summary, second: Summary
) -> list[str]:
    """The reports whose cast is about both stories' casts."""
    if not reports:
        return []
    names = [bag for _, bag in reports] + [first.names, second.names]
    rows = cast.name_rows(state, names, state.term_of)
    about = (rows[:-2] @ rows[-2:].T).toarray() >= cast.ABOUT
    return [r for (r, _), hit in zip(reports, about.all(axis=1).tolist(), strict=True) if hit]
