"""Laws of the forensics core, on generated inputs (hypothesis): the integer-percentage rule against its
definition in exact fractions; every precinct is analysed or excluded with a reason; the figures add up."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.forensics import ExclusionReason, ForensicsInput, ForensicsSettings, PrecinctData, Special, analyse
from saylau.forensics.heaping import at_multiple


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))), st.sampled_from([1, 5]))
def test_at_a_multiple_is_the_nearest_count_to_a_round_percentage(kn: tuple[int, int], step: int) -> None:
    k, n = kn
    # some multiple P of step (0..100) with |k - P n / 100| <= 1/2, in exact arithmetic
    want = any(abs(k - Fraction(p * n, 100)) <= Fraction(1, 2) for p in range(0, 101, step))
    assert bool(at_multiple(np.array([k]), np.array([n]), step)[0]) is want


precinct = st.builds(
    lambda i, registered, cast, yes, special: PrecinctData(
        f"P{i}", f"R{i % 3}", registered, cast, {"yes": yes, "no": max(cast - yes, 0)}, special
    ),
    st.integers(0, 10**6),
    st.integers(0, 3000),
    st.integers(0, 3000),
    st.integers(0, 3000),
    st.none() | st.sampled_from(Special),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(precinct, min_size=1, max_size=40, unique_by=lambda p: p.code))
def test_every_precinct_is_analysed_or_excluded_with_its_reason(precincts: list[PrecinctData]) -> None:
    data = ForensicsInput("q", tuple(precincts), winner="yes")
    report = analyse(data, seed=0, settings=ForensicsSettings(heaping_simulations=5, fit_incremental=(0.5, 2)))
    excluded = {e.code: e for e in report.exclusions}
    assert report.analysed + len(excluded) == report.precincts == len(precincts)
    for p in precincts:
        e = excluded.get(p.code)
        if p.special is not None:
            assert e is not None
            assert (e.reason, e.special) == (ExclusionReason.SPECIAL, p.special)
        elif p.registered < 100:
            assert e is not None
            assert e.reason is ExclusionReason.SMALL
        elif p.cast > p.registered or sum(p.votes.values()) > p.cast:
            assert e is not None
            assert e.reason is ExclusionReason.OVER_REGISTERED
        elif sum(p.votes.values()) == 0:
            assert e is not None
            assert e.reason is ExclusionReason.NO_VOTES
        else:
            assert e is None
    assert sum(report.excluded_by_reason.values()) == len(excluded)
    for o in report.outliers.precincts:
        assert o.code not in excluded
        assert o.turnout >= 0.95
        assert o.share >= 0.95
