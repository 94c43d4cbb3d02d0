"""What the clusterer knows about one article: its embedding, its terms, its names, its day.

The same extraction serves the pipeline stage and the evaluations, so the decision logic
sees the same kind of evidence whatever the source of the text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# Words of the lead that go into the embedding with the title: the lead carries the
# who/what/where of the happening, the rest of a report drifts into background.
LEAD_WORDS = 80
# Terms kept per article (highest sublinear tf first): bounds the cost of every comparison.
MAX_TERMS = 150
# Names kept per article (most frequent first), taken from its first NAME_WORDS words:
# a report names its protagonists early, and this bounds the cost of finding names.
MAX_NAMES = 30
NAME_WORDS = 300

# Words, and numbers (years, tolls, magnitudes tell same-kind happenings apart).
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,]\d+)?")
_SENTENCE_END = {".", "!", "?", "\n", ":", ";", '"', "''", "``", "-LRB-", "-RRB-"}
# Capitalised words that open sentences or titles without being names.
_NOT_NAMES_BESIDES_STOP_WORDS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "said",
        "says",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "read",
        "also",
        "update",
        "breaking",
        "photo",
        "video",
        "lrb",
        "rrb",
        "president",
        "minister",
        "secretary",
        "ambassador",
        "prime",
        "foreign",
        "state",
        "chief",
        "general",
        "senator",
        "governor",
        "spokesman",
        "spokeswoman",
        "officials",
        "official",
        "police",
    }
)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words, imported when first needed: importing sklearn
    takes a second that commands which only read the store should not pay."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    return stop_words() | _NOT_NAMES_BESIDES_STOP_WORDS


_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|"
    "july|august|september|october|november|december"
)
_WHEN = re.compile(
    rf"\b(?:(?:{_MONTHS})\.? \d{{1,2}}\b"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    r"|(?:19|20)\d\d\b)",
    re.IGNORECASE,
)
# A name in the lead counts this many times: the lead names who the happening is about.
LEAD_NAME_WEIGHT = 3


@dataclass(frozen=True)
class ArticleSignals:
    """The evidence about one article. `terms` and `names` are sorted (term, weight) pairs."""

    article_id: str
    vector: np.ndarray
    terms: tuple[tuple[str, float], ...]
    names: tuple[tuple[str, float], ...]
    day: int | None  # proleptic ordinal of the publication day, None when unknown
    title: str


def embedding_text(title: str | None, text: str) -> str:
    """Title plus lead, the part of a report that says what happened."""
    lead = " ".join(text.split()[:LEAD_WORDS])
    return f"{title}. {lead}" if title and not text.startswith(title) else lead


def display_title(title: str | None, text: str, max_words: int = 14) -> str:
    """The report's own title, or its first sentence cut to a headline's length."""
    if title and title.strip():
        return title.strip()
    from ..extract.sentences import lead  # at use: the extract package loads trafilatura

    return lead(text, max_words)


def parse_day(published: str | None) -> int | None:
    """The ordinal of an ISO date's day (any precision finer than a day is dropped)."""
    if not published or len(published) < 10:
        return None
    try:
        return dt.date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def term_weights(text: str) -> tuple[tuple[str, float], ...]:
    """Content words with sublinear tf (1 + ln tf), the MAX_TERMS strongest, sorted by term."""
    stop = stop_words()
    counts = Counter(
        _stem(w)
        for w in (m.group().lower() for m in _WORD.finditer(text))
        if (len(w) > 2 or w[0].isdigit()) and w not in stop
    )
    strongest = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TERMS]
    return tuple(sorted((t, 1.0 + math.log(c)) for t, c in strongest))


def name_weights(text: str) -> tuple[tuple[str, float], ...]:
    """Capitalised words inside sentences (people, places, organisations), the lead's counting
    LEAD_NAME_WEIGHT times.

    Our own heuristic, used when no entity mentions are stored (the entities stage did not
    run): it needs no parse; sentence-initial words count only when the next word is
    capitalised too.
    """
    text = text[: word_offset(text, NAME_WORDS)]
    tokens = re.findall(r"\S+", text.replace("\n", " \n "))
    counts: Counter[str] = Counter()
    previous = "\n"
    words = 0
    for i, token in enumerate(tokens):
        words += token != "\n"
        word = token.strip(".,;:!?\"'()[]“”‘’")
        initial = previous in _SENTENCE_END or previous[-1:] in '.!?:"“'
        previous = token
        if not _is_capitalised(word) or word.lower() in _not_names():
            continue
        if initial:
            following = tokens[i + 1].strip(".,;:!?\"'()[]“”‘’") if i + 1 < len(tokens) else ""
            if token[-1] in ",;:" or not _is_capitalised(following):
                continue
        counts[_stem(word.lower())] += LEAD_NAME_WEIGHT if words <= LEAD_WORDS else 1
    return _strongest_names(counts + when_words(text))


def entity_weights(text: str, mentions: Sequence[tuple[str, int]]) -> tuple[tuple[str, float], ...]:
    """Canonical entities (name, start offset) from the entities stage, lead mentions
    counting LEAD_NAME_WEIGHT times: "Fidan" and "Hakan Fidan" are one name here."""
    lead_end = word_offset(text, LEAD_WORDS)
    names_end = word_offset(text, NAME_WORDS)
    counts: Counter[str] = Counter()
    for name, start in mentions:
        if start < names_end:
            counts[" ".join(name.lower().split())] += LEAD_NAME_WEIGHT if start < lead_end else 1
    return _strongest_names(counts + when_words(text[:names_end]))


def when_words(text: str) -> Counter[str]:
    """Weekdays, month-day dates and years a report names ("Tuesday", "March 16", "2008"):
    reports of one happening name the same days, even when nobody knows when they were
    published."""
    counts: Counter[str] = Counter()
    for match in _WHEN.finditer(text):
        counts["when " + " ".join(match.group().lower().replace(".", "").split())] += 1
    return counts


def _strongest_names(counts: Counter[str]) -> tuple[tuple[str, float], ...]:
    strongest = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_NAMES]
    # "@" keeps names apart from the content words of the same spelling in the idf table.
    return tuple(sorted(("@" + n, 1.0 + math.log(c)) for n, c in strongest))


def word_offset(text: str, words: int) -> int:
    """The character offset where the text's first `words` words end."""
    end = len(text)
    for number, found in enumerate(re.finditer(r"\S+", text), start=1):
        if number >= words:
            end = found.end()
            break
    return end


def build_signals(
    article_id: str,
    title: str | None,
    text: str,
    published: str | None,
    vector: np.ndarray,
    mentions: Sequence[tuple[str, int]] = (),
) -> ArticleSignals:
    """Signals of one article; `mentions` are (canonical name, offset) pairs when the
    entities stage has run, and the names then come from them instead of the heuristic."""
    body = f"{title or ''}\n{text}"
    return ArticleSignals(
        article_id=article_id,
        vector=np.asarray(vector, dtype=np.float32),
        terms=term_weights(body),
        names=entity_weights(text, mentions) if mentions else name_weights(body),
        day=parse_day(published),
        title=display_title(title, text),
    )


def _is_capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[0].isalpha() and not word.startswith("-")


def _stem(word: str) -> str:
    """Fold the commonest English inflections so "talks"/"talk" and "Turkey's"/"Turkey" meet."""
    word = word.removesuffix("'s").removesuffix("’s").strip("'-")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
