"""`storyline eval NAME --data DIR`: score the system on a labelled data set.

Each evaluator is a plain callable `(data_dir: Path, settings: Settings) -> dict` that finds
its files by layout (never by a fixed list of names), scores everything it finds with the
settings the package ships (it never fits anything to the data it scores), and returns
`{"dataset": NAME, "n": items, <metric>: value, ..., "baseline": {...}}`.

Registration is in the table below: name → "module:function", imported only when asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import EvalDataError, UsageError
from ..settings import Settings

Evaluator = Callable[[Path, Settings], dict[str, Any]]

EVALUATORS: dict[str, str] = {
    "mrpc": "storyline.evaluate.mrpc:evaluate",
    "polnear": "storyline.evaluate.polnear:evaluate",
    "tempeval3": "storyline.evaluate.tempeval3:evaluate",
    "ecbplus": "storyline.evaluate.ecbplus:evaluate",
    "timeline17-stories": "storyline.evaluate.timeline17:evaluate_stories",
    "timeline17": "storyline.evaluate.timeline_tls:evaluate",
}


def evaluate(name: str, data_dir: Path, settings: Settings) -> dict[str, Any]:
    target = EVALUATORS.get(name)
    if target is None:
        known = ", ".join(sorted(EVALUATORS)) or "none yet"
        raise UsageError(f"no evaluation named {name!r}; known: {known}")
    if not data_dir.is_dir():
        raise EvalDataError(f"{data_dir}: not a folder; pass the data set folder with --data")
    module_name, _, function = target.partition(":")
    scorer: Evaluator = getattr(importlib.import_module(module_name), function)
    return scorer(data_dir, settings)
