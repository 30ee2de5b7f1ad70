"""The shape of the code base holds: no import cycle anywhere in src, and the import-linter contracts
(pyproject.toml) really refuse a forbidden arrow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "saylau"


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle_in_src() -> None:
    # Every import counts, also one hidden inside a function; only `if TYPE_CHECKING:` imports do not run.
    graph = grimp.build_graph("saylau", exclude_type_checking_imports=True, cache_dir=None)
    assert len(graph.modules) > 100  # the scan saw the package
    assert _cycles(graph) == []


def test_cycle_finder_sees_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("p", "p.a", "p.b", "p.c"):
        graph.add_module(name)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.c")
    graph.add_import(importer="p.c", imported="p.a")
    assert _cycles(graph) == [["p.a", "p.b", "p.c"]]


def test_the_linter_refuses_a_forbidden_import(tmp_path: Path) -> None:
    """A copy of the package where the paper count imports the e2e election and the HTTP face: lint-imports
    must fail and name both broken contracts."""
    copy = tmp_path / "src" / "saylau"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "data"))
    target = copy / "services" / "paper" / "embargo.py"
    target.write_text(
        target.read_text(encoding="utf-8") + "\nimport saylau.api.app  # forbidden\nimport saylau.services.e2e.state\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(tmp_path / "src")}
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "saylau.services.paper.embargo -> saylau.api.app" in out
    assert "saylau.services.paper.embargo -> saylau.services.e2e.state" in out
    assert (
        str(tmp_path)
        in subprocess.run(
            [sys.executable, "-c", "import saylau; print(saylau.__file__)"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )  # the linter read the copy, not the installed package
