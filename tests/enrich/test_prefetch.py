"""A batch's sentence vectors are embedded in a worker process while the parent parses: the
same vectors as the annotator's own, and a dead worker costs nothing but time."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from storyline import Settings, Storyline
from storyline.embeddings import embed, text_key
from storyline.enrich import prefetch
from tests.conftest import SEEDS


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every batch goes to the worker, however small."""
    monkeypatch.setattr(prefetch, "POOL_MIN_SENTENCES", 0)
    prefetch.shutdown()
    yield
    prefetch.shutdown()


def _ingest_seeds(folder: Path) -> Storyline:
    opened = Storyline(Settings(db_path=folder / "seeds.db"))
    opened.ingest(sorted(SEEDS.glob("*.txt")))
    return opened


def _echoes(opened: Storyline, article_id: str) -> tuple[list[str], np.ndarray]:
    text = opened.article(article_id).text
    rows = opened.store.query(
        "SELECT sentence_start, sentence_end, vector FROM happening_echoes WHERE article_id = ?"
        " ORDER BY sentence_start",
        (article_id,),
    )
    sentences = [text[r["sentence_start"] : r["sentence_end"]] for r in rows]
    return sentences, np.stack([np.frombuffer(r["vector"], dtype=np.float32) for r in rows])


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the worker runs only on several cores")
def test_the_worker_gives_the_vectors_the_annotator_would(worker: None, tmp_path: Path) -> None:
    with _ingest_seeds(tmp_path) as opened:
        assert prefetch.worker_pids(), "the seeds' sentences went to the worker"
        for article in opened.articles():
            sentences, stored = _echoes(opened, article.id)
            assert len(sentences) == len(opened.article(article.id).sentences)
            # One call per article, as the annotator makes it: the same batches, the same floats.
            assert np.array_equal(stored, embed(sentences))
            # The prefetched rows were a cache: the echoes are now the sentences' one copy.
            cached = opened.store.query(
                "SELECT start, text_hash FROM sentence_vectors WHERE article_id = ?", (article.id,)
            )
            starts = {s.start: text_key(s.text) for s in opened.article(article.id).sentences}
            assert not [r for r in cached if starts.get(r["start"]) == r["text_hash"]]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the worker runs only on several cores")
def test_a_killed_worker_leaves_the_annotator_to_embed(
    worker: None, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    prefetch.warm_up()
    (pid,) = prefetch.worker_pids()
    os.kill(pid, signal.SIGKILL)
    with caplog.at_level(logging.WARNING, logger="storyline"), _ingest_seeds(tmp_path) as opened:
        assert "sentence-vector worker stopped" in caplog.text
        for article in opened.articles():
            sentences, stored = _echoes(opened, article.id)
            assert len(sentences) == len(opened.article(article.id).sentences)
            assert np.allclose(stored, embed(sentences), atol=1e-6)
