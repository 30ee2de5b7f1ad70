"""Every README command that names a file of `examples/` runs as written (issue 17 item 6): with its
optional ``[...]`` parts left out and with each of them in, from the repository's root."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    lines = [line.split("#", 1)[0].strip() for line in README.splitlines()]
    return [line for line in lines if line.startswith("saylau ") and "examples/" in line]


def _variants(line: str) -> list[list[str]]:
    """The command without its optional parts, then with each optional part alone."""
    optional = re.findall(r"\[([^\]]+)\]", line)
    bare = re.sub(r"\s*\[[^\]]+\]", "", line)
    return [shlex.split(bare)[1:]] + [shlex.split(f"{bare} {part}")[1:] for part in optional]


def test_the_readme_names_the_examples() -> None:
    assert len(_commands()) >= 2
    for line in _commands():
        for name in re.findall(r"examples/[\w.-]+", line):
            assert (ROOT / name).is_file(), name


@pytest.mark.parametrize("line", _commands())
def test_each_readme_example_runs(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for args in _variants(line):
        result = CliRunner().invoke(app, args, terminal_width=200)
        assert result.exit_code == 0, f"{args}: {result.output}"
        if "--json" in args:
            json.loads(result.output)


def test_the_examples_give_the_official_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    seats = ["seats", "examples/votes.csv", "--seats", "69", "--method", "hare", "--threshold", "5%", "--json"]
    won = json.loads(CliRunner().invoke(app, seats).output)["seats"]
    assert sorted((n for n in won.values() if n), reverse=True) == [40, 8, 6, 6, 5, 4]
    outcome = ["referendum", "outcome", "--rules", "kz-constitutional", "examples/units.csv", "--date", "2022-06-05"]
    data = json.loads(CliRunner().invoke(app, [*outcome, "--json"]).output)
    assert (data["turnout_exact"], data["yes_share_exact"]) == ("7985769/11734642", "6163516/7985769")
    assert data["adopted"] is True
