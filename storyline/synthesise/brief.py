"""The briefing: extractive, sectioned, and every sentence cites the reports that state it.

Sentences are taken whole from the reports (the claim they belong to supplies every
report that states the same thing); claims already merge paraphrases, so choosing one
sentence per claim never repeats a meaning. Sections: what happened, the latest, who said
what, the timeline and contested points.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..models import Briefing, BriefSection, BriefSentence, Claim, TimelineEntry
from ..store import Store
from .claims import build_claims, positions
from .statements import story_scope

WHAT_HAPPENED = 6
LATEST = 3
SPEAKERS = 5
PER_SPEAKER = 2
# A statement starting within this many characters of the body is in the report's lead.
_LEAD_CHARS = 400


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
    sections = [
        BriefSection("What happened", _what_happened(claims, events, texts, used)),
        BriefSection("The latest", _latest(claims, events, texts, used)),
        BriefSection("Who said what", _who_said_what(claims, texts, used)),
        BriefSection("Timeline", _timeline(store, story, timeline)),
        BriefSection("Contested points", _contested(claims, texts)),
    ]
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
    return BriefSentence(texts[first.article][first.start : first.end], claim.sources)


def _rank(claims: Sequence[Claim]) -> list[Claim]:
    return sorted(
        claims, key=lambda c: (-c.independent, -len(c.sources), c.first_published or "9999", c.id)
    )


def _newsworthy(claim: Claim) -> tuple[float, str, str]:
    """Support first, then where reports put it: news writing leads with what happened."""
    first = claim.statements[0]
    lead = 2.0 if first.start == 0 else 1.0 if first.start < _LEAD_CHARS else 0.0
    return (
        -(claim.independent + 0.25 * len(claim.sources) + lead),
        claim.first_published or "9999",
        claim.id,
    )


def _what_happened(
    claims: Sequence[Claim], events: Sequence[object], texts: dict[str, str], used: set[str]
) -> tuple[BriefSentence, ...]:
    """The most newsworthy statements in the outlets' own voice, spread over the events."""
    own = sorted((c for c in claims if c.holder is None), key=_newsworthy)
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
    for number, _ in enumerate(events):
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
    chosen.sort(
        key=lambda c: (c.first_published or "9999", c.statements[0].article, c.statements[0].start)
    )
    return tuple(_sentence(c, texts) for c in chosen)


def _latest(
    claims: Sequence[Claim], events: Sequence[object], texts: dict[str, str], used: set[str]
) -> tuple[BriefSentence, ...]:
    if not events:
        return ()
    newest = max(events, key=lambda e: (getattr(e, "end", None) or "", getattr(e, "id", "")))
    members = set(getattr(newest, "articles", ()))
    fresh = [c for c in _rank(claims) if c.id not in used and c.statements[0].article in members][
        :LATEST
    ]
    used.update(c.id for c in fresh)
    return tuple(_sentence(c, texts) for c in fresh)


def _who_said_what(
    claims: Sequence[Claim], texts: dict[str, str], used: set[str]
) -> tuple[BriefSentence, ...]:
    found: list[BriefSentence] = []
    seen_sentences: set[str] = set()
    for held in list(positions(claims).values())[:SPEAKERS]:
        for claim in _rank(held)[:PER_SPEAKER]:
            sentence = _sentence(claim, texts)
            if sentence.text not in seen_sentences:
                seen_sentences.add(sentence.text)
                found.append(sentence)
                used.add(claim.id)
    return tuple(found)


def _timeline(
    store: Store, story: str | None, entries: Sequence[TimelineEntry] | None
) -> tuple[BriefSentence, ...]:
    if entries is None:
        try:
            from .timeline import build_timeline
        except ImportError:  # the timeline stage is optional for a briefing
            return ()
        entries = build_timeline(store, story)
    return tuple(
        BriefSentence(f"{entry.date}: {entry.text}", tuple(entry.sources)) for entry in entries
    )


def _contested(claims: Sequence[Claim], texts: dict[str, str]) -> tuple[BriefSentence, ...]:
    by_id = {c.id: c for c in claims}
    found: list[BriefSentence] = []
    shown: set[str] = set()
    for claim in claims:
        for other_id in claim.conflicts:
            pair = sorted((claim.id, other_id))
            key = "|".join(pair)
            if key in shown or other_id not in by_id:
                continue
            shown.add(key)
            found += [_sentence(by_id[pair[0]], texts), _sentence(by_id[pair[1]], texts)]
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
