"""The audit of one election contest (spec/audit.md §3a, §4, §10a): its plan — the assertions of §3a over
the contest's ballots — and MACRO batch comparison over the precincts' per-option counts.

A batch holds, for each option of the contest, the votes its protocol reports, and ``invalid``: the ballots
of the contest for no option (invalid or blank). An assertion ``Σ c(option) > k`` (``OptionAssertion``)
has the assorter ``a(option)`` and ``a(other)`` for the ballots for no option it names, so a batch's assorter
total is ``A_c(b) = Σ_o a(o)·v_bo + a(other)·(ballots_b − Σ_{o named} v_bo)`` — linear in the counts, as for
a referendum question (§4: the same weights, taints, risk and sizes; ``macro.macro_draws``). Exact
integers throughout: each assertion's values times their common denominator D.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from saylau.audit.codes import AuditCode
from saylau.audit.elections import OptionAssertion
from saylau.audit.errors import AuditError
from saylau.audit.macro import Measurement, macro_draws, product_risk
from saylau.audit.plan import check_risk_limit
from saylau.model.numbers import decimal_str, fraction_str, percent

__all__ = [
    "ContestBatch",
    "ContestMacro",
    "ContestPlan",
    "ContestRisk",
    "contest_macro",
    "contest_plan",
    "contest_plan_json",
    "contest_risk",
    "contest_sample_size",
]

ContestKindName = Literal["party_list", "district"]


@dataclass(frozen=True, slots=True)
class ContestBatch:
    """A precinct's ballots of the contest: votes per option (the contest's options, ballot order) and the
    ballots for no option (``invalid``). A hand count has the same form."""

    id: str
    unit: str | None
    votes: tuple[tuple[str, int], ...]
    invalid: int

    def __post_init__(self) -> None:
        if self.invalid < 0 or any(v < 0 for _, v in self.votes):
            raise AuditError(f"negative ballot count in batch {self.id}", code=AuditCode.BAD_HAND_COUNT)

    @property
    def ballots(self) -> int:
        return self.invalid + sum(v for _, v in self.votes)

    def as_dict(self) -> dict[str, int]:
        return dict(self.votes)


@dataclass(frozen=True, slots=True)
class ContestPlan:
    """The assertions of a contest's reported outcome, tightest first (spec/audit.md §3a, §10a)."""

    contest: str
    kind: ContestKindName
    scope: str  # the population of its assertions: "nation" or the contest's unit (a district's)
    preset: str
    preset_version: str
    risk_limit: Fraction
    ballots: int
    votes: tuple[tuple[str, int], ...]
    seats: tuple[tuple[str, int], ...]  # party list: the reported seats; district: () (see ``winner``)
    winner: str | None  # district: the option with the most votes (None: a party list)
    assertions: tuple[OptionAssertion, ...]
    hardest: OptionAssertion | None
    why_hardest: str


def contest_plan(
    *,
    contest: str,
    kind: ContestKindName,
    scope: str,
    preset: str,
    preset_version: str,
    risk_limit: Fraction,
    ballots: int,
    votes: Sequence[tuple[str, int]],
    seats: Sequence[tuple[str, int]],
    winner: str | None,
    assertions: Sequence[OptionAssertion],
) -> ContestPlan:
    """A plan from the contest's assertions: ``hardest`` the non-trivial one of the smallest margin."""
    check_risk_limit(risk_limit)
    ordered = tuple(sorted(assertions, key=lambda a: (a.margin, a.id)))
    hardest = ordered[0] if ordered else None
    if hardest is None:
        why = "nothing needs a sample: the contest has a single option"
    else:
        why = (
            f"{hardest.statement} has the smallest diluted margin, {percent(hardest.margin)}: the sample size "
            f"grows as 1/margin, so it sets the size of the audit; the {len(ordered) - 1} other assertion(s) "
            "are confirmed by fewer ballots"
        )
    return ContestPlan(contest, kind, scope, preset, preset_version, risk_limit, ballots, tuple(votes), tuple(seats),
                       winner, ordered, hardest, why)  # fmt: skip


def _assertion_json(a: OptionAssertion) -> dict[str, Any]:
    return {
        "id": a.id,
        "kind": a.kind,
        "statement": a.statement,
        "margin": decimal_str(a.margin, 10),
        "margin_exact": fraction_str(a.margin),
        "claim": {
            "coefficients": {o: fraction_str(c) for o, c in a.coefficients},
            "k": fraction_str(a.k),
            "ballots": a.ballots,
        },
        "assorter": {o: fraction_str(v) for o, v in a.assorter},
        "other": fraction_str(a.other),
    }


def contest_plan_json(plan: ContestPlan) -> dict[str, Any]:
    """spec/audit.md §10a (REPORT profile: it has nulls)."""
    return {
        "contest": plan.contest,
        "kind": plan.kind,
        "scope": plan.scope,
        "preset": plan.preset,
        "preset_version": plan.preset_version,
        "risk_limit": fraction_str(plan.risk_limit),
        "ballots": plan.ballots,
        "votes": dict(plan.votes),
        "seats": dict(plan.seats) if plan.kind == "party_list" else None,
        "winner": plan.winner,
        "assertions": [_assertion_json(a) for a in plan.assertions],
        "hardest": plan.hardest.id if plan.hardest else None,
        "why_hardest": plan.why_hardest,
    }


@dataclass(frozen=True, slots=True)
class _Term:
    """One assertion's integer form: option values ×D, the ``other`` value ×D, ``g = 2·D·M_c``, ``lift = L/g``."""

    assertion: OptionAssertion
    ints: Mapping[str, int]
    other: int
    g: int
    lift: int


@dataclass(frozen=True, slots=True)
class ContestMacro:
    """MACRO's weights ``u_b × scale`` of every batch (in the order of their ids) for the contest's
    assertions; ``full_count``: assertions with no reported margin (no sample can confirm them)."""

    batches: tuple[ContestBatch, ...]
    terms: tuple[_Term, ...]
    weights: tuple[int, ...]
    scale: int
    full_count: tuple[str, ...]
    positions: Mapping[str, int]
    total: int

    @property
    def u(self) -> Fraction:
        return Fraction(self.total, self.scale)

    @property
    def assertions(self) -> tuple[OptionAssertion, ...]:
        return tuple(t.assertion for t in self.terms)


@dataclass(frozen=True, slots=True)
class ContestRisk:
    measurements: tuple[Measurement, ...]
    confirmed: bool
    escalate: tuple[str, ...]


def _dot(term: _Term, b: ContestBatch) -> int:
    """D·A_c(b): the batch's assorter total times the assertion's common denominator."""
    named = 0
    total = 0
    for o, v in b.votes:
        i = term.ints.get(o)
        if i is not None:
            total += i * v
            named += v
    return total + term.other * (b.ballots - named)


def _dots(batches: Sequence[ContestBatch], ints: Mapping[str, int], other: int) -> list[int]:
    """D·A_c(b) of every batch (as ``_dot``: an option the claim does not name, and ``invalid``, at ``other``),
    one dot product per batch over the options in the batch's order (a hot loop: plain ints)."""
    out: list[int] = []
    order: tuple[str, ...] | None = None
    weights: list[int] = []
    for b in batches:
        names = tuple(o for o, _ in b.votes)
        if names != order:
            order, weights = names, [ints.get(o, other) for o in names]
        out.append(sum(w * v for w, (_, v) in zip(weights, b.votes, strict=True)) + other * b.invalid)
    return out


def _integer_form(a: OptionAssertion) -> tuple[int, dict[str, int], int]:
    d = math.lcm(a.other.denominator, *(v.denominator for _, v in a.assorter))
    return d, {o: int(v * d) for o, v in a.assorter}, int(a.other * d)


def contest_macro(batches: Sequence[ContestBatch], assertions: Sequence[OptionAssertion]) -> ContestMacro:
    """The MACRO weights over ``batches`` (every batch of the contest) for ``assertions``."""
    twice = sorted(b for b, n in Counter(x.id for x in batches).items() if n > 1)
    if twice or not batches:
        raise AuditError("a manifest lists each batch once and has at least one", code=AuditCode.BAD_MANIFEST,
                         details={"twice": twice[:100]})  # fmt: skip
    ordered = tuple(sorted(batches, key=lambda b: b.id))
    ballots = sum(b.ballots for b in ordered)
    full: list[str] = []
    raw: list[tuple[OptionAssertion, dict[str, int], int, int, list[int]]] = []
    for a in assertions:
        if a.ballots != ballots:
            raise AuditError(
                f"the manifest has {ballots} ballots for {a.id}, the results {a.ballots}",
                code=AuditCode.BAD_MANIFEST,
                details={"assertion": a.id, "manifest": ballots, "results": a.ballots},
            )
        d, ints, other = _integer_form(a)
        dots = _dots(ordered, ints, other)
        g = 2 * sum(dots) - d * ballots  # 2·D·M_c
        if g <= 0:
            full.append(a.id)
        else:
            raw.append((a, ints, other, g, dots))
    scale = math.lcm(*(g for *_, g, _ in raw)) if raw else 1
    terms = tuple(_Term(a, ints, other, g, scale // g) for a, ints, other, g, _ in raw)
    columns = [[2 * x * (scale // g) for x in dots] for *_, g, dots in raw]
    weights = tuple(max(0, *column) for column in zip(*columns, strict=True)) if columns else (0,) * len(ordered)
    positions = {b.id: i for i, b in enumerate(ordered)}
    return ContestMacro(ordered, terms, weights, scale, tuple(full), positions, sum(weights))


def contest_risk(
    plan: ContestMacro, draws: Sequence[str], hand_counts: Mapping[str, ContestBatch], risk_limit: Fraction
) -> ContestRisk:
    """The risk of each assertion after ``draws`` (batch ids in draw order, a batch once per time drawn),
    as ``macro.macro_risk`` (Kaplan–Markov, spec/audit.md §4)."""
    check_risk_limit(risk_limit)
    index = plan.positions
    unknown = sorted({d for d in (*draws, *hand_counts) if d not in index})
    missing = sorted({d for d in draws if d not in hand_counts})
    if unknown or missing:
        raise AuditError(f"not in the manifest or not hand counted: {(unknown + missing)[:5]}",
                         code=AuditCode.UNKNOWN_BATCH, details={"batches": (unknown + missing)[:100]})  # fmt: skip
    for bid, count in hand_counts.items():
        if count.ballots > plan.batches[index[bid]].ballots:
            raise AuditError(f"batch {bid}: the hand count has more ballots than the manifest",
                             code=AuditCode.BAD_HAND_COUNT, details={"batch": bid})  # fmt: skip
    measurements = []
    for t in plan.terms:
        taints = (
            Fraction(2 * (_dot(t, plan.batches[index[b]]) - _dot(t, hand_counts[b])) * t.lift, plan.weights[index[b]])
            for b in draws
        )
        risk = product_risk(plan.u, taints)
        measurements.append(Measurement(t.assertion.id, risk, risk <= risk_limit))
    measurements += [Measurement(a, 1.0, False) for a in plan.full_count]
    escalate = tuple(m.assertion for m in measurements if not m.confirmed)
    return ContestRisk(tuple(measurements), not escalate, escalate)


def contest_sample_size(plan: ContestMacro, risk_limit: Fraction, risk_so_far: float = 1.0) -> int:
    """Draws to reach the risk limit with no discrepancy (§4, with Arlo's +1); every batch when an
    assertion has no margin."""
    if plan.full_count:
        return len(plan.batches)
    if not plan.terms:
        return 0
    return macro_draws(plan.u, risk_limit, risk_so_far)
