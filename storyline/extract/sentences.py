"""Sentence segmentation with character offsets into the stored body.

spaCy's rule-based sentencizer on its English tokenizer: the tokenizer's exceptions keep
"U.S." and "Nov." whole, and it is fast enough for ingest (the parser-based splitter is
not). Later stages cite sentences by these offsets.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..models import Span


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(blocks: list[tuple[str, int]]) -> list[Span]:
    """Sentences of each (block text, block offset), in order, offsets into the whole body."""
    nlp = _segmenter()
    spans: list[Span] = []
    texts = [text for text, _ in blocks]
    for (text, offset), doc in zip(blocks, nlp.pipe(texts, batch_size=256), strict=True):
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append(Span(text[start:end], offset + start, offset + end))
    return spans
