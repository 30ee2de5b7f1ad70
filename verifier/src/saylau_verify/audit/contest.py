"""The checks of spec/audit.md §14 for the audit of an election contest (§3a, §10a, §11, §12): a report whose
plan event names a ``contest``. The same numbered checks A1..A9 as a question's, over per-option counts:

- A1 the chain and the order of the types (as a question's), the payload keys of §12 for a contest;
- A2 manifest.json (§11: ``{batches: [{id, unit, registered, votes, invalid}], contest, event}``) and plan.json
  (§10a) are canonical and hash to the recorded values, and agree with the plan and manifest events;
- A3 each assertion recomputed from the manifest: its ballots, the claim ``Σ c·v > k`` holds, its assorter
  (§3a), ``margin_exact`` and ``margin``; the plan's votes are the manifest's sums; ``hardest`` is the one of the
  smallest margin. The allocation itself (which assertions the law's outcome needs) is not re-derived: that
  needs the presets, which the verifier does not reimplement;
- A4 every draw from the seed and MACRO's weights over the manifest (§4, §7); A5 the entries; A6 the risks,
  decision and next size; A7 the finish (the plan's scope, every batch); A8 the targeted batches (§13a: round 1's
  recomputed from copies.json and the manifest on the contest's figures, each round's ``targeted`` and
  ``overturning`` from the entries); A9 the full hand count's tally, each assertion's truth on it, the outcome.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from saylau_verify.audit.checks import MAX_ROUNDS, AuditState, Round, a1_chain, read_record
from saylau_verify.audit.checks import _payload as question_payload
from saylau_verify.audit.contest_copies import c8_targeted, overturning
from saylau_verify.audit.files import AuditFiles, fraction
from saylau_verify.audit.sampler import SEED, draw_pps
from saylau_verify.findings import Finding
from saylau_verify.jsonread import ParseError, array, hex64, integer, obj, parse_canonical, string
from saylau_verify.record import Event, event_from_line

__all__ = ["CONTEST_CHECKS", "ContestState", "is_contest_report", "parse_contest"]

NUDGE = 1e-9
PLAN_EVENT_KEYS = frozenset(
    {"event", "contest", "kind", "method", "risk_limit", "preset", "preset_version", "plan_sha256", "hardest"}
)
ENTRY_KEYS = frozenset({"round", "batch", "votes", "invalid", "operators"})
PLAN_KEYS = frozenset({"contest", "kind", "scope", "preset", "preset_version", "risk_limit", "ballots", "votes",
                       "seats", "winner", "assertions", "hardest", "why_hardest"})  # fmt: skip
ASSERTION_KEYS = frozenset({"id", "kind", "statement", "margin", "margin_exact", "claim", "assorter", "other"})
_RISK = re.compile(r"(0|1)(\.[0-9]+)?(e-[0-9]+)?|[1-9]\.[0-9]+e-[0-9]+|[1-9]e-[0-9]+")


def _a(step: int, subject: str, message: str) -> Finding:
    return Finding(step, subject, message, "A")


@dataclass(frozen=True, slots=True)
class CBatch:
    id: str
    unit: str
    registered: int
    votes: dict[str, int]
    invalid: int

    @property
    def ballots(self) -> int:
        return self.invalid + sum(self.votes.values())


@dataclass(frozen=True, slots=True)
class CManifest:
    event: str
    contest: str
    options: tuple[str, ...]
    batches: tuple[CBatch, ...]


@dataclass(frozen=True, slots=True)
class CAssertion:
    id: str
    margin: str
    margin_exact: Fraction
    coefficients: dict[str, Fraction]
    k: Fraction
    ballots: int
    assorter: dict[str, Fraction]
    other: Fraction

    def total(self, votes: Mapping[str, int]) -> Fraction:
        return sum((c * votes.get(o, 0) for o, c in self.coefficients.items()), Fraction(0))

    def assorter_total(self, b: CBatch | Mapping[str, Any]) -> Fraction:
        """A(b) = Σ_o a(o)·v_o + a(other)·(ballots − Σ_{o named} v_o) (§4, §10a)."""
        votes, ballots = (b.votes, b.ballots) if isinstance(b, CBatch) else (b["votes"], b["ballots"])
        named = sum(votes.get(o, 0) for o in self.assorter)
        return sum((v * votes.get(o, 0) for o, v in self.assorter.items()), Fraction(0)) + self.other * (
            ballots - named
        )


@dataclass(frozen=True, slots=True)
class CPlan:
    contest: str
    kind: str
    scope: str
    preset: str
    preset_version: Any
    risk_limit: Fraction
    risk_limit_text: str
    ballots: int
    votes: dict[str, int]
    assertions: tuple[CAssertion, ...]
    hardest: str | None


@dataclass(slots=True)
class ContestState:
    base: AuditState  # the events and their rounds, read as a question's (A1's chain and order)
    manifest: CManifest | None
    plan: CPlan | None
    findings: list[Finding]

    @property
    def typed_ok(self) -> bool:
        return self.base.typed_ok


def is_contest_report(files: AuditFiles) -> bool:
    """The first record line is a plan event whose payload names a ``contest`` (§12)."""
    first = files.record_text.split("\n", 1)[0]
    try:
        e = event_from_line(0, first)
    except ParseError:
        return False
    return e.type == "plan" and isinstance(e.payload, dict) and "contest" in e.payload


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _votes(value: Any, path: str) -> dict[str, int]:
    if not isinstance(value, dict):
        raise ParseError(path, "expected an object of option votes")
    return {string(o, path): integer(n, f"{path}.{o}") for o, n in value.items()}


def _parse_manifest(data: bytes) -> CManifest:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError("$", "not UTF-8") from exc
    value = obj(parse_canonical(text), "$", {"batches", "contest", "event"})
    batches: list[CBatch] = []
    options: tuple[str, ...] | None = None
    for i, item in enumerate(array(value["batches"], "$.batches")):
        path = f"$.batches[{i}]"
        b = obj(item, path, {"id", "unit", "registered", "votes", "invalid"})
        votes = _votes(b["votes"], f"{path}.votes")
        if options is None:
            options = tuple(votes)
        elif tuple(votes) != options:
            raise ParseError(f"{path}.votes", "every batch lists the same options")
        registered, invalid = integer(b["registered"], f"{path}.registered"), integer(b["invalid"], f"{path}.invalid")
        batch = CBatch(string(b["id"], f"{path}.id"), string(b["unit"], f"{path}.unit"), registered, votes, invalid)
        if batches and _utf8(batches[-1].id) >= _utf8(batch.id):
            raise ParseError(f"{path}.id", "batches are not in strictly increasing order of their ids' UTF-8 bytes")
        batches.append(batch)
    if not batches or options is None:
        raise ParseError("$.batches", "a manifest has at least one batch")
    return CManifest(string(value["event"], "$.event"), string(value["contest"], "$.contest"), options, tuple(batches))


def _fractions(value: Any, path: str) -> dict[str, Fraction]:
    if not isinstance(value, dict):
        raise ParseError(path, "expected an object keyed by option")
    return {o: fraction(v, f"{path}.{o}") for o, v in value.items()}


def _parse_plan(data: bytes) -> CPlan:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError("$", "not UTF-8") from exc
    value = obj(parse_canonical(text, report=True), "$", PLAN_KEYS)
    assertions = []
    for i, item in enumerate(array(value["assertions"], "$.assertions")):
        path = f"$.assertions[{i}]"
        a = obj(item, path, ASSERTION_KEYS)
        claim = obj(a["claim"], f"{path}.claim", {"coefficients", "k", "ballots"})
        string(a["statement"], f"{path}.statement")
        string(a["kind"], f"{path}.kind")
        assertions.append(
            CAssertion(
                string(a["id"], f"{path}.id"),
                string(a["margin"], f"{path}.margin"),
                fraction(a["margin_exact"], f"{path}.margin_exact"),
                _fractions(claim["coefficients"], f"{path}.claim.coefficients"),
                fraction(claim["k"], f"{path}.claim.k"),
                integer(claim["ballots"], f"{path}.claim.ballots"),
                _fractions(a["assorter"], f"{path}.assorter"),
                fraction(a["other"], f"{path}.other"),
            )
        )
    ids = [a.id for a in assertions]
    if len(set(ids)) != len(ids):
        raise ParseError("$.assertions", "two assertions have the same id")
    hardest = value["hardest"]
    if hardest is not None and string(hardest, "$.hardest") not in ids:
        raise ParseError("$.hardest", f"{hardest!r} is not an assertion of the plan")
    risk_limit = fraction(value["risk_limit"], "$.risk_limit")
    if not 0 < risk_limit < 1:
        raise ParseError("$.risk_limit", "a risk limit is between 0 and 1")
    kind = string(value["kind"], "$.kind")
    if kind not in ("party_list", "district"):
        raise ParseError("$.kind", "expected party_list or district")
    return CPlan(string(value["contest"], "$.contest"), kind, string(value["scope"], "$.scope"),
                 string(value["preset"], "$.preset"), value["preset_version"], risk_limit, value["risk_limit"],
                 integer(value["ballots"], "$.ballots"), _votes(value["votes"], "$.votes"), tuple(assertions),
                 hardest)  # fmt: skip


def _payload(e: Event) -> None:
    """A contest's plan, entry and hand_count payloads (§12); the others are a question's (raises ParseError)."""
    if e.type == "plan":
        p = obj(e.payload, "$.payload", PLAN_EVENT_KEYS)
        for k in PLAN_EVENT_KEYS - {"plan_sha256"}:
            string(p[k], f"$.payload.{k}")
        hex64(p["plan_sha256"], "$.payload.plan_sha256")
        if p["method"] != "macro":
            raise ParseError("$.payload.method", "an election contest is audited by batch comparison (macro)")
    elif e.type == "entry":
        p = obj(e.payload, "$.payload", ENTRY_KEYS)
        integer(p["round"], "$.payload.round", 1)
        string(p["batch"], "$.payload.batch")
        _votes(p["votes"], "$.payload.votes")
        integer(p["invalid"], "$.payload.invalid")
        ops = array(p["operators"], "$.payload.operators")
        if len(ops) != 2 or not all(isinstance(o, str) and o for o in ops):
            raise ParseError("$.payload.operators", "expected two operator names")
    elif e.type == "hand_count":
        p = obj(e.payload, "$.payload", {"scopes", "tally", "assertions", "outcome"})
        for i, t in enumerate(array(p["tally"], "$.payload.tally")):
            obj(t, f"$.payload.tally[{i}]", {"scope", "votes", "invalid"})
            _votes(t["votes"], f"$.payload.tally[{i}].votes")
            integer(t["invalid"], f"$.payload.tally[{i}].invalid")
        for i, h in enumerate(array(p["assertions"], "$.payload.assertions")):
            obj(h, f"$.payload.assertions[{i}]", {"assertion", "holds"})
        if p["outcome"] not in ("stands", "overturned"):
            raise ParseError("$.payload.outcome", "expected stands or overturned")
    else:
        question_payload(e)  # manifest, seed, draw, round, finish: the same keys as a question's
        if e.type == "draw":
            for i, item in enumerate(e.payload["draws"]):
                string(item, f"$.payload.draws[{i}]")


def parse_contest(files: AuditFiles) -> ContestState:
    events, findings, typed_ok = read_record(files.record_text, _payload)
    for name in files.other_files:
        findings.append(_a(1, name, "the report holds a file other than record.jsonl, manifest.json and plan.json"))
    manifest = plan = None
    try:
        manifest = _parse_manifest(files.manifest_bytes)
    except ParseError as exc:
        findings.append(_a(2, "manifest.json", str(exc)))
    try:
        plan = _parse_plan(files.plan_bytes)
    except ParseError as exc:
        findings.append(_a(2, "plan.json", str(exc)))
    base = AuditState(files, events, None, None, [], typed_ok)
    return ContestState(base, manifest, plan, findings)


def c1_chain(state: ContestState) -> list[Finding]:
    return a1_chain(state.base)


def c2_files(state: ContestState) -> list[Finding]:
    out: list[Finding] = []
    head, listed = state.base.first("plan"), state.base.first("manifest")
    files, plan, m = state.base.files, state.plan, state.manifest
    if head is not None and state.typed_ok:
        p = head.payload
        if p["plan_sha256"] != files.plan_sha256:
            out.append(_a(2, "plan.json", "its SHA-256 is not the plan event's plan_sha256"))
        if plan is not None and (p["contest"], p["kind"], p["preset"], p["risk_limit"], p["hardest"]) != (
            plan.contest, plan.kind, plan.preset, plan.risk_limit_text, plan.hardest or ""
        ):  # fmt: skip
            out.append(_a(2, "plan.json", "contest, kind, preset, risk limit or hardest differ from the plan event's"))
        if plan is not None and p["preset_version"] != plan.preset_version:
            out.append(_a(2, "plan.json", "preset_version differs from the plan event's"))
        if m is not None and (p["event"], p["contest"]) != (m.event, m.contest):
            out.append(_a(2, "manifest.json", "event or contest differ from the plan event's"))
    if listed is not None and state.typed_ok:
        if listed.payload["sha256"] != files.manifest_sha256:
            out.append(_a(2, "manifest.json", "its SHA-256 is not the manifest event's sha256"))
        if m is not None and (listed.payload["batches"], listed.payload["ballots"]) != (
            len(m.batches), sum(b.ballots for b in m.batches)
        ):  # fmt: skip
            out.append(_a(2, "manifest.json", "its number of batches or ballots differ from the manifest event's"))
    return out


def _decimal(value: Fraction, places: int = 10) -> str:
    scaled, rest = divmod(abs(value.numerator) * 10**places, value.denominator)
    if 2 * rest > value.denominator or (2 * rest == value.denominator and scaled % 2 == 1):
        scaled += 1
    sign = "-" if value < 0 and scaled else ""
    digits = str(scaled).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def _sums(manifest: CManifest) -> dict[str, int]:
    return {o: sum(b.votes[o] for b in manifest.batches) for o in manifest.options}


def c3_plan(state: ContestState) -> list[Finding]:
    """Each assertion against the manifest (§3a, §2); the assertions the allocation needs are not re-derived."""
    plan, m = state.plan, state.manifest
    if plan is None or m is None:
        return []
    out: list[Finding] = []
    votes, ballots = _sums(m), sum(b.ballots for b in m.batches)
    if plan.votes != votes or plan.ballots != ballots:
        out.append(_a(3, "plan.json", "its votes or ballots are not the manifest's sums"))
    for a in plan.assertions:
        subject = f"plan.json assertion {a.id}"
        unknown = sorted(set(a.coefficients) - set(m.options))
        if unknown or set(a.assorter) != set(a.coefficients):
            out.append(_a(3, subject, f"options outside the contest or the assorter's: {unknown}"))
            continue
        if a.ballots != ballots:
            out.append(_a(3, subject, f"claim over {a.ballots} ballots, the manifest has {ballots}"))
            continue
        if not a.total(votes) > a.k:
            out.append(_a(3, subject, f"the claim Σc·v = {a.total(votes)} > k = {a.k} does not hold on the manifest"))
        low = min([Fraction(0), *a.coefficients.values()])
        gap = a.k / ballots - low
        if gap <= 0:
            out.append(_a(3, subject, "no assorter exists for this claim (§2)"))
            continue
        s = 1 / (2 * gap)
        assorter = {o: Fraction(1, 2) + s * (c - a.k / ballots) for o, c in a.coefficients.items()}
        other = Fraction(1, 2) - s * a.k / ballots
        if assorter != a.assorter or other != a.other:
            out.append(_a(3, subject, "the assorter is not the claim's (§2, §3a)"))
        v = 2 * s * (a.total(votes) - a.k) / ballots
        margin = max(v, Fraction(0)) / max([other, *assorter.values()])
        if a.margin_exact != margin:
            out.append(_a(3, subject, f"margin_exact {a.margin_exact}, recomputed {margin}"))
        if a.margin != _decimal(a.margin_exact):
            out.append(_a(3, subject, f"margin {a.margin!r} is not margin_exact rounded half-even to 10 places"))
    tightest = min(plan.assertions, key=lambda a: (a.margin_exact, a.id), default=None)
    if (tightest.id if tightest is not None else None) != plan.hardest:
        out.append(_a(3, "plan.json", "hardest is not the assertion of the smallest margin"))
    return out


@dataclass(frozen=True, slots=True)
class _Macro:
    terms: tuple[tuple[CAssertion, Fraction], ...]  # (assertion, M_c)
    full_count: tuple[str, ...]
    u: dict[str, Fraction]
    weights: tuple[Fraction, ...]
    big_u: Fraction


def _macro(m: CManifest, plan: CPlan) -> _Macro:
    """§4 over a contest's batches: u_b = max_c A_c(b)/M_c, M_c = Σ_b A_c(b) − N/2."""
    ballots = sum(b.ballots for b in m.batches)
    terms, full = [], []
    for a in plan.assertions:
        margin = sum((a.assorter_total(b) for b in m.batches), Fraction(0)) - Fraction(ballots, 2)
        if margin <= 0:
            full.append(a.id)
        else:
            terms.append((a, margin))
    u = {b.id: max((a.assorter_total(b) / mc for a, mc in terms), default=Fraction(0)) for b in m.batches}
    weights = tuple(u[b.id] for b in m.batches)
    return _Macro(tuple(terms), tuple(full), u, weights, sum(weights, Fraction(0)))


def _size(mp: _Macro, batches: int, alpha: Fraction, risk: float = 1.0) -> int:
    if mp.full_count:
        return batches
    if not mp.terms or risk <= alpha:
        return 0
    return math.ceil((math.log(alpha) - math.log(risk)) / math.log1p(-float(1 / mp.big_u))) + 1


def c4_draws(state: ContestState) -> list[Finding]:
    if not state.typed_ok:
        return []
    out: list[Finding] = []
    seeded = state.base.first("seed")
    if seeded is not None:
        if not SEED.fullmatch(seeded.payload["seed"]):
            out.append(_a(4, "seed", "the seed is not exactly 20 ASCII digits"))
        if seeded.payload["operators"][0] == seeded.payload["operators"][1]:
            out.append(_a(4, "seed", "the seed was entered twice by the same member"))
    seed, m, plan = state.base.seed, state.manifest, state.plan
    if seed is None or m is None or plan is None:
        return out
    mp = _macro(m, plan)
    ids = [b.id for b in m.batches]
    expected_first = 1
    for r in state.base.rounds():
        p, subject = r.draw.payload, f"draw round {r.number}"
        if p["round"] != r.number or p["first"] != expected_first:
            expected_text = f"expected {r.number} from {expected_first}"
            out.append(_a(4, subject, f"round {p['round']} from {p['first']}, {expected_text}"))
        n, first = len(p["draws"]), p["first"]
        try:
            expected = draw_pps(seed, ids, mp.weights, n, first) if n else []
        except ValueError as exc:
            out.append(_a(4, subject, f"no draw is possible: {exc}"))
            break
        if p["draws"] != expected:
            out.append(_a(4, subject, "the draws are not the recomputation from the seed and the manifest"))
        expected_first = first + n
    return out


def _counted_in(r: Round) -> list[str]:
    """The batches round r hand counts: its draws, and in round 1 the targeted batches too (§13a)."""
    return [*r.draw.payload["draws"], *(r.draw.payload["targeted"] if r.number == 1 else [])]


def _to_count(rounds: Sequence[Round], r: Round) -> set[str]:
    before = {b for q in rounds if q.number < r.number for b in _counted_in(q)}
    return {b for b in _counted_in(r) if b not in before}


def _entry_findings(e: Event, m: CManifest, subject: str, full: bool) -> list[Finding]:
    p, out = e.payload, []
    batch = next((b for b in m.batches if b.id == p["batch"]), None)
    if batch is None:
        return [_a(5, subject, f"batch {p['batch']!r} is not in the manifest")]
    if tuple(p["votes"]) != tuple(sorted(m.options)):
        out.append(_a(5, subject, "the hand count does not list exactly the contest's options"))
    if not full and sum(p["votes"].values()) + p["invalid"] > batch.ballots:
        out.append(_a(5, subject, "the hand count has more ballots than the manifest"))
    if p["operators"][0] == p["operators"][1]:
        out.append(_a(5, subject, "accepted by one operator twice"))
    return out


def c5_entries(state: ContestState) -> list[Finding]:
    m = state.manifest
    if not state.typed_ok or m is None:
        return []
    out: list[Finding] = []
    rounds = state.base.rounds()
    for r in rounds:
        seen = Counter(e.payload["batch"] for e in r.entries)
        need = _to_count(rounds, r)
        if r.measured is not None and set(seen) != need:
            out.append(_a(5, f"round {r.number}", f"entries for {sorted(seen)}, the round needs {sorted(need)}"))
        for b, n in seen.items():
            if n > 1:
                out.append(_a(5, f"round {r.number} batch {b}", "accepted more than once"))
        for e in r.entries:
            if e.payload["round"] != r.number:
                out.append(_a(5, f"round {r.number} batch {e.payload['batch']}", "entry of another round"))
            out += _entry_findings(e, m, f"round {r.number} batch {e.payload['batch']}", False)
    for e in state.base.full_count():
        out += _entry_findings(e, m, f"full hand count batch {e.payload['batch']}", True)
    return out


def _hand(rounds: Sequence[Round]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rounds:
        for e in r.entries:
            votes = e.payload["votes"]
            out.setdefault(e.payload["batch"], {"votes": votes, "ballots": sum(votes.values()) + e.payload["invalid"]})
    return out


def _risks(mp: _Macro, m: CManifest, draws: Sequence[str], hand: Mapping[str, Mapping[str, Any]]) -> dict[str, float]:
    batches = {b.id: b for b in m.batches}
    step = math.log1p(-float(1 / mp.big_u)) if mp.big_u > 0 else 0.0
    out: dict[str, float] = {}
    for a, mc in mp.terms:
        log_risk, blocked = 0.0, False
        for bid in draws:
            if bid not in hand:
                blocked = True
                break
            taint = (a.assorter_total(batches[bid]) - a.assorter_total(hand[bid])) / mc / mp.u[bid]
            if taint >= 1:
                blocked = True
                break
            log_risk += step - math.log1p(-float(taint))
        out[a.id] = 1.0 if blocked else min(1.0, math.exp(log_risk) * (1 + NUDGE))
    out |= dict.fromkeys(mp.full_count, 1.0)
    return out


def c6_rounds(state: ContestState) -> list[Finding]:
    m, plan = state.manifest, state.plan
    if not state.typed_ok or m is None or plan is None:
        return []
    out: list[Finding] = []
    mp = _macro(m, plan)
    alpha = plan.risk_limit
    rounds = state.base.rounds()
    size = _size(mp, len(m.batches), alpha)
    for i, r in enumerate(rounds):
        subject = f"round {r.number}"
        if len(r.draw.payload["draws"]) != size:
            out.append(_a(6, subject, f"{len(r.draw.payload['draws'])} draws, §4 gives {size}"))
        if r.measured is None:
            break
        p = r.measured.payload
        upto = rounds[: i + 1]
        draws = [b for q in upto for b in q.draw.payload["draws"]]
        if p["draws"] != len(draws):
            out.append(_a(6, subject, f"draws {p['draws']}, the draw events hold {len(draws)}"))
        risks = _risks(mp, m, draws, _hand(upto))
        recorded = {x["assertion"]: float(x["risk"]) for x in p["risks"]}
        if set(recorded) != set(risks):
            out.append(_a(6, subject, "the risks are not one per assertion of the plan"))
            break
        for a, risk in risks.items():
            if abs(recorded[a] - risk) > 1e-9 * max(risk, 1e-300):
                out.append(_a(6, subject, f"{a}: risk {recorded[a]!r}, recomputed {risk!r}"))
            if (x := next(x for x in p["risks"] if x["assertion"] == a))["confirmed"] != (
                "yes" if recorded[a] <= alpha else "no"
            ):
                out.append(_a(6, subject, f"{x['assertion']}: confirmed does not follow the risk limit"))
        failing = [a for a, risk in recorded.items() if risk > alpha]
        worst = max((recorded[a] for a in failing), default=0.0)
        against = bool(overturning(state, upto))  # §13a: an overturning assertion escalates whatever its risk
        decision = (
            "confirmed" if not failing and not against
            else "escalate" if against or worst >= 1 or r.number >= MAX_ROUNDS
            else "next_round"
        )  # fmt: skip
        expected_next = max(_size(mp, len(m.batches), alpha, worst), 1) if decision == "next_round" else 0
        if (p["decision"], p["next_size"]) != (decision, expected_next):
            gives = f"§13 gives {decision}, next {expected_next}"
            out.append(_a(6, subject, f"{p['decision']}, next {p['next_size']}; {gives}"))
        size = expected_next
    return out


def c7_finish(state: ContestState) -> list[Finding]:
    m, plan, finish = state.manifest, state.plan, state.base.first("finish")
    if not state.typed_ok or m is None or plan is None or finish is None:
        return []
    rounds = [r for r in state.base.rounds() if r.measured is not None]
    if not rounds:
        return [_a(7, "finish", "a finish without a measured round")]
    last = rounds[-1].measured
    assert last is not None
    p = finish.payload
    failing = [x["assertion"] for x in last.payload["risks"] if x["confirmed"] == "no"]
    failing += [a for a in last.payload["overturning"] if a not in failing]  # §13a: overturning is not confirmed
    order = [a.id for a in plan.assertions]
    failing.sort(key=lambda a: order.index(a) if a in order else len(order))
    if last.payload["decision"] == "confirmed":
        expected: tuple[Any, ...] = ("confirmed", [], [], [])
    else:
        expected = ("full_hand_count", failing, [plan.scope], [b.id for b in m.batches])
    if (p["outcome"], p["assertions"], p["scopes"], p["batches"]) != expected:
        return [_a(7, "finish", "its outcome, assertions, scopes or batches do not follow the last round (§13)")]
    return []


def c9_hand_count(state: ContestState) -> list[Finding]:
    m, plan, finish, hc = state.manifest, state.plan, state.base.first("finish"), state.base.first("hand_count")
    if not state.typed_ok or m is None or plan is None or hc is None:
        return []
    if finish is None or finish.payload["outcome"] != "full_hand_count":
        return [_a(9, "hand_count", "a hand_count without a finish asking for a full hand count")]
    entries = state.base.full_count()
    counted = [e.payload["batch"] for e in entries]
    out: list[Finding] = []
    if sorted(counted) != sorted(finish.payload["batches"]):
        out.append(_a(9, "hand_count", "the full hand count's entries are not one per batch of the finish"))
    votes = {o: sum(e.payload["votes"].get(o, 0) for e in entries) for o in m.options}
    invalid = sum(e.payload["invalid"] for e in entries)
    p = hc.payload
    tally = [{"scope": s, "votes": votes, "invalid": invalid} for s in finish.payload["scopes"]]
    if p["scopes"] != finish.payload["scopes"] or p["tally"] != tally:
        out.append(_a(9, "hand_count", "its scopes or tally are not the sum of the full hand count"))
    holds = [{"assertion": a.id, "holds": "yes" if a.total(votes) > a.k else "no"} for a in plan.assertions]
    if p["assertions"] != holds:
        out.append(_a(9, "hand_count", "the assertions' truth on the hand count is not the recorded one"))
    outcome = "stands" if all(h["holds"] == "yes" for h in holds) else "overturned"
    if p["outcome"] != outcome:
        out.append(_a(9, "hand_count", f"outcome {p['outcome']}, the hand count gives {outcome}"))
    return out


CONTEST_CHECKS = (c1_chain, c2_files, c3_plan, c4_draws, c5_entries, c6_rounds, c7_finish, c8_targeted,
                  c9_hand_count)  # fmt: skip
