"""Known-answer vectors in spec/vectors/crypto/*.json.

Regenerate (only when the construction deliberately changes, with a spec/crypto.md update):
    .venv/bin/python -m tests.unit.test_crypto_vectors --write   (from the repository root)
The vectors use a deterministic rng (``Drbg``), which is allowed ONLY in tests and vector generation.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.unit.test_crypto_support import ELECTION, Drbg

from saylau.crypto import codec
from saylau.crypto.ballot import (
    EncryptedBallot,
    QuestionSpec,
    ballot_ciphertexts,
    ballot_hash,
    encrypt_ballot,
    verify_ballot,
)
from saylau.crypto.credentials import CredentialSecret, signing_key
from saylau.crypto.elgamal import Ciphertext, encrypt
from saylau.crypto.group import PEDERSEN_H, Element, base_mul, random_scalar
from saylau.crypto.hashing import encode_part, hash_hex, hash_to_scalar
from saylau.crypto.proofs import (
    ProofContext,
    RangeProof,
    SchnorrProof,
    prove_range,
    prove_schnorr,
    verify_range,
    verify_schnorr,
)
from saylau.crypto.tracking import tracking_chain

VECTORS = Path(__file__).resolve().parents[2] / "spec" / "vectors" / "crypto"
HASH_CASES: list[tuple[str, list[Any]]] = [
    ("t", []),
    ("t", ["a|b"]),
    ("t", ["a", "b"]),
    ("t", [b"\x00\x01", 0, 255, 2**64]),
    ("t", [["nested", [1, 2]], "x"]),
]


def _hash_vectors() -> dict[str, Any]:
    cases = []
    for purpose, parts in HASH_CASES:
        parts_t = tuple(tuple(p) if isinstance(p, list) else p for p in parts)
        cases.append(
            {
                "purpose": purpose,
                "parts": repr(parts),
                "encoding": encode_part(("saylau-crypto-v1", purpose, *parts_t)).hex(),
                "sha256": hash_hex(purpose, *parts_t),
                "challenge": hash_to_scalar(purpose, *parts_t).hex(),
            }
        )
    return {"generator_H": PEDERSEN_H.hex(), "cases": cases}


def _schnorr_vector() -> dict[str, Any]:
    rng = Drbg("vector-schnorr")
    secret = random_scalar(rng)
    public = base_mul(secret)
    proof = prove_schnorr(secret, public, ProofContext(ELECTION).bind("vector"), rng)
    return {
        "election": ELECTION,
        "binding": ["vector"],
        "public": public.hex(),
        "proof": json.loads(codec.dumps(proof)),
    }


def _range_vector() -> dict[str, Any]:
    rng = Drbg("vector-range")
    key = base_mul(random_scalar(rng))
    ct, nonce = encrypt(1, key, rng)
    proof = prove_range(ct, 1, nonce, key, 0, 1, ProofContext(ELECTION).bind("vector"), rng)
    return {
        "election": ELECTION,
        "binding": ["vector"],
        "public_key": key.hex(),
        "ciphertext": json.loads(codec.dumps(ct)),
        "low": 0,
        "high": 1,
        "proof": json.loads(codec.dumps(proof)),
    }


QUESTIONS = (QuestionSpec("q1", ("yes", "no"), 1, 1), QuestionSpec("q2", ("a", "b", "c"), 0, 2))
"""q1 is sent in the compact form (spec/crypto.md §7.2), q2 in the general form."""
CHOICES = [[1, 0], [0, 1, 1]]


def _ballot_vector() -> dict[str, Any]:
    rng = Drbg("vector-ballot")
    key = base_mul(random_scalar(rng))
    voter = signing_key(CredentialSecret(bytes(range(32))), ELECTION)
    ballot, _ = encrypt_ballot(QUESTIONS, CHOICES, key, ELECTION, "ballot-1", voter, rng)
    digest = ballot_hash(ballot, ELECTION)
    options = ballot_ciphertexts(QUESTIONS, ballot)
    return {
        "choices": CHOICES,
        "option_ciphertexts": [[json.loads(codec.dumps(ct)) for ct in row] for row in options],
        "election": ELECTION,
        "public_key": key.hex(),
        "questions": [json.loads(codec.dumps(q)) for q in QUESTIONS],
        "credential_secret": bytes(range(32)).hex(),
        "ballot": json.loads(codec.dumps(ballot)),
        "ballot_hash": digest,
        "tracking_code": json.loads(codec.dumps(tracking_chain(ELECTION, [digest])[0])),
    }


GENERATORS = {"hashing": _hash_vectors, "schnorr": _schnorr_vector, "range": _range_vector, "ballot": _ballot_vector}


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_vector_matches_committed_file(name: str) -> None:
    committed = json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))
    assert committed == GENERATORS[name]()


def test_committed_vectors_verify_from_their_own_data() -> None:
    s = json.loads((VECTORS / "schnorr.json").read_text(encoding="utf-8"))
    proof = codec.loads(SchnorrProof, json.dumps(s["proof"]))
    assert verify_schnorr(Element.decode(bytes.fromhex(s["public"])), proof, ProofContext(ELECTION).bind("vector"))
    r = json.loads((VECTORS / "range.json").read_text(encoding="utf-8"))

    ct = codec.loads(Ciphertext, json.dumps(r["ciphertext"]))
    key = Element.decode(bytes.fromhex(r["public_key"]))
    assert verify_range(
        ct, key, 0, 1, codec.loads(RangeProof, json.dumps(r["proof"])), ProofContext(ELECTION).bind("vector")
    )
    b = json.loads((VECTORS / "ballot.json").read_text(encoding="utf-8"))
    ballot = codec.loads(EncryptedBallot, json.dumps(b["ballot"]))
    assert verify_ballot(ballot, QUESTIONS, Element.decode(bytes.fromhex(b["public_key"])), ELECTION)


def write() -> None:
    VECTORS.mkdir(parents=True, exist_ok=True)
    for name, generate in GENERATORS.items():
        text = json.dumps(generate(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        (VECTORS / f"{name}.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        raise SystemExit("usage: python -m tests.unit.test_crypto_vectors --write")
    write()
