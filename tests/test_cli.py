"""The command line as users and scripts drive it: JSON shapes and exit codes of the contract."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEEDS, seed_path


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline", "--db", str(db), *args], capture_output=True, text=True
    )


def test_ingest_articles_article_json(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    ingest = run("ingest", *map(str, sorted(SEEDS.glob("*.txt"))), "--json", db=db)
    assert ingest.returncode == 0, ingest.stderr
    report = json.loads(ingest.stdout)
    assert (report["added"], report["skipped"], report["rejected"]) == (5, 0, [])

    listing = json.loads(run("articles", "--json", db=db).stdout)
    assert len(listing) == 5
    assert all(
        set(row) >= {"id", "source", "title", "outlet", "place", "published", "words"}
        for row in listing
    )
    rewrite = next(row for row in listing if row["source"] == str(seed_path("001")))
    assert (rewrite["outlet"], rewrite["place"], rewrite["published"]) == (
        "The Gulf Observer",
        "Washington",
        None,
    )

    whole = json.loads(run("article", rewrite["id"], "--json", db=db).stdout)
    assert set(whole) >= {
        "id",
        "source",
        "title",
        "outlet",
        "place",
        "published",
        "text",
        "sentences",
    }
    for sentence in whole["sentences"]:
        assert whole["text"][sentence["start"] : sentence["end"]] == sentence["text"]

    (story,) = json.loads(run("stories", "--json", db=db).stdout)
    assert json.loads(run("related", story["id"], "--json", db=db).stdout) == []  # one story
    assert run("related", story["id"], db=db).stdout.strip() == "no related stories"
    unknown = run("related", "ffffffffffff", db=db)
    assert unknown.returncode == 1 and "storyline stories" in unknown.stderr

    # Search: stemmed, counted, narrowed, with the passage that matched.
    found = json.loads(run("search", "sanction", "--limit", "2", "--json", db=db).stdout)
    assert found["total"] == 5 and len(found["results"]) == 2
    hit = found["results"][0]
    assert hit["highlights"] and all(
        hit["snippet"][s:e].lower().startswith("sanction") for s, e in hit["highlights"]
    )
    text = run("search", "sanction", "--story", story["id"], db=db).stdout
    assert text.startswith("5 reports match") and "**" in text  # not a terminal: stars

    again = json.loads(run("ingest", str(SEEDS), "--json", db=db).stdout)
    # The seeds are skipped; EXPECTED.md beside them is notes, refused with its reason.
    assert (again["added"], again["skipped"]) == (0, 5)
    assert [Path(r["source"]).name for r in again["rejected"]] == ["EXPECTED.md"]


def test_db_from_environment_and_option_after_subcommand(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    done = subprocess.run(
        [sys.executable, "-m", "storyline", "ingest", str(seed_path("004"))],
        capture_output=True,
        text=True,
        env={"STORYLINE_DB": str(db), "PATH": ""},
    )
    assert done.returncode == 0, done.stderr
    listing = subprocess.run(
        [sys.executable, "-m", "storyline", "articles", "--db", str(db), "--json"],
        capture_output=True,
        text=True,
    )
    assert [row["place"] for row in json.loads(listing.stdout)] == ["Istanbul"]


def test_exit_codes_and_one_line_errors(tmp_path: Path) -> None:
    db = tmp_path / "codes.db"
    missing = run("ingest", str(tmp_path / "nowhere.txt"), db=db)
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1 and "no such file" in missing.stderr
    unknown = run("article", "ffffffffffff", db=db)
    assert unknown.returncode == 1 and "storyline articles" in unknown.stderr
    bad_date = run("ingest", str(seed_path("000")), "--published", "someday", db=db)
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr  # bad usage
    usage = run("ingest", db=db)
    assert usage.returncode == 2
    assert run("no-such-command", db=db).returncode == 2
    since = run("changes", "--since", "garbage", db=db)
    assert since.returncode == 2 and "YYYY-MM-DD" in since.stderr


def test_a_command_that_reads_never_creates_a_store(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    for command in (["articles"], ["stories", "--json"], ["brief"], ["analyse"]):
        result = run(*command, db=db)
        assert result.returncode == 2, command
        assert result.stderr.count("\n") == 1 and "no store at" in result.stderr
    assert not db.exists()


def test_articles_list_untitled_reports_by_their_lead_and_their_source(tmp_path: Path) -> None:
    db = tmp_path / "lead.db"
    report = tmp_path / "wire.txt"
    report.write_text(
        "Officials met U.S. envoys in Ankara on Tuesday to discuss the sale of forty fighter"
        " jets to the air force, a ministry source said. Talks resume next week.\n",
        encoding="utf-8",
    )
    assert run("ingest", str(report), "--no-analyse", db=db).returncode == 0
    (row,) = json.loads(run("articles", "--json", db=db).stdout)
    assert row["title"] is None  # the contract: unknowns are null
    # Cut at a word after 14 words, never at the abbreviation, and marked as a lead.
    assert row["headline"] == (
        "Officials met U.S. envoys in Ankara on Tuesday to discuss the sale of forty …"
        " (lead; untitled)"
    )
    text = run("articles", db=db).stdout
    assert row["headline"] in text and str(report) in text
    assert re.search(r"  \d+ words  ", text)
    assert run("analyse", db=db).returncode == 0
    events = run("events", db=db).stdout  # one report: no plural
    assert events.endswith(", 1 report\n") and row["headline"].split(" (lead")[0] in events


def test_rejections_go_to_stderr_and_json_stays_clean(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "ok.txt").write_text(
        "A ferry ran aground near the island on Sunday; nobody was hurt."
    )
    done = run("ingest", str(tmp_path / "in"), "--json", db=tmp_path / "r.db")
    assert done.returncode == 0
    report = json.loads(done.stdout)
    assert report["added"] == 1 and report["rejected"][0]["reason"] == "empty file"
    assert "empty.txt" in done.stderr


def test_deferred_analysis_runs_once_and_resumes(tmp_path: Path) -> None:
    db = tmp_path / "later.db"
    stored = run(
        "ingest", str(seed_path("003")), str(seed_path("004")), "--no-analyse", "--json", db=db
    )
    assert json.loads(stored.stdout)["added"] == 2
    first = json.loads(run("analyse", "--json", db=db).stdout)
    # Every article stage saw both reports; their one story was synthesised.
    assert first.pop("synthesise") == 1
    assert first and all(count == 2 for count in first.values())
    first["synthesise"] = 1
    again = json.loads(run("analyse", "--json", db=db).stdout)
    assert set(again) == set(first) and all(count == 0 for count in again.values())


def test_an_annotator_failure_is_isolated_to_its_article(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from storyline import Settings, Storyline
    from storyline.enrich import ANNOTATORS

    def fails_on_ferries(store, article, doc, settings):  # type: ignore[no-untyped-def]
        store.db.execute(
            "INSERT INTO rejections (source, reason, at) VALUES ('probe', ?, 'x')", (article.id,)
        )
        if "ferry" in article.text:
            raise RuntimeError("unforeseen")

    monkeypatch.setattr("storyline.enrich.ANNOTATORS", [*ANNOTATORS, fails_on_ferries])
    (tmp_path / "a.txt").write_text(
        "A ferry ran aground near the island on Sunday; nobody was hurt."
    )
    (tmp_path / "b.txt").write_text(
        "The council approved a new library for the town centre on Monday."
    )
    with Storyline(Settings(db_path=tmp_path / "iso.db")) as storyline:
        report = storyline.ingest([tmp_path])
        assert len(report.added) == 2
        probes = {r.reason for r in storyline.rejections() if r.source == "probe"}
        ferry = next(a.id for a in storyline.articles() if "ferry" in a.text)
        assert probes == set(report.added) - {ferry}, (
            "the failing article's partial rows are rolled back"
        )
        assert any(
            "Sunday" in d.text for d in storyline.dates(ferry)
        )  # earlier annotators kept theirs


def test_quotes_text_reads_as_a_sentence_opening() -> None:
    from storyline.cli import _quotes_text

    rows = [
        {"article": "a1", "speaker": "Ines Ward", "cue": "said", "direct": True, "text": "Go."},
        {"article": "a1", "speaker": "Piet Olsen", "cue": "according to", "direct": False,
         "text": "the pier will reopen"},
        {"article": "a2", "speaker": None, "cue": "said", "direct": False, "text": "it is shut"},
    ]  # fmt: skip
    assert _quotes_text(rows).splitlines() == [
        "a1  Ines Ward said: “Go.”",
        "a1  according to Piet Olsen: the pier will reopen",
        "a2  (unknown) said: it is shut",
    ]


def test_progress_is_logged_in_lines_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from storyline import cli

    original = cli.LOG_EVERY
    cli.LOG_EVERY = 0.0  # every event gets its line
    try:
        done = CliRunner().invoke(
            cli.cli, ["--db", str(tmp_path / "p.db"), "ingest", str(seed_path("003"))]
        )
    finally:
        cli.LOG_EVERY = original
    assert done.exit_code == 0, done.output
    lines = [line for line in done.stderr.splitlines() if line.startswith("storyline: ")]
    steps = [line.split(":")[1].strip() for line in lines]
    assert "reading" in steps and {"dedup", "enrich", "cluster"} <= set(steps)
    assert all(line.endswith("/s") for line in lines)
    assert "storyline: enrich: 1/1 reports" in done.stderr


def test_commands_that_read_the_store_import_no_model_or_analysis_library() -> None:
    heavy = ["sklearn", "scipy", "datasketch", "trafilatura", "spacy", "onnxruntime", "torch"]
    probe = (
        "import sys, storyline.cli, storyline.core;"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
