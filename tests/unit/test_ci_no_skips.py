"""In CI a skipped test fails the run (tests/ci_skips.py, loaded by tests/conftest.py): every clone runs every
test (issue 17 item 1), serially and under pytest-xdist (item 10). The probe runs in a child pytest with
only that plugin (no conftest: no saylau import, a quick start)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests import ci_skips

ROOT = Path(__file__).resolve().parents[2]
PROBE = "SAYLAU_SKIP_PROBE"


def test_the_conftest_loads_the_rule(request: pytest.FixtureRequest) -> None:
    impls = request.config.pluginmanager.hook.pytest_sessionfinish.get_hookimpls()
    assert any(i.function is ci_skips.pytest_sessionfinish for i in impls)


def test_probe() -> None:
    """Skips only when the probe below asks it to."""
    if os.environ.get(PROBE):
        pytest.skip("the probe of the CI rule")


@pytest.mark.parametrize(
    ("ci", "workers", "expected"),
    [("true", "1", 1), ("true", "0", 1), ("", "1", 0)],  # "1": under pytest-xdist (a worker), as `pytest -q` runs
)
def test_a_skip_fails_the_run_in_ci_only(ci: str, workers: str, expected: int) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS") and not k.startswith("PYTEST_XDIST")
    }
    env |= {PROBE: "1"} | ({"CI": ci} if ci else {})
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--noconftest",
            "-p",
            "tests.ci_skips",
            "-p",
            "no:schemathesis",  # its plugin slows each worker's start by seconds; the probe needs none of it
            "-n",
            workers,
            f"{Path(__file__)}::test_probe",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == expected, run.stdout + run.stderr
    assert "1 skipped" in run.stdout
    assert ("in CI every test must run" in run.stdout) == bool(ci), run.stdout
