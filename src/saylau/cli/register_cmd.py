"""`saylau register import|diff|show|lists|extract|certificate|check`: the voter register (spec/register.md).
The register is never public: these commands are the commission's, run on its own machine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    progress_bar,
)
from saylau.cli.help import HelpTyper

if TYPE_CHECKING:
    from saylau.register import Entry
    from saylau.services.register import ImportOptions, ImportOutcome

# lazy: each command imports the use case it runs, so that the other commands start without them

__all__ = ["register_app"]

register_app = HelpTyper(
    help="The voter register (never public): import and re-import (a diff), a person's history, voter lists "
    "and their check against the protocols, list extracts, absentee certificates, a voter's own check.",
    no_args_is_help=True,
)

FileArg = Annotated[
    Path, typer.Argument(metavar="FILE", help="The register file: CSV, columns in spec/register.md §1.")
]
SchemeOpt = Annotated[
    str,
    typer.Option("--scheme", metavar="SCHEME", help="kz-iin (Kazakhstan's IIN, checked) or plain (a unique key)."),
]
BirthOpt = Annotated[
    str,
    typer.Option(
        "--birth-check",
        metavar="RULE",
        help="An IIN whose encoded birth date or sex is not the stated one: refuse (default) or flag.",
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", help="No progress bar.")]


def _options(scheme: str, birth_check: str, *, apply: bool, reason: str, source: str | None) -> ImportOptions:
    from saylau.register import BirthCheck, IdentifierScheme  # noqa: PLC0415
    from saylau.services.register import ImportOptions  # noqa: PLC0415

    schemes = {s.value: s for s in IdentifierScheme}
    checks = {c.value: c for c in BirthCheck}
    if scheme not in schemes:
        raise typer.BadParameter("kz-iin or plain", param_hint="--scheme")
    if birth_check not in checks:
        raise typer.BadParameter("refuse or flag", param_hint="--birth-check")
    return ImportOptions(schemes[scheme], checks[birth_check], apply=apply, reason=reason[:400], source=source)


def _run_import(db: str, actor: str | None, path: Path, options: ImportOptions, *, quiet: bool) -> ImportOutcome:
    from saylau.services.register import import_register  # noqa: PLC0415

    ctx = open_context(db, actor)
    try:
        with progress_bar(quiet=quiet, first="checking rows") as progress:
            return import_register(ctx, path, options, progress)
    finally:
        ctx.store.dispose()


def _entry_json(e: Entry) -> dict[str, object]:
    return {
        "identifier": e.identifier,
        "surname": e.surname,
        "given_name": e.given_name,
        "patronymic": e.patronymic,
        "birth_date": e.birth_date.isoformat(),
        "sex": e.sex,
        "address": e.address,
        "precinct": e.precinct,
        "status": e.status.value,
    }


def _outcome_json(o: ImportOutcome) -> dict[str, object]:
    out: dict[str, object] = {"file": o.file, "sha256": o.sha256, "rows": o.rows, "applied": o.applied}
    out["counts"] = o.counts
    out["flags"] = [str(p) for p in o.flags]
    if o.diff is not None:
        out["diff"] = {
            "added": [e.identifier for e in o.diff.added],
            "moved": [{"identifier": n.identifier, "from": old.precinct, "to": n.precinct} for old, n in o.diff.moved],
            "removed": [e.identifier for e in o.diff.removed],
            "changed": [n.identifier for _, n in o.diff.changed],
        }
    return out


def _print_outcome(o: ImportOutcome) -> None:
    counts = ", ".join(f"{k} {v:,}" for k, v in o.counts.items())
    verb = "applied" if o.applied else "NOT applied (give --apply to write it)"
    console.print(f"{o.file} (sha256 {o.sha256[:16]}…): {o.rows:,} rows; {counts}; {verb}", highlight=False)
    for p in o.flags[:20]:
        console.print(f"  flagged: {p}", highlight=False, markup=False)
    if o.diff is not None:
        for old, new in o.diff.moved[:20]:
            console.print(f"  moved {new.identifier}: {old.precinct} -> {new.precinct}", highlight=False)
        for e in o.diff.removed[:20]:
            console.print(f"  removed {e.identifier} ({e.precinct})", highlight=False)


@register_app.command("import")
@handle_errors
def register_import(
    path: FileArg,
    apply: Annotated[
        bool, typer.Option("--apply", help="Write the import (without: check it, show the diff).")
    ] = False,
    scheme: SchemeOpt = "kz-iin",
    birth_check: BirthOpt = "refuse",
    reason: Annotated[
        str, typer.Option("--reason", metavar="TEXT", help="Why (kept in every version).")
    ] = "register import",
    source: Annotated[
        str | None, typer.Option("--source", metavar="TEXT", help="The source document (default: the file's SHA-256).")
    ] = None,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    quiet: QuietOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Import a register file: every row checked, all or nothing; a re-import shows its diff first."""
    outcome = _run_import(
        db,
        actor,
        path,
        _options(scheme, birth_check, apply=apply, reason=reason, source=source),
        quiet=quiet or as_json,
    )
    print_json(_outcome_json(outcome)) if as_json else _print_outcome(outcome)


@register_app.command("diff")
@handle_errors
def register_diff(
    path: FileArg,
    scheme: SchemeOpt = "kz-iin",
    birth_check: BirthOpt = "refuse",
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    quiet: QuietOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """What importing the file would change (added, moved, removed, changed); nothing is written."""
    options = _options(scheme, birth_check, apply=False, reason="diff", source=None)
    outcome = _run_import(db, actor, path, options, quiet=quiet or as_json)
    print_json(_outcome_json(outcome)) if as_json else _print_outcome(outcome)


@register_app.command("show")
@handle_errors
def register_show(
    identifier: Annotated[str, typer.Argument(metavar="IDENTIFIER", help="The person's identifier (IIN).")],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A person's every version: who changed what, when, why, from which document."""
    from saylau.services.register import person_history  # noqa: PLC0415

    versions = person_history(open_context(db, actor), identifier)
    if as_json:
        print_json(
            [
                {
                    "version": v.version,
                    "valid_from": v.valid_from.isoformat(),
                    "actor": v.actor,
                    "reason": v.reason,
                    "source": v.source,
                    "entry": _entry_json(v.entry),
                }
                for v in versions
            ]
        )
        return
    for v in versions:
        e = v.entry
        console.print(
            f"v{v.version} {v.valid_from:%Y-%m-%d %H:%M} by {v.actor} ({v.reason}; {v.source}): {e.full_name}, "
            f"born {e.birth_date}, {e.address}, precinct {e.precinct}, {e.status.value}",
            highlight=False,
            markup=False,
        )


def _instant(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter("a date or instant in ISO 8601, e.g. 2022-05-15 or 2022-05-15T18:00+05:00") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    if len(text) == 10:  # a date: the end of that day
        when += dt.timedelta(days=1, microseconds=-1)
    return when


@register_app.command("lists")
@handle_errors
def register_lists(
    event: Annotated[
        str | None, typer.Argument(metavar="EVENT", help="The event (its date is polling day); none: the register.")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at", metavar="WHEN", help="The close of the list: a date (its end) or an instant (default now)."
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="List each precinct whose protocol's registered differs from the lists.")
    ] = False,
    voting_age: Annotated[int, typer.Option("--voting-age", metavar="YEARS", help="Voting age (18).", min=1)] = 18,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Voters per precinct at the close of the list (counts; certificates struck off where issued)."""
    from saylau.services.register import check_registered, voter_lists  # noqa: PLC0415

    ctx = open_context(db, actor)
    when = _instant(at) or ctx.clock()
    if check:
        if event is None:
            raise typer.BadParameter("--check compares an event's protocols: name the EVENT")
        rows = check_registered(ctx, event, when, voting_age=voting_age)
        if as_json:
            print_json([{"precinct": r.precinct, "protocol": r.protocol, "register": r.register, "struck": r.struck,
                         "difference": r.difference} for r in rows])  # fmt: skip
            return
        console.print(f"{len(rows)} precinct(s) whose registered differs from the register at {when.isoformat()}")
        for r in rows:
            console.print(f"  {r.precinct}: protocol {r.protocol:,}, register {r.register:,} ({r.difference:+,}; "
                          f"{r.struck} certificate(s) struck)", highlight=False)  # fmt: skip
        return
    view = voter_lists(ctx, when, event=event, voting_age=voting_age)
    if as_json:
        print_json({"at": view.at.isoformat(), "polling_day": view.polling_day.isoformat(), "total": view.total,
                    "precincts": view.counts, "struck": view.struck})  # fmt: skip
        return
    console.print(f"{view.total:,} voters in {len(view.counts):,} precinct(s) at {view.at.isoformat()} "
                  f"(of age by {view.polling_day})", highlight=False)  # fmt: skip
    for precinct, n in view.counts.items():
        console.print(f"  {precinct}: {n:,}", highlight=False)


@register_app.command("extract")
@handle_errors
def register_extract(
    precinct: Annotated[str, typer.Argument(metavar="PRECINCT", help="The precinct's unit code.")],
    out: Annotated[Path, typer.Option("--out", metavar="FILE", help="The PDF to write.")],
    event: Annotated[
        str | None, typer.Option("--event", metavar="EVENT", help="The event: its date, its certificates struck.")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at", metavar="WHEN", help="The close of the list: a date (its end) or an instant (default now)."
        ),
    ] = None,
    voting_age: Annotated[int, typer.Option("--voting-age", metavar="YEARS", help="Voting age (18).", min=1)] = 18,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write a precinct's printable voter list (PDF, kk/ru) with a column for the voters' signatures."""
    from saylau.services.register import list_extract  # noqa: PLC0415

    ctx = open_context(db, actor)
    when = _instant(at) or ctx.clock()
    voters, pdf = list_extract(ctx, precinct, when, event=event, voting_age=voting_age)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise typer.BadParameter(f"cannot write {out}: {exc.strerror}", param_hint="--out") from exc
    if as_json:
        print_json({"precinct": precinct, "voters": voters, "file": str(out), "bytes": len(pdf)})
        return
    console.print(f"{out}: precinct {precinct}, {voters:,} voter(s)", highlight=False)


@register_app.command("check")
@handle_errors
def register_check(
    identifier: Annotated[str, typer.Argument(metavar="IDENTIFIER", help="Your identifier (IIN).")],
    born: Annotated[str, typer.Option("--born", metavar="DATE", help="Your birth date, YYYY-MM-DD.")],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A voter's check of their own entry: the precinct and whether they are on its list."""
    from saylau.services.register import own_entry  # noqa: PLC0415

    try:
        birth = dt.date.fromisoformat(born)
    except ValueError:
        raise typer.BadParameter("a date YYYY-MM-DD", param_hint="--born") from None
    entry = own_entry(open_context(db, actor), identifier, birth)
    if as_json:
        print_json({"precinct": entry.precinct, "status": entry.status.value})
        return
    console.print(f"precinct {entry.precinct}, {entry.status.value}", highlight=False)


@register_app.command("certificate")
@handle_errors
def register_certificate(
    event: EventArg,
    identifier: Annotated[str, typer.Argument(metavar="IDENTIFIER", help="The voter's identifier (IIN).")],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Issue an absentee certificate: the voter is struck off at their precinct; a second is refused."""
    from saylau.services.register import issue_certificate  # noqa: PLC0415

    issued = issue_certificate(open_context(db, actor), event, identifier)
    if as_json:
        print_json({"event": issued.event, "identifier": issued.identifier, "precinct": issued.precinct,
                    "issued_at": issued.issued_at.isoformat()})  # fmt: skip
        return
    console.print(f"certificate issued for {issued.event}: struck off at precinct {issued.precinct}", highlight=False)
