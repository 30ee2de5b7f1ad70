"""A populated deployment for the route-wide tests (the role matrix, the never-500 property test).

The small event (tests/integration/small.py) in counting, P1 accepted with a scan of its signed protocol;
one account per role, each scoped to P1's units (regional R1, district R1-D1, precinct P1), two members
of another unit (regional R2, precinct P3), and an open e2e election with one cast ballot. Every
principal has a session opened through the service (its token and CSRF token chosen here), and requests
carry their cookies explicitly, so that no request changes who the next one is made by.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pyotp
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount
from tests.conftest import FixedClock
from tests.elections import SMALL, context, load
from tests.elections.e2e import open_e2e
from tests.integration.small import FIELDS, GOOD
from tests.pgschema import temporary_schema

from saylau.api import create_app
from saylau.api.auth import SESSION_COOKIE
from saylau.crypto import codec
from saylau.crypto.ballot import encrypt_ballot, open_spoiled
from saylau.crypto.credentials import CredentialSecret, signing_key
from saylau.crypto.group import Element
from saylau.services.access.accounts import Account, Role, create_account, login
from saylau.services.context import Context
from saylau.services.e2e.demo import YES_NO
from saylau.services.paper import commission as c
from saylau.services.secret_key import SecretKey
from saylau.services.settings import DeploymentSettings

__all__ = [
    "ACCOUNTS",
    "E2E",
    "EVENT",
    "PASSWORD",
    "PRINCIPALS",
    "World",
    "app_routes",
    "build_world",
    "world_on",
]

PASSWORD = "matrix horse battery staple"
KEY = SecretKey(bytes(range(32)))
EVENT = "small"
E2E = "matrix-e2e"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
VOTERS = 64  # fresh credentials for the ballots the tests cast (one each)

# name -> (role, units). The unit concerned by every route is P1 (in R1-D1, in R1).
ACCOUNTS: dict[str, tuple[Role, tuple[str, ...]]] = {
    "admin": (Role.ADMIN, ()),
    "central": (Role.CENTRAL, ()),
    "regional": (Role.REGIONAL, ("R1",)),
    "district": (Role.DISTRICT, ("R1-D1",)),
    "precinct": (Role.PRECINCT, ("P1",)),
    "observer": (Role.OBSERVER, ()),
    "other_regional": (Role.REGIONAL, ("R2",)),  # a member of another unit
    "other_precinct": (Role.PRECINCT, ("P3",)),  # a member of another unit
    "prober": (Role.OBSERVER, ()),  # the account POST /login logs in as
    "target": (Role.OBSERVER, ()),  # the account the administrators' actions act on
}
# who makes a request: no cookie, a session cookie the server never issued, or a real session
PRINCIPALS: tuple[str, ...] = ("anonymous", "forged", *(n for n in ACCOUNTS if n not in ("prober", "target")))


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path template) the application answers: its OpenAPI document's operations and
    its routes (those left out of the document too: /docs, /openapi.json, static files as
    ``<mount>/{path}``). HEAD, answered by Starlette for every GET, is left out."""
    found = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount):
            found.add(("GET", f"{route.path}/{{path}}"))
        found |= {(method, str(route.path)) for method in route.methods or () if method != "HEAD"}
    return found


def totp_secret(name: str) -> str:
    return base64.b32encode(hashlib.sha256(b"matrix-totp:" + name.encode()).digest()[:20]).decode()


@dataclass
class World:
    ctx: Context
    client: TestClient
    accounts: dict[str, Account]
    fingerprint: str
    joint_key: Element
    tracking: str  # the short tracking code of the cast ballot
    voters: Iterator[CredentialSecret]
    sessions: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (token, csrf)

    def open_session(self, name: str) -> tuple[str, str]:
        """A new session of ``name``, opened through the service (argon2 check included)."""
        token, csrf = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        login(self.ctx, name, PASSWORD, token, csrf)
        return token, csrf

    def csrf(self, principal: str) -> str:
        return self.sessions[principal][1] if principal in self.sessions else ""

    def totp(self, name: str) -> str:
        """A one-time code of ``name`` in a step not used yet (the test clock moves past the last one)."""
        clock = self.ctx.clock
        assert isinstance(clock, FixedClock)
        clock.now += dt.timedelta(seconds=31)
        return pyotp.TOTP(totp_secret(name)).at(clock.now) if name in self.accounts else "000000"

    def cookies(self, principal: str, session: tuple[str, str] | None = None) -> dict[str, str]:
        if session is not None:
            return {SESSION_COOKIE: session[0]}
        if principal == "forged":
            return {SESSION_COOKIE: "forged-" + secrets.token_urlsafe(24)}
        if principal in self.sessions:
            return {SESSION_COOKIE: self.sessions[principal][0]}
        return {}

    def request(
        self, method: str, url: str, principal: str, *, session: tuple[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        """One request as ``principal``; the client keeps no cookie from one request to the next."""
        jar = self.cookies(principal, session) | kwargs.pop("cookies", {})
        headers = dict(kwargs.pop("headers", {}))
        if jar:
            headers["cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        self.client.cookies.clear()
        return self.client.request(method, url, headers=headers, follow_redirects=False, **kwargs)

    def ballot(self) -> bytes:
        """A valid encrypted ballot of a fresh voter (canonical JSON)."""
        signer = signing_key(next(self.voters), self.fingerprint)
        ballot, _ = encrypt_ballot(
            YES_NO, [[1, 0]], self.joint_key, self.fingerprint, secrets.token_hex(12), signer, secrets.token_bytes
        )
        return codec.dumps(ballot).encode()

    def spoiled(self) -> bytes:
        """A challenged ballot of a fresh voter with its opening."""
        signer = signing_key(next(self.voters), self.fingerprint)
        ballot, nonces = encrypt_ballot(
            YES_NO, [[0, 1]], self.joint_key, self.fingerprint, secrets.token_hex(12), signer, secrets.token_bytes
        )
        opening = open_spoiled(ballot, nonces)
        body = {"ballot": json.loads(codec.dumps(ballot)), "opening": json.loads(codec.dumps(opening))}
        return json.dumps(body).encode()


def _commission(ctx: Context) -> dict[str, Account]:
    load(ctx, SMALL)
    accounts = {}
    for name, (role, units) in ACCOUNTS.items():
        accounts[name], _uri = create_account(ctx, name, role, PASSWORD, units, totp_secret(name))
    # P1 accepted (central then district agree), with the scan of its signed protocol
    counts = {f"q1.{f}": str(v) for f, v in zip(FIELDS, GOOD["P1"], strict=True)}
    c.submit_entry(ctx, accounts["central"], EVENT, "P1", counts, "", "", PNG)
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    clock.now += dt.timedelta(seconds=31)
    code = pyotp.TOTP(totp_secret("district")).at(clock.now)
    done = c.submit_entry(ctx, accounts["district"], EVENT, "P1", counts, "", code, PNG)
    assert done.decision == "agreed", done
    return accounts


def build_world(ctx: Context, **app_options: Any) -> World:
    ctx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=KEY))
    accounts = _commission(ctx)
    e2e = open_e2e(ctx, E2E, voters=VOTERS, guardians=2, quorum=1)
    client = TestClient(create_app(ctx, **app_options))
    world = World(ctx, client, accounts, e2e.fingerprint, e2e.joint_key, "", iter(e2e.voters))
    cast = client.post(f"/api/e2e/{E2E}/ballots", content=world.ballot())
    assert cast.status_code == 201, cast.text
    world.tracking = cast.json()["tracking_code"]["short"]
    world.sessions = {name: world.open_session(name) for name in accounts}
    return world


@contextmanager
def world_on(engine: str, tmp: Path, **app_options: Any) -> Iterator[World]:
    """A world on a fresh SQLite file or PostgreSQL schema, torn down afterwards."""
    with _database(engine, tmp) as url, context(url, FixedClock()) as ctx:
        world = build_world(ctx, **app_options)
        try:
            yield world
        finally:
            world.client.app.state.ballot_intake.close()  # type: ignore[attr-defined]


@contextmanager
def _database(engine: str, tmp: Path) -> Iterator[str]:
    if engine == "sqlite":
        yield f"sqlite:///{tmp / 'world.db'}"
        return
    with temporary_schema("w") as url:
        yield url
