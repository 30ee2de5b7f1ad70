"""`saylau seats FILE.csv --seats N --method METHOD ...`: allocate seats from a table of votes per party.

Exit codes: 0 on success; 1 on bad data (the message names file, line and field) or an allocation the
data cannot decide (more district seats than the house, an unbreakable tie); 2 on bad usage (unknown
method, a threshold written as a bare number, a lot without a seed, ...).
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from saylau.model.errors import InputError, SaylauError
from saylau.model.numbers import decimal_str, fraction_str, grouped_decimal_str, percent
from saylau.seats import Allocation, Method, PartyRow, SeatRules, SeatsError, Threshold, allocate, parse_share
from saylau.seats.types import OverhangMode, ThresholdBase, TieBreakMode

__all__ = ["allocation_json", "seats_command"]

_BASES: tuple[ThresholdBase, ...] = ("all", "parties")
_TIES: tuple[TieBreakMode, ...] = ("order", "lot")
_OVERHANG: tuple[OverhangMode, ...] = ("keep", "drop")


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _choice(value: str, allowed: tuple[Any, ...], option: str) -> Any:
    if value not in allowed:
        raise _fail(f"error: {option} must be one of {', '.join(allowed)}, got {value!r}", 2)
    return value


def _first_divisor(text: str | None) -> Fraction:
    if text is None:
        return Fraction(7, 5)
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise _fail(f"error: --first-divisor expects a number such as 1.4 or 6/5, got {text!r}", 2) from None
    if value <= 0:
        raise _fail(f"error: --first-divisor must be positive, got {text!r}", 2)
    return value


def _rules(
    method: Method,
    threshold: str | None,
    base: str,
    first: str | None,
    alt: int | None,
    compensatory: bool,
    overhang: str | None,
    tie_break: str,
    seed: str | None,
) -> SeatRules:
    share: Threshold | None = None
    if threshold is not None:
        try:
            share = Threshold(parse_share(threshold), _choice(base, _BASES, "--threshold-base"))
        except SeatsError as exc:
            raise _fail(f"error: --threshold: {exc.message}", 2) from None
    if overhang is not None and not compensatory:
        raise _fail("error: --overhang needs --compensatory", 2)
    tie: TieBreakMode = _choice(tie_break, _TIES, "--tie-break")
    if tie == "lot" and not seed:
        raise _fail("error: --tie-break lot needs --seed (a public value anyone can re-use)", 2)
    if alt is not None and alt < 1:
        raise _fail("error: --alt-threshold-districts must be at least 1", 2)
    return SeatRules(
        method,
        threshold=share,
        alt_threshold_districts=alt,
        first_divisor=_first_divisor(first),
        tie_break=tie,
        seed=seed,
        compensatory=compensatory,
        overhang=_choice(overhang or "keep", _OVERHANG, "--overhang"),
    )


def seats_command(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="The votes, CSV: party,votes[,district_seats,threshold_exempt,order,eligible] "
            "(format: spec/seats.md §1).",
        ),
    ],
    seats: Annotated[int, typer.Option("--seats", min=0, help="Seats to allocate (the house size with MMP).")],
    method: Annotated[Method, typer.Option("--method", case_sensitive=False, help="Allocation method.")],
    threshold: Annotated[
        str | None, typer.Option("--threshold", metavar="SHARE", help="5%, 0.5% or 1/20 of the base.")
    ] = None,
    threshold_base: Annotated[
        str, typer.Option("--threshold-base", metavar="all|parties", help="The base of the threshold.")
    ] = "all",
    first_divisor: Annotated[
        str | None,
        typer.Option("--first-divisor", metavar="NUMBER", help="The first divisor of modified Sainte-Laguë."),
    ] = None,
    alt_threshold_districts: Annotated[
        int | None, typer.Option("--alt-threshold-districts", help="District seats that also qualify.")
    ] = None,
    compensatory: Annotated[
        bool, typer.Option("--compensatory", help="Mixed-member: subtract district seats.")
    ] = False,
    overhang: Annotated[
        str | None, typer.Option("--overhang", metavar="keep|drop", help="keep: grow the house; drop.")
    ] = None,
    tie_break: Annotated[
        str, typer.Option("--tie-break", metavar="order|lot", help="Registration order, or a lot drawn from --seed.")
    ] = "order",
    seed: Annotated[str | None, typer.Option("--seed", help="Public seed of the lot.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Allocate seats among party lists from a table of votes (no database needed)."""
    from saylau.io.seats_table import parse_seats_table  # noqa: PLC0415  # lazy: the table parser (saylau.io) only here

    rules = _rules(
        method,
        threshold,
        threshold_base,
        first_divisor,
        alt_threshold_districts,
        compensatory,
        overhang,
        tie_break,
        seed,
    )
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise _fail(f"error: cannot read {file}: {exc.strerror}", 1) from None
    try:
        rows = parse_seats_table(data, str(file))
        allocation = allocate(rows, seats, rules)
    except InputError as exc:
        raise _fail(f"error: {exc}", 1) from None
    except SaylauError as exc:
        raise _fail(f"error ({exc.code}): {exc.message}", 1) from None
    if as_json:
        typer.echo(json.dumps(allocation_json(allocation, rows, seats, rules), ensure_ascii=False, indent=2))
        return
    _print(allocation, rows, rules)


def allocation_json(allocation: Allocation, rows: tuple[PartyRow, ...], seats: int, rules: SeatRules) -> dict[str, Any]:
    quota = allocation.quota
    body: dict[str, Any] = {
        "method": str(allocation.method),
        "seats_requested": seats,
        "house": allocation.house,
        "threshold": None if rules.threshold is None else fraction_str(rules.threshold.share),
        "threshold_base": None if rules.threshold is None else rules.threshold.base,
        "votes": {r.name: r.votes for r in rows},
        "seats": allocation.seats,
        "qualified": list(allocation.qualified),
        "quota": None if quota is None else decimal_str(quota, 10),
        "quota_exact": None if quota is None else fraction_str(quota),
        "steps": list(allocation.steps),
    }
    if allocation.compensatory:
        body["district_seats"] = {p.party: p.district_seats for p in allocation.rows}
        body["list_seats"] = {p.party: p.list_seats for p in allocation.rows}
        body["overhang"] = {p.party: p.overhang for p in allocation.rows}
    return body


def _print(allocation: Allocation, rows: tuple[PartyRow, ...], rules: SeatRules) -> None:
    console = Console()
    total = sum(r.votes for r in rows)
    columns = ["party", "votes", "share", "qualified", "seats"]
    if allocation.compensatory:
        columns += ["district", "list_seats", "overhang"]
    table = Table(*columns, title=f"{allocation.method}: {allocation.house} seats")
    for p in allocation.rows:
        share = percent(Fraction(p.votes, total)) if total else "-"
        cells = [escape(p.party), str(p.votes), share, "yes" if p.qualified else "no", str(p.seats)]
        if allocation.compensatory:
            cells += [str(p.district_seats), str(p.list_seats), str(p.overhang)]
        table.add_row(*cells)
    console.print(table)
    if allocation.quota is not None:
        q = allocation.quota
        console.print(f"quota: {grouped_decimal_str(q, 10)} ({fraction_str(q)})", highlight=False)
    for line in allocation.steps:
        console.print(f"- {line}", highlight=False, soft_wrap=True, markup=False)
