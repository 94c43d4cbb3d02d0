"""What a client (or another site's page in the user's browser) sends cannot break the
store or the server: cross-site writes, over-long ids, numbers past SQLite's, reports
without a URL, odd methods, bodies that never finish. Reports are hand-written here."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from storyline import Settings
from storyline.serve import create_app

LOCAL = "http://127.0.0.1:8000"
EVIL = "http://evil.example"
FERRY = {
    "title": "Harbour ferry returns after repairs",
    "outlet": "Lakeside Courier",
    "text": (
        "The Millbrook harbour ferry resumed service on Monday after four months of repairs, "
        "the town council said. The new engine cuts the crossing by a third."
    ),
}
ORCHARD = {
    "title": "Frost damages apple blossom",
    "outlet": "Valley Weekly",
    "text": (
        "A late frost on Wednesday night damaged much of the apple blossom in the Orrin valley, "
        "growers said. Farmer Anselm Roth estimated that half of his crop was lost."
    ),
}
NOTE = "A night market opened on the Millbrook quay on Saturday with forty stalls.\n"
# An id SQLite's LIKE cannot take as a prefix pattern (its limit is 50,000 bytes).
HUGE_ID = "a" * 60_000


@pytest.fixture
def local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A server on loopback without a token, as `storyline serve` starts by default."""
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    app = create_app(Settings(db_path=tmp_path / "local.db"), host="127.0.0.1")
    yield TestClient(app, base_url=LOCAL)


def error_of(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and isinstance(body["error"], str)
    return str(body["error"])


def titles(client: TestClient) -> list[str]:
    return [a["title"] for a in client.get("/api/articles").json()]


# -- 1. cross-site writes ---------------------------------------------------------------


def test_another_sites_page_cannot_write_to_a_server_without_a_token(local: TestClient) -> None:
    body = json.dumps([FERRY])
    forged = [
        # What a page of another site can make a browser send.
        {"json": [FERRY], "headers": {"Origin": EVIL}},
        {"files": {"file": ("n.txt", NOTE, "text/plain")}, "headers": {"Origin": EVIL}},
        {"content": body, "headers": {"Origin": "null"}},  # a sandboxed or no-referrer page
        {"content": body, "headers": {"Referer": f"{EVIL}/page"}},  # an old browser
        # An old browser that sends no Origin: a body an HTML form can send.
        {"content": body},
        {"content": body, "headers": {"Content-Type": "text/plain"}},
        {"files": {"file": ("n.txt", NOTE, "text/plain")}},
        {"data": {"text": NOTE}},
    ]
    for request in forged:
        error_of(local.post("/api/ingest?wait=true", **request), 403)
    # A page on a name pointed at 127.0.0.1 (DNS rebinding) is same-origin by name only.
    rebound = TestClient(local.app, base_url="http://evil.example:8000")
    error_of(
        rebound.post("/api/ingest", json=[FERRY], headers={"Origin": "http://evil.example:8000"}),
        403,
    )
    for path, correction in (
        ("/api/merge", {"keep": "aaaa", "other": "bbbb"}),
        ("/api/split", {"event": "aaaa", "articles": ["bbbb"]}),
        ("/api/move", {"item": "aaaa", "target": "bbbb"}),
    ):
        error_of(local.post(path, json=correction, headers={"Origin": EVIL}), 403)
        error_of(local.post(path, content=json.dumps(correction)), 403)
    assert titles(local) == []


def test_the_servers_own_pages_and_local_programs_still_write(local: TestClient) -> None:
    # `curl -X POST -H 'Content-Type: application/json'` on loopback: no Origin at all.
    plain = local.post("/api/ingest?wait=true", json=[FERRY])
    assert plain.status_code == 200 and plain.json()["added"] == 1
    # A page of this server (the API docs' "try it out") sends its own origin.
    upload = local.post(
        "/api/ingest?wait=true",
        files={"file": ("market.txt", NOTE, "text/plain")},
        headers={"Origin": LOCAL},
    )
    assert upload.status_code == 200 and upload.json()["added"] == 1
    same = local.post("/api/ingest?wait=true", json=[ORCHARD], headers={"Referer": f"{LOCAL}/docs"})
    assert same.status_code == 200 and same.json()["added"] == 1
    by_name = TestClient(local.app, base_url="http://localhost:8000")
    merge = by_name.post(
        "/api/merge",
        json={"keep": "nope", "other": "nada"},
        headers={"Origin": "http://localhost:8000"},
    )
    assert merge.status_code == 404  # past the guard: there is no such event
    assert len(titles(local)) == 3


def test_with_a_token_the_token_is_the_proof_and_other_sites_are_still_refused(
    tmp_path: Path,
) -> None:
    app = create_app(Settings(db_path=tmp_path / "t.db"), host="0.0.0.0", token="s3cret")
    client = TestClient(app, base_url="http://news.example.org")
    bearer = {"Authorization": "Bearer s3cret"}
    upload = client.post(
        "/api/ingest?wait=true", files={"file": ("market.txt", NOTE, "text/plain")}, headers=bearer
    )
    assert upload.status_code == 200, upload.text  # a program with the token: no Origin needed
    own_page = client.post(
        "/api/ingest?wait=true",
        json=[FERRY],
        headers=bearer | {"Origin": "http://news.example.org"},
    )
    assert own_page.status_code == 200
    error_of(client.post("/api/ingest", json=[ORCHARD], headers=bearer | {"Origin": EVIL}), 403)
    error_of(client.post("/api/ingest", json=[ORCHARD]), 401)


def test_the_openapi_documents_403_and_408_on_every_write(local: TestClient) -> None:
    spec = local.get("/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorBody"}
    for path in ("/api/ingest", "/api/merge", "/api/split", "/api/move"):
        responses = spec["paths"][path]["post"]["responses"]
        for code in ("403", "408"):
            assert responses[code]["content"]["application/json"]["schema"] == error, (path, code)
    assert "403" not in spec["paths"]["/api/articles"]["get"]["responses"]


# -- 2. ids, numbers and queries that were 500s ------------------------------------------


@pytest.fixture(scope="module")
def stocked(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = tmp_path_factory.mktemp("hostile-server") / "h.db"
    client = TestClient(create_app(Settings(db_path=db)), raise_server_exceptions=False)
    assert client.post("/api/ingest?wait=true", json=[FERRY, ORCHARD]).status_code == 200
    return client


def test_over_long_ids_are_refused_with_a_reason(stocked: TestClient) -> None:
    for path in (
        f"/api/articles/{HUGE_ID}",
        f"/api/articles/{HUGE_ID}/alignment",
        f"/api/events/{HUGE_ID}",
        f"/api/stories/{HUGE_ID}",
        f"/api/stories/{HUGE_ID}/related",
        f"/api/entities/{HUGE_ID}",
        f"/api/claims/{HUGE_ID}",
        f"/api/jobs/{HUGE_ID}",
        f"/api/dates?article={HUGE_ID}",
        f"/api/search?q=ferry&story={HUGE_ID}",
        f"/api/search?q=ferry&entity={HUGE_ID}",
        *(f"/api/{listing}?story={HUGE_ID}" for listing in ("events", "entities", "quotes")),
        *(f"/api/{synthesis}?story={HUGE_ID}" for synthesis in ("timeline", "claims", "brief")),
        f"/api/changes?since=2024-01-01&story={HUGE_ID}",
    ):
        assert "at most 200 characters" in error_of(stocked.get(path), 400), path[:40]
    for page in (f"/articles/{HUGE_ID}", f"/stories/{HUGE_ID}", f"/entities/{HUGE_ID}"):
        assert stocked.get(page).status_code == 400, page[:30]
    merge = stocked.post("/api/merge", json={"keep": HUGE_ID, "other": "aaaa"})
    assert "at most 200 characters" in error_of(merge, 400)


def test_numbers_past_sqlites_are_refused_with_a_reason(stocked: TestClient) -> None:
    huge = "99999999999999999999"
    for path in (
        f"/api/articles?offset={huge}",
        f"/api/search?q=ferry&offset={huge}",
        f"/api/search?q=ferry&limit={huge}",
        f"/api/claims?offset={huge}",
    ):
        assert "less than or equal" in error_of(stocked.get(path), 400), path
    assert stocked.get(f"/articles/x?at={huge}").status_code == 400


def test_a_query_of_no_words_finds_nothing_and_a_long_one_is_refused(stocked: TestClient) -> None:
    for blank in ("%20", "%22", "%22%22", "%20%2A%20"):
        found = stocked.get(f"/api/search?q={blank}")
        assert found.status_code == 200 and found.json() == [], blank
        assert found.headers["x-total-count"] == "0"
    for syntax in ("NEAR(", "AND%20OR", "ferry%20AND", "title%3A"):
        assert stocked.get(f"/api/search?q={syntax}").status_code == 200, syntax
    assert "at most 1000" in error_of(stocked.get("/api/search?q=" + "ferry+" * 300), 400)
    assert stocked.get("/search?q=%20").status_code == 200


# -- 3. JSON reports without a URL -------------------------------------------------------


def test_reports_without_a_url_are_not_revisions_of_one_another(local: TestClient) -> None:
    first = local.post("/api/ingest?wait=true", json=[FERRY]).json()
    second = local.post("/api/ingest?wait=true", json=ORCHARD).json()  # one object, not a list
    both = local.post("/api/ingest?wait=true", json=[{**FERRY, "title": "Ferry back"}, ORCHARD])
    assert first["revisions"] == second["revisions"] == both.json()["revisions"] == []
    assert (first["added"], second["added"], both.json()["added"]) == (1, 1, 1)
    assert both.json()["skipped"] == 1  # the same report again is the same article
    articles = local.get("/api/articles").json()
    assert len(articles) == 3 and len({a["source"] for a in articles}) == 3
    assert all(a["source"].startswith("api:") for a in articles)
    for article in articles:
        assert local.get(f"/api/articles/{article['id']}").json()["revision_of"] is None
    rejected = local.post("/api/ingest?wait=true", json=[FERRY, {"title": "no text"}]).json()
    assert [r["source"] for r in rejected["rejected"]] == ["api#1"]  # which record to fix


# -- 6. odd methods and bodies that never finish ------------------------------------------


def test_unknown_methods_get_405_with_allow(local: TestClient) -> None:
    for method, path, allowed in (
        ("TRACE", "/api/articles", "GET"),
        ("DELETE", "/api/articles", "GET"),
        ("BREW", "/api/stories", "GET"),
        ("GET", "/api/ingest", "POST"),
        ("PUT", "/api/merge", "POST"),
    ):
        response = local.request(method, path)
        assert "not allowed" in error_of(response, 405), (method, path)
        assert response.headers["allow"] == allowed, (method, path)


def trickled(app: FastAPI, path: str, headers: list[tuple[bytes, bytes]]) -> list[dict[str, Any]]:
    """Sends `path` a POST whose body's first bytes come and the rest never does; returns
    the server's messages (within 10 s: a server that waits for ever fails the test)."""
    sent: list[dict[str, Any]] = []
    chunks = [{"type": "http.request", "body": b'[{"text": "The ferry', "more_body": True}]

    async def receive() -> dict[str, Any]:
        if chunks:
            return chunks.pop()
        await asyncio.sleep(3600)  # the client has gone quiet
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(asyncio.wait_for(app(scope, receive, send), 10))
    return sent


def test_a_body_that_never_finishes_gets_408(tmp_path: Path) -> None:
    app = create_app(Settings(db_path=tmp_path / "slow.db"), body_seconds=0.3)
    json_type = [(b"content-type", b"application/json"), (b"content-length", b"100")]
    for path in ("/api/ingest", "/api/merge"):
        start, body = trickled(app, path, json_type)[:2]
        assert start["status"] == 408, path
        assert (b"connection", b"close") in start["headers"]
        assert "took over 0.3 s" in json.loads(body["body"])["error"]
    assert TestClient(app).get("/api/articles").json() == []


def test_serve_bounds_how_long_an_idle_connection_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn
    from click.testing import CliRunner

    from storyline.cli import cli

    started: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(options))
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    done = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "s.db")])
    assert done.exit_code == 0, done.output
    assert 0 < started["timeout_keep_alive"] <= 30 and started["host"] == "127.0.0.1"


def test_a_json_body_nested_too_deep_or_with_an_endless_number_is_a_400(tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(db_path=tmp_path / "deep.db")))
    headers = {"Content-Type": "application/json"}
    for body in ("[" * 100_000 + "]" * 100_000, '[{"text": "x", "n": ' + "9" * 5000 + "}]"):
        answer = client.post("/api/ingest?wait=true", content=body, headers=headers)
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"]
