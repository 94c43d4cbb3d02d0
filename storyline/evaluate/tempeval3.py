"""`storyline eval tempeval3 --data DIR`: TempEval-3 task A (time expressions) on TimeML.

Reads every `*.tml` under DIR. The anchor of each document is its creation time (the
TIMEX3 with functionInDocument="CREATION_TIME"); the system reads the plain text of the
TEXT element, and its spans are compared with the gold TIMEX3 spans by character offsets.

Measures, as the TempEval-3 scorer (UzZaman et al. 2013) defines them:
- relaxed: a system expression is correct when it overlaps a gold one; precision = correct
  system expressions / system expressions, recall = gold expressions overlapped by some
  system expression / gold expressions.
- strict: the same with identical spans (surrounding whitespace ignored).
- value: an attribute score on the relaxed matches, like the scorer's attribute F1: a match
  counts when its normalised value equals the gold value; precision = those / system
  expressions, recall = those / gold expressions (so it can never exceed relaxed F1).
The baseline is spaCy's DATE/TIME entities with values from dateparser (anchored on the
creation time), nothing of ours.
"""

from __future__ import annotations

import datetime as dt
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from ..settings import Settings


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    text: str
    value: str


@dataclass(frozen=True)
class TimeMLDocument:
    name: str
    text: str
    creation: dt.date
    timexes: tuple[GoldTimex, ...]


def read_timeml(path: Path) -> TimeMLDocument:
    """The TEXT element's plain text, its gold TIMEX3 spans (character offsets) and the DCT."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise EvalDataError(
            f"{path}: not well-formed TimeML ({exc}); fix or remove the file"
        ) from None
    creation = None
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            creation = dt.date.fromisoformat((timex.get("value") or "")[:10])
            break
    body = root.find("TEXT")
    if creation is None or body is None:
        raise EvalDataError(f"{path}: no TEXT or no creation time; is this TempEval-3 TimeML?")
    pieces: list[str] = []
    gold: list[GoldTimex] = []

    def walk(element: ET.Element) -> None:
        start = sum(len(p) for p in pieces)
        pieces.append(element.text or "")
        for child in element:
            walk(child)
            pieces.append(child.tail or "")
        if element.tag == "TIMEX3":
            end = sum(len(p) for p in pieces)
            text = "".join(pieces)[start:end]
            strip_left = len(text) - len(text.lstrip())
            strip_right = len(text) - len(text.rstrip())
            gold.append(
                GoldTimex(
                    start + strip_left, end - strip_right, text.strip(), element.get("value") or ""
                )
            )

    walk(body)
    return TimeMLDocument(path.name, "".join(pieces), creation, tuple(gold))


def _score(
    gold: list[tuple[int, int, str]], system: list[tuple[int, int, str | None]]
) -> dict[str, float]:
    """Relaxed / strict / value precision, recall, F1 over pooled (doc-offset) spans."""
    relaxed_sys = sum(any(s < ge and gs < e for gs, ge, _ in gold) for s, e, _ in system)
    relaxed_gold = sum(any(s < ge and gs < e for s, e, _ in system) for gs, ge, _ in gold)
    spans = {(s, e) for s, e, _ in system}
    strict = sum((gs, ge) in spans for gs, ge, _ in gold)
    value_hits = 0
    for gs, ge, gvalue in gold:
        overlapping = [(min(e, ge) - max(s, gs), v) for s, e, v in system if s < ge and gs < e]
        if overlapping and max(overlapping, key=lambda o: o[0])[1] == gvalue:
            value_hits += 1
    n_sys, n_gold = max(len(system), 1), max(len(gold), 1)
    result: dict[str, float] = {}
    for name, p_hits, r_hits in (
        ("relaxed", relaxed_sys, relaxed_gold),
        ("strict", strict, strict),
        ("value", value_hits, value_hits),
    ):
        p, r = p_hits / n_sys, r_hits / n_gold
        result[f"{name}_p"] = round(p, 4)
        result[f"{name}_r"] = round(r, 4)
        result[f"{name}_f1"] = round(2 * p * r / (p + r), 4) if p + r else 0.0
    return result


def find_documents(data_dir: Path) -> list[Path]:
    paths = sorted(data_dir.rglob("*.tml"))
    if not paths:
        raise EvalDataError(f"{data_dir}: no *.tml files; pass the TempEval-3 folder with --data")
    return paths


def evaluate(data_dir: Path, settings: Settings) -> dict[str, Any]:
    from ..enrich.dates import find_time_expressions
    from ..nlp import load_nlp

    documents = [read_timeml(path) for path in find_documents(data_dir)]
    nlp = load_nlp()
    gold: list[tuple[int, int, str]] = []
    ours: list[tuple[int, int, str | None]] = []
    base: list[tuple[int, int, str | None]] = []
    offset = 0
    elapsed = 0.0  # our annotator only: the parse is shared with the other annotators
    for document, doc in zip(documents, nlp.pipe(d.text for d in documents), strict=True):
        gold += [(offset + g.start, offset + g.end, g.value) for g in document.timexes]
        started = time.perf_counter()
        expressions = find_time_expressions(doc, document.creation)
        elapsed += time.perf_counter() - started
        for found in expressions:
            ours.append((offset + found.start, offset + found.end, found.timeml))
        base += [
            (offset + s, offset + e, v) for s, e, v in baseline_expressions(doc, document.creation)
        ]
        offset += len(document.text) + 1
    return {
        "dataset": "tempeval3",
        "n": len(gold),
        "documents": len(documents),
        **_score(gold, ours),
        "expressions_per_s": round(len(ours) / elapsed, 1) if elapsed else None,
        "baseline": {"name": "spaCy DATE/TIME + dateparser", **_score(gold, base)},
    }


def baseline_expressions(doc: Any, anchor: dt.date) -> list[tuple[int, int, str | None]]:
    """spaCy's DATE/TIME entities, valued by dateparser relative to the anchor."""
    from dateparser.date import DateDataParser

    parser = _baseline_parser(DateDataParser, anchor)
    found: list[tuple[int, int, str | None]] = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        data = parser.get_date_data(ent.text)
        value = None
        if data is not None and data.date_obj is not None:
            stamp = data.date_obj
            value = {"year": f"{stamp:%Y}", "month": f"{stamp:%Y-%m}"}.get(
                data.period or "", f"{stamp:%Y-%m-%d}"
            )
        found.append((ent.start_char, ent.end_char, value))
    return found


_PARSERS: dict[str, Any] = {}


def _baseline_parser(factory: Any, anchor: dt.date) -> Any:
    key = anchor.isoformat()
    if key not in _PARSERS:
        base = dt.datetime(anchor.year, anchor.month, anchor.day)
        _PARSERS[key] = factory(languages=["en"], settings={"RELATIVE_BASE": base})
    return _PARSERS[key]
