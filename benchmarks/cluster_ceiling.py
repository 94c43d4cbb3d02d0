"""How far content can take clustering on a labelled set: oracles that are told the gold.

    python benchmarks/cluster_ceiling.py [--bench ../shared/bench] [--only ecbplus timeline17]

Each document is put in the gold cluster it is most alike on average (mean cosine to the
cluster's other documents), or in the cluster most of its k nearest labelled neighbours
belong to, by TF-IDF and by the bundled MiniLM title-and-lead vectors; for Timeline17 also
counting only the documents within W days of it. No clusterer can use these labels, so a set where
even the oracles stay below a target is one where the gold follows something the text does
not say (for Timeline17: which crawl a report came from). Prints BCubed F1 and how many
documents the oracle puts elsewhere; then what our clusterer's stories hold (by gold
cluster, largest first) and its F1 if every report it puts in another topic's story had
been left alone instead. Embeddings come from tune_cluster.py's cache.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from tune_cluster import (
    bench_arguments,
    cached_signals,
    ecbplus_documents,
    timeline17_documents,
)

from storyline.evaluate.bcubed import bcubed
from storyline.evaluate.streaming import LabelledDocument, run_stream


def main() -> None:
    args = bench_arguments(__doc__)
    if "ecbplus" in args.only:
        report("ecbplus", ecbplus_documents(args.bench / "ecbplus"), windows=())
    if "timeline17" in args.only:
        report("t17", timeline17_documents(args.bench / "timeline17"), windows=(14, 60))


def report(name: str, documents: list[LabelledDocument], windows: Sequence[int]) -> None:
    signals = cached_signals(name, documents)
    labels = sorted({d.label for d in documents})
    gold = np.array([labels.index(d.label) for d in documents])
    tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2)
    spaces = {
        "tfidf": normalize(tfidf.fit_transform([d.text for d in documents])).toarray(),
        "minilm": normalize(np.stack([s.vector for s in signals])),
    }
    days = np.array([s.day if s.day is not None else 0 for s in signals], dtype=float)
    for space, vectors in spaces.items():
        similarity = vectors @ vectors.T
        np.fill_diagonal(similarity, np.nan)
        show(name, f"{space} most alike on average", documents, labels, average(similarity, gold))
        for k in (1, 5, 15):
            show(name, f"{space} {k}-NN", documents, labels, neighbours(similarity, gold, k))
        for window in windows:
            near = np.abs(days[:, None] - days[None, :]) <= window
            chosen = average(np.where(near, similarity, np.nan), gold)
            show(name, f"{space} alike within {window} days", documents, labels, chosen)
    our_stories(name, documents, signals)


def our_stories(name: str, documents: list[LabelledDocument], signals: Sequence) -> None:
    """The clusterer's stories by gold cluster, and its F1 with every report that sits in
    a story led by another gold cluster left alone instead (what it could score if it
    never put a report where it does not belong, and changed nothing else)."""
    truth = {d.id: d.label.split("/")[0] for d in documents}
    _, stories = run_stream(signals)
    held: dict[str, Counter[str]] = {}
    for article, story in stories.items():
        held.setdefault(story, Counter())[truth[article]] += 1
    for _, counts in sorted(held.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        print(f"{name:8} story of {sum(counts.values()):5}: {dict(counts.most_common())}")
    lead = {story: counts.most_common(1)[0][0] for story, counts in held.items()}
    alone = {a: s if truth[a] == lead[s] else a for a, s in stories.items()}
    print(
        f"{name:8} our stories BCubed F1 {bcubed(stories, truth)['bcubed_f1']:.4f}; with reports"
        f" in another topic's story left alone {bcubed(alone, truth)['bcubed_f1']:.4f}",
        flush=True,
    )


def average(similarity: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Each document's gold cluster of highest mean similarity (NaN cells: not counted)."""
    known = ~np.isnan(similarity)
    values = np.nan_to_num(similarity)
    scores = np.full((len(gold), gold.max() + 1), -np.inf)
    for k in range(gold.max() + 1):
        members = gold == k
        counts = known[:, members].sum(axis=1)
        totals = values[:, members].sum(axis=1)
        scores[:, k] = np.where(counts > 0, totals / np.maximum(counts, 1), -np.inf)
    return np.asarray(scores.argmax(axis=1))


def neighbours(similarity: np.ndarray, gold: np.ndarray, k: int) -> np.ndarray:
    """Majority label of each document's k most similar others (ties: the lower label)."""
    nearest = np.argsort(-np.nan_to_num(similarity, nan=-np.inf), axis=1, kind="stable")[:, :k]
    return np.array([np.bincount(gold[row], minlength=gold.max() + 1).argmax() for row in nearest])


def show(
    name: str,
    oracle: str,
    documents: list[LabelledDocument],
    labels: list[str],
    chosen: np.ndarray,
) -> None:
    predicted = {d.id: labels[int(c)] for d, c in zip(documents, chosen, strict=True)}
    truth = {d.id: d.label for d in documents}
    score = bcubed(predicted, truth)["bcubed_f1"]
    elsewhere = sum(predicted[d.id] != d.label for d in documents)
    print(f"{name:8} {oracle:32} BCubed F1 {score:.4f}  placed elsewhere {elsewhere}", flush=True)


if __name__ == "__main__":
    main()
