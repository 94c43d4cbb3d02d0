"""Shared by the clustering evaluations: run the streaming clusterer over labelled
documents in memory, and the TF-IDF single-pass baseline it is compared with."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..cluster.events import Clusterer
from ..cluster.signals import (
    NAME_WORDS,
    ArticleSignals,
    build_signals,
    embedding_text,
    word_offset,
)
from ..embeddings import DOCUMENTS, embed
from ..nlp import load_nlp
from ..store import Store
from .bcubed import bcubed

_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART"}
# The baseline's fixed threshold: the usual cosine cut for TF-IDF single-pass clustering.
BASELINE_THRESHOLD = 0.3


@dataclass(frozen=True)
class LabelledDocument:
    id: str
    title: str | None
    text: str
    published: str | None
    label: str


def document_signals(
    documents: Sequence[LabelledDocument],
    vectors: np.ndarray | None = None,
    mentions: Sequence[Sequence[tuple[str, int]]] | None = None,
) -> list[ArticleSignals]:
    """Signals as the pipeline stage builds them (title + lead embedded, terms, entity
    names, day); entity mentions come from a spaCy NER pass standing in for the entities
    stage."""
    if vectors is None:
        vectors = embed_documents(documents)
    if mentions is None:
        mentions = ner_mentions([d.text for d in documents])
    return [
        build_signals(d.id, d.title, d.text, d.published, vector, found)
        for d, vector, found in zip(documents, vectors, mentions, strict=True)
    ]


def embed_documents(documents: Sequence[LabelledDocument]) -> np.ndarray:
    """Title-and-lead vectors, as the pipeline stage embeds articles."""
    return embed([embedding_text(d.title, d.text) for d in documents], DOCUMENTS)


def ner_mentions(texts: Sequence[str]) -> list[list[tuple[str, int]]]:
    """(name, offset) of each named entity, a surname folded into the full name it
    shortens in the same text ("Fidan" → "Hakan Fidan"): a light stand-in for the
    entities stage's canonical entities."""
    nlp = load_nlp(disable=("tagger", "parser", "attribute_ruler", "lemmatizer"))
    found = []
    for doc in nlp.pipe((t[: word_offset(t, NAME_WORDS)] for t in texts), batch_size=32):
        spans = [
            (ent.text.removeprefix("the ").strip(), ent.start_char)
            for ent in doc.ents
            if ent.label_ in _NAME_LABELS
        ]
        full = sorted({n for n, _ in spans if " " in n}, key=lambda n: (-len(n), n))
        found.append([(_fold(name, full), start) for name, start in spans])
    return found


def _fold(name: str, full_names: list[str]) -> str:
    if " " in name:
        return name
    for full in full_names:
        if full.split()[-1] == name:
            return full
    return name


def run_stream(signals: Sequence[ArticleSignals]) -> tuple[dict[str, str], dict[str, str]]:
    """Cluster in the given order on a throwaway in-memory store.

    Returns (article → event, article → story).
    """
    events: dict[str, str] = {}
    stories: dict[str, str] = {}
    with Store(":memory:") as store:
        with store.transaction(), Clusterer(store) as clusterer:
            for article in signals:
                assignment = clusterer.add(article)
                events[article.article_id] = assignment.event_id
        for event_id, article_id in store.query("SELECT event_id, article_id FROM event_articles"):
            events[article_id] = event_id
        story_of = {str(r[0]): str(r[1]) for r in store.query("SELECT id, story FROM events")}
        stories = {a: story_of[e] for a, e in events.items()}
    return events, stories


def order_agreement(signals: Sequence[ArticleSignals]) -> dict[str, float]:
    """How little the result depends on arrival order: the same articles clustered in two
    shuffled orders (fixed seeds), one clustering scored with BCubed F1 against the other,
    for events and for stories."""
    first, second = list(signals), list(signals)
    random.Random(1).shuffle(first)
    random.Random(2).shuffle(second)
    events_a, stories_a = run_stream(first)
    events_b, stories_b = run_stream(second)
    return {
        "events_bcubed_f1": bcubed(events_b, events_a)["bcubed_f1"],
        "stories_bcubed_f1": bcubed(stories_b, stories_a)["bcubed_f1"],
    }


def tfidf_single_pass(documents: Sequence[LabelledDocument]) -> dict[str, str]:
    """Baseline: each document joins the most similar cluster centroid (TF-IDF cosine) above
    a fixed threshold, otherwise starts a cluster. The idf is taken from the pooled texts,
    which uses no labels."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [f"{d.title or ''}\n{d.text}" for d in documents]
    )
    centroids: list[np.ndarray] = []
    assigned: dict[str, str] = {}
    for index, document in enumerate(documents):
        row = matrix[index].toarray().ravel()
        best, best_score = -1, BASELINE_THRESHOLD
        for number, centroid in enumerate(centroids):
            norm = float(np.linalg.norm(centroid))
            score = float(row @ centroid) / norm if norm else 0.0
            if score >= best_score:
                best, best_score = number, score
        if best < 0:
            centroids.append(row.copy())
            best = len(centroids) - 1
        else:
            centroids[best] += row
        assigned[document.id] = f"c{best}"
    return assigned
