"""No request makes the server fail: every route of the application (its OpenAPI operations and the
routes outside the document) gets arbitrary bytes, form fields, query strings, headers and odd path
segments, from an anonymous client and from logged-in members sending their CSRF token (and, when
drawn, a valid one-time code), so that the handlers past the access checks are reached too. No answer
may be a 5xx, and no exception may escape to the server (the test client re-raises it).

The values drawn lean on the inputs that broke the server once: full-width digits in a one-time code,
``²`` in a count, 5,000-digit numbers, deeply nested JSON, lone surrogates in JSON strings, and bodies of
every content type. The fast run sends 30 requests a route on SQLite, the slow one (``pytest -m slow``)
40 more on PostgreSQL, so that the whole suite stays within minutes; ``SAYLAU_FUZZ_EXAMPLES=1000`` sends
that many a route on each engine, for a deeper run before a release. The sweep of odd field values runs on
both engines.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import FixedClock
from tests.integration.small import FIELDS, GOOD
from tests.integration.world import E2E, EVENT, PASSWORD, World, app_routes, world_on

from saylau.api import create_app
from saylau.api.auth import LOGIN_CSRF_COOKIE
from saylau.model import Phase
from saylau.services.context import Context
from saylau.services.paper import commission as c
from saylau.store import Store, connect

# Every route, enumerated from a throwaway application (nothing is read from its empty database)
ROUTES = sorted(app_routes(create_app(Context(Store(connect("sqlite://")), FixedClock(), "routes"))))
MEMBERS = ("anonymous", "central", "district")  # who asks: nobody, a member of every unit, of P1's district
REAL = {
    "code": EVENT,
    "unit": "P1",
    "precinct": "P1",
    "election": E2E,
    "tracking": "",
    "path": "site.css",
    "copy_id": "1",
    "batch": "P1",
    "petition": "no-such-petition",
}

NASTY = (
    "",
    " ",
    "１２３４５６",  # full-width digits: str.isdigit() says yes
    "²",
    "٣٤٥",
    "9" * 5000,  # past Python's int-string conversion limit
    "9" * 19,
    "-1",
    "1e999999999",
    "0x1F",
    "1_000",
    "1/0",
    "\x00",
    "\u202e",
    "Ω" * 300,
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "P1",
    "small",
    "q1",
    "%ED%A0%80",
)
text = st.one_of(st.sampled_from(NASTY), st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
ascii_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60)
VALID_TOTP = "<valid one-time code>"  # replaced by a code of the principal, in a step not used yet

FORM_KEYS = ("csrf", "totp", "target", "reason", "csv", "name", "password", "label", *(f"q1.{f}" for f in FIELDS))
QUERY_KEYS = ("lang", "unit", "version", "offset", "limit", "tracking", "format", "level", "max_events")

DEEP = os.environ.get("SAYLAU_FUZZ_EXAMPLES")  # a deeper run: this many requests a route on each engine
FAST_EXAMPLES = int(DEEP or 30)  # requests a route on SQLite
LONG_EXAMPLES = int(DEEP or 40)  # requests a route on PostgreSQL (and on SQLite too in a deeper run)
LONG_ENGINES = ["sqlite", "postgresql"] if DEEP else ["postgresql"]


def _csv() -> st.SearchStrategy[str]:
    header = "precinct,question," + ",".join(FIELDS)
    cells = st.lists(st.one_of(st.sampled_from(NASTY), st.integers(0, 2000).map(str)), min_size=9, max_size=9)
    rows = st.lists(st.tuples(st.sampled_from(("P1", "P2", "P3", "X", "１")), cells), max_size=3)
    good = rows.map(lambda rs: "\n".join([header, *(f"{p},q1," + ",".join(c) for p, c in rs)]) + "\n")
    return st.one_of(good, text)


def _json_body() -> st.SearchStrategy[bytes]:
    depth = st.integers(10, 200_000)
    return st.one_of(
        depth.map(lambda n: b"[" * n + b"]" * n),
        depth.map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
        st.sampled_from(NASTY).map(lambda s: json.dumps({"ballot_id": s, "ballot": s, "opening": s}).encode()),
        st.just(b'{"ballot_id": "\\ud800", "credential": "\\udfff", "questions": [], "signature": "x"}'),
        st.just(b'{"ballot": {"ballot_id": "\\ud800"}, "opening": {"ballot_id": "\\udc00"}}'),
        st.integers(1, 20_000).map(lambda n: b'{"ballot": ' + b"9" * n + b', "opening": 1}'),
        st.integers(1, 20_000).map(lambda n: b"[" + b"9" * n + b"]"),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | text,
            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
            max_leaves=20,
        ).map(lambda v: json.dumps(v).encode()),
    )


CONTENT_TYPES = (
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=xyz",
    "application/json",
    "text/plain; charset=utf-8",
    "application/octet-stream",
    "text/html; charset=\xff",  # sent as latin-1 bytes
)


@st.composite
def requests(draw: st.DrawFn, route: tuple[str, str]) -> dict[str, Any]:
    """One request for ``route``: its path with real or odd segments, and odd everything else."""
    method, template = route
    principal = draw(st.sampled_from(MEMBERS))
    segments = {}
    for name in re.findall(r"{(\w+)}", template):
        odd = st.one_of(text.map(lambda s: quote(s, safe="")), st.sampled_from(("%ED%A0%80", "%00", "%2e%2e", "%FF")))
        segments[name] = draw(st.one_of(st.just(None), odd))
    query = draw(st.dictionaries(st.one_of(st.sampled_from(QUERY_KEYS), text), text, max_size=4))
    headers = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "accept": st.one_of(st.sampled_from(("text/html", "application/json", "*/*")), ascii_text),
                "if-none-match": ascii_text,
                "accept-encoding": st.one_of(st.sampled_from(("gzip", "br, gzip;q=0", "identity"))),
                "x-csrf-token": ascii_text,
            },
        )
    )
    kind = draw(
        st.sampled_from(("none", "form", "bytes", "json", "multipart")) if method == "POST" else st.just("none")
    )
    body: dict[str, Any] = {}
    if kind == "form":
        values = st.one_of(text, st.just(VALID_TOTP), _csv(), st.sampled_from([p.value for p in Phase]))
        body["data"] = draw(st.dictionaries(st.one_of(st.sampled_from(FORM_KEYS), text), values, max_size=8))
    elif kind in ("bytes", "json"):
        body["content"] = draw(st.binary(max_size=3000) if kind == "bytes" else _json_body())
        headers["content-type"] = draw(st.one_of(st.sampled_from(CONTENT_TYPES), ascii_text))
    elif kind == "multipart":
        body["data"] = draw(st.dictionaries(st.sampled_from(FORM_KEYS), text, max_size=6))
        name = draw(st.one_of(st.sampled_from(("scan.png", "", "../x", "ü.pdf")), text))
        body["files"] = {
            draw(st.sampled_from(("scan", "csv", "x"))): (name, draw(st.binary(max_size=2000)), "image/png")
        }
    keep_csrf = draw(st.booleans()) or draw(st.booleans())  # mostly the right token: reach the handler
    return {
        "method": method,
        "template": template,
        "principal": principal,
        "segments": segments,
        "query": query,
        "headers": headers,
        "body": body,
        "keep_csrf": keep_csrf,
    }


def _send(world: World, r: dict[str, Any]) -> None:
    principal = r["principal"]
    real = REAL | {"tracking": world.tracking}
    path = r["template"].format(**{k: real[k] if v is None else v for k, v in r["segments"].items()})
    body = dict(r["body"])
    if "data" in body:
        data = {k: world.totp(principal) if v == VALID_TOTP else v for k, v in body["data"].items()}
        if r["keep_csrf"] and principal in world.sessions:
            data["csrf"] = world.csrf(principal)
        body["data"] = data
    headers = dict(r["headers"])
    if r["keep_csrf"] and principal in world.sessions and r["template"].endswith("/check"):
        headers["x-csrf-token"] = world.csrf(principal)
    query = r["query"]
    if r["template"].endswith("/stream"):
        query = query | {"max_events": "1"}  # a stream that ends (the server also closes it after 0.2 s)
    raw_headers = {k: v.encode("latin-1") for k, v in headers.items()}
    response = world.request(r["method"], path, principal, params=query, headers=raw_headers, **body)
    assert response.status_code < 500, f"{r['method']} {path} as {principal}: {response.status_code} {response.text}"


# The mutation sweep: each field of each form (and each key of each JSON body) in turn takes each odd
# value while the others are right, so that the value reaches the code that reads it (past the session,
# the CSRF token, the one-time code and the other fields' checks).
ODD = ("", "１２３４５６", "²", "9" * 5000, "-1", "\x00", "\u202e", "Ω" * 300, "<b>", "%ED%A0%80")
ODD_JSON = ("[" * 100_000 + "]" * 100_000, "9" * 5000, '"\\ud800"', '{"a": ' * 5000 + "1" + "}" * 5000)
ENTRY = "/commission/events/{code}/precincts/{precinct}"
COUNTS = {f"q1.{f}": str(v) for f, v in zip(FIELDS, GOOD["P1"], strict=True)}
RLA = "/commission/events/{code}/rla"  # the risk-limiting audit's forms (the event has no audit: refused after)
HAND = {"yes": "500", "no": "150", "invalid": "20", "not_counted": "20"}


def _good_form(world: World, route: tuple[str, str], principal: str) -> dict[str, str]:
    """The form an honest member would post (a valid code of ``principal``, a correction's reason)."""
    csrf = world.csrf(principal)
    totp = world.totp(principal)
    match route:
        case ("POST", "/login"):
            return {"name": "prober", "password": PASSWORD, "csrf": "login-token"}
        case ("POST", "/logout"):
            return {"csrf": csrf}
        case ("POST", "/commission/events/{code}/phase"):
            return {"csrf": csrf, "target": "setup", "totp": totp}  # a refused move: the phase stays
        case ("POST", "/commission/events/{code}/upload"):
            return {"csrf": csrf, "totp": totp, "csv": _csv_text(dict(zip(FIELDS, map(str, GOOD["P1"]), strict=True)))}
        case ("POST", path) if path == ENTRY:
            return COUNTS | {"csrf": csrf, "totp": totp, "reason": "sweep"}
        case ("POST", path) if path == ENTRY + "/check":
            return dict(COUNTS)
        case ("POST", path) if path == RLA + "/batches/{batch}":
            return HAND | {"csrf": csrf, "totp": totp}
        case ("POST", path) if path == RLA + "/seed":
            return {"csrf": csrf, "totp": totp, "digits": "12345678901234567890"}
        case ("POST", path) if path == RLA + "/plan":
            return {"csrf": csrf, "totp": totp, "risk_limit": "0.05", "method": "macro"}
    raise AssertionError(f"no form for {route}")


def _csv_text(cells: dict[str, str]) -> str:
    header = "precinct,question," + ",".join(FIELDS) + ",reason"
    return f"{header}\nP1,q1," + ",".join(cells[f] for f in FIELDS) + ",sweep\n"


FORMS = {
    ("POST", "/login"): ("name", "password", "csrf"),
    ("POST", "/logout"): ("csrf",),
    ("POST", "/commission/events/{code}/phase"): ("csrf", "target", "totp"),
    ("POST", ENTRY): ("csrf", "totp", "reason", *COUNTS),
    ("POST", ENTRY + "/check"): tuple(COUNTS),
    ("POST", "/commission/events/{code}/upload"): ("csrf", "totp", "csv", *(f"csv:{f}" for f in FIELDS)),
    ("POST", RLA + "/batches/{batch}"): ("csrf", "totp", *HAND),
    ("POST", RLA + "/seed"): ("csrf", "totp", "digits"),
    ("POST", RLA + "/plan"): ("csrf", "totp", "risk_limit", "method"),
}
BODIES = {
    ("POST", "/api/e2e/{election}/ballots"): ("ballot_id", "credential", "questions", "signature"),
    ("POST", "/api/e2e/{election}/spoiled"): ("ballot", "opening"),
}
SWEEP = [(route, f) for route, fields in (FORMS | BODIES).items() for f in fields]


def _member(world: World, route: tuple[str, str]) -> str:
    """A member who may act on P1 and has not keyed its open round (so that the one-time code is read)."""
    for name in ("central", "district", "regional", "precinct"):
        if not c.entry_form(world.ctx, world.accounts[name], EVENT, "P1").keyed_by_me:
            return name
    raise AssertionError("every member keyed the open round")


_VALID: dict[tuple[str, str], bytes] = {}


def _mutated_body(world: World, route: tuple[str, str], key: str, raw: str) -> bytes:
    """A valid ballot (or spoiled ballot) whose ``key`` holds ``raw`` (JSON text, as sent)."""
    if route not in _VALID:  # one valid body, mutated (so no voter's credential is used up)
        _VALID[route] = world.ballot() if route[1].endswith("/ballots") else world.spoiled()
    doc = json.loads(_VALID[route])
    doc[key] = "__ODD__"
    return json.dumps(doc).replace('"__ODD__"', raw).encode()


def _sweep_requests(world: World, route: tuple[str, str], key: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(principal, odd value, request) for each odd value of ``key``."""
    if route in BODIES:
        for odd in (*(json.dumps(v) for v in ODD), *ODD_JSON):
            yield "anonymous", odd, {"content": _mutated_body(world, route, key, odd)}
        return
    for odd in ODD:
        principal = _member(world, route)
        form = _good_form(world, route, principal)
        if key.startswith("csv:"):
            cells = dict(zip(FIELDS, map(str, GOOD["P1"]), strict=True)) | {key[4:]: odd.replace(",", "")}
            form["csv"] = _csv_text(cells)
        else:
            form[key] = odd
        extra: dict[str, Any] = {"data": form}
        if route == ("POST", "/login"):
            extra["cookies"] = {LOGIN_CSRF_COOKIE: "login-token"}
        if route[1].endswith("/check"):
            extra["headers"] = {"x-csrf-token": world.csrf(principal)}
        yield principal, odd, extra


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with world_on("sqlite", tmp_path_factory.mktemp("fuzz"), stream_interval=0.05, stream_max_seconds=0.2) as w:
        yield w


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r[0]} {r[1]}")
@settings(
    max_examples=FAST_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(data=st.data())
def test_no_request_gets_a_server_error(world: World, route: tuple[str, str], data: st.DataObject) -> None:
    _send(world, data.draw(requests(route)))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def any_world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp: Path = tmp_path_factory.mktemp("fuzz-long")
    with world_on(request.param, tmp, stream_interval=0.05, stream_max_seconds=0.2) as w:
        yield w


@pytest.mark.parametrize(("route", "key"), SWEEP, ids=[f"{r[0]} {r[1]} {k}" for r, k in SWEEP])
def test_each_field_takes_every_odd_value(any_world: World, route: tuple[str, str], key: str) -> None:
    world = any_world  # both engines: PostgreSQL refuses texts that SQLite stores
    path = route[1].format(**REAL)
    failures = []
    for principal, odd, extra in _sweep_requests(world, route, key):
        value = odd if len(odd) < 40 else f"{odd[:20]}…({len(odd)} characters)"
        try:
            response = world.request(route[0], path, principal, **extra)
        except Exception as exc:  # the test client re-raises what the server let escape
            failures.append(f"{key}={value!r} as {principal}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        if response.status_code >= 500:
            failures.append(f"{key}={value!r} as {principal}: {response.status_code} {response.text[:200]}")
    assert not failures, f"{route[0]} {route[1]}: " + "; ".join(failures)


@pytest.mark.slow
@pytest.mark.parametrize("any_world", LONG_ENGINES, indirect=True)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r[0]} {r[1]}")
@settings(
    max_examples=LONG_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(data=st.data())
def test_no_request_gets_a_server_error_long(any_world: World, route: tuple[str, str], data: st.DataObject) -> None:
    _send(any_world, data.draw(requests(route)))
