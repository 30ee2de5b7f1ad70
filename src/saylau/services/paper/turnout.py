"""Intraday turnout: reports per unit at fixed hours, imported once and published as they come."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from saylau.io.turnout_table import parse_turnout
from saylau.model import Conflict, InputError, Problem, Referendum, Territory
from saylau.model.numbers import decimal_str, fraction_str
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.services.paper.codes import PaperCode
from saylau.store.turnout_schema import NewTurnout, TurnoutRow, TurnoutTx

__all__ = [
    "TurnoutBoard",
    "TurnoutFigure",
    "event_date",
    "import_turnout",
    "turnout",
    "turnout_board",
    "turnout_json",
]


@dataclass(frozen=True, slots=True)
class TurnoutFigure:
    unit: str
    at: str
    registered: int
    voted: int

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.voted, self.registered) if self.registered else None


def import_turnout(ctx: Context, code: str, data: bytes, source: str) -> int:
    """All or nothing: every unit must exist, and an hour already reported for a unit is refused."""
    lines = parse_turnout(data, source)
    now = ctx.clock()
    with ctx.store.transaction(write=True) as tx:
        row = load_event(tx, code)
        territory = require_territory(tx, row)
        store = TurnoutTx(tx)
        known = {(r.unit, r.at) for r in store.turnout(row.id)}
        problems = [
            Problem(
                rule="unknown_unit",
                message=f"{t.unit!r} is not a unit of {code}",
                file=source,
                line=t.line,
                field="unit",
            )
            for t in lines
            if t.unit not in territory
        ]
        problems += [
            Problem(
                rule="already_reported",
                message=f"{t.unit} at {t.at} was already reported",
                file=source,
                line=t.line,
                field="at",
            )
            for t in lines
            if (t.unit, t.at) in known
        ]
        if problems:
            raise InputError(problems, summary="turnout report refused; nothing was imported")
        if not lines:
            raise Conflict("the turnout file has no rows", code=PaperCode.EMPTY)
        store.append_turnout(row.id, [NewTurnout(t.unit, t.at, t.registered, t.voted) for t in lines], now)
        tx.audit(code, ctx.actor, "turnout.import", "ok", {"source": source, "rows": len(lines)}, now)
    return len(lines)


def turnout(ctx: Context, code: str) -> list[TurnoutFigure]:
    """Every report, by hour then territory order. Turnout figures are published during the day: no embargo."""
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        rows: list[TurnoutRow] = TurnoutTx(tx).turnout(row.id)
    return [TurnoutFigure(r.unit, r.at, r.registered, r.voted) for r in rows]


@dataclass(frozen=True, slots=True)
class TurnoutBoard:
    """What the public turnout page shows: the event, its territory (unit names) and every report."""

    event: Referendum
    territory: Territory
    figures: tuple[TurnoutFigure, ...]


def turnout_board(ctx: Context, code: str) -> TurnoutBoard:
    """The event's turnout reports with its territory. Public during voting, like ``turnout``: no embargo."""
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        territory = require_territory(tx, row)
        rows: list[TurnoutRow] = TurnoutTx(tx).turnout(row.id)
    figures = tuple(TurnoutFigure(r.unit, r.at, r.registered, r.voted) for r in rows)
    return TurnoutBoard(row.referendum, territory, figures)


def turnout_json(f: TurnoutFigure) -> dict[str, object]:
    share = f.share
    return {
        "unit": f.unit,
        "at": f.at,
        "registered": f.registered,
        "voted": f.voted,
        "turnout": None if share is None else decimal_str(share, 4),
        "turnout_exact": None if share is None else fraction_str(share),
    }


def event_date(ctx: Context, code: str) -> dt.date:
    with ctx.store.transaction() as tx:
        return load_event(tx, code).referendum.date
