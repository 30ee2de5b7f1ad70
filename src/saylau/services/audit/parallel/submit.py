"""Keeping a copy: its photo checked, its control relations checked (a copy that breaks them is kept,
marked), the account's copies of the precinct bounded and anonymous copies throttled, in the transaction
that appends it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Mapping

from saylau.count import validate
from saylau.count.layout import ProtocolLayout
from saylau.model import (
    Conflict,
    InputError,
    LifecycleError,
    NotFound,
    Phase,
    Problem,
    Protocol,
    ProtocolRejected,
    QuestionCode,
    SaylauError,
    UnitCode,
)
from saylau.services.access.accounts import Account
from saylau.services.access.throttle import Policy, ThrottleKey, TooManyAttempts, reserve, retry_seconds
from saylau.services.audit.parallel.codes import CopyCode
from saylau.services.audit.parallel.compare import Comparison, compare_rows
from saylau.services.audit.parallel.forms import layout, precinct_of
from saylau.services.audit.parallel.submitters import Anonymous, Submitter, check_label, require_observer
from saylau.services.context import Context
from saylau.services.lookup import load_event
from saylau.services.paper.scans import check_scan
from saylau.store import EventRow, Tx
from saylau.store.observer_repo import CopyRow, NewCopy, ObserverTx
from saylau.store.scans_repo import ScansTx

__all__ = ["ANON_ADDRESS", "ANON_PRECINCT", "COPY_PHASES", "MAX_COPIES", "PHOTO_TYPES", "submit_copy"]

MAX_COPIES = 5  # copies one account may submit for one precinct (a correction of one's own copy included)

PHOTO_TYPES = ("image/png", "image/jpeg")

COPY_PHASES = frozenset({Phase.COUNTING, Phase.PROVISIONAL, Phase.FINAL, Phase.CERTIFIED})

# anonymous copies: per client address over every precinct, and per address and precinct (as MAX_COPIES)
ANON_ADDRESS = Policy(free=20, base=dt.timedelta(minutes=1), cap=dt.timedelta(hours=1))

ANON_PRECINCT = Policy(free=MAX_COPIES, base=dt.timedelta(hours=1), cap=dt.timedelta(hours=12))


def _check_photo(ctx: Context, photo: bytes) -> tuple[str, str]:
    try:
        scan = check_scan(photo, ctx.settings.scans, "photo")
    except InputError as exc:  # the scans' checks, said of the photo's field
        problems = [
            dataclasses.replace(p, field="photo", message=p.message.replace("the scan", "the photo"))
            for p in exc.problems
        ]
        raise InputError(problems, summary="photo refused") from exc
    if scan.media_type not in PHOTO_TYPES:
        message = f"the photo must be a PNG or JPEG image, not {scan.media_type}"
        raise InputError([Problem("copy_photo_type", message, file="photo", field="photo")])
    return scan.media_type, scan.sha256


def _violations(
    ballot: ProtocolLayout, precinct: UnitCode, figures: Mapping[QuestionCode, Mapping[str, int]]
) -> tuple[str, ...]:
    try:
        validate(ballot.schemas, Protocol(precinct, figures), ballot.contests_of(precinct))
    except ProtocolRejected as exc:
        return exc.violations
    return ()


def _throttle(ctx: Context, code: str, precinct: UnitCode, who: Anonymous, now: dt.datetime) -> None:
    """Count the anonymous attempt in a transaction of its own (committed even if the copy is refused)."""
    keys = [
        ThrottleKey(_digest("copy-address", who.client), ANON_ADDRESS, False),
        ThrottleKey(_digest("copy-precinct", code, precinct, who.client), ANON_PRECINCT, False),
    ]
    with ctx.store.transaction(write=True) as tx:
        wait = reserve(tx, keys, now)
        if wait is not None:
            tx.audit(
                code,
                "anonymous",
                "copy.submit",
                "refused",
                {"reason": "throttled", "retry_after": retry_seconds(wait)},
                now,
            )
    if wait is not None:
        raise TooManyAttempts("copies from this address", wait)


def _digest(*parts: str) -> str:
    return hashlib.sha256(b"saylau-copy-throttle\x00" + json.dumps(list(parts)).encode("ascii")).hexdigest()


def submit_copy(
    ctx: Context,
    code: str,
    precinct: str,
    figures: Mapping[QuestionCode, Mapping[str, int]],
    photo: bytes,
    submitter: Submitter,
) -> Comparison:
    """Keep a copy (live data; from counting on) and return it compared with the official version.
    Refusals are audited; an anonymous attempt is throttled before anything is checked."""
    now = ctx.clock()
    actor = submitter.name if isinstance(submitter, Account) else "anonymous"
    try:
        if isinstance(submitter, Account):
            require_observer(submitter)
        label = check_label(submitter.label) if isinstance(submitter, Anonymous) else None
        row, territory, ballot = layout(ctx, code)
        p = precinct_of(territory, code, precinct)
        if isinstance(submitter, Anonymous):
            _throttle(ctx, code, p, submitter, now)
        media_type, sha256 = _check_photo(ctx, photo)
        violations = _violations(ballot, p, figures)
        with ctx.store.transaction(write=True) as tx:
            row = load_event(tx, code)
            _check_may_submit(tx, row, p, submitter)
            ScansTx(tx).put_blob(sha256, media_type, photo)
            plain = {q: dict(c) for q, c in figures.items()}
            account_id = submitter.id if isinstance(submitter, Account) else None
            copy_id = ObserverTx(tx).append(row.id, NewCopy(p, account_id, label, plain, violations, sha256), now)
            details = {"precinct": p, "copy": copy_id, "photo_sha256": sha256, "relations_ok": not violations}
            tx.audit(code, actor, "copy.submit", "ok", details, now)
            return compare_rows(tx, row, [_require(ObserverTx(tx).copy(row.id, copy_id))])[0]
    except SaylauError as exc:
        if not isinstance(exc, TooManyAttempts):  # a throttled attempt was logged as it was refused
            with ctx.store.transaction() as tx:
                facts = {"precinct": precinct, "code": exc.code, "error": exc.message[:2000]}
                tx.audit(code, actor, "copy.submit", "refused", facts, now)
        raise


def _require(row: CopyRow | None) -> CopyRow:
    if row is None:  # the row was appended in this very transaction
        raise NotFound("the copy just stored is gone")
    return row


def _check_may_submit(tx: Tx, row: EventRow, precinct: UnitCode, submitter: Submitter) -> None:
    """Inside the writing transaction: the phase, and the account's number of copies of the precinct."""
    if row.phase not in COPY_PHASES:
        raise LifecycleError(
            f"copies of protocols are taken once the count has begun (the event is in {row.phase})",
            code=CopyCode.COPY_PHASE,
        )
    if isinstance(submitter, Account):
        tx.lock_precincts(row.id, [precinct])
        made = ObserverTx(tx).count_by_account(row.id, precinct, submitter.id)
        if made >= MAX_COPIES:
            raise Conflict(
                f"{submitter.name} has submitted {made} copies of precinct {precinct}'s protocol: at most {MAX_COPIES}",
                code=CopyCode.COPY_LIMIT,
                details={"precinct": precinct, "limit": MAX_COPIES},
            )
