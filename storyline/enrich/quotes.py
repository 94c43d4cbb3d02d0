"""Quotes and reported speech: store each attribution with its speaker resolved to an entity.

Finding the attributions is attribution.py's job; here each source becomes a speaker. A
named source takes the entity of the mention it names; "he"/"she" takes the nearest
earlier speaker or person; a description ("the source", "the ambassador") takes a person
whose title ends in that word, or the earlier unnamed source it refers back to; an unnamed
source ("a Turkish Foreign Ministry source") keeps its description and links to the
organisation it names. No library resolves speakers in news text, so this is our own logic.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..models import Article, Quote
from ..nlp import doc_text
from ..settings import Settings
from ..store import Store
from .attribution import Attribution, find_attributions
from .names import TITLE_WORDS

_PRONOUNS = frozenset({"he", "she", "him", "her"})
# Head nouns of unnamed sources, which later definite descriptions refer back to.
_UNNAMED_HEADS = frozenset(
    [
        "source",
        "sources",
        "official",
        "officials",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "aide",
        "aides",
        "diplomat",
        "diplomats",
        "person",
        "people",
        "insider",
        "insiders",
        "adviser",
        "advisor",
        "statement",
        "ministry",
    ]
)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    entity: str
    type: str
    role: str | None
    counted: bool
    text: str


@dataclass(frozen=True)
class _Speaker:
    text: str | None
    mention_start: int | None  # the mention whose entity is the speaker's (or its organisation's)
    mention_end: int | None
    entity: str | None
    named: bool


def annotate_quotes(store: Store, article: Article, doc: Any, settings: Settings) -> None:
    """Annotator: store the article's quotes and reported speech with resolved speakers."""
    store.execute("DELETE FROM quotes WHERE article_id = ?", (article.id,))
    mentions = _mentions(store, article.id)
    attributions = _outermost(find_attributions(doc))
    speakers: list[tuple[int, _Speaker]] = []  # (position, speaker) in text order
    rows = []
    for attribution in attributions:
        speaker = _resolve(doc, attribution, mentions, speakers)
        if speaker.text is not None and attribution.source_start is not None:
            speakers.append((attribution.source_start, speaker))
        text = article.text
        cue = (
            text[attribution.cue_start : attribution.cue_end]
            if attribution.cue_start is not None
            else None
        )
        rows.append(
            (
                article.id,
                attribution.content_start,
                attribution.content_end,
                text[attribution.content_start : attribution.content_end],
                speaker.text,
                speaker.entity,
                int(attribution.direct),
                int(attribution.partial),
                cue,
                attribution.cue_start,
                attribution.cue_end,
                attribution.source_start,
                attribution.source_end,
                speaker.mention_start,
                speaker.mention_end,
            )
        )
    store.executemany(
        "INSERT OR REPLACE INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
    )


def _mentions(store: Store, article_id: str) -> list[_Mention]:
    rows = store.query(
        "SELECT m.start, m.end, m.entity_id, e.type, m.role, m.counted, m.text FROM mentions m"
        " LEFT JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ? ORDER BY m.start",
        (article_id,),
    )
    return [_Mention(r[0], r[1], r[2], r[3] or "", r[4], bool(r[5]), r[6]) for r in rows]


def _outermost(attributions: list[Attribution]) -> list[Attribution]:
    """Drop reported speech nested in another's content ("told Reuters that he believes …")
    or carried by a direct quote with the same cue (the quote says it word for word)."""
    quoted_cues = {a.cue_start for a in attributions if a.direct and a.cue_start is not None}
    kept = []
    for item in attributions:
        nested = any(
            other is not item
            and not other.direct
            and other.content_start <= (item.cue_start or -1) < other.content_end
            for other in attributions
        )
        if item.direct or not (nested or item.cue_start in quoted_cues):
            kept.append(item)
    return kept


def _resolve(
    doc: Any, item: Attribution, mentions: Sequence[_Mention], earlier: list[tuple[int, _Speaker]]
) -> _Speaker:
    if item.inherited and earlier:
        return earlier[-1][1]
    if item.source_start is None or item.source_end is None or item.source_root is None:
        return _Speaker(None, None, None, None, False)
    root = doc[item.source_root]
    written = doc_text(doc)[item.source_start : item.source_end]
    titled = [
        m
        for m in mentions
        if m.type == "PERSON" and root.idx < m.start and m.end <= item.source_end
    ]
    if titled and root.lower_ in TITLE_WORDS:
        # "US Ambassador to Turkey Tom Barrack": the parser may head the phrase with the title.
        return _Speaker(written, titled[-1].start, titled[-1].end, titled[-1].entity, True)
    beside = [m for m in mentions if m.type == "PERSON" and _is_appositive_of(doc, m, root)]
    if beside:
        # "Its chief engineer, Tomas Brenner, said": the person named beside the description.
        return _Speaker(written, beside[0].start, beside[0].end, beside[0].entity, True)
    named = _mention_at(mentions, root.idx, counted_only=True)
    if named is not None and named.type in {
        "PERSON",
        "ORG",
        "GPE",
        "NORP",
        "PRODUCT",
        "FAC",
        "LOC",
    }:
        return _Speaker(written, named.start, named.end, named.entity, True)
    if root.lower_ in _PRONOUNS:
        return _antecedent(doc, mentions, root.idx) or _Speaker(written, None, None, None, False)
    head = root.lemma_.lower()
    definite = any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in root.children)
    if definite:
        holder = _title_holder(mentions, head)
        if holder is not None:
            return _Speaker(written, holder.start, holder.end, holder.entity, True)
        if head in _UNNAMED_HEADS:
            for _, speaker in reversed(earlier):
                if not speaker.named:
                    return speaker
    return _unnamed(doc, written, item, mentions)


def _mention_at(mentions: Sequence[_Mention], position: int, counted_only: bool) -> _Mention | None:
    for mention in mentions:
        if mention.start <= position < mention.end and (mention.counted or not counted_only):
            return mention
    return None


def _antecedent(doc: Any, mentions: Sequence[_Mention], position: int) -> _Speaker | None:
    """ "he" is the latest person named before it as the subject of a clause (the one a
    reader would take), or failing that the latest person named at all."""
    people = [m for m in mentions if m.type == "PERSON" and m.counted and m.end <= position]
    subjects = [m for m in people if _is_subject(doc, m)]
    if not people:
        return None
    chosen = (subjects or people)[-1]
    return _Speaker(chosen.text, chosen.start, chosen.end, chosen.entity, True)


def _root_of(doc: Any, mention: _Mention) -> Any | None:
    """The head token of a mention in the parse, or None when it cannot be placed."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.root if span is not None else None


def _is_appositive_of(doc: Any, mention: _Mention, head: Any) -> bool:
    root = _root_of(doc, mention)
    return root is not None and root.dep_ == "appos" and root.head == head


def _is_subject(doc: Any, mention: _Mention) -> bool:
    """A clause's subject, or named beside it ("The chair, retired judge Helena Marsh, said")."""
    root = _root_of(doc, mention)
    if root is None:
        return False
    if root.dep_ == "appos":
        root = root.head
    return root.dep_ in {"nsubj", "nsubjpass"}


def _title_holder(mentions: Sequence[_Mention], head: str) -> _Mention | None:
    """ "the ambassador" is the one person this article titles Ambassador."""
    holders = {m.entity: m for m in mentions if m.role and m.role.split()[-1].lower() == head}
    return next(iter(holders.values())) if len(holders) == 1 else None


def _unnamed(doc: Any, written: str, item: Attribution, mentions: Sequence[_Mention]) -> _Speaker:
    """An unnamed source keeps its description and links to the organisation it names:
    "a Norwegian Energy Ministry source", "a spokesman for Alder Hydro", "Ankara officials";
    not a place it merely mentions ("residents of Kestrel Falls", "the inquiry into the
    Alder River dam"), which is not who speaks."""
    assert item.source_start is not None and item.source_end is not None
    assert item.source_root is not None
    root = doc[item.source_root]
    inside = [m for m in mentions if item.source_start <= m.start and m.end <= item.source_end]
    for kinds, reach in (({"ORG"}, _AFFILIATION), ({"GPE"}, frozenset[str]())):
        found = [m for m in inside if m.type in kinds and _modifies(doc, m, root, reach)]
        found = [m for m in found if m.counted] or found
        if found:
            return _Speaker(written, found[0].start, found[0].end, found[0].entity, False)
    return _Speaker(written, None, None, None, False)


def _modifies(doc: Any, mention: _Mention, root: Any, prepositions: frozenset[str]) -> bool:
    """Whether a mention qualifies the source's head word: as a modifier of it ("Energy
    Ministry source", "the ministry's spokesman"), or through one of these prepositions
    ("a spokesman for the ministry")."""
    head = _root_of(doc, mention)
    if head is None:
        return False
    if head == root:
        return True
    if head.head == root and head.dep_ in {"compound", "poss", "nmod", "amod"}:
        return True
    via = head.head
    return (
        head.dep_ == "pobj"
        and via.head == root
        and via.dep_ == "prep"
        and via.lower_ in prepositions
    )


# Prepositions by which a source belongs to an organisation.
_AFFILIATION = frozenset({"for", "from", "at", "of", "with", "in"})


# -- reading ---------------------------------------------------------------------------------


_QUOTE_ROWS = (
    "SELECT q.article_id, q.start, q.end, {text} q.speaker, q.direct, q.partial, q.cue,"
    " COALESCE(m.entity_id, q.entity_id) AS entity, e.type AS etype, e.name AS ename"
    " FROM quotes q JOIN articles a ON a.id = q.article_id"
    " LEFT JOIN mentions m ON m.article_id = q.article_id AND m.start = q.mention_start"
    " AND m.end = q.mention_end"
    " LEFT JOIN entities e ON e.id = COALESCE(m.entity_id, q.entity_id)"
    " {where} ORDER BY a.seq, q.start, q.end"
)


def list_quotes(store: Store, articles: Sequence[str] | None = None) -> list[Quote]:
    """Quotes and reported speech in article arrival order, then text order. The entity is
    looked up through the linked mention, so it follows later re-resolution."""
    found: dict[tuple[str, int, int], Quote] = {}
    for row in _rows(store, articles, with_text=True):
        found.setdefault((row["article_id"], row["start"], row["end"]), _quote(row, row["text"]))
    return list(found.values())


def quotes_by_speaker(
    store: Store, articles: Sequence[str], most: int | None, each: int
) -> list[tuple[int, list[Quote]]]:
    """The `most` (None: all) most quoted speakers of `articles` (the resolved entity, else the name as
    written), each with how often they are quoted and their first `each` quotes. Grouped
    on rows without the quotes' text, so a large story builds only the quotes it shows."""
    groups: dict[str, list[Any]] = {}
    seen: set[tuple[str, int, int]] = set()
    for row in _rows(store, articles, with_text=False):
        key = (row["article_id"], row["start"], row["end"])
        if key not in seen:
            seen.add(key)
            speaker = _speaker_name(row)
            groups.setdefault(row["entity"] or speaker or "", []).append(row)
    ranked = sorted(groups.values(), key=lambda rows: (-len(rows), _speaker_name(rows[0]) or ""))
    shown = [(len(rows), rows[:each]) for rows in ranked[:most]]
    texts = _texts(store, [row for _, rows in shown for row in rows])
    return [
        (size, [_quote(r, texts[(r["article_id"], r["start"], r["end"])]) for r in rows])
        for size, rows in shown
    ]


def _rows(store: Store, articles: Sequence[str] | None, with_text: bool) -> list[Any]:
    text = "q.text," if with_text else ""
    if articles is None:
        return store.query(_QUOTE_ROWS.format(text=text, where=""))
    where = "WHERE q.article_id IN (SELECT value FROM json_each(?))"
    return store.query(_QUOTE_ROWS.format(text=text, where=where), (json.dumps(list(articles)),))


def _texts(store: Store, rows: Sequence[Any]) -> dict[tuple[str, int, int], str]:
    articles = json.dumps(sorted({row["article_id"] for row in rows}))
    wanted = {(row["article_id"], row["start"], row["end"]) for row in rows}
    found = store.query(
        "SELECT article_id, start, end, text FROM quotes"
        " WHERE article_id IN (SELECT value FROM json_each(?))",
        (articles,),
    )
    return {
        key: row["text"]
        for row in found
        if (key := (row["article_id"], row["start"], row["end"])) in wanted
    }


def _speaker_name(row: Any) -> str | None:
    speaker: str | None = row["ename"] if row["etype"] == "PERSON" else row["speaker"]
    return speaker or row["speaker"]


def _quote(row: Any, text: str) -> Quote:
    return Quote(
        article=row["article_id"],
        start=row["start"],
        end=row["end"],
        text=text,
        speaker=_speaker_name(row),
        entity=row["entity"],
        direct=bool(row["direct"]),
        partial=bool(row["partial"]),
        cue=row["cue"],
    )


__all__ = ["annotate_quotes", "list_quotes", "quotes_by_speaker"]
