"""Entities on the five seed reports: one canonical entity each, variants merged, no bad merges."""

from __future__ import annotations

import pytest

from storyline import Settings, Storyline
from storyline.models import Entity
from tests.conftest import seed_path


def _entities(seeded: tuple[Storyline, dict[str, str]]) -> list[Entity]:
    return seeded[0].entities()


def _one(entities: list[Entity], name: str) -> Entity:
    found = [e for e in entities if e.name == name]
    assert len(found) == 1, f"expected one entity named {name!r}, got {[e.name for e in found]}"
    return found[0]


def _owner(entities: list[Entity], alias: str) -> Entity:
    found = [e for e in entities if e.name == alias or alias in e.aliases]
    assert len(found) == 1, f"{alias!r} belongs to {[e.name for e in found]}"
    return found[0]


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("Hakan Fidan", ["Fidan"]),
        ("Marco Rubio", ["Rubio"]),
        ("Recep Tayyip Erdogan", ["Erdogan"]),
        ("Donald Trump", ["Trump"]),
        ("Tom Barrack", ["Barrack"]),
        ("Joe Biden", ["Biden"]),
        ("Turkey", ["Türkiye", "Ankara"]),
        ("United States", ["US", "U.S.", "Washington"]),
        ("Russia", ["Moscow"]),
        ("F-35", ["F 35", "F-35 Joint Strike Fighter"]),
        ("S-400", ["S 400"]),
    ],
)
def test_variants_merge_into_one_entity(seeded, name, variants):
    entities = _entities(seeded)
    entity = _one(entities, name)
    for variant in variants:
        assert variant in entity.aliases, f"{variant!r} not merged into {name}"


def test_acronym_and_expansion_are_one_entity(seeded):
    entities = _entities(seeded)
    caatsa = _owner(entities, "CAATSA")
    names = {caatsa.name, *caatsa.aliases}
    assert any(
        n.replace("’", "'") == "Countering America's Adversaries Through Sanctions Act"
        for n in names
    )
    # 004 writes only the expansion; it still counts as the same law.
    assert seeded[1]["004"] in caatsa.articles


@pytest.mark.parametrize("name", ["NATO", "Reuters", "Turkish Foreign Ministry"])
def test_organisations_are_found(seeded, name):
    assert _one(_entities(seeded), name).type == "ORG"


def test_people_are_never_merged(seeded):
    entities = _entities(seeded)
    ids = {
        name: _one(entities, name).id
        for name in ("Donald Trump", "Recep Tayyip Erdogan", "Hakan Fidan", "Marco Rubio")
    }
    assert len(set(ids.values())) == 4
    assert all(e.type == "PERSON" for e in entities if e.id in ids.values())


def test_surname_mentions_count_for_the_full_name(seeded):
    fidan = _one(_entities(seeded), "Hakan Fidan")
    assert {seeded[1][n] for n in ("000", "001", "002", "003")} <= set(fidan.articles)
    assert fidan.mentions >= 8


def test_titles_are_kept_as_roles_not_names(seeded):
    entities = _entities(seeded)
    fidan = _one(entities, "Hakan Fidan")
    barrack = _one(entities, "Tom Barrack")
    assert "Turkish Foreign Minister" in {role for role, _ in fidan.roles}
    assert "US Ambassador to Turkey" in {role for role, _ in barrack.roles}
    assert not any(e.name.startswith(("Turkish Foreign Minister", "Ambassador")) for e in entities)


def test_demonym_links_to_the_country_without_counting(seeded):
    storyline, ids = seeded
    turkey = _one(_entities(seeded), "Turkey")
    rows = storyline.store.query(
        "SELECT counted, entity_id FROM mentions WHERE text = 'Turkish' AND article_id = ?",
        (ids["000"],),
    )
    assert rows, "the demonym is linked"
    assert all(r["entity_id"] == turkey.id and r["counted"] == 0 for r in rows)
    assert "Turkish" not in turkey.aliases
    counted = storyline.store.query(
        "SELECT COUNT(*) FROM mentions WHERE entity_id = ? AND counted = 1", (turkey.id,)
    )[0][0]
    assert turkey.mentions == counted


def test_capital_as_place_is_not_the_government(seeded):
    storyline, ids = seeded
    us = _one(_entities(seeded), "United States")
    text = storyline.article(ids["000"]).text
    start = text.index("visit to Washington") + len("visit to ")
    row = storyline.store.query(
        "SELECT entity_id FROM mentions WHERE article_id = ? AND start = ?", (ids["000"], start)
    )
    assert row and row[0]["entity_id"] != us.id


def test_a_capital_that_receives_envoys_and_sales_is_the_government(seeded):
    # 004: "the United States ambassador to Ankara", "sales of F-35s to Ankara"; 000: "Trump's
    # shift in approach to Moscow": each is the country, none the city.
    names = {e.name for e in _entities(seeded)}
    assert "Ankara" not in names and "Moscow" not in names


def _annotate_one_by_one(path, numbers):
    """Store the seeds in this order, running the entity annotator on each as it arrives."""
    from storyline.enrich.entities import annotate_entities, list_entities
    from storyline.extract import build_article, text_fingerprint
    from storyline.models import RawDocument
    from storyline.nlp import load_nlp
    from storyline.store import Store

    settings = Settings(db_path=path)
    with Store(path) as store:
        for number in numbers:
            text = seed_path(number).read_text(encoding="utf-8")
            article = build_article(RawDocument(source=str(seed_path(number)), text=text), settings)
            with store.transaction():
                store.add_article(article, text_fingerprint(article.text))
                stored = store.articles([article.id], with_spans=True)[0]
                annotate_entities(store, stored, load_nlp()(stored.text), settings)
        return list_entities(store)


def test_ids_do_not_depend_on_arrival_order(seeded, tmp_path):
    expected = {(e.id, e.name, e.mentions) for e in _entities(seeded)}
    found = _annotate_one_by_one(tmp_path / "reversed.db", ["004", "003", "002", "001", "000"])
    assert {(e.id, e.name, e.mentions) for e in found} == expected


def test_story_filter_needs_stories(seeded):
    from storyline.errors import NotFoundError

    storyline, _ = seeded
    tables = {
        r[0] for r in storyline.store.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if {"events", "event_articles"} <= tables:
        with pytest.raises(NotFoundError):
            storyline.entities(story="no-such-story")
    else:
        with pytest.raises(NotFoundError, match="stories are not built"):
            storyline.entities(story="anything")


def test_one_reports_entities_are_the_stores_seen_through_that_report(seeded):
    from storyline.enrich.entities import list_entities

    storyline, ids = seeded
    everywhere = {e.id: e for e in list_entities(storyline.store)}
    report = ids["001"]
    scoped = list_entities(storyline.store, [report])
    assert scoped and any(e.roles for e in scoped) and any(e.aliases for e in scoped)
    for entity in scoped:
        whole = everywhere[entity.id]
        assert (entity.name, entity.type, entity.aliases) == (whole.name, whole.type, whole.aliases)
        assert entity.roles == whole.roles and entity.articles == (report,)
        assert 0 < entity.mentions <= whole.mentions
