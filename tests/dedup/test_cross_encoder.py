"""The cross-encoder paraphrase check (storyline/dedup/cross_encoder.py) and how the
decision asks it, on invented sentence pairs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.dedup import cross_encoder
from storyline.dedup.paraphrase import SETTLED, blended_scores, lexical_view
from storyline.errors import StorylineError

PAIRS = [
    ("The ferry left the harbour at dawn.", "At dawn the ferry sailed out of the harbour."),
    ("The ferry left the harbour at dawn.", "Tomato prices doubled over the winter."),
]


def test_fresh_adapters_leave_the_encoder_unchanged() -> None:
    import torch

    model, tokenizer = cross_encoder.build_model(seed=1)
    batch = cross_encoder.encode_pairs(tokenizer, PAIRS)
    lora = model.encoder.encoder.layer[0].attention.self.query
    assert lora.base.weight.requires_grad is False and lora.down.requires_grad
    with torch.inference_mode():
        hidden = model.encoder.embeddings(input_ids=batch["input_ids"])
        # The up-projection starts at zero, so the adapted layer is the base layer.
        assert torch.equal(lora(hidden), lora.base(hidden))


def test_only_adapters_and_head_are_trained_and_they_round_trip(tmp_path: Path) -> None:
    import torch

    model, tokenizer = cross_encoder.build_model(seed=1)
    with torch.no_grad():
        for parameter in model.parameters():
            if parameter.requires_grad:
                parameter.add_(0.01 * torch.ones_like(parameter))
    state = cross_encoder.trained_state(model)
    # 6 layers x 6 adapted linear layers x (down + up), and the head's weight and bias.
    assert len(state) == 6 * 6 * 2 + 2
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


def test_an_adapter_missing_a_layer_is_refused(tmp_path: Path) -> None:
    model, _ = cross_encoder.build_model(seed=1)
    stored = tmp_path / "partial.npz"
    np.savez(stored, **{"head.bias": np.zeros(1, dtype=np.float16)})
    with pytest.raises(StorylineError, match="retrain"):
        cross_encoder.load_adapter(model, stored)


def test_the_shipped_model_tells_a_rewording_from_a_changed_fact() -> None:
    reworded = (
        "The council approved the new harbour budget on Monday after a long debate.",
        "After a lengthy debate on Monday, councillors passed the new harbour budget.",
    )
    changed = (
        "The storm destroyed 40 homes on the island, officials said.",
        "Officials said the storm destroyed 400 homes on the island and killed two people.",
    )
    unrelated = PAIRS[1]
    same, different, apart = cross_encoder.cross_logits([reworded, changed, unrelated])
    assert same > 0 > different
    assert apart < different


def test_the_check_reads_both_orders_alike() -> None:
    forward = cross_encoder.cross_logits(PAIRS)
    backward = cross_encoder.cross_logits([(b, a) for a, b in PAIRS])
    assert np.allclose(forward, backward, atol=1e-5)


def test_only_the_unsure_pairs_are_changed_by_the_cross_encoder() -> None:
    views = [(lexical_view(a), lexical_view(b)) for a, b in PAIRS]
    settled = np.array([SETTLED + 1.0, -SETTLED - 1.0])
    assert np.allclose(blended_scores(settled, views), 1 / (1 + np.exp(-settled)))
    unsure = blended_scores(np.zeros(2), views)
    assert unsure[0] > 0.5 > unsure[1]


def test_the_shipped_check_runs_the_torch_models_logits_in_onnx() -> None:
    model, tokenizer = cross_encoder.load_cross_encoder()
    pairs = [*PAIRS, ("word " * 300, "a much shorter second sentence")]  # cut at 128 tokens
    in_torch = cross_encoder.logits(model, tokenizer, pairs)
    in_torch_back = cross_encoder.logits(model, tokenizer, [(b, a) for a, b in pairs])
    expected = (in_torch.astype(np.float64) + in_torch_back) / 2.0
    assert np.allclose(cross_encoder.cross_logits(pairs), expected, atol=1e-4)
