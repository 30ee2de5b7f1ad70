"""The seed and the SHA-256 sampler (saylau.crypto.sampler, shared by the audit and the petitions) reproduce the
committed vectors (spec/audit.md §7)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.audit import Seed as AuditSeed
from saylau.crypto.sampler import SamplerError, Seed, draw_ballots, draw_pps, draw_without_replacement, ticket

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "spec/vectors/audit/sampler.json").read_text("utf-8"))
SEED = Seed(VECTORS["seed"])


def test_a_ticket_is_the_spec_bytes_hashed() -> None:
    """Written from spec/audit.md §7 without the module: tag, 0x00, u32 length + seed, u32 length + id, u64 j."""
    item = "Алматы-7".encode()
    data = b"saylau/audit/ticket/v1\x00" + (20).to_bytes(4, "big") + SEED.digits.encode()
    data += len(item).to_bytes(4, "big") + item + (1).to_bytes(8, "big")
    assert ticket(SEED, "Алматы-7", 1) == int(hashlib.sha256(data).hexdigest(), 16)


def test_tickets_match_the_vectors() -> None:
    for row in VECTORS["tickets"]:
        assert format(ticket(SEED, row["item"], row["j"]), "064x") == row["ticket_hex"]


def test_draws_match_the_vectors() -> None:
    w = VECTORS["without_replacement"]
    assert list(draw_without_replacement(SEED, w["items"], w["n"])) == w["sample"]
    p = VECTORS["pps"]
    assert list(draw_pps(SEED, p["items"], p["weights"], p["n"], p["start"])) == p["draws"]
    assert "P-001" not in p["draws"]  # weight 0: never drawn


@pytest.mark.parametrize(
    "text", ["1234567890123456789", "123456789012345678901", "1234567890123456789x", "１" * 20, ""]
)
def test_a_seed_is_exactly_twenty_ascii_digits(text: str) -> None:
    with pytest.raises(SamplerError) as err:
        Seed(text)
    assert err.value.code == "bad_seed"


@settings(max_examples=50, deadline=None)
@given(
    digits=st.text("0123456789", min_size=20, max_size=20),
    ids=st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=30, unique=True),
    n=st.integers(1, 10),
)
def test_draws_are_reproducible_consistent_and_extend(digits: str, ids: list[str], n: int) -> None:
    seed = Seed(digits)
    sample = draw_without_replacement(seed, ids, n)
    assert sample == draw_without_replacement(seed, list(reversed(ids)), n)  # the manifest's order does not matter
    assert draw_without_replacement(seed, ids, n + 3)[: len(sample)] == sample  # a larger sample extends it
    kept = ids[1:]  # removing an item keeps the others' relative order
    everyone = [i for i in draw_without_replacement(seed, ids, len(ids)) if i != ids[0]]
    assert everyone == list(draw_without_replacement(seed, kept, len(kept)))
    manifest = sorted(ids, key=str.encode)
    weights = [1 + i % 3 for i in range(len(manifest))]
    first = draw_pps(seed, manifest, weights, n)
    assert draw_pps(seed, manifest, weights, n + 2)[:n] == first
    assert draw_pps(seed, manifest, weights, 2, start=n + 1) == draw_pps(seed, manifest, weights, n + 2)[n:]


def test_pps_refuses_a_manifest_out_of_order() -> None:
    with pytest.raises(SamplerError) as err:
        draw_pps(SEED, ["b", "a"], [1, 1], 1)
    assert err.value.code == "sampler_bad_items"


def test_the_audit_uses_this_sampler_and_another_tag_draws_another_order() -> None:
    """The audit re-exports the same Seed; a purpose tag other than the audit's gives other tickets."""
    assert AuditSeed is Seed
    items = [f"s{i}" for i in range(40)]
    assert draw_without_replacement(SEED, items, 10) != draw_without_replacement(SEED, items, 10, b"other/v1")
    assert ticket(SEED, "x", 1, b"saylau/audit/ticket/v1") == ticket(SEED, "x", 1)


def test_ballot_draws_match_the_vectors_and_the_spec_bytes() -> None:
    b = VECTORS["ballots"]
    got = draw_ballots(SEED, b["batches"], b["ballots"], b["n"], b["start"])
    assert [list(x) for x in got] == b["draws"]
    data = b"saylau/audit/ballot/v1\x00" + (20).to_bytes(4, "big") + SEED.digits.encode() + (1).to_bytes(8, "big")
    r = (int(hashlib.sha256(data).hexdigest(), 16) * sum(b["ballots"])) >> 256  # spec §7, written out
    cumulative = 0
    for batch, count in zip(b["batches"], b["ballots"], strict=True):
        if r < cumulative + count:
            assert got[0] == (batch, r - cumulative + 1)
            break
        cumulative += count
    for batch, position in got:
        assert 1 <= position <= b["ballots"][b["batches"].index(batch)]
