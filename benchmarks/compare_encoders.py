"""Each encoder option side by side: its cost, and the quality floors that read its vectors.

    python benchmarks/compare_encoders.py [--bench ../shared/bench] [--evals ecbplus ...]

For every encoder in storyline/encoders.py (MiniLM in ONNX Runtime, its 8-bit form,
WordLlama), prints:
- CPU ms per sentence, on one thread, over 2,000 Timeline17 sentences (batches of 64);
- as the SENTENCES encoder: MRPC accuracy and F1 of the paraphrase decision's linear model
  refitted on that encoder's cosines, 10-fold cross-validated (tune_paraphrase.py's
  procedure; the shipped cross-encoder is left out, as it does not read these vectors);
- as the DOCUMENTS encoder, with `--evals`: the named `storyline eval` runs (ecbplus,
  timeline17-stories: clustering reads an article's title-and-lead vector) against
  their floors in floors.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from tune_paraphrase import cross_validate

from storyline import embeddings, encoders
from storyline.cluster.index import _hyperplanes
from storyline.dedup.paraphrase import lexical_view, pair_features
from storyline.evaluate import evaluate
from storyline.evaluate.mrpc import read_pairs
from storyline.evaluate.timeline17 import find_topics, read_articles
from storyline.evaluate.timeline_tls import detokenise
from storyline.settings import Settings

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
FLOORS = json.loads(Path(__file__).with_name("floors.json").read_text())["evals"]


def sample_sentences(bench: Path, count: int = 2000) -> list[str]:
    articles = [a for f in find_topics(bench / "timeline17") for a in read_articles(f)][::60]
    lines = [detokenise(line) for a in articles for line in a.text.splitlines() if line.strip()]
    return lines[:count]


def cost_ms(name: str, sentences: list[str]) -> float:
    encoder = encoders.load(name)
    encoder.encode(sentences[:8])  # loaded and warm
    started = time.process_time()
    encoder.encode(sentences)
    return round(1000 * (time.process_time() - started) / len(sentences), 3)


def mrpc_linear(name: str, bench: Path) -> dict[str, float]:
    pairs = read_pairs(bench / "mrpc")
    encoder = encoders.load(name)
    first, second = (
        encoder.encode([p.first for p in pairs]),
        encoder.encode([p.second for p in pairs]),
    )
    cosines = np.sum(first * second, axis=1)
    rows = np.array(
        [
            pair_features(float(c), lexical_view(p.first), lexical_view(p.second)).vector()
            for c, p in zip(cosines, pairs, strict=True)
        ]
    )
    gold = np.array([p.label for p in pairs])
    found = cross_validate(rows, gold, model=True)
    return {"accuracy": found["accuracy"], "f1": found["f1"]}


def floors(name: str, bench: Path, evals: list[str]) -> dict[str, object]:
    chosen = embeddings.ENCODERS[embeddings.DOCUMENTS]
    embeddings.ENCODERS[embeddings.DOCUMENTS] = name
    _hyperplanes.cache_clear()  # the blocking index's planes have the vectors' length
    try:
        found: dict[str, object] = {}
        for eval_name in evals:
            spec = FLOORS[eval_name]
            result = evaluate(eval_name, bench / spec["data"], Settings.from_env(":memory:"))
            found[eval_name] = {
                metric: {"score": _metric(result, metric), "floor": floor}
                for metric, floor in spec["floors"].items()
            }
        return found
    finally:
        embeddings.ENCODERS[embeddings.DOCUMENTS] = chosen
        _hyperplanes.cache_clear()


def _metric(result: dict, name: str) -> object:
    value: object = result
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", type=Path, default=BENCH)
    parser.add_argument("--encoders", nargs="*", default=sorted(encoders.DIMENSIONS))
    parser.add_argument("--evals", nargs="*", default=[])
    args = parser.parse_args()
    sentences = sample_sentences(args.bench)
    for name in args.encoders:
        row: dict[str, object] = {"encoder": name, "cpu_ms_per_sentence": cost_ms(name, sentences)}
        row["mrpc_linear_cv"] = mrpc_linear(name, args.bench)
        if args.evals:
            row["as_documents"] = floors(name, args.bench, args.evals)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
