"""How ``saylau … --help`` reads (issue 17 item 5): whole option names at any width, plain metavars.

Typer's own panels give every column a share of the width, so at 80 columns a long option name is cut
(``--alt-threshold-dist…``), a long token in a help text too, and types read ``<bool>``, ``<list[str]>``,
``{file}``. Here the names column is never cut (the help column wraps instead, and with names too wide for
half the panel each help goes under its name), a flag shows no type, and a value shows a metavar: the
parameter's own (``metavar="FILE"``), else TEXT, N, NUMBER, PATH, DATE or its choices (``csv|json``).
The help takes the terminal's width (``COLUMNS`` first), at most 100 columns, and ends no line in spaces.

Every command of ``saylau`` renders this way: the sub-groups are ``HelpTyper`` apps, whose commands are
``HelpCommand`` and whose groups ``HelpGroup``; cli/main.py builds the root's commands with them.
"""

from __future__ import annotations

import inspect
import io
import shutil
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, get_args

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text
    from typer._click.core import Context, Parameter
    from typer._click.formatting import HelpFormatter

__all__ = ["HelpCommand", "HelpGroup", "HelpTyper", "argument_name", "option_label", "value_metavar"]

F = TypeVar("F", bound=Callable[..., Any])

CHOICES_INLINE = 24  # choices longer than this (joined by |) are listed in the help, the metavar is the name
MIN_WIDTH = 40
MAX_WIDTH = 100  # wider lines are hard to read: a wide terminal gets 100 columns


def _words(param: Parameter) -> str:
    return (param.name or "value").upper()


def _element(annotation: Any) -> Any:
    """The type of one value: ``list[Path]`` -> ``Path``, ``Path | None`` -> ``Path``."""
    args = [a for a in get_args(annotation) if a is not type(None)]
    return args[0] if args else annotation


def _choices(param: Parameter) -> list[str]:
    desc = getattr(param, "type_descriptor", None)
    if desc is None or not desc.is_choice:
        return []
    return [str(c.value) if isinstance(c, Enum) else str(c) for c in desc.choices or ()]


def value_metavar(param: Parameter) -> str:
    """What follows an option's name in the help: '' for a flag, else its metavar."""
    if param.metavar is not None:
        return param.metavar
    if isinstance(param, TyperOption) and (param.is_flag or param.count):
        return ""
    choices = _choices(param)
    if choices:
        joined = "|".join(choices)
        return joined if len(joined) <= CHOICES_INLINE else _words(param)
    desc = getattr(param, "type_descriptor", None)
    if desc is None:
        return _words(param)
    if desc.is_path:
        return "PATH"
    if desc.is_datetime:
        return "DATE"
    if desc.is_ranged:
        return "N" if desc.ranged_type_name == "int" else "NUMBER"
    kind = _element(desc.annotation)
    names: dict[Any, str] = {
        str: "TEXT",
        int: "N",
        float: "NUMBER",
        Decimal: "NUMBER",
        Fraction: "NUMBER",
        Path: "PATH",
        date: "DATE",
        datetime: "DATE",
        bool: "",
    }
    return names.get(kind, _words(param))


def argument_name(param: Parameter) -> str:
    """An argument's name in the usage line and its panel: its metavar, else its name in capitals."""
    return param.metavar if param.metavar is not None else _words(param)


def option_label(param: Parameter) -> str:
    """``--name, -n METAVAR`` or ``--on / --off``: the whole name column of one option or argument."""
    if isinstance(param, TyperArgument) or not isinstance(param, TyperOption):
        name = argument_name(param)
        return f"{name}..." if param.nargs != 1 else name
    opts = sorted(param.opts, key=lambda o: not o.startswith("--"))
    label = ", ".join(opts)
    if param.secondary_opts:
        label += " / " + ", ".join(param.secondary_opts)
    metavar = value_metavar(param)
    return f"{label} {metavar}" if metavar else label


def _repeatable(param: Parameter) -> bool:
    return bool(getattr(param, "multiple", False)) or (isinstance(param, TyperArgument) and param.nargs == -1)


def _range(param: TyperOption | TyperArgument) -> str | None:
    """``1 to 65535``, ``at least 1``, ``at most 60``; Typer's ``0<x<1`` form for open bounds."""
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if getattr(param, "min_open", False) or getattr(param, "max_open", False):
        return param._get_number_range_help_str()
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"at least {low}"
    if high is not None:
        return f"at most {high}"
    return None


def _extras(param: Parameter, ctx: Context) -> list[str]:
    """The bracketed facts after a help text: choices, repeatable, env var, default, range, required."""
    out: list[str] = []
    choices = _choices(param)
    if choices and value_metavar(param) != "|".join(choices):
        out.append("One of: " + ", ".join(choices) + ".")
    if _repeatable(param) and "repeat" not in (getattr(param, "help", None) or "").lower():
        out.append("Repeatable.")
    envvar = getattr(param, "envvar", None)
    if envvar and getattr(param, "show_envvar", False):
        shown = envvar if isinstance(envvar, str) else ", ".join(envvar)
        out.append(f"[env var: {shown}]")
    if isinstance(param, TyperOption | TyperArgument):
        default = param._extract_default_help_str(ctx=ctx)
        as_text = isinstance(param.show_default, str)
        if as_text or (default is not None and (param.show_default or ctx.show_default)):
            text = param._get_default_string(ctx=ctx, show_default_is_str=as_text, default_value=default)
            if text:
                out.append(f"[default: {text}]")
        span = _range(param)
        if span:
            out.append(f"[{span}]")
    if param.required:
        out.append("[required]")
    return out


def _paragraphs(text: str) -> list[str]:
    """A docstring or help text as paragraphs: single line breaks joined, ``\\b`` paragraphs kept as they are,
    nothing after ``\\f``."""
    body = inspect.cleandoc(text).partition("\f")[0]
    out = []
    for chunk in body.split("\n\n"):
        if chunk.startswith("\b"):
            out.append(chunk.removeprefix("\b").strip("\n"))
        elif chunk.strip():
            out.append(" ".join(line.strip() for line in chunk.splitlines()))
    return out


def short_help(command: Any) -> str:
    """A command's line in its group's panel: its short help, else the first paragraph of its help."""
    if command.short_help:
        return str(command.short_help)
    found = _paragraphs(command.help or "")
    return found[0] if found else ""


def _param_help(param: Parameter, ctx: Context) -> Text:
    from rich.text import Text  # noqa: PLC0415  # lazy: only --help renders

    text = Text(" ".join(_paragraphs(getattr(param, "help", None) or "")), overflow="fold")
    for extra in _extras(param, ctx):
        text.append(" " if text.plain else "")
        text.append(extra, style="dim")
    return text


def _panel(title: str, rows: Sequence[tuple[str, str, Text]], width: int) -> RenderableType:
    """A titled box of (marker, name, help) rows; the names are never cut."""
    from rich.cells import cell_len  # noqa: PLC0415  # lazy: only --help renders
    from rich.console import Group  # noqa: PLC0415  # lazy: only --help renders
    from rich.padding import Padding  # noqa: PLC0415  # lazy: only --help renders
    from rich.panel import Panel  # noqa: PLC0415  # lazy: only --help renders
    from rich.table import Table  # noqa: PLC0415  # lazy: only --help renders
    from rich.text import Text  # noqa: PLC0415  # lazy: only --help renders

    marked = any(marker for marker, _, _ in rows)
    names = max(cell_len(name) for _, name, _ in rows) + (2 if marked else 0)
    inner = width - 4  # the border and one space of padding each side
    body: RenderableType
    if names + 1 <= inner // 2:
        table = Table.grid(padding=(0, 2, 0, 0), expand=True)
        if marked:
            table.add_column(no_wrap=True, style="red")
        table.add_column(no_wrap=True, min_width=names - (2 if marked else 0), style="bold cyan")
        table.add_column(ratio=1, overflow="fold")
        for marker, name, text in rows:
            table.add_row(*([marker] if marked else []), name, text)
        body = table
    else:  # too wide to share a line with its help: each help goes under its name
        parts: list[RenderableType] = []
        for marker, name, text in rows:
            line = Text(f"{marker or ' '} " if marked else "", style="red")
            line.append(name, style="bold cyan")
            line.overflow = "fold"
            parts.append(line)
            if text.plain:
                parts.append(Padding(text, (0, 0, 0, 4)))
        body = Group(*parts)
    return Panel(body, title=title, title_align="left", border_style="dim", padding=(0, 1))


def _width(ctx: Context) -> int:
    """The terminal's width (``COLUMNS`` first), within MIN_WIDTH..MAX_WIDTH."""
    width = ctx.terminal_width or shutil.get_terminal_size(fallback=(80, 24)).columns
    return min(max(width, MIN_WIDTH), MAX_WIDTH)


def usage_pieces(command: Any, ctx: Context) -> list[str]:
    """``[OPTIONS] EVENT [FILE]...``: options, then each argument as NAME (required) or [NAME]."""
    pieces = [command.options_metavar] if command.options_metavar else []
    for param in command.get_params(ctx):
        if isinstance(param, TyperArgument):
            name = argument_name(param)
            name = name if param.required else f"[{name}]"
            pieces.append(f"{name}..." if param.nargs != 1 else name)
    return pieces


def render_help(command: Any, ctx: Context) -> str:
    """The whole help of ``command`` at the terminal's width (ANSI colours; click strips them off a tty)."""
    from rich.console import Console  # noqa: PLC0415  # lazy: only --help renders
    from rich.padding import Padding  # noqa: PLC0415  # lazy: only --help renders
    from rich.text import Text  # noqa: PLC0415  # lazy: only --help renders

    width = _width(ctx)
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=True, color_system="standard", highlight=False)
    usage = Text("Usage: ", style="yellow", overflow="fold")
    usage.append(" ".join([ctx.command_path, *command.collect_usage_pieces(ctx)]), style="bold")
    console.print(Padding(usage, (1, 1)))
    paragraphs = _paragraphs(command.help or "")
    for i, paragraph in enumerate(paragraphs):
        console.print(Padding(Text(paragraph, style="" if i == 0 else "dim", overflow="fold"), (0, 1, 1, 1)))
    panels: dict[str, list[tuple[str, str, Text]]] = {}
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    for param in sorted(params, key=lambda p: not isinstance(p, TyperArgument)):
        default_title = "Arguments" if isinstance(param, TyperArgument) else "Options"
        title = getattr(param, "rich_help_panel", None) or default_title
        marker = "*" if param.required else ""
        panels.setdefault(title, []).append((marker, option_label(param), _param_help(param, ctx)))
    if isinstance(command, TyperGroup):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                title = getattr(sub, "rich_help_panel", None) or "Commands"
                panels.setdefault(title, []).append(("", name, Text(short_help(sub), overflow="fold")))
    for title, rows in panels.items():
        console.print(_panel(title, rows, width))
    if command.epilog:
        console.print(Padding(Text("\n\n".join(_paragraphs(command.epilog)), overflow="fold"), 1))
    return "\n".join(line.rstrip() for line in out.getvalue().rstrip("\n").splitlines())


def _help_if_no_args(command: Any, ctx: Context, args: list[str]) -> None:
    """Typer's own panels print themselves while the help is built; this help is a string, printed here
    before the parser stops on no arguments (exit 2, as with Typer's panels)."""
    if not args and command.no_args_is_help and not ctx.resilient_parsing:
        typer.echo(ctx.get_help(), color=ctx.color)


class HelpCommand(TyperCommand):
    """A Typer command whose help is ``render_help``'s."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        _help_if_no_args(self, ctx, args)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write(render_help(self, ctx))

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        return usage_pieces(self, ctx)


class HelpGroup(TyperGroup):
    """A Typer group whose help is ``render_help``'s."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        _help_if_no_args(self, ctx, args)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write(render_help(self, ctx))

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        return [*usage_pieces(self, ctx), self.subcommand_metavar]


class HelpTyper(typer.Typer):
    """``typer.Typer`` whose group is a ``HelpGroup`` and whose commands are ``HelpCommand`` by default."""

    def __init__(self, *, cls: type[TyperGroup] | None = None, **kwargs: Any) -> None:
        super().__init__(cls=cls or HelpGroup, **kwargs)

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[F], F]:
        return super().command(name, cls=cls or HelpCommand, **kwargs)
