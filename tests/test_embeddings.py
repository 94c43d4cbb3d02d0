"""The store's one sentence-vector cache: each sentence is embedded once, by whichever stage
needs it first (the rewrite check, the happenings annotator), and read back after."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import storyline.embeddings
import storyline.enrich.happenings
import storyline.synthesise.statements
from storyline import Settings, Storyline
from storyline.embeddings import SENTENCES, cached_vectors, embed
from tests.conftest import seed_path


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every text handed to the encoder, counted (the real encoder still runs)."""
    seen: Counter[str] = Counter()

    def counting_embed(texts: Sequence[str], role: str = SENTENCES) -> np.ndarray:
        seen.update(texts)
        return embed(texts, role)

    for module in (
        storyline.embeddings,
        storyline.enrich.happenings,
        storyline.synthesise.statements,
    ):
        monkeypatch.setattr(module, "embed", counting_embed)
    return seen


def _sentences(opened: Storyline, article_id: str) -> list[tuple[int, str]]:
    article = opened.article(article_id)
    return [(s.start, s.text) for s in article.sentences]


def test_a_rewrite_pair_has_each_sentence_embedded_once(tmp_path: Path, embedded):
    with Storyline(Settings(db_path=tmp_path / "s.db")) as opened:
        opened.ingest([seed_path("000"), seed_path("001")])
        assert [d.kind for d in opened.duplicates()] == ["rewrite"]
        sentences = [text for a in opened.articles() for _, text in _sentences(opened, a.id)]
        # The rewrite check embedded both reports' sentences; enrich read them back.
        assert sentences and all(embedded[text] == 1 for text in sentences)


def test_cached_vectors_read_back_what_enrich_stored(tmp_path: Path, embedded):
    with Storyline(Settings(db_path=tmp_path / "s.db")) as opened:
        opened.ingest([seed_path("003")])
        (article,) = opened.articles()
        pieces = _sentences(opened, article.id)
        embedded.clear()
        vectors = cached_vectors(opened.store, article.id, pieces)
        assert not embedded
        expected = embed([text for _, text in pieces])
        assert np.allclose(vectors, expected, atol=1e-5)


def test_a_new_piece_is_embedded_once_and_kept(tmp_path: Path, embedded):
    with Storyline(Settings(db_path=tmp_path / "s.db")) as opened:
        opened.ingest([seed_path("003")])
        (article,) = opened.articles()
        piece = [(7, "A clause the annotators never embedded, cut from the first sentence.")]
        embedded.clear()
        first = cached_vectors(opened.store, article.id, piece)
        second = cached_vectors(opened.store, article.id, piece)
        assert sum(embedded.values()) == 1
        assert np.array_equal(first, second)
