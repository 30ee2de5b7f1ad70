"""The assertions a reported outcome rests on, one preset condition at a time (spec/audit.md §3).

A condition ``num / den op f`` of a preset becomes one linear claim over the ballots of its population:

- ``den`` a ballot quantity (valid, participants): ``Σ_num (1−f) − Σ_{den∖num} f > 0`` (the
  supermajority assorter); when the condition is reported as failing, the complement
  ``Σ_{den∖num} f − Σ_num (1−f) > 0``. A ``≥`` condition is tested as ``>``: never less evidence
  than the law needs (a result exactly on the threshold cannot be confirmed by a sample);
- ``den`` the register (an approval quorum, Yes ≥ q × registered): ``Σ_num 1 > k`` with the trusted
  register total in ``k`` (``⌊qR⌋`` for ``>``, ``⌈qR⌉ − 1`` for ``≥``: exact for whole ballots);
- ``participants / registered`` (a turnout quorum) is a count of ballots against the register: it is
  checked by reconciling the ballots cast (the manifest) with the register and the poll books, not by a
  sample (reference: audits-and-forensics §3.4), and is listed with method ``reconciliation``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from saylau.audit.assorters import CATEGORIES, Assorter, BallotCounts, Category, LinearClaim, assorter_of
from saylau.audit.codes import AuditCode
from saylau.audit.errors import AuditError
from saylau.model.numbers import percent_beside
from saylau.model.tally import Tally
from saylau.rules.decide import threshold_str
from saylau.rules.types import Op, Quantity

__all__ = ["Assertion", "Method", "counts_of", "share_assertion"]

Method = Literal["sample", "reconciliation"]

_CATEGORIES_OF: Mapping[Quantity, tuple[Category, ...]] = {
    "yes": ("yes",),
    "no": ("no",),
    "valid": ("yes", "no"),
    "invalid": ("invalid",),
    "not_counted": ("not_counted",),
    "participants": CATEGORIES,
}
_NOUN: Mapping[Quantity, str] = {
    "registered": "registered voters",
    "participants": "participants",
    "yes": "Yes votes",
    "no": "No votes",
    "valid": "valid votes",
    "not_counted": "ballots not counted",
    "invalid": "invalid ballots",
}


@dataclass(frozen=True, slots=True)
class Assertion:
    """One claim the reported outcome needs, with its margin and why it is in the plan.

    ``margin``: for ``sample``, the diluted margin ``v/u`` of the assorter (``v = 2·mean − 1``; for
    Yes over No with no other ballots, (Yes − No)/ballots); for ``reconciliation``, ``(Σc − k)/ballots``.
    ``trivial``: the claim holds whatever the ballots say, so nothing needs to be drawn for it.
    ``claim`` and ``assorter`` are over ``claim.ballots`` ballots, the population's (nation or unit).
    ``num``, ``den``, ``op``, ``threshold``: the condition ``num/den op threshold`` that ``statement`` says
    in English (its negation when not ``condition_holds``); the pages say it in kk/ru/en from them.
    """

    id: str
    condition: str
    unit: str | None
    method: Method
    claim: LinearClaim
    assorter: Assorter | None
    margin: Fraction
    trivial: bool
    statement: str
    reason: str
    condition_holds: bool  # the condition as reported: the claim is the condition, or its complement
    # the condition's terms, for saying ``statement`` in another language: num/den op threshold
    num: Quantity
    den: Quantity
    op: Op
    threshold: Fraction


def counts_of(tally: Tally) -> BallotCounts:
    """The ballots of a tally by category (participants = Yes + No + invalid + not counted)."""
    return BallotCounts(tally.yes, tally.no, tally.invalid, tally.not_counted)


def _compare(left: Fraction, op: Op, right: Fraction) -> bool:
    return left > right if op == ">" else left >= right


def _claim(num: Quantity, den: Quantity, f: Fraction, op: Op, holds: bool, tally: Tally) -> LinearClaim:
    n = counts_of(tally).ballots
    if num not in _CATEGORIES_OF:
        raise AuditError(f"a condition on {num} cannot be audited", code=AuditCode.UNSUPPORTED_CONDITION)
    num_cats = _CATEGORIES_OF[num]
    if den == "registered":
        r = tally.registered
        k = Fraction(math.floor(f * r) if op == ">" else math.ceil(f * r) - 1)
        if holds:  # Σ_num > k
            return LinearClaim(tuple((c, Fraction(1)) for c in num_cats), k, n)
        return LinearClaim(tuple((c, Fraction(-1)) for c in num_cats), -k - 1, n)  # Σ_num ≤ k
    den_cats = _CATEGORIES_OF[den]
    if not set(num_cats) <= set(den_cats):
        raise AuditError(
            f"{num} is not part of {den}: the condition cannot be audited", code=AuditCode.UNSUPPORTED_CONDITION
        )
    sign = 1 if holds else -1
    coefficients = tuple(
        (c, sign * ((1 - f) if c in num_cats else -f)) for c in CATEGORIES if c in den_cats
    )  # fmt: skip
    return LinearClaim(coefficients, Fraction(0), n)


def _statement(num: Quantity, den: Quantity, f: Fraction, op: Op, holds: bool) -> str:
    text = f"{_NOUN[num]} {op} {threshold_str(f)} of {_NOUN[den]}"
    return text if holds else f"not ({text})"


def share_assertion(
    *,
    id: str,
    condition: str,
    unit: str | None,
    num: Quantity,
    den: Quantity,
    f: Fraction,
    op: Op,
    tally: Tally,
    reason: str,
) -> Assertion:
    """The assertion that ``num/den op f`` is as reported in ``tally`` (holds or fails)."""
    den_value = tally.registered if den == "registered" else sum(counts_of(tally).get(c) for c in _CATEGORIES_OF[den])
    num_value = sum(counts_of(tally).get(c) for c in _CATEGORIES_OF.get(num, ()))
    holds = den_value > 0 and _compare(Fraction(num_value, den_value), op, f)
    claim = _claim(num, den, f, op, holds, tally)
    statement = _statement(num, den, f, op, holds)
    shown = percent_beside(Fraction(num_value, den_value), f) if den_value else "no ballots"
    full_reason = f"{reason}; reported {shown}"
    counts = counts_of(tally)

    def made(method: Method, assorter: Assorter | None, margin: Fraction, trivial: bool, why: str) -> Assertion:
        return Assertion(
            id, condition, unit, method, claim, assorter, margin, trivial, statement, why, holds, num, den, op, f
        )

    if num == "participants" and den == "registered":  # Σ over every ballot: the ballot count itself
        margin = (claim.total(counts) - claim.k) / claim.ballots if claim.ballots else Fraction(0)
        why = full_reason + ": a count of ballots against the register, checked by reconciliation, not by a sample"
        return made("reconciliation", None, margin, False, why)
    if claim.trivially_true():
        return made(
            "sample",
            None,
            Fraction(1),
            True,
            full_reason + ": it holds whatever the ballots say, so nothing is drawn for it",
        )
    if claim.untestable():
        why = full_reason + ": no sample can test it (it fails only if every ballot is alike): a full hand count"
        return made("sample", None, Fraction(0), False, why)
    assorter = assorter_of(claim)
    v = 2 * assorter.total(counts) / counts.ballots - 1
    return made("sample", assorter, max(v, Fraction(0)) / assorter.upper, False, full_reason)
