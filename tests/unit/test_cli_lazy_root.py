"""The root of ``saylau`` builds each command on first use (issue 10 item 8): it must build exactly what
Typer builds when every command is registered up front, as cli/main.py did before."""

from __future__ import annotations

import importlib
from typing import Any

import typer
import typer.main
from typer.testing import CliRunner

from saylau.cli.help import HelpTyper
from saylau.cli.main import COMMANDS, HELP, app


def _eager() -> typer.Typer:
    """The same command line registered the eager way (``app.command`` / ``app.add_typer``)."""
    eager = HelpTyper(
        name="saylau",
        help=HELP,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    for name, (module, attribute) in COMMANDS.items():
        target = getattr(importlib.import_module(f"saylau.cli.{module}"), attribute)
        if isinstance(target, typer.Typer):
            eager.add_typer(target, name=name)
        else:
            eager.command(name)(target)
    return eager


def _param(p: Any) -> tuple[object, ...]:
    """What a parameter parses and shows: its type (annotation), options, default, help, flags…"""
    descriptor = getattr(p, "type_descriptor", None)
    annotation = None if descriptor is None else descriptor.annotation
    plain = ("type_descriptor", "_runtime_param", "callback", "_custom_shell_complete")
    fields = {k: repr(v) for k, v in vars(p).items() if k not in plain}
    return (type(p).__name__, repr(annotation), tuple(sorted(fields.items())), p.callback is None)


def _tree(cmd: Any, path: str = "saylau") -> dict[str, tuple[object, ...]]:
    """Every command below ``cmd`` by its path: what its help and parsing depend on."""
    ctx = typer.Context(cmd)
    names = cmd.list_commands(ctx) if hasattr(cmd, "list_commands") else []
    out = {
        path: (
            type(cmd).__name__,
            cmd.help,
            cmd.short_help,
            cmd.hidden,
            cmd.no_args_is_help,
            getattr(cmd, "invoke_without_command", None),
            getattr(cmd, "rich_markup_mode", None),
            tuple(names),
            tuple(_param(p) for p in cmd.params),
        )
    }
    for name in names:
        out |= _tree(cmd.get_command(ctx, name), f"{path} {name}")
    return out


def test_the_lazy_root_builds_what_typer_builds_eagerly() -> None:
    lazy, eager = _tree(typer.main.get_command(app)), _tree(typer.main.get_command(_eager()))
    assert set(lazy) == set(eager)
    assert lazy["saylau"][1:] == eager["saylau"][1:]  # the root's own class is the lazy one
    for path, shape in eager.items():
        if path != "saylau":
            assert lazy[path] == shape, path
    assert len(lazy) > 50  # every group and command, not only the root


def test_the_root_lists_every_command_in_the_order_of_its_help() -> None:
    root = typer.main.get_command(app)
    assert list(root.list_commands(typer.Context(root))) == [
        *("demo", "phase", "results", "report", "export", "seats", "serve", "publish", "forensics"),
        *("event", "territory", "protocols", "presets", "referendum", "e2e", "user", "turnout", "embargo", "audit"),
        *("observe", "register", "petition"),
    ]


def test_an_unknown_command_is_refused_with_a_suggestion() -> None:
    result = CliRunner().invoke(app, ["seat"])
    assert result.exit_code == 2
    assert "No such command 'seat'" in result.output
    assert "'seats'" in result.output
