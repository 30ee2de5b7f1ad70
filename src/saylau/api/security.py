"""The security headers of every response of the served application (pure ASGI middleware).

Every answer (pages, JSON, problems, static files, scans) carries a strict Content-Security-Policy: scripts
and style sheets only from this origin (no inline script, no ``on...=`` handler, no ``eval``); inline
``style`` attributes are allowed, because bars and colour keys take their width and colour from the
figures (a style attribute runs no code, and every value in it is escaped); nothing may frame a page
(``frame-ancestors 'none'``, ``X-Frame-Options: DENY``); ``X-Content-Type-Options: nosniff``; and a
``Referrer-Policy`` that sends no address to another site. The commission's pages are also never cached
(``Cache-Control: no-store`` unless the route set its own). A response that set its own
Content-Security-Policy keeps it (a scan is served with ``sandbox``, see api.routes_scans).

``SECURITY_HEADERS`` is also what ``views.ResultsFastPath`` adds to the answers it gives before any other
middleware runs. With ``saylau serve --docs`` the interactive documentation (/docs, /redoc) is served with
a policy loosened for it alone: it loads its scripts from a CDN and starts them with an inline script.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CONTENT_SECURITY_POLICY", "DOCS_PATHS", "SANDBOX", "SECURITY_HEADERS", "SecurityHeaders", "attachment"]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https:; style-src 'self' 'unsafe-inline' https:; "
    "img-src 'self' data: https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)
DOCS_PATHS = ("/docs", "/docs/oauth2-redirect", "/redoc")
SANDBOX = "sandbox"
"""The policy of a served upload (a scan): shown by the browser, if at all, as an opaque origin, no script."""
_NOT_TOKEN = re.compile(r"[^A-Za-z0-9._-]")
_PRIVATE = ("/commission", "/login", "/logout")
_RAW = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS]
_CSP = b"content-security-policy"


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every HTTP response (a header the response already has is kept), and
    ``Cache-Control: no-store`` to the commission's. ``docs``: the interactive documentation is served
    (then its pages get their own, looser policy)."""

    def __init__(self, app: ASGIApp, docs: bool = False):
        self.app = app
        self.docs = docs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope["path"])
        private = path.startswith(_PRIVATE)
        docs = self.docs and path in DOCS_PATHS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in _RAW if k not in names and not (docs and k == _CSP)]
                if docs:
                    headers.append((_CSP, _DOCS_POLICY.encode("latin-1")))
                if private and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def attachment(filename: str) -> str:
    """A ``Content-Disposition: attachment`` value for ``filename`` (RFC 6266): an ASCII fallback (every
    other character as ``_``) and the exact name as UTF-8 (``filename*``, RFC 8187): a Cyrillic precinct
    code names its download."""
    fallback = _NOT_TOKEN.sub("_", filename)
    if fallback == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
