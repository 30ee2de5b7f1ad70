"""Use cases: the scan of a signed paper protocol, kept with the entry and version it belongs to.

A scan is a PDF, PNG or JPEG recognised by its first bytes (never by its name), at most
``ScanPolicy.max_bytes`` (default 20 MiB). Its SHA-256 is computed over its exact bytes and the bytes are
stored in the database (``scan_blob``, content-addressed); each attachment to a precinct's protocol
version is an append-only row (``protocol_scan``). The newest scan of a version is that version's scan,
so a correction (a new version) has its own and the earlier versions keep theirs (spec/formats.md §10).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from saylau.model import InputError, LifecycleError, Mode, NotFound, Problem, Territory, UnitCode, UnitKind
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.services.paper.codes import PaperCode
from saylau.services.paper.embargo import require_public
from saylau.services.settings import DEFAULT_SCAN_MAX_BYTES, ScanPolicy
from saylau.store import Tx
from saylau.store.scans_repo import ScanRow, ScansTx

__all__ = [
    "DEFAULT_SCAN_MAX_BYTES",
    "SCAN_TYPES",
    "CheckedScan",
    "ScanInfo",
    "ScanPolicy",
    "attach_entry_scan",
    "attach_scan",
    "check_scan",
    "current_scans",
    "published_scans",
    "scan_links",
    "scan_of_version",
    "scans_of_precinct",
    "scans_unchanged",
    "sniff",
]

# media type -> (the magic bytes it starts with, the file extension it is published under)
SCAN_TYPES: Mapping[str, tuple[bytes, str]] = {
    "application/pdf": (b"%PDF-", "pdf"),
    "image/png": (b"\x89PNG\r\n\x1a\n", "png"),
    "image/jpeg": (b"\xff\xd8\xff", "jpg"),
}


@dataclass(frozen=True, slots=True)
class CheckedScan:
    media_type: str
    sha256: str
    content: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class ScanInfo:
    """A published scan: which precinct and protocol version, its hash, type and size."""

    precinct: UnitCode
    version: int
    sha256: str
    media_type: str
    size: int
    attached_at: dt.datetime

    @property
    def extension(self) -> str:
        return SCAN_TYPES[self.media_type][1]


def sniff(data: bytes) -> str | None:
    """The media type of ``data`` from its magic bytes, or None when it is no PDF, PNG or JPEG."""
    return next((media for media, (magic, _) in SCAN_TYPES.items() if data.startswith(magic)), None)


def check_scan(data: bytes, policy: ScanPolicy, source: str = "scan") -> CheckedScan:
    """The scan as stored, or an InputError naming why it is refused (empty, too large, wrong type)."""
    problems = []
    if not data:
        problems.append(Problem("scan_empty", "the scan is empty", file=source, field="scan"))
    elif len(data) > policy.max_bytes:
        message = f"the scan has {len(data):,} bytes; at most {policy.max_bytes:,} are accepted"
        problems.append(Problem("scan_too_large", message, file=source, field="scan"))
    media = sniff(data) if data else None
    if data and media is None:
        message = f"the scan is not a PDF, PNG or JPEG (it starts with bytes {data[:8].hex(' ')})"
        problems.append(Problem("scan_type", message, file=source, field="scan"))
    if problems or media is None:
        raise InputError(problems, summary=f"scan {source!r} refused")
    return CheckedScan(media, hashlib.sha256(data).hexdigest(), data)


def _info(row: ScanRow) -> ScanInfo:
    return ScanInfo(row.precinct, row.round, row.sha256, row.media_type, row.size, row.attached_at)


def _version_scans(
    tx: Tx, event_id: int, mode: Mode, precinct: UnitCode | None = None
) -> dict[tuple[UnitCode, int], ScanRow]:
    """The scan of every accepted version: the newest attachment of its round."""
    accepted = {(v.precinct, v.version) for v in tx.versions(event_id, mode, None if precinct is None else [precinct])}
    newest: dict[tuple[UnitCode, int], ScanRow] = {}
    for row in ScansTx(tx).scans(event_id, mode, precinct):
        if (row.precinct, row.round) in accepted:
            newest[(row.precinct, row.round)] = row
    return newest


def current_scans(ctx: Context, code: str, *, mode: Mode = Mode.LIVE) -> dict[UnitCode, ScanInfo]:
    """The scan of every precinct's current (latest accepted) version, where it has one."""
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        current = {v.precinct: v.version for v in tx.versions(row.id, mode)}
        scans = _version_scans(tx, row.id, mode)
    return {p: _info(scans[(p, v)]) for p, v in current.items() if (p, v) in scans}


def scans_of_precinct(ctx: Context, code: str, precinct: str, *, mode: Mode = Mode.LIVE) -> list[ScanInfo]:
    """The scan of each accepted version of one precinct, oldest version first."""
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        p = _precinct(require_territory(tx, row), code, precinct)
        scans = _version_scans(tx, row.id, mode, p)
    return [_info(scans[k]) for k in sorted(scans, key=lambda k: k[1])]


def scan_links(ctx: Context, code: str, unit: str) -> list[ScanInfo]:
    """The scans of a unit's accepted versions when it is a precinct (for its public page); else none."""
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        territory = require_territory(tx, row)
        if unit not in territory or territory[UnitCode(unit)].kind is not UnitKind.PRECINCT:
            return []
        scans = _version_scans(tx, row.id, Mode.LIVE, UnitCode(unit))
    return [_info(scans[k]) for k in sorted(scans, key=lambda k: k[1])]


def _precinct(territory: Territory, code: str, precinct: str) -> UnitCode:
    p = UnitCode(precinct)
    if p not in territory or territory[p].kind is not UnitKind.PRECINCT:
        raise NotFound(f"no precinct {precinct!r} in event {code!r}", details={"event": code, "precinct": precinct})
    return p


def scan_of_version(
    ctx: Context, code: str, precinct: str, version: int | None, *, public: bool = True
) -> tuple[ScanInfo, bytes]:
    """The scan of a precinct's accepted ``version`` (None: the current one) with its bytes. Live data
    only; for the public (``public``), not before the embargo ends, like the other public routes."""
    if public:
        require_public(ctx, code)
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        p = _precinct(require_territory(tx, row), code, precinct)
        versions = [v.version for v in tx.versions(row.id, Mode.LIVE, [p])]
        wanted = version if version is not None else (versions[-1] if versions else None)
        scan = _version_scans(tx, row.id, Mode.LIVE, p).get((p, wanted)) if wanted is not None else None
        if scan is None:
            which = "no accepted protocol" if wanted is None else f"no scan of protocol version {wanted}"
            raise NotFound(
                f"precinct {precinct!r} of event {code!r} has {which}",
                code=PaperCode.NO_SCAN,
                details={"event": code, "precinct": precinct, "version": wanted},
            )
        return _info(scan), ScansTx(tx).content(scan.sha256)


def attach_entry_scan(ctx: Context, code: str, precinct: UnitCode, scan: CheckedScan, *, mode: Mode) -> ScanInfo:
    """Link ``scan`` to the entry ``ctx.actor`` has just keyed for ``precinct`` (and so to the version that
    entry works towards); audited."""
    now = ctx.clock()
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        mine = [e for e in tx.entries(row.id, mode, [precinct]) if e.operator == ctx.actor]
        if not mine:
            raise NotFound(f"{ctx.actor} has keyed no entry for precinct {precinct}", code=PaperCode.NO_ENTRY)
        entry = mine[-1]
        repo = ScansTx(tx)
        repo.put_blob(scan.sha256, scan.media_type, scan.content)
        repo.attach(row.id, mode, precinct, entry.round, scan.sha256, entry.id, ctx.actor, now)
        details = {"precinct": precinct, "round": entry.round, "sha256": scan.sha256, "media_type": scan.media_type}
        tx.audit(code, ctx.actor, "scan.attach", "ok", {**details, "size": len(scan.content)}, now)
    return ScanInfo(precinct, entry.round, scan.sha256, scan.media_type, len(scan.content), now)


def attach_scan(
    ctx: Context, code: str, precinct: str, data: bytes, source: str, policy: ScanPolicy, *, mode: Mode = Mode.LIVE
) -> ScanInfo:
    """Attach a scan to the precinct's current accepted version (``saylau protocols scan``); audited,
    refusals too. A scan attached later replaces the version's earlier one, which is kept."""
    now = ctx.clock()
    try:
        scan = check_scan(data, policy, source)
        with ctx.store.transaction(write=True) as tx:
            row = load_event(tx, code)
            p = _precinct(require_territory(tx, row), code, precinct)
            versions = tx.versions(row.id, mode, [p])
            if not versions:
                raise LifecycleError(
                    f"precinct {precinct} of {code!r} has no accepted protocol yet: a scan is attached to an "
                    "accepted version (or uploaded with an entry)",
                    code=PaperCode.NO_ACCEPTED_PROTOCOL,
                )
            version = versions[-1].version
            repo = ScansTx(tx)
            earlier = _version_scans(tx, row.id, mode, p).get((p, version))
            repo.put_blob(scan.sha256, scan.media_type, scan.content)
            repo.attach(row.id, mode, p, version, scan.sha256, None, ctx.actor, now)
            details = {
                "precinct": p,
                "version": version,
                "sha256": scan.sha256,
                "media_type": scan.media_type,
                "size": len(data),
                "replaces": earlier.sha256 if earlier is not None else None,
            }
            tx.audit(code, ctx.actor, "scan.attach", "ok", details, now)
    except (InputError, LifecycleError, NotFound) as exc:
        with ctx.store.transaction() as tx:
            facts = {"precinct": precinct, "source": source, "code": exc.code, "error": exc.message[:2000]}
            tx.audit(code, ctx.actor, "scan.attach", "refused", facts, now)
        raise
    return ScanInfo(p, version, scan.sha256, scan.media_type, len(data), now)


def published_scans(tx: Tx, event_id: int) -> list[tuple[ScanInfo, bytes]]:
    """Every accepted live version's scan with its bytes, by precinct and version (for a static release)."""
    scans = _version_scans(tx, event_id, Mode.LIVE)
    repo = ScansTx(tx)
    return [(_info(scans[k]), repo.content(scans[k].sha256)) for k in sorted(scans)]


def scans_unchanged(manifest: str, files: Mapping[str, bytes]) -> bool:
    """Whether the release whose manifest text is ``manifest`` holds exactly the scan files ``files``."""
    listed: dict[str, str] = json.loads(manifest)["files"]
    before = {path: digest for path, digest in listed.items() if path.startswith("scans/")}
    return before == {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}
