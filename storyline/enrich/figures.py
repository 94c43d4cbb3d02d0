"""Figures: money, counts, percentages, measures and spans of time, with what they quantify.

spaCy finds the numbers (MONEY, CARDINAL, PERCENT, QUANTITY, and DATE spans that are
lengths of time such as "22 years"); what a number quantifies comes from the dependency
parse, which is our own logic: the noun it counts ("over 100 F-35 jets" → jets), else
the verb it is the object of ("invested $1.4 billion" → invest). Numbers written as words
("three metres") are read by our own small parser, and a measure spaCy leaves untagged
("almost a metre") is found by its unit word. Figures feed claims and their conflicts
(two reports giving different values for the same quantity).
"""

from __future__ import annotations

import itertools
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
_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_NUMBER_WORDS = {word: value for value, word in enumerate(_ONES.split())} | {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a": 1, "an": 1, "half": 0.5,
}  # fmt: skip
# Units of measure, each spelling to one name, so "3 km" and "three kilometres" compare.
_UNITS = {
    "metre": "metre", "meter": "metre", "m": "metre",
    "kilometre": "kilometre", "kilometer": "kilometre", "km": "kilometre",
    "centimetre": "centimetre", "centimeter": "centimetre", "cm": "centimetre",
    "mile": "mile", "foot": "foot", "feet": "foot", "ft": "foot", "inch": "inch",
    "kilogram": "kilogram", "kilo": "kilogram", "kg": "kilogram",
    "tonne": "tonne", "ton": "tonne", "pound": "pound", "lb": "pound",
    "litre": "litre", "liter": "litre", "gallon": "gallon", "barrel": "barrel",
    "acre": "acre", "hectare": "hectare", "degree": "degree",
}  # fmt: skip
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

_BOUND_WORDS = frozenset(w for words in _BOUNDS for w in words.split())


def annotate_figures(store: Store, article: Article, doc: Any, settings: Settings) -> None:
    """Enrich annotator: store the article's figures."""
    store.execute("DELETE FROM figures WHERE article_id = ?", (article.id,))
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
    store.executemany("INSERT OR IGNORE INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def find_figures(doc: Any) -> list[Figure]:
    figures = []
    for ent in doc.ents:
        if ent.label_ not in _LABELS:
            continue
        if ent.label_ == "DATE" and not _SPAN_OF_TIME.match(ent.text):
            continue
        if ent.label_ == "CARDINAL" and _is_part_of_name(ent):
            continue
        if _figure_of_speech(ent[0], ent.end):
            continue
        value, unit = _value_and_unit(ent.text, ent.label_)
        if value is not None:
            figures.append(_figure(ent, value, unit))
    return sorted(figures + _untagged_measures(doc), key=lambda f: f.start)


def _figure(ent: Any, value: float, unit: str | None) -> Figure:
    span = _with_hedge(ent)
    return Figure(
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        value=value,
        unit=unit,
        quantity=_quantity(ent),
        bound=_bound(span.text),
        sentence_start=ent.sent.start_char,
        sentence_end=ent.sent.end_char,
    )


def _untagged_measures(doc: Any) -> list[Figure]:
    """ "almost a metre", "two miles": a number and a unit word the NER did not tag."""
    found = []
    for token in doc:
        unit = _unit(token.lemma_.lower()) or _unit(token.lower_)
        if unit is None or token.i == 0 or token.ent_type_ or len(token.text) < 2:
            continue
        before = doc[token.i - 1]
        value = _word_number(before.lower_) if not before.ent_type_ else None
        if _figure_of_speech(before, token.i + 1):
            continue
        if value is not None and before.pos_ in {"DET", "NUM"}:
            found.append(_figure(doc[before.i : token.i + 1], value, unit))
    return found


def _figure_of_speech(first: Any, end: int) -> bool:
    """ "a degree of doubt", "a ton of work": "a" and a unit word before "of" measure nothing."""
    doc = first.doc
    return first.pos_ == "DET" and end < len(doc) and doc[end].lower_ == "of"


def _word_number(text: str) -> float | None:
    """ "three" → 3, "twenty-five" → 25, "a" → 1; None for anything else. Our own: the
    handful of words news writes numbers in needs no parser library."""
    total = 0.0
    for part in re.split(r"[-\s]+", text.strip().lower()):
        if part not in _NUMBER_WORDS:
            return None
        value = _NUMBER_WORDS[part]
        total = total * value if value == 100 and total else total + value
    return total


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
    lowered = text.lower()
    if match is not None:
        value = float(match.group().replace(",", ""))
    else:
        words = [w for w in re.findall(r"[a-z]+(?:-[a-z]+)?", lowered) if w not in _BOUND_WORDS]
        leading = list(itertools.takewhile(lambda w: _word_number(w) is not None, words))
        value = float(_word_number(" ".join(leading)) or 0) if leading else 0.0
        if value < 2 and label != "QUANTITY":
            return None, None  # "one of them", "a": a count only before a unit word
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
    if label == "QUANTITY":
        return value, _unit_name(re.findall(r"[a-z]+", lowered))
    return value, None


def _unit(word: str) -> str | None:
    """The one name of a unit of measure however spelled ("metres", "km"); None if none."""
    return _UNITS.get(word) or _UNITS.get(word.removesuffix("s"))


def _unit_name(words: list[str]) -> str | None:
    """ "metres" → metre, "cubic metres" → cubic metre (a volume, not a length)."""
    if not words:
        return None
    unit = _unit(words[-1]) or words[-1].removesuffix("s")
    if len(words) > 1 and words[-2] in {"square", "cubic"}:
        return f"{words[-2]} {unit}"
    return unit


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
