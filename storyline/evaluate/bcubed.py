"""BCubed precision, recall and F1 of a clustering against gold classes (Bagga & Baldwin 1998).

Our own few lines: scikit-learn has pairwise and information-theoretic cluster scores but
no BCubed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """Item → cluster and item → class maps over the same items; returns bcubed_p/r/f1."""
    items = sorted(gold)
    if not items:
        return {"bcubed_p": 0.0, "bcubed_r": 0.0, "bcubed_f1": 0.0}
    pairs = Counter((predicted[i], gold[i]) for i in items)
    cluster_sizes = Counter(predicted[i] for i in items)
    class_sizes = Counter(gold[i] for i in items)
    precision = recall = 0.0
    for (cluster, label), both in pairs.items():
        precision += both * both / cluster_sizes[cluster]
        recall += both * both / class_sizes[label]
    precision /= len(items)
    recall /= len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "bcubed_p": round(precision, 4),
        "bcubed_r": round(recall, 4),
        "bcubed_f1": round(f1, 4),
    }


def class_shares(predicted: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, dict]:
    """Per gold class: its items, the share of them in its largest cluster, and the share of
    that cluster that belongs to the class (both 1.0 when the class is exactly one cluster)."""
    pairs = Counter((gold[i], predicted[i]) for i in gold)
    cluster_sizes = Counter(predicted[i] for i in gold)
    class_sizes = Counter(gold.values())
    shares = {}
    for label in sorted(class_sizes):
        both, cluster = max((n, c) for (g, c), n in pairs.items() if g == label)
        shares[label] = {
            "items": class_sizes[label],
            "in_largest": round(both / class_sizes[label], 4),
            "largest_purity": round(both / cluster_sizes[cluster], 4),
        }
    return shares
