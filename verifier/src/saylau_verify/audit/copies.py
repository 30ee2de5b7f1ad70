"""``copies.json``: the observers' copies the targeted batches come from (spec/audit.md §13a, §14), read and
compared with the official protocols it lists, as the verifier's own reading of the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from saylau_verify.audit.files import CATEGORIES, AuditFiles, Manifest
from saylau_verify.findings import Finding
from saylau_verify.jsonread import ParseError, array, hex64, integer, obj, parse_canonical, string

__all__ = ["Copies", "Copy", "differs", "manifest_disagreements", "parse_copies", "targeted"]

Figures = dict[str, dict[str, int]]
COPY_KEYS = frozenset({"id", "precinct", "submitted_at", "submitter", "figures", "photo_sha256"})
OFFICIAL_KEYS = frozenset({"precinct", "version", "figures"})
MANIFEST_FIELDS = ("registered", *CATEGORIES)  # the protocol fields a manifest batch holds (§11)
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([+-][0-9]{2}:[0-9]{2}|Z)?")


@dataclass(frozen=True, slots=True)
class Copy:
    id: int
    precinct: str
    submitter: str
    figures: Figures


@dataclass(frozen=True, slots=True)
class Copies:
    event: str
    copies: tuple[Copy, ...]
    official: dict[str, tuple[int, Figures]]  # precinct -> (version, figures)


def _figures(value: Any, path: str) -> Figures:
    if not isinstance(value, dict):
        raise ParseError(path, "expected an object of contests")
    out: Figures = {}
    for contest, fields in value.items():
        if not isinstance(fields, dict):
            raise ParseError(f"{path}.{contest}", "expected an object of fields")
        out[contest] = {name: integer(n, f"{path}.{contest}.{name}") for name, n in fields.items()}
    return out


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def parse_copies(data: bytes) -> Copies:
    """copies.json: canonical JSON (RECORD profile), the keys of §14, copies by increasing id, the official
    protocols by increasing precinct (UTF-8 bytes), one per precinct with a copy at most."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError("$", "not UTF-8") from exc
    value = obj(parse_canonical(text), "$", {"event", "copies", "official"})
    copies: list[Copy] = []
    for i, item in enumerate(array(value["copies"], "$.copies")):
        path = f"$.copies[{i}]"
        c = obj(item, path, COPY_KEYS)
        if not _ISO.fullmatch(string(c["submitted_at"], f"{path}.submitted_at")):
            raise ParseError(f"{path}.submitted_at", "expected an ISO 8601 time")
        if c["submitter"] not in ("observer", "public"):
            raise ParseError(f"{path}.submitter", "expected 'observer' or 'public' (never a name)")
        hex64(c["photo_sha256"], f"{path}.photo_sha256")
        copy = Copy(
            integer(c["id"], f"{path}.id"),
            string(c["precinct"], f"{path}.precinct"),
            c["submitter"],
            _figures(c["figures"], f"{path}.figures"),
        )
        if copies and copies[-1].id >= copy.id:
            raise ParseError(f"{path}.id", "copies are not in strictly increasing order of their ids")
        copies.append(copy)
    official: dict[str, tuple[int, Figures]] = {}
    previous = b""
    for i, item in enumerate(array(value["official"], "$.official")):
        path = f"$.official[{i}]"
        o = obj(item, path, OFFICIAL_KEYS)
        precinct = string(o["precinct"], f"{path}.precinct")
        if official and _utf8(precinct) <= previous:
            raise ParseError(f"{path}.precinct", "not in strictly increasing order of the precincts' UTF-8 bytes")
        previous = _utf8(precinct)
        official[precinct] = (integer(o["version"], f"{path}.version", 1), _figures(o["figures"], f"{path}.figures"))
    stray = sorted(set(official) - {c.precinct for c in copies})
    if stray:
        raise ParseError("$.official", f"official protocols of precincts without a copy: {stray}")
    return Copies(string(value["event"], "$.event"), tuple(copies), official)


def differs(official: Figures, copy: Figures) -> bool:
    """§13a: some contest named in either and some field named in either whose figures differ (missing on one
    side: differs from a figure on the other)."""
    for contest in set(official) | set(copy):
        mine, theirs = official.get(contest, {}), copy.get(contest, {})
        if any(mine.get(name) != theirs.get(name) for name in set(mine) | set(theirs)):
            return True
    return False


def targeted(copies: Copies, manifest: Manifest) -> list[str]:
    """§13a: the manifest's batches whose precinct has a copy differing from its listed official protocol,
    sorted by their ids' UTF-8 bytes."""
    batches = {b.id for b in manifest.batches}
    found = {
        c.precinct
        for c in copies.copies
        if c.precinct in copies.official
        and c.precinct in batches
        and differs(copies.official[c.precinct][1], c.figures)
    }
    return sorted(found, key=_utf8)


def manifest_disagreements(copies: Copies, manifest: Manifest) -> list[str]:
    """The official protocols listed whose figures for the manifest's fields (§11) are not the manifest's."""
    by_id = {b.id: b for b in manifest.batches}
    out: list[str] = []
    for precinct, (version, figures) in copies.official.items():
        batch = by_id.get(precinct)
        if batch is None:
            continue
        fields = figures.get(manifest.question, {})
        want = dict(zip(MANIFEST_FIELDS, (batch.registered, *batch.counts), strict=True))
        # a protocol without an invalid or not-counted field gives the manifest 0 (§11)
        stated = {f: fields.get(f, 0 if f in ("invalid", "not_counted") else None) for f in MANIFEST_FIELDS}
        wrong = [f for f in MANIFEST_FIELDS if stated[f] != want[f]]
        if wrong:
            out.append(f"precinct {precinct} version {version}: {', '.join(wrong)} differ from the manifest")
    return out


def round1_copies(draws: list[dict[str, Any]], files: AuditFiles, event: str) -> tuple[list[Finding], Copies | None]:
    """§13a, §14: copies.json as round 1's draw names it (``draws``: the draw events' payloads): the findings
    of the file itself (A8: its SHA-256, its event, its number of copies; copies outside round 1's draw), and
    the copies parsed when round 1's targeted batches are to be recomputed from them (None when the draw holds
    no ``copies_sha256``, or the file is missing or unreadable)."""
    first = draws[0] if draws else {}
    later = [i for i, d in enumerate(draws) if i > 0 and "copies_sha256" in d]
    if later:
        return [Finding(8, f"draw round {later[0] + 1}", "copies outside round 1's draw (§12)", "A")], None
    if "copies_sha256" not in first:
        if files.copies_bytes is not None:
            why = "the report holds copies.json, round 1's draw holds no copies_sha256"
            return [Finding(8, "copies.json", why, "A")], None
        return [], None
    if files.copies_bytes is None:
        return [Finding(8, "copies.json", "missing: round 1's draw holds copies_sha256", "A")], None
    out: list[Finding] = []
    if files.copies_sha256 != first["copies_sha256"]:
        out.append(Finding(8, "copies.json", "its SHA-256 is not round 1's draw copies_sha256", "A"))
    try:
        read = parse_copies(files.copies_bytes)
    except ParseError as exc:
        return [*out, Finding(8, "copies.json", str(exc), "A")], None
    if read.event != event:
        out.append(Finding(8, "copies.json", f"event {read.event!r}, the manifest's is {event!r}", "A"))
    if len(read.copies) != first["copies"]:
        said = f"holds {len(read.copies)} copies, round 1's draw says {first['copies']}"
        out.append(Finding(8, "copies.json", said, "A"))
    return out, read
