"""Per yes/no ballot on one core: encryption with proofs, verification, record size; decryption of 10^8.

A yes/no question (exactly 1 of 2) is sent in the compact form of spec/crypto.md §7.2 (b): one ciphertext and
one 0/1 proof, the "no" ciphertext derived. For comparison, the general form (a 0..1-of-2 question: two 0/1
proofs and the sum proof) is timed too.

Run: .venv/bin/python bench/bench_crypto.py   (targets: encryption ≤ 1 ms, verification ≤ 0.5 ms)
"""

from __future__ import annotations

import secrets
import time

from saylau.crypto import codec
from saylau.crypto.ballot import QuestionSpec, encrypt_ballot, verify_ballot
from saylau.crypto.credentials import issue_credential, signing_key
from saylau.crypto.elgamal import decrypt_to_element, discrete_log, encrypt
from saylau.crypto.group import base_mul, random_scalar

__all__ = ["main"]

ELECTION = "ab" * 32
YES_NO = (QuestionSpec("q1", ("yes", "no"), 1, 1),)
GENERAL = (QuestionSpec("q1", ("yes", "no"), 0, 1),)


def _per_call(fn: object, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()  # type: ignore[operator]
    return (time.perf_counter() - start) / repeat


def main(repeat: int = 300) -> None:
    rng = secrets.token_bytes
    secret = random_scalar(rng)
    key = base_mul(secret)
    credential, _ = issue_credential(ELECTION, rng)
    voter = signing_key(credential, ELECTION)
    ballot, _ = encrypt_ballot(YES_NO, [[1, 0]], key, ELECTION, "ballot-1", voter, rng)
    enc = _per_call(lambda: encrypt_ballot(YES_NO, [[1, 0]], key, ELECTION, "ballot-1", voter, rng), repeat)
    ver = _per_call(lambda: verify_ballot(ballot, YES_NO, key, ELECTION), repeat)
    general, _ = encrypt_ballot(GENERAL, [[1, 0]], key, ELECTION, "ballot-1", voter, rng)
    ver_general = _per_call(lambda: verify_ballot(general, GENERAL, key, ELECTION), repeat // 3 or 1)
    size = len(codec.dumps(ballot).encode("utf-8"))
    raw = 32 + len("ballot-1") + (64 + 2 * 64) + 64  # credential, id, one ciphertext + its 0/1 proof, signature
    ct, _ = encrypt(10**8, key, rng)
    start = time.perf_counter()
    value = discrete_log(decrypt_to_element(ct, secret))
    cold = time.perf_counter() - start
    start = time.perf_counter()
    discrete_log(decrypt_to_element(ct, secret))
    warm = time.perf_counter() - start
    print(f"yes/no ballot encryption with proofs + signature: {enc * 1e3:.3f} ms (target 1 ms)")
    print(f"yes/no ballot verification (proofs + signature):  {ver * 1e3:.3f} ms (target 0.5 ms)")
    print(f"  general form (0..1 of 2, for comparison):       {ver_general * 1e3:.3f} ms")
    print(f"record size per ballot: {size} bytes canonical JSON, {raw} bytes binary")
    print(f"decryption of a count of 10^8 = {value}: {cold * 1e3:.0f} ms cold (table build), {warm * 1e3:.0f} ms warm")


if __name__ == "__main__":
    main()
