"""Which assertions the law's outcome needs (spec/audit.md §3, "The derivation, step by step"), from the
conditions ``plan.json`` carries (``law``, §10) and the manifest: the verifier's own reading of the text.

The conditions come from the preset (spec/presets.md) as the producer resolved them under the event's settings;
the verifier does not know the presets, so it takes the conditions as stated (they are in plain sight in
plan.json, beside the preset's id and version) and derives from them, by §3, the outcome and every assertion
the outcome rests on: its claim (coefficients, k, ballots), its method and the units of a regional majority.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from saylau_verify.audit import arith
from saylau_verify.audit.files import CATEGORIES, Manifest, Plan, PlanAssertion, fraction
from saylau_verify.jsonread import ParseError, array, obj, string

__all__ = ["Derived", "Law", "LawCondition", "derive", "law_findings", "parse_law"]

QUANTITY_CATEGORIES: dict[str, tuple[str, ...]] = {
    "yes": ("yes",),
    "no": ("no",),
    "valid": ("yes", "no"),
    "invalid": ("invalid",),
    "not_counted": ("not_counted",),
    "participants": CATEGORIES,
}
QUANTITIES = ("registered", *QUANTITY_CATEGORIES)
LAW_KEYS = frozenset({"approval_mode", "unit_choice", "conditions", "units"})
CONDITION_KEYS = frozenset(
    {"id", "group", "label", "source", "scope", "num", "den", "op", "threshold", "quota", "quota_op", "rounding"}
)


@dataclass(frozen=True, slots=True)
class LawCondition:
    id: str
    group: str  # validity | approval
    scope: str  # national | units
    num: str
    den: str
    op: str  # > | >=
    threshold: Fraction
    quota: Fraction | None
    quota_op: str | None
    rounding: str | None


@dataclass(frozen=True, slots=True)
class Law:
    approval_mode: str
    unit_choice: str
    conditions: tuple[LawCondition, ...]
    units: tuple[tuple[str, Fraction], ...]


def _choice(value: Any, path: str, allowed: Sequence[str]) -> str:
    text = string(value, path)
    if text not in allowed:
        raise ParseError(path, f"expected one of {list(allowed)}")
    return text


def _condition(value: Any, path: str) -> LawCondition:
    c = obj(value, path, CONDITION_KEYS)
    for key in ("id", "label", "source"):
        string(c[key], f"{path}.{key}")
    scope = _choice(c["scope"], f"{path}.scope", ("national", "units"))
    units = scope == "units"
    quota = quota_op = rounding = None
    if units:
        quota = fraction(c["quota"], f"{path}.quota")
        quota_op = _choice(c["quota_op"], f"{path}.quota_op", (">", ">="))
        rounding = _choice(c["rounding"], f"{path}.rounding", ("ceil", "floor", "exact"))
    else:
        for key in ("quota", "quota_op", "rounding"):
            if c[key] is not None:
                raise ParseError(f"{path}.{key}", "expected null for a national condition")
    threshold = fraction(c["threshold"], f"{path}.threshold")
    if not 0 <= threshold <= 1:
        raise ParseError(f"{path}.threshold", "a threshold is a share between 0 and 1")
    return LawCondition(
        c["id"],
        _choice(c["group"], f"{path}.group", ("validity", "approval")),
        scope,
        _choice(c["num"], f"{path}.num", QUANTITIES),
        _choice(c["den"], f"{path}.den", QUANTITIES),
        _choice(c["op"], f"{path}.op", (">", ">=")),
        threshold,
        quota,
        quota_op,
        rounding,
    )


def parse_law(value: Any, path: str = "$.law") -> Law:
    """plan.json's ``law`` (§10); raises ParseError."""
    law = obj(value, path, LAW_KEYS)
    conditions = tuple(_condition(c, f"{path}.conditions[{i}]") for i, c in enumerate(array(law["conditions"], path)))
    ids = [c.id for c in conditions]
    if len(set(ids)) != len(ids):
        raise ParseError(f"{path}.conditions", "two conditions have the same id")
    units: list[tuple[str, Fraction]] = []
    for i, u in enumerate(array(law["units"], f"{path}.units")):
        row = obj(u, f"{path}.units[{i}]", {"unit", "weight"})
        weight = fraction(row["weight"], f"{path}.units[{i}].weight")
        if weight < 0:
            raise ParseError(f"{path}.units[{i}].weight", "a weight is not negative")
        units.append((string(row["unit"], f"{path}.units[{i}].unit"), weight))
    if len({u for u, _ in units}) != len(units):
        raise ParseError(f"{path}.units", "a unit is listed twice")
    return Law(
        _choice(law["approval_mode"], f"{path}.approval_mode", ("all", "reject_if_all")),
        _choice(law["unit_choice"], f"{path}.unit_choice", ("widest", "tightest", "all")),
        conditions,
        tuple(units),
    )


# the derivation ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    registered: int
    counts: tuple[int, int, int, int]  # CATEGORIES order

    def quantity(self, name: str) -> int:
        if name == "registered":
            return self.registered
        cats = QUANTITY_CATEGORIES[name]
        return sum(n for c, n in zip(CATEGORIES, self.counts, strict=True) if c in cats)


def _tally(manifest: Manifest, unit: str | None) -> Tally:
    batches = manifest.population(unit)
    sums = [sum(b.counts[i] for b in batches) for i in range(4)]
    return Tally(sum(b.registered for b in batches), (sums[0], sums[1], sums[2], sums[3]))


def _compare(left: Fraction, op: str, right: Fraction) -> bool:
    return left > right if op == ">" else left >= right


def _holds(c: LawCondition, t: Tally) -> bool:
    den = t.quantity(c.den)
    return den > 0 and _compare(Fraction(t.quantity(c.num), den), c.op, c.threshold)


def _rounded(value: Fraction, rounding: str | None) -> Fraction:
    if rounding == "ceil":
        return Fraction(math.ceil(value))
    if rounding == "floor":
        return Fraction(math.floor(value))
    return value


@dataclass(frozen=True, slots=True)
class Expected:
    """An assertion as §3 derives it: ``claim`` is (coefficients of every category, k, ballots)."""

    id: str
    condition: str
    unit: str | None
    method: str
    condition_holds: bool
    coefficients: dict[str, Fraction]
    k: Fraction
    ballots: int
    trivial: bool
    margin: Fraction


@dataclass(frozen=True, slots=True)
class Derived:
    valid: bool
    adopted: bool
    assertions: tuple[Expected, ...]  # in the plan's order (§3 step 6)
    problems: tuple[str, ...]  # conditions §3 cannot turn into a claim


class _Unauditable(Exception):
    pass


def _expected(c: LawCondition, unit: str | None, t: Tally) -> Expected:
    """§3's table: the claim of ``c`` as reported on tally ``t`` (holding, or its complement), with §3's
    method, trivial flag and margin (steps 4, 5)."""
    holds = _holds(c, t)
    n = sum(t.counts)
    if c.num not in QUANTITY_CATEGORIES:
        raise _Unauditable(f"condition {c.id}: a condition on {c.num} cannot be audited (§3)")
    num = QUANTITY_CATEGORIES[c.num]
    coefficients = {cat: Fraction(0) for cat in CATEGORIES}
    if c.den == "registered":
        r = t.registered
        k = Fraction(math.floor(c.threshold * r) if c.op == ">" else math.ceil(c.threshold * r) - 1)
        for cat in num:
            coefficients[cat] = Fraction(1 if holds else -1)
        if not holds:
            k = -k - 1
    else:
        den = QUANTITY_CATEGORIES[c.den]
        if not set(num) <= set(den):
            raise _Unauditable(f"condition {c.id}: {c.num} is not part of {c.den}, so it cannot be audited (§3)")
        sign = 1 if holds else -1
        for cat in den:
            coefficients[cat] = sign * ((1 - c.threshold) if cat in num else -c.threshold)
        k = Fraction(0)
    method = "reconciliation" if (c.num, c.den) == ("participants", "registered") else "sample"
    claim = PlanAssertion(
        id="",
        unit=unit,
        method=method,
        trivial=False,
        condition_holds=holds,
        margin="",
        margin_exact=Fraction(0),
        coefficients=coefficients,
        k=k,
        ballots=n,
        assorter=None,
    )
    low = min(coefficients.values())
    total = arith.total(coefficients, t.counts)
    trivial = method == "sample" and n * low > k
    if method == "reconciliation":
        margin = (total - k) / n if n else Fraction(0)
    elif trivial:
        margin = Fraction(1)
    else:
        assorter = arith.assorter_of(claim)
        margin = Fraction(0) if assorter is None else arith.diluted_margin(assorter, t.counts)
    ident = f"{c.id}:{unit}" if unit is not None else c.id
    return Expected(ident, c.id, unit, method, holds, coefficients, k, n, trivial, margin)


@dataclass(frozen=True, slots=True)
class _Check:
    condition: LawCondition
    holds: bool
    assertions: tuple[Expected, ...]


def _evaluate(c: LawCondition, law: Law, manifest: Manifest) -> _Check:
    """§3 steps 1 and 2: the condition's truth and the assertions it gives."""
    if c.scope == "national":
        one = _expected(c, None, _tally(manifest, None))
        return _Check(c, one.condition_holds, (one,))
    rows = [(u, w) for u, w in law.units if w > 0]
    every = {u: _expected(c, u, _tally(manifest, u)) for u, _ in rows}
    total = sum((w for _, w in rows), Fraction(0))
    passed = sum((w for u, w in rows if every[u].condition_holds), Fraction(0))
    required = _rounded((c.quota or Fraction(0)) * total, c.rounding)
    quota_op = c.quota_op or ">="
    holds = total > 0 and _compare(passed, quota_op, required)
    side = [(u, w) for u, w in rows if every[u].condition_holds == holds]
    sign = 1 if law.unit_choice == "tightest" else -1
    side.sort(key=lambda row: (sign * every[row[0]].margin, row[0]))
    taken: list[Expected] = []
    weight = Fraction(0)
    for u, w in side:
        if law.unit_choice != "all":
            enough = _compare(weight, quota_op, required) if holds else not _compare(total - weight, quota_op, required)
            if enough:
                break
        taken.append(every[u])
        weight += w
    return _Check(c, holds, tuple(taken))


def _cheapest(sets: Sequence[tuple[Expected, ...]]) -> list[Expected]:
    """§3 step 3: the set whose smallest non-trivial margin is largest (2 if none), the first on a tie."""
    if not sets:
        raise _Unauditable("the reported outcome fails with no failing condition: no route (§3)")
    best = max(range(len(sets)), key=lambda i: (min((a.margin for a in sets[i] if not a.trivial), default=2), -i))
    return list(sets[best])


def derive(law: Law, manifest: Manifest) -> Derived:
    """§3 steps 1–6 from the law's conditions and the manifest."""
    try:
        validity = [_evaluate(c, law, manifest) for c in law.conditions if c.group == "validity"]
        approval = [_evaluate(c, law, manifest) for c in law.conditions if c.group == "approval"]
        valid = all(c.holds for c in validity)
        if law.approval_mode == "all":
            passes = all(c.holds for c in approval)
        else:
            passes = not (approval and all(c.holds for c in approval))
        adopted = valid and passes
        if not valid:
            chosen = _cheapest([c.assertions for c in validity if not c.holds])
        else:
            chosen = [a for c in validity for a in c.assertions]
            if (law.approval_mode == "all") == adopted:
                chosen += [a for c in approval for a in c.assertions]
            else:
                chosen += _cheapest([c.assertions for c in approval if not c.holds])
    except _Unauditable as exc:
        return Derived(False, False, (), (str(exc),))
    ordered = sorted(chosen, key=lambda a: (a.trivial, a.margin, a.id))
    return Derived(valid, adopted, tuple(ordered), ())


def _differences(a: PlanAssertion, e: Expected) -> list[str]:
    out: list[str] = []
    if a.condition != e.condition:
        out.append(f"condition {a.condition!r}, §3 gives {e.condition!r}")
    if a.unit != e.unit:
        out.append(f"unit {a.unit!r}, §3 gives {e.unit!r}")
    if a.method != e.method:
        out.append(f"method {a.method!r}, §3 gives {e.method!r}")
    if a.condition_holds != e.condition_holds:
        out.append(f"condition_holds {a.condition_holds}, the manifest gives {e.condition_holds}")
    stated = {c: a.coefficient(c) for c in CATEGORIES}
    if stated != e.coefficients:
        wrong = [c for c in CATEGORIES if stated[c] != e.coefficients[c]]
        shown = ", ".join(f"{c} {stated[c]} (§3: {e.coefficients[c]})" for c in wrong)
        out.append(f"the claim's coefficients differ from the law's condition: {shown}")
    if a.k != e.k:
        out.append(f"the claim's k is {a.k}, the law's threshold gives {e.k}")
    if a.ballots != e.ballots:
        out.append(f"the claim is over {a.ballots} ballots, its population has {e.ballots}")
    return out


def law_findings(plan: Plan, manifest: Manifest) -> list[tuple[str, str]]:
    """(subject, message) for each way ``plan`` departs from the assertions §3 derives from its ``law``;
    nothing when the plan has no ``law`` (a report made before it: A3 checks the assertions as stated)."""
    if plan.law is None:
        return []
    try:
        law = parse_law(plan.law)
    except ParseError as exc:
        return [("plan.json law", str(exc))]
    derived = derive(law, manifest)
    out = [("plan.json law", p) for p in derived.problems]
    if derived.problems:
        return out
    if (plan.valid, plan.adopted) != (derived.valid, derived.adopted):
        out.append(
            (
                "plan.json",
                f"reports valid {plan.valid}, adopted {plan.adopted}; the law's conditions on the manifest "
                f"give valid {derived.valid}, adopted {derived.adopted}",
            )
        )
    stated = plan.by_id()
    expected = {e.id: e for e in derived.assertions}
    for e in derived.assertions:
        if e.id not in stated:
            where = f" in unit {e.unit}" if e.unit else ""
            out.append(
                (
                    f"plan.json assertion {e.id}",
                    f"missing: the reported outcome rests on condition {e.condition}{where} (§3)",
                )
            )
            continue
        out += [(f"plan.json assertion {e.id}", d) for d in _differences(stated[e.id], e)]
    for a in plan.assertions:
        if a.id not in expected:
            out.append((f"plan.json assertion {a.id}", "not an assertion the law's outcome needs (§3)"))
    if not out and [a.id for a in plan.assertions] != [e.id for e in derived.assertions]:
        out.append(("plan.json", "the assertions are not in §3's order (trivial last, then margin, then id)"))
    return out
