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

from ..models import Event, Story
from .corrections import corrections, merge, move, split
from .listing import list_events, list_stories, story_articles
from .related import related_stories
from .stage import cluster_stage

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
