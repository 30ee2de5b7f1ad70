"""The numbered checks of spec/audit.md §14, one function each; every finding names its check (A1..A9)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from saylau_verify.audit import arith, compare, copies, law
from saylau_verify.audit.files import (
    CATEGORIES,
    AuditFiles,
    Manifest,
    Plan,
    PlanAssertion,
    cvr_name,
    fraction,
    parse_manifest,
    parse_plan,
)
from saylau_verify.audit.sampler import SEED, draw_ballots, draw_pps
from saylau_verify.crypto.hashing import h_hex
from saylau_verify.findings import Finding
from saylau_verify.jsonread import ParseError, array, hex64, integer, obj, string
from saylau_verify.record import Event, event_from_line

__all__ = ["CHECKS", "AuditState", "parse"]

MAX_ROUNDS = 3  # §13: a third round not confirmed escalates
HALF = Fraction(1, 2)
PAYLOAD_KEYS = {
    "plan": {"event", "question", "method", "risk_limit", "preset", "preset_version", "plan_sha256", "hardest"},
    "manifest": {"sha256", "batches", "ballots"},
    "seed": {"seed", "operators"},
    "draw": {"round", "first", "draws", "targeted"},
    "entry": {"round", "batch", *CATEGORIES, "operators"},
    "round": {"round", "draws", "risks", "decision", "next_size", "targeted", "overturning"},
    "finish": {"outcome", "assertions", "scopes", "batches"},
    "hand_count": {"scopes", "tally", "assertions", "outcome"},
}
DRAW_COPIES = frozenset({"copies", "copies_sha256"})  # round 1 of a MACRO audit (§12, §13a)
READING_ENTRY = frozenset({"round", "batch", "readings", "operators"})  # a comparison round's entry (§12, §18)
METHODS = ("macro", "bravo", "comparison")
LETTER = {
    "plan": "P",
    "manifest": "M",
    "seed": "S",
    "draw": "D",
    "entry": "E",
    "round": "R",
    "finish": "F",
    "hand_count": "H",
}
# after a finish: the full hand count's entries and at most one hand_count (§12, §13b)
GRAMMAR = re.compile(r"PMS(DE*R)*(DE*|FE*H?)?|PM|P")
_RISK = re.compile(r"(0|1)(\.[0-9]+)?(e-[0-9]+)?|[1-9]\.[0-9]+e-[0-9]+|[1-9]e-[0-9]+")


def _a(step: int, subject: str, message: str) -> Finding:
    return Finding(step, subject, message, "A")


@dataclass(slots=True)
class Round:
    number: int
    draw: Event
    entries: list[Event] = field(default_factory=list)
    measured: Event | None = None


@dataclass(slots=True)
class AuditState:
    files: AuditFiles
    events: list[Event]
    manifest: Manifest | None
    plan: Plan | None
    findings: list[Finding]  # the parse: A1 (lines), A2 (files)
    typed_ok: bool = True  # every payload has its keys and shapes (A1): later checks read them

    def of(self, kind: str) -> list[Event]:
        return [e for e in self.events if e.type == kind]

    def first(self, kind: str) -> Event | None:
        found = self.of(kind)
        return found[0] if found else None

    @property
    def method(self) -> str:
        head = self.first("plan")
        method = head.payload.get("method") if head is not None and isinstance(head.payload, dict) else None
        return method if method in METHODS else ""

    @property
    def estimators(self) -> dict[str, Fraction]:
        """A comparison audit's η₀ per sampled assertion, from the manifest event (§18)."""
        e = self.first("manifest")
        if e is None or not self.typed_ok or "estimators" not in e.payload:
            return {}
        return {x["assertion"]: Fraction(x["eta0"]) for x in e.payload["estimators"]}

    @property
    def seed(self) -> str | None:
        e = self.first("seed")
        seed = e.payload.get("seed") if e is not None and isinstance(e.payload, dict) else None
        return seed if isinstance(seed, str) and SEED.fullmatch(seed) else None

    def rounds(self) -> list[Round]:
        """The rounds of the sample (the full hand count's entries, after the finish, are not a round's)."""
        out: list[Round] = []
        for e in self.events:
            if e.type == "finish":
                break
            if e.type == "draw":
                out.append(Round(len(out) + 1, e))
            elif e.type == "entry" and out:
                out[-1].entries.append(e)
            elif e.type == "round" and out and out[-1].measured is None:
                out[-1].measured = e
        return out

    def full_count(self) -> list[Event]:
        """The entries of the full hand count: those after the finish (§13b)."""
        finish = self.first("finish")
        return [] if finish is None else [e for e in self.events[finish.height + 1 :] if e.type == "entry"]

    @property
    def targeted(self) -> list[str]:
        """Round 1's targeted batches (§13a)."""
        draws = self.of("draw")
        return list(draws[0].payload["targeted"]) if draws and self.typed_ok else []


def _yes_no(value: Any, path: str) -> None:
    if value not in ("yes", "no"):
        raise ParseError(path, "expected 'yes' or 'no'")


def _strings(value: Any, path: str) -> None:
    for i, v in enumerate(array(value, path)):
        string(v, f"{path}[{i}]")


def _operators(value: Any, path: str) -> None:
    ops = array(value, path)
    if len(ops) != 2 or not all(isinstance(o, str) and o for o in ops):
        raise ParseError(path, "expected two operator names")


def _draw_payload(p: dict[str, Any]) -> None:
    integer(p["round"], "$.payload.round", 1)
    integer(p["first"], "$.payload.first", 1)
    array(p["draws"], "$.payload.draws")
    _strings(p["targeted"], "$.payload.targeted")
    if "copies" in p:  # round 1 of a MACRO audit (§13a)
        integer(p["copies"], "$.payload.copies")
        hex64(p["copies_sha256"], "$.payload.copies_sha256")


def _payload(e: Event) -> None:
    """The payload keys of §12 and their shapes (raises ParseError)."""
    keys = PAYLOAD_KEYS.get(e.type)
    if keys is None:
        raise ParseError("$.type", f"unknown event type {e.type!r}")
    if e.type == "draw" and isinstance(e.payload, dict) and ("copies" in e.payload or "copies_sha256" in e.payload):
        keys = keys | DRAW_COPIES  # round 1 of a MACRO audit made since §13a's copies.json
    if e.type == "manifest" and isinstance(e.payload, dict) and "estimators" in e.payload:
        keys = keys | {"estimators"}  # a comparison audit (§18)
    if e.type == "entry" and isinstance(e.payload, dict) and "readings" in e.payload:
        keys = set(READING_ENTRY)  # a comparison round's hand reading (§18)
    p = obj(e.payload, "$.payload", keys)
    if e.type == "plan":
        for k in keys - {"plan_sha256"}:
            string(p[k], f"$.payload.{k}")
        hex64(p["plan_sha256"], "$.payload.plan_sha256")
        if p["method"] not in METHODS:
            raise ParseError("$.payload.method", "expected 'macro', 'bravo' or 'comparison'")
    elif e.type == "manifest":
        _manifest_payload(p)
    elif e.type == "seed":
        string(p["seed"], "$.payload.seed")
        _operators(p["operators"], "$.payload.operators")
    elif e.type == "draw":
        _draw_payload(p)
    elif e.type == "entry":
        _entry_payload(p)
    elif e.type == "round":
        integer(p["round"], "$.payload.round", 1)
        integer(p["draws"], "$.payload.draws")
        integer(p["next_size"], "$.payload.next_size")
        if p["decision"] not in ("confirmed", "next_round", "escalate"):
            raise ParseError("$.payload.decision", "expected confirmed, next_round or escalate")
        for i, r in enumerate(array(p["risks"], "$.payload.risks")):
            path = f"$.payload.risks[{i}]"
            obj(r, path, {"assertion", "risk", "confirmed"})
            string(r["assertion"], f"{path}.assertion")
            if not _RISK.fullmatch(string(r["risk"], f"{path}.risk")) or not 0 <= float(r["risk"]) <= 1:
                raise ParseError(f"{path}.risk", "expected a decimal risk between 0 and 1")
            _yes_no(r["confirmed"], f"{path}.confirmed")
        for i, t in enumerate(array(p["targeted"], "$.payload.targeted")):
            obj(t, f"$.payload.targeted[{i}]", {"batch", "differs"})
            string(t["batch"], f"$.payload.targeted[{i}].batch")
            _yes_no(t["differs"], f"$.payload.targeted[{i}].differs")
        _strings(p["overturning"], "$.payload.overturning")
    elif e.type == "finish":
        if p["outcome"] not in ("confirmed", "full_hand_count"):
            raise ParseError("$.payload.outcome", "expected confirmed or full_hand_count")
        for k in ("assertions", "scopes", "batches"):
            _strings(p[k], f"$.payload.{k}")
    else:
        _hand_count_payload(p)


def _manifest_payload(p: dict[str, Any]) -> None:
    hex64(p["sha256"], "$.payload.sha256")
    integer(p["batches"], "$.payload.batches")
    integer(p["ballots"], "$.payload.ballots")
    for i, x in enumerate(array(p.get("estimators", []), "$.payload.estimators")):  # a comparison's (§18)
        obj(x, f"$.payload.estimators[{i}]", {"assertion", "eta0"})
        string(x["assertion"], f"$.payload.estimators[{i}].assertion")
        fraction(x["eta0"], f"$.payload.estimators[{i}].eta0")


def _entry_payload(p: dict[str, Any]) -> None:
    integer(p["round"], "$.payload.round", 1)
    string(p["batch"], "$.payload.batch")
    if "readings" in p:
        _readings(p["readings"])
    else:
        for c in CATEGORIES:
            integer(p[c], f"$.payload.{c}")
    _operators(p["operators"], "$.payload.operators")


def _readings(value: Any) -> None:
    """A comparison entry's readings: [position ≥ 1, reading] pairs, positions increasing (§12, §18)."""
    last = 0
    for i, item in enumerate(array(value, "$.payload.readings")):
        path = f"$.payload.readings[{i}]"
        if not (isinstance(item, list) and len(item) == 2):
            raise ParseError(path, "expected a [position, reading] pair")
        position = integer(item[0], f"{path}[0]", 1)
        if string(item[1], f"{path}[1]") not in compare.READINGS:
            raise ParseError(f"{path}[1]", f"expected one of {', '.join(compare.READINGS)}")
        if position <= last:
            raise ParseError(f"{path}[0]", "positions are listed once each, increasing")
        last = position


def _hand_count_payload(p: dict[str, Any]) -> None:
    """The hand_count event's keys (§12, §13b)."""
    _strings(p["scopes"], "$.payload.scopes")
    for i, t in enumerate(array(p["tally"], "$.payload.tally")):
        obj(t, f"$.payload.tally[{i}]", {"scope", *CATEGORIES})
        string(t["scope"], f"$.payload.tally[{i}].scope")
        for c in CATEGORIES:
            integer(t[c], f"$.payload.tally[{i}].{c}")
    for i, h in enumerate(array(p["assertions"], "$.payload.assertions")):
        obj(h, f"$.payload.assertions[{i}]", {"assertion", "holds"})
        string(h["assertion"], f"$.payload.assertions[{i}].assertion")
        _yes_no(h["holds"], f"$.payload.assertions[{i}].holds")
    if p["outcome"] not in ("stands", "overturned"):
        raise ParseError("$.payload.outcome", "expected stands or overturned")


def _draw_items(e: Event, method: str) -> None:
    """A draw's items: MACRO batch ids; BRAVO [batch, position ≥ 1] pairs (§12; raises ParseError)."""
    for i, item in enumerate(e.payload["draws"]):
        path = f"$.payload.draws[{i}]"
        if method == "macro":
            string(item, path)
        elif not (isinstance(item, list) and len(item) == 2):
            raise ParseError(path, "expected a [batch, position] pair")
        else:
            string(item[0], f"{path}[0]")
            integer(item[1], f"{path}[1]", 1)


def read_record(text: str, check_payload: Callable[[Event], None]) -> tuple[list[Event], list[Finding], bool]:
    """A1's reading of record.jsonl: canonical lines (each followed by a newline), each event's keys, and its
    payload's shape by ``check_payload`` (a question's or a contest's). The events read, the findings, and
    whether every line was typed."""
    findings: list[Finding] = []
    events: list[Event] = []
    typed_ok = True
    if text and not text.endswith("\n"):
        findings.append(_a(1, "record.jsonl", "the last line is not followed by a newline"))
    body = text[:-1] if text.endswith("\n") else text
    for index, line in enumerate(body.split("\n") if body else []):
        try:
            event = event_from_line(index, line)
        except ParseError as exc:
            findings.append(_a(1, f"record.jsonl line {index + 1}", str(exc)))
            typed_ok = False
            continue
        try:
            check_payload(event)
        except ParseError as exc:
            findings.append(_a(1, f"record.jsonl line {index + 1} ({event.type})", str(exc)))
            typed_ok = False
        events.append(event)
    return events, findings, typed_ok


def parse(files: AuditFiles) -> AuditState:
    """A1's reading of record.jsonl (canonical lines, keys, payload shapes) and A2's of the two files."""
    events, findings, typed_ok = read_record(files.record_text, _payload)
    if not events and not findings:
        findings.append(_a(1, "record.jsonl", "the audit record is empty"))
    state = AuditState(files, events, None, None, findings, typed_ok)
    for e in state.of("draw") if typed_ok else []:
        try:
            _draw_items(e, state.method)
        except ParseError as exc:
            findings.append(_a(1, f"record.jsonl line {e.line + 1} (draw)", str(exc)))
            state.typed_ok = False
    for name in files.other_files:
        findings.append(
            _a(
                1,
                name,
                "the report holds a file other than record.jsonl, manifest.json, plan.json, copies.json and cvr/",
            )
        )
    manifest = plan = None
    try:
        manifest = parse_manifest(files.manifest_bytes)
    except ParseError as exc:
        findings.append(_a(2, "manifest.json", str(exc)))
    try:
        plan = parse_plan(files.plan_bytes)
    except ParseError as exc:
        findings.append(_a(2, "plan.json", str(exc)))
    state.manifest, state.plan = manifest, plan
    return state


# (1) ---------------------------------------------------------------------------------------------------------


def a1_chain(state: AuditState) -> list[Finding]:
    """(1) heights, parents, payload hashes and hashes (spec/record.md §1–§3), the types in order."""
    out: list[Finding] = []
    parent = ""
    for i, e in enumerate(state.events):
        where = f"record.jsonl line {e.line + 1}"
        if e.height != i:
            out.append(_a(1, where, f"height {e.height}, expected {i}"))
        if e.parent != parent:
            out.append(_a(1, where, "parent is not the previous event's hash"))
        if h_hex("record-payload", e.type, e.payload_text) != e.payload_hash:
            out.append(_a(1, where, "payload_hash does not match the payload"))
        if h_hex("record-event", e.parent, e.height, e.type, e.payload_hash) != e.hash:
            out.append(_a(1, where, "hash does not match the event"))
        parent = e.hash
    word = "".join(LETTER.get(e.type, "?") for e in state.events)
    if state.events and not GRAMMAR.fullmatch(word):
        out.append(
            _a(
                1,
                "record.jsonl",
                f"event types out of order ({word}): plan, manifest, seed, rounds of draw, "
                "entries, round, at most one finish, then the full hand count's entries and at most one "
                "hand_count, last",
            )
        )
    return out


# (2) ---------------------------------------------------------------------------------------------------------


def a2_files(state: AuditState) -> list[Finding]:
    """(2) manifest.json and plan.json hash to the recorded values (their canonical form: in the parse)."""
    out: list[Finding] = []
    head, listed = state.first("plan"), state.first("manifest")
    if head is not None and state.typed_ok:
        if head.payload["plan_sha256"] != state.files.plan_sha256:
            out.append(_a(2, "plan.json", "its SHA-256 is not the plan event's plan_sha256"))
        if state.plan is not None:
            p, plan = head.payload, state.plan
            if (p["question"], p["preset"], p["risk_limit"]) != (plan.question, plan.preset, plan.risk_limit_text):
                out.append(_a(2, "plan.json", "question, preset or risk limit differ from the plan event's"))
            if p["preset_version"] != plan.preset_version or p["hardest"] != (plan.hardest or ""):
                out.append(_a(2, "plan.json", "preset_version or hardest differ from the plan event's"))
        if state.manifest is not None and (head.payload["event"], head.payload["question"]) != (
            state.manifest.event,
            state.manifest.question,
        ):
            out.append(_a(2, "manifest.json", "event or question differ from the plan event's"))
    if listed is not None and state.typed_ok:
        if listed.payload["sha256"] != state.files.manifest_sha256:
            out.append(_a(2, "manifest.json", "its SHA-256 is not the manifest event's sha256"))
        m = state.manifest
        if m is not None and (listed.payload["batches"], listed.payload["ballots"]) != (
            len(m.batches),
            sum(b.ballots for b in m.batches),
        ):
            out.append(_a(2, "manifest.json", "its number of batches or ballots differ from the manifest event's"))
    return out + _cvr_files(state) + _estimators(state)


def cvrs_of(state: AuditState) -> dict[str, tuple[str, ...]]:
    """§18: the readings of every batch whose cvr/<name> hashes to the manifest's ``cvr``."""
    if state.manifest is None:
        return {}
    out = {}
    for b in state.manifest.batches:
        data = state.files.cvr_files.get(cvr_name(b.id))
        if b.cvr is not None and data is not None and compare.sha256(data) == b.cvr:
            readings = compare.cvr_readings(data, b)
            if not isinstance(readings, str):
                out[b.id] = readings
    return out


def _cvr_files(state: AuditState) -> list[Finding]:
    """§14, §18: each batch's cvr/<name> hashes to its ``cvr`` and agrees with its figures; no other file."""
    manifest = state.manifest
    if manifest is None:
        return []
    out: list[Finding] = []
    listed = {cvr_name(b.id): b for b in manifest.batches if b.cvr is not None}
    if listed and state.method != "comparison":
        out.append(_a(2, "manifest.json", "batches list cast-vote records, but the audit is not a comparison (§18)"))
    for name in sorted(set(state.files.cvr_files) - set(listed)):
        out.append(_a(2, f"cvr/{name}", "not the cast-vote records of a batch the manifest lists with a cvr"))
    for name, b in sorted(listed.items()):
        data = state.files.cvr_files.get(name)
        if data is None:
            out.append(_a(2, f"cvr/{name}", "missing: the manifest lists the batch's cast-vote records"))
        elif compare.sha256(data) != b.cvr:
            out.append(_a(2, f"cvr/{name}", "its SHA-256 is not the manifest's cvr of the batch"))
        else:
            readings = compare.cvr_readings(data, b)
            if isinstance(readings, str):
                out.append(_a(2, f"cvr/{name}", readings))
    return out


def _estimators(state: AuditState) -> list[Finding]:
    """§18: a comparison audit's manifest event fixes one η₀ in (1/2, u_B) per sampled assertion, plan order."""
    head, plan = state.first("manifest"), state.plan
    if head is None or plan is None or not state.typed_ok:
        return []
    listed = head.payload.get("estimators")
    if state.method != "comparison":
        return [] if listed is None else [_a(2, "manifest event", "estimators in an audit that is not a comparison")]
    want = [a.id for a in compare.sampled(plan.assertions)]
    if listed is None or [x["assertion"] for x in listed] != want:
        return [_a(2, "manifest event", f"its estimators are not one per sampled assertion, plan order: {want}")]
    out = []
    for a in compare.sampled(plan.assertions):
        eta0 = state.estimators[a.id]
        if not HALF < eta0 < compare.upper_of(a.margin_exact):
            out.append(_a(2, f"manifest event {a.id}", f"η₀ {eta0} is not in (1/2, u_B) (§16, §18)"))
    return out


# (3) ---------------------------------------------------------------------------------------------------------


def _population_counts(manifest: Manifest, unit: str | None) -> tuple[int, int, int, int]:
    sums = [0, 0, 0, 0]
    for b in manifest.population(unit):
        for i, n in enumerate(b.counts):
            sums[i] += n
    return (sums[0], sums[1], sums[2], sums[3])


def _decimal(value: Fraction, places: int = 10) -> str:
    """Rounded half-even to ``places`` decimals (spec/audit.md §10)."""
    scaled, rest = divmod(abs(value.numerator) * 10**places, value.denominator)
    if 2 * rest > value.denominator or (2 * rest == value.denominator and scaled % 2 == 1):
        scaled += 1
    sign = "-" if value < 0 and scaled else ""
    digits = str(scaled).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def _assertion_findings(a: PlanAssertion, manifest: Manifest) -> list[str]:
    counts = _population_counts(manifest, a.unit)
    ballots = sum(counts)
    problems: list[str] = []
    if a.ballots != ballots:
        return [f"claim over {a.ballots} ballots, the manifest has {ballots} in its population"]
    claim_total = arith.total(a.coefficients, counts)
    if claim_total < a.k:  # equal: a result exactly on a threshold, margin 0 (§3), listed but not confirmable
        problems.append(f"the claim Σc = {claim_total} > k = {a.k} does not hold on the manifest")
    low = min(a.coefficient(c) for c in CATEGORIES)
    trivial = a.method == "sample" and ballots * low > a.k
    if a.trivial != trivial:
        problems.append(f"trivial is {a.trivial}, the claim says {trivial}")
    expected_assorter = None if a.method == "reconciliation" or trivial else arith.assorter_of(a)
    if a.assorter != expected_assorter:
        problems.append("the assorter is not the claim's (§2)")
    if a.method == "reconciliation":
        margin = (claim_total - a.k) / ballots if ballots else Fraction(0)
    elif trivial:
        margin = Fraction(1)
    elif expected_assorter is None:
        margin = Fraction(0)
    else:
        margin = arith.diluted_margin(expected_assorter, counts)
    if a.margin_exact != margin:
        problems.append(f"margin_exact {a.margin_exact}, recomputed {margin}")
    if a.margin != _decimal(a.margin_exact):
        problems.append(f"margin {a.margin!r} is not margin_exact rounded half-even to 10 places")
    return problems


def a3_plan(state: AuditState) -> list[Finding]:
    """(3) every assertion recomputed from the manifest's batches (its population's ballots, the claim as
    reported, the assorter, the margin) and the hardest one; with the plan's ``law`` (§10), the outcome and
    the assertions it rests on derived by §3 (``law.law_findings``): one omitted, a wrong threshold or claim,
    a wrong set of units, one the outcome does not need."""
    plan, manifest = state.plan, state.manifest
    if plan is None or manifest is None:
        return []
    out: list[Finding] = []
    units = {b.unit for b in manifest.batches}
    for a in plan.assertions:
        if a.unit is not None and a.unit not in units:
            out.append(_a(3, f"plan.json assertion {a.id}", f"unit {a.unit!r} has no batch in the manifest"))
            continue
        out += [_a(3, f"plan.json assertion {a.id}", p) for p in _assertion_findings(a, manifest)]
    sampled = [a for a in plan.assertions if a.method == "sample" and not a.trivial]
    tightest = min((a.margin_exact for a in sampled), default=None)
    if (plan.hardest is None) != (tightest is None) or (
        plan.hardest is not None and plan.by_id()[plan.hardest].margin_exact != tightest
    ):
        out.append(_a(3, "plan.json", "hardest is not a sampled assertion of the smallest margin"))
    return out + [_a(3, subject, message) for subject, message in law.law_findings(plan, manifest)]


# (4) ---------------------------------------------------------------------------------------------------------


def a4_draws(state: AuditState) -> list[Finding]:
    """(4) each draw recomputed from the seed and the manifest (§7; MACRO weights from the plan, §4)."""
    if not state.typed_ok:
        return []
    out: list[Finding] = []
    seeded = state.first("seed")
    if seeded is not None:
        if not SEED.fullmatch(seeded.payload["seed"]):
            out.append(_a(4, "seed", "the seed is not exactly 20 ASCII digits"))
        ops = seeded.payload["operators"]
        if ops[0] == ops[1]:
            out.append(_a(4, "seed", "the seed was entered twice by the same member"))
    seed, manifest, plan = state.seed, state.manifest, state.plan
    if seed is None or manifest is None or plan is None:
        return out
    ids = [b.id for b in manifest.batches]
    mplan = arith.macro(manifest, plan.assertions)
    expected_first = 1
    for r in state.rounds():
        p = r.draw.payload
        subject = f"draw round {r.number}"
        if p["round"] != r.number:
            out.append(_a(4, subject, f"numbered {p['round']}, expected {r.number}"))
        if p["first"] != expected_first:
            out.append(_a(4, subject, f"first {p['first']}, expected {expected_first} (rounds are contiguous)"))
        n, first = len(p["draws"]), p["first"]
        try:
            if state.method == "macro":
                expected: list[Any] = draw_pps(seed, ids, mplan.weights, n, first) if n else []
            else:
                ballots = [b.ballots for b in manifest.batches]
                expected = [list(d) for d in draw_ballots(seed, ids, ballots, n, first)] if n else []
        except ValueError as exc:
            out.append(_a(4, subject, f"no draw is possible: {exc}"))
            break
        if p["draws"] != expected:
            wrong = next(i for i, (x, y) in enumerate(zip(p["draws"], expected, strict=True)) if x != y)
            out.append(
                _a(
                    4,
                    subject,
                    f"draw {first + wrong} is {p['draws'][wrong]!r}, the seed and manifest give {expected[wrong]!r}",
                )
            )
        expected_first = first + n
    return out


# (5) ---------------------------------------------------------------------------------------------------------


def _counted_in(r: Round) -> list[str]:
    """The batches a MACRO round hand counts: its draws, and in round 1 the targeted batches too (§13a)."""
    return [*r.draw.payload["draws"], *(r.draw.payload["targeted"] if r.number == 1 else [])]


def _to_count(state: AuditState, rounds: list[Round], r: Round) -> Counter[str]:
    """The batches round r needs a hand count of: MACRO the batches first drawn or targeted in it (each
    once: a batch targeted in round 1 and drawn later is not counted again); BRAVO every batch drawn in it,
    with the number of its ballots drawn."""
    if state.method == "macro":
        before = {b for q in rounds if q.number < r.number for b in _counted_in(q)}
        return Counter({b: 1 for b in _counted_in(r) if b not in before})
    return Counter(d[0] for d in r.draw.payload["draws"] if isinstance(d, list) and d)


def a5_entries(state: AuditState) -> list[Finding]:
    """(5) every batch to count has exactly one accepted entry before its round's measure, two operators."""
    if not state.typed_ok or state.manifest is None:
        return []
    out: list[Finding] = []
    batches = {b.id: b for b in state.manifest.batches}
    rounds = state.rounds()
    for r in rounds:
        need = _to_count(state, rounds, r)
        seen: Counter[str] = Counter()
        for e in r.entries:
            p = e.payload
            subject = f"entry round {r.number} batch {p['batch']}"
            seen[p["batch"]] += 1
            if p["round"] != r.number:
                out.append(_a(5, subject, f"numbered round {p['round']}, entered in round {r.number}"))
            if p["operators"][0] == p["operators"][1]:
                out.append(_a(5, subject, "accepted by one operator twice (two different operators needed)"))
            if p["batch"] not in need:
                out.append(_a(5, subject, "not a batch this round has to count"))
                continue
            if (state.method == "comparison") != ("readings" in p):
                out.append(_a(5, subject, "a comparison round's entry lists readings, any other figures (§12)"))
                continue
            if "readings" in p:
                drawn = sorted({d[1] for d in r.draw.payload["draws"] if d[0] == p["batch"]})
                if [x[0] for x in p["readings"]] != drawn:
                    out.append(_a(5, subject, f"reads the ballots {[x[0] for x in p['readings']]}, the round drew "
                                  f"{drawn}"))  # fmt: skip
                continue
            hand = sum(p[c] for c in CATEGORIES)
            if state.method == "macro" and hand > batches[p["batch"]].ballots:
                out.append(_a(5, subject, "the hand count has more ballots than the manifest"))
            if state.method == "bravo" and hand != need[p["batch"]]:
                out.append(_a(5, subject, f"lists {hand} ballots, the round drew {need[p['batch']]}"))
        for batch, times in seen.items():
            if times > 1:
                out.append(_a(5, f"entry round {r.number} batch {batch}", f"accepted {times} times"))
        if r.measured is not None:
            for batch in sorted(set(need) - set(seen)):
                out.append(_a(5, f"round {r.number}", f"batch {batch} was measured without an accepted entry"))
    return out


# (6) ---------------------------------------------------------------------------------------------------------


def _hand_counts(state: AuditState, rounds: list[Round]) -> dict[str, tuple[int, int, int, int]]:
    hand: dict[str, tuple[int, int, int, int]] = {}
    for r in rounds:
        for e in r.entries:
            p = e.payload
            if "readings" not in p:  # a comparison's readings are not a batch's count (§18)
                hand.setdefault(p["batch"], (p["yes"], p["no"], p["invalid"], p["not_counted"]))
    return hand


def _bravo_risks(state: AuditState, upto: list[Round]) -> dict[str, float] | str:
    assert state.manifest is not None
    assert state.plan is not None
    units = {b.id: b.unit for b in state.manifest.batches}
    out: dict[str, float] = {}
    for a in state.plan.assertions:
        if a.method != "sample" or a.trivial:
            continue
        if a.assorter is None:
            out[a.id] = 1.0
            continue
        sides = arith.polling_sides(a)
        if sides is None:
            return f"{a.id} is not a two-sided share: ballot polling cannot test it (§13)"
        plus, minus, f = sides
        counts = dict(zip(CATEGORIES, _population_counts(state.manifest, a.unit), strict=True))
        p_w, p_l = sum(counts[c] for c in plus), sum(counts[c] for c in minus)
        winner = loser = 0
        for r in upto:
            for e in r.entries:
                if a.unit is None or units.get(e.payload["batch"]) == a.unit:
                    winner += sum(e.payload[c] for c in plus)
                    loser += sum(e.payload[c] for c in minus)
        out[a.id] = arith.bravo_risk(Fraction(p_w, p_w + p_l), f, winner, loser)
    return out


def _comparison_risks(state: AuditState, upto: list[Round]) -> dict[str, float] | str:
    """§18: each sampled assertion's ALPHA risk over the drawn ballots read so far (an untestable one: 1)."""
    assert state.manifest is not None
    assert state.plan is not None
    batches = {b.id: b for b in state.manifest.batches}
    draws = [(r.number, d[0], d[1]) for r in upto for d in r.draw.payload["draws"]]
    readings = {
        (r.number, e.payload["batch"]): {x[0]: x[1] for x in e.payload["readings"]}
        for r in upto
        for e in r.entries
        if "readings" in e.payload
    }
    cvrs, etas = cvrs_of(state), state.estimators
    out: dict[str, float] = {}
    for a in state.plan.assertions:
        if a.method != "sample" or a.trivial:
            continue
        if a.assorter is None or a.margin_exact <= 0:
            out[a.id] = 1.0
            continue
        if a.id not in etas:
            return f"{a.id} has no estimator in the manifest event (§18)"
        risk = compare.measured(a, etas[a.id], batches, draws, readings, cvrs)
        if isinstance(risk, str):
            return risk
        out[a.id] = risk
    return out


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def _next(
    state: AuditState,
    mplan: arith.Macro,
    rounds: list[Round],
    number: int,
    failing: list[float],
    overturning: bool = False,
) -> tuple[str, int]:
    """§13: the decision after round ``number`` and the size of the next round, from the risks not confirmed
    (and an overturning assertion, §13a, which escalates whatever the risks)."""
    assert state.plan is not None
    if not failing and not overturning:
        return "confirmed", 0
    hopeless = max(failing) >= 1 and state.method != "comparison"  # §18: ALPHA's risk 1 is no evidence
    if overturning or hopeless or number >= MAX_ROUNDS:
        return "escalate", 0
    if state.method == "macro":
        return "next_round", max(arith.macro_size(mplan, state.plan.risk_limit, max(failing)), 1)
    # BRAVO: every round has the size of round 1 (§13), which _first_size recomputes (§6)
    return "next_round", len(rounds[0].draw.payload["draws"])


def a6_rounds(state: AuditState) -> list[Finding]:
    """(6) each round's risks recomputed (MACRO §4 / BRAVO §6) within relative 10⁻⁹; decision, next_size (§13)."""
    manifest, plan = state.manifest, state.plan
    if not state.typed_ok or manifest is None or plan is None:
        return []
    out: list[Finding] = []
    rounds = state.rounds()
    known = {b.id for b in manifest.batches}
    if any(b not in known for r in rounds for b in _to_count(state, rounds, r)):
        return [_a(6, "draws", "a drawn batch is not in the manifest: the risks cannot be recomputed")]
    mplan = arith.macro(manifest, plan.assertions)
    alpha = plan.risk_limit
    for r in rounds:
        if r.measured is None:
            continue
        p, subject = r.measured.payload, f"round {r.number}"
        if p["round"] != r.number:
            out.append(_a(6, subject, f"numbered {p['round']}, expected {r.number}"))
        upto = rounds[: r.number]
        draws = [d for q in upto for d in q.draw.payload["draws"]]
        if p["draws"] != len(draws):
            out.append(_a(6, subject, f"says {p['draws']} draws so far, the draw events hold {len(draws)}"))
        hand = _hand_counts(state, upto)
        if state.method == "macro":
            if any(b not in hand for b in draws):
                continue  # A5 has named the missing entry
            expected: dict[str, float] | str = arith.macro_risks(mplan, manifest, draws, hand)
        elif state.method == "comparison":
            expected = _comparison_risks(state, upto)
        else:
            expected = _bravo_risks(state, upto)
        if isinstance(expected, str):
            out.append(_a(6, subject, expected))
            continue
        recorded = {x["assertion"]: x for x in p["risks"]}
        if len(recorded) != len(p["risks"]) or set(recorded) != set(expected):
            out.append(
                _a(6, subject, f"lists the assertions {sorted(recorded)}, the sampled ones are {sorted(expected)}")
            )
            continue
        for name, x in recorded.items():
            risk = float(x["risk"])
            if not _close(risk, expected[name]):
                out.append(_a(6, f"{subject} {name}", f"risk {x['risk']}, recomputed {expected[name]!r}"))
            if (x["confirmed"] == "yes") != (risk <= alpha):
                out.append(_a(6, f"{subject} {name}", f"confirmed {x['confirmed']!r} at risk {x['risk']}"))
        failing = [float(x["risk"]) for x in recorded.values() if float(x["risk"]) > alpha]
        decision, size = _next(state, mplan, rounds, r.number, failing, bool(p["overturning"]))
        if p["decision"] != decision:
            out.append(_a(6, subject, f"decision {p['decision']!r}, §13 gives {decision!r}"))
        if p["next_size"] != size:
            out.append(_a(6, subject, f"next_size {p['next_size']}, §13 gives {size}"))
        following = rounds[r.number] if r.number < len(rounds) else None
        if following is not None and len(following.draw.payload["draws"]) != p["next_size"]:
            out.append(
                _a(
                    6,
                    f"draw round {following.number}",
                    f"has {len(following.draw.payload['draws'])} draws, "
                    f"round {r.number}'s next_size is {p['next_size']}",
                )
            )
    return out + _first_size(state, mplan, rounds)


POLLING_CHANCE = Fraction(9, 10)  # §13: a BRAVO round is sized for a 90% chance of finishing in it


def _first_size(state: AuditState, mplan: arith.Macro, rounds: list[Round]) -> list[Finding]:
    """§13: MACRO's round 1 has macro_sample_size draws (sized for the assertions a sample can test); BRAVO's
    the largest over the sampled assertions of bravo_round_size at 9/10 (§6), scaled to all ballots."""
    if not rounds or state.plan is None:
        return []
    n = len(rounds[0].draw.payload["draws"])
    if state.method == "macro":
        size = arith.macro_size(mplan, state.plan.risk_limit)
        if n != size:
            return [_a(6, "draw round 1", f"has {n} draws, MACRO's first round (§4, §13) has {size}")]
        return []
    if state.method == "comparison":
        sampled = compare.sampled(state.plan.assertions)
        if state.manifest is None or any(a.id not in state.estimators for a in sampled):
            return []  # A2 has named the missing estimators
        size = compare.first_size(sampled, state.estimators, state.manifest.batches, cvrs_of(state),
                                  state.plan.risk_limit)  # fmt: skip
        if n != size:
            return [_a(6, "draw round 1", f"has {n} draws, the comparison's first round (§18) has {size}")]
        return []
    bravo = _bravo_first_size(state)
    if isinstance(bravo, str):
        return [_a(6, "draw round 1", bravo)]
    if n != bravo:
        return [_a(6, "draw round 1", f"has {n} draws, BRAVO's first round (§6, §13) has {bravo}")]
    return []


def _bravo_first_size(state: AuditState) -> int | str:
    """§13: ⌈n_a · N / N_a⌉ at its largest, n_a = bravo_round_size of assertion a's population (N_a ballots)
    at a 90% chance, N all the manifest's ballots; an assertion with no assorter is not sized for (0 if none)."""
    assert state.manifest is not None
    assert state.plan is not None
    total = sum(b.ballots for b in state.manifest.batches)
    sizes = [0]
    for a in state.plan.assertions:
        if a.method != "sample" or a.trivial or a.assorter is None:
            continue
        sides = arith.polling_sides(a)
        if sides is None:
            return f"{a.id} is not a two-sided share: ballot polling cannot test it (§13)"
        plus, minus, f = sides
        counts = dict(zip(CATEGORIES, _population_counts(state.manifest, a.unit), strict=True))
        ballots = sum(counts.values())
        winner = Fraction(sum(counts[c] for c in plus), ballots)
        loser = Fraction(sum(counts[c] for c in minus), ballots)
        try:
            n = arith.bravo_round_size(winner, loser, f, state.plan.risk_limit, POLLING_CHANCE)
        except ValueError as exc:
            return f"{a.id}: {exc}"
        sizes.append(-(-n * total // ballots))
    return max(sizes)


# (7) ---------------------------------------------------------------------------------------------------------


def a7_finish(state: AuditState) -> list[Finding]:
    """(7) the finish lists the outcome, assertions, scopes and batches §13 implies from the last round."""
    finish, manifest, plan = state.first("finish"), state.manifest, state.plan
    if finish is None or not state.typed_ok or manifest is None or plan is None:
        return []
    measured = state.of("round")
    if not measured:
        return []
    last = measured[-1].payload
    if last["decision"] == "next_round":
        return [_a(7, "finish", "follows a round whose decision is next_round")]
    failing = [x["assertion"] for x in last["risks"] if x["confirmed"] != "yes"]
    failing += [a for a in last["overturning"] if a not in failing]  # §13a: overturning is not confirmed
    units = {a.id: a.unit for a in plan.assertions}
    scopes = sorted({units.get(f) or "nation" for f in failing})
    batches = [b.id for b in manifest.batches if "nation" in scopes or b.unit in scopes]
    expected = {
        "outcome": "confirmed" if last["decision"] == "confirmed" else "full_hand_count",
        "assertions": sorted(failing),
        "scopes": scopes,
        "batches": batches,
    }
    got = dict(finish.payload)
    got["assertions"] = sorted(got["assertions"])
    return [
        _a(7, f"finish {key}", f"{got[key]!r}, the last round implies {value!r}")
        for key, value in expected.items()
        if got[key] != value
    ]


# (8) ---------------------------------------------------------------------------------------------------------


def _holding(state: AuditState, hand: dict[str, tuple[int, int, int, int]]) -> list[tuple[str, bool]]:
    """Each plan assertion's claim (§2: Σ c · ballots > k) over its population, ``hand``'s counts in place of
    those batches' manifest figures, the other batches as the manifest has them (§13a, §13b)."""
    assert state.manifest is not None
    assert state.plan is not None
    out: list[tuple[str, bool]] = []
    for a in state.plan.assertions:
        sums = [0, 0, 0, 0]
        for b in state.manifest.population(a.unit):
            for i, n in enumerate(hand.get(b.id, b.counts)):
                sums[i] += n
        out.append((a.id, arith.total(a.coefficients, (sums[0], sums[1], sums[2], sums[3])) > a.k))
    return out


def _copies(state: AuditState, manifest: Manifest) -> list[Finding]:
    """§13a: round 1's targeted batches recomputed from copies.json (whose SHA-256 and number of copies round 1's
    draw holds) and the manifest; nothing to recompute for a draw made before those keys (or BRAVO)."""
    draws = [d.payload for d in state.of("draw")]
    if draws and "copies_sha256" in draws[0] and state.method != "macro":
        return [_a(8, "draw round 1", "copies of a BRAVO audit (targeted batches are MACRO's, §13a)")]
    out, read = copies.round1_copies(draws, state.files, manifest.event)
    if read is None:
        return out
    out += [_a(8, "copies.json official", m) for m in copies.manifest_disagreements(read, manifest)]
    expected = copies.targeted(read, manifest)
    if draws[0]["targeted"] != expected:
        out.append(_a(8, "draw round 1", f"targeted {draws[0]['targeted']!r}, the copies give {expected!r}"))
    return out


def a8_targeted(state: AuditState) -> list[Finding]:
    """(8) the targeted batches (§13a): only in round 1's draw of a MACRO audit, sorted, in the manifest;
    each round's ``targeted`` (differs from the manifest?) and ``overturning`` recomputed from the entries."""
    manifest, plan = state.manifest, state.plan
    if not state.typed_ok or manifest is None or plan is None:
        return []
    out: list[Finding] = []
    rounds = state.rounds()
    for r in rounds:
        listed = r.draw.payload["targeted"]
        if listed and (r.number != 1 or state.method != "macro"):
            out.append(_a(8, f"draw round {r.number}", "targeted batches outside round 1 of a MACRO audit"))
        if listed != sorted(set(listed), key=lambda b: b.encode("utf-8")):
            out.append(_a(8, f"draw round {r.number}", "targeted batches not unique and sorted by UTF-8 bytes"))
    out += _copies(state, manifest)
    figures = {b.id: b.counts for b in manifest.batches}
    targeted = state.targeted
    unknown = [b for b in targeted if b not in figures]
    if unknown:
        return [*out, _a(8, "draw round 1", f"targeted batches not in the manifest: {unknown}")]
    for r in rounds:
        if r.measured is None:
            continue
        hand = _hand_counts(state, rounds[: r.number])
        counted = {b: hand[b] for b in targeted if b in hand}
        expected = [{"batch": b, "differs": "yes" if c != figures[b] else "no"} for b, c in counted.items()]
        p = r.measured.payload
        if p["targeted"] != expected:
            out.append(_a(8, f"round {r.number}", f"targeted {p['targeted']!r}, the entries give {expected!r}"))
        against = [a for a, holds in _holding(state, counted) if not holds] if counted else []
        if p["overturning"] != against:
            out.append(_a(8, f"round {r.number}", f"overturning {p['overturning']!r}, the entries give {against!r}"))
    return out


# (9) ---------------------------------------------------------------------------------------------------------


def a9_hand_count(state: AuditState) -> list[Finding]:
    """(9) the full hand count (§13b): one accepted entry, by two operators, of every batch the finish lists,
    before the hand_count, whose tally, assertions and outcome follow from those entries."""
    finish, manifest, plan = state.first("finish"), state.manifest, state.plan
    if finish is None or not state.typed_ok or manifest is None or plan is None:
        return []
    entries, counted = state.full_count(), state.first("hand_count")
    if finish.payload["outcome"] != "full_hand_count":
        if entries or counted is not None:
            return [_a(9, "finish", "entries or a hand_count after a finish that confirmed the outcome")]
        return []
    out: list[Finding] = []
    listed = set(finish.payload["batches"])
    rounds = len(state.rounds())
    hand: dict[str, tuple[int, int, int, int]] = {}
    for e in entries:
        p = e.payload
        subject = f"full hand count batch {p['batch']}"
        if p["batch"] not in listed:
            out.append(_a(9, subject, "not a batch the finish lists"))
        if p["round"] != rounds + 1:
            out.append(_a(9, subject, f"numbered round {p['round']}, expected {rounds + 1} (§13b)"))
        if p["operators"][0] == p["operators"][1]:
            out.append(_a(9, subject, "accepted by one operator twice (two different operators needed)"))
        if p["batch"] in hand:
            out.append(_a(9, subject, "accepted twice"))
        if "readings" in p:
            out.append(_a(9, subject, "a full hand count's entry has the batch's counts, not readings (§13b)"))
            continue
        hand.setdefault(p["batch"], (p["yes"], p["no"], p["invalid"], p["not_counted"]))
    if counted is None:
        return out
    missing = sorted(listed - set(hand))
    if missing:
        return [*out, _a(9, "hand_count", f"written before the batches {missing} were counted")]
    p = counted.payload
    units = {b.id: b.unit for b in manifest.batches}
    scopes = finish.payload["scopes"]
    tally = []
    for scope in scopes:
        sums = [0, 0, 0, 0]
        for b, c in hand.items():
            if scope == "nation" or units.get(b) == scope:
                for i, n in enumerate(c):
                    sums[i] += n
        tally.append({"scope": scope, **dict(zip(CATEGORIES, sums, strict=True))})
    holding = _holding(state, {b: c for b, c in hand.items() if b in units})
    expected = {
        "scopes": list(scopes),
        "tally": tally,
        "assertions": [{"assertion": a, "holds": "yes" if h else "no"} for a, h in holding],
        "outcome": "stands" if all(h for _, h in holding) else "overturned",
    }
    return [
        *out,
        *(
            _a(9, f"hand_count {key}", f"{p[key]!r}, the entries give {value!r}")
            for key, value in expected.items()
            if p[key] != value
        ),
    ]


CHECKS = (a1_chain, a2_files, a3_plan, a4_draws, a5_entries, a6_rounds, a7_finish, a8_targeted, a9_hand_count)
