"""The REST API, in process: shapes, paging, ids, errors, ingest, uploads, tokens."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline import Settings, Storyline
from storyline.errors import UsageError
from storyline.serve import create_app
from storyline.synthesise import stored

# Invented reports (nothing copied from the seeds or the benchmarks).
FERRY = {
    "title": "Harbour ferry returns after winter repairs",
    "outlet": "Lakeside Courier",
    "published": "2024-04-02",
    "url": "https://example.org/ferry",
    "text": (
        "The Millbrook harbour ferry resumed service on Monday after four months of repairs, "
        "the town council said. Mayor Petra Lindqvist told reporters the new engine would cut "
        "crossing times by a third. The council spent 2.1 million crowns on the overhaul, "
        "which began in November. Commuters had used a replacement bus since then."
    ),
}
ORCHARD = {
    "title": "Frost damages apple blossom in the valley",
    "outlet": "Valley Weekly",
    "published": "2024-05-10",
    "text": (
        "A late frost on Wednesday night damaged much of the apple blossom in the Orrin valley, "
        "growers said. Farmer Anselm Roth estimated that half of his crop was lost. The regional "
        "agriculture office will survey the orchards next week before deciding on support."
    ),
}


# Where the writing clients say they are; an upload without a token must come from the
# server's own origin (a page of another site cannot say that).
LOCAL = "http://127.0.0.1:8000"
SAME_ORIGIN = {"Origin": LOCAL}


@pytest.fixture(scope="module")
def api(seeded: tuple[Storyline, dict[str, str]]) -> TestClient:
    """The app on the seeded store (reads only: the store is shared with other tests)."""
    storyline, _ = seeded
    return TestClient(create_app(storyline.settings))


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A fresh store with the two invented reports ingested through the API."""
    db = tmp_path_factory.mktemp("api-writes") / "api.db"
    client = TestClient(create_app(Settings(db_path=db)), base_url=LOCAL)
    response = client.post("/api/ingest?wait=true", json=[FERRY, ORCHARD])
    assert response.status_code == 200, response.text
    yield client


def story_id(client: TestClient) -> str:
    return str(client.get("/api/stories").json()[0]["id"])


def test_every_listing_has_the_contract_fields(api: TestClient) -> None:
    story = story_id(api)
    fields = {
        "/api/articles": {"id", "source", "title", "outlet", "place", "published", "words"},
        "/api/duplicates": {"article", "of", "kind", "score"},
        "/api/events": {"id", "story", "title", "start", "end", "articles"},
        "/api/stories": {"id", "title", "events", "articles"},
        f"/api/entities?story={story}": {"id", "name", "type", "aliases", "articles", "mentions"},
        f"/api/quotes?story={story}": {"article", "speaker", "entity", "text", "direct", "cue"},
        "/api/dates": {"article", "text", "value", "precision", "resolved"},
        f"/api/timeline?story={story}": {"date", "precision", "text", "sources"},
        f"/api/claims?story={story}": {
            "id",
            "text",
            "holder",
            "sources",
            "independent",
            "conflicts",
        },
        f"/api/changes?story={story}&since=2000-01-01": {"kind", "text", "sources"},
    }
    for path, wanted in fields.items():
        response = api.get(path)
        assert response.status_code == 200, path
        rows = response.json()
        assert rows, f"{path} returned nothing"
        assert int(response.headers["x-total-count"]) >= len(rows)
        for row in rows:
            assert wanted <= set(row), f"{path} lacks {wanted - set(row)}"


def test_listings_match_the_library(
    api: TestClient, seeded: tuple[Storyline, dict[str, str]]
) -> None:
    storyline, ids = seeded
    assert [a["id"] for a in api.get("/api/articles").json()] == [
        a.id for a in storyline.articles()
    ]
    duplicates = api.get("/api/duplicates").json()
    assert {(d["article"], d["of"]) for d in duplicates} == {(ids["001"], ids["000"])}
    assert api.get("/api/rejections").json() == []
    assert api.get("/api/corrections").json() == []


def test_paging_slices_and_counts(api: TestClient) -> None:
    everything = api.get("/api/articles").json()
    response = api.get("/api/articles?limit=2&offset=1")
    assert response.json() == everything[1:3]
    assert response.headers["x-total-count"] == str(len(everything))
    assert api.get("/api/articles?offset=50").json() == []
    assert api.get("/api/articles?limit=0").status_code == 400
    assert api.get("/api/articles?offset=-1").status_code == 400


def test_one_object_by_id(api: TestClient, seeded: tuple[Storyline, dict[str, str]]) -> None:
    _, ids = seeded
    article = api.get(f"/api/articles/{ids['004']}").json()
    assert {"text", "sentences", "title", "outlet", "place", "published", "source"} <= set(article)
    first = article["sentences"][0]
    assert article["text"][first["start"] : first["end"]] == first["text"]
    story = api.get("/api/stories").json()[0]
    # One story also says whether its kept syntheses lack newer reports (none here).
    assert api.get(f"/api/stories/{story['id']}").json() == story | {"syntheses_built_from": None}
    assert api.get(f"/api/stories/{story['id'][:6]}").json()["id"] == story["id"]
    assert api.get(f"/api/stories/{story['id']}/related").json() == []  # one story
    assert api.get("/api/stories/nope/related").status_code == 404
    event = api.get("/api/events").json()[0]
    assert api.get(f"/api/events/{event['id']}").json() == event
    entity = api.get("/api/entities").json()[0]
    assert api.get(f"/api/entities/{entity['id']}").json()["name"] == entity["name"]
    claim = api.get(f"/api/claims?story={story['id']}").json()[0]
    assert api.get(f"/api/claims/{claim['id']}?story={story['id']}").json()["text"] == claim["text"]


def test_article_dates_and_alignment(
    api: TestClient, seeded: tuple[Storyline, dict[str, str]]
) -> None:
    _, ids = seeded
    dates = api.get(f"/api/dates?article={ids['000']}").json()
    assert dates and {d["article"] for d in dates} == {ids["000"]}
    (relation,) = api.get(f"/api/articles/{ids['001']}/alignment").json()
    assert relation["of"] == ids["000"] and relation["kind"] == "rewrite"
    assert len(relation["aligned"]) >= 3
    assert all(p["article_text"] and p["original_text"] for p in relation["aligned"])


def test_search_finds_by_words(api: TestClient, seeded: tuple[Storyline, dict[str, str]]) -> None:
    _, ids = seeded
    found = {a["id"] for a in api.get("/api/search?q=Barrack").json()}
    assert found == {ids["003"], ids["004"]}
    assert api.get("/api/search?q=").status_code == 400
    assert api.get("/api/search?q=zzzqqxnothing").json() == []
    ranked = api.get("/api/search?q=Turkey").json()
    assert len(ranked) >= 3
    assert api.get("/api/search?q=Turkey&limit=1&offset=1").json() == ranked[1:2]
    # Stemmed, counted, each hit with its passage and the matched words in it.
    stemmed = api.get("/api/search?q=sanction&limit=2")
    assert stemmed.headers["X-Total-Count"] == "5" and len(stemmed.json()) == 2
    hit = stemmed.json()[0]
    assert {hit["snippet"][s:e].lower() for s, e in hit["highlights"]} <= {"sanction", "sanctions"}
    assert hit["highlights"]
    narrowed = api.get(f"/api/search?q=sanction&story={api.get('/api/stories').json()[0]['id']}")
    assert narrowed.status_code == 200 and narrowed.json()
    assert api.get("/api/search?q=sanction&since=someday").status_code == 400


def test_positions_and_brief_formats(api: TestClient) -> None:
    story = story_id(api)
    positions = api.get(f"/api/positions?story={story}").json()
    assert positions and all(isinstance(v, list) and v for v in positions.values())
    brief = api.get(f"/api/brief?story={story}").json()
    assert brief["story"] == story and brief["sections"]
    assert all(s["sources"] for section in brief["sections"] for s in section["sentences"])
    markdown = api.get(f"/api/brief?story={story}&format=md")
    assert markdown.headers["content-type"].startswith("text/markdown") and "#" in markdown.text
    page = api.get(f"/api/brief?story={story}&format=html")
    assert page.headers["content-type"].startswith("text/html") and "<h1>" in page.text
    assert api.get(f"/api/brief?story={story}&format=pdf").status_code == 400


def test_errors_are_json_with_what_to_do(api: TestClient) -> None:
    for path in (
        "/api/articles/ffffffffffff",
        "/api/events/nope",
        "/api/stories/nope",
        "/api/entities/nope",
        "/api/claims/nope",
        "/api/no-such-route",
    ):
        response = api.get(path)
        assert response.status_code == 404, path
        assert set(response.json()) == {"error"} and response.json()["error"]
    missing = api.get("/api/changes")
    assert missing.status_code == 400 and "since" in missing.json()["error"]
    bad_date = api.get(f"/api/changes?story={story_id(api)}&since=someday")
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.json()["error"]
    assert api.delete("/api/articles").status_code == 405


def test_openapi_lists_the_routes(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    for path in (
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/search",
        "/api/ingest",
        "/api/merge",
        "/api/split",
        "/api/move",
        "/api/timeline",
        "/api/claims",
    ):
        assert path in spec["paths"], path
    body = spec["paths"]["/api/ingest"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)
    # The interactive docs come from this server's files (swagger-ui-bundle), no CDN.
    docs = api.get("/docs")
    assert docs.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources)
    assert all(api.get(s).status_code == 200 for s in sources)


def test_openapi_documents_the_errors_and_the_token_as_served(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorBody"}
    assert spec["components"]["schemas"]["ErrorBody"]["required"] == ["error"]
    assert spec["components"]["securitySchemes"]["HTTPBearer"] == {
        "type": "http",
        "description": "The server's write token",
        "scheme": "bearer",
    }
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            codes = operation["responses"]
            assert "422" not in codes, (path, method)  # the server answers 400, not 422
            for code in ("400", "404"):
                assert codes[code]["content"]["application/json"]["schema"] == error
            writes = method == "post"
            assert ("401" in codes and "413" in codes) == writes, (path, method)
            assert (operation.get("security") == [{"HTTPBearer": []}]) == writes
    # What the server sends matches: a bad parameter is a 400 with the documented body.
    bad = api.get("/api/articles?limit=0")
    assert bad.status_code == 400 and set(bad.json()) == {"error"}


def test_ingest_json_adds_then_skips(writable: TestClient) -> None:
    articles = writable.get("/api/articles").json()
    assert {a["title"] for a in articles} == {FERRY["title"], ORCHARD["title"]}
    ferry = next(a for a in articles if a["title"] == FERRY["title"])
    assert ferry["outlet"] == "Lakeside Courier" and ferry["published"] == "2024-04-02"
    again = writable.post("/api/ingest?wait=true", json=[FERRY])
    assert again.status_code == 200 and again.json()["added"] == 0 and again.json()["skipped"] == 1
    assert writable.get("/api/search?q=Lindqvist").json()[0]["id"] == ferry["id"]


def test_ingest_uploaded_file_uses_the_cli_readers(writable: TestClient) -> None:
    note = (
        "---\ntitle: Night market opens on the quay\noutlet: Harbour Notes\npublished: 2024-06-01\n---\n"
        "A night market opened on the Millbrook quay on Saturday with forty stalls. "
        "Organisers said it will run every weekend until September.\n"
    )
    response = writable.post(
        "/api/ingest?wait=true",
        files={"file": ("../../etc/market.md", note, "text/markdown")},
        headers=SAME_ORIGIN,
    )
    assert response.status_code == 200, response.text
    assert response.json()["added"] == 1
    stored = writable.get(f"/api/articles/{response.json()['articles'][0]}").json()
    assert stored["title"] == "Night market opens on the quay"
    assert stored["source"] == "upload:market.md"
    lines = "\n".join(
        json.dumps({"text": t, "title": f"Line {i}"})
        for i, t in enumerate(
            ["The quay lights were replaced with lamps that use half the power.", "not enough"]
        )
    )
    dump = writable.post(
        "/api/ingest?wait=true",
        files={"file": ("dump.jsonl", lines, "application/x-ndjson")},
        headers=SAME_ORIGIN,
    )
    assert dump.json()["added"] == 1
    assert [r["source"] for r in dump.json()["rejected"]] == ["upload:dump.jsonl:2"]


def test_ingest_answers_at_once_with_a_job_to_poll(writable: TestClient) -> None:
    note = {
        "title": "Ferry timetable changes",
        "text": "The ferry will leave at seven from Monday.",
    }
    accepted = writable.post("/api/ingest", json=[note])
    assert accepted.status_code == 202
    job = accepted.json()
    assert job["status"] in ("queued", "running", "done") and job["report"] is None
    assert accepted.headers["Location"] == job["url"] == f"/api/jobs/{job['job']}"
    for _ in range(600):  # the job runs in the server's worker thread
        polled = writable.get(job["url"]).json()
        if polled["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert polled["status"] == "done" and polled["report"]["added"] == 1 and polled["finished"]
    assert job["job"] in {j["job"] for j in writable.get("/api/jobs").json()}
    # A job whose every document is rejected fails, and says why.
    failed = writable.post("/api/ingest", json=[{"title": "only a title"}]).json()
    waited = writable.post("/api/ingest?wait=true", json=[{"title": "still no text"}])
    assert waited.status_code == 400
    final = writable.get(f"/api/jobs/{failed['job']}").json()  # ran before the waited one
    assert final["status"] == "failed" and "text" in final["error"]
    assert writable.get("/api/jobs/999999").status_code == 404


def test_bad_uploads_are_rejected_with_a_reason(writable: TestClient) -> None:
    binary = writable.post(
        "/api/ingest?wait=true",
        files={"file": ("tool.exe", b"MZ\x90\x00", "application/octet-stream")},
        headers=SAME_ORIGIN,
    )
    assert binary.status_code == 400
    assert "unsupported file type" in binary.json()["error"]
    assert binary.json()["rejected"][0]["source"] == "upload:tool.exe"
    no_text = writable.post("/api/ingest?wait=true", json=[{"title": "only a title"}])
    assert no_text.status_code == 400 and "text" in no_text.json()["error"]
    broken = writable.post(
        "/api/ingest", content=b"[{not json", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400 and "JSON" in broken.json()["error"]
    no_field = writable.post(
        "/api/ingest", files={"other": ("a.txt", "words " * 10, "text/plain")}, headers=SAME_ORIGIN
    )
    assert no_field.status_code == 400 and '"file"' in no_field.json()["error"]
    odd_type = writable.post("/api/ingest", content=b"hello", headers={"content-type": "image/png"})
    assert odd_type.status_code == 400
    bad_date = writable.post("/api/ingest?published=whenever", json=[FERRY])
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.json()["error"]


def test_uploads_over_the_limit_get_413(tmp_path: Path) -> None:
    client = TestClient(
        create_app(Settings(db_path=tmp_path / "small.db"), max_upload_bytes=400), base_url=LOCAL
    )
    big = {"text": "word " * 200, "title": "too long"}
    response = client.post("/api/ingest", json=[big])
    assert response.status_code == 413 and "400-byte limit" in response.json()["error"]
    upload = client.post(
        "/api/ingest", files={"file": ("big.txt", "word " * 200, "text/plain")}, headers=SAME_ORIGIN
    )
    assert upload.status_code == 413
    assert client.get("/api/articles").json() == []


def test_tokens_guard_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(db_path=tmp_path / "guarded.db")
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    with pytest.raises(UsageError, match="token"):
        create_app(settings, host="0.0.0.0")
    client = TestClient(create_app(settings, host="0.0.0.0", token="s3cret"))
    assert client.get("/api/articles").status_code == 200  # reads stay open
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic s3cret"}):
        denied = client.post("/api/ingest", json=[], headers=headers)
        assert denied.status_code == 401 and "Bearer" in denied.json()["error"]
        assert (
            client.post("/api/merge", json={"keep": "a", "other": "b"}, headers=headers).status_code
            == 401
        )
    allowed = client.post("/api/ingest", json=[], headers={"Authorization": "Bearer s3cret"})
    assert allowed.status_code == 400 and "empty list" in allowed.json()["error"]  # past the guard
    monkeypatch.setenv("STORYLINE_TOKEN", "from-env")
    from_env = TestClient(create_app(settings, host="192.0.2.7"))
    assert from_env.post("/api/ingest", json=[]).status_code == 401
    assert (
        from_env.post(
            "/api/ingest", json=[], headers={"Authorization": "Bearer from-env"}
        ).status_code
        == 400
    )
    monkeypatch.delenv("STORYLINE_TOKEN")
    open_locally = TestClient(create_app(settings, host="127.0.0.1"))
    assert (
        open_locally.post("/api/ingest", json=[]).status_code == 400
    )  # no token needed on loopback


def test_corrections_over_http(writable: TestClient) -> None:
    events = writable.get("/api/events").json()
    ferry = next(
        e
        for e in events
        if any(
            writable.get(f"/api/articles/{a}").json()["title"] == FERRY["title"]
            for a in e["articles"]
        )
    )
    orchard = next(
        e
        for e in events
        if e["id"] != ferry["id"]
        and any(
            writable.get(f"/api/articles/{a}").json()["title"] == ORCHARD["title"]
            for a in e["articles"]
        )
    )
    merged = writable.post("/api/merge", json={"keep": ferry["id"], "other": orchard["id"]})
    assert merged.status_code == 200, merged.text
    assert merged.json() == {"merged": orchard["id"], "into": ferry["id"]}
    kept = writable.get(f"/api/events/{ferry['id']}").json()
    assert set(orchard["articles"]) <= set(kept["articles"])
    split = writable.post(
        "/api/split", json={"event": ferry["id"], "articles": orchard["articles"]}
    )
    assert split.status_code == 200 and split.json()["event"] != ferry["id"]
    moved = writable.post("/api/move", json={"item": orchard["articles"][0], "target": ferry["id"]})
    assert moved.status_code == 200 and moved.json()["to"] == ferry["id"]
    kinds = [c.get("kind") or c.get("action") for c in writable.get("/api/corrections").json()]
    assert len(kinds) == 3
    # After each correction the app rebuilt the changed story's kept briefing (in the
    # background, once the response was sent).
    with Storyline(writable.app.state.serve.settings) as reading:  # type: ignore[attr-defined]
        for story in reading.stories():
            assert stored.kept(reading.store, story, stored.BRIEF) is not None
    assert (
        writable.post("/api/merge", json={"keep": "nope", "other": ferry["id"]}).status_code == 404
    )
    assert (
        writable.post("/api/split", json={"event": ferry["id"], "articles": []}).status_code == 400
    )
