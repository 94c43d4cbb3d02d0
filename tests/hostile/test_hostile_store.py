"""A store survives what a careless user does to it: a report too long for one stage,
kill -9 at every stage boundary, and two CLI writers with the server writing at once."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from storyline import Settings, Storyline
from storyline.pipeline import STAGES

TOWNS = ["Arden", "Bexley", "Corran", "Dunmere", "Elsworth", "Farrow", "Glenby", "Harlow"]
WORKS = ["bridge", "library", "harbour wall", "tram depot", "water tower", "market hall"]


def _report(number: int) -> dict[str, str]:
    """A short hand-made report; each number a different town, work and day."""
    town, work = TOWNS[number % len(TOWNS)], WORKS[number % len(WORKS)]
    day = 1 + number % 27
    return {
        "url": f"https://hostile.example/{number}",
        "title": f"{town} council approves new {work}",
        "published": f"2026-04-{day:02d}",
        "text": (
            f"The {town} town council approved plans for a new {work} on April {day}, "
            f"mayor Lena Okoro said. Construction of the {work} is expected to cost "
            f"{2 + number % 9} million euros and to begin next spring. Residents of {town} "
            f"asked the council in a petition of {100 + number} signatures to publish the "
            "contracts before the work begins."
        ),
    }


def _dump(path: Path, numbers: range) -> Path:
    path.write_text("".join(json.dumps(_report(n)) + "\n" for n in numbers), encoding="utf-8")
    return path


def _cli(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "storyline", "--db", str(db), *args]


def _scalar(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # not created yet, or briefly locked
        return 0


def _descendants(pid: int) -> set[int]:
    """Every process below `pid` (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(") ", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:  # a zombie is dead, only not yet reaped
            return stat.read().rsplit(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def test_a_report_too_long_for_the_parser_never_stops_the_runs_after_it(tmp_path: Path) -> None:
    # Over spaCy's 1,000,000-character limit (E088): it once failed every later run.
    sentence = "The harbour board met again on Monday to discuss the dredging of the channel. "
    long_report = tmp_path / "long.txt"
    long_report.write_text(sentence * (1_050_000 // len(sentence)), encoding="utf-8")
    with Storyline(Settings(db_path=tmp_path / "long.db")) as opened:
        first = opened.ingest([long_report])
        assert len(first.added) == 1 and not first.rejected
        later = opened.ingest([_dump(tmp_path / "later.jsonl", range(2))])
        assert len(later.added) == 2
        assert len(opened.articles()) == 3
        assert {d.article for d in opened.dates()} >= {a.id for a in opened.articles()}
        assert opened.stories()


# Each kill point: what the store must show before the kill lands.
KILL_POINTS: list[tuple[str, str]] = [
    ("while storing", "SELECT count(*) >= 40 FROM articles"),
    (
        "in copy detection",
        "SELECT (SELECT count(*) FROM articles) = 120 AND (SELECT count(*) FROM stage_done) = 0",
    ),
    ("between enrich batches", "SELECT count(*) >= 50 FROM stage_done WHERE stage = 'enrich'"),
    ("in clustering", "SELECT count(*) = 120 FROM stage_done WHERE stage = 'enrich'"),
    ("in synthesis", "SELECT count(*) = 120 FROM stage_done WHERE stage = 'cluster'"),
]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_at_each_stage_boundary_loses_nothing_and_leaves_no_process(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    dump = _dump(tmp_path / "many.jsonl", range(120))
    env = {**os.environ, "STORYLINE_BATCH_SIZE": "20"}
    stored_before = 0
    for point, reached in KILL_POINTS:
        if point == "while storing":
            command = _cli(db, "ingest", str(dump), "--no-analyse")
        else:
            command = _cli(db, "analyse")
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        helpers = _kill_when(process, db, reached, point)
        assert not [pid for pid in _wait_all_gone(helpers) if _alive(pid)], point
        with sqlite3.connect(db) as check:
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok", point
        stored = _scalar(db, "SELECT count(*) FROM articles")
        assert stored >= stored_before, f"{point}: committed reports were lost"
        stored_before = stored
        if point == "while storing":  # the rest is stored before the analysis is killed
            subprocess.run(_cli(db, "ingest", str(dump), "--no-analyse"), env=env, check=True)
    finish = subprocess.run(_cli(db, "ingest", str(dump)), env=env, capture_output=True)
    assert finish.returncode == 0, finish.stderr
    assert _scalar(db, "SELECT count(*) FROM articles") == 120
    for stage in STAGES:
        done = _scalar(db, f"SELECT count(*) FROM stage_done WHERE stage = '{stage.name}'")
        assert done == 120, stage.name
    assert _scalar(db, "SELECT count(*) FROM stories") >= 1


def _kill_when(process: subprocess.Popen[bytes], db: Path, reached: str, point: str) -> set[int]:
    """SIGKILL `process` once the query `reached` is true of the store; returns the
    processes it had started."""
    deadline = time.monotonic() + 300
    helpers: set[int] = set()
    try:
        while not _scalar(db, reached):
            assert process.poll() is None, f"the run ended before {point}"
            assert time.monotonic() < deadline, f"never reached {point}"
            helpers |= _descendants(process.pid)
            time.sleep(0.02)
        helpers |= _descendants(process.pid)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
    return helpers


def _wait_all_gone(pids: set[int], seconds: float = 15) -> set[int]:
    deadline = time.monotonic() + seconds
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return pids


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_two_cli_writers_and_the_server_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    port = _free_port()
    server = subprocess.Popen(
        _cli(db, "serve", "--port", str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_server(port)
        writers = [
            subprocess.Popen(
                _cli(db, "ingest", str(_dump(tmp_path / f"w{n}.jsonl", range(n * 10, n * 10 + 8)))),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for n in (1, 2)
        ]
        posted = [_report(n) for n in range(40, 46)]
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/ingest?wait=true",
            data=json.dumps(posted).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=600) as answer:
            assert answer.status == 200
            assert json.load(answer)["added"] == len(posted)
        for writer in writers:
            _, err = writer.communicate(timeout=600)
            assert writer.returncode == 0, err.decode()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    assert _scalar(db, "SELECT count(*) FROM articles") == 8 + 8 + len(posted)
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _wait_for_server(port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stories", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")
