"""The OpenAPI document matches the server: every JSON route names a typed response schema,
each field documented, and what the routes really send validates against it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline import Settings, Storyline
from storyline.serve import create_app

Spec = dict[str, Any]

# Invented reports for the writing routes (nothing copied from the seeds or the benchmarks).
BRIDGE = {
    "title": "Footbridge over the Saltmarsh canal reopens",
    "outlet": "Canal Gazette",
    "published": "2024-09-03",
    "text": (
        "The footbridge over the Saltmarsh canal reopened on Tuesday after six weeks of "
        "repainting, the district office said. Engineer Tomas Varga told residents the new "
        "railings would last twenty years. The work cost 340,000 crowns."
    ),
}
CHOIR = {
    "title": "Village choir wins regional contest",
    "outlet": "Hillside Post",
    "published": "2024-10-12",
    "text": (
        "The Brennick village choir won the regional singing contest on Saturday, the "
        "organisers said. Conductor Ilse Marr said the singers had rehearsed twice a week "
        "since spring. The choir will perform at the national final in March."
    ),
}


@pytest.fixture(scope="module")
def client(seeded: tuple[Storyline, dict[str, str]]) -> TestClient:
    """The app on the seeded store (reads only: the store is shared with other tests)."""
    storyline, _ = seeded
    return TestClient(create_app(storyline.settings))


@pytest.fixture(scope="module")
def spec(client: TestClient) -> Spec:
    document: Spec = client.get("/openapi.json").json()
    return document


def resolve(spec: Spec, schema: Spec) -> Spec:
    """The schema a `$ref` points to (components/schemas only), else the schema itself."""
    ref = schema.get("$ref")
    if ref is None:
        return schema
    prefix = "#/components/schemas/"
    assert ref.startswith(prefix), ref
    found: Spec = spec["components"]["schemas"][ref.removeprefix(prefix)]
    return found


def declared(spec: Spec, path: str, method: str = "get", code: str = "200") -> Spec:
    """The application/json schema the document gives for one route's response."""
    content = spec["paths"][path][method]["responses"][code]["content"]
    schema: Spec = content["application/json"]["schema"]
    return schema


def mismatches(value: Any, schema: Spec, spec: Spec, where: str = "$") -> list[str]:
    """Where `value` departs from `schema`. Stricter than JSON Schema on one point: every
    key an object carries must be declared (a field served but not documented is a fault),
    unless the schema types its extra keys (a map such as /api/positions)."""
    schema = resolve(spec, schema)
    if "anyOf" in schema:
        tries = [mismatches(value, option, spec, where) for option in schema["anyOf"]]
        return [] if any(not t for t in tries) else [f"{where}: matches no anyOf branch"]
    kind = schema.get("type")
    simple = {
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "null": value is None,
    }
    if kind in simple:
        return [] if simple[kind] else [f"{where}: {value!r} is not {kind}"]
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where}: not an array"]
        if "prefixItems" in schema:
            shapes = schema["prefixItems"]
            if len(value) != len(shapes):
                return [f"{where}: {len(value)} items, not {len(shapes)}"]
            pairs = list(zip(value, shapes, strict=True))
        else:
            pairs = [(item, schema["items"]) for item in value]
        return [
            e for i, (v, s) in enumerate(pairs) for e in mismatches(v, s, spec, f"{where}[{i}]")
        ]
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        errors = [f"{where}: lacks {k!r}" for k in schema.get("required", []) if k not in value]
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                errors += mismatches(item, properties[key], spec, f"{where}.{key}")
            elif isinstance(extra, dict) and extra:
                errors += mismatches(item, extra, spec, f"{where}.{key}")
            else:
                errors.append(f"{where}: key {key!r} is not documented")
        return errors
    return [f"{where}: the schema gives no type ({schema})"]


def item_schema(spec: Spec, path: str) -> Spec:
    """The named schema of one item of a listing."""
    listing = declared(spec, path)
    assert listing.get("type") == "array", path
    assert "$ref" in listing["items"], path
    return resolve(spec, listing["items"])


def test_every_json_route_names_its_response_schema(spec: Spec) -> None:
    answers = {(path, method): "200" for path in spec["paths"] for method in spec["paths"][path]}
    answers[("/api/ingest", "post")] = "202"
    named = set(spec["components"]["schemas"])
    seen = 0
    for (path, method), code in answers.items():
        if not path.startswith("/api/"):
            continue
        seen += 1
        schema = declared(spec, path, method, code)
        ref = schema.get("items", {}).get("$ref") if schema.get("type") == "array" else None
        ref = ref or schema.get("$ref")
        assert ref, f"{method} {path}: the {code} answer has no named schema: {schema}"
        name = ref.removeprefix("#/components/schemas/")
        assert name in named, (path, ref)
        body = spec["components"]["schemas"][name]
        assert body.get("properties") or body.get("additionalProperties"), (path, name)
    assert seen >= 25
    # With wait=true an ingest answers 200 with its report.
    report = resolve(spec, declared(spec, "/api/ingest", "post", "200"))
    assert {"added", "skipped", "rejected", "articles", "revisions"} <= set(report["properties"])


def test_listing_items_document_the_contract_fields(spec: Spec) -> None:
    contract = {  # ../shared/CONTRACT.md: the minimum fields of each listing
        "/api/articles": {"id", "source", "title", "outlet", "place", "published", "words"},
        "/api/duplicates": {"article", "of", "kind", "score"},
        "/api/events": {"id", "story", "title", "start", "end", "articles"},
        "/api/stories": {"id", "title", "events", "articles"},
        "/api/entities": {"id", "name", "type", "aliases", "articles", "mentions"},
        "/api/quotes": {"article", "speaker", "entity", "text", "direct", "cue"},
        "/api/dates": {"article", "text", "value", "precision", "resolved"},
        "/api/timeline": {"date", "precision", "text", "sources"},
        "/api/claims": {"id", "text", "holder", "sources", "independent", "conflicts"},
        "/api/changes": {"kind", "text", "sources"},
        "/api/rejections": {"source", "reason"},
    }
    for path, fields in contract.items():
        item = item_schema(spec, path)
        assert fields <= set(item["properties"]), (path, fields - set(item["properties"]))
        assert fields <= set(item["required"]), path  # present in every item, null or not
    claim = item_schema(spec, "/api/claims")["properties"]
    assert claim["independent"]["type"] == "integer" and claim["independent"]["description"]
    assert claim["sources"] == {"items": {"type": "string"}, "type": "array", "title": "Sources"}
    assert {"type": "null"} in claim["holder"]["anyOf"]  # the outlet's own voice
    figure = resolve(spec, claim["figures"]["items"])
    assert figure["properties"]["value"]["type"] == "number"
    # The article's sentences are typed too, down to their offsets.
    article = resolve(spec, declared(spec, "/api/articles/{article_id}"))
    span = resolve(spec, article["properties"]["sentences"]["items"])
    assert span["required"] == ["text", "start", "end"]


def test_brief_documents_json_markdown_and_html(spec: Spec) -> None:
    content = spec["paths"]["/api/brief"]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/Briefing"}
    assert content["text/markdown"]["schema"] == {"type": "string"}
    assert content["text/html"]["schema"] == {"type": "string"}
    briefing = spec["components"]["schemas"]["Briefing"]
    sentence = resolve(spec, resolve(spec, briefing["properties"]["sections"]["items"]))
    assert "sentences" in sentence["properties"]


def test_served_json_validates_against_the_declared_schemas(
    client: TestClient, spec: Spec, seeded: tuple[Storyline, dict[str, str]]
) -> None:
    _, ids = seeded
    story = client.get("/api/stories").json()[0]["id"]
    event = client.get("/api/events").json()[0]["id"]
    entity = client.get(f"/api/entities?story={story}").json()[0]["id"]
    claim = client.get(f"/api/claims?story={story}").json()[0]["id"]
    routes = {  # URL: the route's path in the document; the listings must not be empty
        "/api/articles": "/api/articles",
        f"/api/articles/{ids['004']}": "/api/articles/{article_id}",
        f"/api/articles/{ids['001']}/alignment": "/api/articles/{article_id}/alignment",
        "/api/search?q=sanction": "/api/search",
        "/api/duplicates": "/api/duplicates",
        "/api/events": "/api/events",
        f"/api/events/{event}": "/api/events/{event_id}",
        "/api/stories": "/api/stories",
        f"/api/stories/{story}": "/api/stories/{story_id}",
        "/api/entities": "/api/entities",
        f"/api/entities/{entity}": "/api/entities/{entity_id}",
        "/api/quotes": "/api/quotes",
        "/api/dates": "/api/dates",
        "/api/timeline": "/api/timeline",
        f"/api/timeline?story={story}": "/api/timeline",
        "/api/claims": "/api/claims",
        f"/api/claims?story={story}": "/api/claims",
        f"/api/claims/{claim}?story={story}": "/api/claims/{claim_id}",
        f"/api/positions?story={story}": "/api/positions",
        f"/api/changes?story={story}&since=2000-01-01": "/api/changes",
        f"/api/brief?story={story}": "/api/brief",
    }
    for url, path in routes.items():
        response = client.get(url)
        assert response.status_code == 200, url
        served = response.json()
        assert served, f"{url} sent nothing to check"
        errors = mismatches(served, declared(spec, path), spec)
        assert not errors, (url, errors[:5])
    # The listings that are empty on this store still answer in their documented shape.
    for path in ("/api/rejections", "/api/jobs", "/api/corrections"):
        assert not mismatches(client.get(path).json(), declared(spec, path), spec), path
    related = f"/api/stories/{story}/related"
    assert not mismatches(
        client.get(related).json(), declared(spec, "/api/stories/{story_id}/related"), spec
    )


def test_typed_responses_send_the_library_json_unchanged(
    client: TestClient, seeded: tuple[Storyline, dict[str, str]]
) -> None:
    """The response models validate and serialise: same keys, same order, same values."""
    storyline, ids = seeded

    def dumped(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()

    story = storyline.stories()[0]
    claims = storyline.claims(story.id)
    expected = {
        "/api/articles?limit=3&offset=1": [a.summary() for a in storyline.articles()[1:4]],
        f"/api/articles/{ids['000']}": storyline.article(ids["000"]).to_dict(),
        f"/api/articles/{ids['001']}/alignment": storyline.alignment(ids["001"]),
        f"/api/claims?story={story.id}&limit=5&offset=2": [c.to_dict() for c in claims[2:7]],
        f"/api/claims/{claims[0].id}?story={story.id}": claims[0].to_dict(),
        f"/api/stories/{story.id}": story.to_dict() | {"syntheses_built_from": None},
        f"/api/positions?story={story.id}": {
            holder: [c.to_dict() for c in held]
            for holder, held in storyline.positions(story.id).items()
        },
        f"/api/timeline?story={story.id}": [
            e.to_dict() for e in storyline.timeline(story.id)[:100]
        ],
        "/api/dates": [d.to_dict() for d in storyline.dates()][:100],
        "/api/duplicates": [d.to_dict() for d in storyline.duplicates()],
    }
    top = storyline.entities(story.id)[0].id
    expected[f"/api/entities/{top}"] = storyline.entity_profile(top).to_dict()
    expected[f"/api/brief?story={story.id}"] = storyline.brief(story.id).to_dict()
    for url, value in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content == dumped(value), url
    assert client.get(f"/api/claims?story={story.id}&limit=5").headers["x-total-count"] == str(
        len(claims)
    )


@pytest.fixture(scope="module")
def writing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A fresh store the writing routes may change."""
    db: Path = tmp_path_factory.mktemp("openapi-writes") / "api.db"
    yield TestClient(create_app(Settings(db_path=db)))


def test_writes_and_jobs_answer_as_documented(writing: TestClient, spec: Spec) -> None:
    def check(served: Any, path: str, method: str = "get", code: str = "200") -> None:
        errors = mismatches(served, declared(spec, path, method, code), spec)
        assert not errors, (path, method, code, errors[:5])

    report = writing.post("/api/ingest?wait=true", json=[BRIDGE, CHOIR])
    assert report.status_code == 200, report.text
    check(report.json(), "/api/ingest", "post", "200")
    queued = writing.post("/api/ingest", json=[BRIDGE])
    assert queued.status_code == 202
    check(queued.json(), "/api/ingest", "post", "202")
    for _ in range(600):  # the job runs in the server's worker thread
        job = writing.get(queued.json()["url"]).json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["report"] is not None  # a finished job carries its (typed) report
    check(job, "/api/jobs/{job_id}")
    check(writing.get("/api/jobs").json(), "/api/jobs")
    first, second = writing.get("/api/events").json()[:2]
    merged = writing.post("/api/merge", json={"keep": first["id"], "other": second["id"]})
    check(merged.json(), "/api/merge", "post")
    split = writing.post(
        "/api/split", json={"event": first["id"], "articles": second["articles"]}
    ).json()
    check(split, "/api/split", "post")
    moved = writing.post("/api/move", json={"item": second["articles"][0], "target": first["id"]})
    check(moved.json(), "/api/move", "post")
    corrections = writing.get("/api/corrections").json()
    assert len(corrections) == 3
    check(corrections, "/api/corrections")
