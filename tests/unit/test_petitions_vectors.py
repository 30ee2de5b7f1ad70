"""The committed petitions vectors (spec/vectors/petitions/vectors.json; spec/petitions.md §3 and §6) are
reproduced: the statement's bytes, its two signatures, and the sample, the latter also from the spec's bytes."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from saylau.crypto.sampler import Seed
from saylau.crypto.signatures import verify_ed25519, verify_p256
from saylau.petitions import SignatureId, Statement, draw_sample, statement_bytes

V = json.loads((Path(__file__).resolve().parents[2] / "spec/vectors/petitions/vectors.json").read_text("utf-8"))


def statement() -> Statement:
    s = V["statement"]
    return Statement(
        s["petition"],
        s["identifier"],
        s["name"],
        date.fromisoformat(s["birth_date"]),
        date.fromisoformat(s["signed_on"]),
    )


def test_the_statement_bytes_and_both_signatures() -> None:
    msg = statement_bytes(statement())
    assert msg.hex() == V["statement_utf8_hex"]
    ed, p256 = V["ed25519"], V["ecdsa_p256"]
    assert verify_ed25519(bytes.fromhex(ed["public_key_hex"]), msg, bytes.fromhex(ed["signature_hex"]))
    assert verify_p256(bytes.fromhex(p256["public_key_hex"]), msg, bytes.fromhex(p256["signature_hex"]))
    assert not verify_ed25519(bytes.fromhex(ed["public_key_hex"]), msg[:-1], bytes.fromhex(ed["signature_hex"]))


def test_the_sample_from_the_spec_bytes() -> None:
    """§6: ticket = SHA-256(tag ‖ 0x00 ‖ u32 len ‖ seed ‖ u32 len ‖ id ‖ u64 1), smallest first, ties by the id."""
    s = V["sample"]
    got = draw_sample(Seed(s["seed"]), [SignatureId(i) for i in s["ids"]], s["n"])
    assert list(got) == s["drawn"]
    seed = s["seed"].encode()

    def ticket(item: str) -> int:
        b = item.encode()
        data = s["tag"].encode() + b"\x00" + len(seed).to_bytes(4, "big") + seed + len(b).to_bytes(4, "big") + b
        return int.from_bytes(hashlib.sha256(data + (1).to_bytes(8, "big")).digest(), "big")

    assert sorted(s["ids"], key=lambda i: (ticket(i), i.encode()))[: s["n"]] == s["drawn"]
