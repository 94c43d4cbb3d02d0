"""Claims: statements grouped when they say the same thing, with support and conflicts.

Grouping reuses the sentence-paraphrase decision of the copy detector (dedup.paraphrase,
tuned on MRPC), so "the same meaning" is decided one way across storyline. Statements are
taken in publication order and each joins the claim of the earlier statement it
paraphrases most closely; candidates are the latest statements sharing its rare words (a
paraphrase names the same things), so the cost stays linear in the story's size. Support counts a copy or rewrite once
(dedup.independent_groups). Conflicts are our own rules: the same quantity given different
values by independent reports, or a statement and its negation in independent reports
(a refusal to answer, "would not say when …", is neither).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..dedup import independent_groups
from ..dedup.paraphrase import LexicalView, is_paraphrase, lexical_view, pair_features
from ..models import Citation, Claim, Figure, TimelineEntry
from ..store import Store
from .statements import Statement, statements, story_scope, vectors

# Units a report may attach to differently worded quantities ("cost" / "price").
_WORDED_UNITS = frozenset({"USD", "EUR", "GBP", "JPY", "money", "percent"})
# Below this cosine two statements are never the same claim (cheap pre-filter).
_MIN_COSINE = 0.5
# One speaker's two statements this close are one position said twice ("its removal is
# unjust" / "its expulsion was unjust and unlawful"), even where MRPC's stricter
# whole-sentence decision says no.
_SAME_HOLDER_COSINE = 0.55
# Closer than this, and sharing at least _SAME_HOLDER_WORDS content words, too: "its removal
# is unjust and illegal" / "its removal was unjust and detrimental to NATO unity" (0.49,
# removal + unjust), "will try to recover the cost" / "would seek to recover the full cost"
# (0.48, state + recover + cost). In the seeds and the example, one speaker's different
# positions at 0.40-0.47 share at most one content word.
_SAME_HOLDER_NEAR_COSINE = 0.45
_SAME_HOLDER_WORDS = 2
# Two actors' claims this close, sharing this many rare words, one denied and one asserted,
# are opposite positions on one question (see _position_conflicts).
_POSITION_COSINE = 0.35
_POSITION_WORDS = 2
# Statements this close whose polarity differs contradict each other.
_CONTRADICTION_COSINE = 0.75
# A statement and its denial repeat each other's words: their content words overlap (shared
# over the smaller set) at least this much. Hand-made denials ("ferries will keep running" /
# "did not confirm that ferries will keep running") score 1.0; the seeds' one negation
# "conflict", two US positions on the S-400 that do not contradict each other, 0.57.
_DENIAL_OVERLAP = 0.75
# Candidates per rare word: its latest users only, so a statement is compared with a bounded
# number of earlier ones however large the story (a claim many reports make stays reachable
# through its latest tellings). Measured on a 147-article Timeline17 story (11,196
# statements; /tmp stores of benchmarks/bench_serve.py): against no cap, 256 keeps 9,116 of
# 9,171 claims identical and 46 of the top 50, for 7.0 instead of 13.8 CPU s of claims;
# 64 kept only 28 of the top 50.
_RECENT_PER_WORD = 256
_NEGATION = re.compile(
    r"\b(?:not|never|no|none|nobody|neither|nor|without|cannot|denied|denies|deny|rejected|rejects)\b|n't\b",
    re.I,
)


# "would not say when …", "did not disclose whether …": a refusal to answer, which denies
# nothing, so its "not" does not make the statement a negation.
_NON_ANSWER = re.compile(
    r"(?:\bnot|n't|\bnever)\s+(?:\w+\s+)?(?:say|said|disclose|disclosed|reveal|revealed|"
    r"comment|specify|specified|explain|explained|confirm|confirmed)\s+"
    r"(?:when|whether|if|how|why|where|who|which|what)\b",
    re.I,
)


# Which telling a claim speaks with: one where someone acts, then a dated one, then a plan.
_KIND_RANK = {"claim": 0, "anchored": 1, "plan": 2}
# The attribution of reported speech, when it is a participle clause after a comma.
_PARTICIPLE_FRAME = re.compile(r",\s*((?:\w+ly\s+)?\w+ing\b[^,;]*)$")


@dataclass
class _Group:
    members: list[int] = field(default_factory=list)


def build_claims(
    store: Store, story: str | None = None, timeline: Sequence[TimelineEntry] | None = None
) -> list[Claim]:
    """The story's claims (all articles' when story is None), best supported first.
    `timeline`: the story's timeline, when the caller has it already."""
    article_ids = story_scope(store, story)
    found = statements(store, article_ids)
    order = sorted(range(len(found)), key=lambda i: _when(found[i]))
    vecs = vectors(store, found)
    views = [lexical_view(s.text) for s in found]
    figures = _figures(store, article_ids)
    measures = [_own_figures(s, figures) for s in found]
    polarity = _polarities(found)
    groups, contradictions = _group(order, found, vecs, views, measures, polarity)
    groups = _merge_dated_tellings(store, article_ids, found, groups, timeline)
    # Copies and rewrites share a group; computed once for the story, not per claim.
    source_group = {
        a: i for i, members in enumerate(independent_groups(store, article_ids)) for a in members
    }
    claims = [_claim(source_group, found, g, figures, vecs) for g in groups]
    ids = {i: claim.id for claim, g in zip(claims, groups, strict=True) for i in g.members}
    conflicts: dict[str, set[str]] = defaultdict(set)
    for a, b in contradictions:
        if _contradict_apart(found[a], found[b], source_group) and _same_words(views[a], views[b]):
            _link(conflicts, ids[a], ids[b])
    for a_id, b_id in _figure_conflicts(store, source_group, claims, found, vecs):
        _link(conflicts, a_id, b_id)
    sides = _sides(store, {c.holder for c in claims if c.holder})
    for a_id, b_id in _position_conflicts(groups, claims, found, vecs, views, polarity, sides):
        _link(conflicts, a_id, b_id)
    named = _holder_names(store)
    final = [
        Claim(
            c.id,
            c.text,
            c.holder,
            named.get(c.holder or "", c.holder_name),
            c.sources,
            c.independent,
            tuple(sorted(conflicts.get(c.id, ()))),
            c.statements,
            c.figures,
            c.first_published,
            c.kind,
            c.cited,
        )
        for c in claims
    ]
    return sorted(
        final, key=lambda c: (-c.independent, -len(c.sources), c.first_published or "9999", c.id)
    )


def _when(statement: Statement) -> tuple[str, int, int]:
    return (statement.published or "9999-99-99", statement.order, statement.start)


def _group(
    order: list[int],
    found: Sequence[Statement],
    vecs: np.ndarray,
    views: Sequence[LexicalView],
    measures: Sequence[Sequence[Figure]],
    polarity: Sequence[bool],
) -> tuple[list[_Group], list[tuple[int, int]]]:
    """Each statement, in publication order, joins the claim of the earlier statement it
    agrees with most closely, or starts a claim.

    Candidates are the earlier statements sharing one of its rarest words (a paraphrase
    names the same things); their cosines come from one matrix product, and they are
    looked at one by one from the closest down, so the costly lexical decision runs only
    until the first agreeing statement, whatever the story's size.
    """
    groups: list[_Group] = []
    group_of = np.full(len(found), -1, dtype=np.int64)
    postings: dict[str, list[int]] = defaultdict(list)
    document_frequency = Counter(w for v in views for w in v.content)
    contradictions: list[tuple[int, int]] = []
    # A statement worded exactly like an earlier one by the same holder (a copied report)
    # joins that one's claim directly: it is its own closest paraphrase.
    said_before: dict[tuple[str, str | None, bool], int] = {}
    for index in order:
        wording = (found[index].text, found[index].holder, polarity[index])
        twin = said_before.get(wording)
        if twin is not None:
            groups[twin].members.append(index)
            group_of[index] = twin
            continue
        keys = _rare_words(views[index], document_frequency)
        best = _best_group(
            index, keys, postings, group_of, found, vecs, views, polarity, measures, contradictions
        )
        if best < 0:
            best = len(groups)
            groups.append(_Group())
        groups[best].members.append(index)
        group_of[index] = best
        said_before[wording] = best
        for word in views[index].content:
            postings[word].append(index)
    return groups, contradictions


def _best_group(
    index: int,
    keys: Sequence[str],
    postings: dict[str, list[int]],
    group_of: np.ndarray,
    found: Sequence[Statement],
    vecs: np.ndarray,
    views: Sequence[LexicalView],
    polarity: Sequence[bool],
    measures: Sequence[Sequence[Figure]],
    contradictions: list[tuple[int, int]],
) -> int:
    """The claim of the closest candidate the statement agrees with (-1 for none). Closer
    candidates of the opposite polarity (0.75 or more) are recorded as contradictions.
    Two named speakers make two claims however alike their words, and so do statements
    giving different values in one unit ("almost a metre" / "three metres")."""
    lists = [postings[w][-_RECENT_PER_WORD:] for w in keys if w in postings]
    if not lists:
        return -1
    candidates = np.unique(
        np.fromiter(
            itertools.chain.from_iterable(lists), dtype=np.int64, count=sum(map(len, lists))
        )
    )
    cosines = vecs[candidates] @ vecs[index]
    close = np.flatnonzero(cosines >= min(_MIN_COSINE, _SAME_HOLDER_NEAR_COSINE))
    members, near, owners = candidates[close], cosines[close], group_of[candidates[close]]
    # Closest first; among equal cosines the older claim, then the earlier statement.
    ranked = np.lexsort((members, owners, -near))
    chosen = -1
    for cosine, group, member in zip(
        near[ranked].tolist(), owners[ranked].tolist(), members[ranked].tolist(), strict=True
    ):
        if polarity[index] != polarity[member]:
            if cosine >= _CONTRADICTION_COSINE and group != chosen:
                contradictions.append((member, index))
            continue
        if chosen >= 0:
            if cosine < _CONTRADICTION_COSINE:
                break  # nothing further can be a contradiction
            continue
        holders = {found[index].holder, found[member].holder}
        same_holder = found[index].holder is not None and len(holders) == 1
        if None not in holders and not same_holder:
            continue
        if _measures_differ(measures[index], measures[member]):
            continue
        if (same_holder and _one_position(cosine, views[index], views[member])) or (
            cosine >= _MIN_COSINE
            and is_paraphrase(pair_features(cosine, views[index], views[member]))
        ):
            chosen = group
    return chosen


def _merge_dated_tellings(
    store: Store,
    article_ids: Sequence[str],
    found: Sequence[Statement],
    groups: list[_Group],
    timeline: Sequence[TimelineEntry] | None,
) -> list[_Group]:
    """One claim for each happening the timeline merged across reports: the outlets'
    sentences that tell "removed from the programme in 2019" in other words (and that the
    sentence-paraphrase decision keeps apart) are one claim, as they are one timeline entry.

    A sentence telling several dated happenings counts for the one most reports tell (then
    the earliest): "removed … in 2019, a move that led to sanctions in 2020" is a telling of
    the removal. Only the outlets' own sentences take part; what a speaker says stays theirs.
    """
    from .timeline import build_timeline

    if timeline is None:
        timeline = build_timeline(store, articles=article_ids)
    entries = [e for e in timeline if len(e.sources) > 1]
    told_by: dict[tuple[str, int], tuple[int, str, int]] = {}
    for rank, entry in enumerate(entries):
        weight = (-len(entry.sources), entry.date, rank)
        for article, start, _ in entry.sentences:
            if (article, start) not in told_by or weight < told_by[(article, start)]:
                told_by[(article, start)] = weight
    group_of = {i: g for g, group in enumerate(groups) for i in group.members}
    joined: dict[int, int] = {}  # entry rank -> the group that holds its tellings
    into = list(range(len(groups)))
    for group_number, group in enumerate(groups):
        for index in group.members:
            statement = found[index]
            told = told_by.get((statement.article, statement.start))
            if told is None or statement.holder is not None or statement.text != statement.sentence:
                continue
            target = joined.setdefault(told[2], _root(into, group_of[index]))
            _union(into, target, group_number)
    merged: dict[int, _Group] = {}
    for group_number, group in enumerate(groups):
        merged.setdefault(_root(into, group_number), _Group()).members.extend(group.members)
    return [_Group(sorted(g.members, key=lambda i: _when(found[i]))) for g in merged.values()]


def _lead(group: _Group, found: Sequence[Statement], vecs: np.ndarray) -> int:
    """The statement a claim speaks with: a telling that reads alone and reports rather
    than foretells ("That acquisition also led to …" needs the sentence before it); of
    those, the one closest to what all its tellings say (the medoid), then the first."""
    members = group.members
    if len(members) > 2:
        centre = vecs[members].sum(axis=0)
        closeness = (vecs[members] @ centre).tolist()
    else:
        closeness = [0.0] * len(members)
    best = min(
        range(len(members)),
        key=lambda k: (
            not found[members[k]].alone,
            _KIND_RANK.get(found[members[k]].kind, 1),
            -round(closeness[k], 6),
            k,
        ),
    )
    return members[best]


def _root(into: list[int], group: int) -> int:
    while into[group] != group:
        into[group] = into[into[group]]
        group = into[group]
    return group


def _union(into: list[int], first: int, second: int) -> None:
    a, b = _root(into, first), _root(into, second)
    if a != b:
        into[max(a, b)] = min(a, b)


def _position_conflicts(
    groups: Sequence[_Group],
    claims: Sequence[Claim],
    found: Sequence[Statement],
    vecs: np.ndarray,
    views: Sequence[LexicalView],
    polarity: Sequence[bool],
    sides: dict[str, str],
) -> list[tuple[str, str]]:
    """Two actors on opposite sides of one question: one asserts, the other denies, about
    the same things ("the S-400s would not be linked to NATO systems and do not threaten
    allied security", held by Turkey / "posed risks to … NATO defence infrastructure",
    held by the United States).

    Both claims are held by actors of different sides (`_sides`: the United States and
    its ambassador are one side); they share at least _POSITION_WORDS content words that
    few of the story's statements use (the things the question is about, not the story's
    names) and are at least _POSITION_COSINE close; the one's statement is negated and the
    other's not.
    """
    held = [
        (number, _lead(group, found, vecs))
        for number, (group, claim) in enumerate(zip(groups, claims, strict=True))
        if claim.holder in sides
    ]
    if len(held) < 2:
        return []
    leads = [lead for _, lead in held]
    rows = vecs[leads]
    frequency = Counter(w for v in views for w in v.content)
    common = max(2, len(found) // 4)  # words a quarter of the statements use name no issue
    pairs: list[tuple[str, str]] = []
    for block in range(0, len(leads), 1024):
        cosines = rows[block : block + 1024] @ rows.T
        for i, j in zip(*np.nonzero(cosines >= _POSITION_COSINE), strict=True):
            a, b = block + int(i), int(j)
            first, second = claims[held[a][0]], claims[held[b][0]]
            if b <= a or sides[first.holder or ""] == sides[second.holder or ""]:
                continue
            x, y = leads[a], leads[b]
            if polarity[x] == polarity[y]:
                continue
            shared = [
                w
                for w in views[x].content & views[y].content
                if len(w) > 2 and frequency[w] <= common
            ]
            if len(shared) >= _POSITION_WORDS:
                pairs.append((first.id, second.id))
    return pairs


def _one_position(cosine: float, first: LexicalView, second: LexicalView) -> bool:
    """Do two statements of one speaker say the same thing?"""
    return cosine >= _SAME_HOLDER_COSINE or (
        cosine >= _SAME_HOLDER_NEAR_COSINE
        and len(first.content & second.content) >= _SAME_HOLDER_WORDS
    )


def _own_figures(
    statement: Statement, figures: dict[tuple[str, int], list[Figure]]
) -> list[Figure]:
    """The figures of the statement's sentence that its own words give."""
    return [
        f for f in figures.get((statement.article, statement.start), []) if f.text in statement.text
    ]


def _measures_differ(first: Sequence[Figure], second: Sequence[Figure]) -> bool:
    """Do two statements give different values in a unit both use?"""
    return any(
        a.unit is not None and a.unit == b.unit and _values_differ(a, b)
        for a in first
        for b in second
    )


def _rare_words(view: LexicalView, frequency: Counter[str], keep: int = 8) -> list[str]:
    words = sorted((w for w in view.content if len(w) > 2), key=lambda w: (frequency[w], w))
    return words[:keep]


def _negated(text: str) -> bool:
    return bool(_NEGATION.search(_NON_ANSWER.sub(" ", text)))


def _polarities(found: Sequence[Statement]) -> list[bool]:
    """Each statement's polarity: True when asserted, False when denied.

    For reported speech the frame counts too: "did not confirm that X" and "denied that X"
    deny X even though X itself is positive. The frame is the statement's own attribution
    only, the words between the previous statement of its sentence and itself (or, for a
    quote that opens the sentence, the words after it): in "said X, but would not say Y"
    the "not" frames Y, never X.
    """
    in_sentence: dict[tuple[str, int], list[int]] = defaultdict(list)
    for index, statement in enumerate(found):
        in_sentence[(statement.article, statement.start)].append(index)
    polarity = [True] * len(found)
    for members in in_sentence.values():
        placed = sorted((found[i].sentence.find(found[i].text), i) for i in members)
        ends = [where + len(found[i].text) for where, i in placed]
        for rank, (_, index) in enumerate(placed):
            frame = _frame(found[index], rank, placed, ends)
            polarity[index] = _negated(found[index].text) == _negated(frame)
    return polarity


def _frame(statement: Statement, rank: int, placed: list[tuple[int, int]], ends: list[int]) -> str:
    """The attribution words of the `rank`th statement of a sentence; `placed` holds the
    sentence's statements as (offset in the sentence, index) in order, `ends` their ends."""
    where = placed[rank][0]
    if statement.sentence == statement.text:
        return ""
    if where < 0:  # not found word for word: the whole rest of the sentence frames it
        return statement.sentence.replace(statement.text, " ")
    previous_end = max((ends[r] for r in range(rank) if placed[r][0] >= 0), default=0)
    before = statement.sentence[min(previous_end, where) : where]
    # "Turkey has long rejected that position, arguing that X": the participle after the
    # last comma attributes X; the clause before it is about something else.
    participle = _PARTICIPLE_FRAME.search(before)
    if participle:
        before = participle.group(1)
    if len(before.strip(" ,;:\"'“”‘’")) >= 2:
        return before
    following = [w for w, _ in placed[rank + 1 :] if w > where]
    return statement.sentence[where + len(statement.text) : following[0] if following else None]


def _claim(
    source_group: dict[str, int],
    found: Sequence[Statement],
    group: _Group,
    figures: dict[tuple[str, int], list[Figure]],
    vecs: np.ndarray,
) -> Claim:
    lead = _lead(group, found, vecs)
    members = [found[lead], *(found[i] for i in group.members if i != lead)]
    first = members[0]
    sources = tuple(dict.fromkeys(m.article for m in members))
    holders = Counter(m.holder for m in members if m.holder)
    holder = min(holders, key=lambda h: (-holders[h], h)) if holders else None
    # A speaker the entity linker left unresolved still says it (holder None, named as the
    # report names them): the claim is not the outlet's own voice.
    holder_name = next(
        (m.holder_name for m in members if m.holder == holder and m.holder_name), None
    )
    digest = hashlib.sha256(f"{first.article}:{first.start}:{first.text}".encode()).hexdigest()[:10]
    own_figures = tuple(f for m in members for f in figures.get((m.article, m.start), []))
    return Claim(
        id=f"c{digest}",
        text=first.text,
        holder=holder,
        holder_name=holder_name,
        sources=sources,
        independent=len({source_group[s] for s in sources}),
        conflicts=(),
        statements=tuple(Citation(m.article, m.start, m.end) for m in members),
        figures=own_figures,
        first_published=min((m.published for m in members if m.published), default=None),
        kind="plan" if first.kind == "plan" else "claim",
        cited=first_per_source([(m.article, m.start, m.end) for m in members]),
    )


def _figures(store: Store, article_ids: Sequence[str]) -> dict[tuple[str, int], list[Figure]]:
    wanted = set(article_ids)
    by_sentence: dict[tuple[str, int], list[Figure]] = defaultdict(list)
    for row in store.query("SELECT * FROM figures ORDER BY article_id, start"):
        if row["article_id"] not in wanted:
            continue
        figure = Figure(
            text=row["text"],
            start=row["start"],
            end=row["end"],
            value=row["value"],
            unit=row["unit"],
            quantity=row["quantity"],
            bound=row["bound"],
            sentence_start=row["sentence_start"],
            sentence_end=row["sentence_end"],
            article=row["article_id"],
        )
        by_sentence[(row["article_id"], row["sentence_start"])].append(figure)
    return by_sentence


def _figure_conflicts(
    store: Store,
    source_group: dict[str, int],
    claims: Sequence[Claim],
    found: Sequence[Statement],
    vecs: np.ndarray,
) -> list[tuple[str, str]]:
    """Claims on one topic giving different values for one quantity at one moment.

    "One quantity": the same unit in statements about the same thing. Reports may word a
    sum or a share differently ("will cost $38 million" / "put the price at $45 million"),
    so for money and percentages the statements' closeness decides; other figures (counts,
    measures, spans of time) need the same counted noun or verb too. Statements whose
    sentences are dated to different moments ("dropped by a metre on Tuesday" / "by three
    metres by Thursday") report a change, not a dispute.
    """
    position = {(s.article, s.start): i for i, s in enumerate(found)}
    moments = _moments(store, found)
    entries = [
        (figure, claim.id, position[(figure.article or "", figure.sentence_start)])
        for claim in claims
        for figure in claim.figures
        if (figure.article or "", figure.sentence_start) in position
    ]
    by_unit: dict[str | None, list[int]] = defaultdict(list)
    for number, (figure, _, _) in enumerate(entries):
        by_unit[figure.unit].append(number)
    pairs: list[tuple[str, str]] = []
    for unit in sorted(by_unit, key=lambda u: u or ""):
        # Only figures of one unit can conflict; their statements' cosines come in one
        # matrix product per block, and only pairs close enough are checked one by one.
        members = by_unit[unit]
        rows = vecs[[entries[m][2] for m in members]]
        for block in range(0, len(members), 1024):
            cosines = rows[block : block + 1024] @ rows.T
            for i, j in zip(*np.nonzero(cosines >= _MIN_COSINE), strict=True):
                a, b = block + int(i), int(j)
                if b > a:
                    first, second = entries[members[a]], entries[members[b]]
                    if _same_moment(moments[first[2]], moments[second[2]]):
                        _figure_pair(first, second, float(cosines[i, j]), source_group, pairs)
    return pairs


def _figure_pair(
    first: tuple[Figure, str, int],
    second: tuple[Figure, str, int],
    cosine: float,
    source_group: dict[str, int],
    pairs: list[tuple[str, str]],
) -> None:
    (fa, ca, _), (fb, cb, _) = first, second
    if ca == cb or not _values_differ(fa, fb):
        return
    same_quantity = fa.quantity == fb.quantity
    if fa.unit not in _WORDED_UNITS and not same_quantity:
        return
    needed = _MIN_COSINE if same_quantity else _SAME_HOLDER_COSINE
    if cosine < needed:
        return
    if source_group.get(fa.article or "") != source_group.get(fb.article or ""):
        pairs.append((ca, cb))


def _moments(store: Store, found: Sequence[Statement]) -> list[frozenset[str]]:
    """The resolved dates each statement's sentence gives ("on Tuesday" → 2026-03-03)."""
    wanted = sorted({s.article for s in found})
    dated: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for begin in range(0, len(wanted), 500):  # the story's articles only, by primary key
        chunk = wanted[begin : begin + 500]
        for row in store.query(
            "SELECT article_id, start, value FROM time_expressions"
            f" WHERE article_id IN ({','.join('?' * len(chunk))})"
            " AND kind = 'date' AND resolved = 1 AND value IS NOT NULL",
            chunk,
        ):
            dated[row["article_id"]].append((row["start"], row["value"]))
    return [
        frozenset(v for at, v in dated.get(s.article, ()) if s.start <= at < s.end) for s in found
    ]


def _same_moment(first: frozenset[str], second: frozenset[str]) -> bool:
    """Could two statements speak of one moment? Yes unless both are dated and no date of
    one lies within a date of the other ("2026-03" holds "2026-03-03")."""
    if not first or not second:
        return True
    return any(a.startswith(b) or b.startswith(a) for a in first for b in second)


def _values_differ(a: Figure, b: Figure) -> bool:
    if a.bound or b.bound:  # "over 100" and "120" do not contradict each other
        low, high = sorted((a, b), key=lambda f: f.value)
        if low.bound in {"more", "least"} or high.bound == "less":
            return False
        if "approx" in (a.bound, b.bound):
            return abs(a.value - b.value) > 0.1 * max(abs(a.value), abs(b.value))
    return abs(a.value - b.value) > 1e-9 * max(1.0, abs(a.value))


def _contradict_apart(a: Statement, b: Statement, source_group: dict[str, int]) -> bool:
    """A contradiction needs two reports that are not copies or rewrites of each other (one
    report, or one report retold, does not dispute itself) and two different sentences."""
    return source_group.get(a.article) != source_group.get(b.article) and words(
        a.sentence or a.text
    ) != words(b.sentence or b.text)


def _same_words(a: LexicalView, b: LexicalView) -> bool:
    smaller = min(len(a.content), len(b.content))
    return smaller > 0 and len(a.content & b.content) / smaller >= _DENIAL_OVERLAP


def first_per_source(
    sentences: Sequence[tuple[str, int, int]],
) -> tuple[tuple[str, int], ...]:
    """(report, sentence start) of each report's first cited sentence: where a citation
    of that report opens it."""
    first: dict[str, tuple[str, int]] = {}
    for article, start, _ in sentences:
        first.setdefault(article, (article, start))
    return tuple(first.values())


def words(text: str) -> tuple[str, ...]:
    """A text's words, lower-cased: what two sentences that read the same share."""
    return tuple(re.findall(r"\w+", text.lower()))


def _link(conflicts: dict[str, set[str]], a: str, b: str) -> None:
    if a != b:
        conflicts[a].add(b)
        conflicts[b].add(a)


def _sides(store: Store, holders: set[str]) -> dict[str, str]:
    """Each holder's side, as a country entity id: a country is its own side, an
    organisation named with a demonym ("Turkish Foreign Ministry") is that country's, and a
    person is the side of the first country their titles name ("US Ambassador to Turkey
    Tom Barrack" → the United States). Holders with no country stay out."""
    countries = {r[0] for r in store.query("SELECT id FROM entities WHERE type = 'GPE'")}
    sides = {h: h for h in holders if h in countries}
    wanted = sorted(holders - countries)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for begin in range(0, len(wanted), 500):
        chunk = wanted[begin : begin + 500]
        marks = ",".join("?" * len(chunk))
        for holder, country in store.query(
            # A country named inside the holder's own mention (a demonym link), or inside
            # the title just before it, the first of them.
            "SELECT m.entity_id, (SELECT g.entity_id FROM mentions g"
            "   JOIN entities e ON e.id = g.entity_id AND e.type = 'GPE'"
            "   WHERE g.article_id = m.article_id"
            "   AND g.start >= m.start - length(coalesce(m.role, '')) - 1 AND g.end <= m.end"
            "   AND g.entity_id != m.entity_id ORDER BY g.start LIMIT 1)"
            f" FROM mentions m WHERE m.entity_id IN ({marks})",
            chunk,
        ):
            if country:
                votes[holder][country] += 1
    for holder, counted in votes.items():
        sides[holder] = min(counted, key=lambda c: (-counted[c], c))
    return sides


def _holder_names(store: Store) -> dict[str, str]:
    return {row[0]: row[1] for row in store.query("SELECT id, name FROM entities")}


def positions(claims: Sequence[Claim]) -> dict[str, list[Claim]]:
    """Each actor's claims (attributed ones only), actors with the most support first."""
    by_holder: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.holder:
            by_holder[claim.holder].append(claim)
    return dict(
        sorted(by_holder.items(), key=lambda kv: (-sum(c.independent for c in kv[1]), kv[0]))
    )
