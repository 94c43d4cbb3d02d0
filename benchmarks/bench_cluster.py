"""Clustering throughput at 1k, 10k and 100k articles, and agreement between arrival orders.

    python benchmarks/bench_cluster.py [--data DIR] [--sizes 1000 10000 100000]

The Timeline17 articles are embedded once (cached in the temp folder) and replicated to
reach each size: replica r gets its vectors turned by one random rotation of its own, its
names and its stories' own terms re-spelled ("term~r") and its dates shifted by r × 3
years, so each replica is a new set of happenings that reads like the original: within a
replica every cosine is the original's, across replicas the embeddings' are near 0. The
words that reports of different stories share ("said", "officials", "week": a term of
two topics or more) stay as they are, as a real store's common words do, so the idf
sees them as common at every size. (Until stop 20 every term was re-spelled: a replica's
common words then looked as rare as names in a large store, a half-streamed replica's
stories ran together (stories BCubed P 0.68 at 50k against 0.96 alone) and the
vocabulary grew by the whole of the originals' with every replica. Until stop 19 each
replica's vectors were moved along one random direction instead, which drew a replica's
24 stories into one.) Clustering runs through the same Clusterer and SQLite tables as the
pipeline stage (a fresh store file per size, one transaction per 200 articles; sizes up
to 10k run three times, the median kept).
Prints articles/s per size, the ratio of per-article cost largest/smallest, the stories'
BCubed F1 at each size against the replicas' topics (each topic of each replica one story,
as `storyline eval timeline17-stories` scores the originals: quality must hold as the store
grows, not only speed), and the BCubed F1 agreement of two shuffled arrival orders.
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
from storyline.evaluate.bcubed import bcubed
from storyline.evaluate.streaming import LabelledDocument, document_signals, order_agreement
from storyline.evaluate.timeline17 import find_topics, read_articles
from storyline.store import Store

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "timeline17"
BATCH = 200


def labelled_originals(data_dir: Path) -> list[tuple[ArticleSignals, str]]:
    """The Timeline17 articles' signals in time order, each with its topic."""
    articles = [a for folder in find_topics(data_dir) for a in read_articles(folder)]
    articles.sort(key=lambda a: (a.time or "", a.id))
    documents = [
        LabelledDocument(a.id, None, a.text, a.time, a.topic) for a in articles if a.text.strip()
    ]
    cache = Path(tempfile.gettempdir()) / f"storyline-bench-cluster-{len(documents)}.npy"
    if cache.exists():
        vectors = np.load(cache)
    else:
        from storyline.embeddings import DOCUMENTS, embed

        vectors = embed([embedding_text(d.title, d.text) for d in documents], DOCUMENTS)
        np.save(cache, vectors)
    # Heuristic names (no NER pass): this measures clustering, not entity extraction.
    signals = document_signals(documents, vectors, [[] for _ in documents])
    return list(zip(signals, [d.label for d in documents], strict=True))


def shared_terms(labelled: list[tuple[ArticleSignals, str]]) -> frozenset[str]:
    """Terms that reports of two topics or more use: the language's, not a story's."""
    topics: dict[str, set[str]] = {}
    for signals, topic in labelled:
        for term, _ in signals.terms:
            topics.setdefault(term, set()).add(topic)
    return frozenset(term for term, found in topics.items() if len(found) > 1)


def replica(
    article: ArticleSignals, number: int, rotation: np.ndarray, shared: frozenset[str]
) -> ArticleSignals:
    terms = ((t if t in shared else f"{t}~{number}", w) for t, w in article.terms)
    return replace(
        article,
        article_id=f"{article.article_id}~{number}",
        vector=(rotation @ article.vector).astype(np.float32),
        terms=tuple(sorted(terms)),
        names=tuple((f"{n}~{number}", w) for n, w in article.names),
        day=article.day + 3 * 365 * number if article.day is not None else None,
    )


def stream(labelled: list[tuple[ArticleSignals, str]], size: int) -> list[ArticleSignals]:
    rng = np.random.default_rng(17)
    originals = [signals for signals, _ in labelled]
    shared = shared_terms(labelled)
    found = originals[:size]  # replica 0: the originals as they are
    number = 1
    while len(found) < size:
        rotation = random_rotation(rng, originals[0].vector.size)
        found += [replica(a, number, rotation, shared) for a in originals[: size - len(found)]]
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


def throughput(articles: list[ArticleSignals], folder: Path) -> tuple[float, float, dict]:
    """Articles per wall-clock second and per CPU second (the machine may be shared), and
    each article's story."""
    path = folder / f"bench-{len(articles)}.db"
    with Store(path) as store:
        clusterer = Clusterer(store)
        started, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(articles), BATCH):
            with store.transaction():
                for article in articles[start : start + BATCH]:
                    clusterer.add(article)
                clusterer.flush()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        stories = dict(
            store.query(
                "SELECT a.article_id, e.story FROM event_articles a JOIN events e"
                " ON e.id = a.event_id"
            )
        )
    path.unlink()
    return len(articles) / elapsed, len(articles) / cpu, stories


def replica_topics(articles: list[ArticleSignals], topic_of: dict[str, str]) -> dict[str, str]:
    """Each article's gold story: its original's topic, within its replica."""
    found = {}
    for article in articles:
        original, _, number = article.article_id.partition("~")
        found[article.article_id] = f"{topic_of[original]}~{number or 0}"
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--skip-agreement", action="store_true")
    args = parser.parse_args()
    labelled = labelled_originals(args.data)
    originals = [signals for signals, _ in labelled]
    topic_of = {signals.article_id: topic for signals, topic in labelled}
    result: dict[str, object] = {"originals": len(originals)}
    rates, cpu_rates, quality = {}, {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            articles = stream(labelled, size)
            runs = [throughput(articles, Path(folder)) for _ in range(repeats(size))]
            rates[size] = float(np.median([wall for wall, _, _ in runs]))
            cpu_rates[size] = float(np.median([cpu for _, cpu, _ in runs]))
            gold = replica_topics(articles, topic_of)
            quality[size] = bcubed(runs[0][2], gold)
            print(
                f"{size} articles: {rates[size]:.0f} articles/s, {cpu_rates[size]:.0f} per CPU s,"
                f" stories BCubed F1 {quality[size]['bcubed_f1']}"
                f" (P {quality[size]['bcubed_p']}, R {quality[size]['bcubed_r']})",
                file=sys.stderr,
                flush=True,
            )
    result["articles_per_s"] = {str(k): round(v, 1) for k, v in rates.items()}
    result["articles_per_cpu_s"] = {str(k): round(v, 1) for k, v in cpu_rates.items()}
    result["stories_bcubed_f1"] = {str(k): v for k, v in quality.items()}
    smallest, largest = min(rates), max(rates)
    result["cost_ratio_largest_smallest"] = round(rates[smallest] / rates[largest], 3)
    result["cpu_cost_ratio_largest_smallest"] = round(cpu_rates[smallest] / cpu_rates[largest], 3)
    if not args.skip_agreement:
        result["order_agreement"] = order_agreement(originals)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
