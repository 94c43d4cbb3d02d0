"""Article text cut into segments, each carrying the marks (entity, quote, date) over it.

Marks may nest or overlap (a date inside a quote); the template wraps each segment in
one escaped <span> with all its classes. Entity mentions are found by the names and
aliases the entities stage settled on: no Storyline read gives mention offsets yet.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..models import Entity, Quote, Span, TimeExpression


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # "entity" | "quote" | "date" | "heading" | "cited"
    note: str


@dataclass(frozen=True)
class Segment:
    text: str
    kinds: tuple[str, ...]
    note: str


def cited_mark(sentences: Sequence[Span], at: int | None) -> list[Mark]:
    """The sentence holding offset `at` (a citation's), marked so the page shows it."""
    if at is None:
        return []
    found = next((s for s in sentences if s.start <= at < s.end), None)
    return [] if found is None else [Mark(found.start, found.end, "cited", "the cited sentence")]


def entity_marks(text: str, entities: Iterable[Entity]) -> list[Mark]:
    """Every whole-word occurrence of an entity's name or alias, longest names first."""
    names: dict[str, Entity] = {}
    for entity in entities:
        for name in (entity.name, *entity.aliases):
            if len(name) >= 2:
                names.setdefault(name, entity)
    if not names:
        return []
    ordered = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)")
    marks = []
    for match in pattern.finditer(text):
        entity = names[match.group(0)]
        marks.append(Mark(match.start(), match.end(), "entity", f"{entity.name} ({entity.type})"))
    return marks


def quote_marks(quotes: Iterable[Quote]) -> list[Mark]:
    return [
        Mark(
            q.start,
            q.end,
            "quote",
            f"{q.speaker or 'unknown speaker'}" + (f" ({q.cue})" if q.cue else ""),
        )
        for q in quotes
    ]


def date_marks(dates: Iterable[TimeExpression]) -> list[Mark]:
    return [Mark(d.start, d.end, "date", d.value or ("unresolved " + d.kind)) for d in dates]


def heading_marks(headings: Iterable[Span]) -> list[Mark]:
    return [Mark(h.start, h.end, "heading", "heading") for h in headings]


def segments(text: str, marks: Sequence[Mark]) -> list[Segment]:
    """The text in pieces; each piece lies wholly inside or outside every mark."""
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        over = [m for m in valid if m.start <= start and end <= m.end]
        kinds = tuple(sorted({m.kind for m in over}))
        note = " · ".join(dict.fromkeys(m.note for m in over))
        pieces.append(Segment(text[start:end], kinds, note))
    return pieces
