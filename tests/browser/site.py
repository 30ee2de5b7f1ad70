"""The browser tests' site: a small referendum (top-level units from the kz-2022 tile layout), its seeding
through the services, commission accounts, a stepping clock with fresh TOTP codes, and screenshots."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
from tests.elections import FIELDS, SMALL_TILES, load, protocols_csv

from saylau.services.access.accounts import Role, create_account
from saylau.services.context import Context

CHROMIUM = os.environ.get("SAYLAU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
PASSWORD = "correct horse battery"
SECRETS = {
    "op-a": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA",
    "op-b": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXB",
    "op-c": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXC",
    "adm": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXD",
}
# The small referendum on top-level codes from the shipped kz-2022 tile layout (tests/elections/small-tiles/),
# so the national page draws its tile map.
TOP_LEVEL = ("AKM", "AST", "ABR")
GOOD = {p: tuple(contests["q1"][f] for f in FIELDS) for p, contests in SMALL_TILES.rows().items()}


class SteppingClock:
    """A thread-safe test clock at polling day that moves one second per reading; ``skip`` jumps ahead."""

    def __init__(self) -> None:
        self.now = dt.datetime(2022, 6, 5, 20, 0, tzinfo=dt.UTC)
        self._lock = threading.Lock()

    def __call__(self) -> dt.datetime:
        with self._lock:
            self.now += dt.timedelta(seconds=1)
            return self.now

    def fresh_code(self, name: str) -> str:
        """A TOTP code for ``name`` in a step none of its earlier codes used (each step is usable once)."""
        with self._lock:
            self.now += dt.timedelta(seconds=31)
            return pyotp.TOTP(SECRETS[name]).at(self.now)


@dataclass(frozen=True)
class Site:
    url: str
    ctx: Context
    clock: SteppingClock
    backend: str


_protocols = protocols_csv  # the public page test enters its own batches


def seed(ctx: Context) -> None:
    """The referendum in counting: P1, P3 and P4 accepted (two operators each), P2 missing."""
    batch = protocols_csv({p: GOOD[p] for p in ("P1", "P3", "P4")})
    load(ctx, SMALL_TILES, operators=("loader-1", "loader-2"), protocols=batch, source="batch.csv")


def create_accounts(ctx: Context) -> None:
    """Three district members for AKM-D1 (argon2 hashing is slow: only the commission tests need them)."""
    for name in ("op-a", "op-b", "op-c"):
        create_account(ctx, name, Role.DISTRICT, PASSWORD, ["AKM-D1"], SECRETS[name])


def shot(page: Any, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_until(page: Any, expression: str, timeout: float = 10_000) -> None:
    """Wait until ``expression`` is true in ``page``. Playwright's ``wait_for_function`` evaluates its
    predicate with ``eval`` inside the page, which the Content-Security-Policy (no 'unsafe-eval') forbids;
    ``page.evaluate`` goes through the debugging protocol and is not subject to it."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true after {timeout / 1000:.0f} s: {expression}")
        page.wait_for_timeout(50)
