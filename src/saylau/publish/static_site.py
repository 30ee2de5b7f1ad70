"""The whole public site as static files a CDN can serve, and the release that numbers and chains them.

Pure: a view, a page renderer and release metadata in; a mapping of relative path → bytes out
(spec/formats.md §9). The HTML pages come from an injected renderer (``publish.site.render``, injected by
``services.paper.publication``); everything else is rendered here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

from saylau.io.cvr import cvr_file_name
from saylau.model import LANGS, DistrictContest, Lang, QuestionContest, ResultsView
from saylau.model.canonical import CanonicalProfile, canonical_json
from saylau.model.errors import SaylauError
from saylau.publish.csv_out import to_csv
from saylau.publish.figures import refuse_test
from saylau.publish.json_out import to_json
from saylau.publish.nist import to_nist
from saylau.record.encoding import canon

__all__ = [
    "AUDIT_FILE",
    "AUDIT_MANIFEST_FILE",
    "DEFAULT_LANG",
    "FORENSICS_FILE",
    "RELEASE_FILE",
    "RELEASE_FORMAT",
    "AuditRelease",
    "PageRenderer",
    "ReleaseHeader",
    "ReleaseKind",
    "audit_data",
    "audit_pages",
    "audit_path",
    "forensics_files",
    "forensics_path",
    "release_document",
    "release_hash",
    "release_manifest",
    "results_digest",
    "scan_files",
    "site_files",
    "turnout_files",
    "turnout_path",
    "turnout_url",
    "unit_path",
    "unit_url",
]

ReleaseKind = Literal["provisional", "final", "certified"]
RELEASE_FORMAT = "saylau-release-v1"
RELEASE_FILE = "release.json"
DEFAULT_LANG: Lang = "kk"  # index.html: the state language; every page links to the other two
NO_LIVE_JS = "// A static release: no live updates. Publish a new release to update the site.\n"

# (view, unit, lang, unit_url) -> the HTML page of ``unit`` in ``lang``
PageRenderer = Callable[[ResultsView, str, Lang, Callable[[Lang, str], str]], str]


@dataclass(frozen=True, slots=True)
class ReleaseHeader:
    """What a release is before its files: its place in the event's chain."""

    event: str
    number: int
    kind: ReleaseKind
    previous: str  # the hash of release number - 1; "" for release 1
    published_at: dt.datetime

    def __post_init__(self) -> None:
        if self.number < 1 or (self.number == 1) != (self.previous == ""):
            raise SaylauError(
                f"release {self.number} with previous {self.previous!r}: release 1 has none, every other one has",
                code="release_chain",
            )


def unit_path(lang: Lang, unit: str) -> str:
    """The file of a unit's page: ``<lang>/units/<unit>.html`` (the unit code percent-encoded)."""
    return f"{lang}/units/{quote(unit, safe='')}.html"


def unit_url(lang: Lang, unit: str) -> str:
    """Root-relative: the site is served at the root of its host."""
    return "/" + unit_path(lang, unit)


def turnout_path(lang: Lang, unit: str) -> str:
    """The file of a unit's intraday turnout page: ``<lang>/turnout/<unit>.html``."""
    return f"{lang}/turnout/{quote(unit, safe='')}.html"


def turnout_url(lang: Lang, unit: str) -> str:
    return "/" + turnout_path(lang, unit)


def turnout_files(
    units: Sequence[str], render: Callable[[str, Lang], str], data: Mapping[str, bytes]
) -> dict[str, bytes]:
    """The intraday turnout pages of ``units`` in kk, ru and en (``render(unit, lang)``) and the open data
    files beside them (``turnout.json``); nothing when there is no turnout report."""
    files = {turnout_path(lang, unit): _text(render(unit, lang)) for lang in LANGS for unit in units}
    return files | dict(data)


FORENSICS_FILE = "forensics.json"


def forensics_path(lang: Lang) -> str:
    """The forensics page of the event in ``lang``: ``<lang>/forensics.html`` (spec/forensics.md §13)."""
    return f"{lang}/forensics.html"


def forensics_files(document: Mapping[str, Any], render: Callable[[Lang], str]) -> dict[str, bytes]:
    """The forensics page in kk, ru and en (``render(lang)``) and the report beside it (``forensics.json``)."""
    return {forensics_path(lang): _text(render(lang)) for lang in LANGS} | {FORENSICS_FILE: _json(document)}


AUDIT_FILE = "audit.json"
AUDIT_MANIFEST_FILE = "audit/manifest.json"


@dataclass(frozen=True, slots=True)
class AuditRelease:
    """The event's risk-limiting audit as a release shows it: its public facts (``audit.json``, the same
    document as ``/events/{code}/audit.json``) and the manifest's exact text once published (else None)."""

    facts: Mapping[str, Any]
    manifest: str | None
    cvrs: Mapping[str, str] = field(default_factory=dict)  # batch -> its cast-vote records' canonical text (§18)


def audit_path(lang: Lang) -> str:
    """The audit page of the event in ``lang``: ``<lang>/audit.html`` (spec/audit.md §15)."""
    return f"{lang}/audit.html"


def audit_data(audit: AuditRelease) -> dict[str, bytes]:
    """The audit's open data: ``audit.json`` and, once published, ``audit/manifest.json`` (its exact bytes,
    whose SHA-256 the audit record holds) and a comparison audit's cast-vote records, ``audit/cvr/<name>``
    (their canonical text, whose SHA-256 the manifest lists). A change in them makes a new release."""
    files = {AUDIT_FILE: _json(audit.facts)}
    if audit.manifest is not None:
        files[AUDIT_MANIFEST_FILE] = _text(audit.manifest)
    for batch, text in sorted(audit.cvrs.items()):
        files[f"audit/cvr/{cvr_file_name(batch)}"] = _text(text)
    return files


def audit_pages(render: Callable[[Lang], str]) -> dict[str, bytes]:
    """The audit page in kk, ru and en (``render(lang)``)."""
    return {audit_path(lang): _text(render(lang)) for lang in LANGS}


def _text(value: str) -> bytes:
    return value.encode("utf-8")


def _json(value: object) -> bytes:
    return _text(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _redirect(target: str) -> bytes:
    return _text(
        f'<!doctype html>\n<meta charset="utf-8">\n<meta http-equiv="refresh" content="0; url={target}">\n'
        f'<link rel="canonical" href="{target}">\n<a href="{target}">{target}</a>\n'
    )


def site_files(view: ResultsView, render_page: PageRenderer, assets: Mapping[str, str]) -> dict[str, bytes]:
    """Every file of the site but ``release.json``: pages in kk, ru and en for every unit, the open data
    (results.json, results.csv, nist.json, and options.csv for elections) and the assets (site.css).
    Deterministic: the same view gives the same bytes. Test data is refused."""
    refuse_test(view)
    files: dict[str, bytes] = {}
    root = view.territory.root
    for lang in LANGS:
        for unit in view.territory.walk():
            files[unit_path(lang, unit)] = _text(render_page(view, unit, lang, unit_url))
        files[f"{lang}/index.html"] = files[unit_path(lang, root)]
    files["index.html"] = files[unit_path(DEFAULT_LANG, root)]
    # The national page of an election links districts as the server does: /events/<code>/units/<unit>
    for q in view.event.contests:
        if isinstance(q, DistrictContest):
            folder = f"events/{quote(str(view.event.code), safe='')}/units/{quote(q.scope, safe='')}"
            files[f"{folder}/index.html"] = _redirect(unit_url(DEFAULT_LANG, q.scope))
    files["results.json"] = _json(to_json(view))
    files["results.csv"] = _text(to_csv(view))
    if any(not isinstance(q, QuestionContest) for q in view.event.contests):
        files["options.csv"] = _text(to_csv(view, table="options"))
    files["nist.json"] = _json(to_nist(view))
    for name, text in assets.items():
        files[f"static/{name}"] = _text(text)
    files["static/live.js"] = _text(NO_LIVE_JS)
    return files


def scan_files(scans: Sequence[tuple[str, int, str, bytes]]) -> dict[str, bytes]:
    """The scans of the signed paper protocols, ``(precinct, version, extension, bytes)`` each, as
    ``scans/<precinct>/<version>.<ext>`` (every accepted version, corrections included) and the index
    ``scans/index.json`` of their SHA-256 (spec/formats.md §10); nothing when there is no scan."""
    files: dict[str, bytes] = {}
    index = []
    for precinct, version, extension, data in scans:
        path = f"scans/{quote(precinct, safe='')}/{version}.{extension}"
        files[path] = data
        index.append(
            {"precinct": precinct, "version": version, "file": path, "sha256": hashlib.sha256(data).hexdigest()}
        )
    if index:
        files["scans/index.json"] = _json(index)
    return files


def results_digest(view: ResultsView) -> str:
    """SHA-256 of the canonical results document without its ``generated_at``: equal digests, equal results."""
    doc = {k: v for k, v in to_json(view).items() if k != "generated_at"}
    return hashlib.sha256(_text(canonical_json(doc, CanonicalProfile.REPORT))).hexdigest()


def release_manifest(header: ReleaseHeader, results_sha256: str, files: Mapping[str, bytes]) -> dict[str, Any]:
    """The chained object: event, number, kind, previous hash, time, results digest, SHA-256 of every file."""
    return {
        "format": RELEASE_FORMAT,
        "event": header.event,
        "number": header.number,
        "kind": header.kind,
        "previous": header.previous,
        "published_at": header.published_at.isoformat(timespec="seconds"),
        "results_sha256": results_sha256,
        "files": {path: hashlib.sha256(data).hexdigest() for path, data in sorted(files.items())},
    }


def release_hash(manifest: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the manifest (sorted keys, no spaces, UTF-8; no float, bool or null)."""
    return hashlib.sha256(_text(canon(dict(manifest)))).hexdigest()


def release_document(manifest: Mapping[str, Any], attachments: Mapping[str, bytes]) -> bytes:
    """``release.json``: the manifest, its hash, and files derived from the release that therefore cannot be
    inside it (the certified protocol prints the hash), each with its SHA-256."""
    doc = {
        "release": dict(manifest),
        "hash": release_hash(manifest),
        "attachments": {path: hashlib.sha256(data).hexdigest() for path, data in sorted(attachments.items())},
    }
    return _json(doc)
