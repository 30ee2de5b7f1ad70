"""The verifier's own audit sampler (spec/audit.md §7) against spec/vectors/audit/sampler.json, and the scale
invariance that lets it draw MACRO's rational weights without the producer's common denominator."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest

from conftest import REPO
from saylau_verify.audit.files import fraction
from saylau_verify.audit.sampler import draw_ballots, draw_pps, sample_without_replacement, ticket
from saylau_verify.jsonread import ParseError

VECTORS: Any = json.loads((REPO / "spec" / "vectors" / "audit" / "sampler.json").read_text(encoding="utf-8"))
SEED = VECTORS["seed"]


@pytest.mark.parametrize("case", VECTORS["tickets"], ids=lambda c: f"{c['item']}-{c['j']}")
def test_tickets(case: dict[str, Any]) -> None:
    assert ticket(SEED, case["item"], case["j"]) == int(case["ticket_hex"], 16)


def test_sample_without_replacement() -> None:
    v = VECTORS["without_replacement"]
    assert sample_without_replacement(SEED, v["items"], v["n"]) == v["sample"]
    # a larger sample extends a smaller one; the order of the listing does not matter
    assert sample_without_replacement(SEED, v["items"][::-1], len(v["items"]))[: v["n"]] == v["sample"]


def test_pps_draws() -> None:
    v = VECTORS["pps"]
    assert draw_pps(SEED, v["items"], v["weights"], v["n"], v["start"]) == v["draws"]
    # draws 1..n are a prefix of 1..n+m, and a later round continues the sequence
    assert draw_pps(SEED, v["items"], v["weights"], 4, 1) + draw_pps(SEED, v["items"], v["weights"], 6, 5) == v["draws"]
    assert "P-001" not in draw_pps(SEED, v["items"], v["weights"], 200, 1)  # weight 0 is never drawn


def test_pps_draws_do_not_depend_on_the_weights_scale() -> None:
    v = VECTORS["pps"]
    scaled = [Fraction(w, 7) for w in v["weights"]]
    assert draw_pps(SEED, v["items"], scaled, v["n"], v["start"]) == v["draws"]
    assert draw_pps(SEED, v["items"], [3 * w for w in v["weights"]], v["n"], v["start"]) == v["draws"]


def test_ballot_draws() -> None:
    v = VECTORS["ballots"]
    got = draw_ballots(SEED, v["batches"], v["ballots"], v["n"], v["start"])
    assert [list(d) for d in got] == v["draws"]


def test_a_different_seed_draws_differently() -> None:
    v = VECTORS["pps"]
    assert draw_pps("1" * 20, v["items"], v["weights"], v["n"], v["start"]) != v["draws"]


def test_fractions_are_read_strictly() -> None:
    assert fraction("-3/4", "$") == Fraction(-3, 4)
    assert fraction("0/1", "$") == 0
    for bad in ("2/4", "1/0", "0.5", "1", 1, "1/-2"):
        with pytest.raises(ParseError):
            fraction(bad, "$")
