"""The web UI in a real browser: Debian's headless Chromium driven by Playwright.

Loads the seeds, opens the story, checks the timeline shows its entries and sources,
clicks through to seed 001 and checks its alignment with seed 000, and saves screenshots
to artifacts/. Never downloads a browser (`playwright install` is not used).
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline import Storyline
from storyline.serve import create_app
from storyline.synthesise.brief import readable_date

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(
        "no /usr/bin/chromium; install it with `apt-get install chromium` (CI always runs this)",
        allow_module_level=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(seeded: tuple[Storyline, dict[str, str]]) -> Iterator[str]:
    """The app under uvicorn in a thread on 127.0.0.1, serving the seeded store."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(
        create_app(seeded[0].settings), host="127.0.0.1", port=port, log_level="warning"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start within 30 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_story_timeline_and_alignment_in_chromium(
    server: str, browser: object, seeded: tuple[Storyline, dict[str, str]]
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    storyline, ids = seeded
    (story,) = storyline.stories()
    timeline = storyline.timeline(story.id)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    # The first story page computes claims and the briefing: allow a slow, busy machine.
    page.set_default_timeout(180_000)
    expect.set_options(timeout=180_000)

    page.goto(server + "/")
    page.get_by_role("link", name=story.title).click()
    expect(page).to_have_url(f"{server}/stories/{story.id}")

    entries = page.locator("#timeline .tl-entry")
    expect(entries).to_have_count(len(timeline))
    expect(page.locator("svg.timeline-chart circle.dot")).to_have_count(len(timeline))
    for index, entry in enumerate(timeline):
        row = entries.nth(index)
        expect(row.locator("time")).to_have_text(readable_date(entry.date))
        hrefs = row.locator(".sources").first.locator("a.source")
        expect(hrefs).to_have_count(len(entry.sources))
        for source in entry.sources:  # each opens its report at the cited sentence
            cited = row.locator(f'a.source[href^="/articles/{source}?at="]').first
            expect(cited).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "story.png"))
    page.screenshot(path=str(ARTIFACTS / "story-full.png"), full_page=True)
    record_render_time(server + f"/stories/{story.id}", len(story.articles))

    # A citation opens its report scrolled to the cited sentence, marked.
    first_source = timeline[0].sources[0]
    entries.first.locator(f'a.source[href^="/articles/{first_source}?at="]').first.click()
    expect(page.locator("#cited")).to_be_in_viewport()
    expect(page.locator(".m-cited").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "article-cited.png"))
    page.go_back()

    # The API docs render offline, under the pages' Content-Security-Policy.
    docs = browser.new_page()
    docs.goto(server + "/docs")
    expect(docs.locator(".swagger-ui .info .title")).to_contain_text("storyline")
    expect(docs.locator(".opblock-summary-path", has_text="/api/search").first).to_be_visible()
    docs.close()

    page.locator(f'#reports a[href="/articles/{ids["001"]}"]').click()
    expect(page).to_have_url(f"{server}/articles/{ids['001']}")
    relation = page.locator(f'#copies .relation[data-other="{ids["000"]}"]')
    expect(relation).to_be_visible()
    (aligned,) = storyline.alignment(ids["001"])
    pairs = aligned["aligned"]
    assert isinstance(pairs, list)
    expect(relation.locator("tbody tr")).to_have_count(len(pairs))
    first = relation.locator("tbody tr").first.locator("td")
    expect(first.nth(0)).to_have_text(pairs[0]["article_text"])
    expect(first.nth(1)).to_have_text(pairs[0]["original_text"])
    expect(page.locator(".body .m-entity").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "article.png"), full_page=True)

    # An entity chip opens the entity's page; the search box finds by a stemmed word.
    page.locator(".side .chips a", has_text="Hakan Fidan").first.click()
    expect(page.locator("h1")).to_have_text("Hakan Fidan")
    expect(page.locator("#stories a", has_text=story.title)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "entity.png"), full_page=True)
    page.goto(server + "/search?q=sanction")
    expect(page.locator(".results li")).to_have_count(5)
    expect(page.locator(".results mark").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
    shots = ("story", "article", "article-cited", "entity", "search")
    print("screenshots:", " ".join(str(ARTIFACTS / f"{name}.png") for name in shots))


def record_render_time(url: str, articles: int) -> None:
    """Writes the story page's server time (the page is cached by now) for CI to print;
    a figure to read, not a pass/fail threshold (benchmarks/bench_serve.py measures
    the 2,000-article case)."""
    times = []
    for _ in range(5):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
        times.append((time.perf_counter() - started) * 1000)
    figures = {
        "story_articles": articles,
        "story_page_ms_median": round(statistics.median(times), 1),
        "screenshot": str(ARTIFACTS / "story.png"),
        "bench": "python benchmarks/bench_serve.py (2,000 Timeline17 articles; target < 300 ms)",
    }
    (ARTIFACTS / "render.json").write_text(json.dumps(figures, indent=2) + "\n")
