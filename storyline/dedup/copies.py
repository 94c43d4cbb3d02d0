"""The copy-detection stage. Copies and rewrites: exact copies, near-duplicates and reworded rewrites, and who was first.

The pipeline stage `find_copies` takes each new article, in arrival order, and compares it
only with earlier-stored articles its candidates point to:
- exact: the same normalised-text fingerprint (indexed column of `articles`);
- near: returned by the word-shingle LSH and sharing >= NEAR_JACCARD of their shingles;
- rewrite: returned by the content-word LSH (a rewrite shares words, not phrasing) and
  confirmed by sentence alignment: most of the copy's sentences are paraphrases of the
  original's (MiniLM cosine + lexical overlap, see paraphrase.py).
Since every pair is examined exactly once, when its later-stored article arrives, batch
and one-by-one arrival give the same relations.

Which one is the original (rule recorded with each relation, see `choose_original`):
1. both have `published` and they differ: the earlier one ("published");
2. else both have `published_before` and they differ: the earlier one ("published_before");
3. else the one stored first, lower `seq` ("stored_first").
"""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from ..models import AlignedPair
from ..settings import Settings
from ..store import Store
from ..timing import stage
from .align import (
    SentenceSet,
    SentenceWords,
    align_lexically,
    align_paraphrases,
    aligned_sentences,
    coverage,
    sentence_set,
    sentence_words,
)
from .minhash import (
    CandidateIndex,
    HashedText,
    Signatures,
    from_blob,
    hashed_text,
    jaccard,
    to_blob,
)
from .workers import hashed_and_signed

# A near copy shares at least this share of its word 4-grams with the original.
NEAR_JACCARD = 0.6
# A rewrite: at least MIN_ALIGNED of the copy's sentences, and this share of the shorter
# report's sentence count, are paraphrases of original sentences by the MRPC-tuned decision,
# which is strict (MRPC labels a pair with one extra clause "not a paraphrase"). Measured on
# the seeds with the current decision: 4 of the 15 sentences of 001 (0.27) are strict
# paraphrases of 000's, while unrelated pairs reach at most 0.06 (one sentence of 004 vs
# 002; the preview 002 vs 000: 0.0). The cut sits between the two; see
# tests/dedup/test_dedup_seeds.py.
REWRITE_COVERAGE = 0.2
# A rewrite is judged on the first REWRITE_SENTENCES sentences of each report: a news
# report has 29 sentences at the median on Timeline17 (60 at the 90th percentile), but a
# scraped page can run to thousands, and embedding those for one candidate pair took
# minutes. Coverage is then a share of the sentences compared.
REWRITE_SENTENCES = 300
MIN_ALIGNED = 3
# Earlier articles compared with a new one at most, per kind (closest first): bounds the
# cost of a story copied many times; each copy still links to the others, so groups hold.
MAX_NEAR_CANDIDATES = 10
MAX_EXACT_LINKS = 10
MAX_REWRITE_CANDIDATES = 10
# Rewrite candidates must share at least this Jaccard of content words before any sentence
# is embedded (the LSH lets through pairs well below its threshold). Seed 001 shares 0.35
# with 000; same-story reports that are not rewrites share 0.16-0.24.
REWRITE_MIN_CONTENT = 0.2


@dataclass(frozen=True)
class _Row:
    id: str
    seq: int
    fingerprint: str
    published: str | None
    published_before: str | None
    text: str


@dataclass(frozen=True)
class _Found:
    copy: str
    original: str
    kind: str
    score: float
    rule: str
    pairs: tuple[AlignedPair, ...]


def choose_original(a: _Row, b: _Row) -> tuple[_Row, _Row, str]:
    """(original, copy, rule) for two related articles; the rule is in the module docstring."""
    if a.published and b.published and a.published != b.published:
        return (a, b, "published") if a.published < b.published else (b, a, "published")
    if a.published_before and b.published_before and a.published_before != b.published_before:
        first = a.published_before < b.published_before
        return (a, b, "published_before") if first else (b, a, "published_before")
    return (a, b, "stored_first") if a.seq < b.seq else (b, a, "stored_first")


class _Context:
    """What one stage call loads lazily and reuses: rows, sentences and their vectors."""

    def __init__(self, store: Store, embed_rewrites: bool) -> None:
        self.store = store
        self.embed_rewrites = embed_rewrites
        self.rows: dict[str, _Row] = {}
        self.sentences: dict[str, SentenceSet] = {}
        self.words: dict[str, SentenceWords] = {}
        self.hashes: dict[str, HashedText] = {}
        self.same_text: dict[str, list[tuple[int, str]]] = {}

    def load(self, ids: Iterable[str]) -> None:
        wanted = [i for i in dict.fromkeys(ids) if i not in self.rows]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.store.query(
                "SELECT id, seq, fingerprint, published, published_before, text FROM articles"
                f" WHERE id IN ({marks})",
                chunk,
            ):
                self.rows[r["id"]] = _Row(
                    r["id"],
                    r["seq"],
                    r["fingerprint"],
                    r["published"],
                    r["published_before"],
                    r["text"],
                )

    def find_exact_matches(self, rows: Sequence[_Row]) -> None:
        """The first MAX_EXACT_LINKS stored (seq, id) of each fingerprint in `rows`, in seq
        order: one query per batch instead of one per article. A row's earlier copies are
        the entries before its own seq, so the first few per fingerprint are all it needs."""
        fingerprints = sorted({r.fingerprint for r in rows})
        for start in range(0, len(fingerprints), 500):
            chunk = fingerprints[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.store.query(
                "SELECT id, seq, fingerprint FROM (SELECT id, seq, fingerprint, ROW_NUMBER()"
                " OVER (PARTITION BY fingerprint ORDER BY seq) AS rank FROM articles"
                f" WHERE fingerprint IN ({marks})) WHERE rank <= ? ORDER BY seq",
                [*chunk, MAX_EXACT_LINKS],
            ):
                self.same_text.setdefault(r["fingerprint"], []).append((r["seq"], r["id"]))

    def hashed(self, article_id: str) -> HashedText:
        cached = self.hashes.get(article_id)
        if cached is None:
            cached = self.hashes[article_id] = hashed_text(self.row(article_id).text)
        return cached

    def row(self, article_id: str) -> _Row:
        self.load([article_id])
        return self.rows[article_id]

    def sentence_words(self, article_id: str) -> SentenceWords:
        cached = self.words.get(article_id)
        if cached is None:
            cached = self.words[article_id] = sentence_words(
                _sentence_texts(self.store, article_id)
            )
        return cached

    def sentence_set(self, article_id: str, with_vectors: bool) -> SentenceSet:
        cached = self.sentences.get(article_id)
        if cached is None or (with_vectors and cached.vectors is None):
            pieces = _sentence_pieces(self.store, article_id)[:REWRITE_SENTENCES]
            texts = [text for _, text in pieces]
            vectors = None
            if with_vectors:
                # Embedded once for the whole store: an enriched article's sentences are
                # read back, and what is embedded here is kept for enrich and claims.
                from ..embeddings import cached_vectors

                vectors = cached_vectors(self.store, article_id, pieces)
            cached = sentence_set(texts, vectors)
            self.sentences[article_id] = cached
        return cached


def _sentence_texts(store: Store, article_id: str) -> list[str]:
    return [text for _, text in _sentence_pieces(store, article_id)]


def _sentence_pieces(store: Store, article_id: str) -> list[tuple[int, str]]:
    """(start offset, text) of each sentence, in order. The text is read once and cut here:
    joined to each sentence row, a long page was copied once per sentence (gigabytes)."""
    found = store.query("SELECT text FROM articles WHERE id = ?", (article_id,))
    if not found:
        return []
    text = found[0]["text"]
    rows = store.query(
        "SELECT start, end FROM spans WHERE article_id = ? AND kind = 'sentence' ORDER BY idx",
        (article_id,),
    )
    return [(r["start"], text[r["start"] : r["end"]]) for r in rows]


# One index per store file, kept between stage calls in this process: rebuilding it from
# every stored signature on each batch would make each batch cost more as the store grows.
_INDEXES: dict[str, CandidateIndex] = {}


def load_index(store: Store) -> CandidateIndex:
    """The LSH indexes over every stored signature (no text is re-read).

    The cached index is reused only when it holds exactly the stored articles: a rolled
    back batch or another process writing the same file makes it rebuild from the table.
    """
    stored = {r[0] for r in store.query("SELECT article_id FROM minhashes")}
    key = str(store.path.resolve()) if str(store.path) != ":memory:" else f"memory:{id(store)}"
    cached = _INDEXES.get(key)
    if cached is not None and cached.ids == stored:
        return cached
    index = CandidateIndex()
    for r in store.query("SELECT article_id, shingles, content FROM minhashes ORDER BY article_id"):
        index.add(r["article_id"], Signatures(from_blob(r["shingles"]), from_blob(r["content"])))
    _INDEXES[key] = index
    return index


def find_copies(
    store: Store, article_ids: Sequence[str], settings: Settings, rewrites: bool = True
) -> None:
    """Pipeline stage: relate each new article to the earlier ones it copies or is copied by.

    `rewrites=False` skips the embedding-based rewrite confirmation (the copy-detection
    benchmark measures exact and near copies alone).
    """
    with _cyclic_gc_paused(), stage("copies"):
        _find_copies(store, article_ids, rewrites)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the stage.

    The LSH buckets are tens of thousands of small sets; every collection the stage's own
    allocations trigger walks them all again. Paused, adding an article to the index fell
    from 0.25 to 0.08 ms (2,500 articles). Nothing the stage builds is cyclic, and the
    previous state is restored, so nothing leaks.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _find_copies(store: Store, article_ids: Sequence[str], rewrites: bool) -> None:
    context = _Context(store, rewrites)
    context.load(article_ids)
    index = load_index(store)
    new = sorted((context.rows[i] for i in article_ids if i in context.rows), key=lambda r: r.seq)
    context.find_exact_matches(new)
    stored: list[tuple[str, bytes | None, bytes | None]] = []
    # Hashing and signing need only the text: a large batch is spread over the cores while
    # this loop indexes and relates the results in arrival order.
    for row, (hashed, sigs) in zip(new, hashed_and_signed([r.text for r in new]), strict=True):
        context.hashes[row.id] = hashed
        for found in _relations(context, index, row, hashed, sigs):
            _save(store, found)
        index.add(row.id, sigs)
        stored.append((row.id, to_blob(sigs.shingles), to_blob(sigs.content)))
    # One statement for the batch: per-article inserts were a tenth of the stage's cost.
    store.executemany(
        "INSERT OR REPLACE INTO minhashes (article_id, shingles, content) VALUES (?, ?, ?)",
        stored,
    )


def _relations(
    context: _Context, index: CandidateIndex, row: _Row, hashed: HashedText, sigs: Signatures
) -> list[_Found]:
    found: list[_Found] = []
    seen: set[str] = {row.id}
    for other in _exact_matches(context, row):
        seen.add(other.id)
        found.append(_relation(context, row, other, "exact", 1.0))
    near = [c for c in index.near_candidates(sigs, MAX_NEAR_CANDIDATES) if c not in seen]
    context.load(near)
    for other_id in near:
        other = context.rows[other_id]
        score = jaccard(hashed.shingles, context.hashed(other_id).shingles)
        if score >= NEAR_JACCARD:
            seen.add(other_id)
            found.append(_relation(context, row, other, "near", round(score, 4)))
    if context.embed_rewrites:
        candidates = [
            c
            for c in index.rewrite_candidates(sigs, MAX_REWRITE_CANDIDATES)
            if c not in seen and _worth_aligning(hashed, context.hashed(c))
        ]
        for other_id in candidates:
            with stage("rewrites"):
                rewrite = _rewrite(context, row, context.rows[other_id])
            if rewrite is not None:
                found.append(rewrite)
    return found


def _worth_aligning(mine: HashedText, other: HashedText) -> bool:
    """Enough shared content words to be a rewrite, and not a near copy.

    A near copy shows up here when it was beyond MAX_NEAR_CANDIDATES: it is linked to the
    cluster through the closer copies already, and must not cost a sentence embedding.
    """
    if jaccard(mine.content, other.content) < REWRITE_MIN_CONTENT:
        return False
    return jaccard(mine.shingles, other.shingles) < NEAR_JACCARD


def _exact_matches(context: _Context, row: _Row) -> list[_Row]:
    """Up to MAX_EXACT_LINKS earlier-stored articles with the same fingerprint, first first."""
    first = context.same_text.get(row.fingerprint, [])
    ids = [i for seq, i in first if seq < row.seq]
    context.load(ids)
    return [context.rows[i] for i in ids]


def _relation(context: _Context, a: _Row, b: _Row, kind: str, score: float) -> _Found:
    original, copy, rule = choose_original(a, b)
    pairs = align_lexically(context.sentence_words(copy.id), context.sentence_words(original.id))
    return _Found(copy.id, original.id, kind, score, rule, pairs)


def _rewrite(context: _Context, a: _Row, b: _Row) -> _Found | None:
    original, copy, rule = choose_original(a, b)
    copy_set: SentenceSet = context.sentence_set(copy.id, with_vectors=True)
    original_set = context.sentence_set(original.id, with_vectors=True)
    shorter = min(len(copy_set.texts), len(original_set.texts))
    needed = max(MIN_ALIGNED, math.ceil(REWRITE_COVERAGE * shorter - 1e-9))
    pairs = align_paraphrases(copy_set, original_set, at_least=needed)
    share = coverage(pairs, len(copy_set.texts), len(original_set.texts))
    if share < REWRITE_COVERAGE or aligned_sentences(pairs) < MIN_ALIGNED:
        return None
    return _Found(copy.id, original.id, "rewrite", round(share, 4), rule, pairs)


def _save(store: Store, found: _Found) -> None:
    store.execute(
        "INSERT OR REPLACE INTO duplicates (article, of, kind, score, rule, pairs)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            found.copy,
            found.original,
            found.kind,
            found.score,
            found.rule,
            json.dumps([[p.article_sentence, p.original_sentence, p.score] for p in found.pairs]),
        ),
    )
