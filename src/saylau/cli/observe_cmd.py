"""`saylau observe submit|list`: observers' copies of precinct protocols, compared with the official entry
(the parallel check, spec/formats.md §16). A copy never changes the count."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from saylau.cli.common import (
    DEFAULT_DB,
    ActorOpt,
    DbOpt,
    EventArg,
    JsonOpt,
    console,
    handle_errors,
    open_context,
    print_json,
    read_input,
)
from saylau.cli.help import HelpTyper

if TYPE_CHECKING:
    from saylau.services.audit.parallel import Comparison

# lazy: each command imports the use cases it runs, so that the other commands start without them

__all__ = ["observe_app"]


observe_app = HelpTyper(
    help="Observers' copies of precinct protocols (figures and a photo), compared with the official entry.",
    no_args_is_help=True,
)


@observe_app.command("submit")
@handle_errors
def observe_submit(
    event: EventArg,
    precinct: Annotated[str, typer.Argument(help="The precinct whose protocol was copied.")],
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="The copy's figures: a protocol file (CSV, or JSON when it ends in .json) holding this "
            "precinct only (format: spec/formats.md §3).",
        ),
    ],
    photo: Annotated[
        Path,
        typer.Option("--photo", metavar="PHOTO", help="A photo of the protocol, PNG or JPEG (spec/formats.md §16)."),
    ],
    observer: Annotated[
        str | None,
        typer.Option("--observer", metavar="NAME", help="The observer's account that submits the copy."),
    ] = None,
    label: Annotated[
        str | None,
        typer.Option("--label", metavar="LABEL", help="Submit without an account, under this public label."),
    ] = None,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Keep an observer's copy and show how it differs from the official entry."""
    from saylau.services.audit import parallel as pc  # noqa: PLC0415  # lazy: the store and the layout

    if (observer is None) == (label is None):
        raise typer.BadParameter("give exactly one of --observer or --label")
    ctx = open_context(db, actor)
    fmt: Literal["csv", "json"] = "json" if file.suffix.lower() == ".json" else "csv"
    figures = pc.parse_copy_file(ctx, event, precinct, read_input(file), str(file), fmt)
    who = pc.observer_account(ctx, observer) if observer is not None else pc.Anonymous(label or "", "local")
    compared = pc.submit_copy(ctx, event, precinct, figures, read_input(photo), who)
    if as_json:
        print_json(pc.comparison_json(compared))
        return
    _print(compared)


@observe_app.command("list")
@handle_errors
def observe_list(
    event: EventArg,
    unit: Annotated[str | None, typer.Option("--unit", metavar="U", help="Only the precincts under this unit.")] = None,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Every copy with its differences from the official entry, and the precincts that differ."""
    from saylau.services.audit import parallel as pc  # noqa: PLC0415  # lazy: the store and the layout

    ctx = open_context(db, None)
    found = pc.list_copies(ctx, event, unit, public=False)
    compared, total = found.copies, found.total
    if as_json:
        print_json({"total": total, "copies": [pc.comparison_json(c) for c in compared]})
        return
    for c in compared:
        _print(c)
    differing = sorted({c.copy.precinct for c in compared if c.status == "different"})
    shown = f" (the newest {len(compared):,} shown)" if total > len(compared) else ""
    noun = "copy" if total == 1 else "copies"
    console.print(f"{total:,} {noun}{shown}; precincts that differ: {', '.join(differing) or 'none'}")


def _print(c: Comparison) -> None:
    from saylau.publish.times import time_text  # noqa: PLC0415  # lazy: the publish package only for a listing

    r = c.copy
    who = f"{r.submitter} (anonymous)" if r.anonymous else r.submitter
    head = f"copy {r.id} of {r.precinct} by {who} at {time_text(r.submitted_at)}"  # --json keeps ISO 8601
    match c.status:
        case "equal":
            console.print(f"{head}: equal to official version {c.official_version}", highlight=False)
        case "no_official":
            console.print(f"{head}: no official entry yet", highlight=False)
        case "different":
            console.print(f"{head}: differs from official version {c.official_version}", highlight=False)
            for d in c.differences:
                console.print(f"  {d.contest}.{d.field}: official {d.official}, copy {d.copy}", highlight=False)
    if r.violations:
        console.print("  breaks control relations: " + "; ".join(r.violations), highlight=False)
