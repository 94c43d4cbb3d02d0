"""Reading events and stories back out of the store, in a stable order."""

from __future__ import annotations

from collections import defaultdict

from ..errors import NotFoundError
from ..models import Event, Story
from ..store import Store


def list_events(store: Store, story: str | None = None) -> list[Event]:
    """Every event (or one story's), ordered by its first report's arrival."""
    story_id = resolve(store, "stories", story) if story else None
    members: dict[str, list[str]] = defaultdict(list)
    for event_id, article_id in store.query(
        "SELECT event_id, article_id FROM event_articles ORDER BY seq, article_id"
    ):
        members[event_id].append(article_id)
    headlines = _headlines(store)
    rows = store.query("SELECT id, story, title, start, end FROM events")
    found = [
        Event(row[0], row[1], headlines.get(row[0], row[2]), row[3], row[4], tuple(members[row[0]]))
        for row in rows
        if members[row[0]] and (story_id is None or row[1] == story_id)
    ]
    order = {a: i for i, a in enumerate(a for m in members.values() for a in m)}
    return sorted(found, key=lambda e: (order[e.articles[0]], e.id))


def _headlines(store: Store) -> dict[str, str]:
    """Each event's first headline, in arrival order.

    An event is titled after its founding report, and an untitled one (a wire report
    pasted without its headline) lends its first sentence, cut short. A headline written
    by an outlet reads better, so the first report of the event that has one gives it.
    """
    found: dict[str, str] = {}
    for event_id, title in store.query(
        "SELECT ea.event_id, a.title FROM event_articles ea JOIN articles a"
        " ON a.id = ea.article_id WHERE trim(coalesce(a.title, '')) != ''"
        " ORDER BY ea.seq, ea.article_id"
    ):
        found.setdefault(event_id, title.strip())
    return found


def list_stories(store: Store) -> list[Story]:
    """Every story with its events; titled after its largest event (ties: the earliest)."""
    by_story: dict[str, list[Event]] = defaultdict(list)
    for event in list_events(store):
        by_story[event.story].append(event)
    found = []
    for story_id, story_events in by_story.items():
        largest = max(story_events, key=lambda e: len(e.articles))  # max keeps the first on ties
        starts = [e.start for e in story_events if e.start]
        ends = [e.end for e in story_events if e.end]
        found.append(
            Story(
                story_id,
                largest.title,
                tuple(e.id for e in story_events),
                tuple(a for e in story_events for a in e.articles),
                min(starts) if starts else None,
                max(ends) if ends else None,
            )
        )
    return found


def story_title(store: Store, story_id: str) -> str:
    """One story's title, as list_stories gives it, without reading the other stories."""
    rows = store.query(
        "SELECT ea.event_id, COUNT(*), MIN(ea.seq) FROM event_articles ea"
        " JOIN events e ON e.id = ea.event_id WHERE e.story = ? GROUP BY ea.event_id",
        (story_id,),
    )
    if not rows:
        return ""
    largest = min(rows, key=lambda r: (-r[1], r[2], r[0]))[0]
    titled = store.query(
        "SELECT a.title FROM event_articles ea JOIN articles a ON a.id = ea.article_id"
        " WHERE ea.event_id = ? AND trim(coalesce(a.title, '')) != ''"
        " ORDER BY ea.seq, ea.article_id LIMIT 1",
        (largest,),
    )
    if titled:
        return str(titled[0][0]).strip()
    return str(store.query("SELECT title FROM events WHERE id = ?", (largest,))[0][0])


def story_articles(store: Store, story_id: str) -> list[str]:
    """The articles of one story (for `--story ID` filters), in arrival order."""
    story = resolve(store, "stories", story_id)
    return [a for e in list_events(store, story) for a in e.articles]


def resolve(store: Store, table: str, key: str) -> str:
    """A full event or story id from an id or a unique prefix of one."""
    if table not in ("events", "stories"):
        raise ValueError(table)
    exact = store.query(f"SELECT id FROM {table} WHERE id = ?", (key,))
    if exact:
        return str(exact[0][0])
    if len(key) >= 4:
        prefix = key.replace("%", "").replace("_", "") + "%"
        matches = store.query(f"SELECT id FROM {table} WHERE id LIKE ? LIMIT 2", (prefix,))
        if len(matches) == 1:
            return str(matches[0][0])
    # An id the clusterer retired (regrouped, merged) resolves to the one that took most of it.
    successor = store.query(
        f"SELECT r.successor FROM retired_ids r JOIN {table} t ON t.id = r.successor"
        " WHERE r.kind = ? AND r.id = ?",
        (table, key),
    )
    if successor:
        return str(successor[0][0])
    kind = "event" if table == "events" else "story"
    raise NotFoundError(f"no {kind} {key!r}; `storyline {table}` lists the ids")
