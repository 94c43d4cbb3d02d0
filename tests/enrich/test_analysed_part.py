"""A report's analysis reads its first settings.analysed_characters characters (a page's
comment section is not parsed), cut after a whole sentence; the report is stored whole."""

from __future__ import annotations

from pathlib import Path

from storyline import Settings, Storyline
from storyline.models import RawDocument

REPORT = (
    "Engineers will inspect the Kestrel Falls dam on Monday after residents reported seepage. "
    '"We take every report seriously," said Maria Okafor, the county\'s chief engineer. '
    "The reservoir holds four million cubic metres of water.\n\n"
)
COMMENT = 'Reader 12 wrote: "The dam was never safe," adding that Tom Reyes knew it in 2019.\n\n'


def test_the_analysis_stops_after_the_last_whole_sentence_within_the_limit(tmp_path: Path):
    text = REPORT + COMMENT * 40
    settings = Settings(db_path=tmp_path / "a.db", analysed_characters=len(REPORT) + 20)
    with Storyline(settings) as opened:
        opened.ingest_documents([RawDocument("page.txt", text=text, published="2026-03-02")])
        article = opened.article(opened.articles()[0].id)
        assert article.text.count("Reader 12 wrote") == 40  # stored whole
        assert article.sentences and max(s.end for s in article.sentences) <= len(REPORT)
        speakers = {q.speaker for q in opened.quotes()}
        assert "Maria Okafor" in speakers
        assert not any("Reader" in (s or "") for s in speakers)
        assert "Tom Reyes" not in {e.name for e in opened.entities()}
        assert all(e.start < len(REPORT) for e in opened.dates())


def test_a_report_within_the_limit_is_analysed_whole(tmp_path: Path):
    text = REPORT + COMMENT
    with Storyline(Settings(db_path=tmp_path / "b.db")) as opened:
        opened.ingest_documents([RawDocument("page.txt", text=text, published="2026-03-02")])
        assert "Tom Reyes" in {e.name for e in opened.entities()}
        assert max(s.end for s in opened.article(opened.articles()[0].id).sentences) > len(REPORT)
