"""Cross-article resolution on invented articles: surnames, acronyms, variants, capitals,
the same whatever order the articles arrive in."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.enrich.entities import annotate_entities, list_entities, resolve_entities
from storyline.extract import build_article, text_fingerprint
from storyline.models import Entity, RawDocument
from storyline.nlp import load_nlp
from storyline.settings import Settings
from storyline.store import Store

ARTICLES = {
    "full": "Maria Kowalczyk opened the new bridge in Gdansk on Friday after two years of work.",
    "surname": "Kowalczyk said the bridge cost less than planned and would carry trams next year.",
    "brother": "Piotr Kowalczyk, a local engineer, inspected the cables of the bridge on Sunday.",
    "defined": "The Northern Fisheries Protection Agency (NFPA) banned trawling near the coast today.",
    "acronym": "The NFPA will review the trawling ban in spring, fishermen were told on Monday.",
    "variants": "Türkiye ordered more F 16 jets. Officials in Turkey said the F-16 order was final.",
    "short": (
        "Brackley Construction won the harbour contract in March. Inspectors later questioned the "
        "company's depth surveys. Brackley said on Friday that its surveys were accurate, and "
        "the council will seek the cost of new surveys from Brackley."
    ),
    "newspaper": (
        "The Chicago Tribune reported on Monday that the city's bus fares will rise. Commuters "
        "in Chicago have already protested against the increase."
    ),
    "capitals": "Ottawa says the new tariffs are unfair. The trade summit took place in Ottawa.",
    "envoy": (
        "Mexico recalled its ambassador to Ottawa on Monday, and its sales of steel to Ottawa "
        "will stop. The trade minister flew to Ottawa on Friday."
    ),
    "facility": "Protesters gathered outside the White House on Sunday evening.",
    "statement": "The White House said on Monday that the sanctions would stay in place.",
}


def _annotate(path: Path, names: list[str]) -> list[Entity]:
    settings = Settings(db_path=path)
    nlp = load_nlp()
    with Store(path) as store:
        for name in names:
            raw = RawDocument(source=f"{name}.txt", text=ARTICLES[name])
            article = build_article(raw, settings)
            with store.transaction():
                store.add_article(article, text_fingerprint(article.text))
                stored = store.articles([article.id], with_spans=True)[0]
                annotate_entities(store, stored, nlp(stored.text), settings)
        with store.transaction():
            resolve_entities(store)
        return list_entities(store)


def _named(entities: list[Entity], name: str) -> Entity:
    (found,) = [e for e in entities if e.name == name]
    return found


@pytest.mark.parametrize("order", [["full", "surname"], ["surname", "full"]])
def test_surname_resolves_to_the_one_full_name_in_any_order(tmp_path, order):
    entities = _annotate(tmp_path / "s.db", order)
    maria = _named(entities, "Maria Kowalczyk")
    assert "Kowalczyk" in maria.aliases
    assert maria.mentions == 2 and len(maria.articles) == 2
    assert not [e for e in entities if e.name == "Kowalczyk"]


@pytest.mark.parametrize("order", [["full", "surname", "brother"], ["brother", "surname", "full"]])
def test_surname_shared_by_two_people_stays_apart(tmp_path, order):
    entities = _annotate(tmp_path / "s.db", order)
    maria = _named(entities, "Maria Kowalczyk")
    piotr = _named(entities, "Piotr Kowalczyk")
    alone = _named(entities, "Kowalczyk")
    assert len({maria.id, piotr.id, alone.id}) == 3
    assert maria.mentions == piotr.mentions == alone.mentions == 1


@pytest.mark.parametrize("order", [["defined", "acronym"], ["acronym", "defined"]])
def test_acronym_defined_in_one_article_resolves_in_another(tmp_path, order):
    entities = _annotate(tmp_path / "a.db", order)
    agency = _named(entities, "Northern Fisheries Protection Agency")
    assert "NFPA" in agency.aliases
    assert len(agency.articles) == 2
    assert not [e for e in entities if e.name == "NFPA"]


def test_country_names_and_system_spellings_merge(tmp_path):
    entities = _annotate(tmp_path / "v.db", ["variants"])
    turkey = _named(entities, "Turkey")
    assert "Türkiye" in turkey.aliases and turkey.mentions == 2
    jet = _named(entities, "F-16")
    assert jet.type == "PRODUCT" and "F 16" in jet.aliases and jet.mentions == 2


def test_capital_counts_as_country_only_as_an_actor(tmp_path):
    entities = _annotate(tmp_path / "c.db", ["capitals"])
    canada = _named(entities, "Canada")
    city = _named(entities, "Ottawa")
    assert canada.mentions == 1 and "Ottawa" in canada.aliases
    assert city.mentions == 1 and city.id != canada.id


def test_a_capital_someone_goes_to_is_a_place_and_else_its_government(tmp_path):
    entities = _annotate(tmp_path / "e.db", ["envoy"])
    canada = _named(entities, "Canada")  # the ambassador's and the sales' Ottawa
    city = _named(entities, "Ottawa")  # where the minister flew
    assert canada.mentions == 2 and city.mentions == 1


def test_short_name_of_an_organisation_named_earlier_is_that_organisation(tmp_path):
    entities = _annotate(tmp_path / "o.db", ["short"])
    company = _named(entities, "Brackley Construction")
    assert company.type == "ORG" and "Brackley" in company.aliases
    assert company.mentions == 3
    assert not [e for e in entities if e.name == "Brackley"]


def test_a_city_stays_apart_from_its_newspaper(tmp_path):
    entities = _annotate(tmp_path / "n.db", ["newspaper"])
    paper = _named(entities, "Chicago Tribune")
    city = _named(entities, "Chicago")
    assert paper.id != city.id and paper.mentions == 1 and city.mentions == 1


@pytest.mark.parametrize("order", [["facility", "statement"], ["statement", "facility"]])
def test_a_building_and_the_body_it_houses_are_one_entity(tmp_path, order):
    # The NER calls the White House a facility where people gather outside it and an
    # organisation where it speaks.
    entities = _annotate(tmp_path / "w.db", order)
    white_house = _named(entities, "White House")
    assert white_house.mentions == 2
    assert len(white_house.articles) == 2


FORMS = "SELECT entity_id, key, local, text, type, counted, n FROM entity_forms ORDER BY 1, 2, 3, 4, 5, 6"
COUNTED = (
    "SELECT entity_id, key, local, text, type, counted, COUNT(*) FROM mentions"
    " GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6"
)


def test_written_forms_are_counted_exactly_as_mentions_come_and_go(tmp_path):
    from storyline import Settings, Storyline
    from tests.conftest import seed_path

    with Storyline(Settings(db_path=tmp_path / "forms.db")) as opened:
        opened.ingest([seed_path("000"), seed_path("001"), seed_path("003")])
        store = opened.store

        def forms():
            return [tuple(r) for r in store.query(FORMS)]

        def counted():
            return [tuple(r) for r in store.query(COUNTED)]

        assert forms() and forms() == counted()
        first, second = (a.id for a in opened.articles()[:2])
        with store.transaction() as db:  # enriched again: its mentions replaced
            db.execute("DELETE FROM stage_done WHERE stage = 'enrich' AND article_id = ?", (first,))
        opened.analyse()
        assert forms() == counted()
        with store.transaction() as db:  # a report removed: its mentions go by cascade
            db.execute("DELETE FROM articles WHERE id = ?", (second,))
        assert forms() == counted()
        with store.transaction() as db:  # re-pointed, as resolution does
            db.execute(
                "UPDATE mentions SET entity_id = 'moved' WHERE article_id = ? AND local = 0",
                (first,),
            )
        assert store.query("SELECT 1 FROM entity_forms WHERE entity_id = 'moved'")
        assert forms() == counted()
        assert not store.query("SELECT 1 FROM entity_forms WHERE n <= 0")
