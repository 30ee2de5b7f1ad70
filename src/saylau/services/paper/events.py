"""Use cases: define an event, import its territory, move its lifecycle (with a zero report)."""

from __future__ import annotations

from typing import Literal

from saylau.count.layout import event_rules
from saylau.io import parse_event, parse_territory
from saylau.model import (
    Conflict,
    InputError,
    LifecycleError,
    Phase,
    Problem,
    Referendum,
    Territory,
)
from saylau.services.context import Context
from saylau.services.lookup import load_event
from saylau.services.paper.codes import PaperCode
from saylau.store import EventCodeTaken, EventRow

__all__ = [
    "create_event",
    "import_territory",
    "list_events",
]


def create_event(ctx: Context, data: bytes, source: str) -> Referendum:
    """Define an event from its file. An event of that code already there is refused (``duplicate_event``),
    also when another creation of it commits first while this one runs (the UNIQUE on the code decides,
    on SQLite and PostgreSQL alike), never a raw database error."""
    ref = parse_event(data, source)
    event_rules(ref)  # the preset exists, covers the date, and the settings are allowed
    now = ctx.clock()
    try:
        with ctx.store.transaction(write=True) as tx:
            if tx.find_event(ref.code) is not None:
                raise _duplicate(ref.code)
            tx.insert_event(ref, data.decode("utf-8-sig"), Phase.SETUP, now)
            tx.audit(ref.code, ctx.actor, "event.create", "ok", {"source": source, "preset": ref.preset}, now)
    except EventCodeTaken:
        raise _duplicate(ref.code) from None
    return ref


def _duplicate(code: str) -> Conflict:
    return Conflict(f"an event {code!r} already exists in this database", code=PaperCode.DUPLICATE_EVENT)


def list_events(ctx: Context) -> list[EventRow]:
    with ctx.store.transaction() as tx:
        return [load_event(tx, c) for c in tx.event_codes()]


def import_territory(ctx: Context, code: str, data: bytes, source: str, fmt: Literal["csv", "json"]) -> Territory:
    territory = parse_territory(data, source, fmt)
    now = ctx.clock()
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        if row.phase is not Phase.SETUP:
            raise LifecycleError(f"the territory is fixed once voting opens (event is in {row.phase})")
        if tx.has_territory(row.id):
            raise Conflict(f"event {code!r} already has a territory", code="territory_exists")
        _check_scopes(row.referendum, territory, source)
        tx.insert_territory(row.id, territory)
        tx.audit(
            code,
            ctx.actor,
            "territory.import",
            "ok",
            {"source": source, "units": len(territory), "precincts": len(territory.precincts())},
            now,
        )
    return territory


def _check_scopes(ref: Referendum, territory: Territory, source: str) -> None:
    """Every contest's scope (a single-member district's unit) must be a unit of the territory."""
    problems = [
        Problem(
            rule="contest_scope",
            file=source,
            field="code",
            message=f"contest {q.code!r} is scoped to {q.scope!r}, which is not a unit of this territory",
        )
        for q in ref.contests
        if q.scope is not None and q.scope not in territory
    ]
    if problems:
        raise InputError(problems, summary="the territory lacks units the contests are scoped to")
