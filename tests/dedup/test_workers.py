"""The hashing pool: same values as the serial path, same relations as one-by-one arrival."""

from __future__ import annotations

import os
import random
import zlib
from pathlib import Path

import numpy as np

from storyline.dedup import duplicates, find_copies
from storyline.dedup.minhash import content_set, hashed_text, signatures, tokens
from storyline.dedup.workers import POOL_MIN_ARTICLES, hashed_and_signed, worker_pids
from storyline.extract import build_article, text_fingerprint
from storyline.models import RawDocument
from storyline.settings import Settings
from storyline.store import Store

PLACES = ["Almsted", "Korby", "Velmar", "Lindholm", "Orrin", "Saltby", "Mirecourt", "Tessaly"]
SUBJECTS = ["the council", "the ferry operator", "a local bakery", "the harbour office"]
VERBS = ["announced", "postponed", "cancelled", "approved", "criticised", "welcomed"]
OBJECTS = [
    "a new timetable",
    "the budget for the bridge",
    "the winter market",
    "repairs to the quay",
    "a festival of organ music",
    "the plan for a cycle path",
]


def _invented_report(rng: random.Random, number: int) -> str:
    sentences = [
        f"In {rng.choice(PLACES)}, {rng.choice(SUBJECTS)} {rng.choice(VERBS)} "
        f"{rng.choice(OBJECTS)} on day {rng.randint(1, 400)}."
        for _ in range(rng.randint(4, 9))
    ]
    return " ".join([*sentences, f"Report {number} ends here."])


def _reports(count: int) -> list[str]:
    """Invented reports; every seventh is an earlier one with two words changed."""
    rng = random.Random(11)
    texts: list[str] = []
    for number in range(count):
        if number % 7 == 6:
            edited = texts[rng.randrange(len(texts))].replace(" on day ", " by day ", 2)
            texts.append(edited + f" Copy {number}.")
        else:
            texts.append(_invented_report(rng, number))
    return texts


def test_the_pool_returns_what_the_serial_path_computes():
    texts = [*_reports(40), "", "Ærø's ferry, Café Noir and the naïve mayor of Korby"]
    pooled = list(hashed_and_signed(texts, parallel=True))
    serial = list(hashed_and_signed(texts, parallel=False))
    assert len(pooled) == len(serial) == len(texts)
    for (hashed_a, sigs_a), (hashed_b, sigs_b), text in zip(pooled, serial, texts, strict=True):
        assert np.array_equal(hashed_a.shingles, hashed_b.shingles)
        assert np.array_equal(hashed_a.content, hashed_b.content)
        reference = signatures(hashed_text(text))
        for ours, expected in (
            (sigs_a.shingles, reference.shingles),
            (sigs_a.content, reference.content),
        ):
            assert (ours is None) == (expected is None)
            if ours is not None and expected is not None:
                assert np.array_equal(ours.hashvalues, expected.hashvalues)
        assert (sigs_b.shingles is None) == (sigs_a.shingles is None)
    assert pooled[-2][1].shingles is None  # empty text: no signature, in the workers too


def test_ascii_content_hashes_equal_the_content_words():
    text = "I saw 3 x-rays at 10 a.m. and the Crane, the crane & a b c quay_side OK"
    expected = sorted({zlib.crc32(word.encode()) for word in content_set(tokens(text))})
    assert hashed_text(text).content.tolist() == expected
    assert len(expected) == 6  # saw, rays, 10, crane, quay_side, ok


def _relations(path: Path, texts: list[str], batch: int) -> list[tuple[str, str, str, float]]:
    articles = [
        build_article(RawDocument(source=f"hand/{n}.txt", text=text), Settings())
        for n, text in enumerate(texts)
    ]
    with Store(path) as store:
        with store.transaction():
            for article in articles:
                store.add_article(article, text_fingerprint(article.text))
        for start in range(0, len(articles), batch):
            with store.transaction():
                ids = [a.id for a in articles[start : start + batch]]
                find_copies(store, ids, Settings(), rewrites=False)
        return [(d.article, d.of, d.kind, d.score) for d in duplicates(store)]


def test_a_batch_hashed_in_the_pool_finds_what_one_by_one_arrival_finds(tmp_path: Path):
    texts = _reports(POOL_MIN_ARTICLES + 20)
    batched = _relations(tmp_path / "batch.db", texts, batch=len(texts))
    if (os.cpu_count() or 1) >= 2:
        assert worker_pids(), "a batch this large should have been hashed in the pool"
    one_by_one = _relations(tmp_path / "single.db", texts, batch=1)
    assert batched == one_by_one
    # Every edited copy is found as a near duplicate of the report it was made from.
    assert {kind for *_, kind, _ in batched} == {"near"}
    assert len(batched) >= len(texts) // 7
