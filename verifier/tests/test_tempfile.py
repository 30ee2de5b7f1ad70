"""rbcl 1.1.2 writes its bundled libsodium to $TMPDIR at import and never removes it; the verifier's group layer
deletes that copy once loaded, so a verification process leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys, tempfile
from saylau_verify.crypto import group
assert sys.modules["rbcl._sodium"].lib_path.startswith(tempfile.gettempdir())
assert group.base_mul(7) == group.mul(7, group.GENERATOR)
print("ok")
"""


def test_verifier_leaves_no_library_copy_in_tmpdir(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "ok"
    assert list(tmp_path.iterdir()) == []
