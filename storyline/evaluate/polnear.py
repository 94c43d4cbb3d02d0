"""`storyline eval polnear --data DIR`: attribution extraction on PolNeAR (brat layout).

Reads every split folder under DIR that holds `text/` and `attributions/`, except `train/`
(PolNeAR has no licence: nothing is trained on it; train/ was only read to design rules).
Scores exact-match precision, recall and F1 of source, cue and content spans, pooled over
all documents, for storyline's extractor and for a plain baseline: the verb "say" as cue,
its subject as source and its clausal complement as content.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..enrich.attribution import Attribution, find_attributions, quote_spans
from ..errors import EvalDataError
from ..nlp import load_nlp
from ..settings import Settings

Spans = tuple[tuple[int, int], ...]
_ROLES = ("source", "cue", "content")


def evaluate(data_dir: Path, settings: Settings) -> dict[str, Any]:
    pairs = list(_documents(data_dir))
    if not pairs:
        raise EvalDataError(
            f"{data_dir}: no split folder with text/ and attributions/ (other than train/)"
        )
    nlp = load_nlp(line_breaks=True)
    system = _Tally()
    baseline = _Tally()
    texts = [text.read_text(encoding="utf-8") for text, _ in pairs]
    for (_, ann), doc in zip(pairs, nlp.pipe(texts, batch_size=16), strict=True):
        gold = read_gold(ann)
        system.add(gold, predicted_spans(find_attributions(doc), doc))
        baseline.add(gold, baseline_spans(doc))
    return {"dataset": "polnear", "n": len(pairs), **system.scores(), "baseline": baseline.scores()}


def _documents(data_dir: Path) -> Iterator[tuple[Path, Path]]:
    """(text file, annotation file) pairs of every non-train split, found by layout."""
    for attributions in sorted(data_dir.rglob("attributions")):
        split = attributions.parent
        texts = split / "text"
        if not attributions.is_dir() or not texts.is_dir() or split.name == "train":
            continue
        for ann in sorted(attributions.glob("*.ann")):
            text = _text_for(texts, ann.stem)
            if text is not None:
                yield text, ann


def _text_for(texts: Path, stem: str) -> Path | None:
    """brat files carry a short suffix the text file lacks ("…-clin_ef2d.ann" → "…-clin.txt")."""
    for candidate in (stem, stem.rsplit("_", 1)[0]):
        path = texts / f"{candidate}.txt"
        if path.is_file():
            return path
    return None


def read_gold(ann: Path) -> dict[str, set[Spans]]:
    """Source, cue and content spans of a brat file (discontinuous spans kept whole)."""
    gold: dict[str, set[Spans]] = {role: set() for role in _ROLES}
    for line in ann.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0].startswith("T"):
            continue
        label, _, ranges = fields[1].partition(" ")
        role = label.lower()
        if role not in gold:
            continue
        try:
            spans = tuple((int(a), int(b)) for a, b in (part.split() for part in ranges.split(";")))
        except ValueError:
            continue
        gold[role].add(spans)
    return gold


def predicted_spans(attributions: list[Attribution], doc: Any) -> dict[str, set[Spans]]:
    """PolNeAR's conventions: content keeps its quote marks and "that", and runs to the end
    of a quotation it stops inside; a quoted fragment inside reported speech with the same
    cue is part of that content, not its own; a quote split around its cue ("…," he said.
    "…") is one discontinuous content; a source is its whole noun phrase, appositives and
    relative clauses included."""
    reported_cues = {a.cue_start for a in attributions if not a.direct}
    continued: dict[int | None, list[tuple[int, int]]] = {}
    for item in attributions:
        if item.inherited:
            continued.setdefault(item.cue_start, []).append((item.quoted_start, item.quoted_end))
    quotes = quote_spans(doc.text)
    found: dict[str, set[Spans]] = {role: set() for role in _ROLES}
    for item in attributions:
        if item.direct and (item.inherited or item.cue_start in reported_cues):
            continue
        first = _to_quote_edges(item.quoted_start, item.quoted_end, quotes)
        parts = continued.get(item.cue_start, []) if item.direct else []
        found["content"].add((first, *parts))
        if item.cue_start is not None and item.cue_end is not None:
            found["cue"].add(((item.cue_start, item.cue_end),))
        if item.source_root is not None:
            found["source"].add((_whole_phrase(doc, doc[item.source_root], item.cue_start),))
    return found


def _to_quote_edges(start: int, end: int, quotes: list[tuple[int, int]]) -> tuple[int, int]:
    for quote_start, quote_end in quotes:
        if quote_start < start < quote_end and end >= quote_end:
            start = quote_start
        if quote_start < end < quote_end and start <= quote_start:
            end = quote_end
    return start, end


def _whole_phrase(doc: Any, head: Any, cue_start: int | None) -> tuple[int, int]:
    """The source's full subtree, without a dateline or heading around it, and stopping
    before a relative clause that holds the cue ("commentators who suggested …")."""
    tokens = list(head.subtree)
    breaks = {"—", "–", ":", "--"}
    cut = 0
    for index, token in enumerate(tokens):
        if token.i < head.i and (token.text in breaks or "\n" in token.text):
            cut = index + 1
    limit = 1 << 30
    if cue_start is not None and tokens[0].idx <= cue_start <= tokens[-1].idx:
        limit = min(cue_start, _relcl_start(head))
    kept = []
    for token in tokens[cut:]:
        if token.i > head.i and (token.text in breaks or "\n" in token.text or token.idx >= limit):
            break
        kept.append(token)
    kept = _strip(kept) or [head]
    return kept[0].idx, kept[-1].idx + len(kept[-1].text)


def _relcl_start(head: Any) -> int:
    clauses = [t for t in head.children if t.dep_ == "relcl"]
    return min(t.left_edge.idx for t in clauses) if clauses else 1 << 30


def _strip(tokens: list[Any]) -> list[Any]:
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_space or tokens[-1].text in {"—", "-"}):
        tokens = tokens[:-1]
    return tokens


def baseline_spans(doc: Any) -> dict[str, set[Spans]]:
    found: dict[str, set[Spans]] = {role: set() for role in _ROLES}
    for token in doc:
        if token.lemma_ != "say":
            continue
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        clauses = [c for c in token.children if c.dep_ == "ccomp"]
        if not subjects or not clauses:
            continue
        found["cue"].add(((token.idx, token.idx + len(token.text)),))
        found["source"].add((_extent(subjects[0]),))
        found["content"].add((_extent(clauses[0]),))
    return found


def _extent(token: Any) -> tuple[int, int]:
    tokens = list(token.subtree)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


class _Tally:
    def __init__(self) -> None:
        self.counts = {role: [0, 0, 0] for role in _ROLES}  # true positives, predicted, gold

    def add(self, gold: dict[str, set[Spans]], predicted: dict[str, set[Spans]]) -> None:
        for role in _ROLES:
            self.counts[role][0] += len(gold[role] & predicted[role])
            self.counts[role][1] += len(predicted[role])
            self.counts[role][2] += len(gold[role])

    def scores(self) -> dict[str, float]:
        result = {}
        for role, (hits, predicted, gold) in self.counts.items():
            precision = hits / predicted if predicted else 0.0
            recall = hits / gold if gold else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            result.update(
                {
                    f"{role}_p": round(precision, 4),
                    f"{role}_r": round(recall, 4),
                    f"{role}_f1": round(f1, 4),
                }
            )
        return result


__all__ = ["baseline_spans", "evaluate", "predicted_spans", "read_gold"]
