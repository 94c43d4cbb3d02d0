"""Happenings: the clauses that state something dated, for the timeline (issue 7).

    find_happenings(doc, expressions, sentences) -> [Happening]   pure, no store
    annotate_happenings(store, article, doc, settings)             the enrich annotator

A happening is the clause governed by the verb a resolved calendar date attaches to ("in
2019 Turkey bought the S-400" is a 2019 happening). The clause logic is our own (no
library maps a time expression to the clause it dates): from the expression's root walk up
the dependency parse to the governing verb, climb through infinitive complements ("is
expected to enter service in 2028" → "expected"), and take that verb's subtree minus the
clauses that carry another date, so "acquired … in 2019, a move that led to sanctions in
2020" gives two happenings. Vague, unresolved and duration expressions date nothing; the
publication date is never a happening by itself (only what the text says is).

Runs after the dates annotator and reads its `time_expressions` rows, so each article is
parsed once; clause vectors are stored too, so building a timeline never re-parses or
re-embeds. It also fills the store's one sentence-vector cache that claims read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..embeddings import cached_vectors, embed, forget_vectors
from ..models import Article, Span, TimeExpression
from ..nlp import doc_text
from ..settings import Settings
from ..store import Store

# Calendar precisions a timeline entry can have; clock times are dated to their day.
DATE_PRECISIONS = {"day", "month", "year", "season", "quarter", "decade", "time"}
# Dependencies that start a clause of their own inside a sentence.
CLAUSE_DEPS = {"advcl", "relcl", "acl", "ccomp", "conj", "parataxis", "appos", "xcomp", "pcomp"}
# Edge words that only link a clause to its sentence.
_EDGE_WORDS = {"and", "but", "or", "which", "that", "while", "as", "so", "since"}
_MAX_CLIMB = 40


@dataclass(frozen=True)
class Happening:
    """A dated clause of one article. Offsets index into the article text; `text` is the
    clause with excluded sub-clauses left out."""

    article: str
    expression_start: int
    sentence_start: int
    sentence_end: int
    clause_start: int
    clause_end: int
    date: str
    precision: str
    text: str
    actor: str | None = None  # lemmas of who acts ("fidan hakan"); None if unsaid
    whole: bool = True  # the clause reads as a sentence of its own (_reads_as_sentence)


def is_datable(expression: TimeExpression) -> bool:
    """A resolved calendar date (not a duration, set, or vague reference)."""
    return (
        expression.resolved
        and expression.kind in ("date", "time")
        and expression.value is not None
        and expression.precision in DATE_PRECISIONS
    )


def date_of(expression: TimeExpression) -> tuple[str, str]:
    """(date value, precision): clock times become their day."""
    value = expression.value or ""
    if expression.precision == "time" or "T" in value:
        return value[:10], "day"
    return value, expression.precision or "day"


def find_happenings(
    doc: Any, expressions: Sequence[TimeExpression], sentences: Sequence[Span], article: str = ""
) -> list[Happening]:
    """The dated clauses of a parsed text, one per datable expression, in text order."""
    datable = [e for e in expressions if is_datable(e) and not _opens_a_period(doc, e)]
    anchors = {e.start: _anchor_token(doc, e) for e in datable}
    clauses = {start: _clause_head(token) for start, token in anchors.items() if token is not None}
    found: list[Happening] = []
    for expression in datable:
        head = clauses.get(expression.start)
        sentence = _sentence_of(sentences, expression.start)
        if head is None or sentence is None:
            continue
        tokens = _clause_tokens(head, anchors[expression.start], clauses, anchors, sentence)
        runs = _runs(doc, tokens)
        if not runs:
            continue
        value, precision = date_of(expression)
        found.append(
            Happening(
                article=article,
                expression_start=expression.start,
                sentence_start=sentence.start,
                sentence_end=sentence.end,
                clause_start=runs[0][0],
                clause_end=runs[-1][1],
                date=value,
                precision=precision,
                text=" … ".join(doc_text(doc)[a:b] for a, b in runs),
                actor=_actor(head),
                whole=_reads_as_sentence(doc, head, tokens),
            )
        )
    return found


_FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}


def _reads_as_sentence(doc: Any, head: Any, tokens: set[int]) -> bool:
    """Does the clause read as a sentence by itself? Our own test on the parse: a finite
    verb with its own subject, which is no pronoun pointing back and no relative word, and
    no subordinating word or relative attachment: "the U.S. removed Turkey from the
    programme in 2019" does; "a move that led to sanctions in 2020", "his return to office
    on January 20", "He then took the step in 2020" do not."""
    if head.pos_ not in ("VERB", "AUX") or head.dep_ in ("relcl", "acl", "pcomp"):
        return False
    kept = [c for c in head.children if c.i in tokens]
    finite = head.tag_ in _FINITE_TAGS or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS for c in kept
    )
    subject = next((c for c in kept if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    if not finite or subject is None or subject.pos_ == "PRON" or subject.tag_ in ("WDT", "WP"):
        return False
    first = doc[min(tokens)]
    # A clause's own linking word is left out of its text ("since the dye first reached
    # the weir" → "the dye first reached the weir"); any other subordinator stays ("after
    # Turkey bought …"), and a first word of the main clause must not go ("Since his
    # return …, Trump has …" would lose its "Since").
    trimmed = first.lower_ in _EDGE_WORDS
    marks = [c for c in kept if c.dep_ == "mark"]
    if marks:
        return trimmed and marks == [first]
    return not trimmed


def _actor(head: Any) -> str | None:
    """Who acts in a clause: the lemma of its verb's subject and the names in the subject
    phrase ("Engineers from the regional water authority" → "engineer"; "Hakan Fidan and
    Marco Rubio" → "fidan hakan marco rubio", however the parser nests them); None for a
    pronoun or no subject."""
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.pos_ == "PRON":
        return None
    names = [t for t in subject.subtree if t.pos_ == "PROPN"]
    return " ".join(sorted({str(t.lemma_ or t.text).lower() for t in [subject, *names]}))


def _opens_a_period(doc: Any, expression: TimeExpression) -> bool:
    """Whether the date follows "since": it dates when a standing state began ("has operated
    the dam since 2011", "has dropped by three metres since Monday"), not something that
    happened then. A clause after "since" keeps its own date ("since water first seeped …
    last winter")."""
    if expression.text.lower().startswith("since "):
        return True
    span = doc.char_span(expression.start, expression.end, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    return bool(doc[span.start - 1].lower_ == "since")


def _anchor_token(doc: Any, expression: TimeExpression) -> Any | None:
    span = doc.char_span(expression.start, expression.end, alignment_mode="expand")
    return None if span is None or len(span) == 0 else span.root


def _clause_head(token: Any) -> Any:
    """The verb that governs a token, raised through infinitive complements; for a clause
    that modifies a noun ("the jet, which is expected to …"), that noun's phrase."""
    head = token
    for _ in range(_MAX_CLIMB):
        if head.pos_ in ("VERB", "AUX") and head.dep_ not in ("aux", "auxpass"):
            break
        if head.head.i == head.i:
            return head  # a fragment without a verb: the whole parse tree
        head = head.head
    for _ in range(_MAX_CLIMB):
        if head.dep_ == "xcomp" and head.head.i != head.i:
            head = head.head
        else:
            break
    if head.dep_ in ("relcl", "acl") and head.head.pos_ in ("NOUN", "PROPN"):
        return head.head
    return head


def _clause_tokens(
    head: Any, anchor: Any, clauses: dict[int, Any], anchors: dict[int, Any], sentence: Span
) -> set[int]:
    """Token indices of the head's subtree inside the sentence, minus the sub-clauses that
    date something else (the clause of another expression not containing this one)."""
    tokens = {t.i for t in head.subtree if sentence.start <= t.idx < sentence.end}
    for start, other_head in clauses.items():
        other_anchor = anchors[start]
        if other_head.i == head.i or other_anchor is None or other_anchor.i == anchor.i:
            continue
        for other in (other_head, _subclause(other_anchor, head)):
            inner = {t.i for t in other.subtree} if other is not None else set()
            if anchor.i not in inner and not _argument(other, tokens):
                tokens -= inner
    return tokens


def _argument(phrase: Any | None, tokens: set[int]) -> bool:
    """A noun phrase that is the subject or object of a verb kept in the clause ("saying the
    tests it submitted in 2019 were genuine"): cutting it would leave a gap no reader can
    fill ("saying … were genuine"), so it stays, date and all."""
    return (
        phrase is not None
        and phrase.pos_ in ("NOUN", "PROPN", "PRON")
        and phrase.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")
        and phrase.head.i in tokens
    )


def _subclause(anchor: Any, head: Any) -> Any | None:
    """The topmost clause-starting token between `anchor` and `head` (exclusive)."""
    found = None
    token = anchor
    for _ in range(_MAX_CLIMB):
        if token.i == head.i or token.head.i == token.i:
            break
        if token.dep_ in CLAUSE_DEPS:
            found = token
        token = token.head
    return found if token is head else None


def _runs(doc: Any, tokens: set[int]) -> list[tuple[int, int]]:
    """Contiguous character runs of the kept tokens, trimmed of linking words and punctuation."""
    ordered = sorted(tokens)
    groups: list[list[int]] = []
    for i in ordered:
        if groups and i == groups[-1][-1] + 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    runs = []
    for group in groups:
        words = [doc[i] for i in group]
        while words and (words[0].is_punct or words[0].lower_ in _EDGE_WORDS):
            words.pop(0)
        while words and (words[-1].is_punct and words[-1].text not in (")", '"', "”")):
            words.pop()
        if words:
            runs.append((words[0].idx, words[-1].idx + len(words[-1].text)))
    return runs


def _sentence_of(sentences: Sequence[Span], offset: int) -> Span | None:
    for sentence in sentences:
        if sentence.start <= offset < sentence.end:
            return sentence
    return None


def masked(text: str, offset: int, expressions: Sequence[TimeExpression]) -> str:
    """A stretch of text (starting at `offset`) without its date words, so two clauses do
    not look alike merely for sharing a date."""
    end = offset + len(text)
    for e in sorted(expressions, key=lambda e: -e.start):
        if offset <= e.start and e.end <= end:
            text = text[: e.start - offset] + text[e.end - offset :]
    return " ".join(text.split())


def matching_text(
    doc: Any, happening: Happening, expressions: Sequence[TimeExpression], sentences: Sequence[Span]
) -> str:
    """What a happening is compared by: its clause, date words masked. A clause whose
    subject is a pronoun ("He then took the step in 2020") says what it means only with its
    context, so it is compared by the previous sentence and its whole own sentence."""
    clause = doc_text(doc)[happening.clause_start : happening.clause_end]
    if not _pronoun_subject(doc, happening):
        return masked(clause, happening.clause_start, expressions) or clause
    start = happening.sentence_start
    previous = [s for s in sentences if s.end <= start]
    if previous:
        start = previous[-1].start
    return masked(doc_text(doc)[start : happening.sentence_end], start, expressions) or clause


def _pronoun_subject(doc: Any, happening: Happening) -> bool:
    span = doc.char_span(happening.clause_start, happening.clause_end, alignment_mode="expand")
    if span is None:
        return False
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "PRON" for t in span)


# -- the annotator and the store -------------------------------------------------------------


def annotate_happenings(store: Store, article: Article, doc: Any, settings: Settings) -> None:
    """Enrich annotator (after dates): replace the article's happenings, so re-runs are
    idempotent."""
    expressions = _stored_expressions(store, article.id)
    sentences = article.sentences or tuple(
        Span(s.text, s.start_char, s.end_char) for s in doc.sents
    )
    found = find_happenings(doc, expressions, sentences, article.id)
    texts = [matching_text(doc, h, expressions, sentences) for h in found]
    # This fills the store's one sentence-vector cache (embeddings.py): every sentence
    # (happening_echoes) and every piece of reported speech (sentence_vectors), so claims
    # and briefings never embed again (synthesise/statements.py reads both).
    from ..synthesise.statements import cache_vectors, reported_speech

    speech = reported_speech(store, replace(article, sentences=tuple(sentences)))
    # Sentences the rewrite check embedded already are read back, not embedded again; from
    # here on `happening_echoes` is their one copy.
    pieces = [(s.start, s.text) for s in sentences]
    sentence_vectors = cached_vectors(store, article.id, pieces, keep=False)
    vectors = embed(texts + [s.text for s in speech])
    _store_echoes(store, article.id, sentences, expressions, sentence_vectors)
    forget_vectors(store, article.id, pieces)
    cache_vectors(store, speech, vectors[len(found) :])
    vectors = vectors[: len(found)]
    store.execute("DELETE FROM happenings WHERE article_id = ?", (article.id,))
    store.executemany(
        "INSERT INTO happenings (article_id, expression_start, sentence_start, sentence_end,"
        " clause_start, clause_end, date, precision, text, vector, actor, whole)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                h.article,
                h.expression_start,
                h.sentence_start,
                h.sentence_end,
                h.clause_start,
                h.clause_end,
                h.date,
                h.precision,
                h.text,
                np.asarray(vector, dtype=np.float32).tobytes(),
                h.actor,
                int(h.whole),
            )
            for h, vector in zip(found, vectors, strict=True)
        ],
    )


def _store_echoes(
    store: Store,
    article_id: str,
    sentences: Sequence[Span],
    expressions: Sequence[TimeExpression],
    vectors: np.ndarray,
) -> None:
    """Every sentence's vector, marked dated or not: an undated sentence that says what a
    dated one says tells the same happening (the timeline adds its report as a source)."""
    datable = [e.start for e in expressions if is_datable(e)]
    store.execute("DELETE FROM happening_echoes WHERE article_id = ?", (article_id,))
    store.executemany(
        "INSERT OR REPLACE INTO happening_echoes (article_id, sentence_start, sentence_end, dated,"
        " vector) VALUES (?, ?, ?, ?, ?)",
        [
            (
                article_id,
                s.start,
                s.end,
                int(any(s.start <= start < s.end for start in datable)),
                np.asarray(vector, dtype=np.float32).tobytes(),
            )
            for s, vector in zip(sentences, vectors, strict=True)
        ],
    )


def _stored_expressions(store: Store, article_id: str) -> list[TimeExpression]:
    rows = store.query(
        "SELECT start, end, text, value, precision, resolved, kind FROM time_expressions"
        " WHERE article_id = ? ORDER BY start",
        (article_id,),
    )
    return [
        TimeExpression(
            text=r["text"],
            start=r["start"],
            end=r["end"],
            value=r["value"],
            precision=r["precision"],
            resolved=bool(r["resolved"]),
            kind=r["kind"],
            article=article_id,
        )
        for r in rows
    ]
