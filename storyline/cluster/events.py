"""Streaming event clustering: each new article joins the best event or founds one.

Single pass, one article at a time, in arrival order: the article is compared with the
few candidate events the blocking index returns (flat cost per article), joins the best
if it is alike enough, and otherwise founds a new event, which links into the most alike
story or founds a new story. Ids come from the founding article, so they never change
as more articles arrive. At a few sizes an event takes a second look at its members and
splits off a half that reads as another happening (resplit.py); the founder's half keeps
the id. Stories get second looks too (relink.py): an event re-decides its story at a few
sizes, and a story at geometric sizes merges the stories that read as itself; a while
after each report arrived, a small story it left joins the established story it is a stray
of, and a report alone in its event re-decides its story. When a batch ends (`flush`), the
reports of each story it touched, on the days it touched, are grouped into events again
in one batch (regroup.py), so the events depend on the set of reports more than on the
order they came in; a regrouped event keeps the id of the old event it holds most of.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from . import cast, halves, regroup, relink, resplit, unchain
from .bags import Bag, add_bags, sum_bags
from .index import MAX_CANDIDATES, MAX_STORY_EVENTS, blocking_keys
from .scoring import (
    EVENT_DAYS,
    EVENT_THRESHOLD,
    STORY_DAYS,
    STORY_MERGE_THRESHOLD,
    STORY_THRESHOLD,
    Probe,
    Summary,
    time_penalties,
)
from .signals import ArticleSignals
from .state import SUMMARY_NAMES, SUMMARY_TERMS, ClusterState, empty_vector

if TYPE_CHECKING:
    from ..store import Store


@dataclass(frozen=True)
class Assignment:
    """Where one article went."""

    article_id: str
    event_id: str
    story_id: str
    score: float
    new_event: bool
    new_story: bool


def stable_id(kind: str, founder: str) -> str:
    return hashlib.sha256(f"{kind}:{founder}".encode()).hexdigest()[:12]


def grow(
    summary: Summary, member: Summary, term_of: Callable[[int], str], sign: int = 1
) -> Summary:
    """The summary with one member added (sign 1) or taken out (sign -1)."""
    days = [d for d in (summary.first_day, summary.last_day, member.first_day) if d is not None]
    return replace(
        summary,
        vector=summary.vector + sign * member.vector,
        terms=add_bags(summary.terms, member.terms, SUMMARY_TERMS, term_of, sign),
        names=add_bags(summary.names, member.names, SUMMARY_NAMES, term_of, sign),
        first_day=min(days) if days else None,
        last_day=max(days) if days else None,
        size=summary.size + sign,
    )


def merge_summaries(keep: Summary, other: Summary, term_of: Callable[[int], str]) -> Summary:
    """Two summaries as one (keeping the first's id)."""
    days = [d for d in (keep.first_day, keep.last_day, other.first_day, other.last_day) if d]
    return replace(
        keep,
        vector=keep.vector + other.vector,
        terms=add_bags(keep.terms, other.terms, SUMMARY_TERMS, term_of),
        names=add_bags(keep.names, other.names, SUMMARY_NAMES, term_of),
        first_day=min(days) if days else None,
        last_day=max(days) if days else None,
        size=keep.size + other.size,
    )


def summarise(
    summary_id: str, story: str, members: list[Summary], term_of: Callable[[int], str]
) -> Summary:
    """The summary of many members at once (their sum's heaviest terms, where growing one
    member at a time cuts to the heaviest after each): an event of article profiles, or a
    story of event summaries (its size the articles they hold)."""
    if not members:
        return empty_summary(summary_id, story)
    days = [d for m in members for d in (m.first_day, m.last_day) if d is not None]
    return Summary(
        summary_id,
        np.asarray(np.sum([m.vector for m in members], axis=0), dtype=np.float32),
        sum_bags([m.terms for m in members], SUMMARY_TERMS, term_of),
        sum_bags([m.names for m in members], SUMMARY_NAMES, term_of),
        min(days) if days else None,
        max(days) if days else None,
        sum(m.size for m in members),
        story,
    )


def empty_summary(summary_id: str, story: str = "") -> Summary:
    return Summary(summary_id, empty_vector(), Bag.empty(), Bag.empty(), None, None, 0, story)


class Clusterer:
    """Assigns articles to events and stories, reading and writing the store's cluster tables."""

    def __init__(self, store: Store) -> None:
        self.state = ClusterState(store)
        self._arrived: list[str] = []  # added since the last flush

    def __enter__(self) -> Clusterer:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is None:
            self.flush()

    def flush(self) -> None:
        """Group the stories the articles added since the last flush touched again, in one
        batch (regroup.py), and write the bookkeeping kept behind (ClusterState.flush):
        call it inside the transaction, before the commit, or leave a `with Clusterer(store)`
        block."""
        arrived, self._arrived = self._arrived, []
        touched = {
            story_id: article_ids
            for story_id, article_ids in self._stories_of(arrived).items()
            if not relink.corrected(self.state, story_id)
        }
        for story_id, article_ids in touched.items():
            self._regroup(story_id, article_ids)
        for story_id in touched:  # (regrouping moves no report to another story)
            self._unchain(story_id)
        self.state.flush()

    def add(self, article: ArticleSignals) -> Assignment:
        existing = self.state.event_of(article.article_id)
        if existing is not None:
            known = self.state.event(existing)
            story = known.story if known else ""
            return Assignment(article.article_id, existing, story, 1.0, False, False)
        self._rescue_strays()
        article = self.state.as_stored(article)
        profile = self.state.profile(article)
        keys = blocking_keys(article)
        blocked = self.state.best_blocked(keys, max(MAX_CANDIDATES, MAX_STORY_EVENTS))
        candidates = self.state.events(blocked[:MAX_CANDIDATES])
        with Probe(profile, self.state) as probe:
            texts = probe.text_similarities(candidates)
            scores = texts - time_penalties(profile, candidates, EVENT_DAYS)
            best, score = _best(candidates, scores)
            self.state.tick()
            if best is not None and score >= EVENT_THRESHOLD:
                event, title, new_story = best, self.state.title_of("events", best.id), False
            else:
                story, new_story = self._story_for(probe, candidates, texts, blocked)
                event = empty_summary(stable_id("event", article.article_id), story)
                title = article.title
        self.state.count_document(article)
        self.state.save_signals(article)
        event = grow(event, profile, self.state.term_of)
        self.state.write_event(event, title)
        self.state.attach(article.article_id, event.id)
        self.state.post(keys, event.id)
        story_summary = self.state.story(event.story) or empty_summary(event.story)
        story_title = self.state.title_of("stories", event.story) or title
        story_summary = grow(story_summary, profile, self.state.term_of)
        self.state.write_story(story_summary, story_title)
        new_event = event.size == 1
        self._arrived.append(article.article_id)
        if resplit.due(event.size, story_summary.size) and not resplit.corrected(self.state, event):
            event = self._resplit(event, article.article_id)
        event = self._rehome(event)
        story_id = self._relink(self.state.story(event.story) or story_summary)
        return Assignment(article.article_id, event.id, story_id, score, new_event, new_story)

    def _rehome(self, event: Summary, late: bool = False) -> Summary:
        """At a few sizes (or on the late look at a report, `late`), move the event into a
        story it reads as part of more clearly than its own (relink.py); returns the event
        afterwards."""
        due = late or event.size in relink.REHOME_SIZES
        target = relink.better_story(self.state, event) if due else None
        own = self.state.story(event.story)
        if target is None or own is None:
            return event
        moved = replace(event, story=target)
        self.state.write_event(moved, self.state.title_of("events", event.id))
        first, last = self.state.store.execute(
            "SELECT MIN(first_day), MAX(last_day) FROM events WHERE story = ?", (own.id,)
        ).fetchone()
        rest = relink.without(own, event, self.state.term_of)
        rest = replace(rest, first_day=first, last_day=last)  # the span of the events left
        if rest.size > 0:
            self.state.write_story(rest, self._first_title(own.id))
        else:
            self.state.delete_story(own.id)
            self.state.retire("stories", own.id, target)
        into = self.state.story(target) or empty_summary(target)
        title = self.state.title_of("stories", target)
        self.state.write_story(merge_summaries(into, event, self.state.term_of), title)
        return moved

    def _rescue_strays(self) -> None:
        """Join the small stories of the reports that arrived a while ago to the
        established story they are strays of (relink.py)."""
        for article_id in relink.arrived_before(self.state):
            event_id = self.state.event_of(article_id)
            event = self.state.event(event_id) if event_id else None
            small = self.state.story(event.story) if event else None
            target = relink.stray_home(self.state, small) if small else None
            if small is not None and target is not None:
                self._absorb(small, target)
            elif event is not None and event.size in relink.LATE_REHOME_SIZES:
                self._rehome(event, late=True)

    def _absorb(self, small: Summary, story_id: str) -> None:
        """Move every event of a small story into another story, which keeps its id."""
        into = self.state.story(story_id)
        if into is not None:
            self._merge_into(into, [small])

    def _first_title(self, story_id: str) -> str:
        """The title of a story's earliest-founded event (a story is titled from one)."""
        row = self.state.store.execute(
            "SELECT title FROM events WHERE story = ? ORDER BY rowid LIMIT 1", (story_id,)
        ).fetchone()
        return str(row[0]) if row else ""

    def _relink(self, story: Summary) -> str:
        """At a checkpoint size, merge the stories that read as this one (relink.py);
        returns the story's id afterwards."""
        if not relink.due(story.size) or relink.corrected(self.state, story.id):
            return story.id
        found = relink.mates(self.state, story)
        return self._merge_stories([story.id, *found]) if found else story.id

    def _resplit(self, event: Summary, article_id: str) -> Summary:
        """Split off the half of the event that reads as another happening (resplit.py);
        returns the event the article is in afterwards."""
        members = self.state.members(event.id)
        # The founder first (its half keeps the id), the rest by id: the split depends on
        # the set of members, not on their arrival order.
        ordered = members[:1] + sorted(members[1:])
        signals = self.state.signals(ordered)
        if len(signals) != len(ordered):
            return event  # a member's vector is missing (an old store): leave the event as is
        similarity = resplit.similarity_matrix(self.state, signals)
        other = halves.bisection(similarity, resplit.SPLIT_MIN_PART)
        if other is None:
            return event
        kept, split = self._carve(event, signals, other.tolist(), stable_id)
        return split if other[ordered.index(article_id)] else kept

    def _carve(
        self,
        event: Summary,
        signals: list[ArticleSignals],
        out: list[bool],
        new_id: Callable[[str, str], str],
    ) -> tuple[Summary, Summary]:
        """Cut an event in two: the members marked `out` (signals in the event's member
        order, founder first) become a new event, in the same story, with the id `new_id`
        gives for their earliest member and its title; the rest keep the event. Returns
        (kept, new)."""
        members = self.state.members(event.id)
        moved = [s for s, leaves in zip(signals, out, strict=True) if leaves]
        earliest = min(moved, key=lambda s: members.index(s.article_id))
        kept = empty_summary(event.id, event.story)
        split = empty_summary(new_id("event", earliest.article_id), event.story)
        for member, leaves in zip(signals, out, strict=True):
            if leaves:
                split = grow(split, self.state.profile(member), self.state.term_of)
            else:
                kept = grow(kept, self.state.profile(member), self.state.term_of)
        self.state.write_event(kept, self.state.title_of("events", event.id))
        self.state.write_event(split, earliest.title)
        for member in moved:
            self.state.reassign(member.article_id, split.id)
            self.state.post(blocking_keys(member), split.id)
        return kept, split

    def _stories_of(self, article_ids: list[str]) -> dict[str, list[str]]:
        """The articles by the story they are in now, stories in id order."""
        found: dict[str, list[str]] = {}
        for article_id in article_ids:
            event_id = self.state.event_of(article_id)
            event = self.state.event(event_id) if event_id else None
            if event is not None:
                found.setdefault(event.story, []).append(article_id)
        return dict(sorted(found.items()))

    def _regroup(self, story_id: str, arrived: list[str]) -> None:
        """Group the story's reports near the arrived ones into events again (regroup.py),
        when enough of them are new since its last regroup."""
        old = {e: set(self.state.members(e)) for e in self._events_near(story_id, arrived)}
        block = self.state.signals(sorted(set().union(*old.values())))
        if sum(map(len, old.values())) != len(block):
            return  # a member's vector is missing (an old store): leave the story as is
        arrival = self.state.arrival([s.article_id for s in block])
        since = self.state.looked_at("regrouped", story_id)
        if not regroup.due(len(block), sum(seq > since for seq in arrival.values())):
            return
        self.state.mark_looked("regrouped", story_id)
        new = [group for part in regroup.slices(block) for group in self._groups(part)]
        if sorted(map(sorted, new)) != sorted(map(sorted, old.values())):
            self._write_groups(story_id, old, new, {s.article_id: s for s in block}, arrival)

    def _groups(self, part: list[ArticleSignals]) -> list[set[str]]:
        labels = regroup.groups(self.state, part)
        return [
            {s.article_id for s, x in zip(part, labels, strict=True) if x == label}
            for label in sorted(set(labels))
        ]

    def _write_groups(
        self,
        story_id: str,
        old: dict[str, set[str]],
        new: list[set[str]],
        signals: dict[str, ArticleSignals],
        arrival: dict[str, int],
    ) -> None:
        """Replace the old events by the new groups: a group keeps the id (and the title,
        while its report is still in) of the old event it holds most of; the others take
        new ids and the title of their first report."""
        heirs = regroup.heirs(old, new)
        gone = sorted(set(old) - set(heirs))
        filed: dict[str, list[str] | None] = {
            e: [key for a in old[e] for key in blocking_keys(signals[a])] for e in gone
        }
        self.state.delete_events(filed)
        ids = []
        for group, heir in zip(new, heirs, strict=True):
            if heir is not None and group == old[heir]:
                ids.append(heir)
                continue  # this event is as it was
            members = sorted(group, key=lambda a: (arrival[a], a))
            event_id = heir or self._fresh_id("event", members[0])
            ids.append(event_id)
            title = self.state.title_of("events", event_id) if heir else ""
            if not any(signals[a].title == title for a in members):
                title = signals[members[0]].title
            profiles = [self.state.profile(signals[a]) for a in members]
            self.state.write_event(
                summarise(event_id, story_id, profiles, self.state.term_of), title
            )
            for article_id in sorted(group - (old[heir] if heir else set())):
                self.state.reassign(article_id, event_id)
                self.state.post(blocking_keys(signals[article_id]), event_id)
        for event_id in gone:
            if event_id not in ids:  # (a new group may take a gone id back)
                share = [(-len(old[event_id] & g), i) for g, i in zip(new, ids, strict=True)]
                self.state.retire("events", event_id, min(share)[1])

    def _unchain(self, story_id: str) -> None:
        """Cut the story where its events fall apart (unchain.py), when enough of its
        reports are new since its last look."""
        story, event_ids = self.state.story(story_id), self.state.story_events(story_id)
        since = self.state.looked_at("unchained", story_id)
        if story is None or not unchain.due(
            story.size, len(event_ids), self.state.pending_since(story_id, since)
        ):
            return
        self.state.mark_looked("unchained", story_id)
        events = self.state.events(event_ids)
        parts = unchain.parts(unchain.similarity(self.state, events), [e.size for e in events])
        reports = [self._member_profiles(e) for e in events]
        labels = cast.divide(self.state, events, parts, reports, self.state.term_of)
        if max(labels) > max(parts):  # cut by cast: reports of the other cast leave their events
            events, labels = self._sort_reports(events, labels)
        if max(labels) > 0:
            self._write_parts(story_id, events, labels)

    def _member_profiles(self, event: Summary) -> list[Summary]:
        """The profiles of an event's reports (those whose signals are stored)."""
        return [self.state.profile(s) for s in self.state.signals(self.state.members(event.id))]

    def _sort_reports(
        self, events: list[Summary], labels: list[int]
    ) -> tuple[list[Summary], list[int]]:
        """After a cut by cast, the reports of an event that are clearly about another
        part's cast (cast.leaving) leave it for a new event in that part (a Syrian protest
        report joined to a Libyan one of the same day goes to the Syria story). Returns the
        events, and a part number per event, with the new events added."""
        casts = cast.part_casts(self.state, events, labels, self.state.term_of)
        events, labels = list(events), list(labels)
        for index in range(len(events)):
            event, part = events[index], labels[index]
            members = self.state.members(event.id)
            ordered = members[:1] + sorted(members[1:])
            signals = self.state.signals(ordered)
            if len(members) < 2 or len(signals) != len(members):
                continue
            profiles = [self.state.profile(s) for s in signals]
            targets = cast.leaving(self.state, profiles, casts, part, self.state.term_of)
            for target in sorted({t for t in targets if t is not None}):
                out = [t == target for t in targets]
                if all(out):
                    labels[index] = target  # every report is about the other part
                    break
                kept, new = self._carve(events[index], signals, out, self._fresh_id)
                signals = [s for s, leaves in zip(signals, out, strict=True) if not leaves]
                targets = [t for t, leaves in zip(targets, out, strict=True) if not leaves]
                events[index] = kept
                events.append(new)
                labels.append(target)
        return events, labels

    def _write_parts(self, story_id: str, events: list[Summary], labels: list[int]) -> None:
        """Make each part of a cut story a story: the part with most reports keeps the id
        (ties: the earlier part) and the title, unless the title names an event that left;
        the others take the id of their earliest report and their first event's title."""
        split = [
            [e for e, x in zip(events, labels, strict=True) if x == part]
            for part in range(max(labels) + 1)
        ]
        kept = min(range(len(split)), key=lambda p: (-sum(e.size for e in split[p]), p))
        title = self.state.title_of("stories", story_id)
        titles = [self.state.title_of("events", e.id) for e in events]
        elsewhere = {t for t, x in zip(titles, labels, strict=True) if x != kept}
        elsewhere -= {t for t, x in zip(titles, labels, strict=True) if x == kept}
        for number, part in enumerate(split):
            part_id = story_id if number == kept else self._fresh_story_id(part)
            self.state.assign_events([e.id for e in part], part_id)
            summary = summarise(part_id, "", part, self.state.term_of)
            keeps_title = number == kept and title not in elsewhere
            self.state.write_story(summary, title if keeps_title else self._first_title(part_id))

    def _fresh_story_id(self, events: list[Summary]) -> str:
        """The id of a story cut from another: founded by its earliest-clustered report."""
        firsts = [self.state.members(e.id)[0] for e in events]
        arrival = self.state.arrival(firsts)
        founder = min(firsts, key=lambda a: (arrival[a], a))
        return self._fresh_id("story", founder)

    def _events_near(self, story_id: str, arrived: list[str]) -> list[str]:
        """The story's events whose span comes within regroup.WINDOW_DAYS of the arrived
        articles' days, undated events too; when an arrived article is undated, the events
        holding one of the regroup.LARGEST articles clustered before the batch, or since."""
        days = [s.day for s in self.state.signals(arrived)]
        if not days or None in days:
            since = min(self.state.arrival(arrived).values()) - regroup.LARGEST
            rows = self.state.store.execute(
                "SELECT DISTINCT e.id FROM events e JOIN event_articles a ON a.event_id = e.id"
                " WHERE e.story = ? AND a.seq >= ? ORDER BY e.id",
                (story_id, since),
            )
            return [row[0] for row in rows]
        low = min(d for d in days if d is not None) - regroup.WINDOW_DAYS
        high = max(d for d in days if d is not None) + regroup.WINDOW_DAYS
        rows = self.state.store.execute(
            "SELECT id FROM events WHERE story = ? AND (first_day IS NULL"
            " OR (last_day >= ? AND first_day <= ?)) ORDER BY id",
            (story_id, low, high),
        )
        return [row[0] for row in rows]

    def _fresh_id(self, kind: str, founder: str) -> str:
        """The id of a new event or story ("event", "story") founded by this article, or a
        variant when it is taken."""
        taken = self.state.event if kind == "event" else self.state.story
        candidate, number = stable_id(kind, founder), 1
        while taken(candidate) is not None:
            candidate, number = stable_id(kind, f"{founder}/{number}"), number + 1
        return candidate

    def _story_for(
        self,
        probe: Probe,
        candidates: list[Summary],
        texts: np.ndarray,
        blocked: list[str],
    ) -> tuple[str, bool]:
        """The story a new event belongs to, or a new one.

        The stories of the best-blocked events compete; a story scores its summary's
        similarity or, when higher, that of its most alike blocked event (a long story's
        summary blurs, while one of its events may match closely), with the story time scale.
        """
        evidence: dict[str, float] = {}
        event_scores = texts - time_penalties(probe.article, candidates, STORY_DAYS)
        for event, score in zip(candidates, event_scores.tolist(), strict=True):
            evidence[event.story] = max(evidence.get(event.story, score), score)
        for story_id in self.state.stories_of(blocked[:MAX_STORY_EVENTS]):
            evidence.setdefault(story_id, float("-inf"))
        stories = [s for s in (self.state.story(i) for i in sorted(evidence)) if s is not None]
        story_scores = probe.similarities(stories, STORY_DAYS).tolist()
        for story, score in zip(stories, story_scores, strict=True):
            evidence[story.id] = max(evidence[story.id], score)
        ranked = sorted(evidence.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked or ranked[0][1] < STORY_THRESHOLD:
            return stable_id("story", probe.article.id), True
        # An analyst who moved or merged events drew a story's bounds: it is never merged
        # into another (nor another into it) on the stream's evidence.
        # Nor are two stories with distinct casts (cast.py), however alike their words.
        joined = [
            story
            for story, score in ranked
            if score >= STORY_MERGE_THRESHOLD and not relink.corrected(self.state, story)
        ]
        joined = joined[:1] + [s for s in joined[1:] if not self._distinct(joined[0], s)]
        if len(joined) > 1 and joined[0] == ranked[0][0]:
            return self._merge_stories(joined), False
        return ranked[0][0], False

    def _distinct(self, first: str, second: str) -> bool:
        """Whether two stories are about distinct casts (cast.py)."""
        one, two = self.state.story(first), self.state.story(second)
        return (
            one is not None
            and two is not None
            and cast.distinct(self.state, one, two, self.state.term_of)
        )

    def _merge_stories(self, story_ids: list[str]) -> str:
        """One new event close to several stories shows they are one: merge them into the
        oldest (first reports earliest; undated ones by id)."""
        stories = [s for s in (self.state.story(i) for i in story_ids) if s is not None]
        stories.sort(key=lambda s: (s.first_day is None, s.first_day or 0, s.id))
        return self._merge_into(stories[0], stories[1:])

    def _merge_into(self, keep: Summary, others: list[Summary]) -> str:
        """Move the events of other stories into one, which keeps its id and title."""
        title = self.state.title_of("stories", keep.id)
        for other in others:
            keep = merge_summaries(keep, other, self.state.term_of)
            self.state.move_events(other.id, keep.id)
            self.state.delete_story(other.id)
            self.state.retire("stories", other.id, keep.id)
        self.state.write_story(keep, title)
        return keep.id


def _best(candidates: list[Summary], scores: np.ndarray) -> tuple[Summary | None, float]:
    """The best-scoring candidate and its score (ties: the lower id)."""
    if not candidates:
        return None, float("-inf")
    top = float(scores.max())
    best = min(c.id for c, s in zip(candidates, scores.tolist(), strict=True) if s == top)
    return next(c for c in candidates if c.id == best), top
