"""The LoRA cross-encoder measured by benchmarks/train_paraphrase_adapter.py (not shipped)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

PAIRS = [
    ("The ferry left the harbour at dawn.", "At dawn the ferry sailed out of the harbour."),
    ("The ferry left the harbour at dawn.", "Tomato prices doubled over the winter."),
]


@pytest.fixture(scope="module")
def cross_encoder() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "paraphrase_cross_encoder.py"
    spec = importlib.util.spec_from_file_location("paraphrase_cross_encoder", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fresh_adapters_leave_the_encoder_unchanged(cross_encoder: ModuleType) -> None:
    import torch

    model, tokenizer = cross_encoder.build_model(seed=1)
    batch = cross_encoder.encode_pairs(tokenizer, PAIRS)
    lora = model.encoder.encoder.layer[0].attention.self.query
    assert lora.base.weight.requires_grad is False and lora.down.requires_grad
    with torch.inference_mode():
        hidden = model.encoder.embeddings(input_ids=batch["input_ids"])
        # The up-projection starts at zero, so the adapted layer is the base layer.
        assert torch.equal(lora(hidden), lora.base(hidden))


def test_only_adapters_and_head_are_trained_and_they_round_trip(
    cross_encoder: ModuleType, tmp_path: Path
) -> None:
    import torch

    model, tokenizer = cross_encoder.build_model(seed=1)
    with torch.no_grad():
        for parameter in model.parameters():
            if parameter.requires_grad:
                parameter.add_(0.01 * torch.ones_like(parameter))
    state = cross_encoder.trained_state(model)
    # 6 layers x 3 adapted projections x (down + up), and the head's weight and bias.
    assert len(state) == 6 * 3 * 2 + 2
    assert all(array.dtype == np.float16 for array in state.values())
    stored = tmp_path / "adapter.npz"
    cross_encoder.save_adapter(model, stored)
    first = cross_encoder.logits(model, tokenizer, PAIRS)
    again, _ = cross_encoder.build_model(seed=2)
    second = cross_encoder.logits(cross_encoder.load_adapter(again, stored), tokenizer, PAIRS)
    assert first.shape == (2,)
    # float16 storage: equal to within its rounding, and the same on a second call.
    assert np.allclose(first, second, atol=0.05)
    assert np.array_equal(second, cross_encoder.logits(again, tokenizer, PAIRS))


def test_an_adapter_missing_a_layer_is_refused(cross_encoder: ModuleType, tmp_path: Path) -> None:
    model, _ = cross_encoder.build_model(seed=1)
    stored = tmp_path / "partial.npz"
    np.savez(stored, **{"head.bias": np.zeros(1, dtype=np.float16)})
    with pytest.raises(ValueError, match="retrain"):
        cross_encoder.load_adapter(model, stored)
