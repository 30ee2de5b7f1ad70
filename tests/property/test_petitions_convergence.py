"""Sample estimates converge to the full count (spec/petitions.md §6): as the sample grows to every signature
the projection, its interval and the duplicate correction become the full count's figure."""

from __future__ import annotations

import math
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.petitions_helpers import SCOPE, name_key, person, petition

from saylau.crypto.sampler import Seed
from saylau.petitions import (
    InMemoryRegister,
    PaperSignature,
    SignatureId,
    california_estimate,
    draw_sample,
    match_signatures,
)

PEOPLE = 60
REG = InMemoryRegister([person(f"V{i:03d}", f"Voter {i}", date(1970, 1, 1)) for i in range(PEOPLE)])


def lines(signers: list[int]) -> list[PaperSignature]:
    """One sheet line per entry: a person's index (repeats are duplicates), or ≥ PEOPLE for someone unknown."""
    return [
        PaperSignature(
            SignatureId(f"paper:S:{k + 1}"), "S", "c", k + 1, f"V{i:03d}", "x", None, date(2024, 3, 5), False, k
        )
        for k, i in enumerate(signers)
    ]


signers_st = st.lists(st.integers(0, PEOPLE + 20), min_size=1, max_size=120)


@settings(max_examples=60, deadline=None)
@given(signers=signers_st, digits=st.text("0123456789", min_size=20, max_size=20))
def test_a_sample_of_every_signature_projects_the_full_count(signers: list[int], digits: str) -> None:
    """n = raw: value 1, weight 0; the projection is ⌈raw × rate⌉ with the rate to 0.01%, within raw/20,000 + 1
    of the full count's valid signatures; the interval collapses onto the valid count exactly."""
    sigs = lines(signers)
    full = match_signatures(petition(), sigs, (), REG, name_key, SCOPE)
    order = draw_sample(Seed(digits), [s.id for s in sigs], len(sigs))
    by_id = {s.id: s for s in sigs}
    sample = match_signatures(petition(), [by_id[i] for i in order], (), REG, name_key, SCOPE)
    e = california_estimate(len(sigs), sample)
    assert sample.valid == full.valid  # the first of a person by intake is counted whatever the sample order
    assert e.estimated_duplicates == 0
    assert abs(e.projected - full.valid) <= math.ceil(len(sigs) / 20_000) + 1
    assert e.ci_low == e.ci_high == full.valid


BIG = InMemoryRegister([person(f"W{i:05d}", f"W {i}", date(1970, 1, 1)) for i in range(3_000)])


@settings(max_examples=15, deadline=None, derandomize=True)
@given(digits=st.text("0123456789", min_size=20, max_size=20), valid_every=st.integers(2, 10))
def test_half_a_petition_projects_the_full_count_within_five_percent(digits: str, valid_every: int) -> None:
    """2,000 signatures, one in ``valid_every`` unknown to the register, 100 persons signing twice: a sample of
    1,000 projects the full count within 5% of the raw count. The sampling error's standard deviation is at most
    2,000 × √(¼/1,000 × ½) ≈ 22 (5% is 100, over 4 of them), and derandomized: the same seeds every run."""
    signers = [i if i % valid_every else 10_000 + i for i in range(1_900)] + list(range(1, 200, 2))[:100]
    sigs = [
        PaperSignature(SignatureId(f"p:{k}"), "S", "c", 1, f"W{i:05d}", "x", None, date(2024, 3, 5), False, k)
        for k, i in enumerate(signers)
    ]
    full = match_signatures(petition(), sigs, (), BIG, name_key, {"P1"})
    by_id = {s.id: s for s in sigs}
    order = draw_sample(Seed(digits), list(by_id), 1_000)
    sample = match_signatures(petition(), [by_id[i] for i in order], (), BIG, name_key, {"P1"})
    e = california_estimate(len(sigs), sample)
    assert abs(e.projected - full.valid) <= len(sigs) * 5 // 100
