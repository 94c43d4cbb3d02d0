"""What keeps a large story's synthesis fast: one sentence-vector cache filled at ingest,
and a briefing that reuses the claims and timeline it is given."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from storyline import Storyline
from storyline.synthesise import brief, build_claims, statements
from storyline.synthesise.statements import story_scope, vectors


def test_claims_embed_nothing_after_ingest(
    seeded: tuple[Storyline, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every statement's vector, reported speech included, was cached by the enrich stage."""
    storyline, _ = seeded

    def refuse(texts: object) -> np.ndarray:
        raise AssertionError(f"embedded again: {texts!r}")

    monkeypatch.setattr(statements, "embed", refuse)
    claims = build_claims(storyline.store)
    assert claims and any(c.holder for c in claims), "reported speech is among the claims"


def test_whole_sentences_are_not_stored_twice(seeded: tuple[Storyline, dict[str, str]]) -> None:
    """sentence_vectors holds reported speech only; whole sentences live in happening_echoes."""
    storyline, _ = seeded
    build_claims(storyline.store)
    found = statements.statements(storyline.store, story_scope(storyline.store, None))
    whole = {statements._key(s) for s in found if s.text == s.sentence}
    speech = {statements._key(s) for s in found if s.text != s.sentence}
    stored = {
        tuple(r)
        for r in storyline.store.query("SELECT article_id, start, text_hash FROM sentence_vectors")
    }
    assert speech <= stored
    assert not stored & whole
    sample = [s for s in found if s.text == s.sentence][:5]
    fresh = statements.embed([s.text for s in sample])
    assert np.allclose(vectors(storyline.store, sample), fresh, atol=1e-4), (
        "the sentence's own vector"
    )


def test_vectors_embed_and_cache_what_is_missing(seeded: tuple[Storyline, dict[str, str]]) -> None:
    storyline, _ = seeded
    found = statements.statements(storyline.store, story_scope(storyline.store, None))
    spoken = next(s for s in found if s.text != s.sentence)
    unseen = replace(spoken, text=spoken.text + " and nothing else")
    before = storyline.store.query("SELECT count(*) FROM sentence_vectors")[0][0]
    vector = vectors(storyline.store, [unseen])
    assert vector.shape == (1, 384) and abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3
    assert storyline.store.query("SELECT count(*) FROM sentence_vectors")[0][0] == before + 1
    assert np.array_equal(vectors(storyline.store, [unseen]), vector), "read back from the cache"


def test_brief_reuses_the_claims_and_timeline_it_is_given(
    seeded_dated: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, _ = seeded_dated
    story = storyline.stories()[0].id
    built = brief(storyline.store, story)
    reused = brief(
        storyline.store, story, claims=storyline.claims(story), timeline=storyline.timeline(story)
    )
    assert reused == built
    assert [s.title for s in built.sections][:2] == ["What happened", "The latest"]
    # A briefing given no timeline entries has no timeline section: nothing was rebuilt.
    bare = brief(storyline.store, story, claims=storyline.claims(story), timeline=[])
    assert "Timeline" not in [s.title for s in bare.sections]
