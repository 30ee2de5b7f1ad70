"""What the security review of issue 9 found to hold, kept as tests (on SQLite and PostgreSQL): no session
fixation, no stored XSS on public or commission pages, the embargo on every public route, SQL probes in
every path and query parameter, and malformed e-ballots refused without a 5xx nor a trace in the record."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from collections.abc import Iterator
from typing import Any

from fastapi.testclient import TestClient
from starlette.routing import Route
from tests.elections import SMALL, load
from tests.integration.small import EVENT, GOOD, TERRITORY, protocols_csv
from tests.integration.test_api_e2e import CODE as E2E
from tests.integration.test_api_e2e import _open
from tests.integration.test_commission_pages import KEY, PASSWORD, SECRETS

from saylau.api import create_app
from saylau.crypto import codec
from saylau.services.access.accounts import Role, create_account
from saylau.services.context import Context
from saylau.services.paper.embargo import Embargo, PollsClose, set_embargo
from saylau.services.settings import DeploymentSettings

PAYLOADS = ('<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "javascript:alert(1)//'")
SQL = ("' OR '1'='1", "1; DROP TABLE event; --", '" OR ""="', "%27%20OR%201=1--", "P1' UNION SELECT * FROM account--")


def _counted(ctx: Context, *, hostile: bool = False) -> Context:
    """The small event counted by two operators (hostile: its texts carry script payloads)."""
    ctx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=KEY))
    event, territory = copy.deepcopy(EVENT), TERRITORY
    if hostile:
        event["title"] = PAYLOADS[0]
        event["description"] = PAYLOADS[1]
        event["questions"][0]["texts"][1]["text"] = PAYLOADS[1]  # type: ignore[index]
        quoted = ['"' + x.replace('"', '""') + '"' for x in PAYLOADS]  # CSV cells with quotes
        territory = territory.replace(",Region One,", f",{quoted[1]},").replace(",Precinct 1,", f",{quoted[0]},")
    election = dataclasses.replace(
        SMALL, event=json.dumps(event, ensure_ascii=False).encode(), territory=territory.encode()
    )
    load(ctx, election, operators=("alice", "bob"), protocols=protocols_csv(GOOD), source="p.csv")
    return ctx


def _walk(routes: list[Any]) -> Iterator[Route]:
    """Every plain route, inside included routers too (FastAPI keeps them behind ``original_router``)."""
    for route in routes:
        if isinstance(route, Route):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _walk(list(inner.routes))


def _get_routes(client: TestClient) -> Iterator[str]:
    for route in _walk(list(client.app.routes)):  # type: ignore[attr-defined]
        if "GET" in (route.methods or ()):
            yield route.path


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "P1"), path)


VALUES = {"code": "small", "unit": "R1", "precinct": "P1", "election": E2E, "tracking": "AAAA-AAAA-AAAA-AAAA"}


def _login(ctx: Context, name: str) -> TestClient:
    c = TestClient(create_app(ctx))
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
    assert token is not None
    r = c.post("/login", data={"name": name, "password": PASSWORD, "csrf": token.group(1)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return c


def test_no_session_fixation(ctx: Context) -> None:
    ctx = _counted(ctx)
    create_account(ctx, "cen", Role.CENTRAL, PASSWORD, [], SECRETS["cen"])
    planted = "attacker-chosen-session-value-0123456789abcdef"
    victim = TestClient(create_app(ctx))
    victim.cookies.set("saylau_session", planted)
    token = re.search(r'name="csrf" value="([^"]+)"', victim.get("/login").text)
    assert token is not None
    r = victim.post(
        "/login", data={"name": "cen", "password": PASSWORD, "csrf": token.group(1)}, follow_redirects=False
    )
    assert r.status_code == 303
    issued = r.cookies.get("saylau_session")
    assert issued
    assert issued != planted  # a new random value, never the one the browser came with
    attacker = TestClient(create_app(ctx))
    attacker.cookies.set("saylau_session", planted)
    assert attacker.get("/commission", follow_redirects=False).status_code == 303  # to the log-in page


def test_no_stored_xss_on_public_and_commission_pages(ctx: Context) -> None:
    ctx = _counted(ctx, hostile=True)
    create_account(ctx, "obs", Role.OBSERVER, PASSWORD, [], SECRETS["obs"])
    public = TestClient(create_app(ctx))
    pages = [
        p
        for p in _get_routes(public)
        if not p.startswith(("/api", "/static", "/openapi", "/docs", "/redoc", "/commission", "/e2e"))
    ]
    seen = 0
    for path in pages:
        for lang in ("kk", "ru", "en"):
            r = public.get(_fill(path, VALUES), params={"lang": lang}, headers={"accept": "text/html"})
            assert r.status_code < 500, (path, r.text[:300])
            if "html" in r.headers.get("content-type", ""):
                seen += 1
                for payload in PAYLOADS[:2]:
                    assert payload not in r.text, (path, lang)
    assert seen >= 10
    observer = _login(ctx, "obs")
    for path in (
        "/commission",
        "/commission/events/small",
        "/commission/events/small/precincts/P1",
        "/commission/events/small/audit",
    ):
        r = observer.get(path)
        assert r.status_code == 200, path
        for payload in PAYLOADS[:2]:
            assert payload not in r.text, path
    escaped = observer.get("/commission/events/small/precincts/P1").text
    assert "&lt;script&gt;" in escaped or "&#34;&gt;&lt;img" in escaped or "&lt;img" in escaped  # shown, escaped


def test_the_embargo_holds_on_every_public_route(ctx: Context) -> None:
    ctx = _counted(ctx)
    until = ctx.clock.now.replace(year=2099)  # type: ignore[attr-defined]
    set_embargo(ctx, "small", Embargo((PollsClose("everywhere", until),)))
    client = TestClient(create_app(ctx))
    yes = str(sum(v[5] for v in GOOD.values()))  # 1440 Yes votes: a figure only a result carries
    checked = 0
    for path in _get_routes(client):
        if "{code}" not in path:
            continue
        r = client.get(_fill(path, VALUES), headers={"accept": "text/html"})
        assert r.status_code < 500, (path, r.text[:300])
        if r.status_code == 200:
            body = r.text.replace(",", "").replace("\u202f", "").replace("\xa0", "")
            assert yes not in body, path
        checked += 1
    assert checked >= 10


def test_sql_probes_in_path_and_query_parameters(ctx: Context) -> None:
    ctx = _counted(ctx)
    client = TestClient(create_app(ctx))
    before = client.get("/api/events/small/results").json()
    probed = 0
    for path in _get_routes(client):
        if "{" not in path:
            continue
        for probe in SQL:
            url = _fill(path, dict.fromkeys(("code", "unit", "precinct", "election", "tracking"), probe))
            for params in ({}, {"unit": probe, "level": probe, "lang": probe, "version": probe, "offset": probe}):
                r = client.get(url, params=params)
                assert r.status_code < 500, (url, params, r.text[:300])
                lowered = r.text.lower()
                for leak in ("sqlalchemy", "psycopg", "sqlite3", "syntax error", "traceback"):
                    assert leak not in lowered, (url, leak)
                probed += 1
    assert probed >= 50
    after = client.get("/api/events/small/results").json()
    assert after == before  # nothing changed: no probe reached the database as SQL


def _mutations(doc: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Every way of breaking one spot of the ballot: each string changed, each key dropped or added, each
    list emptied or grown, each value of the wrong type."""

    def at(new: Any) -> Any:
        out = copy.deepcopy(root)
        if not path:
            return new
        target = out
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = new
        return out

    root = _mutations.root  # type: ignore[attr-defined]
    where = "/".join(map(str, path)) or "ballot"
    if isinstance(doc, dict):
        for key in doc:
            yield f"{where}: without {key}", at({k: v for k, v in doc.items() if k != key})
            yield from _mutations(doc[key], (*path, key))
        yield f"{where}: an unknown key", at({**doc, "extra": "1"})
        yield f"{where}: a list instead", at([doc])
    elif isinstance(doc, list):
        if doc:
            yield f"{where}: emptied", at([])
            yield f"{where}: first repeated", at([doc[0], *doc])
        for i, item in enumerate(doc):
            yield from _mutations(item, (*path, i))
        yield f"{where}: an object instead", at({"0": doc})
    elif isinstance(doc, str):
        flipped = doc[:-1] + ("0" if doc[-1] != "0" else "1") if doc else "0"
        yield f"{where}: last digit changed", at(flipped)
        yield f"{where}: truncated", at(doc[:-2])
        yield f"{where}: upper case", at(doc.upper()) if doc.upper() != doc else (f"{where}: doubled", at(doc + doc))
        yield f"{where}: not hex", at("zz" + doc[2:])
        yield f"{where}: zeros (identity, zero scalar)", at("0" * len(doc))
        yield f"{where}: a number", at(7)
        yield f"{where}: null", at(None)


def test_malformed_ballots_are_refused_and_leave_no_trace(ctx: Context) -> None:
    e = _open(ctx)
    ballot, _ = e.ballot(0, 1)
    plain = json.loads(codec.dumps(ballot))
    _mutations.root = plain  # type: ignore[attr-defined]
    cases = list(_mutations(plain))
    other, _ = e.ballot(1, 0)
    cases += [
        ("not JSON", b"{not json"),
        ("an array", b"[]"),
        ("null", b"null"),
        ("a string", b'"ballot"'),
        ("empty object", b"{}"),
        ("another ballot's signature", {**plain, "signature": json.loads(codec.dumps(other))["signature"]}),
        ("another ballot's proofs", {**plain, "questions": json.loads(codec.dumps(other))["questions"]}),
        ("duplicate keys", codec.dumps(ballot)[:-1].encode() + b',"ballot_id":"x"}'),
    ]
    assert len(cases) >= 53
    for name, body in cases:
        content = body if isinstance(body, bytes) else json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
        r = e.client.post(f"/api/e2e/{E2E}/ballots", content=content)
        assert r.status_code in (400, 409, 413, 422), (name, r.status_code, r.text[:300])
        assert r.headers["content-type"].startswith("application/problem+json"), name
    board = e.client.get(f"/api/e2e/{E2E}/board").json()
    assert board["cast"] == 0  # nothing of them in the record
    # the same ballot, well formed (white space is not content: the signature covers the values), is taken
    spaced = json.dumps(plain, indent=1).encode()
    assert e.client.post(f"/api/e2e/{E2E}/ballots", content=spaced).status_code == 201
