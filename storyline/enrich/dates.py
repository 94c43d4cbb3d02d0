"""Dates: every time expression in an article, normalised against its publication date.

    find_time_expressions(text_or_doc, anchor) -> [TimeExpression]   pure, no store
    annotate_dates(store, article, doc, settings)                     the enrich annotator
    time_expressions(store, article=None) -> [TimeExpression]         what `storyline dates` lists

Finding is done by our rules (temporal.py) plus spaCy's DATE/TIME entities for the formats
the rules do not know, parsed by dateparser (absolute dates only: a relative phrase is never
handed to dateparser, whose anchoring ignores tense). Anchoring is ours (anchoring.py,
tense.py): relative expressions resolve against the publication date in the direction the
clause's tense gives, anaphoric ones against the last date the text resolved. Without a
publication date, absolute expressions still resolve and relative ones are returned with
`resolved=False` and no value: never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..models import Article, TimeExpression
from ..nlp import load_nlp
from ..settings import Settings
from ..store import Store
from .absolute import absolute_point
from .anchoring import anchor_relative
from .calendar import Point
from .temporal import Mention, Reading, find_mentions
from .tense import direction_at
from .timex_lexicon import MONTH

# Nouns a year may modify and still be a year ("the 1988 period", "the 2019 purchase" are
# years; "1500 troops" is not).
_TIME_NOUNS = {
    "period",
    "quarter",
    "year",
    "season",
    "election",
    "budget",
    "model",
    "summer",
    "winter",
    "spring",
    "fall",
    "autumn",
    "level",
    "levels",
    "figure",
    "figures",
    "result",
    "results",
}
_QUANTITY_LABELS = {"MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}
_ABSOLUTE_HINT = re.compile(rf"\b(?:{MONTH}|(?:1[0-9]|20)\d\d)\b", re.IGNORECASE)
_LEADING_WORDS = re.compile(
    r"^(?:(?:on|in|at|since|until|till|by|from|to|during|of|for|before|after)\s+)+", re.I
)


def parse_anchor(value: dt.date | str | None) -> dt.date | None:
    """A publication date as a date ("2025-03-26", "2025-03-26T10:00:00+00:00", a date)."""
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def find_time_expressions(
    text_or_doc: str | Any, anchor: dt.date | str | None
) -> list[TimeExpression]:
    """Every time expression in a text (or a spaCy Doc of it), in text order, normalised
    against `anchor` (the publication date; None when unknown)."""
    doc = load_nlp()(text_or_doc) if isinstance(text_or_doc, str) else text_or_doc
    day = parse_anchor(anchor)
    text = doc.text  # a Doc rebuilds its text on every access: read it once
    mentions = [m for m in find_mentions(text) if _plausible(m, doc, text)]
    mentions += _entity_mentions(doc, text, mentions)
    mentions.sort(key=lambda m: m.start)
    found: list[TimeExpression] = []
    reference: Point | None = None
    for mention in mentions:
        expression, point = _normalise(mention, doc, text, day, reference)
        found.append(expression)
        if _sets_reference(mention, point):
            reference = point
    return found


def _sets_reference(mention: Mention, point: Point | None) -> bool:
    """Whether a resolved date becomes the reference for later anaphora. Comparisons ("a
    year earlier") do not: a second "a year earlier" still counts from the first date."""
    if point is None or mention.reading.kind not in ("date", "time"):
        return False
    relative = mention.reading.relative
    return point.precision not in ("decade", "century") and not (
        relative and relative.keep_precision
    )


def _normalise(
    mention: Mention, doc: Any, text: str, anchor: dt.date | None, reference: Point | None
) -> tuple[TimeExpression, Point | None]:
    reading = mention.reading
    span_text = text[mention.start : mention.end]
    common: dict[str, Any] = {
        "text": span_text,
        "start": mention.start,
        "end": mention.end,
        "kind": reading.kind,
        "mod": reading.mod,
    }
    if reading.point is not None:
        return _dated(common, reading.point, None, "none"), reading.point
    if reading.relative is not None:
        direction = direction_at(doc, mention.start, mention.end, text)
        try:
            point = anchor_relative(reading.relative, anchor, reference, direction)
        except (ValueError, OverflowError):
            point = None  # "a thousand centuries ago" leaves the calendar: unresolved, not a crash
        if point is None:
            return TimeExpression(
                value=None, precision=None, resolved=False, direction=direction, **common
            ), None
        used_text = reading.relative.base == "reference" and reference is not None
        return _dated(common, point, direction, "text" if used_text else "publication"), point
    if reading.kind == "duration" and reading.duration:
        known = "X" not in reading.duration
        return TimeExpression(
            value=reading.duration if known else None,
            precision=None,
            resolved=known,
            timeml=reading.duration,
            **common,
        ), None
    timeml = reading.duration or reading.vague
    return TimeExpression(value=None, precision=None, resolved=False, timeml=timeml, **common), None


def _dated(
    common: dict[str, Any], point: Point, direction: str | None, anchor: str
) -> TimeExpression:
    precision = "day" if point.precision == "time" and not point.clock else point.precision
    return TimeExpression(
        value=point.calendar_value,
        precision=precision,
        resolved=True,
        timeml=point.value,
        direction=direction,
        anchor=anchor,
        **common,
    )


def _plausible(mention: Mention, doc: Any, text: str) -> bool:
    """Drop a bare number the parse shows to be a quantity ("1500 troops", "$2000"), and a
    frequency word used as an adjective or noun ("daily volume", "the party daily")."""
    if mention.rule == "set" and " " not in text[mention.start : mention.end]:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        return span is None or span[0].pos_ == "ADV"
    if mention.rule != "year" or not text[mention.start : mention.end].isdigit():
        return True
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return True
    token = span[0]
    if token.ent_type_ in _QUANTITY_LABELS - {"CARDINAL"}:
        return False
    if token.dep_ == "nummod" and token.head.lemma_.lower() not in _TIME_NOUNS:
        return token.ent_type_ == "DATE"
    return True


def _entity_mentions(doc: Any, source: str, taken: list[Mention]) -> list[Mention]:
    """spaCy DATE entities our rules missed, when dateparser reads them as absolute dates
    ("16.03.2025", "the 16th of March, 2025")."""
    extra: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        start, end = ent.start_char, ent.end_char
        lead = _LEADING_WORDS.match(ent.text)
        if lead:
            start += lead.end()
        if start >= end or any(start < m.end and m.start < end for m in taken):
            continue
        text = source[start:end]
        if not _ABSOLUTE_HINT.search(text) or not re.search(r"\d", text):
            continue
        point = absolute_point(text)
        if point is not None:
            extra.append(Mention(start, end, "spacy+dateparser", Reading("date", point)))
    return extra


# -- the annotator and the store -------------------------------------------------------------


def annotate_dates(store: Store, article: Article, doc: Any, settings: Settings) -> None:
    """Enrich annotator: replace the article's time expressions (so a re-run is idempotent)."""
    found = find_time_expressions(doc, article.published)
    store.execute("DELETE FROM time_expressions WHERE article_id = ?", (article.id,))
    store.executemany(
        "INSERT INTO time_expressions (article_id, start, end, text, value, precision, resolved,"
        " kind, timeml, mod, direction, anchor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                article.id,
                e.start,
                e.end,
                e.text,
                e.value,
                e.precision,
                int(e.resolved),
                e.kind,
                e.timeml,
                e.mod,
                e.direction,
                e.anchor,
            )
            for e in found
        ],
    )


def time_expressions(store: Store, article: str | None = None) -> list[TimeExpression]:
    """Stored time expressions, by article arrival order then position."""
    sql = (
        "SELECT t.* FROM time_expressions t JOIN articles a ON a.id = t.article_id"
        + (" WHERE t.article_id = ?" if article else "")
        + " ORDER BY a.seq, t.start"
    )
    if article:
        article = store.article(article).id  # accepts a unique prefix; NotFoundError otherwise
    rows = store.query(sql, (article,) if article else ())
    return [
        TimeExpression(
            article=row["article_id"],
            text=row["text"],
            start=row["start"],
            end=row["end"],
            value=row["value"],
            precision=row["precision"],
            resolved=bool(row["resolved"]),
            kind=row["kind"],
            timeml=row["timeml"],
            mod=row["mod"],
            direction=row["direction"],
            anchor=row["anchor"],
        )
        for row in rows
    ]
