"""Typed failures of the cryptographic core (STYLE.md habit 4).

Decoding problems raise :class:`EncodingError`; a proof or ballot that does not verify is reported as an
:class:`Invalid` verdict naming a stable :class:`FailureCode` and where it failed, and
:func:`require_valid` turns a verdict into a :class:`VerificationError` for callers that want an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from saylau.model.errors import SaylauError

__all__ = [
    "VALID",
    "CryptoError",
    "DlogNotFound",
    "EncodingError",
    "FailureCode",
    "Invalid",
    "Valid",
    "Verdict",
    "VerificationError",
    "require_valid",
]


class CryptoError(SaylauError):
    """Base of the cryptographic core's expected failures."""

    code = "crypto"


class EncodingError(CryptoError):
    """Bytes or JSON that are not the canonical encoding of a value of the expected type."""

    code = "crypto_encoding"


class DlogNotFound(CryptoError):
    """A decrypted group element is not m·G for any m in the searched range."""

    code = "crypto_dlog_not_found"


class FailureCode(StrEnum):
    """Why a verification failed. The values are stable and appear in reports."""

    BAD_CHALLENGE = "bad_challenge"  # a Fiat–Shamir challenge does not match the recomputed hash
    BAD_SHAPE = "bad_shape"  # wrong number of parts (options, branches, shares, coefficients)
    BAD_SIGNATURE = "bad_signature"
    BAD_SHARE = "bad_share"  # a key share does not match the published commitments
    IDENTITY = "identity"  # the identity element where it is forbidden
    MISMATCH = "mismatch"  # a re-computed value differs from the published one
    OUT_OF_RANGE = "out_of_range"
    UNKNOWN_GUARDIAN = "unknown_guardian"


@dataclass(frozen=True, slots=True)
class Valid:
    """The check passed."""

    def __bool__(self) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class Invalid:
    """The check failed: a stable ``code`` and a path-like ``where`` (e.g. ``question[0].option[1].proof``)."""

    code: FailureCode
    where: str

    def __bool__(self) -> bool:
        return False

    def at(self, prefix: str) -> Invalid:
        """The same failure, located under ``prefix``."""
        return Invalid(self.code, f"{prefix}.{self.where}" if self.where else prefix)


Verdict = Valid | Invalid
VALID = Valid()


class VerificationError(CryptoError):
    """Raised by :func:`require_valid` for an :class:`Invalid` verdict; ``code`` is the failure code."""

    code = "crypto_verification"

    def __init__(self, failure: Invalid):
        self.failure = failure
        super().__init__(
            f"verification failed at {failure.where or '(top)'}: {failure.code.value}",
            code=f"crypto_{failure.code.value}",
            details={"failure": failure.code.value, "where": failure.where},
        )


def require_valid(verdict: Verdict) -> None:
    """Raise :class:`VerificationError` unless ``verdict`` is :data:`VALID`."""
    if isinstance(verdict, Invalid):
        raise VerificationError(verdict)
