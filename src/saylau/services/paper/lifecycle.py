"""Use case: move an event's lifecycle one explicit step (opening the count records a zero report)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from saylau.model import (
    LifecycleError,
    Mode,
    Phase,
    SaylauError,
    Territory,
    UnitCode,
    check_transition,
)
from saylau.services.access.factor import Factor, factor_kind, verify_factor
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.services.paper.results import build_view, published_json
from saylau.store import EventRow, Tx
from saylau.store.channel_repo import ChannelLinkRow, channel_links
from saylau.store.e2e_repo import E2eTx

__all__ = ["PhaseChange", "advance", "pending_channels"]


@dataclass(frozen=True, slots=True)
class PhaseChange:
    event: str
    before: Phase
    after: Phase
    zero_report_sha256: str | None
    precincts: int


def advance(ctx: Context, code: str, target: Phase, factor: Factor) -> PhaseChange:
    """Move the lifecycle one explicit step; opening the count records a zero report. A member's
    one-time code is checked and consumed in the transaction that moves the phase; a refusal is audited."""
    now = ctx.clock()
    try:
        return _advance(ctx, code, target, factor, now)
    except SaylauError as exc:
        with ctx.store.transaction() as tx:  # the refusal is logged; the phase did not move
            details = {"to": target.value, "code": exc.code, "error": exc.message[:2000], "factor": factor_kind(factor)}
            tx.audit(code, ctx.actor, "phase.change", "refused", details, now)
        raise


def _advance(ctx: Context, code: str, target: Phase, factor: Factor, now: dt.datetime) -> PhaseChange:
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        attested = verify_factor(tx, ctx, factor, ctx.actor, now, required=True)
        check_transition(row.phase, target)
        territory = require_territory(tx, row)
        _check_preconditions(tx, row, territory, target)
        digest = None
        if target is Phase.COUNTING:
            view = build_view(tx, row, territory, Mode.LIVE, now, phase=target)
            digest = tx.insert_report(row.id, "zero", published_json(view, level="top"), now)
        tx.set_phase(row.id, row.phase, target, ctx.actor, now)
        if target in (Phase.FINAL, Phase.CERTIFIED):  # after set_phase's row lock: a concurrent link is seen
            _check_channels(tx, row, target)
        details = {"from": row.phase.value, "to": target.value} | attested
        tx.audit(code, ctx.actor, "phase.change", "ok", details, now)
    return PhaseChange(code, row.phase, target, digest, len(territory.precincts()))


def _check_preconditions(tx: Tx, row: EventRow, territory: Territory, target: Phase) -> None:
    if target is Phase.COUNTING and tx.count_versions(row.id, Mode.LIVE):
        raise LifecycleError("live protocols exist before counting opened: the zero report cannot be zero")
    if target in (Phase.FINAL, Phase.CERTIFIED):
        current = tx.current_versions(row.id, Mode.LIVE)  # precinct -> accepted version, no counts decoded
        missing = [p for p in territory.precincts() if p not in current]
        open_rounds = _open_rounds(tx, row, current)
        if missing or open_rounds:
            shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
            raise LifecycleError(
                f"results cannot become {target}: {len(missing)} precinct(s) without an accepted protocol"
                + (f" ({shown})" if missing else "")
                + f", {len(open_rounds)} entry round(s) still open (awaiting a second entry or in mismatch)",
                code="incomplete",
                details={"missing": missing, "open_rounds": sorted(open_rounds)},
            )


def _check_channels(tx: Tx, row: EventRow, target: Phase) -> None:
    """A linked e2e election without its result would leave its e-ballots out (spec/counting.md §5)."""
    pending = pending_channels(tx, row)
    if pending:
        named = ", ".join(f"{p.election} (at {p.unit})" for p in pending)
        raise LifecycleError(
            f"results cannot become {target}: the electronic channel of e2e election(s) {named} has no result yet",
            code="channel_pending",
            details={"pending": [p.election for p in pending]},
        )


def _open_rounds(tx: Tx, row: EventRow, current: Mapping[UnitCode, int]) -> set[str]:
    """Precincts with entries in a round after their accepted version (awaiting a second entry, or in mismatch)."""
    return {p for p, rnd in tx.entry_rounds(row.id, Mode.LIVE) if rnd > current.get(p, 0)}


def pending_channels(tx: Tx, row: EventRow) -> list[ChannelLinkRow]:
    """The event's linked e2e elections whose record has no result yet."""
    return [link for link in channel_links(E2eTx(tx), event_id=row.id) if link.result is None]
