"""Shared fixtures: the repository root, the crypto vectors and records made by the producer's CLI (subprocess)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "spec" / "vectors" / "crypto"
SAYLAU = Path(os.environ.get("SAYLAU_BIN", str(REPO / ".venv" / "bin" / "saylau")))
"""The producer's CLI, run as a subprocess (never imported); SAYLAU_BIN overrides the path."""


def producer_available() -> bool:
    if not SAYLAU.exists():
        return False
    done = subprocess.run([str(SAYLAU), "e2e", "demo", "--help"], capture_output=True, check=False, timeout=120)
    return done.returncode == 0


HAVE_PRODUCER = producer_available()
if not HAVE_PRODUCER and os.environ.get("CI"):  # in CI the producer is installed first: never a silent skip
    raise RuntimeError(f"the producer's CLI is not available at {SAYLAU}")
needs_producer = pytest.mark.skipif(not HAVE_PRODUCER, reason="`saylau e2e demo` is not available")


def vector(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def make_record(out: Path, voters: int, guardians: int = 3, quorum: int = 2) -> Path:
    subprocess.run(
        [
            str(SAYLAU),
            "e2e",
            "demo",
            "--voters",
            str(voters),
            "--guardians",
            str(guardians),
            "--quorum",
            str(quorum),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out


@pytest.fixture(scope="session")
def small_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not HAVE_PRODUCER:
        pytest.skip("`saylau e2e demo` is not available")
    return make_record(tmp_path_factory.mktemp("rec") / "record", voters=8)


@pytest.fixture
def record_copy(small_record: Path, tmp_path: Path) -> Path:
    target = tmp_path / "record"
    shutil.copytree(small_record, target)
    return target
