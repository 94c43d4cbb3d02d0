"""Render time of the story page on a large story (target: under 300 ms).

    python benchmarks/bench_serve.py [DATA_DIR] [--limit 2000] [--db PATH] [--repeat 5]

Ingests up to --limit Timeline17 articles (every analysis stage runs) into a store kept at
--db, so a second run skips the ingest (and finishes any analysis a stopped run left). Unless --no-merge, every story is then merged into
the largest (an analyst correction, as `storyline merge` does) so one story holds all the
articles, and the stories' claims, timeline and briefing are rebuilt and kept (as analysis
and `storyline merge` do). Then, in process through the ASGI app, times GET /stories/{id}:
cold (first request of a fresh server: it reads the kept syntheses) and warm (the same page again while
the store is unchanged: served from the per-version memo), plus one article page and the
story list. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from pathlib import Path

from fastapi.testclient import TestClient

from storyline import Settings, Storyline
from storyline.ingest import read_inputs
from storyline.serve import create_app

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "bench" / "timeline17"


def build_store(data: Path, db: Path, limit: int, merge: bool) -> tuple[str, int, float, float]:
    """The story to render, how many articles it holds, the ingest time (0 if reused) and
    the time to rebuild the kept syntheses of the stories the merges changed."""
    files = sorted(data.rglob("articles.jsonl")) + sorted(data.rglob("articles.tokenized.jsonl.gz"))
    if not files:
        sys.exit(f"no Timeline17 articles under {data}")
    with Storyline(Settings(db_path=db)) as storyline:
        spent = 0.0
        if len(storyline.store.article_ids()) < limit:
            started = time.perf_counter()
            documents = itertools.islice(read_inputs(files, storyline.settings), limit)
            storyline.ingest_documents(documents)
            spent = time.perf_counter() - started
        else:
            storyline.analyse()  # finishes the analysis of a run that was stopped
        stories = sorted(storyline.stories(), key=lambda s: (-len(s.articles), s.id))
        largest = stories[0]
        if merge:
            for other in stories[1:]:
                storyline.merge(largest.id, other.id)
            largest = next(s for s in storyline.stories() if s.id == largest.id)
        started = time.perf_counter()
        storyline.refresh()  # what `storyline merge` does after a correction
        return largest.id, len(largest.articles), spent, time.perf_counter() - started


def timed(client: TestClient, path: str) -> float:
    return timed_cpu(client, path)[0]


def timed_cpu(client: TestClient, path: str) -> tuple[float, float]:
    """Wall and CPU milliseconds of one GET (CPU: this process, so load elsewhere is left out)."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    if response.status_code != 200:
        sys.exit(f"GET {path} answered {response.status_code}: {response.text[:300]}")
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/storyline-bench-serve.db"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-merge", dest="merge", action="store_false")
    args = parser.parse_args()
    story, size, ingest_s, refresh_s = build_store(args.data, args.db, args.limit, args.merge)
    client = TestClient(create_app(Settings(db_path=args.db)))
    page = f"/stories/{story}"
    cold, cold_cpu = timed_cpu(client, page)
    warm = [timed(client, page) for _ in range(args.repeat)]
    article = client.get(f"/api/stories/{story}").json()["articles"][0]
    article_cold = timed(client, f"/articles/{article}")
    html = client.get(page).text
    html_bytes = len(html.encode())
    print(
        json.dumps(
            {
                "story": story,
                "story_articles": size,
                "ingest_s": round(ingest_s, 1),
                "synthesis_refresh_s": round(refresh_s, 1),
                "story_page_cold_ms": round(cold, 1),
                "story_page_cold_cpu_ms": round(cold_cpu, 1),
                "story_page_warm_ms": round(statistics.median(warm), 1),
                "story_page_kb": round(html_bytes / 1024, 1),
                "timeline_entries_shown": html.count('class="tl-entry"'),
                "article_page_cold_ms": round(article_cold, 1),
                "home_ms": round(timed(client, "/"), 1),
                "target_ms": 300,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
