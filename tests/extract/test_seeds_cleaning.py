"""The five seeds: titles, outlets, places, boilerplate and structure, as EXPECTED.md says."""

from __future__ import annotations

from storyline import Storyline


def test_seeds_ingest_as_five_articles(seeded: tuple[Storyline, dict[str, str]]) -> None:
    storyline, ids = seeded
    assert sorted(ids) == ["000", "001", "002", "003", "004"]
    assert len({a.id for a in storyline.articles()}) == 5


def test_rewrite_seed_has_its_title_outlet_and_place(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded
    article = storyline.article(ids["001"])
    assert article.title is not None and article.title.startswith("Türkiye and U.S. Seek")
    assert article.outlet == "The Gulf Observer"
    assert article.place == "Washington"
    # The dateline is metadata now, not the start of the first sentence.
    assert not article.text.startswith("Washington")
    assert article.sentences[0].text.startswith("Türkiye and the United States")


def test_wire_dateline_gives_place_and_outlet(seeded: tuple[Storyline, dict[str, str]]) -> None:
    storyline, ids = seeded
    article = storyline.article(ids["004"])
    assert (article.outlet, article.place) == ("AP", "Istanbul")
    assert article.text.startswith("The close relationship")
    assert "(AP)" not in article.text


def test_sentence_first_lines_are_not_titles(seeded: tuple[Storyline, dict[str, str]]) -> None:
    storyline, ids = seeded
    for number in ("000", "002", "003", "004"):
        assert storyline.article(ids[number]).title is None


def test_read_also_and_trailing_blank_lines_are_not_body(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded
    article = storyline.article(ids["003"])
    assert "Read Also" not in article.text
    assert "Pope Leo" not in article.text
    assert article.text == article.text.strip()
    assert article.text.endswith("finally be reconciled.")


def test_section_headings_are_headings_not_sentences(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded
    article = storyline.article(ids["002"])
    headings = [h.text for h in article.headings]
    assert headings == ["Sanctions Relief: A Key Demand", "What’s Next?"]
    sentence_texts = {s.text for s in article.sentences}
    assert not sentence_texts & set(headings)
    assert [h.text for h in storyline.article(ids["000"]).headings] == [
        "The F-35 issue",
        "Seeking warmer ties",
    ]


def test_bullet_items_are_sentences_without_their_marker(
    seeded: tuple[Storyline, dict[str, str]],
) -> None:
    storyline, ids = seeded
    texts = [s.text for s in storyline.article(ids["002"]).sentences]
    assert "Turkey’s military operations in Syria" in texts
    assert not any(t.startswith("- ") for t in texts)


def test_sentence_offsets_index_into_the_body(seeded: tuple[Storyline, dict[str, str]]) -> None:
    storyline, _ = seeded
    for summary in storyline.articles():
        article = storyline.article(summary.id)
        assert article.sentences, article.id
        for span in (*article.sentences, *article.headings):
            assert article.text[span.start : span.end] == span.text
        starts = [s.start for s in article.sentences]
        assert starts == sorted(starts)


def test_abbreviations_do_not_end_sentences(seeded: tuple[Storyline, dict[str, str]]) -> None:
    storyline, ids = seeded
    texts = [s.text for s in storyline.article(ids["004"]).sentences]
    assert any("the United States ambassador to Ankara said Nov. 10." in t for t in texts)
    assert not any(t in {"U.S.", "Nov."} for t in texts)


def test_second_ingest_adds_nothing(seeded: tuple[Storyline, dict[str, str]]) -> None:
    storyline, _ = seeded
    from tests.conftest import SEEDS

    report = storyline.ingest(sorted(SEEDS.glob("*.txt")))
    assert report.added == () and len(report.skipped) == 5
    assert len(storyline.articles()) == 5
