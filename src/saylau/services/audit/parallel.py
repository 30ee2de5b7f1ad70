"""Use cases: the observers' parallel check. A copy of a precinct's protocol (its figures and a photo) is
submitted by an observer (an account of role ``observer``) or by any citizen (anonymous, under a label that
holds no contact), kept append-only, and compared with the precinct's current accepted official version.

A copy never changes the count: it is evidence. The figures are parsed with the event's protocol layout
(the same form fields or protocol file as the commission's entry), the control relations are checked and
the ones broken are kept with the copy (a copy that breaks them is kept, marked). Every field where a copy
differs from the official version is listed, or "no official entry yet"; the precincts where a copy differs
are the audit's targeted batches (``targeted_precincts``), audited besides the random draw, as Colorado
targets contests besides the state-wide random selection (colorado-rla ``AuditReason``: "concern regarding
accuracy"; spec/formats.md §16).

Bounds: the photo (PNG or JPEG, at most the scans' ``max_bytes`` setting), at most ``MAX_COPIES`` copies per
account per precinct, anonymous copies throttled per client address (and per address and precinct), a
label of at most 64 characters, every count a whole number below ``MAX_COUNT``, pages of ``MAX_LISTED``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from saylau.count import validate
from saylau.count.layout import ProtocolLayout, event_rules, protocol_layout
from saylau.io import parse_protocols
from saylau.io.entry_form import parse_counts
from saylau.model import (
    Conflict,
    InputError,
    LifecycleError,
    Mode,
    NotFound,
    Phase,
    Problem,
    Protocol,
    ProtocolRejected,
    QuestionCode,
    SaylauError,
    Territory,
    Unit,
    UnitCode,
    UnitKind,
)
from saylau.services.access.accounts import AccessDenied, Account, Role, list_accounts
from saylau.services.access.throttle import Policy, ThrottleKey, TooManyAttempts, reserve, retry_seconds
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.services.paper.embargo import require_public
from saylau.services.paper.scans import check_scan
from saylau.store import EventRow, Tx
from saylau.store.observer_repo import CopyRow, NewCopy, ObserverTx
from saylau.store.observer_schema import LABEL_MAX
from saylau.store.scans_repo import ScansTx

__all__ = [
    "ANON_ADDRESS",
    "ANON_PRECINCT",
    "COPY_PHASES",
    "MAX_COPIES",
    "MAX_LISTED",
    "PHOTO_TYPES",
    "Anonymous",
    "Comparison",
    "CopyCode",
    "CopyForm",
    "CopyList",
    "FieldDifference",
    "Submitter",
    "compare",
    "comparison_json",
    "copy_form",
    "copy_photo",
    "list_copies",
    "observer_account",
    "parse_copy_file",
    "parse_copy_form",
    "require_observer",
    "submit_copy",
    "targeted_in",
    "targeted_precincts",
]

MAX_COPIES = 5  # copies one account may submit for one precinct (a correction of one's own copy included)
MAX_LISTED = 500  # copies a unit's page or list shows at most (the newest); the count of all is given
PHOTO_TYPES = ("image/png", "image/jpeg")
COPY_PHASES = frozenset({Phase.COUNTING, Phase.PROVISIONAL, Phase.FINAL, Phase.CERTIFIED})
# anonymous copies: per client address over every precinct, and per address and precinct (as MAX_COPIES)
ANON_ADDRESS = Policy(free=20, base=dt.timedelta(minutes=1), cap=dt.timedelta(hours=1))
ANON_PRECINCT = Policy(free=MAX_COPIES, base=dt.timedelta(hours=1), cap=dt.timedelta(hours=12))


class CopyCode(StrEnum):
    """The codes of the parallel check (spec/formats.md §15)."""

    COPY_LIMIT = "copy_limit"  # the observer has submitted MAX_COPIES copies of the precinct
    COPY_PHASE = "copy_phase"  # a copy before the count began
    NOT_OBSERVER = "not_observer"  # an account other than an active observer submits a copy


@dataclass(frozen=True, slots=True)
class Anonymous:
    """A citizen without an account: a label of their own (no contact) and the client address (throttle)."""

    label: str
    client: str


Submitter = Account | Anonymous


@dataclass(frozen=True, slots=True)
class FieldDifference:
    contest: QuestionCode
    field: str
    official: int | None  # None: the official protocol has no such field (the copy has one too many)
    copy: int | None  # None: the copy lacks the field


@dataclass(frozen=True, slots=True)
class Comparison:
    """One copy against its precinct's current accepted version."""

    copy: CopyRow
    status: Literal["equal", "different", "no_official"]
    official_version: int | None
    differences: tuple[FieldDifference, ...]


def compare(
    official: Mapping[QuestionCode, Mapping[str, int]],
    copy: Mapping[QuestionCode, Mapping[str, int]],
    order: Mapping[QuestionCode, Sequence[str]] | None = None,
) -> tuple[FieldDifference, ...]:
    """Every (contest, field) whose figure differs between the two: in ``order`` (the protocol layout's
    contests and fields) where it names them, the others after, alphabetically."""
    layout = order or {}
    contests = [*layout, *sorted(set(official) | set(copy))]
    out: list[FieldDifference] = []
    for contest in dict.fromkeys(contests):
        mine, theirs = official.get(contest, {}), copy.get(contest, {})
        names = [*layout.get(contest, ()), *sorted(set(mine) | set(theirs))]
        for name in dict.fromkeys(names):
            if mine.get(name) != theirs.get(name):
                out.append(FieldDifference(contest, name, mine.get(name), theirs.get(name)))
    return tuple(out)


def _layout(ctx: Context, code: str) -> tuple[EventRow, Territory, ProtocolLayout]:
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        territory = require_territory(tx, row)
    return row, territory, protocol_layout(row.referendum, event_rules(row.referendum), territory)


def _precinct(territory: Territory, code: str, precinct: str) -> UnitCode:
    p = UnitCode(precinct)
    if p not in territory or territory[p].kind is not UnitKind.PRECINCT:
        raise NotFound(f"no precinct {precinct!r} in event {code!r}", details={"event": code, "precinct": precinct})
    return p


@dataclass(frozen=True, slots=True)
class _FormContest:
    code: QuestionCode
    fields: tuple[str, ...]


def parse_copy_form(
    ctx: Context, code: str, precinct: str, raw: Mapping[str, str]
) -> dict[QuestionCode, dict[str, int]]:
    """Form fields ``<contest>.<field>`` of a copy as whole numbers (every bad field named)."""
    return parse_counts(raw, [_FormContest(q, f) for q, f in copy_form(ctx, code, precinct).contests])


def parse_copy_file(
    ctx: Context, code: str, precinct: str, data: bytes, source: str, fmt: Literal["csv", "json"]
) -> dict[QuestionCode, dict[str, int]]:
    """A copy as a protocol file (spec/formats.md §3) holding exactly the one precinct."""
    row, territory, ballot = _layout(ctx, code)
    p = _precinct(territory, code, precinct)
    questions = [q.code for q in row.referendum.contests]
    parsed = parse_protocols(data, source, fmt, questions, ballot.fields, contests_of=ballot.contests_of)
    if [x.protocol.precinct for x in parsed] != [p]:
        found = ", ".join(sorted(x.protocol.precinct for x in parsed)) or "none"
        message = f"a copy holds the protocol of precinct {p} only (the file has: {found})"
        raise InputError([Problem("copy_precinct", message, file=source, field="precinct")])
    return {q: dict(c) for q, c in parsed[0].protocol.counts.items()}


def _check_label(label: str) -> str:
    """A label of 1..64 printable characters that is no contact (no e-mail address, no phone number)."""
    text = unicodedata.normalize("NFC", label.strip())
    digits = sum(ch.isdigit() for ch in text)
    if not text or len(text) > LABEL_MAX or not all(ch.isprintable() for ch in text):
        message = f"a label of 1 to {LABEL_MAX} printable characters is required"
    elif "@" in text or digits >= 7:
        message = "the label must not be a contact (no e-mail address, no phone number): it is published"
    else:
        return text
    raise InputError([Problem("copy_label", message, field="label")])


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
        label = _check_label(submitter.label) if isinstance(submitter, Anonymous) else None
        row, territory, ballot = _layout(ctx, code)
        p = _precinct(territory, code, precinct)
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
            return _compare_rows(tx, row, [_require(ObserverTx(tx).copy(row.id, copy_id))])[0]
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


def _compare_rows(tx: Tx, row: EventRow, rows: Sequence[CopyRow]) -> list[Comparison]:
    if not rows:
        return []
    ballot = protocol_layout(row.referendum, event_rules(row.referendum), require_territory(tx, row))
    precincts = sorted({r.precinct for r in rows})
    current = {v.precinct: v for v in tx.versions(row.id, Mode.LIVE, precincts)}
    out = []
    for r in rows:
        official = current.get(r.precinct)
        if official is None:
            out.append(Comparison(r, "no_official", None, ()))
            continue
        diffs = compare(official.counts, r.figures, ballot.fields)
        out.append(Comparison(r, "different" if diffs else "equal", official.version, diffs))
    return out


@dataclass(frozen=True, slots=True)
class CopyList:
    """The copies of a unit's precincts compared: the newest MAX_LISTED, and the number of all."""

    unit: UnitCode
    territory: Territory
    copies: list[Comparison]
    total: int


def list_copies(ctx: Context, code: str, unit: str | None = None, *, public: bool = True) -> CopyList:
    """The copies of the precincts under ``unit`` (default: the whole territory), each compared with its
    precinct's current version. For the public (``public``), not before the embargo ends, like the
    official figures they are compared with."""
    if public:
        require_public(ctx, code)
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        territory = require_territory(tx, row)
        if unit is not None and unit not in territory:
            raise NotFound(f"no unit {unit!r} in event {code!r}", details={"event": code, "unit": unit})
        top = UnitCode(unit) if unit is not None else territory.root
        under = list(territory.precincts(top)) if territory[top].kind is not UnitKind.PRECINCT else [top]
        rows, total = ObserverTx(tx).newest(row.id, None if unit is None else under, MAX_LISTED)
        return CopyList(top, territory, _compare_rows(tx, row, rows), total)


@dataclass(frozen=True, slots=True)
class CopyForm:
    """What the form of a copy of one precinct's protocol shows."""

    precinct: Unit
    contests: list[tuple[QuestionCode, tuple[str, ...]]]


def copy_form(ctx: Context, code: str, precinct: str, account: Account | None = None) -> CopyForm:
    """The precinct and the contests and fields of its protocol; with ``account``, only an observer's."""
    if account is not None:
        require_observer(account)
    _, territory, ballot = _layout(ctx, code)
    p = _precinct(territory, code, precinct)
    return CopyForm(territory[p], [(q, ballot.fields[q]) for q in ballot.contests_of(p)])


def require_observer(account: Account) -> None:
    if account.role is not Role.OBSERVER or not account.active:
        raise AccessDenied(
            f"account {account.name!r} is not an active observer: only observers submit copies of protocols",
            details={"reason": CopyCode.NOT_OBSERVER},
        )


def targeted_precincts(ctx: Context, event: str) -> list[UnitCode]:
    """The precincts where at least one copy differs from the current official version: the audit's
    targeted batches (audited in addition to the random draw), sorted."""
    with ctx.store.transaction() as tx:
        return targeted_in(tx, load_event(tx, event))


def targeted_in(tx: Tx, row: EventRow) -> list[UnitCode]:
    """``targeted_precincts`` inside a transaction (the audit's draw decides under its lock)."""
    compared = _compare_rows(tx, row, list(ObserverTx(tx).copies(row.id)))
    return sorted({c.copy.precinct for c in compared if c.status == "different"})


def copy_photo(ctx: Context, code: str, copy_id: int) -> tuple[CopyRow, bytes]:
    """A copy's photo with its bytes (public after the embargo, like the copies' page)."""
    require_public(ctx, code)
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        found = ObserverTx(tx).copy(row.id, copy_id)
        if found is None:
            raise NotFound(f"no copy {copy_id} in event {code!r}", details={"event": code, "copy": copy_id})
        return found, ScansTx(tx).content(found.photo_sha256)


def observer_account(ctx: Context, name: str) -> Account:
    """The observer account named ``name`` (the command line submits on its behalf)."""
    found = next((a for a in list_accounts(ctx) if a.name == name), None)
    if found is None:
        raise NotFound(f"no account {name!r}", details={"account": name})
    require_observer(found)
    return found


def comparison_json(c: Comparison) -> dict[str, object]:
    """A copy compared, as JSON (spec/formats.md §16): the copy's facts, its status and each difference."""
    r = c.copy
    return {
        "id": r.id,
        "precinct": r.precinct,
        "submitter": r.submitter,
        "anonymous": r.anonymous,
        "submitted_at": r.submitted_at.isoformat(),
        "figures": {q: dict(v) for q, v in r.figures.items()},
        "figures_sha256": r.figures_sha256,
        "relations_ok": not r.violations,
        "violations": list(r.violations),
        "photo": {"sha256": r.photo_sha256, "media_type": r.photo_media_type, "size": r.photo_size},
        "status": c.status,
        "official_version": c.official_version,
        "differences": [
            {"contest": d.contest, "field": d.field, "official": d.official, "copy": d.copy} for d in c.differences
        ],
    }
