"""Browser tests: the real app under uvicorn (a background thread, 127.0.0.1, a free port) on SQLite and
PostgreSQL, driven by Playwright's sync API in Debian's headless ``chromium`` (never a downloaded browser).

Without chromium (or the ``playwright`` package) the tests fail in CI (``CI`` set) and skip locally.
Screenshots go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from tests.browser.site import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, Site, SteppingClock, seed
from tests.pgschema import temporary_schema
from tests.serving import served_app

from saylau.api import create_app
from saylau.services.context import Context
from saylau.services.secret_key import SecretKey
from saylau.services.settings import DeploymentSettings
from saylau.store import Store, connect, migrate


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    def missing(why: str) -> None:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need {why} in CI (.ci/run installs Debian's chromium)")
        pytest.skip(f"browser tests need {why}")

    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415  # lazy: a clear message when it is missing
    except ImportError:
        missing("the playwright package (pip install -c constraints.txt -e '.[dev]')")
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium_browser: Any) -> Iterator[Any]:
    """A factory of pages, each in its own browser context (own cookies: one per commission member).
    No page may log a violation of the Content-Security-Policy (issue 9: the pages work under it)."""
    contexts: list[Any] = []
    violations: list[str] = []

    def make() -> Any:
        context = chromium_browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        return page

    yield make
    for context in contexts:
        context.close()
    assert violations == [], violations


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('browser') / 'test.db'}"
        return
    with temporary_schema("b") as url:
        yield url


@pytest.fixture(scope="module")
def site(db_url: str) -> Iterator[Site]:
    """The seeded app served by uvicorn on 127.0.0.1 (a free port) in a background thread."""
    engine = connect(db_url)
    migrate(engine)
    store = Store(engine)
    clock = SteppingClock()
    ctx = Context(store, clock, "official-1", DeploymentSettings(secret_key=SecretKey.generate()))  # seals TOTP secrets
    seed(ctx)
    try:
        with served_app(create_app(ctx)) as port:
            engine_name = "pg" if db_url.startswith("postgresql") else "sqlite"
            yield Site(f"http://127.0.0.1:{port}", ctx, clock, engine_name)
    finally:
        store.dispose()
