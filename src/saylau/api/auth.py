"""Sessions, CSRF and access refusals for the commission pages. No rules here: services decide.

The session cookie holds a random value (HttpOnly, SameSite=Strict, Secure over https); the server keeps
only its hash. Every state-changing POST carries the session's synchronizer token (a hidden ``csrf``
field or the ``X-CSRF-Token`` header), compared in constant time.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncGenerator, Callable
from typing import ParamSpec, TypeVar
from urllib.parse import parse_qsl

from fastapi import Request, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser

from saylau.api.limits import BodyTooLarge
from saylau.services.access.accounts import (
    SESSION_LIFETIME,
    AccessDenied,
    NotAuthenticated,
    SessionInfo,
    csrf_ok,
    session_of,
)
from saylau.services.access.throttle import client_address
from saylau.services.context import Context

__all__ = [
    "LOGIN_CSRF_COOKIE",
    "SESSION_COOKIE",
    "clear_session_cookie",
    "client_of",
    "current_session",
    "form_of",
    "form_with_file",
    "guard",
    "new_token",
    "require_csrf",
    "require_session",
    "set_cookie",
    "set_session_cookie",
]

SESSION_COOKIE = "saylau_session"
LOGIN_CSRF_COOKIE = "saylau_login_csrf"
MAX_FORM_BYTES = 8 * 1024 * 1024

P = ParamSpec("P")
T = TypeVar("T")


def new_token() -> str:
    return secrets.token_urlsafe(32)


async def form_of(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body as a dict (last value wins), bounded in size: by its route's
    limit as it arrives (``api.limits.BodyLimit``), and by MAX_FORM_BYTES here."""
    body = await _capped_body(request, MAX_FORM_BYTES)
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))


async def _capped_body(request: Request, limit: int) -> bytes:
    """The body, read as it arrives and refused (BodyTooLarge, 413) past ``limit`` bytes: never more than
    that is kept. The route's own, smaller limit is enforced under it by ``api.limits.BodyLimit``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit, int(declared))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def form_with_file(request: Request, file_field: str, max_file: int) -> tuple[dict[str, str], bytes | None]:
    """A form that may carry one file (multipart/form-data) or none (urlencoded): the text fields, and the
    bytes of ``file_field`` (None when no file was chosen). The body is bounded by ``max_file`` plus
    MAX_FORM_BYTES; a larger file inside that bound is left for the caller to refuse by name."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await form_of(request), None
    body = await _capped_body(request, max_file + MAX_FORM_BYTES)

    async def stream() -> AsyncGenerator[bytes, None]:
        yield body

    parser = MultiPartParser(request.headers, stream(), max_files=1, max_fields=1000, max_part_size=MAX_FORM_BYTES)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise HTTPException(400, f"unreadable form: {exc.message}") from exc
    fields: dict[str, str] = {}
    data: bytes | None = None
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            content = await value.read()
            await value.close()
            if name == file_field and (content or value.filename):
                data = content
        else:
            fields[name] = value
    return fields, data


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    set_cookie(request, response, SESSION_COOKIE, token, int(SESSION_LIFETIME.total_seconds()))


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")


def current_session(ctx: Context, request: Request) -> SessionInfo | None:
    return session_of(ctx, request.cookies.get(SESSION_COOKIE))


def require_session(ctx: Context, request: Request) -> SessionInfo:
    info = current_session(ctx, request)
    if info is None:
        raise NotAuthenticated("log in first (/login)", code="no_session")
    return info


def require_csrf(info: SessionInfo, request: Request, form: dict[str, str] | None) -> None:
    given = request.headers.get("x-csrf-token") or (form or {}).get("csrf")
    if not csrf_ok(info.csrf, given):
        raise AccessDenied("missing or wrong CSRF token", code="csrf")


def guard(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a use case. Its refusals of access (AccessDenied, NotAuthenticated) go, like every other
    SaylauError, to the one problem handler: 403 ``forbidden`` and 401 ``not_authenticated``."""
    return fn(*args, **kwargs)


def client_of(ctx: Context, request: Request) -> str:
    """The client's address for the throttle: the socket peer, or what a trusted proxy forwarded
    (``serve --trusted-proxy``; ``X-Forwarded-For`` from any other peer is ignored)."""
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get("x-forwarded-for"), ctx.settings.trusted_proxies)
