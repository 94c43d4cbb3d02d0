"""Entities: store each article's mentions and resolve them to canonical entities.

An entity's id is derived from its canonical key ("person:hakan fidan", "country:TR"), so it
never changes as articles arrive. A mention the article itself cannot resolve (a bare
surname, a bare acronym) is resolved against the whole store: to the one full-name person
with that surname, or the one expansion an acronym was defined as; otherwise it stays an
entity of its own. When a new article brings such a full name or definition, the mentions
waiting on it are re-resolved, so the result is the same whether articles arrive together
or one by one. Stories (issue 6) can refine this by calling `resolve_entities` again.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from ..models import Article, Entity
from ..settings import Settings
from ..store import Store
from .mentions import MentionDraft, find_mentions
from .names import clean_surface, country_name, entity_id

_SYSTEM_NAME = re.compile(r"^([A-Za-z]+)[-\u2010\u2011 ]?(\d+[A-Z]?)")
_TYPE_BY_PREFIX = {"person": "PERSON", "country": "GPE", "place": "GPE", "product": "PRODUCT"}


def annotate_entities(store: Store, article: Article, doc: Any, settings: Settings) -> None:
    """Annotator: store the article's mentions and update the entities they touch."""
    drafts = find_mentions(article, doc)
    touched = {
        row[0]
        for row in store.query("SELECT entity_id FROM mentions WHERE article_id = ?", (article.id,))
    }
    store.execute("DELETE FROM mentions WHERE article_id = ?", (article.id,))
    rows: dict[tuple[int, int], tuple[Any, ...]] = {}  # a span's last draft wins
    for draft in drafts:
        target = entity_id(draft.target) if draft.target else _store_target(store, draft.key)
        _ensure_entity(store, target, draft)
        rows[(draft.start, draft.end)] = _row(article.id, target, draft)
        touched.add(target)
    # A plain INSERT: REPLACE would delete without firing the trigger that counts forms.
    store.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows.values())
    touched |= _reresolve(store, _waiting_keys(drafts))
    _refresh(store, touched)


def resolve_entities(store: Store, keys: Iterable[str] | None = None) -> None:
    """Re-resolve every mention the articles left open (or those with the given keys)."""
    if keys is None:
        keys = [
            row[0] for row in store.query("SELECT DISTINCT key FROM entity_forms WHERE local = 0")
        ]
    _refresh(store, _reresolve(store, set(keys)))


def _row(article_id: str, target: str, draft: MentionDraft) -> tuple[Any, ...]:
    return (
        article_id,
        target,
        draft.start,
        draft.end,
        draft.text,
        draft.role,
        int(draft.counted),
        draft.type,
        draft.key,
        int(draft.target is not None),
    )


def _ensure_entity(store: Store, target: str, draft: MentionDraft) -> None:
    key = draft.target or draft.key
    if target != entity_id(key):
        return  # resolved to an entity that already exists
    store.execute(
        "INSERT OR IGNORE INTO entities (id, key, name, type) VALUES (?, ?, ?, ?)",
        (target, key, clean_surface(draft.text), draft.type),
    )


def _store_target(store: Store, key: str) -> str:
    """Our own cross-article rule: a key resolves to the one entity other articles resolved it
    to (an acronym they defined, a surname next to a full name), or to the one full-name
    person with that surname; anything else is its own entity."""
    own = entity_id(key)
    found = {
        row[0]
        for row in store.query(
            "SELECT DISTINCT entity_id FROM entity_forms WHERE key = ? AND local = 1", (key,)
        )
        if row[0] != own
    }
    word = key.split(":", 1)[1]
    if key.startswith(("person:", "name:")) and " " not in word:
        for row in store.query(
            "SELECT id, key FROM entities WHERE key > 'person:' AND key < 'person;' AND key LIKE ?",
            (f"person:% {word}",),
        ):
            if row["key"].rsplit(" ", 1)[-1] == word:
                found.add(row["id"])
    return next(iter(found)) if len(found) == 1 else own


def _waiting_keys(drafts: Sequence[MentionDraft]) -> set[str]:
    """Keys whose open mentions elsewhere may now resolve differently because of this article."""
    keys = set()
    for draft in drafts:
        if draft.target and draft.target != draft.key:
            keys.add(draft.key)
        if draft.type == "PERSON" and draft.target and " " in draft.target:
            surname = draft.target.rsplit(" ", 1)[-1]
            keys.update({f"person:{surname}", f"name:{surname}"})
    return keys


def _reresolve(store: Store, keys: set[str]) -> set[str]:
    """Point the open mentions with these keys at their current target; returns touched ids."""
    touched: set[str] = set()
    for key in sorted(keys):
        rows = store.query(
            "SELECT DISTINCT entity_id FROM entity_forms WHERE key = ? AND local = 0", (key,)
        )
        if not rows:
            continue
        target = _store_target(store, key)
        old = {row[0] for row in rows}
        if old == {target}:
            continue
        if target == entity_id(key):
            sample = store.query("SELECT text, type FROM mentions WHERE key = ? LIMIT 1", (key,))[0]
            store.execute(
                "INSERT OR IGNORE INTO entities (id, key, name, type) VALUES (?, ?, ?, ?)",
                (target, key, clean_surface(sample["text"]), sample["type"]),
            )
        store.execute(
            "UPDATE mentions SET entity_id = ? WHERE key = ? AND local = 0", (target, key)
        )
        touched |= old | {target}
    return touched


def _refresh(store: Store, ids: Iterable[str]) -> None:
    """Recompute name, type, aliases and roles of these entities; drop any left unmentioned.
    Written forms are read from entity_forms, so a large entity costs little to refresh."""
    for eid in sorted(ids):
        forms = store.query(
            "SELECT text, type, key, counted, SUM(n) AS n FROM entity_forms WHERE entity_id = ?"
            " GROUP BY text, type, key, counted",
            (eid,),
        )
        store.execute("DELETE FROM entity_aliases WHERE entity_id = ?", (eid,))
        store.execute("DELETE FROM roles WHERE entity_id = ?", (eid,))
        if not forms:
            store.execute("DELETE FROM entities WHERE id = ?", (eid,))
            continue
        key_row = store.query("SELECT key FROM entities WHERE id = ?", (eid,))
        key = key_row[0][0] if key_row else forms[0]["key"]
        name = _display_name(key, forms)
        store.execute(
            "UPDATE entities SET name = ?, type = ? WHERE id = ?",
            (name, _entity_type(key, forms), eid),
        )
        aliases = {clean_surface(r["text"]) for r in forms if r["counted"]} - {name, ""}
        store.executemany(
            "INSERT OR IGNORE INTO entity_aliases VALUES (?, ?)", [(eid, a) for a in aliases]
        )
        store.execute(
            "INSERT OR IGNORE INTO roles SELECT DISTINCT ?, m.article_id, m.role, a.published"
            " FROM mentions m JOIN articles a ON a.id = m.article_id"
            " WHERE m.entity_id = ? AND m.role IS NOT NULL",
            (eid, eid),
        )


def _display_name(key: str, forms: Sequence[Any]) -> str:
    """The country's common name, or the most frequent written form of the canonical key."""
    prefix, _, rest = key.partition(":")
    if prefix == "country":
        return country_name(rest)
    own = (
        [r for r in forms if r["key"] == key and r["counted"]]
        or [r for r in forms if r["counted"]]
        or list(forms)
    )
    counts: Counter[str] = Counter()
    for row in own:
        counts[_normal_form(prefix, row["text"])] += row["n"]
    return min(counts, key=lambda form: (-counts[form], -len(form), form))


def _normal_form(prefix: str, text: str) -> str:
    surface = clean_surface(text)
    if prefix == "product":
        match = _SYSTEM_NAME.match(surface)
        if match:
            return f"{match.group(1)}-{match.group(2)}"
    return surface


def _entity_type(key: str, rows: Sequence[Any]) -> str:
    prefix = key.split(":", 1)[0]
    if prefix in _TYPE_BY_PREFIX:
        return _TYPE_BY_PREFIX[prefix]
    types: Counter[str] = Counter()
    for row in rows:
        types[row["type"]] += row["n"]
    return min(types, key=lambda t: (-types[t], t))


# -- reading ---------------------------------------------------------------------------------


def list_entities(store: Store, articles: Sequence[str] | None = None) -> list[Entity]:
    """Canonical entities with at least one counted mention (in the given articles), most
    mentioned first. Given articles, only their entities' rows are read: a story's list is
    rebuilt after every batch, and reading the whole store's made that grow with it."""
    counts: dict[str, int] = Counter()
    seen_in: dict[str, set[str]] = {}
    sql = "SELECT entity_id, article_id FROM mentions WHERE counted = 1"
    params: tuple[str, ...] = ()
    if articles is not None:
        sql += " AND article_id IN (SELECT value FROM json_each(?))"
        params = (json.dumps(list(articles)),)
    for row in store.query(sql, params):
        counts[row["entity_id"]] += 1
        seen_in.setdefault(row["entity_id"], set()).add(row["article_id"])
    ids = None if articles is None else json.dumps(sorted(counts))
    aliases: dict[str, list[str]] = {}
    for row in _of_entities(
        store, "SELECT entity_id, alias FROM entity_aliases", "entity_id", ids, "alias"
    ):
        aliases.setdefault(row["entity_id"], []).append(row["alias"])
    roles: dict[str, list[tuple[str, str | None]]] = {}
    for row in _of_entities(
        store, "SELECT entity_id, role, date FROM roles", "entity_id", ids, "date, role"
    ):
        roles.setdefault(row["entity_id"], []).append((row["role"], row["date"]))
    order = _article_order(store, articles)
    found = []
    for row in _of_entities(
        store, "SELECT id AS entity_id, name, type FROM entities", "id", ids, "id"
    ):
        entity_id = row["entity_id"]
        if not counts.get(entity_id):
            continue
        found.append(
            Entity(
                id=entity_id,
                name=row["name"],
                type=row["type"],
                aliases=tuple(aliases.get(entity_id, ())),
                articles=tuple(sorted(seen_in[entity_id], key=lambda a: order.get(a, 0))),
                mentions=counts[entity_id],
                roles=tuple(dict.fromkeys(roles.get(entity_id, ()))),
            )
        )
    return sorted(found, key=lambda e: (-e.mentions, e.name, e.id))


def _of_entities(store: Store, select: str, column: str, ids: str | None, order: str) -> list[Any]:
    """`select`'s rows whose entity `column` is in the JSON list `ids` (None: all), in `order`."""
    if ids is None:
        return store.query(f"{select} ORDER BY {order}")
    return store.query(
        f"{select} WHERE {column} IN (SELECT value FROM json_each(?)) ORDER BY {order}", (ids,)
    )


def _article_order(store: Store, articles: Sequence[str] | None) -> dict[str, int]:
    if articles is None:
        return {row[0]: row[1] for row in store.query("SELECT id, seq FROM articles")}
    return {
        row[0]: row[1]
        for row in store.query(
            "SELECT id, seq FROM articles WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(articles)),),
        )
    }


__all__ = ["annotate_entities", "list_entities", "resolve_entities"]
