"""A signed-in commission member's browser for page tests: the HTTP client with its own cookies, the CSRF
token of a page, and a fresh one-time code for each write (the test clock moved on one TOTP step)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from typing import Any

import pyotp
from fastapi.testclient import TestClient

from saylau.api import create_app
from saylau.services.context import Context

__all__ = ["CSRF", "PASSWORD", "SignedIn", "totp_secret"]

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def totp_secret(tag: str, name: str) -> str:
    """A fixed TOTP secret (base32) per test file's ``tag`` and account."""
    return base64.b32encode(hashlib.sha256(f"{tag}:{name}".encode()).digest()[:20]).decode()


class SignedIn:
    """``name`` logged in with PASSWORD; ``home`` (a page of the desk) read once for its CSRF token."""

    def __init__(self, ctx: Context, name: str, secret: str, home: str):
        self.ctx, self.name, self.secret = ctx, name, secret
        self.client = TestClient(create_app(ctx))
        token = CSRF.search(self.client.get("/login").text)
        assert token is not None
        form = {"name": name, "password": PASSWORD, "csrf": token.group(1)}
        assert self.client.post("/login", data=form, follow_redirects=False).status_code == 303
        page = self.client.get(home)
        assert page.status_code == 200, page.text
        found = CSRF.search(page.text)
        assert found is not None
        self.csrf = found.group(1)
        self.home_text = page.text

    def totp(self) -> str:
        """A code of a step not used yet: the test's FixedClock moved on 31 s."""
        self.ctx.clock.now += dt.timedelta(seconds=31)  # type: ignore[attr-defined]
        return pyotp.TOTP(self.secret).at(self.ctx.clock.now)  # type: ignore[attr-defined]

    def send(self, path: str, **form: str) -> Any:  # the test client's response
        """A form POST with the CSRF token and a fresh one-time code (no redirect followed)."""
        data = {"csrf": self.csrf, "totp": self.totp(), **form}
        return self.client.post(path, data=data, follow_redirects=False)
