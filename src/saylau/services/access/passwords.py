"""Passwords: argon2id, hashed and verified in one place (accounts and their administration).

The parameters are RFC 9106's second recommended option ("low memory": t = 3 passes, m = 64 MiB,
p = 4 lanes; RFC 9106 §4), which is argon2-cffi's default profile. A verification takes the parameters
written in the stored hash, so a hash made with other parameters still verifies. The test suite hashes
with cheap parameters (tests/conftest.py replaces ``HASHER`` for the tests' own process); the CLI and the
server always use these (tests/e2e/test_cli_accounts_hash.py reads a hash the CLI stored).
"""

from __future__ import annotations

import functools

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["HASHER", "RECOMMENDED", "dummy_hash", "hash_password", "password_ok"]

RECOMMENDED = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
HASHER = RECOMMENDED


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (slow on purpose: never inside a write transaction)."""
    return HASHER.hash(password)


def password_ok(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from; a malformed hash is no match."""
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def dummy_hash() -> str:
    """An argon2 hash of nothing anyone types, made once: verified when the name is unknown, so that an
    unknown name costs what a known one does."""
    return HASHER.hash("saylau: no such account")
