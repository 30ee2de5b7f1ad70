"""The petitions' values (spec/petitions.md §1-§2): a petition, its threshold and verification rule, its
signatures on paper and online, withdrawals, and the register as plain values.

Everything is frozen; shares, rates and error rates are ``Fraction`` (STYLE habit 13). The register is not
imported from saylau.register: a :class:`Registrant` is the little the matching needs (identifier, name key,
birth date, dated residence and status), built by the service from whatever register it has.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Literal, NewType, assert_never

from saylau.crypto.signatures import SignatureAlgorithm
from saylau.petitions.codes import PetitionsCode
from saylau.petitions.errors import PetitionError

__all__ = [
    "MAX_FIELD",
    "CountThreshold",
    "FullCheck",
    "OnlineSignature",
    "PaperSignature",
    "Petition",
    "PetitionKind",
    "RandomSample",
    "Registrant",
    "Residence",
    "Sequential",
    "ShareThreshold",
    "Signature",
    "SignatureId",
    "Statement",
    "Status",
    "Threshold",
    "VerificationRule",
    "Withdrawal",
    "required_signatures",
]

SignatureId = NewType("SignatureId", str)
MAX_FIELD = 256  # characters in a name, an identifier, a sheet or collector id (spec/petitions.md §2)


class PetitionKind(StrEnum):
    RECALL = "recall"  # recall of a single-member district's deputy (kz Election Law ch. 13-2)
    INITIATIVE = "initiative"  # a citizens' initiative (a measure to put to the vote)
    NOMINATION = "nomination"  # signatures supporting a candidate's nomination


class Status(StrEnum):
    """A person's status in the register over an interval (the register's own list, as plain values)."""

    ACTIVE = "active"
    DECEASED = "deceased"
    MOVED = "moved"  # moved abroad / off the register
    DEPRIVED = "deprived"  # deprived of the right to vote by a court


@dataclass(frozen=True, slots=True)
class CountThreshold:
    """A fixed number of valid signatures."""

    count: int
    kind: Literal["count"] = "count"


@dataclass(frozen=True, slots=True)
class ShareThreshold:
    """A share of the scope's registered voters at a stated date (the register's count at ``as_of``)."""

    share: Fraction
    as_of: date
    kind: Literal["share"] = "share"


Threshold = CountThreshold | ShareThreshold


def required_signatures(threshold: Threshold, registered: int) -> int:
    """The number of valid signatures needed: the count, or ⌈share × registered⌉ (at least the share)."""
    match threshold:
        case CountThreshold(count=count):
            return count
        case ShareThreshold(share=share):
            return math.ceil(share * registered)
        case _:
            assert_never(threshold)


@dataclass(frozen=True, slots=True)
class FullCheck:
    """Every signature is checked against the register."""

    kind: Literal["full"] = "full"


@dataclass(frozen=True, slots=True)
class RandomSample:
    """California's random-sample rule (Cal. Elections Code §9030; 2 CCR §§20530-20532).

    ``share`` and ``minimum``: the sample is max(minimum, ⌈share × raw⌉) signatures, all when fewer;
    projected valid > ``qualify_above`` × required qualifies, < ``fail_below`` × required fails, else full count.
    """

    share: Fraction = Fraction(3, 100)
    minimum: int = 500
    qualify_above: Fraction = Fraction(110, 100)
    fail_below: Fraction = Fraction(95, 100)
    kind: Literal["random_sample"] = "random_sample"


@dataclass(frozen=True, slots=True)
class Sequential:
    """Wald's sequential probability ratio test on the valid rate (spec/petitions.md §7).

    H0: the valid rate is (1 − margin) × r*, H1: (1 + margin) × r* (capped below 1), r* = required / raw.
    Type I error (qualifying a petition at the H0 rate) ``alpha``, type II ``beta``; at most ``max_sample``
    signatures, then a full count."""

    alpha: Fraction = Fraction(1, 100)
    beta: Fraction = Fraction(1, 100)
    margin: Fraction = Fraction(5, 100)
    max_sample: int = 5000
    kind: Literal["sequential"] = "sequential"


VerificationRule = FullCheck | RandomSample | Sequential


@dataclass(frozen=True, slots=True)
class Petition:
    """A petition: its kind, the unit whose voters may sign, the period (both days included), the threshold
    and the verification rule, and the preset version that gave them (for the report's words)."""

    code: str
    kind: PetitionKind
    scope: str
    opens: date
    closes: date
    threshold: Threshold
    rule: VerificationRule
    min_age: int = 18
    preset: str = ""

    def __post_init__(self) -> None:
        problems = []
        if not 1 <= len(self.code) <= 64 or not self.code.isascii():
            problems.append("a code of 1 to 64 ASCII characters")
        if self.closes < self.opens:
            problems.append(f"closes {self.closes} before it opens {self.opens}")
        problems += _threshold_problems(self.threshold) + _rule_problems(self.rule)
        if problems:
            raise PetitionError(
                f"petition {self.code!r}: " + "; ".join(problems),
                code=PetitionsCode.PETITION_BAD_DEFINITION,
                details={"problems": problems},
            )


def _threshold_problems(t: Threshold) -> list[str]:
    if isinstance(t, CountThreshold):
        return [] if t.count >= 1 else ["a threshold of at least 1 signature"]
    return [] if 0 < t.share <= 1 else ["a threshold share in (0, 1]"]


def _rule_problems(rule: VerificationRule) -> list[str]:
    match rule:
        case FullCheck():
            return []
        case RandomSample():
            ok = 0 < rule.share <= 1 and rule.minimum >= 1 and 0 < rule.fail_below <= 1 <= rule.qualify_above
            return [] if ok else ["a sample share in (0, 1], a minimum >= 1 and fail_below <= 1 <= qualify_above"]
        case Sequential():
            ok = 0 < rule.alpha < 1 and 0 < rule.beta < 1 and 0 < rule.margin < 1 and rule.max_sample >= 1
            return [] if ok else ["alpha, beta and margin in (0, 1), max_sample >= 1"]
        case _:
            assert_never(rule)


@dataclass(frozen=True, slots=True)
class Residence:
    """Where a person was registered and with which status, from ``since`` to ``until`` (None: still)."""

    precinct: str
    status: Status
    since: date
    until: date | None = None

    def holds(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True, slots=True)
class Registrant:
    """A person on the register, as the matching needs them: ``history`` dated intervals, in order."""

    identifier: str
    name_key: str
    birth_date: date
    history: tuple[Residence, ...]

    def at(self, day: date) -> Residence | None:
        """The residence and status on ``day`` (None: not on the register that day)."""
        return next((r for r in self.history if r.holds(day)), None)


@dataclass(frozen=True, slots=True)
class PaperSignature:
    """A sheet line, as agreed by the double entry (keying.reconcile). ``signed_on`` is the date the signer
    wrote; ``seq`` the order of intake across channels (assigned by the service, unique per petition)."""

    id: SignatureId
    sheet: str
    collector: str
    line: int
    identifier: str | None
    name: str
    birth_date: date | None
    signed_on: date | None
    illegible: bool
    seq: int
    channel: Literal["paper"] = "paper"


@dataclass(frozen=True, slots=True)
class Statement:
    """What an online signer signs (its canonical bytes: online.statement_bytes, spec/petitions.md §3)."""

    petition: str
    identifier: str
    name: str
    birth_date: date
    signed_on: date


@dataclass(frozen=True, slots=True)
class OnlineSignature:
    """A statement signed in the browser: the public key (raw), the algorithm, the signature bytes, and the
    day the server received it (``received_on``, from the service's clock)."""

    id: SignatureId
    statement: Statement
    algorithm: SignatureAlgorithm
    public_key: bytes
    signature: bytes
    received_on: date
    seq: int
    channel: Literal["online"] = "online"


Signature = PaperSignature | OnlineSignature


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """A signer's withdrawal of one signature, with the day it was made."""

    signature: SignatureId
    withdrawn_on: date
