"""Events and stories read back with titles taken from their reports."""

from __future__ import annotations

from pathlib import Path

from storyline import Settings, Storyline

BODY = (
    "Harbour pilots in Saltmere walked off the job on Thursday after the port authority cut "
    "their night-shift pay, leaving eleven cargo ships waiting outside the breakwater.\n\n"
    "The pilots' union said the strike would last until the cut was withdrawn. The port "
    "authority said it had offered talks on Friday morning.\n"
)


def test_an_event_founded_by_an_untitled_report_takes_the_first_headline(tmp_path: Path):
    untitled = tmp_path / "wire.txt"
    untitled.write_text("---\noutlet: Coast Wire\npublished: 2026-05-07\n---\n" + BODY)
    titled = tmp_path / "gazette.txt"
    titled.write_text(
        "Saltmere pilots strike over night pay\n\n" + BODY.replace("Thursday", "Thursday,")
    )
    with Storyline(Settings(db_path=tmp_path / "s.db")) as opened:
        opened.ingest([untitled])
        (alone,) = opened.events()
        assert alone.title.startswith("Harbour pilots in Saltmere walked off")
        opened.ingest([titled])
        (event,) = opened.events()
        assert len(event.articles) == 2
        assert event.title == "Saltmere pilots strike over night pay"
        (story,) = opened.stories()
        assert story.title == "Saltmere pilots strike over night pay"
