"""Figures: money, counts, percentages and spans of time, with what they quantify.

spaCy finds the numbers (MONEY, CARDINAL, PERCENT, QUANTITY, and DATE spans that are
lengths of time such as "22 years"); what a number quantifies comes from the dependency
parse, which is our own logic: the noun it counts ("over 100 F-35 jets" → jets), else
the verb it is the object of ("invested $1.4 billion" → invest). Figures feed claims and
their conflicts (two reports giving different values for the same quantity).
"""

from __future__ import annotations

import re
from typing import Any

from ..models import Article, Figure
from ..settings import Settings
from ..store import Store

_LABELS = {"MONEY", "CARDINAL", "PERCENT", "QUANTITY", "DATE"}
_SPAN_OF_TIME = re.compile(
    r"^(?:about |some |nearly |almost |over |more than )?(\d[\d,.]*) (year|month|week|day|hour|decade)s?$",
    re.I,
)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9}
_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_BOUNDS = {
    "over": "more",
    "more than": "more",
    "above": "more",
    "at least": "least",
    "nearly": "less",
    "almost": "less",
    "under": "less",
    "less than": "less",
    "about": "approx",
    "some": "approx",
    "around": "approx",
    "roughly": "approx",
    "up to": "less",
}


def annotate_figures(store: Store, article: Article, doc: Any, settings: Settings) -> None:
    """Enrich annotator: store the article's figures."""
    store.db.execute("DELETE FROM figures WHERE article_id = ?", (article.id,))
    rows = []
    for figure in find_figures(doc):
        rows.append(
            (
                article.id,
                figure.start,
                figure.end,
                figure.text,
                figure.value,
                figure.unit,
                figure.quantity,
                figure.bound,
                figure.sentence_start,
                figure.sentence_end,
            )
        )
    store.db.executemany(
        "INSERT OR IGNORE INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
    )


def find_figures(doc: Any) -> list[Figure]:
    figures = []
    for ent in doc.ents:
        if ent.label_ not in _LABELS or not _NUMBER.search(ent.text):
            continue
        if ent.label_ == "DATE" and not _SPAN_OF_TIME.match(ent.text):
            continue
        if ent.label_ == "CARDINAL" and _is_part_of_name(ent):
            continue
        value, unit = _value_and_unit(ent.text, ent.label_)
        if value is None:
            continue
        sentence = ent.sent
        span = _with_hedge(ent)
        figures.append(
            Figure(
                text=span.text,
                start=span.start_char,
                end=span.end_char,
                value=value,
                unit=unit,
                quantity=_quantity(ent),
                bound=_bound(span.text),
                sentence_start=sentence.start_char,
                sentence_end=sentence.end_char,
            )
        )
    return figures


def _is_part_of_name(ent: Any) -> bool:
    """ "F-35", "S-400", "G20": a number glued to letters is a name, not a count."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if before is None:
        return False
    glued = not before.whitespace_ and (before.text in {"-", "–"} or before.text[-1:].isalpha())
    # "S 400", "F 35": a lone capital letter before the number is a model name too.
    return glued or (len(before.text) == 1 and before.text.isupper())


def _value_and_unit(text: str, label: str) -> tuple[float | None, str | None]:
    match = _NUMBER.search(text)
    if match is None:
        return None, None
    value = float(match.group().replace(",", ""))
    lowered = text.lower()
    for word, factor in _SCALE.items():
        if re.search(rf"\b{word}\b", lowered):
            value *= factor
            break
    if label == "MONEY":
        symbol = next((code for sign, code in _CURRENCY.items() if sign in text), None)
        return value, symbol or "money"
    if label == "PERCENT":
        return value, "percent"
    span = _SPAN_OF_TIME.match(text)
    if span:
        return value, span.group(2).lower()
    return value, None


def _with_hedge(ent: Any) -> Any:
    """The figure with a hedge spaCy left outside it: "over 100", "more than 4,000"."""
    doc = ent.doc
    for width in (2, 1):
        start = ent.start - width
        if start >= ent.sent.start and doc[start : ent.start].text.lower() in _BOUNDS:
            return doc[start : ent.end]
    return ent


def _bound(text: str) -> str | None:
    lowered = text.lower()
    return next((kind for words, kind in _BOUNDS.items() if lowered.startswith(words + " ")), None)


def _quantity(ent: Any) -> str:
    """What the figure counts: the noun it modifies, else the verb it depends on."""
    root = ent.root
    if root.dep_ in {"nummod", "quantmod", "compound"} and root.head.pos_ in {"NOUN", "PROPN"}:
        return _lemma(root.head)
    # "ruled Turkey for 22 years", "invested $1.4 billion": the verb names the quantity.
    verb = next((t for t in root.ancestors if t.pos_ in {"VERB", "AUX"}), None)
    return _lemma(verb if verb is not None else root)


def _lemma(token: Any) -> str:
    return str(token.lemma_ or token.text).lower()
