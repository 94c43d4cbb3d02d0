"""Which way a time expression points, read from the tense of the clause that governs it.

Our own logic over spaCy's parse (no library maps a clause's tense to a temporal
direction): "met on Tuesday" is past; "will meet", "is set to meet", "is meeting on
Tuesday" are future; a present simple clause ("says Tuesday") decides nothing.
"""

from __future__ import annotations

from typing import Any

FUTURE_AUX = {"will", "shall", "'ll", "wo"}
# Heads whose infinitive complement lies ahead: "is set to meet", "plans to visit".
FUTURE_HEADS = {
    "set",
    "expect",
    "schedule",
    "plan",
    "due",
    "slate",
    "go",
    "intend",
    "poise",
    "aim",
    "prepare",
    "hope",
    "want",
    "seek",
    "agree",
    "promise",
    "threaten",
    "vow",
    "try",
}
PAST_AUX_TAGS = {"VBD"}
# Verbs that put their dates ahead whatever their own tense.
SCHEDULING = {"plan", "schedule", "set", "due", "slate", "postpone", "delay", "extend", "expect"}


def direction_at(doc: Any, start: int, end: int, text: str | None = None) -> str | None:
    """ "past", "future", "present" or None for the clause governing the characters
    [start, end) of the parsed text."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    text = doc.text if text is None else text
    before = text[max(0, start - 7) : start].lower().split()
    verb = _governing_verb(span.root)
    direction = clause_direction(verb) if verb is not None else None
    if before and before[-1] in ("until", "till") and direction != "past":
        return "future"  # deadlines: "until 9 a.m. Tuesday"
    return direction


def _governing_verb(token: Any) -> Any | None:
    """The nearest verb up the dependency tree (the token itself when it is one)."""
    seen = 0
    while seen < 40:
        if token.pos_ in ("VERB", "AUX") and token.dep_ != "aux":
            return token
        if token.head.i == token.i:
            return None
        token = token.head
        seen += 1
    return None


def clause_direction(verb: Any) -> str | None:
    if verb.lemma_.lower() in SCHEDULING and verb.tag_ != "VBD":
        return "future"  # "has scheduled talks Thursday", "plans a rally on Saturday"
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & FUTURE_AUX:
        return "future"
    head = verb.head
    if verb.tag_ == "VB" and verb.dep_ in ("xcomp", "ccomp", "advcl") and head.i != verb.i:
        if head.lemma_.lower() in FUTURE_HEADS:
            return "future" if head.tag_ != "VBD" or head.lemma_.lower() in SCHEDULING else "past"
        if any(a.lower_ in ("to",) for a in auxes) and head.pos_ in ("VERB", "AUX"):
            return clause_direction(head)
    if verb.tag_ == "VB" and any(a.lower_ in ("to",) for a in auxes) and verb.head.pos_ == "ADJ":
        return "future"  # "is likely to meet", "is ready to sign"
    if verb.tag_ == "VBD" or any(a.tag_ in PAST_AUX_TAGS for a in auxes):
        return "past"
    if verb.tag_ == "VBN" and words & {"has", "have", "had", "'ve", "'s"}:
        return "past"
    if verb.tag_ == "VBG" and words & {"is", "are", "'re", "am"}:
        return "future"  # news present progressive: "is meeting Rubio on Tuesday"
    if verb.tag_ in ("VBZ", "VBP") or words & {"is", "are", "am"}:
        return "present"
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl", "amod"):
        return "past"  # "talks held on Tuesday"
    return None
