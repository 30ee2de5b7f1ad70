"""``saylau … --help`` reads whole at 80 columns (issue 17 item 5).

Every command and group of the command tree (enumerated from the root, not listed by hand) is rendered at
80 columns: no line is longer, every option name is there whole (nothing cut to ``--alt-threshold-dist…``),
no value reads as a Python type (``<bool>``, ``<list[str]>``, ``{file}``), every file a command reads says
where its format is described (a ``spec/`` pointer that exists) unless it is one the command writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
import typer.main
from typer.core import TyperArgument
from typer.testing import CliRunner

from saylau.cli.help import HelpTyper, argument_name
from saylau.cli.main import COMMANDS, app

WIDTH = 80
SPEC = Path(__file__).resolve().parents[2] / "spec"
# What Typer prints for an undeclared metavar: a type in angle brackets, a required argument in braces.
TYPE_FORMS = re.compile(r"<(?:bool|str|int|float|path|file|text|datetime|list\[[^\]]*\]|(?:int|float) range)>")
BRACED = re.compile(r"\{[A-Za-z_]+\}")
# A file the command writes needs no format pointer in its option's help (its command's help says what it is).
WRITES = ("write", "folder for", "directory for")
POINTER = re.compile(r"spec/([\w-]+\.md)")


def _tree(cmd: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, cmd
    if hasattr(cmd, "list_commands"):
        ctx = typer.Context(cmd)
        for name in cmd.list_commands(ctx):
            yield from _tree(cmd.get_command(ctx, name), (*path, name))


ROOT = typer.main.get_command(app)
TREE = dict(_tree(ROOT))


def _render(target: typer.Typer, path: tuple[str, ...]) -> str:
    done = CliRunner().invoke(target, [*path, "--help"], env={"COLUMNS": str(WIDTH)}, terminal_width=WIDTH)
    assert done.exit_code == 0, done.output
    return done.output


def _params(cmd: Any) -> list[Any]:
    return [p for p in cmd.get_params(typer.Context(cmd)) if not getattr(p, "hidden", False)]


def _is_path(param: Any) -> bool:
    descriptor = getattr(param, "type_descriptor", None)
    return descriptor is not None and bool(descriptor.is_path)


def _texts(cmd: Any) -> list[str]:
    """The help texts a command's help is made of (its own, its parameters', its sub-commands')."""
    out = [cmd.help or "", cmd.epilog or ""] + [getattr(p, "help", None) or "" for p in _params(cmd)]
    if hasattr(cmd, "list_commands"):
        ctx = typer.Context(cmd)
        out += [(cmd.get_command(ctx, n).help or "") for n in cmd.list_commands(ctx)]
    return out


def _whole(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def test_the_tree_holds_every_command_of_the_root() -> None:
    assert {path[0] for path in TREE if path} == set(COMMANDS)
    assert len(TREE) > 50  # the sub-commands too, not only the root's


@pytest.mark.parametrize("path", list(TREE), ids=lambda p: " ".join(("saylau", *p)))
def test_help_at_80_columns_is_whole(path: tuple[str, ...]) -> None:
    cmd = TREE[path]
    text = _render(app, path)
    long = [line for line in text.splitlines() if len(line) > WIDTH]
    assert not long, "\n".join(long)
    for param in _params(cmd):
        names = [argument_name(param)] if isinstance(param, TyperArgument) else param.opts + param.secondary_opts
        for name in names:
            assert _whole(name, text), f"{name} is not shown whole:\n{text}"
    assert not TYPE_FORMS.findall(text), text
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert not BRACED.findall(usage), usage
    assert text.count("…") <= sum(t.count("…") for t in _texts(cmd)), f"something was cut:\n{text}"


@pytest.mark.parametrize("path", [p for p, c in TREE.items() if any(map(_is_path, _params(c)))], ids=" ".join)
def test_every_file_read_points_to_its_format(path: tuple[str, ...]) -> None:
    for param in filter(_is_path, _params(TREE[path])):
        helped = " ".join((param.help or "").split())
        assert "spec/" in helped or any(w in helped.lower() for w in WRITES), (param.name, helped)


def _pointers(text: str) -> Iterator[tuple[str, str]]:
    """(spec file, what follows it up to the next ``)`` or ``;``) for each ``spec/NAME.md`` in ``text``."""
    for found in POINTER.finditer(text):
        tail = re.match(r"[^);]*", text[found.end() :])
        yield found.group(1), tail.group() if tail else ""


def test_every_spec_pointer_names_a_section_that_exists() -> None:
    seen = 0
    for cmd in TREE.values():
        for text in _texts(cmd):
            for name, tail in _pointers(" ".join(text.split())):
                seen += 1
                spec = SPEC / name
                assert spec.is_file(), name
                lines = spec.read_text(encoding="utf-8").splitlines()
                headings = [line.lstrip("#").strip() for line in lines if line.startswith("#")]
                for number in re.findall(r"§(\d+(?:\.\d+)?)", tail):
                    assert any(re.match(rf"{re.escape(number)}\.? ", h) for h in headings), (name, number)
                for title in re.findall(r"^,\s*([A-Z][\w ]+)", tail):
                    bold = f"**{title}"
                    assert any(h.startswith(title) for h in headings) or any(bold in line for line in lines), (
                        name,
                        title,
                    )
    assert seen > 20


def test_a_name_too_wide_to_share_its_line_is_shown_whole_above_its_help() -> None:
    """The layout for very long names (the check above can fail: Typer's own panels cut such a name)."""
    probe = HelpTyper()

    @probe.command("x")
    def _x(
        a_very_long_option_name_that_needs_most_of_the_line: Annotated[
            str, typer.Option(help="A help text long enough to need a few lines at eighty columns, " * 3)
        ] = "",
        short: Annotated[int, typer.Option(help="Another.")] = 0,
    ) -> None:
        """Probe."""

    @probe.command("y")
    def _y() -> None:
        """Second command: the group keeps its sub-commands."""

    text = _render(probe, ("x",))
    assert _whole("--a-very-long-option-name-that-needs-most-of-the-line TEXT", text), text
    assert "--short N" in text
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    assert "…" not in text
    plain = typer.Typer()
    plain.command("x")(_x)
    plain.command("y")(_y)
    assert "…" in _render(plain, ("x",))  # what this module's renderer is for


@pytest.mark.parametrize(
    "path", [p for p, c in TREE.items() if c.no_args_is_help], ids=lambda p: " ".join(("saylau", *p))
)
def test_a_group_given_nothing_prints_its_help(path: tuple[str, ...]) -> None:
    done = CliRunner().invoke(app, list(path), env={"COLUMNS": str(WIDTH)}, terminal_width=WIDTH)
    assert done.exit_code == 2  # a usage error, as Typer's own panels exit
    assert f"Usage: {' '.join(('saylau', *path))} [OPTIONS]" in done.output
    assert "Commands" in done.output
