"""What every command shares: the database option, the clock, and turning domain errors into exits."""

from __future__ import annotations

import functools
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from saylau.model import InputError, SaylauError
from saylau.services import Context, utc_now
from saylau.store import Store, connect, migrate

__all__ = [
    "DEFAULT_DB",
    "ActorOpt",
    "DbOpt",
    "JsonOpt",
    "console",
    "err_console",
    "handle_errors",
    "open_context",
    "print_json",
    "read_input",
]

DEFAULT_DB = "sqlite:///saylau.db"
# Piped output (files, CI logs, tests) is not cut to 80 columns: a results table stays whole.
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True)

DbOpt = Annotated[
    str,
    typer.Option(
        "--db", envvar="SAYLAU_DATABASE_URL", help="Database URL (SQLite file or PostgreSQL).", show_default=True
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object for scripts.")]
ActorOpt = Annotated[str | None, typer.Option("--actor", help="Who acts (kept in the audit log).")]

P = ParamSpec("P")
R = TypeVar("R")


def open_context(db: str, actor: str | None) -> Context:
    engine = connect(db)
    migrate(engine)
    return Context(Store(engine), utc_now, actor or getpass.getuser())


def read_input(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SaylauError(f"cannot read {path}: {exc.strerror}", code="unreadable_file") from exc


def print_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Expected failures print a plain message (every problem listed) and exit 1."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            err_console.print(f"[bold red]error[/]: {exc.message.splitlines()[0]}", highlight=False)
            for problem in exc.problems:
                err_console.print(f"  - {problem}", highlight=False, markup=False)
            raise typer.Exit(1) from exc
        except SaylauError as exc:
            err_console.print(f"[bold red]error[/] ({exc.code}): ", end="", highlight=False)
            err_console.print(exc.message, highlight=False, markup=False)
            raise typer.Exit(1) from exc

    return wrapper
