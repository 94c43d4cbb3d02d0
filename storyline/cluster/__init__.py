"""Cluster: articles into events (one happening each) and events into long-running stories.

Streaming and incremental: `cluster_stage` assigns each new article as it arrives
(events.py), comparing it only with the candidates the blocking index returns
(index.py), and when a batch is done groups the touched stories' reports near its days
into events again in one batch (regroup.py) and cuts stories where their events fall
apart (unchain.py) or their casts do (cast.py); stories kept apart that some reports are
both about are related stories (related.py); analysts correct the result with
merge/split/move (corrections.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..models import Event, Story
from .listing import list_events, list_stories, story_articles

if TYPE_CHECKING:
    from .corrections import corrections, merge, move, split
    from .related import related_stories
    from .stage import cluster_stage

# Imported on first use: the clustering algorithm needs scipy and scikit-learn, which take a
# second to import that a command listing the store should not spend.
_LAZY = {
    "cluster_stage": ".stage",
    "corrections": ".corrections",
    "merge": ".corrections",
    "move": ".corrections",
    "related_stories": ".related",
    "split": ".corrections",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(_LAZY[name], __name__)
    # Importing .corrections binds the package's `corrections` to the module: bind the
    # names it exports over it, as the eager import did.
    for exported, source in _LAZY.items():
        if source == _LAZY[name]:
            globals()[exported] = getattr(module, exported)
    return globals()[name]


__all__ = [
    "Event",
    "Story",
    "cluster_stage",
    "corrections",
    "list_events",
    "list_stories",
    "merge",
    "move",
    "related_stories",
    "split",
    "story_articles",
]
