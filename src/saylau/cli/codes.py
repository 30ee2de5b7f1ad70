"""The stable error codes of the command line (spec/formats.md §15): they are never served over HTTP."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CliCode"]


class CliCode(StrEnum):
    """Codes raised by saylau.cli."""

    USAGE = "usage"  # options that do not go together
    WHICH_EVENT = "which_event"  # several events in the database: name one with --event
    PASSWORD_IN_COMMAND_LINE = "password_in_command_line"  # a database password in the command line, where ps shows it
    PORT_IN_USE = "port_in_use"  # serve: the port is taken by another program; details: host, port
    CANNOT_LISTEN = "cannot_listen"  # serve: the address cannot be listened on (not this host's, no permission)
