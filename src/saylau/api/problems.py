"""The one error handler: a SaylauError (or a refused request) becomes application/problem+json (RFC 9457).

Pages asked for by a browser get the same facts as an HTML page with the same status. Every ``code`` is
stable (spec/formats.md §11): a refusal of access is ``forbidden`` (403) and a missing or wrong log-in
``not_authenticated`` (401), whatever the cause; the cause, when more precise (``totp_required``,
``csrf``, ``bad_credentials``, ...), is ``details.reason``. Anything else that escapes a handler is a bug:
it is logged with its traceback on the server and answered 500 ``internal_error``, with nothing of the
exception in the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from saylau.model import LANGS, Conflict, InputError, Lang, LifecycleError, NotFound, ProtocolRejected, SaylauError
from saylau.publish.site.render import render_message
from saylau.services.access.accounts import AccessDenied, NotAuthenticated
from saylau.services.access.throttle import TooManyAttempts
from saylau.services.secret_key import SecretKeyError
from saylau.store import DatabaseUnavailable

__all__ = [
    "HTTP_CODES",
    "INTERNAL_ERROR",
    "PROBLEM_JSON",
    "http_problem",
    "install_problem_handlers",
    "stable_code",
    "status_of",
]

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:saylau:problem:"
# Stable codes of refusals made by the web layer itself (any other status: ``http_<status>``)
HTTP_CODES = {401: NotAuthenticated.code, 403: AccessDenied.code, 404: "not_found"}
INTERNAL_ERROR = "internal_error"
_LOG = logging.getLogger("saylau.api")


def status_of(exc: SaylauError) -> int:
    if isinstance(exc, NotAuthenticated):
        return 401
    if isinstance(exc, AccessDenied):
        return 403
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, LifecycleError | Conflict):
        return 409
    if isinstance(exc, InputError | ProtocolRejected):
        return 422
    if isinstance(exc, TooManyAttempts):
        return 429
    if isinstance(exc, DatabaseUnavailable | SecretKeyError):  # the server is not set up for this
        return 503
    return 400


def _problem(status: int, code: str, detail: str, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + code,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    body.update(extra or {})
    return body


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def _respond(request: Request, body: dict[str, Any]) -> Response:
    if _wants_html(request):
        demo = bool(getattr(request.app.state, "demo", False))
        html = render_message(
            body["title"],
            body["detail"],
            _lang(request.query_params.get("lang")),
            path=request.url.path,
            demo=demo,
            status=body["status"],
        )
        return HTMLResponse(html, status_code=body["status"])
    return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_JSON)


def _lang(value: str | None) -> Lang:
    return next((lang for lang in LANGS if lang == value), "en")


def _problems(problems: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"rule": p.rule, "message": p.message, "file": p.file, "line": p.line, "field": p.field} for p in problems]


async def _saylau_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, SaylauError):  # registered for SaylauError only
        raise exc
    code = stable_code(exc)
    details = dict(exc.details)
    if code != exc.code:
        details.setdefault("reason", exc.code)
    extra: dict[str, Any] = {"details": details} if details else {}
    if isinstance(exc, InputError):
        extra["problems"] = _problems(exc.problems)
    detail = exc.message.splitlines()[0] if isinstance(exc, InputError) else exc.message
    response = _respond(request, _problem(status_of(exc), code, detail, extra))
    if isinstance(exc, TooManyAttempts):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def stable_code(exc: SaylauError) -> str:
    """The problem code of ``exc``: its own, but ``forbidden``/``not_authenticated`` for every refusal of
    access and ``http_429`` for a throttled attempt (their precise cause goes to ``details.reason``)."""
    if isinstance(exc, AccessDenied):
        return AccessDenied.code
    if isinstance(exc, NotAuthenticated):
        return NotAuthenticated.code
    if isinstance(exc, TooManyAttempts):
        return "http_429"  # the code of a throttled log-in since before the throttle moved to the service
    return exc.code


async def _validation_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, RequestValidationError):
        raise exc
    problems = [
        {
            "rule": str(e.get("type", "invalid")),
            "message": str(e.get("msg", "")),
            "field": ".".join(str(p) for p in e.get("loc", ())),
        }
        for e in exc.errors()
    ]
    detail = f"{len(problems)} problem(s) in the request"
    return _respond(request, _problem(422, "bad_request", detail, {"problems": problems}))


async def _http_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, HTTPException):
        raise exc
    return http_problem(request, exc)


def http_problem(request: Request, exc: HTTPException) -> Response:
    """The problem response of a refusal by the web layer. A subclass of HTTPException may carry its own
    stable ``code`` and ``details`` (``api.limits.BodyTooLarge``: ``body_too_large``, ``details.limit``)."""
    code = getattr(exc, "code", None) or HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
    details = getattr(exc, "details", None)
    extra: dict[str, Any] = {"details": dict(details)} if details else {}
    return _respond(request, _problem(exc.status_code, str(code), str(exc.detail), extra))


async def _unexpected(request: Request, exc: Exception) -> Response:
    """A bug, not an answer: the traceback goes to the server's log, the client learns only that it failed
    (Starlette's outermost middleware calls this, then re-raises for the server to log too)."""
    _LOG.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc)
    detail = "the server failed to answer this request; the failure is logged"
    return _respond(request, _problem(500, INTERNAL_ERROR, detail))


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Exception, _unexpected)
    app.add_exception_handler(SaylauError, _saylau_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
