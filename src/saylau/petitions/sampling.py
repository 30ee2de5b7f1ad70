"""Random-sample verification (spec/petitions.md §6-§7): the sample drawn from a public seed, California's
projection with its duplicate correction and three zones, a confidence interval, and Wald's sequential test.

California (Cal. Elections Code §9030; 2 CCR §§20530-20532, example §20540):

- the sample is the greater of 500 signatures and 3% of the raw count (all of them when fewer);
- the valid rate ``v / n`` is computed as a percentage to two decimal places (§20530(c)); the raw count times
  that rate, rounded up, is the uncorrected projection (§20530(d));
- the value of a signature is ``raw / n`` to four decimal places (§20531(a)), a duplicate found in the sample
  weighs ``value × (value − 1)`` (§20531(b)), and the estimated duplicates in the whole petition are the
  duplicates found times that weight, rounded up (§20531(c));
- projected valid = uncorrected − estimated duplicates (§20532); above 110% of the requirement the petition
  qualifies, below 95% it fails, in between every signature is checked (§9030).

``v`` counts the sampled signatures that are valid and not a duplicate of an earlier one in the sample; a
duplicate found in the sample is the second (third, ...) signature of one person in the sample (saylau's
reading of §20531: with it, a sample of every signature projects exactly the full count).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from saylau.crypto.sampler import Seed, draw_without_replacement
from saylau.petitions.codes import PetitionsCode
from saylau.petitions.errors import PetitionError
from saylau.petitions.matching import Matching, MatchStatus
from saylau.petitions.model import RandomSample, Sequential, SignatureId

__all__ = [
    "SAMPLE_TAG",
    "Z_95",
    "Estimate",
    "SequentialResult",
    "SequentialState",
    "Zone",
    "california_estimate",
    "california_zone",
    "draw_sample",
    "pct",
    "round_half_up",
    "sample_size",
    "sequential_test",
]

SAMPLE_TAG = b"saylau/petitions/sample/v1"
Z_95 = Fraction(196, 100)  # the normal quantile of a two-sided 95% interval


class Zone(StrEnum):
    QUALIFIED = "qualified"
    FAILED = "failed"
    FULL_COUNT = "full_count"


def round_half_up(x: Fraction, places: int) -> Fraction:
    """``x`` rounded to ``places`` decimal places, halves up (x ≥ 0): the regulation's "compute to"."""
    scale = 10**places
    return Fraction(math.floor(x * scale + Fraction(1, 2)), scale)


def pct(x: Fraction) -> str:
    """``x`` as a percentage to two places, halves up, in exact arithmetic: 0.7147 -> "71.47%"."""
    hundredths = math.floor(x * 10_000 + Fraction(1, 2))
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def sample_size(rule: RandomSample, raw: int) -> int:
    """max(minimum, ⌈share × raw⌉), at most raw (Cal. Elections Code §9030)."""
    return min(raw, max(rule.minimum, math.ceil(rule.share * raw)))


def draw_sample(seed: Seed, ids: Sequence[SignatureId], n: int) -> tuple[SignatureId, ...]:
    """The first ``n`` signatures in the seed's consistent order (saylau.crypto.sampler, tag SAMPLE_TAG)."""
    return tuple(SignatureId(s) for s in draw_without_replacement(seed, ids, n, SAMPLE_TAG))


@dataclass(frozen=True, slots=True)
class Estimate:
    """Every figure of the projection, as the report shows them (spec/petitions.md §6)."""

    raw: int
    sample: int
    valid: int  # valid and not a duplicate within the sample
    duplicates: int  # duplicates found within the sample
    rate: Fraction  # v / n as a percentage to two places, as a fraction (0.7147)
    uncorrected: int  # ⌈raw × rate⌉
    signature_value: Fraction  # raw / n to four places
    duplicate_weight: Fraction  # value × (value − 1)
    estimated_duplicates: int  # ⌈duplicates × weight⌉
    projected: int  # uncorrected − estimated duplicates
    ci_low: int  # 95% interval of the projection (normal, finite-population corrected)
    ci_high: int


def california_estimate(raw: int, sample: Matching) -> Estimate:
    """The projection of 2 CCR §§20530-20532 from the sample's verdicts."""
    n = len(sample.matches)
    if not 1 <= n <= raw:
        raise PetitionError(
            f"a sample of {n} signatures out of {raw}",
            code=PetitionsCode.PETITION_BAD_SAMPLE,
            details={"sample": n, "raw": raw},
        )
    counts = sample.counts
    v, d = counts[MatchStatus.MATCHED], counts[MatchStatus.DUPLICATE]
    rate = round_half_up(Fraction(100 * v, n), 2) / 100
    uncorrected = math.ceil(raw * rate)
    value = round_half_up(Fraction(raw, n), 4)
    weight = value * (value - 1)
    dups = math.ceil(d * weight)
    low, high = _interval(raw, n, v)
    return Estimate(raw, n, v, d, rate, uncorrected, value, weight, dups, uncorrected - dups, low - dups, high - dups)


def _interval(raw: int, n: int, v: int) -> tuple[int, int]:
    """raw × p̂ ± z × raw × √(p̂(1 − p̂)/n × (raw − n)/(raw − 1)), outward to integers (exact but the root)."""
    p = Fraction(v, n)
    fpc = Fraction(raw - n, raw - 1) if raw > 1 else Fraction(0)
    half_sq = (Z_95 * raw) ** 2 * p * (1 - p) / n * fpc
    half = math.isqrt(math.ceil(half_sq))
    if half * half < half_sq:
        half += 1
    centre = raw * p
    return max(0, math.floor(centre - half)), min(raw, math.ceil(centre + half))


def california_zone(estimate: Estimate, required: int, rule: RandomSample) -> Zone:
    """> qualify_above × required qualifies; < fail_below × required fails; else a full count (§9030)."""
    if estimate.projected > rule.qualify_above * required:
        return Zone.QUALIFIED
    if estimate.projected < rule.fail_below * required:
        return Zone.FAILED
    return Zone.FULL_COUNT


class SequentialState(StrEnum):
    QUALIFIED = "qualified"
    FAILED = "failed"
    CONTINUE = "continue"  # draw and check more signatures
    FULL_COUNT = "full_count"  # max_sample reached undecided


@dataclass(frozen=True, slots=True)
class SequentialResult:
    state: SequentialState
    examined: int
    valid: int
    p0: Fraction
    p1: Fraction
    ratio: Fraction  # the likelihood ratio Λ after ``examined`` signatures
    accept_above: Fraction  # (1 − β) / α
    reject_below: Fraction  # β / (1 − α)


def sequential_test(rule: Sequential, raw: int, required: int, valid_in_order: Sequence[bool]) -> SequentialResult:
    """Wald's SPRT (Wald 1945, "Sequential tests of statistical hypotheses", Ann. Math. Statist. 16(2)) on the
    verdicts in the sample's draw order (True: valid and not a duplicate), in exact fractions.

    p* = required / raw; H0: p0 = (1 − margin) p*, H1: p1 = min((1 + margin) p*, 1 − 1/raw). After each
    signature Λ is multiplied by p1/p0 (valid) or (1 − p1)/(1 − p0); Λ ≥ (1 − β)/α qualifies, Λ ≤ β/(1 − α)
    fails; max_sample undecided is a full count."""
    if raw < 1 or required < 1:
        raise PetitionError(
            "a sequential test needs a raw count and a requirement", code=PetitionsCode.PETITION_BAD_SAMPLE
        )
    target = Fraction(required, raw)
    p0 = (1 - rule.margin) * target
    p1 = min((1 + rule.margin) * target, 1 - Fraction(1, raw + 1))
    accept, reject = (1 - rule.beta) / rule.alpha, rule.beta / (1 - rule.alpha)
    if required > raw or p1 <= p0:  # more valid signatures needed than there are signatures: it cannot qualify
        return SequentialResult(SequentialState.FAILED, 0, 0, p0, p1, Fraction(0), accept, reject)
    up, down = p1 / p0, (1 - p1) / (1 - p0)
    ratio, valid = Fraction(1), 0
    for k, ok in enumerate(valid_in_order[: rule.max_sample], start=1):
        valid += ok
        ratio *= up if ok else down
        if ratio >= accept:
            return SequentialResult(SequentialState.QUALIFIED, k, valid, p0, p1, ratio, accept, reject)
        if ratio <= reject:
            return SequentialResult(SequentialState.FAILED, k, valid, p0, p1, ratio, accept, reject)
    examined = min(len(valid_in_order), rule.max_sample)
    state = SequentialState.FULL_COUNT if examined >= rule.max_sample or examined >= raw else SequentialState.CONTINUE
    return SequentialResult(state, examined, valid, p0, p1, ratio, accept, reject)
