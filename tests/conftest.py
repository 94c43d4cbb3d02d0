"""Shared fixtures. Seeds and benchmark data are read from ../shared, never copied here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from storyline import Settings, Storyline
from storyline.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
BENCH = SHARED / "bench"


def unit_vector(seed: int) -> np.ndarray:
    """A random unit vector of the embedding size, the same for the same seed: hand-made
    signals for clustering tests, where only which vectors are equal matters."""
    vector = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
    return vector / np.linalg.norm(vector)


def record_story_move(store: Store, story_id: str) -> None:
    """An analyst's correction of a story, as `storyline move` records it."""
    store.db.execute(
        "INSERT INTO corrections (kind, target, articles, at) VALUES (?, ?, ?, ?)",
        ("move", story_id, "[]", "2030-07-01T00:00:00"),
    )


def seed_path(number: str) -> Path:
    """The seed file whose name starts with `number` ("000" … "004")."""
    (path,) = sorted(SEEDS.glob(f"{number}_*.txt"))
    return path


@contextmanager
def ingested_text(folder: Path, name: str, text: str) -> Iterator[Storyline]:
    """A store holding one hand-written report, `text`, ingested from the file `name`."""
    (folder / name).write_text(text, encoding="utf-8")
    with Storyline(Settings(db_path=folder / "store.db")) as opened:
        opened.ingest([folder / name])
        yield opened


@pytest.fixture
def storyline(tmp_path: Path) -> Iterator[Storyline]:
    with Storyline(Settings(db_path=tmp_path / "test.db")) as opened:
        yield opened


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Storyline, dict[str, str]]]:
    """The five seeds ingested once (no publication dates), with a map seed number → article id."""
    db = tmp_path_factory.mktemp("seeded") / "seeds.db"
    with Storyline(Settings(db_path=db)) as opened:
        opened.ingest(sorted(SEEDS.glob("*.txt")))
        ids = {Path(a.source).name[:3]: a.id for a in opened.articles()}
        yield opened, ids


@pytest.fixture(scope="session")
def seeded_dated(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Storyline, dict[str, str]]]:
    """The seeds ingested with the publication dates EXPECTED.md gives (000: 2025-03-26,
    004: 2025-11-10; the others on the days they describe)."""
    db = tmp_path_factory.mktemp("seeded_dated") / "seeds.db"
    dates = {
        "000": "2025-03-26",
        "001": "2025-03-26",
        "002": "2025-03-24",
        "003": "2025-11-12",
        "004": "2025-11-10",
    }
    with Storyline(Settings(db_path=db)) as opened:
        for number, day in dates.items():
            opened.ingest([seed_path(number)], published=day)
        ids = {Path(a.source).name[:3]: a.id for a in opened.articles()}
        yield opened, ids
