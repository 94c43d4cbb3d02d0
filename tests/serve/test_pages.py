"""The HTML pages: what a reader sees, and that untrusted report text is always escaped."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from storyline import Settings, Storyline
from storyline.models import RelatedStory
from storyline.serve import create_app

SECTIONS = ("timeline", "coverage", "events", "briefing", "claims", "quotes", "entities", "new")
FORBIDDEN_TAGS = {"script", "iframe", "img", "object", "embed"}

# Invented hostile report: markup in every field a report controls.
HOSTILE = {
    "title": "<script>alert('title')</script> Council <b onmouseover=alert(1)>vote</b>",
    "outlet": "<img src=x onerror=alert('outlet')>Gazette",
    "published": "2024-03-01",
    "url": "javascript:alert('url')",
    "text": (
        "The <script>document.title='pwned'</script> council of Brenford voted on Tuesday to "
        "close the old quarry, Councillor Ida <img src=x onerror=alert(2)> Marsh said. "
        '"We <iframe src=//evil.example></iframe> will plant a forest there," Marsh said. '
        'The <a href="javascript:alert(3)" onclick="steal()">vote</a> passed by nine to two.'
    ),
}


class ActiveContent(HTMLParser):
    """Collects what a browser would act on: forbidden tags, on* handlers, javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")


def active_content(page: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(page)
    return parser.found


def escaped(text: str) -> str:
    """Text as the templates print it (Jinja2's autoescape)."""
    return str(escape(text))


@pytest.fixture(scope="module")
def pages(seeded: tuple[Storyline, dict[str, str]]) -> TestClient:
    return TestClient(create_app(seeded[0].settings))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    client = TestClient(create_app(Settings(db_path=tmp_path_factory.mktemp("hostile") / "h.db")))
    assert client.post("/api/ingest?wait=true", json=[HOSTILE]).status_code == 200
    yield client


def test_home_lists_the_story(pages: TestClient, seeded: tuple[Storyline, dict[str, str]]) -> None:
    storyline, ids = seeded
    (story,) = storyline.stories()
    page = pages.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'href="/stories/{story.id}"' in page.text
    # At a glance: the story's latest report (undated seeds: the last to arrive) and its line.
    latest = re.search(r'<p class="latest">.*?</p>', page.text, re.S)
    assert latest and "Latest, AP:" in latest.group() and ids["004"] in latest.group()
    assert "Trump" in latest.group()
    assert escaped(story.title) in page.text
    assert 'action="/search"' in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing from a CDN


def test_story_page_shows_every_section(
    pages: TestClient, seeded: tuple[Storyline, dict[str, str]]
) -> None:
    storyline, ids = seeded
    (story,) = storyline.stories()
    page = pages.get(f"/stories/{story.id}").text
    for section in SECTIONS:
        assert f'<section id="{section}">' in page, section
    timeline = storyline.timeline(story.id)
    assert page.count('class="tl-entry"') == len(timeline)
    assert page.count('<circle class="dot') == len(timeline)
    for entry in timeline:
        assert escaped(entry.text) in page
    for article_id in ids.values():
        assert f'href="/articles/{article_id}"' in page
    for event in storyline.events(story.id):
        assert f'id="e-{event.id}"' in page
    top_claim = storyline.claims(story.id)[0]
    assert f'id="c-{top_claim.id}"' in page


def test_story_page_what_is_new(
    pages: TestClient, seeded: tuple[Storyline, dict[str, str]]
) -> None:
    storyline, _ = seeded
    (story,) = storyline.stories()
    plain = pages.get(f"/stories/{story.id}").text
    assert '<ul class="changes">' not in plain
    since = pages.get(f"/stories/{story.id}?since=2000-01-01").text
    changes = storyline.changes(story.id, "2000-01-01")
    assert since.count('<span class="badge">') == len(changes) > 0
    assert pages.get(f"/stories/{story.id}?since=soon").status_code == 400


def test_article_page_marks_and_alignment(
    pages: TestClient, seeded: tuple[Storyline, dict[str, str]]
) -> None:
    storyline, ids = seeded
    page = pages.get(f"/articles/{ids['001']}").text
    for kind in ("m-entity", "m-quote", "m-date"):
        assert kind in page, kind
    assert f'data-other="{ids["000"]}"' in page
    (relation,) = storyline.alignment(ids["001"])
    for pair in relation["aligned"]:  # type: ignore[attr-defined]
        assert escaped(pair["original_text"]) in page
    original = pages.get(f"/articles/{ids['000']}").text
    assert f'data-other="{ids["001"]}"' in original  # the original shows its rewrite too
    lonely = pages.get(f"/articles/{ids['004']}").text
    assert "No copies or rewrites" in lonely


def test_article_text_survives_highlighting(
    pages: TestClient, seeded: tuple[Storyline, dict[str, str]]
) -> None:
    storyline, ids = seeded
    page = pages.get(f"/articles/{ids['002']}").text
    body = page.split('<div class="body">', 1)[1].split("</div>", 1)[0]
    visible = html.unescape(re.sub(r"<[^>]+>", "", body))
    assert visible == storyline.article(ids["002"]).text


def test_search_page(pages: TestClient, seeded: tuple[Storyline, dict[str, str]]) -> None:
    _, ids = seeded
    page = pages.get("/search?q=Barrack").text
    assert f'href="/articles/{ids["003"]}"' in page and f'href="/articles/{ids["004"]}"' in page
    assert "2 reports match" in page
    assert pages.get("/search").status_code == 200
    # The passage that matched, its words marked; filters narrow the hits.
    assert "<mark>Barrack</mark>" in page
    only = pages.get("/search?q=Barrack&since=&outlet=AP&story=").text
    assert "1 report matches" in only and f'href="/articles/{ids["004"]}"' in only


def test_missing_pages_are_friendly_404s(pages: TestClient) -> None:
    for path in ("/stories/nope", "/articles/ffffffffffff", "/nowhere"):
        response = pages.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "Not found" in response.text


def test_static_assets_are_local(pages: TestClient) -> None:
    css = pages.get("/static/style.css")
    assert css.status_code == 200 and "@import" not in css.text and "url(" not in css.text


def test_hostile_report_is_escaped_everywhere(hostile: TestClient) -> None:
    assert len(active_content(HOSTILE["text"])) >= 4  # the check bites on the raw markup
    (article,) = hostile.get("/api/articles").json()
    stories = hostile.get("/api/stories").json()
    paths = ["/", f"/articles/{article['id']}", "/search?q=council", "/search?q=<script>"]
    paths += [f"/stories/{s['id']}" for s in stories]
    paths += [f"/stories/{s['id']}?since=2000-01-01" for s in stories]
    paths += [f"/entities/{e['id']}" for e in hostile.get("/api/entities").json()]
    paths += [f"/articles/{article['id']}?at=0", "/search?q=council&outlet=<b>x</b>"]
    assert stories, "the hostile report should form a story"
    seen_escaped = False
    for path in paths:
        page = hostile.get(path)
        assert page.status_code == 200, path
        assert active_content(page.text) == [], path
        seen_escaped |= "&lt;script&gt;" in page.text or "&lt;img" in page.text
    assert seen_escaped, "the markup should be shown as text, not dropped silently"
    article_page = hostile.get(f"/articles/{article['id']}").text
    assert "&lt;img src=x onerror=alert(&#39;outlet&#39;)&gt;Gazette" in article_page


def test_story_page_shows_related_stories_apart(
    seeded: tuple[Storyline, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    storyline, ids = seeded
    (story,) = storyline.stories()
    plain = TestClient(create_app(storyline.settings)).get(f"/stories/{story.id}").text
    assert '<section id="related">' not in plain  # the seeds are one story, related to none
    other = RelatedStory("0123456789ab", "Talks <b>elsewhere</b>", (ids["003"],))
    monkeypatch.setattr(Storyline, "related_stories", lambda self, story: [other])
    page = TestClient(create_app(storyline.settings)).get(f"/stories/{story.id}").text
    assert '<section id="related">' in page and 'href="#related"' in page
    assert 'href="/stories/0123456789ab"' in page and escaped(other.title) in page
    assert f'href="/articles/{ids["003"]}"' in page and "1 report about both" in page


# Invented: a report whose timeline has a season ("this winter") and a month.
WINTER = {
    "title": "Island ferry to resume after storms",
    "outlet": "Harbour News",
    "published": "2026-01-15",
    "text": (
        "The island ferry will resume service in the spring, the council said on Thursday. "
        "The service was suspended this winter after storms damaged the pier at Lenwick."
    ),
}


def test_season_codes_read_as_words(tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(db_path=tmp_path / "w.db")))
    assert client.post("/api/ingest?wait=true", json=[WINTER]).status_code == 200
    (story,) = client.get("/api/stories").json()
    codes = {e["date"] for e in client.get(f"/api/timeline?story={story['id']}").json()}
    assert "2026-WI" in codes  # the API keeps the TIMEX code
    page = client.get(f"/stories/{story['id']}").text
    assert ">winter 2025–2026</time>" in page and ">2026-WI</time>" not in page


def test_a_citation_opens_the_report_at_the_cited_sentence(
    pages: TestClient, seeded: tuple[Storyline, dict[str, str]]
) -> None:
    storyline, _ = seeded
    (story,) = storyline.stories()
    page = pages.get(f"/stories/{story.id}").text
    links = re.findall(r'href="/articles/(\w+)\?at=(\d+)#cited"', page)
    assert links
    article_id, at = links[0]
    article = storyline.article(article_id)
    (sentence,) = [s for s in article.sentences if s.start <= int(at) < s.end]
    opened = pages.get(f"/articles/{article_id}?at={at}").text
    cited = re.findall(
        r'<span (?:id="cited" )?class="[^"]*m-cited[^"]*"[^>]*>([^<]*)</span>', opened
    )
    assert html.unescape("".join(cited)) == sentence.text
    assert opened.count('id="cited"') == 1
    assert "m-cited" not in pages.get(f"/articles/{article_id}").text


def test_briefing_and_claim_citations_open_at_their_sentences(
    pages: TestClient, seeded: tuple[Storyline, dict[str, str]]
) -> None:
    storyline, _ = seeded
    (story,) = storyline.stories()
    page = pages.get(f"/stories/{story.id}").text
    starts = {
        a.id: {s.start for s in storyline.article(a.id).sentences} for a in storyline.articles()
    }
    for section in ('id="briefing"', 'id="claims"'):
        part = page[page.index(section) :]
        part = part[: part.index("</section>")]
        links = re.findall(r'href="/articles/(\w+)(\?at=(\d+)#cited)?"', part)
        assert links and all(at for _, at, _ in links), section
        assert all(int(start) in starts[a] for a, _, start in links)


def test_an_entity_chip_opens_its_page_with_names_stories_quotes_and_days(
    pages: TestClient, seeded: tuple[Storyline, dict[str, str]]
) -> None:
    storyline, _ = seeded
    (story,) = storyline.stories()
    barrack = next(e for e in storyline.entities(story.id) if e.name == "Tom Barrack")
    assert f'href="/entities/{barrack.id}"' in pages.get(f"/stories/{story.id}").text
    page = pages.get(f"/entities/{barrack.id}").text
    assert "<h1>Tom Barrack</h1>" in page and f'href="/stories/{story.id}"' in page
    said = [q for q in storyline.quotes(story.id) if q.entity == barrack.id]
    assert said and all(escaped(q.text) in page for q in said)
    # Undated seeds: every report naming him falls under "undated", each cited.
    assert "<time>undated</time>" in page
    assert all(f'href="/articles/{a}' in page for a in barrack.articles)
    profile = pages.get(f"/api/entities/{barrack.id}").json()
    assert profile["stories"] == [{"id": story.id, "title": story.title, "reports": 2}]
    assert len(profile["quotes"]) == len(said)
    assert pages.get("/entities/ffffffffffff").status_code == 404


def test_claims_are_filtered_and_single_source_ones_folded(
    pages: TestClient, seeded: tuple[Storyline, dict[str, str]]
) -> None:
    storyline, _ = seeded
    (story,) = storyline.stories()
    claims = storyline.claims(story.id)
    page = pages.get(f"/stories/{story.id}").text
    section = page[page.index('<section id="claims">') : page.index('<section id="quotes">')]
    single = sum(1 for c in claims[:60] if c.independent < 2)
    assert single and f"<summary>{single} claims from a single source</summary>" in section
    # Filtered: only claims with the words (in any case), every one of them counted.
    matching = [c for c in claims if "s-400" in c.text.casefold()]
    narrowed = pages.get(f"/stories/{story.id}?claim=s-400").text
    shown = re.findall(r'<li id="c-(\w+)" class="claim', narrowed)
    assert matching and set(shown) == {c.id for c in matching[:60]}
    assert f"{len(matching)} claims have <q>s-400</q>" in narrowed
    assert "No claim has these words." in pages.get(f"/stories/{story.id}?claim=zzqx").text
