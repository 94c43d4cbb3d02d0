"""Sentence segmentation with character offsets into the stored body.

BlingFire's sentence breaker (a compiled finite-state model bundled in the PyPI package):
it keeps "U.S." and "Nov. 10" whole, handles quotes, and is many times faster than
spaCy's tokenizer + sentencizer, which matters because ingest segments every article.
Later stages cite sentences by these offsets.
"""

from __future__ import annotations

import ctypes
import re
import threading

import blingfire

from ..models import Span

_local = threading.local()


def split_sentences(blocks: list[tuple[str, int]]) -> list[Span]:
    """Sentences of each (block text, block offset), in order, offsets into the whole body."""
    spans: list[Span] = []
    for text, offset in blocks:
        if not text.strip():
            continue
        for start, end in _bounds(text):
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append(Span(text[start:end], offset + start, offset + end))
    return spans


def lead(text: str, max_words: int = 14) -> str:
    """A text's first sentence, cut at a word to a headline's length (" …" when cut): the
    title an untitled report is shown by. The breaker keeps "U.S." whole, so a lead is never
    cut at an abbreviation."""
    head = text.strip()[: max_words * 40]
    spans = split_sentences([(head, 0)])
    words = (spans[0].text if spans else head).split()
    return " ".join(words[:max_words]) + (" …" if len(words) > max_words else "")


def headline(title: str | None, text: str) -> str:
    """How a report is named in a listing: its title, else its lead marked as such."""
    if title and title.strip():
        return " ".join(title.split())
    return f"{lead(text)} (lead; untitled)" if text.strip() else "(untitled)"


def _bounds(text: str) -> list[tuple[int, int]]:
    """Character bounds of the sentences of one block.

    BlingFire's own offset function maps bytes to characters in a Python loop per byte;
    locating its sentences in the (already whitespace-normalised) block with str.find is
    much faster, and we fall back to it only if a sentence cannot be found verbatim.
    """
    bounds: list[tuple[int, int]] = []
    cursor = 0
    for sentence in _sentences(text).split("\n"):
        start = text.find(sentence, cursor)
        if start < 0 or not sentence:
            return list(blingfire.text_to_sentences_and_offsets(text)[1])
        cursor = start + len(sentence)
        bounds += _split_before_initialisms(text, start, cursor)
    return bounds


# A sentence ending in an ordinary word, then one opening with an initialism: "… in Ukraine
# and Gaza. U.S. and European leaders …", which the breaker keeps as one (it reads "Gaza. U.S."
# like the inside of an abbreviation). Our own rule on top of BlingFire. Titles and other
# abbreviations before the period ("Gen.", "Sen.", "Inc.") are never a sentence's end here.
_END_THEN_INITIALISM = re.compile(r"\b([A-Za-z][a-z]+)\.\s+(?=(?:[A-Z]\.){2,}\s)")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "st",
        "jr",
        "sr",
        "inc",
        "co",
        "corp",
        "ltd",
        "bros",
        "no",
        "nos",
        "vs",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "ave",
        "blvd",
        "dept",
        "univ",
        "est",
        "approx",
        "fig",
        "vol",
        "pp",
    ]
)


def _split_before_initialisms(text: str, start: int, end: int) -> list[tuple[int, int]]:
    bounds = []
    for match in _END_THEN_INITIALISM.finditer(text, start, end):
        if match.group(1).lower() in _ABBREVIATIONS:
            continue
        cut = match.end(1) + 1
        bounds.append((start, cut))
        start = match.end()
    bounds.append((start, end))
    return bounds


def _sentences(text: str) -> str:
    """blingfire.text_to_sentences with an output buffer reused per thread.

    The wrapper allocates a fresh zeroed buffer per call, which cost more than the
    segmentation itself on articles of many short paragraphs.
    """
    data = text.encode("utf-8")
    needed = 2 * len(data) + 16
    buffer = getattr(_local, "buffer", None)
    if buffer is None or len(buffer) < needed:
        buffer = _local.buffer = ctypes.create_string_buffer(max(needed, 1 << 16))
    written = blingfire.blingfire.TextToSentences(
        ctypes.c_char_p(data),
        ctypes.c_int(len(data)),
        ctypes.byref(buffer),
        ctypes.c_int(len(buffer)),
    )
    if written < 0 or written > len(buffer):
        return str(blingfire.text_to_sentences(text))
    return buffer.raw[:written].rstrip(b"\0").decode("utf-8")
