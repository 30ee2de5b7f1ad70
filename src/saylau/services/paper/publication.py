"""Use case: publish a numbered, hash-chained release of an event's results as a static site.

The view is computed, the release kind follows the status (provisional | final | certified), the release
is numbered after the last one and chained to its hash, appended to ``publication`` and only then written
to the folder: files into a temporary sibling folder, then renamed into place (spec/formats.md §9).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saylau.model import Conflict, Lang, Mode, Phase, ResultsView, SaylauError
from saylau.model.geo import GeoMap
from saylau.model.strict import JsonRefused, strict_json
from saylau.publish.pdf_protocol import protocol_pdf
from saylau.publish.site.audit import render_static_audit
from saylau.publish.site.forensics import render_static_forensics
from saylau.publish.site.render import render_static_results, render_static_turnout, static_file
from saylau.publish.site.turnout import turnout_units
from saylau.publish.static_site import (
    AUDIT_FILE,
    AUDIT_MANIFEST_FILE,
    RELEASE_FILE,
    AuditRelease,
    ReleaseHeader,
    ReleaseKind,
    audit_data,
    audit_pages,
    audit_path,
    forensics_files,
    forensics_path,
    release_document,
    release_hash,
    release_manifest,
    results_digest,
    scan_files,
    site_files,
    turnout_files,
    turnout_path,
    unit_url,
)
from saylau.record.encoding import canon
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.services.paper.embargo import check_public
from saylau.services.paper.forensics import forensics_of_view, is_shipped_demo
from saylau.services.paper.results import build_view
from saylau.services.paper.scans import published_scans, scans_unchanged
from saylau.services.paper.turnout import TurnoutFigure, turnout_json
from saylau.store.publication_repo import PublicationRow, PublicationTx
from saylau.store.turnout_schema import TurnoutTx

__all__ = ["PROTOCOL_FILE", "Release", "publish_release"]

PROTOCOL_FILE = "protocol.pdf"
# Files of a release made from inputs other than the results: a change in them alone makes a new release
INPUT_FILES = ("turnout.json", "map.json", AUDIT_FILE, AUDIT_MANIFEST_FILE)
_NOT_YET = (Phase.SETUP, Phase.VOTING)


@dataclass(frozen=True, slots=True)
class Release:
    event: str
    number: int
    kind: ReleaseKind
    hash: str
    previous: str
    created: bool  # False: the results had not changed, the last release was written again as it was
    files: int
    out_dir: Path


def publish_release(
    ctx: Context,
    code: str,
    out_dir: Path,
    *,
    demo: bool = False,
    mode: Mode = Mode.LIVE,
    geo: GeoMap | None = None,
    audit: AuditRelease | None = None,
) -> Release:
    """Publish the event's results into ``out_dir`` as the next release, or re-write the last release byte
    for byte when neither the results, the status, the turnout reports, the map nor the audit changed
    since it. ``geo``: the GeoJSON of the region map (``publish --geojson``), else the tile cartogram.
    ``audit``: the event's risk-limiting audit (``services.audit.release.published_audit``), whose page,
    JSON and manifest the release then holds, linked from the results pages."""
    if mode is Mode.TEST:
        raise SaylauError("test data is never published", code="test_not_publishable")
    _check_target(out_dir, code)
    now = ctx.clock().replace(microsecond=0)
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        if row.phase in _NOT_YET:
            raise SaylauError(
                f"event {code!r} is in phase {row.phase}: results are published from counting on",
                code="nothing_to_publish",
                details={"event": code, "phase": str(row.phase)},
            )
        check_public(tx, row, now)  # no release before the last polls close
        view = build_view(tx, row, require_territory(tx, row), mode, now)
        chain = PublicationTx(tx).releases(row.id)
        event_id = row.id
        reports = [TurnoutFigure(r.unit, r.at, r.registered, r.voted) for r in TurnoutTx(tx).turnout(row.id)]
        scans = scan_files([(s.precinct, s.version, s.extension, data) for s, data in published_scans(tx, row.id)])
        synthetic = is_shipped_demo(row)  # a shipped demo data set: its forensics say it is synthetic
    digest = results_digest(view)
    inputs = _inputs(reports, geo) | (audit_data(audit) if audit is not None else {})
    last = chain[-1] if chain else None
    same = last is not None and last.kind == view.status and last.results_sha256 == digest
    if last is not None and same and _same_inputs(last, inputs) and scans_unchanged(last.manifest, scans):
        header, created = _header_of(last), False
    else:
        header, created = ReleaseHeader(code, len(chain) + 1, view.status, last.hash if last else "", now), True
    view = dataclasses.replace(view, generated_at=header.published_at)
    extras = _Extras(reports, geo, inputs | scans, synthetic, audit)
    files, manifest, digest_hash = _build(view, header, digest, demo, extras)
    if created:
        _append(ctx, event_id, header, manifest, digest_hash, digest, len(chain))
    elif last is not None and digest_hash != last.hash:
        raise SaylauError(
            f"release {last.number} of {code!r} could not be reproduced (hash {digest_hash}, recorded {last.hash})",
            code="release_not_reproducible",
        )
    _write_atomically(out_dir, files)
    return Release(code, header.number, header.kind, digest_hash, header.previous, created, len(files), out_dir)


def _header_of(row: PublicationRow) -> ReleaseHeader:
    manifest: dict[str, Any] = json.loads(row.manifest)
    published_at = dt.datetime.fromisoformat(manifest["published_at"])
    kind: ReleaseKind = "certified" if row.kind == "certified" else "final" if row.kind == "final" else "provisional"
    return ReleaseHeader(manifest["event"], row.number, kind, row.previous, published_at)


@dataclass(frozen=True, slots=True)
class _Extras:
    """What a release shows besides the results: the turnout reports and the user's map."""

    reports: Sequence[TurnoutFigure]
    geo: GeoMap | None
    inputs: Mapping[str, bytes]  # INPUT_FILES present in this release
    synthetic: bool = False  # the event is a shipped demo data set (services.paper.forensics)
    audit: AuditRelease | None = None  # the event's audit, when one is planned


def _inputs(reports: Sequence[TurnoutFigure], geo: GeoMap | None) -> dict[str, bytes]:
    out = {}
    if reports:
        out["turnout.json"] = (
            json.dumps([turnout_json(f) for f in reports], ensure_ascii=False, indent=2) + "\n"
        ).encode()
    if geo is not None:
        about = {"geojson_sha256": geo.sha256, "code_property": geo.code_property, "units": sorted(geo.polygons)}
        out["map.json"] = (json.dumps(about, ensure_ascii=False, indent=2) + "\n").encode()
    return out


def _same_inputs(last: PublicationRow, inputs: Mapping[str, bytes]) -> bool:
    recorded = json.loads(last.manifest)["files"]
    before = {p: recorded[p] for p in INPUT_FILES if p in recorded}
    return before == {p: hashlib.sha256(data).hexdigest() for p, data in inputs.items()}


def _build(
    view: ResultsView, header: ReleaseHeader, results: str, demo: bool, extras: _Extras
) -> tuple[dict[str, bytes], dict[str, Any], str]:
    territory = view.territory
    units = turnout_units(territory, extras.reports) if extras.reports else []
    pages = set(units)

    def turnout_link(lang: Lang, unit: str) -> str | None:
        return "/" + turnout_path(lang, unit) if unit in pages else None

    def forensics_link(lang: Lang) -> str:
        return "/" + forensics_path(lang)

    def audit_link(lang: Lang) -> str | None:
        return "/" + audit_path(lang) if extras.audit is not None else None

    def page(v: ResultsView, unit: str, lang: Lang, unit_url: Callable[[Lang, str], str]) -> str:
        return render_static_results(
            v,
            unit,
            lang,
            unit_url=unit_url,
            demo=demo,
            geo=extras.geo,
            turnout_link=turnout_link,
            forensics_link=forensics_link,
            audit_link=audit_link,
        )

    def turnout_page(unit: str, lang: Lang) -> str:
        return render_static_turnout(
            view.event, territory, extras.reports, unit, lang, unit_url=unit_url, turnout_link=turnout_link, demo=demo
        )

    files = site_files(view, page, {"site.css": static_file("site.css")})
    files |= turnout_files(units, turnout_page, extras.inputs)
    forensics = forensics_of_view(view, extras.synthetic)  # seeded from the results: reproduced byte for byte

    def forensics_page(lang: Lang) -> str:
        return render_static_forensics(
            forensics.document,
            lang,
            names=forensics.names(lang),
            unit_url=unit_url,
            page_url=forensics_link,
            results_url=unit_url(lang, territory.root),
            demo=demo,
        )

    files |= forensics_files(forensics.document, forensics_page)
    files |= _audit_pages(extras.audit, lambda lang: unit_url(lang, territory.root), demo)
    manifest = release_manifest(header, results, files)
    digest = release_hash(manifest)
    attachments: dict[str, bytes] = {}
    if header.kind == "certified":
        attachments[PROTOCOL_FILE] = protocol_pdf(
            view, number=header.number, release_hash=digest, previous=header.previous, published_at=header.published_at
        )
    return {**files, **attachments, RELEASE_FILE: release_document(manifest, attachments)}, manifest, digest


def _audit_pages(audit: AuditRelease | None, results_url: Callable[[Lang], str], demo: bool) -> dict[str, bytes]:
    """The audit page in kk, ru and en (its JSON and manifest are among the release's inputs)."""
    if audit is None:
        return {}

    def page(lang: Lang) -> str:
        return render_static_audit(
            audit.facts,
            lang,
            page_url=lambda lg: "/" + audit_path(lg),
            results_url=results_url(lang),
            json_url="/" + AUDIT_FILE,
            manifest_url="/" + AUDIT_MANIFEST_FILE,
            demo=demo,
        )

    return audit_pages(page)


def _append(
    ctx: Context, event_id: int, header: ReleaseHeader, manifest: Mapping[str, Any], digest: str, results: str, n: int
) -> None:
    with ctx.store.transaction() as tx:
        repo = PublicationTx(tx)
        if len(repo.releases(event_id)) != n:
            raise Conflict(
                f"another release of {header.event!r} was published meanwhile: publish again", code="release_race"
            )
        row = PublicationRow(header.number, header.kind, header.previous, digest, canon(dict(manifest)), results)
        repo.append(event_id, row, header.published_at)
        tx.audit(
            header.event,
            ctx.actor,
            "publish",
            "ok",
            {"number": header.number, "kind": header.kind, "hash": digest, "files": len(manifest["files"])},
            header.published_at,
        )


def _check_target(out_dir: Path, code: str) -> None:
    """The folder may be missing, empty, or hold an earlier release of the same event and nothing else."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise SaylauError(f"{out_dir} is not a folder", code="target_not_a_folder")
    present = {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if not p.is_dir()}
    if not present:
        return
    refuse = SaylauError(
        f"{out_dir} is not empty and does not hold only an earlier release of {code!r}: choose an empty folder",
        code="target_not_empty",
        details={"folder": str(out_dir), "event": code},
    )
    try:
        doc = strict_json((out_dir / RELEASE_FILE).read_text(encoding="utf-8"))  # a file found, not ours
        known = {RELEASE_FILE, *doc["release"]["files"], *doc["attachments"]}
        same_event = doc["release"]["event"] == code
    except (OSError, ValueError, KeyError, TypeError, JsonRefused) as exc:
        raise refuse from exc
    if not same_event or not present <= known:
        raise refuse


def _write_atomically(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """Every file into a temporary sibling folder, then one rename into place (the earlier release moved
    aside first and removed after)."""
    parent = out_dir.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=parent))
    except OSError as exc:
        raise SaylauError(f"cannot write to {parent}: {exc.strerror}", code="unwritable") from exc
    old: Path | None = None
    try:
        for rel, data in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        tmp.chmod(0o755)
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=parent))
            os.replace(out_dir, old / "site")
        os.replace(tmp, out_dir)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SaylauError(f"cannot write the release to {out_dir}: {exc.strerror}", code="unwritable") from exc
    finally:
        if old is not None:
            with contextlib.suppress(OSError):
                shutil.rmtree(old)
