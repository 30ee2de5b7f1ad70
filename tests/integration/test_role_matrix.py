"""The endpoint × principal matrix: every route of the application, asked by everyone who may come.

ROUTES below is the one table of who may use what. Every route the application answers (its OpenAPI
document and its routes outside it, tests/integration/world.py ``app_routes``) must have a row, so a new
route without a rule fails here; a row whose route is gone fails too. Each route is then requested by
every principal of world.py (no cookie, a forged session cookie, each role scoped to the unit concerned,
P1, and two members of another unit), with a real session, CSRF token and one-time code, on SQLite and on
PostgreSQL, and the answer must be the rule's: ``ok`` for whom the rule allows, ``refused`` for the others,
and never a 5xx.

To add a route: add its row, ``(method, path template): Row(rule, ...)``; ``ok`` is what an allowed
principal gets (default: 200), ``refused`` what the others get (default: 401, 403 or a redirect to the
log-in page, written "login"); ``probe`` names how the request is made (PROBES; default: a GET, or a POST
of ``form`` with the principal's CSRF token and a fresh one-time code).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx2 as httpx
import pytest
from tests.integration.small import FIELDS, GOOD
from tests.integration.world import ACCOUNTS, E2E, EVENT, PASSWORD, PRINCIPALS, World, app_routes, world_on

from saylau.api.auth import LOGIN_CSRF_COOKIE
from saylau.api.routes_observe import COPY_CSRF_COOKIE
from saylau.api.routes_register import REGISTER_CSRF_COOKIE
from saylau.model import QuestionCode
from saylau.services.audit.parallel import list_copies, submit_copy

# Who each rule lets in. "other_*" are members of units other than the one concerned (P1).
SIGNED_IN = frozenset(p for p in PRINCIPALS if p in ACCOUNTS)
RULES: dict[str, frozenset[str]] = {
    "public": frozenset(PRINCIPALS),  # no session needed; a session changes nothing
    "anonymous_ballot": frozenset(PRINCIPALS),  # no session: the voter's credential signs the ballot
    "session_any": SIGNED_IN,  # any account
    "sees_unit": frozenset({"admin", "central", "observer", "regional", "district", "precinct"}),
    "acts_on_unit": frozenset({"central", "regional", "district", "precinct"}),  # keys protocols of P1
    "central_only": frozenset({"central"}),
    "counts_unit": frozenset({"central", "regional", "district"}),  # hand counts P1 in an audit (not P1's own)
    "accounts_log": frozenset({"admin", "central", "observer"}),
    "admin_only": frozenset({"admin"}),
    "observer_only": frozenset({"observer"}),  # submits copies of protocols (the parallel check)
}
DENIED = frozenset({"401", "403", "login"})


@dataclass(frozen=True)
class Row:
    rule: str
    ok: frozenset[str] = frozenset({"200"})
    refused: frozenset[str] = DENIED
    probe: str = ""  # a key of PROBES; "" = "get" for GET, "form" for POST
    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)


def _ok(*statuses: str) -> frozenset[str]:
    return frozenset(statuses)


ENTRY = "/commission/events/{code}/precincts/{precinct}"
COPY_PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
CORRECTION_CSV = "precinct,question," + ",".join(FIELDS) + ",reason\nP1,q1," + ",".join(map(str, GOOD["P1"]))

ROUTES: dict[tuple[str, str], Row] = {
    # public results, pages and files
    ("GET", "/"): Row("public"),
    ("GET", "/api/events"): Row("public"),
    ("GET", "/api/events/{code}/results"): Row("public"),
    ("GET", "/api/events/{code}/units/{unit}"): Row("public"),
    ("GET", "/api/events/{code}/precincts"): Row("public"),
    ("GET", "/api/events/{code}/turnout"): Row("public"),
    ("GET", "/api/events/{code}/stream"): Row("public", query={"max_events": "1"}),
    ("GET", "/events/{code}"): Row("public"),
    ("GET", "/events/{code}/units/{unit}"): Row("public"),
    ("GET", "/events/{code}/turnout"): Row("public"),
    ("GET", "/events/{code}/units/{unit}/turnout"): Row("public"),
    ("GET", "/events/{code}/precincts/{precinct}/versions"): Row("public"),
    ("GET", "/events/{code}/forensics"): Row("public"),  # issue 11: the forensics page
    ("GET", "/events/{code}/forensics.json"): Row("public"),
    ("GET", "/events/{code}/precincts/{precinct}/scan"): Row("public", query={"version": "1"}),
    # the observers' parallel check: the copies page, a copy's photo, the anonymous form (an empty form:
    # past the CSRF check, refused for its missing counts; nothing is stored)
    ("GET", "/events/{code}/units/{unit}/copies"): Row("public"),
    ("GET", "/events/{code}/copies/{copy_id}/photo"): Row("public", probe="copy_photo"),
    ("GET", "/events/{code}/precincts/{precinct}/copy"): Row("public"),
    ("POST", "/events/{code}/precincts/{precinct}/copy"): Row("public", ok=_ok("422"), probe="copy_form"),
    ("GET", "/openapi.json"): Row("public"),  # /docs and /redoc only with serve --docs (off here)
    ("GET", "/static/{path}"): Row("public"),
    # the e2e booth and board; casting and spoiling need no session (the credential signs)
    ("GET", "/api/e2e/{election}"): Row("public"),
    ("GET", "/api/e2e/{election}/board"): Row("public"),
    ("GET", "/api/e2e/{election}/board/{tracking}"): Row("public"),
    ("GET", "/e2e/{election}/booth"): Row("public"),
    ("GET", "/e2e/{election}/board"): Row("public"),
    ("POST", "/api/e2e/{election}/ballots"): Row("anonymous_ballot", ok=_ok("201"), probe="ballot"),
    ("POST", "/api/e2e/{election}/spoiled"): Row("anonymous_ballot", ok=_ok("201"), probe="spoiled"),
    # a voter's check of their own register entry (an empty register: nobody is found)
    ("POST", "/api/register/check"): Row("public", ok=_ok("404"), probe="register_check"),
    ("GET", "/register/check"): Row("public"),
    ("POST", "/register/check"): Row("public", ok=_ok("404"), probe="register_form"),
    # petitions (spec/petitions.md §12): the world has none, so past the access checks each answer is 404
    ("GET", "/petitions/{petition}"): Row("public", ok=_ok("404")),
    ("GET", "/api/petitions/{petition}"): Row("public", ok=_ok("404")),
    ("POST", "/api/petitions/{petition}/signatures"): Row("public", ok=_ok("404"), probe="petition_sign"),
    ("GET", "/commission/petitions"): Row("session_any"),
    ("POST", "/commission/petitions/{petition}/verify"): Row("central_only", ok=_ok("404")),
    # logging in and out
    ("GET", "/login"): Row("public"),
    ("POST", "/login"): Row("public", ok=_ok("303"), probe="login"),
    ("POST", "/logout"): Row("session_any", ok=_ok("login"), refused=_ok("401", "403"), probe="logout"),
    # the commission
    ("GET", "/commission"): Row("session_any"),
    ("GET", "/commission/audit"): Row("accounts_log"),
    ("GET", "/commission/events/{code}"): Row("sees_unit", query={"unit": "P1"}),
    ("GET", "/commission/events/{code}/audit"): Row("session_any"),
    ("POST", "/commission/events/{code}/phase"): Row("central_only", ok=_ok("409"), form={"target": "setup"}),
    ("GET", ENTRY): Row("sees_unit"),
    # an empty form: past the access checks, refused for its missing counts (nothing is stored)
    ("POST", ENTRY): Row("acts_on_unit", ok=_ok("422")),
    ("GET", ENTRY + "/scan"): Row("sees_unit", query={"version": "1"}),
    ("POST", ENTRY + "/check"): Row("sees_unit", probe="check"),
    ("GET", "/commission/events/{code}/upload"): Row("session_any"),
    # a correction of P1 (same counts, a reason): each allowed member keys it once; a member of another
    # unit is refused by line (422: "precinct P1 is not under your units"), nothing entered
    ("POST", "/commission/events/{code}/upload"): Row(
        "acts_on_unit",
        refused=DENIED | {"422"},
        form={"csv": CORRECTION_CSV + ",matrix correction\n"},
    ),
    # an observer's copy of P1's protocol (an empty form: past the access checks, refused for its counts)
    ("GET", ENTRY + "/copy"): Row("observer_only"),
    ("POST", ENTRY + "/copy"): Row("observer_only", ok=_ok("422")),
    # the risk-limiting audit (the event is not final: no audit; past the access checks, each use case
    # answers so, nothing is stored)
    ("GET", "/commission/events/{code}/rla"): Row("session_any"),
    ("POST", "/commission/events/{code}/rla/plan"): Row("central_only", ok=_ok("409"), form={"risk_limit": "0.05"}),
    ("POST", "/commission/events/{code}/rla/manifest"): Row("central_only", ok=_ok("404")),
    # a precinct's cast-vote records (an empty form: past the access check, refused for its missing file)
    ("POST", "/commission/events/{code}/rla/cvr"): Row("central_only", ok=_ok("422")),
    ("POST", "/commission/events/{code}/rla/seed"): Row(
        "central_only", ok=_ok("404"), form={"digits": "12345678901234567890"}
    ),
    ("POST", "/commission/events/{code}/rla/draw"): Row("central_only", ok=_ok("404")),
    ("GET", "/commission/events/{code}/rla/batches/{batch}"): Row("sees_unit", ok=_ok("404")),
    ("POST", "/commission/events/{code}/rla/batches/{batch}"): Row(
        "counts_unit", ok=_ok("404", "422"), form={"yes": "1", "no": "1", "invalid": "0", "not_counted": "0"}
    ),
    ("GET", "/events/{code}/audit"): Row("public"),
    ("GET", "/events/{code}/audit.json"): Row("public", ok=_ok("404")),
    ("GET", "/events/{code}/audit/manifest.json"): Row("public", ok=_ok("404")),
    # the administrators' accounts page; each action on the account "target" (with the admin's own code)
    ("GET", "/commission/accounts"): Row("admin_only"),
    **{
        ("POST", f"/commission/accounts/{action}"): Row(
            "admin_only", form={"account": "target", "password": "a long passphrase nobody guesses 71"}
        )
        for action in ("disable", "enable", "reset-password", "reset-totp", "revoke-sessions")
    },
}

Probe = Callable[[World, str, Row], dict[str, Any]]


def _get(world: World, principal: str, row: Row) -> dict[str, Any]:
    return {"params": row.query}


def _form(world: World, principal: str, row: Row) -> dict[str, Any]:
    name = principal if principal in ACCOUNTS else "central"
    return {"params": row.query, "data": {"csrf": world.csrf(principal), "totp": world.totp(name), **row.form}}


def _check(world: World, principal: str, row: Row) -> dict[str, Any]:
    return {"data": {}, "headers": {"X-CSRF-Token": world.csrf(principal)}}


def _login(world: World, principal: str, row: Row) -> dict[str, Any]:
    form = {"name": "prober", "password": PASSWORD, "csrf": "login-token"}
    return {"data": form, "cookies": {LOGIN_CSRF_COOKIE: "login-token"}}


def _logout(world: World, principal: str, row: Row) -> dict[str, Any]:
    """A session of its own (logging out ends it, not the one the other cells use)."""
    if principal not in ACCOUNTS:
        return {"data": {"csrf": "none"}}
    token, csrf = world.open_session(principal)
    return {"data": {"csrf": csrf}, "session": (token, csrf)}


def _ballot(world: World, principal: str, row: Row) -> dict[str, Any]:
    return {"content": world.ballot()}


def _spoiled(world: World, principal: str, row: Row) -> dict[str, Any]:
    return {"content": world.spoiled()}


def _copy_form(world: World, principal: str, row: Row) -> dict[str, Any]:
    """The anonymous form's double-submit token: the same value in the cookie and the field."""
    return {"data": {"csrf": "copy-token", "label": "matrix"}, "cookies": {COPY_CSRF_COOKIE: "copy-token"}}


def _copy_photo(world: World, principal: str, row: Row) -> dict[str, Any]:
    """Copy 1 exists: the observer submits it through the service the first time it is asked for."""
    if list_copies(world.ctx, EVENT, public=False).total == 0:
        figures = {QuestionCode("q1"): dict(zip(FIELDS, GOOD["P1"], strict=True))}
        submit_copy(world.ctx, EVENT, "P1", figures, COPY_PNG, world.accounts["observer"])
    return {"params": row.query}


def _register_check(world: World, principal: str, row: Row) -> dict[str, Any]:
    """Each principal its own identifier: the throttle counts a wrong check per identifier (5 free)."""
    return {"json": {"identifier": f"matrix-{principal}", "birth_date": "1985-04-12"}}


def _register_form(world: World, principal: str, row: Row) -> dict[str, Any]:
    """The page's double-submit token, and each principal its own identifier (see _register_check)."""
    form = {"csrf": "register-token", "identifier": f"form-{principal}", "born": "1985-04-12"}
    return {"data": form, "cookies": {REGISTER_CSRF_COOKIE: "register-token"}}


def _petition_sign(world: World, principal: str, row: Row) -> dict[str, Any]:
    """A well-formed online signature (the petition does not exist: 404 for everyone, nothing kept)."""
    statement = {"petition": "no-such-petition", "identifier": "850101300012", "name": "A", "birth_date": "1985-01-01",
                 "signed_on": "2024-03-25"}  # fmt: skip
    return {"json": {"statement": statement, "algorithm": "ed25519", "public_key": "00" * 32, "signature": "00" * 64}}


PROBES: dict[str, Probe] = {
    "get": _get,
    "form": _form,
    "check": _check,
    "login": _login,
    "logout": _logout,
    "ballot": _ballot,
    "spoiled": _spoiled,
    "copy_form": _copy_form,
    "copy_photo": _copy_photo,
    "register_check": _register_check,
    "register_form": _register_form,
    "petition_sign": _petition_sign,
}


def _url(world: World, template: str) -> str:
    params = {
        "code": EVENT,
        "unit": "P1",
        "precinct": "P1",
        "election": E2E,
        "tracking": world.tracking,
        "path": "site.css",
        "copy_id": "1",
        "batch": "P1",
        "petition": "no-such-petition",
    }
    return template.format(**params)


def outcome(response: httpx.Response) -> str:
    """The status, or "login" for a redirect to the log-in page."""
    if response.is_redirect and urlsplit(response.headers["location"]).path == "/login":
        return "login"
    return str(response.status_code)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with world_on(request.param, tmp_path_factory.mktemp("matrix")) as w:
        yield w


def test_every_route_has_exactly_one_rule(world: World) -> None:
    served = app_routes(world.client.app)  # type: ignore[arg-type]
    missing = sorted(served - ROUTES.keys())
    assert not missing, (
        f"route(s) without an access rule: {missing}. Add a row for each to ROUTES in {__file__} "
        f"(its rule: one of {sorted(RULES)}; see the module's docstring)"
    )
    stale = sorted(ROUTES.keys() - served)
    assert not stale, f"ROUTES has row(s) for route(s) the application does not serve: {stale}; remove them"
    assert all(row.rule in RULES for row in ROUTES.values())
    assert all(row.probe in ("", *PROBES) for row in ROUTES.values())


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("route", sorted(ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
def test_each_principal_gets_what_the_rule_says(world: World, route: tuple[str, str], principal: str) -> None:
    method, template = route
    row = ROUTES[route]
    probe = PROBES[row.probe or ("get" if method == "GET" else "form")]
    kwargs = probe(world, principal, row)
    response = world.request(method, _url(world, template), principal, **kwargs)
    allowed = principal in RULES[row.rule]
    expected = row.ok if allowed else row.refused
    got = outcome(response)
    assert response.status_code < 500, f"{method} {template} as {principal}: {response.status_code} {response.text}"
    assert got in expected, (
        f"{method} {template} as {principal} ({'allowed' if allowed else 'refused'} by rule {row.rule!r}): "
        f"got {got}, expected one of {sorted(expected)}; body: {response.text[:300]}"
    )
