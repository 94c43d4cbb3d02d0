"""Clustering throughput at 1k, 10k and 100k articles, and agreement between arrival orders.

    python benchmarks/bench_cluster.py [--data DIR] [--sizes 1000 10000 100000]

The Timeline17 articles are embedded once (cached in the temp folder) and replicated to
reach each size: replica r gets its vectors turned by one random rotation of its own, its
terms and names re-spelled ("term~r") and its dates shifted by r × 3 years, so each
replica is a new set of happenings that reads like the original: within a replica every
cosine is the original's, across replicas they are near 0. (Until stop 19 each replica's
vectors were moved along one random direction instead, which drew all of a replica's
articles toward each other: a replica's 24 stories ran into one, so the large sizes
measured stories a hundred times the originals' size.) Clustering runs through
the same Clusterer and SQLite tables as the pipeline stage (a fresh store file per size,
one transaction per 200 articles; sizes up to 10k run three times, the median kept).
Prints articles/s per size, the ratio of per-article cost largest/smallest, and the BCubed
F1 agreement of two shuffled arrival orders.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from storyline.cluster.events import Clusterer
from storyline.cluster.signals import ArticleSignals, embedding_text
from storyline.evaluate.streaming import LabelledDocument, document_signals, order_agreement
from storyline.evaluate.timeline17 import find_topics, read_articles
from storyline.store import Store

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "timeline17"
BATCH = 200


def load_originals(data_dir: Path) -> list[ArticleSignals]:
    articles = [a for folder in find_topics(data_dir) for a in read_articles(folder)]
    articles.sort(key=lambda a: (a.time or "", a.id))
    documents = [
        LabelledDocument(a.id, None, a.text, a.time, a.topic) for a in articles if a.text.strip()
    ]
    cache = Path(tempfile.gettempdir()) / f"storyline-bench-cluster-{len(documents)}.npy"
    if cache.exists():
        vectors = np.load(cache)
    else:
        from storyline.embeddings import embed

        vectors = embed([embedding_text(d.title, d.text) for d in documents])
        np.save(cache, vectors)
    # Heuristic names (no NER pass): this measures clustering, not entity extraction.
    return document_signals(documents, vectors, [[] for _ in documents])


def replica(article: ArticleSignals, number: int, rotation: np.ndarray) -> ArticleSignals:
    return replace(
        article,
        article_id=f"{article.article_id}~{number}",
        vector=(rotation @ article.vector).astype(np.float32),
        terms=tuple((f"{t}~{number}", w) for t, w in article.terms),
        names=tuple((f"{n}~{number}", w) for n, w in article.names),
        day=article.day + 3 * 365 * number if article.day is not None else None,
    )


def stream(originals: list[ArticleSignals], size: int) -> list[ArticleSignals]:
    rng = np.random.default_rng(17)
    found = originals[:size]  # replica 0: the originals as they are
    number = 1
    while len(found) < size:
        rotation = random_rotation(rng, originals[0].vector.size)
        found += [replica(a, number, rotation) for a in originals[: size - len(found)]]
        number += 1
    return found


def random_rotation(rng: np.random.Generator, dimension: int) -> np.ndarray:
    """A uniformly random orthogonal matrix (QR of a Gaussian one, signs fixed): it keeps
    every length and angle, so a turned replica is as alike within as the original."""
    q, r = np.linalg.qr(rng.standard_normal((dimension, dimension)))
    return (q * np.sign(np.diag(r))).astype(np.float32)


def repeats(size: int) -> int:
    """Runs per size, the median reported: a 1k run lasts about a second, so one run of it
    swung the cost ratio by a tenth between otherwise equal measurements."""
    return 3 if size <= 10_000 else 1


def throughput(articles: list[ArticleSignals], folder: Path) -> tuple[float, float]:
    """Articles per wall-clock second and per CPU second (the machine may be shared)."""
    path = folder / f"bench-{len(articles)}.db"
    with Store(path) as store:
        clusterer = Clusterer(store.db)
        started, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(articles), BATCH):
            with store.transaction():
                for article in articles[start : start + BATCH]:
                    clusterer.add(article)
                clusterer.flush()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    path.unlink()
    return len(articles) / elapsed, len(articles) / cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--skip-agreement", action="store_true")
    args = parser.parse_args()
    originals = load_originals(args.data)
    result: dict[str, object] = {"originals": len(originals)}
    rates, cpu_rates = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            articles = stream(originals, size)
            runs = [throughput(articles, Path(folder)) for _ in range(repeats(size))]
            rates[size] = float(np.median([wall for wall, _ in runs]))
            cpu_rates[size] = float(np.median([cpu for _, cpu in runs]))
            print(
                f"{size} articles: {rates[size]:.0f} articles/s, {cpu_rates[size]:.0f} per CPU s",
                file=sys.stderr,
                flush=True,
            )
    result["articles_per_s"] = {str(k): round(v, 1) for k, v in rates.items()}
    result["articles_per_cpu_s"] = {str(k): round(v, 1) for k, v in cpu_rates.items()}
    smallest, largest = min(rates), max(rates)
    result["cost_ratio_largest_smallest"] = round(rates[smallest] / rates[largest], 3)
    result["cpu_cost_ratio_largest_smallest"] = round(cpu_rates[smallest] / cpu_rates[largest], 3)
    if not args.skip_agreement:
        result["order_agreement"] = order_agreement(originals)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
