"""The ``saylau`` command.

Each command's module is imported when that command runs (or when ``saylau --help`` lists them all), so
``saylau seats`` loads the seat allocation and nothing of the database, the e2e crypto or the web stack
(issue 10 item 8). ``COMMANDS`` names every command and sub-group and where it lives.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
from typer.core import TyperGroup
from typer.main import get_command_from_info, get_group
from typer.models import CommandInfo

from saylau.cli.help import HelpCommand, HelpGroup

__all__ = ["COMMANDS", "HELP", "app", "main"]

# name -> (module under saylau.cli, attribute): a command function or a Typer sub-group. In the order the
# help lists them (Typer's: the commands, then the groups).
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo_cmd", "demo_command"),
    "phase": ("event_cmd", "phase_command"),
    "results": ("event_cmd", "results_command"),
    "report": ("event_cmd", "report_command"),
    "export": ("event_cmd", "export_command"),
    "seats": ("seats_cmd", "seats_command"),
    "serve": ("serve_cmd", "serve_command"),
    "publish": ("publish_cmd", "publish_command"),
    "forensics": ("forensics_cmd", "forensics_command"),
    "event": ("event_cmd", "event_app"),
    "territory": ("event_cmd", "territory_app"),
    "protocols": ("event_cmd", "protocols_app"),
    "presets": ("rules_cmd", "presets_app"),
    "referendum": ("rules_cmd", "referendum_app"),
    "e2e": ("e2e_cmd", "e2e_app"),
    "user": ("user_cmd", "user_app"),
    "turnout": ("turnout_cmd", "turnout_app"),
    "embargo": ("turnout_cmd", "embargo_app"),
    "audit": ("audit_cmd", "audit_app"),
    "observe": ("observe_cmd", "observe_app"),
    "register": ("register_cmd", "register_app"),
    "petition": ("petition_cmd", "petition_app"),
}


def _build(name: str, group: TyperGroup) -> Any:
    """The click command of ``name``, from its module (imported now: this is the lazy step)."""
    module, attribute = COMMANDS[name]
    target = getattr(importlib.import_module(f"saylau.cli.{module}"), attribute)
    if isinstance(target, typer.Typer):
        sub = get_group(target)
        sub.name = name
        return sub
    info = CommandInfo(name=name, callback=target, cls=HelpCommand)
    return get_command_from_info(
        info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=group.rich_markup_mode
    )


class _Commands(MutableMapping[str, Any]):
    """The root's sub-commands: every name known up front, each built on first use."""

    def __init__(self, group: TyperGroup) -> None:
        self._group = group
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built[name] = _build(name, self._group)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (n for n in self._built if n not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS) + sum(n not in COMMANDS for n in self._built)

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self._built


class _LazyGroup(HelpGroup):
    """The root group: its commands are a ``_Commands`` mapping, so running one builds only that one."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands(self)


HELP = """Run a referendum or an election (party lists, single-member districts, against all) from the register
to the certified result, and let anyone check it.

The paper count: `event create`, `territory import`, `protocols import` (double entry: two operators), `phase`,
then `results`, `report`, `export` or `publish`; `serve` runs the site, the API and the commission pages. An
e-election with encrypted ballots and a public hash-chained record: `saylau e2e`. Anyone checks such a record
with the independent verifier, `saylau-verify RECORD_DIR` (its own package, in verifier/).

Try `saylau demo` (the 2022 referendum) or `saylau demo --election` (the 2023 Mazhilis election). The file
formats: spec/formats.md (events, territory, protocols, results), spec/presets.md (rule presets),
spec/seats.md (seat tables), spec/record.md (the e2e record)."""


def _root() -> None:
    """Nothing to do before a command (a root with no eager sub-commands needs a callback to be a group)."""


app = typer.Typer(
    name="saylau",
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=_LazyGroup,
    callback=_root,
)


def main() -> None:
    app()
