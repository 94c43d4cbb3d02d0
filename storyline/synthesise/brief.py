"""The briefing: extractive, sectioned, and every sentence cites the reports that state it.

Sentences are taken whole from the reports (the claim they belong to supplies every
report that states the same thing); claims already merge paraphrases, so choosing one
sentence per claim never repeats a meaning. A line someone said names them even when its
report named them a sentence earlier ("Name: ..." or the name for "she said"). Sections:
what happened, the latest, who said what, the timeline and contested points.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from ..models import Briefing, BriefSection, BriefSentence, Claim, TimelineEntry
from ..store import Store
from .claims import build_claims, first_per_source, positions, words
from .statements import story_scope
from .timeline import best_supported, build_timeline

WHAT_HAPPENED = 6
# A briefing is read in a minute: on a story of hundreds of events and conflicts, the
# largest events, the best supported timeline entries and the best supported conflicts
# (the full lists are `storyline timeline` and `storyline claims`).
WHAT_HAPPENED_MOST = 12
TIMELINE_MOST = 20
CONTESTED_MOST = 10
LATEST = 3
SPEAKERS = 5
PER_SPEAKER = 2
# A statement starting within this many characters of the body is in the report's lead.
_LEAD_CHARS = 400
_SPEECH_VERBS = (
    r"(?:said|says|added|adds|told|tells|noted|notes|wrote|writes|argued|argues|insisted|"
    r"insists|warned|warns|stressed|stresses|explained|explains|claimed|claims|replied|"
    r"replies|continued|continues|recalled|recalls|confirmed|confirms|stated|states)"
)
# "she said", "He added", "the source added": a report's pronoun or short description for a
# speaker it named in an earlier sentence, which a briefing line standing alone must
# replace with the name.
_PRONOUN_SPEAKER = re.compile(
    rf"\b(?:he|she|they|it|(?-i:the\s+[a-z]+))(?=\s+(?:also\s+)?{_SPEECH_VERBS}\b)", re.I
)
# Any attribution of the sentence's own ("the United States ambassador to Ankara said"):
# the line names no speaker twice.
_ATTRIBUTED = re.compile(rf"\b{_SPEECH_VERBS}\b|\baccording to\b", re.I)
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")  # the words of a quotation, not its attribution
_OPENING_QUOTES = "“"
_CLOSING_QUOTES = "”"
# How far past its sentence a line may run to close a quote the sentence opened.
_QUOTE_REACH = 400

Render = Callable[[Claim], BriefSentence]


def brief(
    store: Store,
    story: str | None = None,
    claims: Sequence[Claim] | None = None,
    timeline: Sequence[TimelineEntry] | None = None,
) -> Briefing:
    """The story's briefing. `claims` and `timeline`, when the caller has them already
    (the story page does), are reused rather than built again."""
    from ..cluster import list_events, list_stories

    article_ids = story_scope(store, story)
    scope = set(article_ids)
    if claims is None:
        claims = build_claims(store, story)
    texts = {a.id: a.text for a in store.articles(article_ids)}
    events = [e for e in list_events(store) if any(a in scope for a in e.articles)]
    used: set[str] = set()
    # Lines a reader can take alone: no sentence that needs the one before it ("Since
    # then, Ankara …").
    told = [c for c in claims if _reads_alone(store, c)]
    shown: set[tuple[str, ...]] = set()

    def render(claim: Claim) -> BriefSentence:
        return _line(store, claim, texts)

    sections = [
        BriefSection("What happened", _what_happened(told, events, texts, render, used)),
        BriefSection("The latest", _latest(told, events, texts, render, used)),
        BriefSection("Who said what", _who_said_what(told, render, used)),
        BriefSection("Timeline", _timeline(store, story, timeline)),
        BriefSection("Contested points", _contested(claims, render)),
    ]
    sections = [_unrepeated(section, shown) for section in sections[:3]] + sections[3:]
    title = None
    if story is not None:
        title = next(
            (s.title for s in list_stories(store) if s.id == story or s.id.startswith(story)), None
        )
    elif events:
        title = max(events, key=lambda e: len(e.articles)).title
    return Briefing(story, title, tuple(s for s in sections if s.sentences))


def _sentence(claim: Claim, texts: dict[str, str]) -> BriefSentence:
    """The claim's first statement as its report wrote the whole sentence."""
    first = claim.statements[0]
    text = _quoted_whole(texts[first.article], first.start, first.end)
    return _cited(text, claim, first.article, first.start)


def _cited(text: str, claim: Claim, article: str, start: int) -> BriefSentence:
    """A line taken from `article` at `start`, citing that report first, then the claim's
    other sources, each at the sentence that tells it."""
    others = [s for s in claim.sources if s != article]
    at = {a: where for a, where in claim.cited}
    cited = ((article, start), *((a, at[a]) for a in others if a in at))
    return BriefSentence(text, (article, *others), cited)


def _quoted_whole(text: str, start: int, end: int) -> str:
    """The sentence text[start:end], run on to the end of the sentence that closes a quote
    it opens ("… had “created a new atmosphere … in nearly a decade. We hope …”"), or closed
    with an ellipsis when the report never closes it nearby."""
    sentence = text[start:end]
    if sentence.count(_OPENING_QUOTES) <= sentence.count(_CLOSING_QUOTES):
        return sentence
    closing = text.find(_CLOSING_QUOTES, end, end + _QUOTE_REACH)
    if closing < 0:
        return sentence.rstrip(" .,;") + " …”"
    stop = re.search(r"[.!?](?=\s|$)|$", text[closing + 1 : closing + 1 + _QUOTE_REACH])
    finish = closing + 1 + (stop.end() if stop else 0)
    return " ".join(text[start:finish].split())


def _line(store: Store, claim: Claim, texts: dict[str, str]) -> BriefSentence:
    """The claim as a briefing line. A line held by a speaker names the speaker: a sentence
    that continues a quote ("Nobody told us ...") or says "she said" does not on its own,
    so the pronoun becomes the name, or the name leads the line ("Name: ...")."""
    if not claim.holder_name:
        return _sentence(claim, texts)
    holder = claim.holder
    said = [
        c for c in claim.statements if holder and _holds(store, holder, c.article, c.start, c.end)
    ]
    cited = (said or list(claim.statements))[0]
    text = _quoted_whole(texts[cited.article], cited.start, cited.end)
    if holder:
        named = _names(store, holder, cited.article, cited.start, cited.end)
    else:  # a speaker without an entity: named when the sentence has their words
        named = claim.holder_name.lower() in text.lower()
    if not named:
        renamed, found = _PRONOUN_SPEAKER.subn(claim.holder_name, text, count=1)
        if found:
            text = renamed
        elif not _ATTRIBUTED.search(_QUOTED.sub(" ", text)):  # attributed: not twice
            text = f"{claim.holder_name}: {text}"
    # The report the line is taken from is cited first.
    return _cited(text, claim, cited.article, cited.start)


def _reads_alone(store: Store, claim: Claim) -> bool:
    """Does the claim's sentence read without the one before it (enrich/assertions.py)?
    Articles enriched before this was judged count as reading alone."""
    first = claim.statements[0]
    rows = store.query(
        "SELECT alone FROM assertions WHERE article_id = ? AND start = ? AND end = ?"
        " AND speech = 0",
        (first.article, first.start, first.end),
    )
    return not rows or bool(rows[0][0])


def _unrepeated(section: BriefSection, shown: set[tuple[str, ...]]) -> BriefSection:
    """The section without the lines an earlier section showed."""
    kept = []
    for sentence in section.sentences:
        said = words(sentence.text)
        if said not in shown:
            shown.add(said)
            kept.append(sentence)
    return BriefSection(section.title, tuple(kept))


def _holds(store: Store, entity: str, article: str, start: int, end: int) -> bool:
    """Whether the entity speaks in that sentence (a quote of it starts there)."""
    return _starts_within(store, "quotes", entity, article, start, end)


def _names(store: Store, entity: str, article: str, start: int, end: int) -> bool:
    """Whether the sentence names the entity (mentions are names, never pronouns)."""
    return _starts_within(store, "mentions", entity, article, start, end)


def _starts_within(
    store: Store, table: str, entity: str, article: str, start: int, end: int
) -> bool:
    if table not in ("quotes", "mentions"):
        raise ValueError(table)
    rows = store.query(
        f"SELECT 1 FROM {table} WHERE article_id = ? AND entity_id = ? AND start >= ?"
        " AND start < ? LIMIT 1",
        (article, entity, start, end),
    )
    return bool(rows)


def _rank(claims: Sequence[Claim], texts: dict[str, str] | None = None) -> list[Claim]:
    """Best supported first; then, with the reports' texts, the one its report tells
    earlier (news is written most important first, asides last)."""
    return sorted(
        claims,
        key=lambda c: (
            -c.independent,
            -len(c.sources),
            _depth(c, texts) if texts else 0.0,
            c.first_published or "9999",
            c.id,
        ),
    )


def _depth(claim: Claim, texts: dict[str, str]) -> float:
    """How far into its report the claim's sentence lies, 0 (the top) to 1 (the end)."""
    first = claim.statements[0]
    return first.start / max(1, len(texts.get(first.article, "")))


def _newsworthy(claim: Claim, texts: dict[str, str]) -> tuple[float, float, str, str]:
    """Support first, then where reports put it: news writing leads with what happened and
    leaves asides to the end."""
    first = claim.statements[0]
    lead = 2.0 if first.start == 0 else 1.0 if first.start < _LEAD_CHARS else 0.0
    return (
        -(claim.independent + 0.25 * len(claim.sources) + lead),
        _depth(claim, texts),
        claim.first_published or "9999",
        claim.id,
    )


def _what_happened(
    claims: Sequence[Claim],
    events: Sequence[object],
    texts: dict[str, str],
    render: Render,
    used: set[str],
) -> tuple[BriefSentence, ...]:
    """The most newsworthy statements in the outlets' own voice, spread over the events."""
    # The outlets' own account: no speaker, or one the sentence itself names ("..., the
    # governor's office said"); a quote that needs its speaker added is someone's words.
    own = sorted(
        (
            c
            for c in claims
            if c.holder is None
            and c.kind != "plan"  # what was foretold is not what happened
            and render(c).text == _sentence(c, texts).text
        ),
        key=lambda c: _newsworthy(c, texts),
    )
    chosen: list[Claim] = []
    per_event = max(1, WHAT_HAPPENED // max(1, len(events)))
    # An article belongs to one event: each claim is listed under its first report's event
    # once, rather than every event scanning every claim.
    event_of = {a: i for i, e in enumerate(events) for a in getattr(e, "articles", ())}
    by_event: dict[int, list[Claim]] = {}
    for claim in own:
        where = event_of.get(claim.statements[0].article)
        if where is not None:
            by_event.setdefault(where, []).append(claim)
    largest_first = sorted(
        range(len(events)), key=lambda i: (-len(getattr(events[i], "articles", ())), i)
    )
    for number in largest_first:
        if len(chosen) >= WHAT_HAPPENED_MOST:
            break
        in_event = [c for c in by_event.get(number, []) if c.id not in used]
        for claim in in_event[:per_event]:
            chosen.append(claim)
            used.add(claim.id)
    for claim in own:  # fill up with the best remaining
        if len(chosen) >= WHAT_HAPPENED:
            break
        if claim.id not in used:
            chosen.append(claim)
            used.add(claim.id)
    chosen.sort(key=_told_order)
    return tuple(render(c) for c in chosen)


def _told_order(claim: Claim) -> tuple[str, str, int]:
    first = claim.statements[0]
    return (claim.first_published or "9999", first.article, first.start)


def _latest(
    claims: Sequence[Claim],
    events: Sequence[object],
    texts: dict[str, str],
    render: Render,
    used: set[str],
) -> tuple[BriefSentence, ...]:
    if not events:
        return ()
    # The latest-ending event; among undated ones the last founded (events are listed in
    # arrival order), which is all a reader can go by without dates.
    _, newest = max(
        enumerate(events), key=lambda pair: (getattr(pair[1], "end", None) or "", pair[0])
    )
    members = set(getattr(newest, "articles", ()))
    fresh = [
        c for c in _rank(claims, texts) if c.id not in used and c.statements[0].article in members
    ][:LATEST]
    used.update(c.id for c in fresh)
    return tuple(render(c) for c in sorted(fresh, key=_told_order))


def _who_said_what(
    claims: Sequence[Claim], render: Render, used: set[str]
) -> tuple[BriefSentence, ...]:
    found: list[BriefSentence] = []
    seen_sentences: set[str] = set()
    for held in list(positions(claims).values())[:SPEAKERS]:
        # What the sections above already show is not shown again.
        chosen = [c for c in _rank(held) if c.id not in used][:PER_SPEAKER]
        # In the order the reports tell them: a speaker is introduced before "she said".
        for claim in sorted(chosen, key=_told_order):
            sentence = render(claim)
            if sentence.text not in seen_sentences:
                seen_sentences.add(sentence.text)
                found.append(sentence)
                used.add(claim.id)
    return tuple(found)


def _timeline(
    store: Store, story: str | None, entries: Sequence[TimelineEntry] | None
) -> tuple[BriefSentence, ...]:
    if entries is None:
        entries = build_timeline(store, story)
    return tuple(
        BriefSentence(
            f"{readable_date(entry.date)}: {entry.text}",
            tuple(entry.sources),
            first_per_source(entry.sentences),
        )
        for entry in best_supported(entries, TIMELINE_MOST)
    )


_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn"}


def readable_date(value: str) -> str:
    """A timeline date as a reader says it: TIMEX codes ("2026-WI", "2026-Q1", "198")
    spelled out; calendar dates stay ISO. A winter begins the year it is filed under, so
    "2026-WI" is the winter of 2025–2026."""
    if len(value) == 3 and value.isdigit():
        return f"the {value}0s"
    year, _, code = value.partition("-")
    if not year.isdigit() or not code or code[0].isdigit():
        return value
    if code == "WI":
        return f"winter {int(year) - 1}–{year}"
    if code in _SEASONS:
        return f"{_SEASONS[code]} {year}"
    if code[0] == "Q" and code[1:].isdigit():
        return f"{code} {year}"
    return value


def _contested(claims: Sequence[Claim], render: Render) -> tuple[BriefSentence, ...]:
    """Each conflict as its two sides, one after the other. A pair is shown once, and a
    sentence once: a line already shown (a claim disputed twice) is not repeated, and a
    "conflict" whose two sides read the same is no dispute a reader can see."""
    by_id = {c.id: c for c in claims}
    found: list[BriefSentence] = []
    shown_pairs: set[tuple[str, str]] = set()
    shown_lines: set[tuple[str, ...]] = set()
    for claim in claims:
        for other_id in claim.conflicts:
            pair = (min(claim.id, other_id), max(claim.id, other_id))
            if pair in shown_pairs or other_id not in by_id or len(shown_pairs) >= CONTESTED_MOST:
                continue
            shown_pairs.add(pair)
            sides = [render(by_id[pair[0]]), render(by_id[pair[1]])]
            if words(sides[0].text) == words(sides[1].text):
                continue
            for side in sides:
                if words(side.text) not in shown_lines:
                    shown_lines.add(words(side.text))
                    found.append(side)
    return tuple(found)


def to_markdown(briefing: Briefing) -> str:
    lines = [f"# {briefing.title or 'Briefing'}", ""]
    for section in briefing.sections:
        lines += [f"## {section.title}", ""]
        lines += [f"- {s.text} [{', '.join(s.sources)}]" for s in section.sentences]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_html(briefing: Briefing) -> str:
    """A standalone page; all report text is escaped."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(briefing.title or 'Briefing')}</title></head><body>",
        f"<h1>{html.escape(briefing.title or 'Briefing')}</h1>",
    ]
    for section in briefing.sections:
        parts.append(f"<h2>{html.escape(section.title)}</h2><ul>")
        for sentence in section.sentences:
            cites = " ".join(
                f'<cite data-article="{html.escape(s)}">{html.escape(s)}</cite>'
                for s in sentence.sources
            )
            parts.append(
                f'<li>{html.escape(sentence.text)} <span class="sources">{cites}</span></li>'
            )
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
