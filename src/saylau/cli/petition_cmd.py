"""`saylau petition create|sign|import-sheets|withdraw|verify|status|report`: petitions, signature by signature
(spec/petitions.md §11). Each command imports its use case lazily, so that the others start without it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.common import DEFAULT_DB, ActorOpt, DbOpt, JsonOpt, console, handle_errors, open_context, print_json
from saylau.cli.help import HelpTyper

if TYPE_CHECKING:
    from saylau.services.petitions import PetitionStatus, Verified

__all__ = ["petition_app"]

petition_app = HelpTyper(
    help="Petitions (recall, initiative, nomination): create, take signatures (paper under double entry, "
    "online), withdraw, verify against the register (full, sample, sequential), status and report.",
    no_args_is_help=True,
)

CodeArg = Annotated[str, typer.Argument(metavar="PETITION", help="The petition's code.")]
MAX_STATEMENT = 4096  # bytes of a statement file


def _day(text: str, hint: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"a date YYYY-MM-DD, not {text!r}", param_hint=hint) from None


def _verified_json(v: Verified | None) -> dict[str, object] | None:
    if v is None:
        return None
    return {
        "qualified": v.qualified, "decided_by": v.decided_by, "required": v.required, "raw": v.raw,
        "valid": v.valid, "zone": v.zone, "words": v.words, "recall_event": v.recall_event,
    }  # fmt: skip


def _status_json(s: PetitionStatus) -> dict[str, object]:
    return {
        "petition": s.code, "kind": s.kind, "scope": s.scope, "preset": s.preset, "opens": s.opens.isoformat(),
        "closes": s.closes.isoformat(), "rule": s.rule, "threshold": s.threshold, "registered": s.registered,
        "required": s.required, "paper": s.paper, "online": s.online, "withdrawn": s.withdrawn, "raw": s.raw,
        "verified": _verified_json(s.verified),
    }  # fmt: skip


@petition_app.command("create")
@handle_errors
def petition_create(
    code: CodeArg,
    scope: Annotated[str, typer.Option("--scope", metavar="UNIT", help="The unit whose voters may sign.")],
    opens: Annotated[str, typer.Option("--opens", metavar="DATE", help="First day of collection.")],
    closes: Annotated[str, typer.Option("--closes", metavar="DATE", help="Last day of collection.")],
    preset: Annotated[str, typer.Option("--preset", metavar="NAME", help="The petitions preset.")] = "kz-recall",
    count: Annotated[
        int | None, typer.Option("--count", min=1, help="Signatures required (a given or uncertain threshold).")
    ] = None,
    rule: Annotated[
        str | None, typer.Option("--rule", metavar="RULE", help="full, random_sample or sequential (preset's).")
    ] = None,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a petition under a preset (its version on the opening day); the scope must be known."""
    from saylau.services.petitions import create_petition  # noqa: PLC0415

    ctx = open_context(db, actor)
    try:
        c = create_petition(
            ctx, code, preset, scope, _day(opens, "--opens"), _day(closes, "--closes"), count=count, rule=rule
        )
    finally:
        ctx.store.dispose()
    out = {"petition": c.code, "kind": c.kind, "preset": c.preset, "scope": scope, "territory": c.scope.event,
           "precincts": len(c.scope.precincts)}  # fmt: skip
    if as_json:
        print_json(out)
    else:
        where = f"event {c.scope.event}'s territory" if c.scope.event else "the register"
        console.print(
            f"petition {c.code} ({c.kind}, {c.preset}) created for {scope}: {len(c.scope.precincts)} precincts "
            f"from {where}",
            highlight=False,
        )


@petition_app.command("sign")
@handle_errors
def petition_sign(
    code: CodeArg,
    statement: Annotated[
        Path, typer.Option("--statement", metavar="FILE", help="The statement signed (JSON, spec/petitions.md §3).")
    ],
    public_key: Annotated[str, typer.Option("--public-key", metavar="HEX", help="The raw public key, hex.")],
    signature: Annotated[str, typer.Option("--signature", metavar="HEX", help="The signature, hex.")],
    algorithm: Annotated[str, typer.Option("--algorithm", help="ed25519 or ecdsa-p256.")] = "ed25519",
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Take an online signature (verified now; its day is today's)."""
    from saylau.petitions import Statement  # noqa: PLC0415
    from saylau.services.petitions import sign_online  # noqa: PLC0415

    if algorithm not in ("ed25519", "ecdsa-p256"):
        raise typer.BadParameter("ed25519 or ecdsa-p256", param_hint="--algorithm")
    data = statement.read_bytes()[: MAX_STATEMENT + 1]
    if len(data) > MAX_STATEMENT:
        raise typer.BadParameter(f"more than {MAX_STATEMENT} bytes", param_hint="--statement")
    try:
        st = json.loads(data)
        parsed = Statement(
            st["petition"], st["identifier"], st["name"], dt.date.fromisoformat(st["birth_date"]),
            dt.date.fromisoformat(st["signed_on"]),
        )  # fmt: skip
        key, sig = bytes.fromhex(public_key), bytes.fromhex(signature)
    except (ValueError, KeyError, TypeError) as exc:
        raise typer.BadParameter(f"{statement}: not a statement of spec/petitions.md §3 ({exc})") from None
    ctx = open_context(db, actor)
    try:
        sid = sign_online(ctx, code, parsed, algorithm, key, sig)  # type: ignore[arg-type]
    finally:
        ctx.store.dispose()
    print_json({"petition": code, "signature": sid}) if as_json else console.print(f"signed: {sid}")


@petition_app.command("import-sheets")
@handle_errors
def petition_import_sheets(
    code: CodeArg,
    sheet: Annotated[str, typer.Option("--sheet", metavar="ID", help="The sheet's id.")],
    collector: Annotated[str, typer.Option("--collector", metavar="NAME", help="Who collected it.")],
    scan: Annotated[
        Path,
        typer.Option(
            "--scan", metavar="FILE", help="The sheet's scan, any format (stored by SHA-256; spec/petitions.md §10)."
        ),
    ],
    keying: Annotated[
        list[str],
        typer.Option(
            "--keying",
            metavar="OPERATOR=FILE",
            help="One operator's CSV of the sheet (columns: spec/petitions.md §10); twice.",
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import a paper sheet keyed by two operators (double entry: every line must agree)."""
    from saylau.services.petitions import import_sheet  # noqa: PLC0415

    keyings = []
    for item in keying:
        operator, sep, path = item.partition("=")
        if not sep or not operator:
            raise typer.BadParameter("OPERATOR=FILE", param_hint="--keying")
        keyings.append((operator, Path(path).read_bytes(), path))
    ctx = open_context(db, actor)
    try:
        ids = import_sheet(ctx, code, sheet, collector, scan.read_bytes(), keyings)
    finally:
        ctx.store.dispose()
    if as_json:
        print_json({"petition": code, "sheet": sheet, "signatures": ids})
    else:
        console.print(f"sheet {sheet}: {len(ids)} lines agreed and kept", highlight=False)


@petition_app.command("withdraw")
@handle_errors
def petition_withdraw(
    code: CodeArg,
    signature: Annotated[str, typer.Argument(metavar="SIGNATURE", help="paper:SHEET:LINE or online:N.")],
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="The day withdrawn (default: today).")] = None,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Withdraw one signature (counted only if made by the closing day)."""
    from saylau.services.petitions import withdraw  # noqa: PLC0415

    ctx = open_context(db, actor)
    try:
        day = withdraw(ctx, code, signature, None if on is None else _day(on, "--on"))
    finally:
        ctx.store.dispose()
    out = {"petition": code, "signature": signature, "withdrawn_on": day.isoformat()}
    print_json(out) if as_json else console.print(f"{signature} withdrawn on {day}", highlight=False)


@petition_app.command("verify")
@handle_errors
def petition_verify(
    code: CodeArg,
    seed: Annotated[
        str | None, typer.Option("--seed", metavar="DIGITS", help="The public seed (20 digits) for a sample.")
    ] = None,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Verify the petition by its rule; a qualified recall gets its vote under kz-recall."""
    from saylau.services.petitions import verify  # noqa: PLC0415

    ctx = open_context(db, actor)
    try:
        v = verify(ctx, code, seed)
    finally:
        ctx.store.dispose()
    if as_json:
        print_json({"petition": code, **(_verified_json(v) or {})})
        return
    console.print(v.words, highlight=False, markup=False)
    if v.recall_event:
        console.print(f"recall vote created: event {v.recall_event}", highlight=False)


@petition_app.command("status")
@handle_errors
def petition_status_command(
    code: CodeArg, db: DbOpt = DEFAULT_DB, actor: ActorOpt = None, as_json: JsonOpt = False
) -> None:
    """Counts only: signatures per channel, withdrawals, the requirement, the last outcome."""
    from saylau.services.petitions import petition_status  # noqa: PLC0415

    ctx = open_context(db, actor)
    try:
        s = petition_status(ctx, code)
    finally:
        ctx.store.dispose()
    if as_json:
        print_json(_status_json(s))
        return
    share = f" ({s.raw / s.required:.0%} of it)" if s.required else ""
    console.print(
        f"{s.code} ({s.kind}, {s.preset}) in {s.scope}, {s.opens} to {s.closes}, rule {s.rule}: {s.raw} "
        f"signatures ({s.paper} paper, {s.online} online, {s.withdrawn} withdrawn); {s.required} required{share}",
        highlight=False,
    )
    if s.verified is not None:
        console.print(s.verified.words, highlight=False, markup=False)


@petition_app.command("report")
@handle_errors
def petition_report_command(
    code: CodeArg,
    verdicts: Annotated[bool, typer.Option("--verdicts", help="Each signature's verdict (a logged read).")] = False,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Every verification's figures and counts per verdict; with --verdicts, each signature's."""
    from saylau.services.petitions import petition_report  # noqa: PLC0415

    ctx = open_context(db, actor)
    try:
        report = petition_report(ctx, code, verdicts=verdicts)
    finally:
        ctx.store.dispose()
    if as_json:
        print_json(report)
        return
    for v in report["verifications"]:
        console.print(f"{v['at']} by {v['actor']}, rule {v['rule']}, seed {v['seed']}:", highlight=False)
        console.print(f"  {v['figures']['words']}", highlight=False, markup=False)
        for which, counts in v["verdict_counts"].items():
            if counts:
                console.print(f"  {which}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
        for which, rows in (v.get("verdicts") or {}).items():
            for row in rows or []:
                console.print(f"  [{which}] {row['signature']}: {row['status']} - {row['reason']}", markup=False)
    if not report["verifications"]:
        console.print("not verified yet")
