"""Schemathesis against the app's own OpenAPI: every operation, reads and writes, with
generated parameters and bodies. No answer is a server error, and every status and
content type is one the document declares for that operation.

The store is two hand-written reports; writes go to the same store (a fresh one per
module), so what the generated writes add is read back by later cases. Bounded and
deterministic for CI: a fixed number of examples per operation, derandomized. (The
schemathesis pytest plugin does not run under pytest 9, so each operation's strategy is
driven by Hypothesis directly.)
"""

from __future__ import annotations

import os
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    status_code_conformance,
)

from storyline import Settings, Storyline
from storyline.models import RawDocument
from storyline.serve import create_app

REPORTS = [
    RawDocument(
        "kiln.txt",
        title="Pottery kiln reopens in Tarnby",
        outlet="Tarnby Herald",
        published="2024-06-03",
        text=(
            "The old pottery kiln in Tarnby reopened on Saturday after a year of repairs, the "
            "heritage trust said. Trust chair Mirela Dobos said 400 visitors came on the first "
            "day. The kiln will be fired twice a month."
        ),
    ),
    RawDocument(
        "kiln-later.txt",
        title="Tarnby kiln draws crowds",
        outlet="Craft Weekly",
        published="2024-06-10",
        text=(
            "Visitors crowded the reopened Tarnby kiln for its first firing on Friday, the "
            "heritage trust said. Mirela Dobos said the trust would add evening tours."
        ),
    ),
]
# Examples per operation: 25 in CI (about 700 requests); SCHEMATHESIS_EXAMPLES for a longer run.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))


def _app(folder: Path):  # type: ignore[no-untyped-def]
    settings = Settings(db_path=folder / "fuzz.db")
    with Storyline(settings) as opened:
        opened.ingest_documents(REPORTS)
    return create_app(settings)


def test_every_operation_answers_as_documented(tmp_path: Path) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", _app(tmp_path))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    failures: list[str] = []
    for operation in operations:
        try:
            _fuzz(operation)
        except (AssertionError, BaseExceptionGroup) as failure:  # all operations are tried
            failures.append(f"{operation.label}: {str(failure)[:600]}")
    assert not failures, "\n".join(failures)


def _fuzz(operation) -> None:  # type: ignore[no-untyped-def]
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:  # type: ignore[no-untyped-def]
        # Writes as a program on this machine sends them: with the server as their origin.
        case.call_and_validate(
            headers={"Origin": "http://localhost", "Host": "localhost"},
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_headers_conformance,
            ],
        )

    run()
