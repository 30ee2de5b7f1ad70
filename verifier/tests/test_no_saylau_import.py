"""Habit 8: the verifier shares nothing with the producer but the spec."""

import ast
from pathlib import Path

SOURCES = Path(__file__).resolve().parents[1] / "src" / "saylau_verify"


def test_sources_never_import_saylau() -> None:
    offenders = []
    files = sorted(SOURCES.rglob("*.py"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        for needle in ("import saylau\n", "import saylau.", "from saylau ", "from saylau."):
            assert needle not in text, path
        for node in ast.walk(ast.parse(text)):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [(path.name, n) for n in names if n == "saylau" or n.startswith("saylau.")]
    assert offenders == []
