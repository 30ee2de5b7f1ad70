"""Schemathesis against the OpenAPI document of the JSON API, in-process over ASGI, on SQLite and PostgreSQL.

Every GET route under /api except the (endless) live stream is fuzzed with a few examples each and
checked for server errors and for conformance of the status code, content type and body to the
schema. The seeded event ("small", in counting) is also requested by name so that the 200 bodies are
checked, not only the 404 problems that random codes produce.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.schemas import BaseSchema
from tests.integration.test_api_json import counting_small

from saylau.api import create_app
from saylau.services.context import Context

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
STREAM = r"/stream$"


@pytest.fixture
def api_schema(ctx: Context) -> BaseSchema:
    counting_small(ctx)
    app = create_app(ctx, stream_interval=0.05, stream_max_seconds=1)
    return (
        schemathesis.openapi.from_asgi("/openapi.json", app)
        .include(path_regex=r"^/api/", method="GET")
        .exclude(path_regex=STREAM)
    )


def test_api_conforms_to_its_openapi_document(api_schema: BaseSchema) -> None:
    # Hypothesis driven per operation here: schemathesis.pytest.from_fixture fails on pytest 9
    # ("'Function' object has no attribute '_nodeid'").
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.path for op in operations} == {
        "/api/events",
        "/api/events/{code}/results",
        "/api/events/{code}/units/{unit}",
        "/api/events/{code}/precincts",
        "/api/events/{code}/turnout",
        "/api/e2e/{election}",
        "/api/e2e/{election}/board",
        "/api/e2e/{election}/board/{tracking}",
        "/api/petitions/{petition}",
    }
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def conforms(case: Case) -> None:
            case.call_and_validate(checks=CHECKS)

        conforms()


SEEDED = [
    ("/api/events", {}),
    ("/api/events/{code}/results", {"code": "small"}),
    ("/api/events/{code}/units/{unit}", {"code": "small", "unit": "KZ"}),
    ("/api/events/{code}/units/{unit}", {"code": "small", "unit": "P1"}),
    ("/api/events/{code}/units/{unit}", {"code": "small", "unit": "NOPE"}),
    ("/api/events/{code}/precincts", {"code": "small"}),
    ("/api/events/{code}/turnout", {"code": "small"}),
]


@pytest.mark.parametrize(("path", "params"), SEEDED)
def test_the_seeded_event_conforms(api_schema: BaseSchema, path: str, params: dict[str, str]) -> None:
    case = api_schema[path]["GET"].Case(path_parameters=params)
    case.call_and_validate(checks=CHECKS)
