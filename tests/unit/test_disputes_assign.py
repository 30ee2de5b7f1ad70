"""Rapporteur assignment by a published rule: rotation and lot from a public seed (spec/disputes.md §7)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from saylau.disputes.assign import LOT_TAG, by_lot, by_rotation, lot_digest
from saylau.disputes.codes import DisputesCode
from saylau.disputes.errors import DisputeError

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "spec/vectors/disputes/lot.json").read_text("utf-8"))
BENCH = [f"J{i:02d}" for i in range(1, 12)]  # eleven judges (Constitutional Law No. 153-VII Art. 3)


def _by_hand(seed: str, case: str, judge: str) -> str:
    """The digest spelled out from spec/disputes.md §7, independently of the code."""
    out = b""
    for part in (LOT_TAG, seed, case, judge):
        raw = part.encode("utf-8")
        out += len(raw).to_bytes(4, "big") + raw
    return hashlib.sha256(out).hexdigest()


def test_the_lot_digest_vectors() -> None:
    assert VECTORS["tag"] == LOT_TAG
    for v in VECTORS["digests"]:
        assert lot_digest(v["seed"], v["case"], v["judge"]) == v["sha256"]
        assert _by_hand(v["seed"], v["case"], v["judge"]) == v["sha256"]


def test_assignment_by_lot_is_reproducible_from_the_seed() -> None:
    vector = VECTORS["assignment"]
    first = by_lot(vector["case"], vector["judges"], vector["seed"], recused=vector["recused"], count=vector["count"])
    again = by_lot(vector["case"], list(reversed(vector["judges"])), vector["seed"], vector["recused"], vector["count"])
    assert first.chosen == again.chosen == tuple(vector["chosen"])  # the bench's order does not matter
    assert [j for j, _ in first.ranking] == vector["ranking"]
    assert not set(first.chosen) & set(vector["recused"])
    other = by_lot(vector["case"], vector["judges"], vector["seed"] + "1", vector["recused"], vector["count"])
    assert other.ranking != first.ranking  # another seed, another order
    assert first.plain()["seed"] == vector["seed"]


def test_rotation_skips_the_recused_and_cycles() -> None:
    a = by_rotation("CC-5", BENCH, after="J03", recused=["J04"])
    assert a.chosen == ("J05",)
    assert a.plain() == {
        "case": "CC-5",
        "rule": "rotation",
        "judges": BENCH,
        "recused": ["J04"],
        "chosen": ["J05"],
        "seed": None,
        "after": "J03",
        "ranking": [],
    }
    assert by_rotation("CC-6", BENCH, after="J10", recused=["J11"], count=2).chosen == ("J01", "J02")
    assert by_rotation("CC-7", BENCH, after=None).chosen == ("J01",)


def test_assignment_refuses() -> None:
    with pytest.raises(DisputeError) as err:
        by_rotation("CC-8", ["J01", "J02"], after="J01", recused=["J01", "J02"])
    assert err.value.code == DisputesCode.NO_ELIGIBLE_JUDGE
    with pytest.raises(DisputeError) as err:
        by_lot("CC-8", BENCH, "", recused=[])
    assert err.value.code == DisputesCode.BAD_LOT_SEED
    with pytest.raises(DisputeError) as err:
        by_lot("CC-8", BENCH, "seed", recused=["J99"])
    assert err.value.code == DisputesCode.BAD_CASE
    with pytest.raises(DisputeError):
        by_rotation("CC-8", ["J01", "J01"], after=None)
