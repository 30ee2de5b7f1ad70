"""Issue 9, Medium 7: every response of the served application carries the security headers (strict CSP
without inline script, frame-ancestors 'none', X-Frame-Options, nosniff, Referrer-Policy), the results
fast path included; no rendered page has an inline script, a ``<style>`` element or an ``on...=`` handler;
scans are downloads under ``CSP: sandbox``; a Cyrillic precinct code names its downloads (RFC 6266/8187);
/docs is off unless asked for. On SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

import httpx2 as httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from tests.elections import SMALL, load
from tests.integration.small import GOOD, TERRITORY, protocols_csv
from tests.integration.test_api_e2e import CODE, _open
from tests.integration.test_commission_pages import client, commission_setup
from tests.integration.test_protocol_scans import PDF, SCAN, accept_p1
from typer.testing import CliRunner

from saylau.api import create_app
from saylau.api.routes_scans import scan_response
from saylau.api.security import attachment
from saylau.api.views import LiveViews
from saylau.cli.main import app as cli
from saylau.model import UnitCode
from saylau.services.context import Context
from saylau.services.paper.scans import ScanInfo

SAMPLES = {
    "code": "small",
    "precinct": "P1",
    "unit": "R1",
    "election": CODE,
    "tracking": "AAAA-AAAA-AAAA-AAAA",
    "path": "site.css",
    "copy_id": "1",
    "batch": "P1",
    "petition": "no-such-petition",
}


def assert_secure(response: httpx.Response, where: str) -> None:
    h = response.headers
    csp = h.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp or csp == "sandbox", where
    if csp != "sandbox":
        assert "script-src 'self';" in csp, where
        assert "unsafe-inline" not in csp.replace("style-src-attr 'unsafe-inline'", ""), where
    assert h.get("x-frame-options") == "DENY", where
    assert h.get("x-content-type-options") == "nosniff", where
    assert h.get("referrer-policy") == "same-origin", where


class _Inline(HTMLParser):
    """What a strict CSP would block in a page: inline scripts, style elements, event-handler attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        self.found += [f"<{tag} {k}=>" for k in names if k.lower().startswith("on")]
        self.found += [
            f"<{tag} href=javascript:>" for v in names.values() if (v or "").lower().startswith("javascript:")
        ]
        if tag == "style":
            self.found.append("<style>")
        if tag == "script":
            self._in_script = True
            if not names.get("src"):
                self.found.append("<script> without src")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(f"inline script {data.strip()[:40]!r}")


def assert_no_inline_code(response: httpx.Response, where: str) -> None:
    if not response.headers.get("content-type", "").startswith("text/html"):
        return
    parser = _Inline()
    parser.feed(response.text)
    assert parser.found == [], where


def _paths(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every route of the application (its OpenAPI document, the document itself and
    the static files), the parameters filled with sample values."""
    out = [("GET", "/openapi.json"), ("GET", "/docs"), ("GET", "/no/such/page")]
    out += [
        ("GET", f"/static/{name}") for name in ("site.css", "live.js", "commission.js", "booth/booth.js", "nope.js")
    ]
    for path, operations in app.openapi()["paths"].items():
        filled = re.sub(r"\{(\w+)\}", lambda m: SAMPLES[m.group(1)], path)
        filled += "?max_events=1" if filled.endswith("/stream") else ""  # the event stream ends
        out += [(method.upper(), filled) for method in sorted(operations)]
    return out


@pytest.fixture
def served(ctx: Context) -> Context:
    ctx = commission_setup(ctx)
    accept_p1(ctx, PDF, None)  # P1 counted, with its scan
    _open(ctx)  # an e2e election: booth and board
    return ctx


def test_every_route_answers_with_the_security_headers_and_no_page_has_inline_code(served: Context) -> None:
    app = create_app(served)
    anonymous = TestClient(app)
    member, csrf = client(served, "d1")
    paths = _paths(app)
    assert ("POST", f"/api/e2e/{CODE}/ballots") in paths
    assert ("GET", "/commission/events/small/precincts/P1") in paths
    seen: set[int] = set()
    for who, c in (("anonymous", anonymous), ("d1", member)):
        for method, path in paths:
            for accept in ("text/html", "application/json"):
                r = c.request(method, path, headers={"accept": accept, "x-csrf-token": csrf}, follow_redirects=False)
                where = f"{who} {method} {path} ({accept}) -> {r.status_code}"
                assert r.status_code < 500, where
                assert_secure(r, where)
                assert_no_inline_code(r, where)
                seen.add(r.status_code)
    assert {200, 303, 401, 404}.issubset(seen)
    # the pages that carry the scripts were rendered, and refer to them by URL (POST /logout ended d1's session)
    member, csrf = client(served, "d1")
    assert 'src="/static/commission.js"' in member.get("/commission/events/small/precincts/P2").text
    assert 'src="/static/booth/booth.js"' in anonymous.get(f"/e2e/{CODE}/booth").text
    private = member.get("/commission/events/small")
    assert private.headers["cache-control"] == "no-store"
    # a refusal made before the application runs (a body over its route's limit) has them too
    big = anonymous.post("/login", headers={"content-length": str(10**9)}, content=b"")
    assert big.status_code == 413
    assert_secure(big, "413")


def test_the_results_fast_path_answers_with_the_security_headers(
    served: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = TestClient(create_app(served, results_max_age=3600))
    first = c.get("/api/events/small/results")
    assert first.status_code == 200
    assert_secure(first, "results (routed)")

    def routed(*args: object) -> None:
        raise AssertionError("answered by the route, not the fast path")

    monkeypatch.setattr(LiveViews, "public_document", routed)
    for headers in ({}, {"accept-encoding": "gzip"}, {"if-none-match": first.headers["etag"]}):
        fast = c.get("/api/events/small/results", headers=headers)
        assert fast.status_code in (200, 304)
        assert_secure(fast, f"results (fast path) {headers}")


def test_scans_are_downloads_in_a_sandbox(served: Context) -> None:
    public = TestClient(create_app(served))
    member, _ = client(served, "d1")
    for c, url in ((public, SCAN), (member, "/commission/events/small/precincts/P1/scan")):
        r = c.get(url)
        assert r.status_code == 200
        assert r.content == PDF
        assert r.headers["content-security-policy"] == "sandbox"
        assert r.headers["content-disposition"] == 'attachment; filename="small-P1-v1.pdf"'
        assert r.headers["x-content-type-options"] == "nosniff"


def _filename(disposition: str) -> str:
    star = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert star is not None, disposition
    return unquote(star.group(1))


def test_a_cyrillic_precinct_code_names_its_downloads(ctx: Context) -> None:
    cyrillic = dataclasses.replace(SMALL, territory=TERRITORY.replace("P1,", "Уч1,").encode())
    load(ctx, cyrillic, operators=("alice", "bob"), protocols=protocols_csv({"Уч1": GOOD["P1"]}, None), source="b.csv")
    c = TestClient(create_app(ctx))
    for fmt in ("json", "csv"):
        r = c.get("/events/small/precincts/Уч1/versions", params={"format": fmt})
        assert r.status_code == 200, r.text
        disposition = r.headers["content-disposition"]
        assert disposition.startswith('attachment; filename="small-__1-versions.')
        assert _filename(disposition) == f"small-Уч1-versions.{fmt}"
    info = ScanInfo(UnitCode("Уч1"), 2, "0" * 64, "application/pdf", 3, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    scan = scan_response(info, b"%PD", "small")
    assert _filename(scan.headers["content-disposition"]) == "small-Уч1-v2.pdf"
    assert attachment('a"b\\c.csv') == "attachment; filename=\"a_b_c.csv\"; filename*=UTF-8''a%22b%5Cc.csv"


def test_the_interactive_docs_are_off_unless_asked_for(served: Context) -> None:
    default = TestClient(create_app(served))
    assert default.get("/docs").status_code == 404
    assert default.get("/redoc").status_code == 404
    assert default.get("/openapi.json").status_code == 200
    docs = TestClient(create_app(served, docs=True)).get("/docs")
    assert docs.status_code == 200
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]


@pytest.mark.parametrize("flag", [[], ["--docs"]])
def test_serve_turns_the_docs_on_only_with_its_flag(
    db_url: str, store: object, monkeypatch: pytest.MonkeyPatch, flag: list[str]
) -> None:

    served: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda server, sockets: served.append(server.config.app))
    result = CliRunner().invoke(cli, ["serve", "--db", db_url, "--port", "0", *flag], terminal_width=200)
    assert result.exit_code == 0, result.output
    (app,) = served
    assert (app.docs_url, app.redoc_url) == (("/docs", "/redoc") if flag else (None, None))
    assert app.openapi_url == "/openapi.json"
