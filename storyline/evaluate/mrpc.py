"""`storyline eval mrpc --data DIR`: the sentence-paraphrase decision on MRPC-layout TSVs.

Finds every `*.txt` under DIR whose first line is the MRPC header, scores all its pairs with
the decision the package ships (storyline.dedup.paraphrase: its constants and the
cross-encoder's adapter fixed ahead of time, on the MRPC training file), and beside it a
TF-IDF-cosine baseline. Scored on that training file itself the figure is in-sample;
benchmarks/train_paraphrase_adapter.py cv gives the cross-validated one (F1 0.8575).
The baseline's vocabulary statistics come from the sentences themselves (unsupervised)
and its cut-off is a fixed constant: no label of the scored data is ever used for
anything but scoring.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import EvalDataError
from ..settings import Settings

HEADER = ("Quality", "#1 ID", "#2 ID", "#1 String", "#2 String")
# TF-IDF cosine cut-off for the baseline, chosen by cross-validation on the MRPC training
# part (benchmarks/tune_paraphrase.py prints it).
TFIDF_THRESHOLD = 0.414


@dataclass(frozen=True)
class SentencePair:
    label: bool
    first: str
    second: str


def find_tables(data_dir: Path) -> list[Path]:
    """Every `*.txt` under the folder, recursively, whose first line is the MRPC header."""
    return [path for path in sorted(data_dir.rglob("*.txt")) if _has_header(path)]


def _has_header(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            first = handle.readline().rstrip("\r\n").split("\t")
    except OSError:
        return False
    return tuple(cell.strip() for cell in first[:5]) == HEADER


def read_pairs(data_dir: Path) -> list[SentencePair]:
    tables = find_tables(data_dir)
    if not tables:
        raise EvalDataError(
            f"{data_dir}: no MRPC TSV (a *.txt starting with the 'Quality  #1 ID ...' header);"
            " pass the folder that holds one"
        )
    return [pair for table in tables for pair in _rows(table)]


def _rows(path: Path) -> Iterator[SentencePair]:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        for row in reader:
            if len(row) < 5 or row[0].strip() not in {"0", "1"}:
                continue  # a malformed line is skipped, not fatal
            yield SentencePair(row[0].strip() == "1", row[3], row[4])


def tfidf_cosines(pairs: Sequence[SentencePair]) -> np.ndarray:
    """Cosine of the two sentences' TF-IDF vectors (IDF over all sentences, labels unused)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(lowercase=True)
    matrix = vectorizer.fit_transform([p.first for p in pairs] + [p.second for p in pairs])
    first, second = matrix[: len(pairs)], matrix[len(pairs) :]
    return np.asarray(first.multiply(second).sum(axis=1)).ravel()


def paraphrase_scores(pairs: Sequence[SentencePair]) -> np.ndarray:
    """The shipped decision's score for every pair (embeddings + lexical signals, and the
    cross-encoder where those are unsure)."""
    from ..dedup.paraphrase import lexical_view
    from ..dedup.paraphrase import paraphrase_scores as decide
    from ..embeddings import embed

    vectors_a = embed([p.first for p in pairs])
    vectors_b = embed([p.second for p in pairs])
    cosines = np.sum(vectors_a * vectors_b, axis=1)
    return decide(
        [
            (float(c), lexical_view(p.first), lexical_view(p.second))
            for c, p in zip(cosines, pairs, strict=True)
        ]
    )


def accuracy_f1(gold: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float]:
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def evaluate(data_dir: Path, settings: Settings) -> dict[str, Any]:
    pairs = read_pairs(data_dir)
    gold = [p.label for p in pairs]
    ours = accuracy_f1(gold, [bool(s >= 0.5) for s in paraphrase_scores(pairs)])
    baseline = accuracy_f1(gold, [bool(c >= TFIDF_THRESHOLD) for c in tfidf_cosines(pairs)])
    return {
        "dataset": "mrpc",
        "n": len(pairs),
        **ours,
        "method": "MiniLM cosine + lexical overlap (fixed logistic weights),"
        " and a MiniLM cross-encoder where those are unsure",
        "baseline": {"method": f"TF-IDF cosine >= {TFIDF_THRESHOLD}", **baseline},
    }
