"""Analysts' corrections: merge, split and move. Each is recorded in `corrections` and
changes only the events and stories it names; later articles are clustered against the
corrected events, and no second look (re-split, re-link, regroup) touches a corrected
event or story, so corrections persist."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from ..errors import NotFoundError, UsageError
from ..store import Store
from .events import empty_summary, stable_id, summarise
from .index import blocking_keys
from .listing import resolve
from .state import ClusterState


def merge(store: Store, keep: str, other: str) -> str:
    """Merge two events (or two stories) into the first; returns the kept id."""
    with store.transaction(), ClusterState(store) as state:
        state.tick()
        if _is_event(store, keep) and _is_event(store, other):
            keep, other = resolve(store, "events", keep), resolve(store, "events", other)
            _refuse_same(keep, other, "event")
            moved = state.members(other)
            for article_id in moved:
                state.attach(article_id, keep)
            _repost(state, moved, keep)
            old_story = _story_of(state, other)
            state.delete_event(other)
            state.retire("events", other, keep)
            _rebuild_event(state, keep)
            _rebuild_story(state, _story_of(state, keep))
            _rebuild_story(state, old_story, successor=_story_of(state, keep))
        else:
            keep, other = resolve(store, "stories", keep), resolve(store, "stories", other)
            _refuse_same(keep, other, "story")
            moved = []
            for (event_id,) in store.query("SELECT id FROM events WHERE story = ?", (other,)):
                store.execute("UPDATE events SET story = ? WHERE id = ?", (keep, event_id))
                state.forget_event(event_id)
                moved += state.members(event_id)
            _rebuild_story(state, keep)
            _rebuild_story(state, other, successor=keep)
        _record(store, "merge", keep, moved)
    return keep


def split(store: Store, event: str, article_ids: Sequence[str]) -> str:
    """Take some articles out of an event into a new event of the same story; returns its id."""
    with store.transaction(), ClusterState(store) as state:
        state.tick()
        event = resolve(store, "events", event)
        members = state.members(event)
        chosen = sorted({_resolve_article(store, a) for a in article_ids})
        strangers = [a for a in chosen if a not in members]
        if strangers:
            raise UsageError(
                f"{', '.join(strangers)} not in event {event}; `storyline events` lists them"
            )
        if not chosen or len(chosen) == len(members):
            raise UsageError("name some but not all of the event's articles to split them off")
        new_event = stable_id("split", ",".join(chosen))
        story = _story_of(state, event)
        first = state.signals([a for a in members if a in chosen][:1])
        state.write_event(empty_summary(new_event, story), first[0].title if first else "")
        for article_id in chosen:
            state.attach(article_id, new_event)
        _repost(state, chosen, new_event)
        _rebuild_event(state, event)
        _rebuild_event(state, new_event)
        _record(store, "split", new_event, chosen)
    return new_event


def move(store: Store, item: str, target: str) -> str:
    """Move an article into an event, or an event into a story; returns the target id."""
    with store.transaction(), ClusterState(store) as state:
        state.tick()
        if _is_event(store, item):
            event = resolve(store, "events", item)
            story = resolve(store, "stories", target)
            old_story = _story_of(state, event)
            if old_story == story:
                raise UsageError(f"event {event} is already in story {story}; nothing moved")
            store.execute("UPDATE events SET story = ? WHERE id = ?", (story, event))
            state.forget_event(event)
            _rebuild_story(state, story)
            _rebuild_story(state, old_story, successor=story)
            _record(store, "move", story, state.members(event))
            return story
        article_id = _resolve_article(store, item)
        event = resolve(store, "events", target)
        old_event = state.event_of(article_id)
        if old_event is None:
            raise UsageError(
                f"article {article_id} is not clustered yet; run `storyline ingest` first"
            )
        if old_event == event:
            raise UsageError(f"article {article_id} is already in event {event}; nothing moved")
        old_story = _story_of(state, old_event)
        state.attach(article_id, event)
        _repost(state, [article_id], event)
        if state.members(old_event):
            _rebuild_event(state, old_event)
        else:
            state.delete_event(old_event)
            state.retire("events", old_event, event)
        _rebuild_event(state, event)
        _rebuild_story(state, old_story, successor=_story_of(state, event))
        _record(store, "move", event, [article_id])
        return event


def corrections(store: Store) -> list[dict[str, object]]:
    """The analysts' corrections, oldest first."""
    rows = store.query("SELECT kind, target, articles, at FROM corrections ORDER BY seq")
    return [{"kind": r[0], "target": r[1], "articles": json.loads(r[2]), "at": r[3]} for r in rows]


def _is_event(store: Store, key: str) -> bool:
    try:
        resolve(store, "events", key)
    except NotFoundError:
        return False
    return True


def _refuse_same(first: str, second: str, kind: str) -> None:
    if first == second:
        raise UsageError(f"both ids name the same {kind}; give two different ones")


def _resolve_article(store: Store, key: str) -> str:
    return store.article(key).id


def _story_of(state: ClusterState, event_id: str) -> str:
    event = state.event(event_id)
    return event.story if event else ""


def _repost(state: ClusterState, article_ids: Sequence[str], event_id: str) -> None:
    """File moved articles' blocking keys under their new event, for later arrivals."""
    for article in state.signals(article_ids):
        state.post(blocking_keys(article), event_id)


def _rebuild_event(state: ClusterState, event_id: str) -> None:
    """Recompute an event's summary (and keep its title) from its current members."""
    current = state.event(event_id)
    if current is None:
        return
    profiles = [state.profile(a) for a in state.signals(state.members(event_id))]
    summary = summarise(event_id, current.story, profiles, state.term_of)
    state.write_event(summary, state.title_of("events", event_id))
    _rebuild_story(state, current.story)


def _rebuild_story(state: ClusterState, story_id: str, successor: str = "") -> None:
    """Recompute a story's summary from its events' members; drop it when it has none
    (its id then resolves to `successor`, when given)."""
    if not story_id:
        return
    event_ids = [
        r[0] for r in state.store.execute("SELECT id FROM events WHERE story = ?", (story_id,))
    ]
    members = [a for e in event_ids for a in state.members(e)]
    if not members:
        state.delete_story(story_id)
        if successor:
            state.retire("stories", story_id, successor)
        return
    profiles = [state.profile(a) for a in state.signals(members)]
    summary = summarise(story_id, "", profiles, state.term_of)
    state.write_story(summary, state.title_of("stories", story_id))


def _record(store: Store, kind: str, target: str, article_ids: Sequence[str]) -> None:
    store.execute(
        "INSERT INTO corrections (kind, target, articles, at) VALUES (?, ?, ?, ?)",
        (
            kind,
            target,
            json.dumps(sorted(article_ids)),
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        ),
    )
