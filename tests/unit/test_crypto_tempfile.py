"""rbcl 1.1.2 writes its bundled libsodium to $TMPDIR at import and never removes it; saylau.crypto.group
deletes that copy once it is loaded, so a process that uses the crypto leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys, tempfile
from saylau.crypto.group import GENERATOR, Scalar, base_mul
assert sys.modules["rbcl._sodium"].lib_path.startswith(tempfile.gettempdir())
assert base_mul(Scalar(7)) == Scalar(7) * GENERATOR
print("ok")
"""


def _run(tmp: Path, script: str) -> str:
    env = {**os.environ, "TMPDIR": str(tmp)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def test_crypto_leaves_no_library_copy_in_tmpdir(tmp_path: Path) -> None:
    assert _run(tmp_path, SCRIPT).strip() == "ok"
    assert list(tmp_path.iterdir()) == []


def test_rbcl_alone_does_leave_its_copy(tmp_path: Path) -> None:
    """The leak this guards against is real: rbcl imported without saylau leaves a .so in TMPDIR."""
    _run(tmp_path, "import rbcl")
    leftovers = list(tmp_path.iterdir())
    assert [p.suffix for p in leftovers] == [".so"]
    for p in leftovers:
        p.unlink()
