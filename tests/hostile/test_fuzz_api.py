"""Property tests of the API's GET routes (issue: nothing a client sends can break a store):
whatever the query parameters and path ids, the answer is never a 5xx, its status is one the
route's OpenAPI documents, and an error is `{"error": "..."}`.

The routes and their parameters are read from the app's own /openapi.json, so a new route is
fuzzed too. The store is three hand-written reports, ingested once for the module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from storyline import Settings, Storyline
from storyline.serve import create_app

# Invented reports: two of one story (a ferry), one of another (an orchard).
REPORTS = {
    "ferry.md": (
        "---\ntitle: Harbour ferry returns after repairs\noutlet: Lakeside Courier\n"
        "published: 2024-04-02\n---\n"
        "The Millbrook harbour ferry resumed service on Monday after four months of repairs, "
        'the town council said. "The new engine cuts the crossing by a third," Mayor Petra '
        "Lindqvist told reporters. The council spent 2.1 million crowns on the overhaul.\n"
    ),
    "ferry-later.md": (
        "---\ntitle: Ferry crossings faster, council says\noutlet: Harbour Notes\n"
        "published: 2024-04-09\n---\n"
        "Crossings on the Millbrook ferry have been a third faster since the repairs ended last "
        "week, the town council said on Tuesday. Mayor Petra Lindqvist said more sailings would "
        "be added in May.\n"
    ),
    "orchard.md": (
        "---\ntitle: Frost damages apple blossom\noutlet: Valley Weekly\npublished: 2024-05-10\n"
        "---\nA late frost on Wednesday night damaged much of the apple blossom in the Orrin "
        "valley, growers said. Farmer Anselm Roth estimated that half of his crop was lost.\n"
    ),
}
# Strings that have broken servers: FTS5 syntax, numbers past 64 bits, dates that are not,
# SQL wildcards, control characters, blanks.
NASTY = [
    "",
    " ",
    '"',
    '""',
    "*",
    "NEAR(",
    "NEAR(a b, 99999999999999999999)",
    "AND OR",
    "NOT",
    "(",
    ")",
    "title:",
    "^",
    "-1",
    "0",
    "99999999999999999999",
    "-99999999999999999999",
    "1e6",
    "2024-02-30",
    "0000-00-00",
    "null",
    "\x00",
    "%",
    "_",
    "%%%%",
    "….",
    "\u202e",
    "\ufeff",
    "٣",
]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
# Path parameter values, and query parameter values, of one call.
Call = tuple[dict[str, str], dict[str, str]]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("fuzz")
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = Settings(db_path=folder / "fuzz.db")
    with Storyline(settings) as storyline:
        storyline.ingest(sorted(folder.glob("*.md")))
    # A failure must come back as the 500 a client would see, not as the test's exception.
    yield TestClient(create_app(settings), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    return dict(client.get("/openapi.json").json())


@pytest.fixture(scope="module")
def known_ids(client: TestClient) -> list[str]:
    """Real ids (and 4-character prefixes) of every kind, so calls reach past the 404."""
    ids = [a["id"] for a in client.get("/api/articles").json()]
    ids += [e["id"] for e in client.get("/api/events").json()]
    ids += [s["id"] for s in client.get("/api/stories").json()]
    ids += [e["id"] for e in client.get("/api/entities").json()]
    ids += [c["id"] for c in client.get("/api/claims").json()]
    return sorted(set(ids + [i[:4] for i in ids]))


def get_routes(spec: dict[str, Any]) -> list[str]:
    return sorted(
        path for path, ops in spec["paths"].items() if path.startswith("/api") and "get" in ops
    )


def values(known: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(known),
        st.sampled_from(NASTY),
        TEXT,
        st.integers().map(str),
        st.lists(st.sampled_from([*NASTY, "ferry", "frost"]), max_size=6).map(" ".join),
        st.text(st.characters(exclude_categories=("Cs",)), min_size=190, max_size=260),
        st.sampled_from(["a" * 60_000, "ferry " * 2_000]),
    )


# Calls that were 500s, kept as regressions: an offset past SQLite's integers; ids longer
# than SQLite's LIKE takes (50,000 bytes). And a query of no words, which must find nothing.
REGRESSIONS: dict[str, list[Call]] = {
    "/api/articles": [({}, {"offset": "99999999999999999999"})],
    "/api/search": [({}, {"q": "ferry", "offset": "99999999999999999999"}), ({}, {"q": " "})],
    "/api/articles/{article_id}": [({"article_id": "a" * 60_000}, {})],
    "/api/stories/{story_id}/related": [({"story_id": "a" * 60_000}, {})],
    "/api/dates": [({}, {"article": "a" * 60_000})],
    "/api/brief": [({}, {"story": "a" * 60_000})],
}


@st.composite
def calls(draw: st.DrawFn, declared: list[dict[str, Any]], known: list[str]) -> Call:
    """Values for a route's path parameters (not "/" or dots only: those name another
    route), and for some of its query parameters."""
    path = {
        p["name"]: draw(values(known).filter(lambda v: v.strip(".") and "/" not in v))
        for p in declared
        if p["in"] == "path"
    }
    names = [p["name"] for p in declared if p["in"] == "query"]
    chosen = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
    query = {name: draw(values(known)) for name in chosen}
    if sum(map(len, query.values())) > 60_000:  # a client's URLs end at 64 KB: keep the longest
        longest = max(query, key=lambda name: len(query[name]))
        query = {longest: query[longest]}
    return path, query


def url_of(route: str, path: dict[str, str]) -> str:
    for name, value in path.items():
        route = route.replace("{" + name + "}", quote(value, safe=""))
    return route


def shortened(values: dict[str, str]) -> dict[str, str]:
    """Values as a failure shows them: a 60,000-character id is its length."""
    return {
        k: v if len(v) < 80 else f"{v[:40]}… ({len(v):,} characters)" for k, v in values.items()
    }


def checker(client: TestClient, route: str, documented: set[str]) -> Callable[[Call], None]:
    """The property for one route: never a 5xx, only documented statuses, errors as JSON."""

    def check(call: Call) -> None:
        path, query = call
        response = client.get(url_of(route, path), params=query)
        sent = (route, shortened(path), shortened(query), response.status_code)
        assert response.status_code < 500, (*sent, response.text[:300])
        assert str(response.status_code) in documented, sent
        if response.status_code >= 400:
            body = response.json()
            assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]

    return check


def test_every_get_route_answers_as_documented(
    client: TestClient, spec: dict[str, Any], known_ids: list[str]
) -> None:
    routes = get_routes(spec)
    assert "/api/search" in routes and "/api/articles/{article_id}" in routes
    for route in routes:
        operation = spec["paths"][route]["get"]
        check = checker(client, route, set(operation["responses"]))
        test = given(calls(operation.get("parameters", []), known_ids))(check)
        for regression in REGRESSIONS.get(route, []):
            test = example(regression)(test)
        settings(
            max_examples=100,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        )(test)()
