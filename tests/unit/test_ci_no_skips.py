"""In CI a skipped test fails the run (tests/conftest.py): every clone runs every test (issue 17 item 1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = "SAYLAU_SKIP_PROBE"


def test_probe() -> None:
    """Skips only when the probe below asks it to."""
    if os.environ.get(PROBE):
        pytest.skip("the probe of the CI rule")


@pytest.mark.parametrize(("ci", "expected"), [("true", 1), ("", 0)])
def test_a_skip_fails_the_run_in_ci_only(ci: str, expected: int) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER")}
    env |= {PROBE: "1"} | ({"CI": ci} if ci else {})
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{Path(__file__)}::test_probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == expected, run.stdout + run.stderr
    assert "1 skipped" in run.stdout
