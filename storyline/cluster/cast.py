"""A story's identity: who and where it is about (its cast), not only what kind of thing
happens in it.

Two uprisings in two countries in the same months share every topic word (protesters,
regime, forces, sanctions) and read alike to the embedding, so the text similarity the
stream links by welds them into one story. What tells them apart is their cast: the
people, places and organisations their reports name early (the names bag of
signals.py: entities of the title and lead first, without the dates), weighted by how
specific each is across the store (the clusterer's idf), so "Syria", "Assad" and
"Damascus" weigh and "U.S." or "U.N." barely do. A story keeps its cast as it grows (the
seeds' story gains Barrack and loses Rubio and still names Turkey, the F-35 and Erdogan),
while two stories of one kind share little of theirs.

So two established parts (SMALLEST_CAST_PART reports or more each) whose casts' cosine is under
SPLIT are two stories: they are never merged (relink.py, events.py), and a story that
holds two such parts is cut in two (`divide`, with unchain.py's second look). The parts
are found by spherical 2-means over the reports' casts (scikit-learn's KMeans, fixed
seed), so a few reports naming both countries cannot chain the two halves together as
they can under single linkage; each event goes with the half its reports are closer to,
and a report clearly about the other half's cast (`leaving`: a Syrian protest report
joined to a Libyan one of the same day) leaves its event for a new one there.

Our own rule: the libraries cluster, they do not decide whether two clusters are one story.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np
from scipy.sparse import csr_matrix

from .bags import Bag
from .scoring import Summary, Weighting
from .state import IDF_FLOOR

# Two parts whose casts' cosine is under this are two stories, and parts must hold SMALLEST_CAST_PART
# reports each before their casts are trusted. Timeline17, reports by gold topic: the two
# halves 2-means finds inside one topic have casts at cosine 0.55-0.84, two topics' casts
# 0.005-0.196 (LibyaWar and SyrianCrisis 0.067, Finan and bpoil 0.196). Chosen on half of
# the topics, checked on the other (benchmarks/tune_stories.py --grid; mean stories F1 of
# publication order and three shuffled orders; the side-by-side half holds LibyaWar,
# SyrianCrisis, MJ and haiti, the other Finan, H1N1 and bpoil): without the test 0.841 /
# 0.928; SPLIT 0.1 → 0.965 / 0.927-0.928, 0.15 and 0.2 → 0.965 / 0.950 at SMALLEST_CAST_PART 8 and
# 0.965 / 0.957 at 16, 0.25 → 0.965 / 0.940 at 8 (a cut inside Finan) and 0.965 / 0.957
# at 16. Tuned on the other half: (0.15, 16), 0.965 on the side-by-side half (its best);
# tuned on the side-by-side half, which ties from 0.1 to 0.25, the lowest point (0.1, 16)
# scores 0.928 on the other half (best 0.957). We take SMALLEST_CAST_PART 16 and the middle of the
# plateau both halves share at it (0.15-0.25), 0.2: the least fitted point.
SPLIT = 0.2
SMALLEST_CAST_PART = 16
# A report is about a cast when its own cast's cosine with it reaches this (related.py
# says how it was chosen); after a cut, a report leaves its event for another part's when
# it is about that part's cast, not about its own part's, and at least CLEARLY times as
# much about the other.
ABOUT = 0.2
CLEARLY = 2.0
# Added to the clusterer's idf (whose floor, state.IDF_FLOOR, is 0.1) for casts: the usual
# smoothed idf, 1 + ln(N / df), so a story's own core, named by every report of a store
# that holds little else, still weighs (at a floor of 0.1 a story whose minor names changed
# halfway read as two casts), while a name every story shares weighs least.
IDF_SHIFT = 1.0 - IDF_FLOOR
# Names that are dates ("@when 2011"), left out: concurrent stories share them.
_WHEN = "@when "


def cast(names: Bag, term_of: Callable[[int], str]) -> Bag:
    """The names of a bag that are people, places and organisations (no dates)."""
    keep = np.fromiter(
        (not term_of(int(i)).startswith(_WHEN) for i in names.ids), dtype=bool, count=len(names)
    )
    return Bag(names.ids[keep], names.weights[keep])


def cast_rows(
    weighting: Weighting,
    summaries: Sequence[Summary],
    term_of: Callable[[int], str],
    columns: np.ndarray | None = None,
) -> csr_matrix:
    """The summaries' casts as unit rows (name_rows)."""
    return name_rows(weighting, [s.names for s in summaries], term_of, columns)


def name_rows(
    weighting: Weighting,
    names: Sequence[Bag],
    term_of: Callable[[int], str],
    columns: np.ndarray | None = None,
) -> csr_matrix:
    """The casts of names bags as unit idf-weighted rows of one sparse matrix, a column per
    term id of `columns` (sorted; by default the ids the bags hold): rows made in two calls
    with the same columns can be multiplied. A row is scaled to unit length before the
    ids outside `columns` are left out."""
    bags = [cast(bag, term_of) for bag in names]
    ids = np.concatenate([bag.ids for bag in bags]) if bags else np.zeros(0, np.int64)
    weights = np.concatenate([bag.weights for bag in bags]) if bags else np.zeros(0)
    weights = weights * (weighting.idf(ids) + IDF_SHIFT) if ids.size else weights
    owner = np.repeat(np.arange(len(bags)), [len(bag) for bag in bags])
    norms = np.sqrt(np.bincount(owner, weights * weights, minlength=len(bags)))
    weights = weights / np.maximum(norms, 1e-12)[owner]
    columns = np.unique(ids) if columns is None else columns
    place = np.searchsorted(columns, ids)
    kept = place < columns.size
    kept[kept] = columns[place[kept]] == ids[kept]
    return csr_matrix(
        (weights[kept], (owner[kept], place[kept])), shape=(len(bags), max(1, columns.size))
    )


def cosine(
    weighting: Weighting, first: Summary, second: Summary, term_of: Callable[[int], str]
) -> float:
    """The cosine of two summaries' casts (0 when either names nobody)."""
    rows = cast_rows(weighting, [first, second], term_of)
    return float((rows[0] @ rows[1].T).toarray()[0, 0])


def distinct(
    weighting: Weighting, first: Summary, second: Summary, term_of: Callable[[int], str]
) -> bool:
    """Whether two established summaries (events or stories) are about different casts:
    then they are different stories, however alike their words."""
    if min(first.size, second.size) < SMALLEST_CAST_PART:
        return False
    rows = cast_rows(weighting, [first, second], term_of)
    if rows[0].nnz == 0 or rows[1].nnz == 0:
        return False  # one names nobody: nothing to judge by
    return float((rows[0] @ rows[1].T).toarray()[0, 0]) < SPLIT


def divide(
    weighting: Weighting,
    events: Sequence[Summary],
    labels: Sequence[int],
    reports: Sequence[Sequence[Summary]],
    term_of: Callable[[int], str],
) -> list[int]:
    """The parts (a number per event, as unchain.parts gives them), each cut in two again
    and again while its reports (`reports[i]`: event i's) fall in two established halves
    with distinct casts; each event goes with the half its reports' casts are closer to
    (a few reports of the other half in it leave it later: `leaving`). Parts renumbered in
    the order of their first event."""
    found = np.asarray(labels, dtype=np.int64).copy()
    flat = [r for group in reports for r in group]
    # Reports by id: 2-means then sees them in the same order whatever order they came in.
    order = np.argsort(np.array([r.id for r in flat], dtype=object), kind="stable")
    rows = cast_rows(weighting, [flat[i] for i in order], term_of)
    owner = np.repeat(np.arange(len(events)), [len(group) for group in reports])[order]
    pending = [np.flatnonzero(found == part) for part in sorted(set(found.tolist()))]
    next_label = int(found.max(initial=0)) + 1
    while pending:
        members = pending.pop()
        inside = np.isin(owner, members)
        other = _halves(rows[inside])
        if other is None:
            continue
        leaving = _events_of_half(rows[inside], owner[inside], other, members)
        if not leaving.any() or leaving.all():
            continue
        found[members[leaving]] = next_label
        next_label += 1
        pending += [members[~leaving], members[leaving]]
    first_seen = {part: n for n, part in enumerate(dict.fromkeys(found.tolist()))}
    return [first_seen[part] for part in found.tolist()]


def _halves(rows: csr_matrix) -> np.ndarray | None:
    """A boolean mask of one half of the reports, when 2-means finds two halves of
    SMALLEST_CAST_PART reports or more whose casts' cosine is under SPLIT; else None. Reports that
    name nobody are in neither half (they have no say)."""
    named = np.flatnonzero(np.asarray(rows.getnnz(axis=1)) > 0)
    if named.size < 2 * SMALLEST_CAST_PART:
        return None
    from sklearn.cluster import KMeans  # here: importing sklearn takes a second
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():  # reports all alike: one cluster, and no halves
        warnings.simplefilter("ignore", ConvergenceWarning)
        labels = KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(rows[named])
    half = labels.astype(bool)
    if min(half.sum(), (~half).sum()) < SMALLEST_CAST_PART:
        return None
    first = np.asarray(rows[named[~half]].sum(axis=0)).ravel()
    second = np.asarray(rows[named[half]].sum(axis=0)).ravel()
    if _cosine(first, second) >= SPLIT:
        return None
    mask = np.zeros(rows.shape[0], dtype=bool)
    mask[named[half]] = True
    return mask


def _events_of_half(
    rows: csr_matrix, owner: np.ndarray, half: np.ndarray, events: np.ndarray
) -> np.ndarray:
    """A boolean per event (of `events`): whether its reports' casts, summed, are closer to
    the half's cast than to the other half's."""
    halves = np.vstack([rows[~half].sum(axis=0), rows[half].sum(axis=0)])
    halves /= np.maximum(np.linalg.norm(halves, axis=1, keepdims=True), 1e-12)
    number = {event: n for n, event in enumerate(events.tolist())}
    sums = (
        csr_matrix(
            (np.ones(len(owner)), ([number[e] for e in owner.tolist()], np.arange(len(owner)))),
            shape=(len(events), len(owner)),
        )
        @ rows
    )
    closeness = np.asarray(sums @ halves.T)  # unnormalised: only which half is nearer counts
    return closeness[:, 1] > closeness[:, 0]


def _cosine(first: np.ndarray, second: np.ndarray) -> float:
    norms = float(np.linalg.norm(first) * np.linalg.norm(second))
    return float(first @ second) / norms if norms else 0.0


def part_casts(
    weighting: Weighting,
    events: Sequence[Summary],
    labels: Sequence[int],
    term_of: Callable[[int], str],
) -> tuple[np.ndarray, np.ndarray]:
    """Each part's cast (a row per part number): the sum of its events' unit cast rows,
    each weighted by its reports, scaled to unit length; and the term ids of its columns
    (for `leaving`)."""
    columns = np.unique(np.concatenate([cast(e.names, term_of).ids for e in events]))
    rows = cast_rows(weighting, events, term_of, columns)
    sizes = np.array([e.size for e in events], dtype=np.float64)
    owner = csr_matrix(
        (sizes, (np.asarray(labels), np.arange(len(events)))),
        shape=(max(labels) + 1, len(events)),
    )
    total = np.asarray((owner @ rows).todense())
    return total / np.maximum(np.linalg.norm(total, axis=1, keepdims=True), 1e-12), columns


def leaving(
    weighting: Weighting,
    reports: Sequence[Summary],
    casts: tuple[np.ndarray, np.ndarray],
    part: int,
    term_of: Callable[[int], str],
) -> list[int | None]:
    """For each report of an event in `part`, the other part whose cast it is clearly
    about (ABOUT or more, under ABOUT with its own part's, and CLEARLY times as much), or
    None. `casts` are part_casts' rows and columns."""
    parts, columns = casts
    about = np.asarray(cast_rows(weighting, reports, term_of, columns) @ parts.T)
    found: list[int | None] = []
    for row in about:
        own, others = row[part], row.copy()
        others[part] = -np.inf
        best = int(np.argmax(others))
        clear = others[best] >= ABOUT and own < ABOUT and others[best] >= CLEARLY * own
        found.append(best if clear else None)
    return found
