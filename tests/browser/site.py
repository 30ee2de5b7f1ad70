"""The browser tests' site: a small referendum (top-level units from the kz-2022 tile layout), its seeding
through the services, commission accounts, a stepping clock with fresh TOTP codes, and screenshots."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp

from saylau.model import Phase
from saylau.services.access.accounts import Role, create_account
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_file

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
EVENT = {
    "code": "small",
    "title": "Small constitutional referendum",
    "date": "2022-06-05",
    "preset": "kz-constitutional",
    "settings": {},
    "description": "Browser test event",
    "questions": [
        {
            "code": "q1",
            "texts": [
                {"lang": "ru", "text": "Принимаете ли Вы изменения?", "official": True, "source": "test"},
                {"lang": "en", "text": "Do you accept the amendments?", "official": False, "source": "translation"},
            ],
        }
    ],
}
# Top-level codes from the shipped kz-2022 tile layout, so the national page draws its tile map.
TERRITORY = """code,kind,parent,name_kk,name_ru,name_en,registered
KZ,country,,Қазақстан,Казахстан,Kazakhstan,
AKM,region,KZ,Ақмола облысы,Акмолинская область,Akmola Region,
AKM-D1,district,AKM,Көкшетау,Кокшетау,Kokshetau District,
P1,precinct,AKM-D1,,,Precinct 1,1000
P2,precinct,AKM-D1,,,Precinct 2,800
AST,region,KZ,Астана,Астана,Astana,
P3,precinct,AST,,,Precinct 3,1200
ABR,abroad,KZ,Шетел,За рубежом,Abroad,
P4,precinct,ABR,,,Embassy A,300
"""
TOP_LEVEL = ("AKM", "AST", "ABR")
FIELDS = ("registered", "received", "issued", "cancelled", "participated", "yes", "no", "not_counted", "invalid")
GOOD = {
    "P1": (1000, 1000, 700, 300, 690, 500, 150, 20, 20),
    "P2": (800, 800, 600, 200, 600, 400, 180, 10, 10),
    "P3": (1200, 1200, 900, 300, 880, 600, 260, 10, 10),
    "P4": (300, 300, 200, 100, 200, 150, 40, 5, 5),
}


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


def _protocols(rows: dict[str, tuple[int, ...]]) -> bytes:
    lines = ["precinct,question," + ",".join(FIELDS)]
    lines += [f"{p},q1," + ",".join(map(str, v)) for p, v in rows.items()]
    return ("\n".join(lines) + "\n").encode()


def seed(ctx: Context) -> None:
    """The referendum in counting: P1, P3 and P4 accepted (two operators each), P2 missing."""
    create_event(ctx, json.dumps(EVENT, ensure_ascii=False).encode(), "event.json")
    import_territory(ctx, "small", TERRITORY.encode(), "territory.csv", "csv")
    advance(ctx, "small", Phase.VOTING, LOCAL_CLI)
    advance(ctx, "small", Phase.COUNTING, LOCAL_CLI)
    batch = _protocols({p: GOOD[p] for p in ("P1", "P3", "P4")})
    for who in ("loader-1", "loader-2"):
        enter_file(Context(ctx.store, ctx.clock, who), "small", batch, "batch.csv", "csv", factor=LOCAL_CLI)


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
