"""Assertions: which sentences, and which pieces of reported speech, state something a
reader could check, read from the sentence's parse.

    assertion_kind(span, actors, anchored)
        -> "claim" | "anchored" | "plan" | "hedged" | "scene" | "fragment"
    reads_alone(span) -> bool
    annotate_assertions(store, article, doc, settings)           the enrich annotator

Our own rules over spaCy's dependency parse (no library tells a claim from scene-setting):

- a *fragment* has no finite verb: a heading ("The S-400 crisis"), a bullet, a partial
  quote ("positive relationship");
- a *hedged* sentence speculates: a modal main verb ("could mark", "might"), a conditional
  ("If Turkey secures …"), an appearance ("appear focused"), a question;
- *scene*-setting is the outlet's framing: the main clause's subject is no actor ("Ties
  between … have drifted", "all eyes will be on", "This shift has created") and the
  sentence carries no date or figure; with a date or figure it is *anchored* (checkable,
  though no one acts in it);
- a *plan* is told ahead of its happening ("is set to meet", "will focus on") by a
  sentence in which someone acts or that is anchored: checkable later, but not what
  happened;
- everything else is a *claim*.

Reported speech is someone's position however it is worded, so a quote is only ever a
claim or a fragment; a fragment attributed by the sentence's main verb is *framed*: the
sentence around it is the speaker's ("Barrack said there were "ongoing discussions""). A sentence *reads alone* unless its subject points back to an earlier
one ("He then took the step", "That acquisition also led to …") or it opens with a link
back ("Since then, …").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..models import Article
from ..settings import Settings
from ..store import Store

KINDS = ("claim", "anchored", "plan", "hedged", "scene", "fragment")
_FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
_HEDGING_MODALS = {"could", "might", "may", "would", "should", "ca"}
_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
# Main verbs that put their complement ahead ("is set to meet", "plans to visit").
_PLANNING = {"set", "schedule", "plan", "due", "slate", "expect", "intend", "poise", "aim"}
_APPEARING = {"appear", "seem"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
_PERSONAL = {"he", "she", "it", "they", "him", "her", "them"}
_FIRST_SECOND = {"i", "we", "you"}
_POINTING_BACK = {"this", "that", "these", "those", "such"}
# Openings that continue an earlier sentence's account.
_LINKS_BACK = ("since then", "then ", "after that", "by then", "at the time", "as a result")
# Nouns that name people or institutions, which act; agent suffixes ("-er", "-or", "-ist",
# "-ian") cover most others ("investigators", "manufacturer", "analysts" is listed).
_ACTOR_NOUNS = frozenset(
    [
        "official",
        "diplomat",
        "minister",
        "president",
        "leader",
        "government",
        "administration",
        "authority",
        "ministry",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "police",
        "army",
        "military",
        "troop",
        "force",
        "lawmaker",
        "congress",
        "parliament",
        "court",
        "judge",
        "prosecutor",
        "company",
        "firm",
        "people",
        "resident",
        "side",
        "ally",
        "country",
        "nation",
        "state",
        "agency",
        "party",
        "group",
        "rebel",
        "militant",
        "protester",
        "voter",
        "senator",
        "envoy",
        "ambassador",
        "delegation",
        "team",
        "committee",
        "council",
        "board",
        "union",
        "analyst",
        "expert",
        "source",
        "chancellor",
        "premier",
        "king",
        "queen",
        "prince",
        "general",
        "commander",
        "coalition",
        "alliance",
        "bank",
        "cabinet",
        "regime",
        "embassy",
        "office",
        "department",
        "service",
        "navy",
        "airline",
        "family",
        "victim",
    ]
)
_AGENT_SUFFIXES = ("er", "or", "ist", "ian")
_ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}


def assertion_kind(
    span: Any, actors: Iterable[tuple[int, int]] = (), anchored: bool = False
) -> str:
    """The kind of the sentence `span` (a spaCy Span). `actors`: character spans of the
    article's entity mentions; `anchored`: the sentence gives a date or a figure."""
    finite = any(t.tag_ in _FINITE_TAGS for t in span)
    # The tagger reads some finite verbs as participles ("These measures, introduced in
    # 2020, targeted …"): a dated sentence with a verb is no heading.
    if not finite and not (anchored and any(t.pos_ == "VERB" for t in span)):
        return "fragment"
    text = span.text.strip()
    root = span.root
    if text.endswith("?") or _hedged(root, span):
        return "hedged"
    acted = _acted(root, actors)
    if text.endswith(":") or not (anchored or acted):
        return "scene"  # a list's lead-in, or framing with no one acting
    if _planned(root):
        return "plan"
    # A date or figure makes it checkable even when no one acts in the main clause ("The
    # discussions mark the clearest sign yet … since the sanctions of 2020"), but such a
    # sentence tells its happening less well than one whose actor acts.
    return "claim" if acted else "anchored"


def speech_kind(span: Any) -> str:
    """A piece of reported speech is a position ("claim") unless it has no finite verb."""
    return "claim" if any(t.tag_ in _FINITE_TAGS for t in span) else "fragment"


def _cue_is_root(doc: Any, speech: Any, cue_start: int | None) -> bool:
    """Is the verb that attributes a piece of speech its sentence's main verb ("Barrack said
    there were "ongoing discussions …"")? Then the whole sentence is the speaker's."""
    if cue_start is None:
        return False
    cue = doc.char_span(cue_start, cue_start + 1, alignment_mode="expand")
    return cue is not None and len(cue) > 0 and cue[0].i == speech.sent.root.i


def reads_alone(span: Any) -> bool:
    """Does the sentence make sense without the one before it?"""
    lowered = span.text.lstrip(" \"'“‘").lower()
    if lowered.startswith(_LINKS_BACK):
        return False
    root = span.root
    # A verbless sentence is its own subject ("These measures, introduced in 2020, …").
    subject = _subject(root) if root.pos_ in ("VERB", "AUX") else root
    if subject is None:
        return True
    if subject.lower_ in _PERSONAL:
        return False
    return not any(c.dep_ == "det" and c.lower_ in _POINTING_BACK for c in subject.children)


def _hedged(root: Any, span: Any) -> bool:
    auxes = {c.lower_ for c in root.children if c.dep_ in ("aux", "auxpass")}
    if auxes & _HEDGING_MODALS or root.lemma_.lower() in _APPEARING:
        return True
    first = span[0].lower_ if len(span) else ""
    conditional = any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "if" for m in c.children)
        for c in root.children
    )
    return conditional or first == "if"


def _planned(root: Any) -> bool:
    auxes = {c.lower_ for c in root.children if c.dep_ in ("aux", "auxpass")}
    if auxes & _FUTURE_AUX:
        return True
    return root.lemma_.lower() in _PLANNING and any(c.dep_ == "xcomp" for c in root.children)


def _subject(root: Any) -> Any | None:
    return next((c for c in root.children if c.dep_ in _SUBJECTS), None)


def _acted(root: Any, actors: Iterable[tuple[int, int]]) -> bool:
    """Is the main clause's subject (or, passive, its agent) someone who acts?"""
    subject = _subject(root)
    if subject is None:
        return False
    heads = [subject, *(c for c in subject.children if c.dep_ == "conj")]
    return any(_is_actor(h, actors) for h in heads)


def _is_actor(token: Any, actors: Iterable[tuple[int, int]]) -> bool:
    lowered = token.lower_
    if lowered in _PERSONAL or lowered in _FIRST_SECOND:
        return True
    if token.pos_ == "PROPN" or token.ent_type_ in _ACTOR_LABELS:
        return True
    if any(start <= token.idx < end for start, end in actors):
        return True
    lemma = token.lemma_.lower()
    return token.pos_ == "NOUN" and (
        lemma in _ACTOR_NOUNS or (len(lemma) > 5 and lemma.endswith(_AGENT_SUFFIXES))
    )


def annotate_assertions(store: Store, article: Article, doc: Any, settings: Settings) -> None:
    """Enrich annotator (after quotes, dates and figures, whose rows it reads): the kind of
    every sentence and every piece of reported speech, and whether the sentence reads alone."""
    actors = [
        (r[0], r[1])
        for r in store.query("SELECT start, end FROM mentions WHERE article_id = ?", (article.id,))
    ]
    anchors = [
        r[0]
        for r in store.query(
            "SELECT start FROM time_expressions WHERE article_id = ? AND resolved = 1"
            " AND kind IN ('date', 'time') UNION ALL"
            # a figure in digits or with a unit; "the two allies" anchors nothing
            " SELECT start FROM figures WHERE article_id = ?"
            " AND (text GLOB '*[0-9]*' OR unit IS NOT NULL)",
            (article.id, article.id),
        )
    ]
    rows = []
    for sentence in article.sentences:
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        anchored = any(sentence.start <= at < sentence.end for at in anchors)
        kind = assertion_kind(span, actors, anchored)
        rows.append((article.id, sentence.start, sentence.end, 0, kind, int(reads_alone(span))))
    for start, end, cue_start in store.query(
        "SELECT start, end, min(cue_start) FROM quotes WHERE article_id = ? GROUP BY start, end",
        (article.id,),
    ):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            kind = speech_kind(span)
            if kind == "fragment" and _cue_is_root(doc, span, cue_start):
                kind = "framed"
            rows.append((article.id, start, end, 1, kind, 1))
    store.execute("DELETE FROM assertions WHERE article_id = ?", (article.id,))
    store.executemany("INSERT OR REPLACE INTO assertions VALUES (?, ?, ?, ?, ?, ?)", rows)
