"""The dates annotator in the pipeline: the publication date is the anchor, a WARC capture
date is not, and the result does not depend on how articles arrive."""

from __future__ import annotations

from pathlib import Path

from storyline import Settings, Storyline
from storyline.models import RawDocument

FERRY = (
    "The ferry company said on Thursday that its new boat, ordered in 2021, "
    "will enter service next month after trials lasting two weeks."
)
MUSEUM = (
    "The museum reopened yesterday after a refit that began in March 2022. "
    "The following year its roof was replaced."
)


def documents() -> list[RawDocument]:
    return [
        RawDocument(source="ferry.json", text=FERRY, title="Ferry", published="2023-09-15"),
        RawDocument(source="museum.json", text=MUSEUM, title="Museum", published="2024-02-02"),
    ]


def rows(storyline: Storyline) -> list[tuple[str, str, str | None, bool]]:
    return [(d.article or "", d.text, d.value, d.resolved) for d in storyline.dates()]


def test_record_publication_date_anchors_relative_expressions(storyline: Storyline) -> None:
    storyline.ingest_documents(documents()[:1])
    by_text = {d.text: d for d in storyline.dates()}
    assert by_text["Thursday"].value == "2023-09-14"
    assert by_text["Thursday"].anchor == "publication"
    assert by_text["next month"].value == "2023-10"
    assert by_text["2021"].anchor == "none"


def test_capture_date_only_bounds_and_is_not_an_anchor(storyline: Storyline) -> None:
    captured = RawDocument(source="capture.warc", text=MUSEUM, published_before="2024-02-03")
    storyline.ingest_documents([captured])
    by_text = {d.text: d for d in storyline.dates()}
    assert by_text["yesterday"].resolved is False
    assert by_text["yesterday"].value is None
    assert by_text["March 2022"].value == "2022-03"
    assert by_text["The following year"].value == "2023"  # anchored on the text, not a guess


def test_together_or_one_by_one_gives_the_same_dates(tmp_path: Path) -> None:
    with Storyline(Settings(db_path=tmp_path / "together.db")) as together:
        together.ingest_documents(documents())
        at_once = rows(together)
    with Storyline(Settings(db_path=tmp_path / "apart.db")) as apart:
        for document in documents():
            apart.ingest_documents([document])
        one_by_one = rows(apart)
    assert at_once == one_by_one
    assert len(at_once) == 7


def test_reanalysing_is_idempotent(storyline: Storyline) -> None:
    storyline.ingest_documents(documents())
    before = rows(storyline)
    storyline.store.db.execute("DELETE FROM stage_done WHERE stage = 'enrich'")
    storyline.analyse()
    assert rows(storyline) == before
