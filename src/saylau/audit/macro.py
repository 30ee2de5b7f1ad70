"""Batch comparison over precinct protocols: MACRO (Stark, "Efficient post-election audits of multiple
contests: 2009 California tests", CELS 2009; "Risk-limiting post-election audits: P-values from common
probability inequalities", IEEE TIFS 4, 2009), generalised to SHANGRLA assorters (spec/audit.md §4).

For an assertion ``c`` with assorter ``a`` over the batches of its population, ``A_c(b)`` is the reported
assorter total of batch ``b`` and ``M_c = Σ_b A_c(b) − N/2`` the reported margin in assorter units. Then

- ``u_bc = A_c(b) / M_c``: the largest overstatement batch ``b`` can hide (its assorter cannot fall below 0);
  for Yes over No this is MACRO's ``(v_wb − v_lb + b_b) / V_wl``;
- ``u_b = max_c u_bc`` (MACRO: the maximum across-contest relative overstatement), ``U = Σ_b u_b``;
- batches are drawn with replacement with probability ``u_b / U`` (PPS);
- a drawn batch's taint for ``c`` is ``t = e_bc / u_b``, ``e_bc = (A_c(reported) − A_c(hand count)) / M_c``
  (ballots missing from the hand count count as assorter 0);
- the risk of ``c`` after the draws is ``∏_j (1 − 1/U) / (1 − t_jc)`` (Kaplan–Markov), capped at 1;
- the planner asks ``n = ⌈(ln α − ln risk) / ln(1 − 1/U)⌉ + 1`` draws: the +1 is Arlo's padding after an
  unnecessary escalation in Loudoun County (votingworks/arlo issue 1846, PR 1875).

The weights are exact integers (``u_b`` times one common denominator), so a draw is exact and fast.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from saylau.audit.assertions import Assertion
from saylau.audit.assorters import BallotCounts
from saylau.audit.codes import AuditCode
from saylau.audit.errors import AuditError
from saylau.audit.plan import check_risk_limit

__all__ = [
    "Batch",
    "MacroPlan",
    "MacroRisk",
    "Manifest",
    "Measurement",
    "macro_draws",
    "macro_plan",
    "macro_risk",
    "macro_sample_size",
    "product_risk",
]

# A float risk is nudged up by this relative amount: the product is computed in floating point and a risk
# must never be understated (spec/audit.md §1).
_NUDGE = 1e-9


@dataclass(frozen=True, slots=True)
class Batch:
    """A batch of the manifest (a precinct's ballots) with its reported protocol figures."""

    id: str
    unit: str | None
    reported: BallotCounts

    @property
    def ballots(self) -> int:
        return self.reported.ballots


@dataclass(frozen=True, slots=True)
class Manifest:
    """The batches, in the order of their ids' UTF-8 bytes (the order the sampler uses)."""

    batches: tuple[Batch, ...]

    @classmethod
    def of(cls, batches: Sequence[Batch]) -> Manifest:
        twice = sorted(bid for bid, n in Counter(b.id for b in batches).items() if n > 1)
        if twice or not batches:
            raise AuditError(
                "a manifest lists each batch once and has at least one" + (f": twice {twice[:5]}" if twice else ""),
                code=AuditCode.BAD_MANIFEST,
                details={"twice": twice},
            )
        # code-point order is the order of the UTF-8 bytes (UTF-8 keeps it), and faster to sort by
        return cls(tuple(sorted(batches, key=lambda b: b.id)))

    def index(self) -> dict[str, int]:
        return {b.id: i for i, b in enumerate(self.batches)}


@dataclass(frozen=True, slots=True)
class _Scaled:
    """One assertion's integer form: values ×D, ``g = 2·D·M_c``, ``lift = L / g``."""

    assertion: Assertion
    ints: tuple[int, int, int, int]
    g: int
    lift: int


@dataclass(frozen=True, slots=True)
class MacroPlan:
    """The PPS weights ``u_b × scale`` of every batch (manifest order) for the sampled assertions.

    ``full_count``: assertions with no reported margin: no sample can confirm them; their scope is hand counted.
    """

    manifest: Manifest
    assertions: tuple[Assertion, ...]
    weights: tuple[int, ...]
    scale: int
    full_count: tuple[str, ...]
    terms: tuple[_Scaled, ...]
    positions: Mapping[str, int]  # batch id -> its place in the manifest (built once: the risk is per entry)

    total: int  # Σ weights (kept: the risk is computed after every entry)

    @property
    def u(self) -> Fraction:
        """MACRO's U = Σ_b u_b."""
        return Fraction(self.total, self.scale)


@dataclass(frozen=True, slots=True)
class Measurement:
    assertion: str
    risk: float
    confirmed: bool


@dataclass(frozen=True, slots=True)
class MacroRisk:
    """The risk of each assertion after the draws; ``escalate`` names those not yet confirmed.

    ``overstatements``: (batch, assertion, e_bc) for each drawn batch whose hand count differs for an
    assertion (e in units of the assertion's margin: positive = the protocol overstated the outcome)."""

    measurements: tuple[Measurement, ...]
    confirmed: bool
    escalate: tuple[str, ...]
    overstatements: tuple[tuple[str, str, Fraction], ...]


def _in_scope(a: Assertion, batch: Batch) -> bool:
    return a.unit is None or batch.unit == a.unit


def macro_plan(manifest: Manifest, assertions: Sequence[Assertion]) -> MacroPlan:
    """The MACRO weights for the sampled, non-trivial ``assertions`` over ``manifest``."""
    sampled = [a for a in assertions if a.method == "sample" and not a.trivial and a.assorter is not None]
    scaled: list[tuple[Assertion, tuple[int, int, int, int], int]] = []
    # no assorter and not trivial: no sample can confirm it, its population is hand counted
    full = [a.id for a in assertions if a.method == "sample" and not a.trivial and a.assorter is None]
    totals = _scope_totals(manifest)
    for a in sampled:
        assert a.assorter is not None
        d, ints = a.assorter.scaled()
        scope = totals.get(a.unit, BallotCounts(0, 0))
        if scope.ballots != a.claim.ballots:
            raise AuditError(
                f"the manifest has {scope.ballots} ballots for {a.id}, the results {a.claim.ballots}",
                code=AuditCode.BAD_MANIFEST,
                details={"assertion": a.id, "manifest": scope.ballots, "results": a.claim.ballots},
            )
        g = 2 * _dot(ints, scope) - d * scope.ballots  # 2·D·M_c (the assorter total is linear in the counts)
        if g <= 0:
            full.append(a.id)
        else:
            scaled.append((a, ints, g))
    scale = math.lcm(*(g for _, _, g in scaled)) if scaled else 1
    items = tuple(_Scaled(a, ints, g, scale // g) for a, ints, g in scaled)
    weights = _weights(manifest, items)
    kept = tuple(s.assertion for s in items)
    return MacroPlan(manifest, kept, weights, scale, tuple(full), items, manifest.index(), sum(weights))


def _scope_totals(manifest: Manifest) -> dict[str | None, BallotCounts]:
    """The reported ballots of the nation (key None) and of each unit, in one pass."""
    sums: dict[str | None, list[int]] = {None: [0, 0, 0, 0]}
    for b in manifest.batches:
        r = b.reported
        for key in (None, b.unit) if b.unit is not None else (None,):
            t = sums.setdefault(key, [0, 0, 0, 0])
            t[0] += r.yes
            t[1] += r.no
            t[2] += r.invalid
            t[3] += r.not_counted
    return {k: BallotCounts(*v) for k, v in sums.items()}


def _dot(ints: tuple[int, int, int, int], c: BallotCounts) -> int:
    return ints[0] * c.yes + ints[1] * c.no + ints[2] * c.invalid + ints[3] * c.not_counted


def _weights(manifest: Manifest, items: Sequence[_Scaled]) -> tuple[int, ...]:
    """u_b × scale = max over the batch's assertions of 2·(D·A_c(b))·lift_c (a hot loop: plain ints)."""
    national = [(*s.ints, 2 * s.lift) for s in items if s.assertion.unit is None]
    terms: dict[str | None, list[tuple[int, int, int, int, int]]] = {}
    for s in items:
        if s.assertion.unit is not None:
            terms.setdefault(s.assertion.unit, list(national)).append((*s.ints, 2 * s.lift))
    out: list[int] = []
    append = out.append
    for b in manifest.batches:
        r = b.reported
        y, no, inv, nc = r.yes, r.no, r.invalid, r.not_counted
        best = 0
        for i0, i1, i2, i3, lift in terms.get(b.unit, national):
            w = (i0 * y + i1 * no + i2 * inv + i3 * nc) * lift
            if w > best:  # noqa: PLR1730  # a hot loop: a comparison is cheaper than a call to max
                best = w
        append(best)
    return tuple(out)


def macro_risk(
    plan: MacroPlan, draws: Sequence[str], hand_counts: Mapping[str, BallotCounts], risk_limit: Fraction
) -> MacroRisk:
    """The risk of each assertion after ``draws`` (batch ids in draw order, a batch once per time drawn)."""
    check_risk_limit(risk_limit)
    index = plan.positions
    _check_entries(plan, draws, hand_counts)
    measurements, overs = [], []
    for s in plan.terms:

        def taints(s: _Scaled = s) -> Iterator[Fraction]:
            for bid in draws:
                batch = plan.manifest.batches[index[bid]]
                if not _in_scope(s.assertion, batch):
                    yield Fraction(0)
                    continue
                diff = _dot(s.ints, batch.reported) - _dot(s.ints, hand_counts[bid])
                if diff:
                    overs.append((bid, s.assertion.id, Fraction(2 * diff, s.g)))
                yield Fraction(2 * diff * s.lift, plan.weights[index[bid]])

        risk = product_risk(plan.u, taints())
        measurements.append(Measurement(s.assertion.id, risk, risk <= risk_limit))
    measurements += [Measurement(a, 1.0, False) for a in plan.full_count]
    escalate = tuple(m.assertion for m in measurements if not m.confirmed)
    return MacroRisk(tuple(measurements), not escalate, escalate, tuple(overs))


def product_risk(u: Fraction, taints: Iterable[Fraction]) -> float:
    """MACRO's risk after draws with these taints (§4): ``Π (1 − 1/U) / (1 − t_i)``, capped at 1, in floating
    point nudged up; 1 at the first taint of 1 or more (no evidence), the taints after it not read. A draw
    out of the assertion's scope has taint 0. One product for a question's batches and a contest's."""
    step = math.log1p(-1 / u)
    log_risk = 0.0
    for taint in taints:
        if taint >= 1:
            return 1.0
        log_risk += step - math.log1p(-float(taint))
    return min(1.0, math.exp(log_risk) * (1 + _NUDGE))


def _check_entries(plan: MacroPlan, draws: Sequence[str], hand_counts: Mapping[str, BallotCounts]) -> None:
    index = plan.positions
    unknown = sorted({d for d in (*draws, *hand_counts) if d not in index})
    if unknown:
        raise AuditError(
            f"not in the manifest: {unknown[:5]}", code=AuditCode.UNKNOWN_BATCH, details={"batches": unknown}
        )
    missing = sorted({d for d in draws if d not in hand_counts})
    if missing:
        raise AuditError(f"no hand count for drawn batches {missing[:5]}", code=AuditCode.UNKNOWN_BATCH,
                         details={"batches": missing})  # fmt: skip
    for bid, count in hand_counts.items():
        if count.ballots > plan.manifest.batches[index[bid]].ballots:
            raise AuditError(
                f"batch {bid}: the hand count has more ballots than the manifest",
                code=AuditCode.BAD_HAND_COUNT,
                details={"batch": bid, "hand_count": count.ballots},
            )


def macro_sample_size(plan: MacroPlan, risk_limit: Fraction, risk_so_far: float = 1.0) -> int:
    """More draws to reach the risk limit if no discrepancy is found: ⌈(ln α − ln risk)/ln(1 − 1/U)⌉ + 1."""
    check_risk_limit(risk_limit)
    if plan.full_count or not plan.assertions:
        return 0 if not plan.full_count else len(plan.manifest.batches)
    return macro_draws(plan.u, risk_limit, risk_so_far)


def macro_draws(u: Fraction, risk_limit: Fraction, risk_so_far: float = 1.0) -> int:
    """⌈(ln α − ln risk)/ln(1 − 1/U)⌉ + 1 draws for MACRO's U (0 when the risk is already at the limit)."""
    check_risk_limit(risk_limit)
    if risk_so_far <= risk_limit:
        return 0
    return math.ceil((math.log(risk_limit) - math.log(risk_so_far)) / math.log1p(-1 / u)) + 1
