"""What re-partitioning each story's events in one batch would give (issue 6's open targets).

    python benchmarks/cluster_repartition.py [--bench ../shared/bench] [--only ecbplus timeline17]

The streaming clusterer runs as shipped (in date order, and in the two shuffled orders of
`storyline eval`); then the reports of each of its stories are clustered again, in one
batch, by average linkage on a centred similarity: each report's MiniLM, term and name
vectors are taken relative to the mean of its NEIGHBOURS nearest reports, so what a story's
reports all share (the earthquake, the island) drops out and what tells two happenings
apart is left. The result depends on a story's members only, not on their order. Prints
ECB+ BCubed F1 and, for both sets, the agreement of the two shuffled orders, beside the
streaming clusterer's own figures. A measurement, not shipped code: the thresholds are
chosen here, on the data scored.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix, diags
from scipy.spatial.distance import squareform
from tune_cluster import bench_arguments, cached_signals, ecbplus_documents, timeline17_documents

from storyline.cluster.scoring import EMBEDDING_WEIGHT, NAMES_WEIGHT, TERMS_WEIGHT
from storyline.cluster.state import IDF_FLOOR, IDF_PRIOR
from storyline.evaluate.bcubed import bcubed
from storyline.evaluate.streaming import run_stream

NEIGHBOURS = 40
CUTS = (0.95, 0.97, 1.0)
# Weights of the centred MiniLM, term and name similarities (a split-half check on ECB+
# preferred terms and MiniLM over names).
WEIGHTS = (0.4, 0.4, 0.2)


def main() -> None:
    args = bench_arguments(__doc__)
    if "ecbplus" in args.only:
        report("ecbplus", ecbplus_documents(args.bench / "ecbplus"), "ecbplus")
    if "timeline17" in args.only:
        report("t17", timeline17_documents(args.bench / "timeline17"), None)


def report(name: str, documents: list, scored: str | None) -> None:
    signals = cached_signals(name, documents)
    gold = {s.article_id: d.label for s, d in zip(signals, documents, strict=True)}
    grams = gram_matrices(signals)
    first, second = list(signals), list(signals)
    random.Random(1).shuffle(first)
    random.Random(2).shuffle(second)
    runs = [run_stream(order) for order in (signals, first, second)]
    position = {s.article_id: i for i, s in enumerate(signals)}
    line = f"{name:8} streaming: agreement {bcubed(runs[2][0], runs[1][0])['bcubed_f1']:.4f}"
    if scored:
        line += f", F1 {bcubed(runs[0][0], gold)['bcubed_f1']:.4f}"
    print(line, flush=True)
    for cut in CUTS:
        again = [repartition(events, stories, grams, position, cut) for events, stories in runs]
        line = f"{name:8} cut {cut}: agreement {bcubed(again[2], again[1])['bcubed_f1']:.4f}"
        if scored:
            line += f", F1 {bcubed(again[0], gold)['bcubed_f1']:.4f}"
        print(f"{line}, events {len(set(again[0].values()))}", flush=True)


def gram_matrices(signals: Sequence) -> list[np.ndarray | csr_matrix]:
    """Unit MiniLM vectors, and tf-idf term and name vectors (the clusterer's smoothed idf,
    over the pooled reports)."""
    vectors = np.stack([s.vector for s in signals]).astype(np.float64)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return [vectors, _weighted(signals, "terms"), _weighted(signals, "names")]


def _weighted(signals: Sequence, field: str) -> csr_matrix:
    vocabulary: dict[str, int] = {}
    rows = [
        {vocabulary.setdefault(t, len(vocabulary)): w for t, w in getattr(s, field)}
        for s in signals
    ]
    frequency = Counter(term for row in rows for term in row)
    count = len(signals)
    cells = [
        (i, term, weight * (math.log((count + IDF_PRIOR) / (frequency[term] + 1)) + IDF_FLOOR))
        for i, row in enumerate(rows)
        for term, weight in row.items()
    ]
    matrix = csr_matrix(
        ([c[2] for c in cells], ([c[0] for c in cells], [c[1] for c in cells])),
        shape=(count, max(1, len(vocabulary))),
    )
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return diags(1.0 / np.maximum(norms, 1e-12)) @ matrix


def repartition(
    events: dict[str, str],
    stories: dict[str, str],
    grams: list,
    position: dict[str, int],
    cut: float,
) -> dict[str, str]:
    """Each story's reports clustered again by centred average linkage, cut at `cut`."""
    members: dict[str, list[int]] = defaultdict(list)
    for article, story in stories.items():
        members[story].append(position[article])
    ids = {index: article for article, index in position.items()}
    labels: dict[str, str] = {}
    for story, rows in members.items():
        rows.sort()
        if len(rows) < 4:
            labels.update({ids[r]: events[ids[r]] for r in rows})
            continue
        distance = 1.0 - centred_similarity([_gram(m, rows) for m in grams])
        np.fill_diagonal(distance, 0.0)
        tree = linkage(squareform(np.clip(distance, 0.0, None), checks=False), method="average")
        for row, group in zip(rows, fcluster(tree, t=cut, criterion="distance"), strict=True):
            labels[ids[row]] = f"{story}-{group}"
    return labels


def _gram(matrix: np.ndarray | csr_matrix, rows: list[int]) -> np.ndarray:
    part = matrix[rows]
    product = part @ part.T
    return product.toarray() if hasattr(product, "toarray") else np.asarray(product)


def centred_similarity(grams: list[np.ndarray]) -> np.ndarray:
    """Weighted cosines of the reports after centring each on its NEIGHBOURS nearest
    (nearest by the clusterer's own weighting of the three), symmetrised. From Gram matrices only:
    (x - m)·(y - m) = x·y - x·m - y·m + m·m."""
    plain = EMBEDDING_WEIGHT * grams[0] + TERMS_WEIGHT * grams[1] + NAMES_WEIGHT * grams[2]
    nearest = np.argsort(-plain, axis=1, kind="stable")[:, 1 : NEIGHBOURS + 1]
    size = plain.shape[0]
    total = np.zeros((size, size))
    for gram, weight in zip(grams, WEIGHTS, strict=True):
        diagonal = np.diag(gram)
        part = np.zeros((size, size))
        for row in range(size):
            near = nearest[row]
            to_mean = gram[:, near].mean(axis=1)
            mean_norm = gram[np.ix_(near, near)].mean()
            norms = np.maximum(diagonal - 2 * to_mean + mean_norm, 1e-12)
            part[row] = (gram[row] - to_mean[row] - to_mean + mean_norm) / np.sqrt(
                norms[row] * norms
            )
        total += weight * (part + part.T) / 2
    return total


if __name__ == "__main__":
    main()
