"""Claims, figures and positions on the seeds, and conflicts on hand-made reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import Storyline
from storyline.models import Claim


def _by_text(claims: list[Claim], *words: str) -> list[Claim]:
    return [c for c in claims if all(w.lower() in c.text.lower() for w in words)]


def test_a_rewrite_never_counts_as_an_independent_source(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded
    claims = storyline.claims()
    shared = [c for c in claims if {ids["000"], ids["001"]} <= set(c.sources)]
    assert len(shared) >= 5, "the rewrite restates most of the original"
    for claim in claims:
        others = set(claim.sources) - {ids["001"]}
        if ids["001"] in claim.sources and ids["000"] in claim.sources:
            assert claim.independent == len(others)
        assert claim.independent <= len(claim.sources)


def test_turkey_holds_that_its_removal_was_unjust(seeded: tuple[Storyline, dict[str, str]]) -> None:
    storyline, ids = seeded
    claims = storyline.claims()
    turkey = next(e for e in storyline.entities() if e.name == "Turkey")
    unjust = [
        c for c in claims if c.holder == turkey.id and ("unjust" in c.text or "unfair" in c.text)
    ]
    sources = {s for c in unjust for s in c.sources}
    assert {ids["000"], ids["001"], ids["003"]} <= sources
    assert any(
        len(set(c.sources) & {ids["000"], ids["003"]}) == 2 and c.independent >= 2 for c in unjust
    )
    # EXPECTED.md: 000, 001, 002 and 003; 001 is 000's rewrite, so three independent.
    everyone = {ids[n] for n in ("000", "001", "002", "003")}
    assert any(everyone <= set(c.sources) and c.independent == 3 for c in unjust)
    positions = storyline.positions()
    assert turkey.id in positions


def test_the_united_states_holds_that_the_s400_is_a_risk(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded
    united_states = next(e for e in storyline.entities() if e.name == "United States")
    held = [c for c in storyline.claims() if c.holder == united_states.id]
    # 002 "which Washington argued posed a security risk", 003 "a move Washington said posed
    # risks"; 004's officials "worried that" the S-400 could gather data on the F-35.
    assert any(
        "risk" in c.text and {ids["002"], ids["003"]} <= set(c.sources) and c.independent == 2
        for c in held
    )
    assert any(ids["004"] in c.sources and "gather data" in c.text for c in held)


def test_figures_with_what_they_quantify(seeded: tuple[Storyline, dict[str, str]]) -> None:
    storyline, ids = seeded
    figures = {(f.article, f.text): f for c in storyline.claims() for f in c.figures}
    invested = figures[(ids["004"], "$1.4 billion")]
    assert (invested.value, invested.unit, invested.quantity) == (1.4e9, "USD", "invest")
    jets = next(f for (a, text), f in figures.items() if a == ids["002"] and "100" in text)
    assert (jets.value, jets.quantity, jets.bound) == (100, "jet", "more")
    ruled = figures[(ids["004"], "22 years")]
    assert (ruled.value, ruled.unit, ruled.quantity) == (22, "year", "rule")
    # Model names are not counts.
    assert not [f for (_, text), f in figures.items() if text in {"400", "35"}]


def test_every_claim_cites_sentences_of_its_sources(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, _ = seeded
    for claim in storyline.claims():
        assert {c.article for c in claim.statements} == set(claim.sources)
        for citation in claim.statements:
            article = storyline.article(citation.article)
            assert any(
                s.start == citation.start and s.end == citation.end for s in article.sentences
            )


REPORTS = {
    "times.md": """---
title: Breakwater repairs priced
outlet: Harbour Times
published: 2026-02-02
---
Repairs to the northern breakwater will cost $38 million, the harbour authority said on Monday.
Engineers found that storms in January had washed away a large part of the outer wall.
The port director confirmed that ferries will keep running during the work.
Fishermen have asked for a temporary mooring inside the old dock while the crews are there.
The breakwater was built in 1962 and last strengthened two decades ago.
A councillor from the island ward wants the authority to publish the engineers' full report.
Tourist boats will move to the southern pier from April until the end of the summer.
""",
    "radio.md": """---
title: Port counts the cost of the winter storms
outlet: Coast Radio
published: 2026-02-03
---
Port officials put the price of mending the damaged breakwater at $45 million.
January's storms swept away much of the breakwater's outer wall, engineers found.
The port director did not confirm that ferries will keep running during the work.
Local shops along the quay say trade has halved since the harbour closed its northern gate.
Insurers are still assessing claims from boat owners whose moorings broke in the gales.
The regional government has promised an emergency grant but has not said how large it will be.
Divers will survey the seabed near the wall next week before any heavy machinery arrives.
""",
}


@pytest.fixture
def disputed(storyline: Storyline, tmp_path: Path) -> Storyline:
    for name, text in REPORTS.items():
        (tmp_path / name).write_text(text)
    storyline.ingest([tmp_path])
    assert not storyline.duplicates(), "two independent reports, not copies"
    return storyline


def test_different_values_for_one_quantity_conflict(disputed: Storyline) -> None:
    claims = disputed.claims()
    costly = [c for c in claims if any(f.unit == "USD" for f in c.figures)]
    assert len(costly) == 2
    first, second = costly
    assert first.id in second.conflicts and second.id in first.conflicts
    assert "cost" in {f.quantity for c in costly for f in c.figures}


def test_a_statement_and_its_negation_conflict(disputed: Storyline) -> None:
    claims = disputed.claims()
    ferries = _by_text(claims, "ferries")
    assert len(ferries) == 2
    assert ferries[0].id in ferries[1].conflicts


def test_agreeing_reports_support_one_claim(disputed: Storyline) -> None:
    storms = _by_text(disputed.claims(), "storms in January")
    assert len(storms) == 1 and storms[0].independent == 2 and not storms[0].conflicts


# Invented reports: an operator that cooperates but will not say when the hull was last
# inspected. Refusing to answer denies nothing, so it contradicts no one.
FERRY = """---
title: Ferry crossing shut after hull damage
outlet: Bay Courier
published: 2026-05-04
---
The island ferry was taken out of service on Sunday after its crew found a split in the hull below the car deck.

Harbour master Piet Olsen said the hull had been patched once before, in 2021.

Lindqvist Shipping, which owns the ferry, said it was cooperating fully with the regulator. The company declined to say when the hull had last been inspected.
"""
FERRY_ELSEWHERE = """---
title: Islanders stranded as only ferry goes to the dockyard
outlet: Coast Mirror
published: 2026-05-05
---
Hundreds of islanders faced long detours on Monday as the only ferry to the mainland sat in a dockyard with a cracked hull.

The ferry's owner, Lindqvist Shipping, said it was fully cooperating with the regulator, but would not say when the hull was last inspected.

Shops on the island reported empty shelves as deliveries were cut to a single small barge each afternoon.
"""


def _ingest(storyline: Storyline, folder: Path, **reports: str) -> None:
    for name, text in reports.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    storyline.ingest([folder / f"{name}.md" for name in reports])


def test_a_refusal_to_say_when_contradicts_nothing(storyline: Storyline, tmp_path: Path) -> None:
    _ingest(storyline, tmp_path, courier=FERRY, mirror=FERRY_ELSEWHERE)
    claims = storyline.claims()
    assert not [c for c in claims if c.conflicts], [c.text for c in claims if c.conflicts]
    # "would not say when …" names an open question: it is no statement of the speaker's.
    assert not [c for c in claims if c.text.lower().startswith("when ")]
    cooperating = _by_text(claims, "cooperating")
    assert {s for c in cooperating for s in c.sources} == {a.id for a in storyline.articles()}


def test_the_not_of_one_quote_does_not_deny_its_neighbour() -> None:
    from storyline.synthesise.claims import _polarities
    from storyline.synthesise.statements import Statement

    sentence = "The owner said it was cooperating fully, but it denied that the hull was unsafe."
    said = [
        Statement("a", 0, len(sentence), text, None, None, 0, sentence=sentence)
        for text in ("it was cooperating fully", "the hull was unsafe")
    ]
    assert _polarities(said) == [True, False]


def test_a_copy_does_not_dispute_its_original(storyline: Storyline, tmp_path: Path) -> None:
    altered = FERRY.replace("it was cooperating fully", "it was not cooperating")
    assert altered != FERRY
    _ingest(storyline, tmp_path, courier=FERRY, copy=altered)
    assert storyline.duplicates(), "one report and its near copy"
    assert not [c.text for c in storyline.claims() if c.conflicts]


def test_a_denial_repeats_the_words_it_denies() -> None:
    from storyline.dedup.paraphrase import lexical_view
    from storyline.synthesise.claims import _same_words

    said = lexical_view("the footbridge is safe for cyclists")
    denied = lexical_view("the footbridge is not safe for cyclists after dark")
    other = lexical_view("cyclists cannot use the ring road while the footbridge is shut")
    assert _same_words(said, denied)
    assert not _same_words(said, other), "a different point about the same things"


# Invented reports of a draining lake: the level falls day by day, two people speak.
LAKE_TUESDAY = """---
title: Lake level begins to fall
outlet: Valley Post
published: 2026-06-03
---
Mayor Elena Ruiz visited the dam on Tuesday and said the lake had already dropped by almost a metre.

Mayor Elena Ruiz said a public inquiry into the dam would begin once the dam was safe.
"""
LAKE_THURSDAY = """---
title: Lake now three metres lower
outlet: Hill Gazette
published: 2026-06-05
---
The lake behind the dam has dropped by three metres since Monday, the water board said on Thursday.

Councillor Omar Haddad, who first called for the inquiry, said he would introduce a bill requiring independent inspections of every dam in the valley each year.
"""


@pytest.fixture
def lake(storyline: Storyline, tmp_path: Path) -> Storyline:
    _ingest(storyline, tmp_path, tuesday=LAKE_TUESDAY, thursday=LAKE_THURSDAY)
    assert not storyline.duplicates()
    return storyline


def test_different_measures_are_different_claims(lake: Storyline) -> None:
    claims = lake.claims()
    metre = _by_text(claims, "almost a metre")
    three = _by_text(claims, "three metres")
    assert len(metre) == len(three) == 1 and metre[0].id != three[0].id
    assert metre[0].independent == three[0].independent == 1


def test_a_measure_that_changes_between_dated_moments_is_no_conflict(lake: Storyline) -> None:
    assert not [c.text for c in lake.claims() if c.conflicts]


def test_two_named_speakers_of_the_same_words_hold_two_claims() -> None:
    import numpy as np

    from storyline.dedup.paraphrase import lexical_view
    from storyline.synthesise.claims import _group, _polarities
    from storyline.synthesise.statements import Statement

    words = "a public inquiry into the dam would begin once the dam was safe"
    said = [
        Statement(a, 0, len(words), words, None, None, n, holder=h, sentence=words)
        for n, (a, h) in enumerate([("a", "mayor"), ("b", "councillor"), ("c", None)])
    ]
    vecs = np.ones((3, 4), dtype=np.float32) / 2.0
    groups, _ = _group(
        [0, 1, 2], said, vecs, [lexical_view(words)] * 3, [[], [], []], _polarities(said)
    )
    # The unattributed telling joins the first speaker's claim; the second speaker's stands.
    assert sorted(g.members for g in groups) == [[0, 2], [1]]


def test_two_named_speakers_make_two_claims(lake: Storyline) -> None:
    claims = lake.claims()
    (mayor,) = _by_text(claims, "inquiry into the dam")
    (councillor,) = _by_text(claims, "inspections of every dam")
    assert mayor.id != councillor.id
    assert mayor.holder != councillor.holder and mayor.holder and councillor.holder


def test_one_speaker_says_one_position_in_other_words() -> None:
    import numpy as np

    from storyline.dedup.paraphrase import lexical_view
    from storyline.synthesise.claims import _group, _polarities
    from storyline.synthesise.statements import Statement

    texts = [
        "the state will try to recover the cost from the builder",
        "the state would seek to recover the full cost from the two companies",
        "the state expects the reservoir to be full by the spring",
    ]
    said = [
        Statement(a, 0, len(t), t, None, None, n, holder="governor", sentence=t)
        for n, (a, t) in enumerate(zip("abc", texts, strict=True))
    ]
    # Unit vectors 0.48 apart pairwise: below what makes one position on closeness alone.
    side = np.sin(np.arccos(0.48))
    third = (0.48 - 0.48 * 0.48) / side
    vecs = np.array(
        [[1.0, 0.0, 0.0], [0.48, side, 0.0], [0.48, third, np.sqrt(1 - 0.48**2 - third**2)]],
        dtype=np.float32,
    )
    views = [lexical_view(t) for t in texts]
    groups, _ = _group([0, 1, 2], said, vecs, views, [[], [], []], _polarities(said))
    # Recovering the cost, said twice (state + recover + cost), is one claim; the reservoir,
    # sharing only "state", is another.
    assert sorted(g.members for g in groups) == [[0, 1], [2]]


# -- what a claim is (issue 26) -------------------------------------------------------------


def test_scene_setting_headings_and_fragments_of_speech_are_not_claims(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    texts = [c.text for c in seeded[0].claims()]
    for framing in (
        "all eyes will be on whether",  # the outlet's speculation
        "This shift has created an opportunity",  # framing that points back
        "Ties between the US and Türkiye have drifted",  # no one acts, nothing dated
        "The S-400 crisis and subsequent U.S. sanctions",  # a heading
        "If Turkey secures a commitment",  # a conditional
    ):
        assert not [t for t in texts if t.startswith(framing)], framing
    # A partial quote is no position of its own; its sentence is the speaker's.
    assert "positive relationship" not in texts and "taken a new dimension" not in texts
    assert len(texts) < 60


def test_the_2019_removal_is_one_claim_as_it_is_one_timeline_entry(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded
    removal = [
        c
        for c in storyline.claims()
        if c.holder is None and "2019" in c.text and ("removed" in c.text or "expelled" in c.text)
    ]
    assert len(removal) == 1
    (claim,) = removal
    # 000, 001 (its rewrite, counted once), 002 and 003 tell it in their own words.
    assert {ids["000"], ids["001"], ids["002"], ids["003"]} <= set(claim.sources)
    assert claim.independent >= 3
    # Each source's citation opens at the sentence that tells it.
    assert {a for a, _ in claim.cited} == set(claim.sources)


def test_turkey_and_the_united_states_hold_opposite_positions_on_the_s400(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, _ = seeded
    claims = {c.id: c for c in storyline.claims()}
    names = {e.id: e.name for e in storyline.entities()}
    turkey = next(c for c in claims.values() if "would not be linked to NATO" in c.text)
    assert names[turkey.holder or ""] == "Turkey"
    opponents = [claims[other] for other in turkey.conflicts]
    assert any(names.get(o.holder or "") == "United States" and "risk" in o.text for o in opponents)
    # One side's two voices never dispute each other (Barrack and the US officials).
    for claim in claims.values():
        for other in claim.conflicts:
            assert {names.get(claim.holder or ""), names.get(claims[other].holder or "")} != {
                "Tom Barrack",
                "United States",
            }
