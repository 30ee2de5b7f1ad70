"""Reading an audit report (spec/audit.md §14): the three files, the manifest (§11) and the plan (§10)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from saylau_verify.findings import RecordUnreadable
from saylau_verify.jsonread import ParseError, array, hex64, integer, obj, parse_canonical, string

__all__ = [
    "CATEGORIES",
    "FILES",
    "AuditFiles",
    "Batch",
    "Manifest",
    "Plan",
    "PlanAssertion",
    "cvr_name",
    "fraction",
    "load",
    "parse_manifest",
    "parse_plan",
]

FILES = ("manifest.json", "plan.json", "record.jsonl")
COPIES = "copies.json"  # the fourth file, when round 1's draw holds its hash (§14)
CVR_DIR = "cvr"  # a comparison audit's cast-vote records, cvr/<name> (§14, §18)


def cvr_name(batch: str) -> str:
    """The file of a batch's cast-vote records in cvr/ (§14): its id percent-encoded (RFC 3986: every UTF-8
    byte but A-Z a-z 0-9 - . _ ~ as %XX, so ``/`` is %2F), then ``.csv``."""
    return "".join(chr(b) if chr(b) in _UNRESERVED else f"%{b:02X}" for b in batch.encode("utf-8")) + ".csv"


_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
MAX_CVR_FILES = 200_000
MAX_CVR_BYTES = 4_000_000
CATEGORIES = ("yes", "no", "invalid", "not_counted")
BATCH_KEYS = frozenset({"id", "unit", "registered", *CATEGORIES})
PLAN_KEYS = frozenset(
    {"question", "preset", "preset_version", "valid", "adopted", "risk_limit", "assertions", "hardest", "why_hardest"}
)
ASSERTION_KEYS = frozenset(
    {
        "id",
        "condition",
        "unit",
        "method",
        "statement",
        "condition_holds",
        "trivial",
        "margin",
        "margin_exact",
        "claim",
        "assorter",
        "reason",
    }
)
_FRACTION = re.compile(r"-?[0-9]+/[0-9]+")


@dataclass(frozen=True, slots=True)
class AuditFiles:
    record_text: str
    manifest_bytes: bytes
    plan_bytes: bytes
    other_files: tuple[str, ...]
    copies_bytes: bytes | None = None  # copies.json, once round 1 of a MACRO audit holds its hash (§13a, §14)
    cvr_files: dict[str, bytes] = field(default_factory=dict)  # cvr/<name>: a comparison audit's CVRs (§18)

    @property
    def copies_sha256(self) -> str | None:
        return None if self.copies_bytes is None else hashlib.sha256(self.copies_bytes).hexdigest()

    @property
    def manifest_sha256(self) -> str:
        return hashlib.sha256(self.manifest_bytes).hexdigest()

    @property
    def plan_sha256(self) -> str:
        return hashlib.sha256(self.plan_bytes).hexdigest()


@dataclass(frozen=True, slots=True)
class Batch:
    id: str
    unit: str
    registered: int
    counts: tuple[int, int, int, int]  # CATEGORIES order
    cvr: str | None = None  # the SHA-256 of its cast-vote records (a comparison audit, §18)

    @property
    def ballots(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True, slots=True)
class Manifest:
    event: str
    question: str
    batches: tuple[Batch, ...]

    def population(self, unit: str | None) -> list[Batch]:
        return [b for b in self.batches if unit is None or b.unit == unit]


@dataclass(frozen=True, slots=True)
class PlanAssertion:
    id: str
    unit: str | None
    method: str
    trivial: bool
    condition_holds: bool
    margin: str
    margin_exact: Fraction
    coefficients: dict[str, Fraction]
    k: Fraction
    ballots: int
    assorter: dict[str, Fraction] | None
    condition: str = ""  # the preset condition it comes from (§10)

    def coefficient(self, category: str) -> Fraction:
        return self.coefficients.get(category, Fraction(0))


@dataclass(frozen=True, slots=True)
class Plan:
    question: str
    preset: str
    preset_version: Any
    risk_limit: Fraction
    risk_limit_text: str
    assertions: tuple[PlanAssertion, ...]
    hardest: str | None
    valid: bool = False
    adopted: bool = False
    law: Any = None  # plan.json's ``law`` as read (§10), or None: A3 parses and derives from it (audit/law.py)

    def by_id(self) -> dict[str, PlanAssertion]:
        return {a.id: a for a in self.assertions}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise RecordUnreadable(f"{path.name} is missing") from exc
    except OSError as exc:
        raise RecordUnreadable(f"{path.name}: {exc.strerror}") from exc


def load(directory: Path) -> AuditFiles:
    """The three files; RecordUnreadable when the directory or a file cannot be read at all."""
    if not directory.is_dir():
        raise RecordUnreadable(f"{directory} is not a directory")
    record = _read(directory / "record.jsonl")
    try:
        text = record.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordUnreadable("record.jsonl is not UTF-8") from exc
    others = tuple(sorted(p.name for p in directory.iterdir() if p.name not in (*FILES, COPIES, CVR_DIR)))
    copies = _read(directory / COPIES) if (directory / COPIES).exists() else None
    cvrs: dict[str, bytes] = {}
    if (directory / CVR_DIR).is_dir():
        for path in sorted((directory / CVR_DIR).iterdir())[:MAX_CVR_FILES]:
            if path.is_file() and path.stat().st_size <= MAX_CVR_BYTES:
                cvrs[path.name] = _read(path)
            else:
                cvrs[path.name] = b""  # not a file, or too large: A2 says its hash is wrong
    manifest, plan = _read(directory / "manifest.json"), _read(directory / "plan.json")
    return AuditFiles(text, manifest, plan, others, copies, cvrs)


def fraction(value: Any, path: str) -> Fraction:
    """An exact fraction as the producer writes it: "numerator/denominator", reduced, denominator > 0."""
    text = string(value, path)
    if not _FRACTION.fullmatch(text):
        raise ParseError(path, "expected an exact fraction 'n/d'")
    num, den = text.split("/")
    if int(den) == 0:
        raise ParseError(path, "a fraction with denominator 0")
    parsed = Fraction(int(num), int(den))
    if f"{parsed.numerator}/{parsed.denominator}" != text:
        raise ParseError(path, "the fraction is not in lowest terms")
    return parsed


def _boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise ParseError(path, "expected true or false")
    return value


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def parse_manifest(data: bytes) -> Manifest:
    """manifest.json: canonical JSON (RECORD profile), no trailing newline, batches in UTF-8 byte order."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError("$", "not UTF-8") from exc
    value = obj(parse_canonical(text), "$", {"batches", "event", "question"})
    batches: list[Batch] = []
    for i, item in enumerate(array(value["batches"], "$.batches")):
        path = f"$.batches[{i}]"
        b = obj(item, path, BATCH_KEYS | ({"cvr"} if isinstance(item, dict) and "cvr" in item else set()))
        counts = tuple(integer(b[c], f"{path}.{c}") for c in CATEGORIES)
        batch = Batch(
            string(b["id"], f"{path}.id"),
            string(b["unit"], f"{path}.unit"),
            integer(b["registered"], f"{path}.registered"),
            (counts[0], counts[1], counts[2], counts[3]),
            hex64(b["cvr"], f"{path}.cvr") if "cvr" in b else None,
        )
        if batches and _utf8(batches[-1].id) >= _utf8(batch.id):
            raise ParseError(f"{path}.id", "batches are not in strictly increasing order of their ids' UTF-8 bytes")
        batches.append(batch)
    if not batches:
        raise ParseError("$.batches", "a manifest has at least one batch")
    return Manifest(string(value["event"], "$.event"), string(value["question"], "$.question"), tuple(batches))


def _by_category(value: Any, path: str, *, every: bool) -> dict[str, Fraction]:
    if not isinstance(value, dict):
        raise ParseError(path, "expected an object keyed by ballot category")
    unknown = sorted(set(value) - set(CATEGORIES))
    if unknown:
        raise ParseError(path, f"unknown categories {unknown}")
    if every and set(value) != set(CATEGORIES):
        raise ParseError(path, f"expected every category {list(CATEGORIES)}")
    return {c: fraction(v, f"{path}.{c}") for c, v in value.items()}


def _assertion(value: Any, path: str) -> PlanAssertion:
    a = obj(value, path, ASSERTION_KEYS)
    claim = obj(a["claim"], f"{path}.claim", {"coefficients", "k", "ballots"})
    unit = a["unit"]
    if unit is not None:
        string(unit, f"{path}.unit")
    method = string(a["method"], f"{path}.method")
    if method not in ("sample", "reconciliation"):
        raise ParseError(f"{path}.method", "expected 'sample' or 'reconciliation'")
    for key in ("condition", "statement", "reason"):
        string(a[key], f"{path}.{key}")
    assorter = None if a["assorter"] is None else _by_category(a["assorter"], f"{path}.assorter", every=True)
    return PlanAssertion(
        string(a["id"], f"{path}.id"),
        unit,
        method,
        _boolean(a["trivial"], f"{path}.trivial"),
        _boolean(a["condition_holds"], f"{path}.condition_holds"),
        string(a["margin"], f"{path}.margin"),
        fraction(a["margin_exact"], f"{path}.margin_exact"),
        _by_category(claim["coefficients"], f"{path}.claim.coefficients", every=False),
        fraction(claim["k"], f"{path}.claim.k"),
        integer(claim["ballots"], f"{path}.claim.ballots"),
        assorter,
        a["condition"],
    )


def parse_plan(data: bytes) -> Plan:
    """plan.json: canonical JSON in the REPORT profile (booleans and null allowed), the keys of §10."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError("$", "not UTF-8") from exc
    value = parse_canonical(text, report=True)
    value = obj(value, "$", PLAN_KEYS | ({"law"} if isinstance(value, dict) and "law" in value else set()))
    assertions = tuple(
        _assertion(a, f"$.assertions[{i}]") for i, a in enumerate(array(value["assertions"], "$.assertions"))
    )
    ids = [a.id for a in assertions]
    if len(set(ids)) != len(ids):
        raise ParseError("$.assertions", "two assertions have the same id")
    hardest = value["hardest"]
    if hardest is not None and string(hardest, "$.hardest") not in ids:
        raise ParseError("$.hardest", f"{hardest!r} is not an assertion of the plan")
    valid = _boolean(value["valid"], "$.valid")
    adopted = _boolean(value["adopted"], "$.adopted")
    risk_limit = fraction(value["risk_limit"], "$.risk_limit")
    if not 0 < risk_limit < 1:
        raise ParseError("$.risk_limit", "a risk limit is between 0 and 1")
    return Plan(
        string(value["question"], "$.question"),
        string(value["preset"], "$.preset"),
        value["preset_version"],
        risk_limit,
        value["risk_limit"],
        assertions,
        hardest,
        valid,
        adopted,
        value.get("law"),
    )
