"""Statements: the sentences of a story's reports, each with who holds it and a vector.

A statement is held by the speaker when a quote or piece of reported speech overlaps it,
otherwise by the outlet's own voice. Sentence vectors (bundled MiniLM) come from the one
sentence-vector cache the happenings annotator fills at ingest (whole sentences in
`happening_echoes`, reported speech in `sentence_vectors`); whatever is missing (a store
analysed before) is embedded here once and cached, never on every `claims` or `brief`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..embeddings import dimension, embed, keep_vectors, text_key
from ..models import Article, Quote
from ..store import Store

_THAT = re.compile(r"^that\s+", re.I)
# Reported speech that is an embedded question ("declined to say when the spillway was last
# inspected") asserts nothing about its content, so it holds no claim and contradicts none.
_EMBEDDED_QUESTION = re.compile(r"^(?:when|whether|if|how|why|where|who|whom|which)\b", re.I)
# Shorter sentences ("He declined to comment.") carry no claim of their own.
MIN_WORDS = 6


@dataclass(frozen=True)
class Statement:
    article: str
    start: int
    end: int
    text: str
    published: str | None
    outlet: str | None
    order: int  # arrival order of the article, for stable sorting
    holder: str | None = None
    holder_name: str | None = None
    direct_quote: bool = False
    sentence: str = ""  # the whole sentence it comes from
    kind: str = "claim"  # "claim", "anchored" or "plan" (enrich/assertions.py)
    alone: bool = True  # its sentence reads without the one before it


# (start, end, reported speech?) -> (kind, reads alone): one article's assertion rows.
Kinds = dict[tuple[int, int, bool], tuple[str, bool]]
# Kinds that state nothing checkable: they are no statements.
_NOT_CLAIMS = frozenset({"scene", "hedged", "fragment", "framed"})
# Reported speech covering under a third of its sentence leaves the rest to the
# outlet: "Ankara was expelled in 2019 over its purchase of the S-400, which Washington
# argued posed a security risk" states the expulsion as well as Washington's argument.
_SPEECH_SHARE = 1 / 3


def story_scope(store: Store, story: str | None) -> list[str]:
    """Article ids of a story (all articles when story is None), in arrival order."""
    if story is None:
        return store.article_ids()
    from ..cluster import story_articles

    return story_articles(store, story)


def statements(store: Store, article_ids: Sequence[str]) -> list[Statement]:
    """What the reports state, in arrival then text order.

    Attributed speech counts as its content, held by its speaker ("Ankara says its removal
    is unjust" → "its removal is unjust", held by Turkey); every other sentence of at least
    MIN_WORDS words is the outlet's own statement. `start`/`end` always cite the sentence.
    """
    quotes = _quotes(store, article_ids)
    kinds = _kinds(store, article_ids)
    found: list[Statement] = []
    for order, article in enumerate(store.articles(article_ids, with_spans=True)):
        found += article_statements(
            article, quotes.get(article.id, []), order, kinds.get(article.id)
        )
    return found


def article_statements(
    article: Article, quotes: Sequence[Quote], order: int = 0, kinds: Kinds | None = None
) -> list[Statement]:
    """One article's statements (see `statements`); `order` is its place in the story.
    With the article's assertion `kinds`, scene-setting, hedged and fragmentary sentences
    and fragments of speech ("positive relationship") are left out; without (an article
    enriched before they were kept, or the enrich stage itself), every one counts."""
    known = kinds or {}
    found: list[Statement] = []
    for sentence in article.sentences:
        said = [
            q
            for q in quotes
            if sentence.start <= q.start < sentence.end
            and not _asks(q)
            and known.get((q.start, q.end, True), ("claim", True))[0] not in _NOT_CLAIMS
        ]
        kind, alone = known.get((sentence.start, sentence.end, False), ("claim", True))
        # A fragment of speech the sentence's main verb attributes makes the sentence the
        # speaker's: "Barrack said there were "ongoing discussions …"".
        framing = next(
            (
                q
                for q in quotes
                if sentence.start <= q.start < sentence.end
                and known.get((q.start, q.end, True), ("", True))[0] == "framed"
            ),
            None,
        )
        for quote in said:
            content = _THAT.sub("", quote.text)
            if len(content.split()) >= 2:
                found.append(
                    Statement(
                        article.id,
                        sentence.start,
                        sentence.end,
                        content,
                        article.published,
                        article.outlet,
                        order,
                        quote.entity,
                        quote.speaker,
                        quote.direct and not quote.partial,
                        sentence.text,
                        alone=alone,
                    )
                )
        words = len(sentence.text.split())
        quoted = sum(len(q.text.split()) for q in said)
        speech = framing is not None and not said  # someone's words, however framed
        if (
            words >= MIN_WORDS
            and quoted < _SPEECH_SHARE * words
            and (speech or kind not in _NOT_CLAIMS)
        ):
            found.append(
                Statement(
                    article.id,
                    sentence.start,
                    sentence.end,
                    sentence.text,
                    article.published,
                    article.outlet,
                    order,
                    framing.entity if speech and framing else None,
                    framing.speaker if speech and framing else None,
                    sentence=sentence.text,
                    kind=kind,
                    alone=alone,
                )
            )
    return found


def _kinds(store: Store, article_ids: Sequence[str]) -> dict[str, Kinds]:
    """The stored assertion kinds of the articles' sentences and reported speech."""
    found: dict[str, Kinds] = {}
    for article_id in article_ids:
        rows = store.query(
            "SELECT start, end, speech, kind, alone FROM assertions WHERE article_id = ?",
            (article_id,),
        )
        if rows:
            found[article_id] = {(r[0], r[1], bool(r[2])): (r[3], bool(r[4])) for r in rows}
    return found


def _asks(quote: Quote) -> bool:
    """Indirect speech that only names an open question (a direct quote may well begin
    "When we arrived ...")."""
    return not quote.direct and bool(_EMBEDDED_QUESTION.match(quote.text.strip()))


def reported_speech(store: Store, article: Article) -> list[Statement]:
    """The statements of an article that are not a whole sentence (reported speech): the
    ones the sentence-vector cache needs besides the sentences themselves."""
    # Only the quoted spans matter for the cache key, so the article's own rows are read
    # directly (list_quotes reads the whole store's quotes to resolve speakers).
    rows = store.query(
        "SELECT DISTINCT start, end, text, direct FROM quotes WHERE article_id = ?"
        " ORDER BY start, end",
        (article.id,),
    )
    quotes = [
        Quote(article.id, r[0], r[1], r[2], None, None, bool(r[3]), False, None) for r in rows
    ]
    return [s for s in article_statements(article, quotes) if s.text != s.sentence]


def cache_vectors(store: Store, found: Sequence[Statement], fresh: np.ndarray) -> None:
    """Store statements' vectors in the shared cache (`sentence_vectors`)."""
    keep_vectors(
        store,
        [(*_key(s), v.astype(np.float32).tobytes()) for s, v in zip(found, fresh, strict=True)],
    )


def _quotes(store: Store, article_ids: Sequence[str]) -> dict[str, list[Quote]]:
    from ..enrich.quotes import list_quotes

    by_article: dict[str, list[Quote]] = {}
    for quote in list_quotes(store, article_ids):
        by_article.setdefault(quote.article, []).append(quote)
    return by_article


def vectors(store: Store, found: Sequence[Statement]) -> np.ndarray:
    """Normalised vectors of the statements, from the cache or freshly embedded (and cached).

    One sentence-vector cache serves the whole store: a statement that is its whole sentence
    (the outlet's own voice) takes the vector the happenings annotator stored for that
    sentence at ingest (`happening_echoes`), so nothing is embedded twice; only statements
    cut from a sentence (reported speech) or articles not enriched yet use `sentence_vectors`.
    """
    if not found:
        return np.zeros((0, dimension()), dtype=np.float32)
    articles = list(dict.fromkeys(s.article for s in found))
    whole = _whole_sentence_vectors(store, articles)
    cached: dict[tuple[str, int, str], bytes] = {}
    if any(not _is_whole(s, whole) for s in found):
        for article_id in articles:
            for row in store.query(
                "SELECT start, text_hash, vector FROM sentence_vectors WHERE article_id = ?",
                (article_id,),
            ):
                cached[(article_id, row[0], row[1])] = row[2]
    missing = [s for s in found if not _is_whole(s, whole) and _key(s) not in cached]
    if missing:
        fresh = embed([s.text for s in missing])
        cache_vectors(store, missing, fresh)
        for statement, vector in zip(missing, fresh, strict=True):
            cached[_key(statement)] = vector.astype(np.float32).tobytes()
    blobs = [
        whole[(s.article, s.start)][1] if _is_whole(s, whole) else cached[_key(s)] for s in found
    ]
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(found), dimension())


def _whole_sentence_vectors(
    store: Store, article_ids: Sequence[str]
) -> dict[tuple[str, int], tuple[int, bytes]]:
    """(article, sentence start) -> (sentence end, vector) as stored at ingest."""
    found: dict[tuple[str, int], tuple[int, bytes]] = {}
    for article_id in article_ids:
        for row in store.query(
            "SELECT sentence_start, sentence_end, vector FROM happening_echoes"
            " WHERE article_id = ?",
            (article_id,),
        ):
            found[(article_id, row[0])] = (row[1], row[2])
    return found


def _is_whole(statement: Statement, whole: dict[tuple[str, int], tuple[int, bytes]]) -> bool:
    stored = whole.get((statement.article, statement.start))
    return (
        stored is not None and stored[0] == statement.end and statement.text == statement.sentence
    )


def _key(statement: Statement) -> tuple[str, int, str]:
    return statement.article, statement.start, text_key(statement.text)
