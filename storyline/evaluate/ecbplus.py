"""`storyline eval ecbplus`: event clustering on ECB+ (Cybulska & Vossen 2014).

Every topic folder holds reports of two real-world happenings of the same kind: the
`N_Mecb.xml` files report one, the `N_Mecbplus.xml` files the other. All documents are
pooled and clustered in one stream (no dates: ECB+ has none), and scored with BCubed
against the (topic, ecb|ecbplus) events, beside a TF-IDF single-pass baseline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from defusedxml import ElementTree

from ..errors import EvalDataError
from ..settings import Settings
from .bcubed import bcubed
from .streaming import (
    LabelledDocument,
    document_signals,
    order_agreement,
    run_stream,
    tfidf_single_pass,
)

_NAME = re.compile(r"^(?P<topic>\d+)_(?P<number>\d+)(?P<kind>ecbplus|ecb)\.xml$")


@dataclass(frozen=True)
class EcbDocument:
    path: Path
    topic: str
    kind: str
    text: str


def read_ecbplus(data_dir: Path) -> list[EcbDocument]:
    """Every ECB+ document under the folder (found by name pattern, recursively)."""
    documents = []
    for path in sorted(data_dir.rglob("*.xml")):
        match = _NAME.match(path.name)
        if match is None:
            continue
        documents.append(EcbDocument(path, match["topic"], match["kind"], _tokens_text(path)))
    if not documents:
        raise EvalDataError(f"{data_dir}: no ECB+ files (<topic>/<topic>_<n>ecb[plus].xml) found")
    return documents


def _tokens_text(path: Path) -> str:
    """The document's tokens joined with spaces, one line per sentence."""
    root = ElementTree.parse(path).getroot()
    sentences: dict[str, list[str]] = {}
    for token in root.iter("token"):
        sentences.setdefault(token.get("sentence", "0"), []).append(token.text or "")
    return "\n".join(
        " ".join(words) for _, words in sorted(sentences.items(), key=lambda kv: int(kv[0]))
    )


def evaluate(data_dir: Path, settings: Settings) -> dict[str, Any]:
    documents = read_ecbplus(data_dir)
    labelled = [
        LabelledDocument(
            id=str(d.path.relative_to(data_dir)),
            title=None,
            text=d.text,
            published=None,
            label=f"{d.topic}/{d.kind}",
        )
        for d in documents
    ]
    gold = {d.id: d.label for d in labelled}
    signals = document_signals(labelled)
    events, _ = run_stream(signals)
    result: dict[str, Any] = {"dataset": "ecbplus", "n": len(labelled)}
    result.update(bcubed(events, gold))
    result["events"] = len(set(events.values()))
    result["gold_events"] = len(set(gold.values()))
    result["baseline"] = {
        "method": "tf-idf single pass",
        **bcubed(tfidf_single_pass(labelled), gold),
    }
    result["order_agreement"] = order_agreement(signals)
    return result
