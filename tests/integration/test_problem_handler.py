"""The one problem handler: an exception that escapes a handler (a bug) is a 500 problem+json
``internal_error`` (an HTML page for a browser) that says nothing of the exception; the server logs it."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from saylau.api import create_app
from saylau.api.problems import PROBLEM_JSON
from saylau.services.context import Context

SECRET = "password=hunter2 at /srv/saylau/secret.key"


def _boom() -> None:
    raise RuntimeError(SECRET)


def test_an_unexpected_error_is_a_500_problem_that_leaks_nothing(
    ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(ctx)
    app.add_api_route("/api/boom", _boom)
    app.add_api_route("/boom", _boom)
    client = TestClient(app, raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="saylau.api"):
        r = client.get("/api/boom")
    assert r.status_code == 500
    assert r.headers["content-type"].startswith(PROBLEM_JSON)
    body = r.json()
    assert (body["code"], body["status"], body["type"]) == ("internal_error", 500, "urn:saylau:problem:internal_error")
    assert "hunter2" not in r.text
    assert "Traceback" not in r.text
    assert "RuntimeError" not in r.text
    assert any(rec.exc_info and SECRET in str(rec.exc_info[1]) for rec in caplog.records)  # the server keeps it
    page = client.get("/boom", headers={"accept": "text/html"})
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert "hunter2" not in page.text
    assert "Traceback" not in page.text
