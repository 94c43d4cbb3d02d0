"""What the command line is given cannot break it: numeric settings from the environment or
options, ids too long (or not text) for the store, inputs that are all rejected. Each ends
in one line on stderr and the contract's exit status (2 bad usage, 1 could not do the job),
never a traceback. Runs `main()` in process, as `storyline` does."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from storyline.cli import main
from storyline.errors import UsageError
from storyline.settings import Settings

REPORT = (
    "The Millbrook harbour ferry resumed service on Monday after four months of repairs, "
    "the town council said.\n"
)


def storyline(
    *args: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `storyline ARGS...`."""
    monkeypatch.setattr(sys, "argv", ["storyline", *args])
    capsys.readouterr()
    try:
        main()
        status = 0
    except SystemExit as exit:
        status = int(exit.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "short.txt").write_text("Too short.\n", encoding="utf-8")
    return {name: str(tmp_path / f"{name}.txt") for name in ("report", "empty", "short")} | {
        "db": str(tmp_path / "cli.db")
    }


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("STORYLINE_BATCH_SIZE", "abc"),
        ("STORYLINE_MAX_DOCUMENT_BYTES", "1e6"),
        ("STORYLINE_MAX_DOCUMENT_BYTES", "-5"),
        ("STORYLINE_ANALYSED_CHARACTERS", "0"),
        ("STORYLINE_BATCH_SIZE", "99999999999999999999"),
    ],
)
def test_a_bad_number_in_the_environment_is_one_line_and_exit_2(
    variable: str,
    value: str,
    files: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(variable, value)
    status, out, err = storyline(
        "--db", files["db"], "ingest", files["report"], monkeypatch=monkeypatch, capsys=capsys
    )
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and f"${variable}" in err and "whole number" in err
    assert not Path(files["db"]).exists()


def test_good_numbers_from_the_environment_are_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_BATCH_SIZE", " 50 ")
    monkeypatch.setenv("STORYLINE_MAX_DOCUMENT_BYTES", "1000000")
    settings = Settings.from_env()
    assert (settings.batch_size, settings.max_document_bytes) == (50, 1_000_000)
    for bad in ({"batch_size": 0}, {"min_words": -1}, {"max_document_bytes": 1.5}):
        with pytest.raises(UsageError, match="whole number of 1 or more"):
            Settings(**bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("max_bytes", ["-5", "0"])
def test_max_bytes_must_be_positive(
    max_bytes: str,
    files: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = storyline(
        "--db",
        files["db"],
        "ingest",
        files["report"],
        "--max-bytes",
        max_bytes,
        monkeypatch=monkeypatch,
        capsys=capsys,
    )
    assert status == 2 and "--max-bytes" in err
    assert not Path(files["db"]).exists()


def test_ingest_exits_1_when_every_input_is_rejected_and_0_when_some_got_in(
    files: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run = ["--db", files["db"], "ingest", "--no-analyse", "--json"]
    status, out, err = storyline(
        *run, files["empty"], files["short"], monkeypatch=monkeypatch, capsys=capsys
    )
    assert status == 1
    assert len(json.loads(out)["rejected"]) == 2  # the report is still printed
    summary = [line for line in err.splitlines() if line.startswith("storyline:")]
    assert len(summary) == 1 and "every input was rejected" in summary[0]
    partly, out, _ = storyline(
        *run, files["empty"], files["report"], monkeypatch=monkeypatch, capsys=capsys
    )
    assert partly == 0 and json.loads(out)["added"] == 1
    again, _, _ = storyline(*run, files["report"], monkeypatch=monkeypatch, capsys=capsys)
    assert again == 0  # already stored is not rejected
    _, help_text, _ = storyline("ingest", "--help", monkeypatch=monkeypatch, capsys=capsys)
    assert "1 when every" in " ".join(help_text.split())


def test_ids_too_long_or_not_text_are_one_line_and_exit_2(
    files: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", files["db"]]
    made, _, _ = storyline(
        *db, "ingest", "--no-analyse", files["report"], monkeypatch=monkeypatch, capsys=capsys
    )
    assert made == 0
    undecodable = "\udcff\udcfe"  # bytes a shell passed that are not UTF-8
    for args in (
        ["article", "a" * 100_000],
        ["article", undecodable],
        ["related", "a" * 100_000],
        ["events", "--story", "a" * 100_000],
        ["dates", "--article", "a" * 100_000],
        ["duplicates", "--pairs", "a" * 100_000],
        ["search", "ferry", "--story", "a" * 100_000],
        ["search", undecodable],
        ["search", "ferry", "--outlet", undecodable],
        ["articles", "--search", "ferry " * 1000],
        ["merge", "a" * 100_000, "b"],
    ):
        status, out, err = storyline(*db, *args, monkeypatch=monkeypatch, capsys=capsys)
        assert status == 2 and out == "", args[0]
        assert err.count("\n") == 1 and err.startswith("storyline: "), (args[0], err[:200])
    for limit in ("0", "-1", "99999999999999999999"):
        status, _, err = storyline(
            *db, "search", "ferry", "--limit", limit, monkeypatch=monkeypatch, capsys=capsys
        )
        assert status == 2 and "--limit" in err, limit
    found, out, _ = storyline(*db, "search", "ferry", monkeypatch=monkeypatch, capsys=capsys)
    assert found == 0 and "ferry" in out.lower()
