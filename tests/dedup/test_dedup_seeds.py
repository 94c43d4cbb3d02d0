"""Copies and rewrites on the five seed reports, and on copies made from them at run time."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest

from storyline import Settings, Storyline
from storyline.dedup import independent_groups
from storyline.dedup.copies import MAX_NEAR_CANDIDATES, REWRITE_COVERAGE, find_copies
from storyline.extract import build_article, text_fingerprint
from storyline.models import RawDocument
from tests.conftest import SEEDS, seed_path


def _relations(opened: Storyline) -> set[tuple[str, str, str]]:
    return {(d.article, d.of, d.kind) for d in opened.duplicates()}


def _document(number: str, source: str, **meta: str | None) -> RawDocument:
    return RawDocument(source=source, text=seed_path(number).read_text(encoding="utf-8"), **meta)


def test_seed_001_is_a_rewrite_of_000_and_nothing_else_is_related(seeded):
    opened, ids = seeded
    assert _relations(opened) == {(ids["001"], ids["000"], "rewrite")}


def test_the_rewrite_aligns_most_sentences_of_001_with_000(seeded):
    opened, ids = seeded
    (relation,) = opened.duplicates()
    copy = opened.article(ids["001"])
    original = opened.article(ids["000"])
    assert relation.score >= REWRITE_COVERAGE
    assert relation.rule == "stored_first"
    assert len(relation.pairs) >= 4
    # A rewrite follows its original's order: the aligned original sentences mostly ascend.
    order = [p.original_sentence for p in relation.pairs]
    ascending = sum(a < b for a, b in itertools.pairwise(order))
    assert ascending >= len(order) - 2
    assert all(0 <= p.article_sentence < len(copy.sentences) for p in relation.pairs)
    assert all(0 <= p.original_sentence < len(original.sentences) for p in relation.pairs)


def test_the_preview_002_is_not_a_rewrite_of_000(seeded):
    opened, ids = seeded
    pairs = {(d.article, d.of) for d in opened.duplicates()}
    assert (ids["002"], ids["000"]) not in pairs
    assert (ids["000"], ids["002"]) not in pairs


def test_with_dates_the_original_is_still_000(seeded_dated):
    opened, ids = seeded_dated
    (relation,) = opened.duplicates()
    assert (relation.article, relation.of, relation.kind) == (ids["001"], ids["000"], "rewrite")


def test_an_exact_copy_under_another_outlet_points_to_the_earlier_publication(storyline):
    # The copy is stored first but published later: the publication date decides.
    storyline.ingest_documents(
        [_document("004", "hand/copy.txt", outlet="Invented Daily", published="2025-11-12")]
    )
    storyline.ingest_documents([_document("004", "hand/original.txt", published="2025-11-10")])
    by_source = {a.source: a.id for a in storyline.articles()}
    (relation,) = storyline.duplicates()
    assert (relation.article, relation.of) == (
        by_source["hand/copy.txt"],
        by_source["hand/original.txt"],
    )
    assert relation.kind == "exact"
    assert relation.score == 1.0
    assert relation.rule == "published"
    assert len(relation.pairs) == len(storyline.article(relation.article).sentences)


def test_a_copy_with_a_few_words_changed_is_a_near_duplicate(storyline):
    text = seed_path("003").read_text(encoding="utf-8")
    edited = re.sub(r"\btalks\b", "negotiations", text, count=2).replace("Turkey", "Türkiye", 1)
    assert edited != text
    storyline.ingest_documents([RawDocument(source="hand/original.txt", text=text)])
    storyline.ingest_documents(
        [RawDocument(source="hand/edited.txt", text=edited, outlet="Invented Wire")]
    )
    by_source = {a.source: a.id for a in storyline.articles()}
    (relation,) = storyline.duplicates()
    assert (relation.article, relation.of) == (
        by_source["hand/edited.txt"],
        by_source["hand/original.txt"],
    )
    assert relation.kind == "near"
    assert 0.6 <= relation.score < 1.0
    assert relation.rule == "stored_first"


def test_one_by_one_arrival_gives_the_same_relations_as_a_batch(tmp_path: Path, seeded):
    batch, _ = seeded
    with Storyline(Settings(db_path=tmp_path / "one.db")) as one_by_one:
        for path in sorted(SEEDS.glob("*.txt")):
            one_by_one.ingest([path])
        assert [d.to_dict() for d in one_by_one.duplicates()] == [
            d.to_dict() for d in batch.duplicates()
        ]
        assert [d.pairs for d in one_by_one.duplicates()] == [d.pairs for d in batch.duplicates()]


def test_a_later_process_finds_copies_of_earlier_articles_from_stored_signatures(tmp_path: Path):
    db = tmp_path / "later.db"
    with Storyline(Settings(db_path=db)) as first:
        first.ingest_documents([_document("002", "hand/first.txt")])
    with Storyline(Settings(db_path=db)) as second:
        second.ingest_documents([_document("002", "hand/second.txt", title="An invented headline")])
        assert [d.kind for d in second.duplicates()] == ["exact"]


def test_independent_groups_count_a_copy_once(seeded):
    opened, ids = seeded
    order = [ids[n] for n in ("004", "001", "002", "000", "003")]
    groups = independent_groups(opened.store, order)
    assert groups == [[ids["004"]], [ids["001"], ids["000"]], [ids["002"]], [ids["003"]]]
    assert opened.independent_groups(order) == groups


def test_ingesting_the_same_copy_twice_adds_no_relation(storyline):
    storyline.ingest_documents(
        [_document("000", "hand/a.txt"), _document("000", "hand/b.txt", outlet="Other")]
    )
    first = [d.to_dict() for d in storyline.duplicates()]
    storyline.ingest_documents([_document("000", "hand/b.txt", outlet="Other")])
    assert [d.to_dict() for d in storyline.duplicates()] == first
    assert len(first) == 1


def test_a_rolled_back_batch_leaves_no_trace_in_the_next_run(storyline):
    storyline.ingest_documents([_document("003", "hand/original.txt")])
    copy = build_article(
        _document("003", "hand/copy.txt", outlet="Invented Wire"), storyline.settings
    )
    with storyline.store.transaction():
        storyline.store.add_article(copy, text_fingerprint(copy.text))
    with pytest.raises(RuntimeError), storyline.store.transaction():
        find_copies(storyline.store, [copy.id], storyline.settings)
        raise RuntimeError("killed mid-batch")
    assert storyline.duplicates() == []
    storyline.analyse()
    assert [(d.article, d.kind) for d in storyline.duplicates()] == [(copy.id, "exact")]


TEMPLATE = (
    "The river ferry between Almsted and Korby resumed service on Friday after a week of "
    "engine repairs, its operator said. Crossings will run every forty minutes until the "
    "spring timetable starts. Passengers with cancelled tickets can ask for a refund at the "
    "harbour office. Notice number {n} of the series."
)


def test_a_story_copied_many_times_stays_one_group_at_bounded_cost(storyline):
    copies = [
        build_article(RawDocument(source=f"hand/{n}.txt", text=TEMPLATE.format(n=n)), Settings())
        for n in range(MAX_NEAR_CANDIDATES + 10)
    ]
    with storyline.store.transaction():
        for copy in copies:
            storyline.store.add_article(copy, text_fingerprint(copy.text))
        find_copies(storyline.store, [c.id for c in copies], storyline.settings)
    relations = storyline.duplicates()
    assert {d.kind for d in relations} == {"near"}
    per_article = Counter(d.article if d.rule == "stored_first" else d.of for d in relations)
    assert max(per_article.values()) <= MAX_NEAR_CANDIDATES
    ids = [c.id for c in copies]
    assert independent_groups(storyline.store, ids) == [ids]
