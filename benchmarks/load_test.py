"""Load test on loopback: many clients reading and writing at once against `storyline serve`.

    python benchmarks/load_test.py [--clients 50] [--seconds 60] [--reports 40] [--writes 0.05]

Builds a store of hand-made reports, starts the server on a free port, and runs `clients`
threads for `seconds`, each picking a read (stories, a story page, articles, claims,
timeline, search, an article page) or, with probability `writes`, an ingest of a new report
(answered at once with a job). Prints the requests, the errors (any 5xx, an unexpected
status, or a failed connection), requests/s and the p50/p99 latency of reads and writes;
exits 1 on any error.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

TOWNS = ["Arden", "Bexley", "Corran", "Dunmere", "Elsworth", "Farrow", "Glenby", "Harlow"]


def report(number: int) -> dict[str, str]:
    town = TOWNS[number % len(TOWNS)]
    return {
        "url": f"https://load.example/{number}",
        "title": f"{town} opens its new library",
        "published": f"2026-05-{1 + number % 28:02d}",
        "text": (
            f"The {town} library opened on Saturday after two years of building, the council "
            f"said. Mayor Ines Varga said {200 + number} readers signed up on the first day. "
            "The library will stay open until nine in the evening on weekdays."
        ),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def call(base: str, method: str, path: str, body: bytes | None = None) -> int:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    request = urllib.request.Request(base + path, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            answer.read()
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {"read": [], "write": []}
        self.errors: list[str] = []

    def add(self, kind: str, seconds: float, problem: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if problem:
                self.errors.append(problem)


def client(
    base: str, paths: list[str], until: float, writes: float, seed: int, tally: Tally
) -> None:
    rng = random.Random(seed)
    number = 10_000 * (seed + 1)
    while time.monotonic() < until:
        if rng.random() < writes:
            kind, method, path = "write", "POST", "/api/ingest"
            body: bytes | None = json.dumps([report(number)]).encode()
            number += 1
            expected = {202}
        else:
            kind, method, path, body, expected = "read", "GET", rng.choice(paths), None, {200}
        began = time.monotonic()
        try:
            status = call(base, method, path, body)
            problem = None if status in expected else f"{method} {path}: {status}"
        except OSError as failed:
            problem = f"{method} {path}: {failed}"
        tally.add(kind, time.monotonic() - began, problem)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--reports", type=int, default=40)
    parser.add_argument("--writes", type=float, default=0.05)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="storyline-load-"))
    db = folder / "load.db"
    dump = folder / "reports.jsonl"
    dump.write_text("".join(json.dumps(report(n)) + "\n" for n in range(args.reports)))
    storyline = [sys.executable, "-m", "storyline", "--db", str(db)]
    subprocess.run([*storyline, "ingest", str(dump)], check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [*storyline, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base)
        stories = json.loads(urllib.request.urlopen(base + "/api/stories").read())
        articles = json.loads(urllib.request.urlopen(base + "/api/articles?limit=5").read())
        paths = ["/", "/api/stories", "/api/articles?limit=50", "/api/search?q=library"]
        paths += [f"/stories/{s['id']}" for s in stories[:3]]
        paths += [f"/api/claims?story={s['id']}" for s in stories[:3]]
        paths += [f"/api/timeline?story={s['id']}" for s in stories[:3]]
        paths += [f"/articles/{a['id']}" for a in articles]
        tally = Tally()
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client, args=(base, paths, until, args.writes, n, tally))
            for n in range(args.clients)
        ]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.monotonic() - began
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=120)
    total = sum(len(v) for v in tally.latencies.values())
    print(f"clients {args.clients}, {took:.0f} s, requests {total} ({total / took:.1f}/s)")
    for kind, values in tally.latencies.items():
        print(
            f"{kind:5}  n {len(values):6}  p50 {1000 * percentile(values, 0.5):7.0f} ms"
            f"  p99 {1000 * percentile(values, 0.99):7.0f} ms"
        )
    print(f"errors {len(tally.errors)}")
    for problem in sorted(set(tally.errors))[:10]:
        print(f"  {problem}")
    return 1 if tally.errors else 0


def wait_for(base: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/api/stories", timeout=5).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


if __name__ == "__main__":
    sys.exit(main())
