"""The CI rule, as a pytest plugin: in CI (``CI`` set, as `.ci/run` does) a skipped test fails the run, so
every clone runs every test. tests/conftest.py loads it; tests/unit/test_ci_no_skips.py runs it alone."""

from __future__ import annotations

import os

import pytest


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under pytest-xdist the controller decides: its terminal reporter counts every worker's skips (a worker
    sees only its own share, and its exit status is not the run's)."""
    if hasattr(session.config, "workerinput"):  # an xdist worker
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter is not None else 0
    if os.environ.get("CI") and skipped and exitstatus == pytest.ExitCode.OK:
        if reporter is not None:
            reporter.write_line(f"CI: {skipped} test(s) skipped; in CI every test must run", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
