"""Issue 9, Medium 3: every request body is bounded by its route's limit as it arrives (api.limits), on
SQLite and PostgreSQL. A body that would be 500 MiB is refused with 413 ``body_too_large`` once its
route's limit is passed (the bytes the client had to produce stay near the limit), a declared
``Content-Length`` over it at once (nothing read), and a chunked body is counted; under a real uvicorn too."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import AsyncIterator, Iterator

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from tests.aio import run_in_own_loop
from tests.integration.test_commission_pages import KEY, client, commission_setup
from tests.serving import served_app

from saylau.api import create_app
from saylau.api.limits import BALLOT_LIMIT, BATCH_LIMIT, FORM_LIMIT
from saylau.services.context import Context
from saylau.services.settings import DeploymentSettings, ScanPolicy

PROBLEM = "application/problem+json"
HUGE = 500 * 1024 * 1024
CHUNK = b"a=" + b"x" * (64 * 1024 - 2)
FORM = "application/x-www-form-urlencoded"
SCAN_MAX = 100_000
BASE = "/commission/events/small"
# (path, content type, the route's limit, whether a session is needed to reach the body)
ROUTES = [
    ("/login", FORM, FORM_LIMIT, False),
    ("/api/register/check", "application/json", FORM_LIMIT, False),
    ("/register/check", FORM, FORM_LIMIT, False),
    ("/logout", FORM, FORM_LIMIT, True),
    ("/commission/petitions/d7/verify", FORM, FORM_LIMIT, True),
    ("/api/petitions/d7/signatures", "application/json", FORM_LIMIT, False),
    (f"{BASE}/phase", FORM, FORM_LIMIT, True),
    (f"{BASE}/upload", FORM, BATCH_LIMIT, True),
    (f"{BASE}/precincts/P1", "multipart/form-data; boundary=b0undary", SCAN_MAX + FORM_LIMIT, True),
    (f"{BASE}/precincts/P1", FORM, SCAN_MAX + FORM_LIMIT, True),
    (f"{BASE}/precincts/P1/check", FORM, FORM_LIMIT, True),
    ("/api/e2e/any-election/ballots", "application/json", BALLOT_LIMIT, False),
    ("/api/e2e/any-election/spoiled", "application/json", 2 * BALLOT_LIMIT, False),
]


@pytest.fixture
def small(ctx: Context) -> Context:
    ctx = commission_setup(ctx)
    return dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=KEY, scans=ScanPolicy(max_bytes=SCAN_MAX)))


def _post(small: Context, path: str, headers: dict[str, str], total: int = HUGE) -> tuple[httpx.Response, int]:
    """POST a streamed body of ``total`` bytes (chunked: no Content-Length unless in ``headers``) to the
    application in process; the answer and how many bytes the application made the client produce."""
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        while sent < total:
            sent += len(CHUNK)
            yield CHUNK

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(small))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await c.post(path, content=body(), headers=headers)

    return run_in_own_loop(go), sent


def _too_large(response: httpx.Response, limit: int) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["code"] == "body_too_large"
    assert problem["details"] == {"limit": limit}
    assert f"{limit:,}" in problem["detail"]


def _session_headers(small: Context) -> dict[str, str]:
    c, csrf = client(small, "d1")
    return {"cookie": f"saylau_session={c.cookies['saylau_session']}", "x-csrf-token": csrf}


@pytest.mark.parametrize(("path", "media", "limit", "session"), ROUTES)
def test_a_streamed_body_over_the_limit_is_refused_as_it_arrives(
    small: Context, path: str, media: str, limit: int, session: bool
) -> None:
    headers = {"content-type": media} | (_session_headers(small) if session else {})
    response, sent = _post(small, path, headers)
    _too_large(response, limit)
    assert sent <= limit + len(CHUNK)  # stopped at the limit, not at 500 MiB


@pytest.mark.parametrize(("path", "media", "limit", "session"), ROUTES)
def test_a_declared_length_over_the_limit_is_refused_before_anything_is_read(
    small: Context, path: str, media: str, limit: int, session: bool
) -> None:
    headers = {"content-type": media, "content-length": str(HUGE)}
    response, sent = _post(small, path, headers)
    _too_large(response, limit)
    assert sent == 0


def test_a_body_on_a_read_only_route_and_a_body_within_the_limit(small: Context) -> None:
    response, sent = _post(small, "/api/events", {"content-length": str(FORM_LIMIT + 1)}, total=FORM_LIMIT + 1)
    _too_large(response, FORM_LIMIT)  # a POST on a route of no table entry: a small form at most
    get = TestClient(create_app(small)).request("GET", "/api/events", content=b"x" * 10)
    _too_large(get, 0)  # a read takes no body
    # a login form within its limit is read (and refused for its CSRF token, not for its size)
    response, sent = _post(small, "/login", {"content-type": FORM}, total=len(CHUNK))
    assert response.status_code == 403, response.text
    assert sent == len(CHUNK)


@pytest.fixture
def served(small: Context) -> Iterator[int]:
    with served_app(create_app(small)) as port:
        yield port


def _answer(conn: socket.socket) -> bytes:
    conn.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data:
        more = conn.recv(65536)
        if not more:
            break
        data += more
    return data


def test_uvicorn_refuses_a_declared_500_mib_body_at_once(served: int) -> None:
    with socket.create_connection(("127.0.0.1", served)) as conn:
        head = f"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: {FORM}\r\nContent-Length: {HUGE}\r\n\r\n"
        conn.sendall(head.encode())
        answer = _answer(conn)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert PROBLEM.encode() in answer


def test_uvicorn_stops_a_chunked_body_near_the_limit(served: int) -> None:
    chunk = b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK)
    sent = 0
    with socket.create_connection(("127.0.0.1", served)) as conn:
        head = f"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: {FORM}\r\nTransfer-Encoding: chunked\r\n\r\n"
        conn.sendall(head.encode())
        conn.settimeout(0.05)
        answer = b""
        while sent < HUGE and not answer:
            try:
                conn.sendall(chunk)
                sent += len(CHUNK)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                pass
            try:
                answer = conn.recv(65536)
            except TimeoutError:
                continue
            except ConnectionResetError:
                break
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 16 * 1024 * 1024  # the limit is 64 KiB; what the sockets' buffers hold is all that went on
