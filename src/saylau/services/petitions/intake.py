"""Creating a petition and taking its signatures (spec/petitions.md §10): create (the scope checked
against the events' territories, then the register's precincts), online signatures (verified at intake by
the core), paper sheets (a CSV per operator, double entry compared by the core, the scan stored by its
hash), withdrawals. Every check that guards a write runs inside the transaction that writes."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass

from saylau.crypto.signatures import SignatureAlgorithm
from saylau.model.errors import Conflict, InputError, NotFound, Problem
from saylau.petitions import (
    Keying,
    OnlineSignature,
    PetitionError,
    SignatureId,
    Statement,
    check_online,
    load_petition_preset,
    petition_from_preset,
    reconcile,
)
from saylau.petitions.model import MAX_FIELD
from saylau.services.access.throttle import TooManyAttempts, petition_sign_keys, reserve
from saylau.services.context import Context
from saylau.services.petitions.codes import PetitionFlowCode
from saylau.services.petitions.records import plain, rule_named
from saylau.store import Tx
from saylau.store.petition_repo import PetitionRow, PetitionTx, Taken

__all__ = [
    "MAX_LINES",
    "MAX_SCAN",
    "SHEET_COLUMNS",
    "Created",
    "Scope",
    "create_petition",
    "import_sheet",
    "load_petition",
    "resolve_scope",
    "sign_online",
    "sign_online_public",
    "withdraw",
]

SHEET_COLUMNS = ("line", "identifier", "name", "birth_date", "signed_on", "illegible")
MAX_LINES = 10_000  # lines on one sheet (spec/petitions.md §2)
MAX_SCAN = 50 * 1024 * 1024  # bytes of one sheet's scan
MAX_SHEET_FILE = 4 * 1024 * 1024  # bytes of one keying CSV


@dataclass(frozen=True, slots=True)
class Scope:
    """Where the scope's precincts come from: an event's territory (``event`` named) or the register."""

    unit: str
    precincts: tuple[str, ...]
    event: str | None


@dataclass(frozen=True, slots=True)
class Created:
    code: str
    kind: str
    preset: str
    scope: Scope


def load_petition(tx: Tx, code: str) -> PetitionRow:
    row = PetitionTx(tx).find(code)
    if row is None:
        raise NotFound(f"no petition {code!r}", code=PetitionFlowCode.PETITION_NOT_FOUND)
    return row


def resolve_scope(tx: Tx, unit: str) -> Scope:
    """The scope's precincts: under the unit in the first event (by code) whose territory holds it; else the
    unit itself when it is a precinct of the register; else refused (spec/petitions.md §10)."""
    for code in tx.event_codes():
        found = tx.find_event(code)
        territory = None if found is None else tx.territory(found.id)
        if territory is not None and unit in territory:
            return Scope(unit, tuple(str(p) for p in territory.precincts(unit)), str(code))  # type: ignore[arg-type]
    if PetitionTx(tx).register_has_precinct(unit):
        return Scope(unit, (unit,), None)
    raise NotFound(
        f"scope {unit!r} is no unit of an event's territory and no precinct of the register",
        code=PetitionFlowCode.PETITION_UNKNOWN_SCOPE,
    )


def create_petition(
    ctx: Context,
    code: str,
    preset: str,
    scope: str,
    opens: dt.date,
    closes: dt.date,
    *,
    count: int | None = None,
    rule: str | None = None,
) -> Created:
    """A petition under ``preset``'s version on the opening day (the core checks the definition); the scope
    must be known (resolve_scope), inside the writing transaction."""
    petition = petition_from_preset(
        load_petition_preset(preset),
        code=code,
        scope=scope,
        opens=opens,
        closes=closes,
        count=count,
        rule=rule_named(preset, opens, rule),
    )
    definition = {
        "preset": preset, "scope": scope, "opens": opens.isoformat(), "closes": closes.isoformat(),
        "count": count, "rule": petition.rule.kind, "rule_settings": plain(petition.rule),
        "threshold": plain(petition.threshold), "min_age": petition.min_age, "version": petition.preset,
    }  # fmt: skip
    now = ctx.clock()
    try:
        with ctx.store.transaction(write=True) as tx:
            where = resolve_scope(tx, scope)
            pt = PetitionTx(tx)
            if pt.find(code) is not None:
                raise _exists(code)
            pt.insert_petition(code, petition.kind.value, scope, petition.preset, definition, ctx.actor, now)
            details = {"petition": code, "preset": petition.preset, "scope": scope, "territory": where.event}
            tx.audit(None, ctx.actor, "petition.create", "ok", details, now)
    except Taken:
        raise _exists(code) from None
    return Created(code, petition.kind.value, petition.preset, where)


def _exists(code: str) -> Conflict:
    return Conflict(f"a petition {code!r} already exists", code=PetitionFlowCode.PETITION_EXISTS)


def sign_online(
    ctx: Context,
    code: str,
    statement: Statement,
    algorithm: SignatureAlgorithm,
    public_key: bytes,
    signature: bytes,
) -> str:
    """Take an online signature: the statement must be for this petition and its signature must verify
    (the core, spec/petitions.md §3), else nothing is kept. Its day is the day received (the clock); whether
    it counts is the matching's verdict (a late one is kept and found ``after_deadline``)."""
    online = OnlineSignature(SignatureId("online:0"), statement, algorithm, public_key, signature, dt.date.min, 0)
    now = ctx.clock()
    record = {
        "statement": plain(statement), "algorithm": algorithm, "public_key": public_key.hex(),
        "signature": signature.hex(), "received_on": now.date().isoformat(),
    }  # fmt: skip
    with ctx.store.transaction(write=True) as tx:
        row = load_petition(tx, code)
        why = check_online(online, code)
        if why is not None:
            raise Conflict(f"online signature refused: {why}", code=PetitionFlowCode.PETITION_SIGNATURE_REFUSED)
        pt = PetitionTx(tx)
        pt.lock(row.id)
        seq = pt.next_seq(row.id)
        sid = f"online:{seq}"
        pt.insert_signatures(row.id, [(sid, seq, "online", record)], now)
        tx.audit(None, ctx.actor, "petition.sign", "ok", {"petition": code, "signature": sid}, now)
    return sid


def sign_online_public(
    ctx: Context,
    code: str,
    statement: Statement,
    algorithm: SignatureAlgorithm,
    public_key: bytes,
    signature: bytes,
    client: str,
) -> str:
    """``sign_online`` from the public page, throttled per address (services.access.throttle): the attempt is
    counted in a write transaction committed before anything else is done; none is forgiven. Raises
    TooManyAttempts while the address waits."""
    keys = petition_sign_keys(client)
    with ctx.store.transaction(write=True) as tx:
        wait = reserve(tx, keys, ctx.clock())
    if wait is not None:
        raise TooManyAttempts("online signatures from this address", wait)
    return sign_online(ctx, code, statement, algorithm, public_key, signature)


def _keyings(operator: str, data: bytes, source: str, sheet: str, collector: str) -> dict[int, Keying]:
    """One operator's CSV of a sheet: every bad row named (file, line, field, rule)."""
    problems: list[Problem] = []
    if len(data) > MAX_SHEET_FILE:
        raise InputError([Problem("too_large", f"more than {MAX_SHEET_FILE} bytes", source)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem("encoding", f"not UTF-8 (byte {exc.start})", source)]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if tuple(reader.fieldnames or ()) != SHEET_COLUMNS:
        raise InputError([Problem("header", f"the header must be {','.join(SHEET_COLUMNS)}", source, 1)])
    out: dict[int, Keying] = {}
    for n, rec in enumerate(reader, start=2):
        if n - 1 > MAX_LINES:
            problems.append(Problem("too_many_lines", f"more than {MAX_LINES} lines", source, n))
            break
        if None in rec or any(v is None for v in rec.values()):
            problems.append(Problem("columns", "the row's cells do not match the header", source, n))
            continue
        before = len(problems)
        line = _int(rec["line"], source, n, problems)
        born = _date(rec["birth_date"], source, n, "birth_date", problems)
        signed = _date(rec["signed_on"], source, n, "signed_on", problems)
        if rec["illegible"] not in ("", "0", "1", "yes", "no"):
            problems.append(Problem("illegible", "illegible is empty, 0, 1, yes or no", source, n, "illegible"))
        if len(problems) > before or line is None:
            continue
        if line in out:
            problems.append(Problem("duplicate_line", f"sheet line {line} keyed twice", source, n, "line"))
            continue
        try:
            out[line] = Keying(
                operator, sheet, collector, line, rec["identifier"].strip() or None, rec["name"].strip(), born,
                signed, rec["illegible"] in ("1", "yes"),
            )  # fmt: skip
        except PetitionError as exc:
            problems.append(Problem(exc.code, exc.message, source, n))
        if len(problems) >= 100:
            break
    if problems:
        raise InputError(problems, summary=f"{source}: the keying of sheet {sheet!r} refused")
    return out


def _int(text: str, source: str, n: int, problems: list[Problem]) -> int | None:
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_LINES:
        return int(text)
    problems.append(Problem("line", f"line must be 1..{MAX_LINES}, not {text[:20]!r}", source, n, "line"))
    return None


def _date(text: str, source: str, n: int, field: str, problems: list[Problem]) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        problems.append(Problem("date", f"{field} is not a date YYYY-MM-DD: {text[:20]!r}", source, n, field))
        return None


def import_sheet(
    ctx: Context,
    code: str,
    sheet: str,
    collector: str,
    scan: bytes,
    keyings: Sequence[tuple[str, bytes, str]],
) -> list[str]:
    """One paper sheet: its scan (stored once by SHA-256), and two operators' keyings ``(operator, csv bytes,
    file name)``; every line must be keyed by both and agree (saylau.petitions.reconcile), else nothing is
    written and every differing line is named. Returns the agreed signatures' ids."""
    if len(keyings) != 2:
        raise InputError([Problem("double_entry", "a sheet is keyed by exactly two operators", None)])
    if not 0 < len(scan) <= MAX_SCAN:
        raise InputError([Problem("scan", f"a sheet's scan is 1..{MAX_SCAN} bytes", None)])
    if not (0 < len(sheet) <= MAX_FIELD and sheet.isprintable() and ":" not in sheet):
        raise InputError([Problem("sheet", f"a sheet id is 1..{MAX_FIELD} printable characters, no ':'", None)])
    (op1, data1, src1), (op2, data2, src2) = keyings
    first, second = _keyings(op1, data1, src1, sheet, collector), _keyings(op2, data2, src2, sheet, collector)
    problems = [
        Problem("petition_keying_mismatch", f"sheet line {line} keyed by only one operator", src1 if line in first
                else src2, None, "line")
        for line in sorted(set(first) ^ set(second))
    ]  # fmt: skip
    agreed = []
    for line in sorted(set(first) & set(second)):
        try:
            agreed.append(reconcile(first[line], second[line], seq=0))
        except PetitionError as exc:
            fields = exc.details.get("fields")
            field = ",".join(fields) if isinstance(fields, list) else None
            problems.append(Problem(exc.code, exc.message, f"{src1} / {src2}", None, field))
    if problems:
        raise InputError(problems, summary=f"sheet {sheet!r}: the double entry does not agree; nothing written")
    digest = hashlib.sha256(scan).hexdigest()
    now = ctx.clock()
    try:
        with ctx.store.transaction(write=True) as tx:
            row = load_petition(tx, code)
            pt = PetitionTx(tx)
            pt.lock(row.id)
            pt.put_scan(digest, scan)
            sheet_id = pt.insert_sheet(row.id, sheet, collector, digest, ctx.actor, now)
            pt.insert_keyings(
                sheet_id,
                [(k.line, k.operator, plain(k)) for k in (*first.values(), *second.values())],
            )
            seq = pt.next_seq(row.id)
            rows = []
            for i, s in enumerate(agreed):
                rec = plain(s)
                for drop in ("id", "seq", "channel"):
                    rec.pop(drop)
                rows.append((str(s.id), seq + i, "paper", rec))
            pt.insert_signatures(row.id, rows, now)
            details = {"petition": code, "sheet": sheet, "lines": len(rows), "scan": digest, "operators": [op1, op2]}
            tx.audit(None, ctx.actor, "petition.import_sheet", "ok", details, now)
    except Taken:
        raise Conflict(
            f"sheet {sheet!r} of petition {code!r} was already imported", code=PetitionFlowCode.PETITION_SHEET_EXISTS
        ) from None
    return [r[0] for r in rows]


def withdraw(ctx: Context, code: str, signature: str, on: dt.date | None = None) -> dt.date:
    """A signer's withdrawal of one signature, dated ``on`` (default: today); whether it is in time is the
    matching's (spec/petitions.md §4 step 4). A second withdrawal is refused inside the writing transaction."""
    now = ctx.clock()
    day = on or now.date()
    try:
        with ctx.store.transaction(write=True) as tx:
            row = load_petition(tx, code)
            pt = PetitionTx(tx)
            if pt.signature(row.id, signature) is None:
                raise NotFound(
                    f"petition {code!r} has no signature {signature[:300]!r}",
                    code=PetitionFlowCode.PETITION_SIGNATURE_NOT_FOUND,
                )
            if any(s == signature for s, _ in pt.withdrawals(row.id)):
                raise _withdrawn(signature)
            pt.insert_withdrawal(row.id, signature, day, ctx.actor, now)
            tx.audit(None, ctx.actor, "petition.withdraw", "ok", {"petition": code, "signature": signature}, now)
    except Taken:
        raise _withdrawn(signature) from None
    return day


def _withdrawn(signature: str) -> Conflict:
    return Conflict(f"signature {signature!r} is already withdrawn", code=PetitionFlowCode.PETITION_ALREADY_WITHDRAWN)
