"""What every command shares: the database option, the clock, and turning domain errors into exits."""

from __future__ import annotations

import functools
import getpass
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from saylau.model import InputError, SaylauError

if TYPE_CHECKING:
    from saylau.services.context import Context

# Start-up (issue 10 item 8): a command imports only what it needs. The database, the services and the
# progress bar are imported inside the helpers below that use them ("# lazy: ..."), so the commands that
# need no database (seats, referendum outcome, presets, --help) never load sqlalchemy or the services.

__all__ = [
    "DEFAULT_DB",
    "DEFAULT_FILE",
    "PASSWORD_FILE_ENV",
    "ActorOpt",
    "DbOpt",
    "DemoDbOpt",
    "EventArg",
    "JsonOpt",
    "console",
    "database_password",
    "err_console",
    "handle_errors",
    "only_event",
    "open_context",
    "open_or_demo",
    "print_json",
    "progress_bar",
    "read_input",
]

DEFAULT_DB = "sqlite:///saylau.db"
# Piped output (files, CI logs, tests) is not cut to 80 columns: a results table stays whole. (COLUMNS is
# not consulted for piped output: the console is made once, at import, and a COLUMNS set for one help
# screen would then fix every later table's width.)
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, soft_wrap=True)  # an error line (a path, file:line) is never broken by the console

# One rule for every command's database: --db, else $SAYLAU_DATABASE_URL, else ./saylau.db (which
# `saylau demo` writes). serve, publish and export fall back to a temporary demo only when there is none.
DbOpt = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="SAYLAU_DATABASE_URL",
        metavar="URL",
        help="Database URL: a SQLite file (sqlite:///FILE) or PostgreSQL (postgresql://user@host/db).",
        show_default=True,
    ),
]
DEFAULT_FILE = Path("saylau.db")
DemoDbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="SAYLAU_DATABASE_URL",
        metavar="URL",
        help="Database URL: a SQLite file (sqlite:///FILE) or PostgreSQL. Default: ./saylau.db if it exists "
        "(`saylau demo` writes it), else the kz-2022 demo counted into a temporary file.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object for scripts.")]
EventArg = Annotated[str, typer.Argument(help="The event's code (`saylau event list`).")]
ActorOpt = Annotated[str | None, typer.Option("--actor", metavar="NAME", help="Who acts (kept in the audit log).")]

P = ParamSpec("P")
R = TypeVar("R")


PASSWORD_FILE_ENV = "SAYLAU_DATABASE_PASSWORD_FILE"


def database_password(db: str) -> str | None:
    """The database password from the private file named by $SAYLAU_DATABASE_PASSWORD_FILE (mode 0600), or
    None (then the URL's own, or libpq's ~/.pgpass or service file). A password written in the command
    line is refused: every user of the machine sees it in ``ps``."""
    from saylau.services.private_files import read_private_file  # noqa: PLC0415  # lazy: database commands only
    from saylau.store import url_password  # noqa: PLC0415  # lazy: database commands only

    given = url_password(db)
    if given and any(given in arg for arg in sys.argv[1:]):
        raise SaylauError(
            "the database password is in the command line, where `ps` shows it to every user: put it in a "
            f"~/.pgpass or libpq service file, or in a file of mode 0600 named by ${PASSWORD_FILE_ENV}",
            code="password_in_command_line",
        )
    path = os.environ.get(PASSWORD_FILE_ENV)
    if not path:
        return None
    return read_private_file(Path(path), "the database password").decode("utf-8").strip("\r\n")


def open_context(db: str, actor: str | None) -> Context:
    """The database at ``db`` (migrated to the current schema) with the real clock and ``actor``."""
    # lazy: only the commands that open a database load sqlalchemy, alembic and the services' kernel
    from saylau.services.context import Context, utc_now  # noqa: PLC0415
    from saylau.store import Store, connect, migrate  # noqa: PLC0415

    engine = connect(db, password=database_password(db))
    migrate(engine)
    return Context(Store(engine), utc_now, actor or getpass.getuser())


@contextmanager
def open_or_demo(db: str | None, actor: str | None) -> Iterator[tuple[Context, bool]]:
    """The configured database; with none configured (no --db, no SAYLAU_DATABASE_URL) and no ./saylau.db,
    the shipped demo counted into a temporary SQLite file that lives as long as the block: (context, demo).
    A configured database that cannot be reached is an error, never a fallback."""
    if db is not None or DEFAULT_FILE.exists():
        ctx = open_context(db or DEFAULT_DB, actor)
        try:
            yield ctx, False
        finally:
            ctx.store.dispose()
        return
    from saylau.services.paper.demo import DEMO_DATASET, run_demo  # noqa: PLC0415  # lazy: only the demo fallback

    with tempfile.TemporaryDirectory(prefix="saylau-demo-") as folder:
        ctx = open_context(f"sqlite:///{Path(folder) / 'demo.db'}", "demo")
        try:
            err_console.print(
                f"No database configured and no ./{DEFAULT_FILE}: using the {DEMO_DATASET} DEMO "
                f"(`saylau demo` writes ./{DEFAULT_FILE} to keep one)."
            )
            run_demo(ctx, lambda _label, _done, _total: None)
            yield ctx, True
        finally:
            ctx.store.dispose()


def only_event(ctx: Context) -> str:
    from saylau.services.paper.events import list_events  # noqa: PLC0415  # lazy: database commands only

    rows = list_events(ctx)
    if len(rows) != 1:
        codes = ", ".join(r.referendum.code for r in rows)
        raise SaylauError(
            f"{len(rows)} events in this database{f' ({codes})' if codes else ''}: name one with --event",
            code="which_event",
        )
    return rows[0].referendum.code


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


@contextmanager
def progress_bar(*, quiet: bool, first: str = "working") -> Iterator[Callable[[str, int, int], None]]:
    """A transient progress bar on stderr for long operations; yields ``progress(label, done, total)``."""
    # lazy: only the long commands (demo, e2e demo) draw a progress bar
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: PLC0415

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=quiet,
    ) as bar:
        task = bar.add_task(first, total=None)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        yield progress
