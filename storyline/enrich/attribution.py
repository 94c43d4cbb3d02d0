"""Find attributions in a parsed text: who (source) said (cue) what (content).

Direct quotes are found from the quote marks (straight and curly, across sentences, a quote
left open at a paragraph's end running into the next as news style has it); reported
speech from the parse: a verb of saying with a clausal complement ("Ankara says its
removal is unjust"), "X told Reuters that …", "according to X, …". No library does this
for English news without a model trained on licensed data, so these rules are our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..nlp import doc_text

# Verbs that attribute speech, writing or a stated belief (lemmas).
SAY_LEMMAS = frozenset(
    [
        "say",
        "tell",
        "continue",
        "conclude",
        "observe",
        "repeat",
        "show",
        "find",
        "point",
        "add",
        "state",
        "argue",
        "claim",
        "insist",
        "maintain",
        "note",
        "write",
        "announce",
        "warn",
        "confirm",
        "explain",
        "stress",
        "describe",
        "report",
        "deny",
        "accuse",
        "suggest",
        "declare",
        "predict",
        "promise",
        "vow",
        "reiterate",
        "acknowledge",
        "admit",
        "comment",
        "respond",
        "reply",
        "ask",
        "urge",
        "tweet",
        "post",
        "affirm",
        "emphasise",
        "emphasize",
        "assert",
        "contend",
        "allege",
        "recall",
        "indicate",
        "concede",
        "complain",
        "testify",
        "believe",
        "think",
        "hope",
        "fear",
        "worry",
        "learn",
        "estimate",
        "caution",
        "disclose",
        "reveal",
        "signal",
        "threaten",
        "demand",
        "propose",
        "recommend",
        "agree",
        "call",
    ]
)
# Verbs that need a clausal complement to attribute anything ("call" for "called it a …").
_NEEDS_CLAUSE = frozenset(
    {"call", "agree", "signal", "hope", "fear", "worry", "think", "believe", "learn", "ask"}
    | {"show", "find"}
    | {"point", "continue", "observe", "conclude"}
)
# Where something was said, which news style folds into the cue ("said in a statement").
_CHANNELS = frozenset({"statement", "interview", "post", "tweet", "email", "letter", "release"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_CLAUSES = frozenset({"ccomp", "xcomp", "parataxis"})
_OPENING = '“"'
_CLOSING = '”"'
_RELATIVE = frozenset({"who", "which", "that"})
# Verbs that take back the saying they govern ("declined to say").
_REFUSALS = frozenset({"decline", "refuse"})
_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Attribution:
    """Offsets into the text. `content` excludes quote marks; `quoted` is its span with them."""

    content_start: int
    content_end: int
    quoted_start: int
    quoted_end: int
    direct: bool
    partial: bool
    cue_start: int | None = None
    cue_end: int | None = None
    source_start: int | None = None
    source_end: int | None = None
    source_root: int | None = None  # token index of the source's head word
    inherited: bool = False  # no cue of its own: continues the previous quote


def find_attributions(doc: Any) -> list[Attribution]:
    """Every direct quote and piece of reported speech in the document, in text order."""
    quotes = quote_spans(doc_text(doc))
    direct = _direct(doc, quotes)
    reported = _reported(doc, quotes)
    return sorted(direct + reported, key=lambda a: (a.quoted_start, a.quoted_end))


# -- quote marks ------------------------------------------------------------------------------


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, marks included. A quote open at the end of a paragraph
    closes there (the next paragraph reopens it, as news style does)."""
    spans = []
    for para in _paragraphs(text):
        start, end = para
        open_at: int | None = None
        for index in range(start, end):
            char = text[index]
            if open_at is None and char in _OPENING:
                if char == '"' or char == "“":
                    open_at = index
            elif open_at is not None and char in _CLOSING and (char == "”" or text[open_at] == '"'):
                if index - open_at > 1:
                    spans.append((open_at, index + 1))
                open_at = None
            elif open_at is not None and char == "“" and text[open_at] == "“":
                open_at = index  # an unbalanced opening mark: restart from the newer one
        if open_at is not None and end - open_at > 20:
            spans.append((open_at, end))
    return spans


def _paragraphs(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in _PARAGRAPH.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    # Single line breaks end a paragraph too in plain-text reports.
    lines = []
    for start, end in bounds:
        position = start
        for line in text[start:end].split("\n"):
            lines.append((position, position + len(line.rstrip())))
            position += len(line) + 1
    return [(s, e) for s, e in lines if e > s]


def _inner(text: str, start: int, end: int) -> tuple[int, int]:
    inner_start = start + 1 if text[start] in _OPENING else start
    inner_end = end - 1 if end - 1 > inner_start and text[end - 1] in _CLOSING else end
    while inner_end > inner_start and text[inner_end - 1] in " ,":
        inner_end -= 1
    return inner_start, inner_end


# -- direct quotes ----------------------------------------------------------------------------


def _direct(doc: Any, quotes: list[tuple[int, int]]) -> list[Attribution]:
    text = doc_text(doc)
    found: list[Attribution] = []
    for start, end in quotes:
        inner_start, inner_end = _inner(text, start, end)
        if inner_end - inner_start < 2:
            continue
        partial = _is_partial(text, start, end, inner_start)
        cue = _cue_for_quote(doc, start, end, quotes)
        if cue is None:
            previous = found[-1] if found else None
            if partial or previous is None or not _continues(doc, previous, start):
                continue  # scare quotes or a title, not speech
            found.append(
                Attribution(
                    inner_start,
                    inner_end,
                    start,
                    end,
                    True,
                    partial,
                    previous.cue_start,
                    previous.cue_end,
                    previous.source_start,
                    previous.source_end,
                    previous.source_root,
                    inherited=True,
                )
            )
            continue
        cue_tokens, source = cue
        found.append(
            Attribution(
                inner_start,
                inner_end,
                start,
                end,
                True,
                partial,
                cue_tokens[0].idx,
                _end(cue_tokens[-1]),
                *_source_fields(source),
            )
        )
    return found


def _is_partial(text: str, start: int, end: int, inner_start: int) -> bool:
    """A quoted fragment inside a sentence ("described as "transformational"") rather than a
    sentence or more of quoted speech."""
    first = text[inner_start : inner_start + 1]
    if first.islower():
        return True
    before = text[:start].rstrip()
    opens_clause = not before or before[-1] in '.:!?\n"”“' or text[start - 1 : start] == "\n"
    return not opens_clause and len(text[start:end].split()) < 6


def _continues(doc: Any, previous: Attribution, start: int) -> bool:
    """Does a quote with no cue continue the previous one ("…," he said. "…")? It does
    when it follows closely, or anywhere later in the same paragraph."""
    between = doc_text(doc)[previous.quoted_end : start]
    sentences = len([s for s in doc.sents if previous.quoted_end <= s.start_char < start])
    if "\n" not in between and sentences <= 2:
        return True
    return sentences <= 2 and len(between.split()) <= 12


def _cue_for_quote(
    doc: Any, start: int, end: int, quotes: list[tuple[int, int]]
) -> tuple[list[Any], Any] | None:
    """The verb of saying that introduces a quote, and its subject, from the sentences the
    quote starts and ends in; the verb whose clause holds the quote wins, then the nearest."""
    first = doc.char_span(start, start + 1, alignment_mode="expand")
    last = doc.char_span(end - 1, end, alignment_mode="expand")
    if first is None or last is None:
        return None
    sent_start, sent_end = first[0].sent.start, last[-1].sent.end
    candidates = []
    for token in doc[sent_start:sent_end]:
        if _inside_any(token.idx, quotes):
            continue
        cue = _cue_tokens(token)
        if cue is None:
            continue
        source = _source_of(token)
        governs = _governs(token, start, end)
        distance = min(abs(token.idx - start), abs(token.idx - end))
        candidates.append((not governs, source is None, distance, token.i, cue, source))
    if not candidates:
        return None
    best = min(candidates, key=lambda c: c[:4])
    return best[4], best[5]


def _governs(token: Any, start: int, end: int) -> bool:
    head = token.head if token.lower_ == "according" else token
    subtree = list(head.subtree)
    return subtree[0].idx <= start and end <= _end(subtree[-1])


def _inside_any(position: int, quotes: list[tuple[int, int]]) -> bool:
    return any(s < position < e for s, e in quotes)


def _cue_tokens(token: Any) -> list[Any] | None:
    """[verb] for a verb of saying, [according, to] for "according to"; else None."""
    if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
        return [token, token.nbor()]
    if token.pos_ not in {"VERB", "AUX"} or token.lemma_.lower() not in SAY_LEMMAS:
        return None
    if token.lemma_.lower() in _NEEDS_CLAUSE and not any(
        c.dep_ in _CLAUSES for c in token.children
    ):
        return None
    particles = [c for c in token.children if c.dep_ == "prt" and c.i == token.i + 1]
    cue = [*_auxiliaries(token), token, *particles]  # "has said", "points out"
    after = cue[-1].i + 1
    channel = next((c for c in token.children if c.i == after and c.lower_ == "in"), None)
    if channel is not None:
        objects = [
            c for c in channel.children if c.dep_ == "pobj" and c.lemma_.lower() in _CHANNELS
        ]
        if objects:
            cue += list(token.doc[after : objects[0].i + 1])  # "said in a statement"
    return cue


def _auxiliaries(verb: Any) -> list[Any]:
    """The auxiliaries right before a verb of saying ("has said", "will argue"): part of
    the cue, as PolNeAR marks it."""
    found: list[Any] = []
    position = verb.i - 1
    while position >= 0:
        word = verb.doc[position]
        if word.head.i != verb.i or not (
            word.dep_ in {"aux", "auxpass"} or (word.dep_ == "advmod" and word.pos_ == "ADV")
        ):
            break
        found.insert(0, word)
        position -= 1
    return found


def _source_of(cue: Any) -> Any | None:
    """The head word of who speaks: the subject, the "according to" object, or for a
    participle ("…, saying …") the subject of the clause it hangs on."""
    if cue.lower_ == "according":
        objects = [c for c in cue.nbor().children if c.dep_ == "pobj"]
        return objects[0] if objects else None
    before = cue.doc[cue.i - 1] if cue.i > 0 else None
    if before is not None and _ends_sentence(cue) and before.pos_ in {"NOUN", "PROPN", "PRON"}:
        # "…, a ministry source confirmed.": the phrase right before a closing cue speaks,
        # whatever the parser attached it to.
        return before if before.dep_ != "compound" else before.head
    if _relative_and_speaker(cue):
        # "a system, which Washington argued posed a risk": the parser gives the cue both
        # the relative pronoun (the subject of what is said) and the speaker.
        return next(c for c in cue.children if c.dep_ in _SUBJECTS and c.lower_ not in _RELATIVE)
    for child in cue.children:
        if child.dep_ in _SUBJECTS:
            if child.lower_ in _RELATIVE and cue.dep_ == "relcl":
                return cue.head  # "leaders, who fear …": the leaders speak
            return child
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    if cue.dep_ in {"advcl", "xcomp", "conj", "relcl"} and cue.head.i != cue.i:
        head = cue.head
        for child in head.children:
            if child.lower_ == "according":
                return _source_of(child)
        if cue.dep_ == "relcl":
            return head
        return _source_of(head) if head.lemma_.lower() in SAY_LEMMAS else _subject(head)
    return None


def _relative_and_speaker(cue: Any) -> bool:
    """Does a relative-clause cue have two subjects, a relative pronoun and a speaker?"""
    subjects = [c for c in cue.children if c.dep_ in _SUBJECTS]
    relative = [c for c in subjects if c.lower_ in _RELATIVE]
    return cue.dep_ == "relcl" and bool(relative) and len(subjects) > len(relative)


def _ends_sentence(cue: Any) -> bool:
    """Is the cue the last word of its sentence but for punctuation and its own modifiers?"""
    after = [t for t in cue.doc[cue.i + 1 : cue.sent.end] if not (t.is_punct or t.is_space)]
    return all(t.head == cue and t.dep_ in {"advmod", "npadvmod"} for t in after)


def _subject(token: Any) -> Any | None:
    return next((c for c in token.children if c.dep_ in _SUBJECTS), None)


def _source_fields(source: Any | None) -> tuple[int | None, int | None, int | None]:
    if source is None:
        return None, None, None
    start, end = _phrase(source)
    return start, end, source.i


def _phrase(head: Any) -> tuple[int, int]:
    """The noun phrase of a source's head word, cut before an appositive or relative clause."""
    tokens = [t for t in head.subtree]
    kept = []
    for token in tokens:
        if token.i > head.i and (token.text == "," or token.dep_ in {"relcl", "appos", "acl"}):
            break
        kept.append(token)
    return kept[0].idx, _end(kept[-1])


def _end(token: Any) -> int:
    return int(token.idx + len(token.text))


# -- reported speech --------------------------------------------------------------------------


def _reported(doc: Any, quotes: list[tuple[int, int]]) -> list[Attribution]:
    found = []
    for token in doc:
        if _inside_any(token.idx, quotes):
            continue
        cue = _cue_tokens(token)
        if cue is None or _withheld(token):
            continue
        content = _reported_content(token)
        if content is None:
            continue
        start, end = content
        if _mostly_quoted(start, end, quotes):
            continue
        found.append(
            Attribution(
                start,
                end,
                start,
                end,
                False,
                False,
                cue[0].idx,
                _end(cue[-1]),
                *_source_fields(_source_of(token)),
            )
        )
    return found


def _reported_content(cue: Any) -> tuple[int, int] | None:
    """What is said: the clause the verb takes ("that …" included), or for "according to X"
    the rest of its sentence."""
    if cue.lower_ == "according":
        head = cue.head
        tokens = [t for t in head.subtree if not (cue.i <= t.i <= _last(cue).i)]
        tokens = [t for t in tokens if not (t.is_punct and t.i in {cue.i - 1, _last(cue).i + 1})]
        tokens = _strip_edges(tokens)
        return (tokens[0].idx, _end(tokens[-1])) if tokens else None
    clauses = [
        c
        for c in cue.children
        if c.dep_ in {"ccomp"}
        or (
            c.dep_ == "xcomp"
            and c.i > cue.i
            and (any(g.dep_ in _SUBJECTS for g in c.children) or _relative_and_speaker(cue))
        )
    ]
    if not clauses:
        return _content_before(cue)
    # The small parser sometimes splits one clause in two ("found that concrete poured
    # during the repair | had not bonded"): the clauses after the cue are read as one.
    after = [c for c in clauses if c.i > cue.i] or clauses[:1]
    first, last = after[0].left_edge.i, after[-1].right_edge.i
    tokens = _strip_edges(list(cue.doc[first : last + 1]))
    if len(tokens) < 3:
        return None
    return tokens[0].idx, _end(tokens[-1])


def _withheld(cue: Any) -> bool:
    """ "would not say when …", "declined to say whether …": nothing is asserted."""
    if any(child.dep_ == "neg" for child in cue.children):
        return True
    return cue.dep_ == "xcomp" and cue.head.lemma_.lower() in _REFUSALS


def _content_before(cue: Any) -> tuple[int, int] | None:
    """ "Talks will resume, the minister said.": the cue hangs off the clause it reports."""
    head = cue.head
    if cue.dep_ not in {"parataxis", "ccomp", "advcl", "ROOT"} or not _ends_sentence(cue):
        return None
    if cue.dep_ == "ROOT":
        head = next(
            (c for c in cue.children if c.dep_ in {"ccomp", "parataxis"} and c.i < cue.i), cue
        )
    if head.i >= cue.i:
        return None
    if _subject(cue) is None:
        return None
    cue_tokens = {t.i for t in cue.subtree}
    tokens = _strip_edges([t for t in head.subtree if t.i not in cue_tokens and t.i < cue.i])
    if len(tokens) < 3:
        return None
    return tokens[0].idx, _end(tokens[-1])


def _last(cue: Any) -> Any:
    """The last token of an "according to X" phrase."""
    to = cue.nbor()
    return list(to.subtree)[-1]


def _strip_edges(tokens: list[Any]) -> list[Any]:
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    return tokens


def _mostly_quoted(start: int, end: int, quotes: list[tuple[int, int]]) -> bool:
    covered = sum(max(0, min(end, e) - max(start, s)) for s, e in quotes)
    return covered >= 0.8 * max(1, end - start)


__all__ = ["SAY_LEMMAS", "Attribution", "find_attributions", "quote_spans"]
