"""Use cases of the commission pages: who may key which protocol, the blind double entry, corrections,
the completeness board, batch uploads and the audit log. Every refusal is logged with who and why.

The second operator never sees the first entry: an entry's outcome is reported without the other
entries' values, and the differences of a mismatch are shown only to central and district members who
did not key the round (and to observers, who read everything and change nothing).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from saylau.count import validate
from saylau.count.layout import ProtocolLayout, event_rules, protocol_layout
from saylau.io import parse_protocols
from saylau.io.entry_form import parse_counts
from saylau.model import (
    InputError,
    Mode,
    Operator,
    Phase,
    Problem,
    Protocol,
    ProtocolEntry,
    ProtocolRejected,
    QuestionCode,
    Territory,
    UnitCode,
    UnitKind,
)
from saylau.services.access.accounts import AccessDenied, Account, Role, may_act_on, may_see
from saylau.services.access.factor import member_totp
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.services.paper.codes import PaperCode
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_protocol, enter_protocols
from saylau.services.paper.scans import (
    CheckedScan,
    ScanInfo,
    attach_entry_scan,
    check_scan,
    scan_of_version,
    scans_of_precinct,
)
from saylau.store import EntryRow, EventRow

__all__ = [
    "BatchRow",
    "Board",
    "BoardRow",
    "ContestForm",
    "EntryForm",
    "SubmitResult",
    "audit_log",
    "board",
    "change_phase",
    "check_entry",
    "entry_form",
    "entry_scan",
    "submit_entry",
    "upload_batch",
]


@dataclass(frozen=True, slots=True)
class ContestForm:
    code: QuestionCode
    fields: tuple[str, ...]
    relations: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...]], ...]  # name, left, op, right


@dataclass(frozen=True, slots=True)
class EntryForm:
    event: str
    title: str
    phase: Phase
    precinct: UnitCode
    name: str
    registered: int | None
    state: str  # missing | awaiting_second | mismatch | accepted
    version: int
    contests: tuple[ContestForm, ...]
    can_enter: bool  # this account may key an entry now
    keyed_by_me: bool  # this account already keyed the open round
    needs_totp: bool  # a hint for the page: the entry can accept a protocol, or it is a correction (the
    # accepting transaction decides again under the precinct's lock, and asks for the code if so)
    needs_reason: bool  # a correction
    entries: tuple[EntryRow, ...] = ()  # the open round, only for those who may see it
    differences: tuple[tuple[str, str, tuple[int | None, ...]], ...] = ()
    scans: tuple[ScanInfo, ...] = ()  # the scan of each accepted version (live mode)
    scan_required: bool = False  # an entry must come with the scan of the signed protocol
    scan_max_bytes: int = 0


@dataclass(frozen=True, slots=True)
class SubmitResult:
    decision: str
    version: int | None
    warnings: tuple[str, ...]
    scan: ScanInfo | None = None


@dataclass(frozen=True, slots=True)
class BoardRow:
    precinct: UnitCode
    name: str
    parent: str
    state: str
    version: int
    entries: int
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Board:
    event: str
    title: str
    phase: Phase
    unit: UnitCode
    rows: tuple[BoardRow, ...]
    totals: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BatchRow:
    line: int
    precinct: str
    decision: str
    warnings: tuple[str, ...] = ()


def _as(ctx: Context, account: Account) -> Context:
    return dataclasses.replace(ctx, actor=account.name)


def _refuse(ctx: Context, account: Account, event: str | None, action: str, why: str, **facts: Any) -> AccessDenied:
    with ctx.store.transaction() as tx:
        tx.audit(event, account.name, action, "refused", {"reason": why, **facts}, ctx.clock())
    return AccessDenied(f"{account.name} ({account.role}) may not do this: {why}", details={"reason": why, **facts})


def _load(ctx: Context, code: str) -> tuple[EventRow, Territory, ProtocolLayout, dict[UnitCode, int], list[EntryRow]]:
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        territory = require_territory(tx, row)
        ballot = protocol_layout(row.referendum, event_rules(row.referendum), territory)
        versions = tx.versions(row.id, Mode.LIVE)
        current = {v.precinct: v.version for v in versions}
        open_entries = [e for e in tx.entries(row.id, Mode.LIVE) if e.round > current.get(e.precinct, 0)]
    return row, territory, ballot, current, open_entries


def _precinct(territory: Territory, precinct: str) -> UnitCode:
    code = UnitCode(precinct)
    if code not in territory or territory[code].kind is not UnitKind.PRECINCT:
        raise InputError([Problem(rule="precinct", message=f"no precinct {precinct!r}", field="precinct")])
    return code


def _state(version: int, round_entries: Sequence[EntryRow]) -> str:
    if round_entries:
        return "mismatch" if round_entries[-1].decision == "mismatch" else "awaiting_second"
    return "accepted" if version else "missing"


def _contests(ballot: ProtocolLayout, precinct: UnitCode) -> tuple[ContestForm, ...]:
    out = []
    for q in ballot.contests_of(precinct):
        schema = ballot.schemas[q]
        relations = tuple((r.name, r.left, r.op, r.right) for r in schema.relations)
        out.append(ContestForm(q, schema.field_names, relations))
    return tuple(out)


def _sees_round(account: Account, round_entries: Sequence[EntryRow]) -> bool:
    if account.role is Role.OBSERVER:
        return True
    keyed = any(e.operator == account.name for e in round_entries)
    return account.role in (Role.CENTRAL, Role.DISTRICT) and not keyed


def _spread(entries: Sequence[EntryRow]) -> tuple[tuple[str, str, tuple[int | None, ...]], ...]:
    keys = sorted({(q, f) for e in entries for q, c in e.counts.items() for f in c})
    out = []
    for q, f in keys:
        values = tuple(e.counts.get(QuestionCode(q), {}).get(f) for e in entries)
        if len(set(values)) > 1:
            out.append((q, f, values))
    return tuple(out)


def entry_form(ctx: Context, account: Account, code: str, precinct: str) -> EntryForm:
    """The entry page of a precinct: never the values of an earlier entry to whoever may key one."""
    row, territory, ballot, current, open_entries = _load(ctx, code)
    p = _precinct(territory, precinct)
    if not may_see(account, territory, p, code):
        raise _refuse(ctx, account, code, "protocols.view", PaperCode.OUTSIDE_UNITS, precinct=p)
    version = current.get(p, 0)
    round_entries = [e for e in open_entries if e.precinct == p]
    keyed = any(e.operator == account.name for e in round_entries)
    visible = _sees_round(account, round_entries)
    unit = territory[p]
    return EntryForm(
        event=code,
        title=row.referendum.title,
        phase=row.phase,
        precinct=p,
        name=unit.name(),
        registered=unit.registered,
        state=_state(version, round_entries),
        version=version,
        contests=_contests(ballot, p),
        can_enter=account.is_member and may_act_on(account, territory, p, code) and not keyed,
        keyed_by_me=keyed,
        needs_totp=bool(round_entries) or version > 0,
        needs_reason=version > 0,
        entries=tuple(round_entries) if visible else (),
        differences=_spread(round_entries) if visible and len(round_entries) > 1 else (),
        scans=tuple(scans_of_precinct(ctx, code, p)),
        scan_required=ctx.settings.scans.required,
        scan_max_bytes=ctx.settings.scans.max_bytes,
    )


def entry_scan(ctx: Context, account: Account, code: str, precinct: str, version: int | None) -> tuple[ScanInfo, bytes]:
    """The scan of an accepted version for a member who may see the precinct (no embargo for the commission)."""
    _row, territory, _ballot, _current, _open = _load(ctx, code)
    p = _precinct(territory, precinct)
    if not may_see(account, territory, p, code):
        raise _refuse(ctx, account, code, "scan.view", PaperCode.OUTSIDE_UNITS, precinct=p)
    return scan_of_version(ctx, code, p, version, public=False)


def check_entry(ctx: Context, account: Account, code: str, precinct: str, raw: Mapping[str, str]) -> dict[str, Any]:
    """The control relations and plausibility of a form's values, without storing anything."""
    form = entry_form(ctx, account, code, precinct)
    try:
        counts = parse_counts(raw, form.contests)
    except InputError as exc:
        return {"ok": False, "problems": [p.message for p in exc.problems], "warnings": []}
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        ballot = protocol_layout(row.referendum, event_rules(row.referendum), require_territory(tx, row))
    protocol = Protocol(form.precinct, counts)
    try:
        warnings = validate(ballot.schemas, protocol, ballot.contests_of(form.precinct), registered=form.registered)
    except ProtocolRejected as exc:
        return {"ok": False, "problems": list(exc.violations), "warnings": []}
    return {"ok": True, "problems": [], "warnings": [w.message for w in warnings]}


def submit_entry(
    ctx: Context,
    account: Account,
    code: str,
    precinct: str,
    raw: Mapping[str, str],
    reason: str,
    totp: str,
    scan: bytes | None = None,
) -> SubmitResult:
    """One keyed entry through double entry, with the scan of the signed protocol when one is uploaded
    (required when the deployment says so); the answer never carries another entry's values. ``totp``
    ("" when none) is checked in the accepting transaction whenever the entry needs it."""
    form = entry_form(ctx, account, code, precinct)
    if not form.can_enter:
        why = PaperCode.ALREADY_KEYED if form.keyed_by_me else PaperCode.NOT_A_MEMBER_FOR_THIS_PRECINCT
        raise _refuse(ctx, account, code, "protocols.enter", why, precinct=form.precinct)
    counts = parse_counts(raw, form.contests)
    if form.needs_reason and not reason.strip():
        raise InputError([Problem(rule="reason", message="a correction needs a reason", field="reason")])
    checked = _scan(ctx, scan)
    entry = ProtocolEntry(Protocol(form.precinct, counts), Operator(account.name), reason.strip() or None)
    as_member = _as(ctx, account)
    # Whether the code is needed (an entry into a round that holds entries, or a correction) is decided
    # under the precinct's lock by the transaction that accepts, not from the form read above.
    factor = member_totp(ctx, account.name, totp, "protocols.enter", code)  # a wrong code stays counted
    outcome = enter_protocol(as_member, code, entry, mode=Mode.LIVE, factor=factor)
    kept = attach_entry_scan(as_member, code, form.precinct, checked, mode=Mode.LIVE) if checked else None
    return SubmitResult(outcome.decision, outcome.version, tuple(w.message for w in outcome.warnings), kept)


def _scan(ctx: Context, data: bytes | None) -> CheckedScan | None:
    """The uploaded scan checked (type by magic bytes, size), or None; refused when required and missing."""
    if data is None:
        if ctx.settings.scans.required:
            message = "the scan of the signed paper protocol (PDF, PNG or JPEG) is required with every entry"
            raise InputError([Problem(rule="scan_required", message=message, field="scan")])
        return None
    return check_scan(data, ctx.settings.scans, "scan")


def board(ctx: Context, account: Account, code: str, unit: str | None) -> Board:
    """Where every precinct under ``unit`` stands: missing, awaiting a second entry, mismatch, implausible."""
    row, territory, _ballot, current, open_entries = _load(ctx, code)
    with ctx.store.transaction() as tx:
        warnings = {v.precinct: v.warnings for v in tx.versions(row.id, Mode.LIVE)}
    top = UnitCode(unit) if unit else _default_unit(account, territory, code)
    if top not in territory or not may_see(account, territory, top, code):
        raise _refuse(ctx, account, code, "board.view", PaperCode.OUTSIDE_UNITS, unit=top)
    rounds: dict[UnitCode, list[EntryRow]] = {}
    for e in open_entries:
        rounds.setdefault(e.precinct, []).append(e)
    rows = []
    for p in territory.precincts(top):
        if not may_see(account, territory, p, code):
            continue
        u = territory[p]
        state = _state(current.get(p, 0), rounds.get(p, []))
        ws = tuple(w.message for w in warnings.get(p, ())) if state == "accepted" else ()
        keyed = len(rounds.get(p, []))
        rows.append(BoardRow(p, u.name(), str(u.parent or ""), state, current.get(p, 0), keyed, ws))
    totals = {s: sum(1 for r in rows if r.state == s) for s in ("missing", "awaiting_second", "mismatch", "accepted")}
    totals["implausible"] = sum(1 for r in rows if r.warnings)
    return Board(code, row.referendum.title, row.phase, top, tuple(rows), totals)


def _default_unit(account: Account, territory: Territory, code: str) -> UnitCode:
    units = account.units_in(code)
    if account.role in (Role.REGIONAL, Role.DISTRICT, Role.PRECINCT) and units:
        return UnitCode(units[0])
    return territory.root


def change_phase(ctx: Context, account: Account, code: str, target: Phase, totp: str) -> None:
    """Open or close voting, open the count, certify: central members only, with a TOTP code."""
    if account.role is not Role.CENTRAL:
        raise _refuse(ctx, account, code, "phase.change", PaperCode.CENTRAL_ONLY, to=target.value)
    factor = member_totp(ctx, account.name, totp, "phase.change", code)
    advance(_as(ctx, account), code, target, factor)  # the code is checked there


def upload_batch(ctx: Context, account: Account, code: str, data: bytes, source: str, totp: str) -> list[BatchRow]:
    """A CSV batch keyed by this account, all or nothing; refusals name their lines (an InputError)."""
    if not account.is_member:
        raise _refuse(ctx, account, code, "protocols.upload", PaperCode.NOT_A_MEMBER)
    if ctx.settings.scans.required:
        message = "scans are required: key each protocol through its entry form with the scan of the signed paper"
        raise InputError([Problem(rule="scan_required", message=message, file=source)])
    row, territory, ballot, _current, _open = _load(ctx, code)
    questions = [q.code for q in row.referendum.contests]
    parsed = parse_protocols(data, source, "csv", questions, ballot.fields, contests_of=ballot.contests_of)
    outside = [
        Problem(rule="outside_units", message=f"precinct {p.protocol.precinct} is not under your units", line=p.line)
        for p in parsed
        if not may_act_on(account, territory, p.protocol.precinct, code)
    ]
    if outside:
        _refuse(ctx, account, code, "protocols.upload", PaperCode.OUTSIDE_UNITS, lines=[p.line for p in outside])
        raise InputError(outside, summary="the batch names precincts outside your units; nothing was entered")
    factor = member_totp(ctx, account.name, totp, "protocols.upload", code)  # a batch always needs a code
    report = enter_protocols(_as(ctx, account), code, parsed, mode=Mode.LIVE, source=source, factor=factor)
    return [
        BatchRow(p.line, str(o.precinct), o.decision, tuple(w.message for w in o.warnings))
        for p, o in zip(parsed, report.outcomes, strict=True)
    ]


def audit_log(ctx: Context, account: Account, code: str | None) -> list[dict[str, Any]]:
    """The audit log of an event (or of accounts and sessions, ``code`` None): observers read it all."""
    if code is None and account.role not in (Role.OBSERVER, Role.ADMIN, Role.CENTRAL):
        raise _refuse(ctx, account, None, "audit.view", PaperCode.ACCOUNTS_LOG_IS_FOR_OBSERVERS_ADMINS_CENTRAL)
    with ctx.store.transaction() as tx:
        if code is not None:
            load_event(tx, code)
        return tx.audit_rows(code)
