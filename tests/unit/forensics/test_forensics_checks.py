"""The forensics checks on seeded synthetic elections of 10,000 precincts: a clean one is not flagged,
injected ballot stuffing is; exclusions, the caveat, the synthetic flag and the errors (spec/forensics.md)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.unit.forensics.synth import REGIONS, election

from saylau.forensics import (
    CAVEAT,
    ChannelComparison,
    ChannelPair,
    DigitTest,
    Distribution,
    ExclusionReason,
    Fingerprint,
    ForensicsCode,
    ForensicsError,
    ForensicsInput,
    ForensicsReport,
    ForensicsSettings,
    Heaping,
    PrecinctData,
    RegionSlope,
    Skipped,
    Special,
    analyse,
)
from saylau.forensics.fingerprint import simulate

FAST = ForensicsSettings(heaping_simulations=200)


@pytest.fixture(scope="module")
def clean() -> ForensicsReport:
    return analyse(election(101, special=40), seed=1, settings=FAST)


@pytest.fixture(scope="module")
def stuffed() -> tuple[ForensicsInput, ForensicsReport]:
    data = election(102, stuffed=0.05)
    return data, analyse(data, seed=2, settings=FAST)


@pytest.fixture(scope="module")
def rounded() -> ForensicsReport:
    return analyse(election(103, stuffed=0.05, round_numbers=True), seed=3, settings=FAST)


def test_a_clean_election_is_not_flagged(clean: ForensicsReport) -> None:
    assert clean.flags == ()
    assert isinstance(clean.fingerprint, Fingerprint)
    assert clean.fingerprint.fit.extreme < FAST.flag_extreme
    assert clean.fingerprint.fit.extreme < 0.005
    assert abs(clean.fingerprint.turnout_kurtosis) < 0.5
    for d in (clean.turnout, clean.share):
        assert isinstance(d, Distribution)
        assert d.dip_p > FAST.alpha
        assert sum(d.counts) == clean.analysed
    assert isinstance(clean.second_digit, DigitTest)
    assert isinstance(clean.last_digit, DigitTest)
    assert not clean.second_digit.flagged
    assert not clean.last_digit.flagged


def test_the_fingerprint_holds_every_precinct(clean: ForensicsReport) -> None:
    assert isinstance(clean.fingerprint, Fingerprint)
    counts = clean.fingerprint.counts
    assert len(counts) == len(counts[0]) == FAST.bins
    assert sum(map(sum, counts)) == clean.analysed


def test_ballot_stuffing_in_five_percent_of_precincts_is_flagged(
    stuffed: tuple[ForensicsInput, ForensicsReport],
) -> None:
    data, report = stuffed
    assert {"fingerprint", "turnout", "outliers"} <= set(report.flags)
    assert isinstance(report.fingerprint, Fingerprint)
    assert 0.03 <= report.fingerprint.fit.extreme <= 0.07  # 5% injected
    assert report.fingerprint.turnout_kurtosis > 1.0
    stuffed_codes = {p.code for p in data.precincts if p.cast >= 0.95 * p.registered and p.votes["no"] * 20 <= p.cast}
    listed = {o.code for o in report.outliers.precincts}
    assert listed == stuffed_codes - {e.code for e in report.exclusions}
    assert len(listed) > 300
    assert [o.code for o in report.outliers.precincts] == sorted(listed)


def test_stuffing_at_round_numbers_is_flagged_by_the_heaping_test(rounded: ForensicsReport) -> None:
    for heaping in (rounded.turnout_heaping, rounded.share_heaping):
        assert isinstance(heaping, Heaping)
        five = heaping.counts[1]
        assert five.step == 5
        assert five.observed > five.expected + 200
        assert five.p_value == pytest.approx(1 / (1 + FAST.heaping_simulations))
        assert heaping.flagged
    assert {"turnout_heaping", "share_heaping", "outliers"} <= set(rounded.flags)


def test_heaping_by_region_adds_up_to_the_national_test(rounded: ForensicsReport) -> None:
    heaping = rounded.turnout_heaping
    assert isinstance(heaping, Heaping)
    assert [r.region for r in heaping.regions] == sorted(REGIONS)
    assert sum(r.n for r in heaping.regions) == heaping.n == rounded.analysed
    for j in (0, 1):
        assert sum(r.counts[j].observed for r in heaping.regions) == heaping.counts[j].observed
        assert sum(r.counts[j].expected for r in heaping.regions) == pytest.approx(heaping.counts[j].expected)


def test_heaping_in_one_region_is_found_there() -> None:
    data = election(104, stuffed=0.3, round_numbers=True, region_only="R03")
    report = analyse(data, seed=4, settings=FAST)
    assert isinstance(report.turnout_heaping, Heaping)
    flagged = {r.region for r in report.turnout_heaping.regions if r.counts[1].flagged}
    assert "R03" in flagged
    assert len(flagged) <= 2  # the others at the false-alarm rate
    assert set(report.outliers.by_region) == {"R03"}


def test_exclusions_are_named_counted_and_left_out(clean: ForensicsReport) -> None:
    by_reason = clean.excluded_by_reason
    assert by_reason[ExclusionReason.SPECIAL] == 40
    assert by_reason[ExclusionReason.SMALL] > 0
    assert clean.analysed + len(clean.exclusions) == clean.precincts == 10_000
    special = [e for e in clean.exclusions if e.reason is ExclusionReason.SPECIAL]
    assert all(e.special is Special.ABROAD for e in special)
    assert {e.code for e in special} == {f"P{i:05d}" for i in range(40)}


def test_the_caveat_and_the_synthetic_flag_are_on_the_report(clean: ForensicsReport) -> None:
    assert clean.caveat == CAVEAT
    assert "anomalies, not fraud" in clean.caveat
    assert clean.synthetic is False
    data = dataclasses.replace(election(5, n=200), synthetic=True)
    assert analyse(data, seed=0, settings=FAST).synthetic is True


def test_the_report_is_reproduced_from_the_seed() -> None:
    data = election(6, n=1000)
    assert analyse(data, seed=9, settings=FAST) == analyse(data, seed=9, settings=FAST)
    other = analyse(data, seed=10, settings=FAST)
    assert isinstance(other.turnout_heaping, Heaping)
    assert other.seed == 10


@pytest.mark.parametrize("f_e", [0.02, 0.05, 0.1])
def test_the_fraud_fit_recovers_the_models_extreme_fraud(f_e: float) -> None:
    registered = np.random.default_rng(4).integers(300, 3000, 10_000)
    turnout, share = simulate(registered, (0.6, 0.08, 0.6, 0.08), 0.0, f_e, seed=8)
    cast = np.rint(turnout * registered).astype(int)
    won = np.rint(share * cast).astype(int)
    precincts = tuple(
        PrecinctData(f"S{i}", "R", int(registered[i]), int(cast[i]), {"w": int(won[i]), "o": int(cast[i] - won[i])})
        for i in range(len(registered))
    )
    report = analyse(ForensicsInput("q", precincts, winner="w"), seed=1, settings=FAST)
    assert isinstance(report.fingerprint, Fingerprint)
    assert report.fingerprint.fit.incremental < 0.1
    assert report.fingerprint.fit.extreme == pytest.approx(f_e, abs=0.01)
    assert report.fingerprint.flagged
    assert report.fingerprint.fit.residual < report.fingerprint.fit.residual_fair


def test_slopes_by_region_and_national() -> None:
    # share = 0.2 + 0.5 x turnout exactly in region A, = 0.9 - 0.5 x turnout in region B
    precincts = []
    for i in range(20):
        t = 300 + 20 * i  # of 1000
        precincts.append(
            PrecinctData(f"A{i}", "A", 1000, t, {"y": t // 5 + t * t // 2000, "n": t - (t // 5 + t * t // 2000)})
        )
    for i in range(20):
        t = 300 + 20 * i
        y = round(t * (0.9 - 0.5 * t / 1000))
        precincts.append(PrecinctData(f"B{i}", "B", 1000, t, {"y": y, "n": t - y}))
    report = analyse(ForensicsInput("q", tuple(precincts), winner="y"), seed=0, settings=FAST)
    a, b = report.slopes.regions
    assert isinstance(a, RegionSlope)
    assert isinstance(b, RegionSlope)
    assert (a.region, a.n, b.region) == ("A", 20, "B")
    assert a.slope == pytest.approx(0.5, abs=0.01)
    assert a.intercept == pytest.approx(0.2, abs=0.01)
    assert b.slope == pytest.approx(-0.5, abs=0.01)
    assert a.r > 0.99
    assert isinstance(report.slopes.national, RegionSlope)
    assert report.slopes.national.n == 40


def test_small_inputs_skip_the_distribution_checks() -> None:
    precincts = tuple(PrecinctData(f"P{i}", "R", 500, 300 + i, {"y": 200, "n": 100 + i}) for i in range(3))
    report = analyse(ForensicsInput("q", precincts), seed=0, settings=FAST)
    for check in (report.fingerprint, report.turnout, report.share, report.turnout_heaping, report.second_digit):
        assert isinstance(check, Skipped)
        assert check.reason
    assert isinstance(report.channels, Skipped)
    assert report.flags == ()


def test_paper_and_electronic_channels() -> None:
    same = ChannelPair("U1", {"yes": 600, "no": 400}, {"yes": 60, "no": 40})
    apart = ChannelPair("U2", {"yes": 600, "no": 400}, {"yes": 400, "no": 600})
    data = election(7, n=100)
    report = analyse(dataclasses.replace(data, channels=(apart, same), winner="yes"), seed=0, settings=FAST)
    assert isinstance(report.channels, ChannelComparison)
    u1, u2 = report.channels.units
    assert (u1.unit, u1.chi2, u1.p_value, u1.flagged) == ("U1", pytest.approx(0.0), pytest.approx(1.0), False)
    assert u2.difference == pytest.approx(-0.2)
    # 2 x 2 table (600 400 / 400 600): expected 500 each, chi2 = 4 x 100^2 / 500 = 80
    assert u2.chi2 == pytest.approx(80.0)
    assert u2.df == 1
    assert u2.flagged
    assert report.channels.df == 2
    assert report.channels.flagged


def _one(code: str = "P1", **votes: int) -> PrecinctData:
    return PrecinctData(code, "R", 500, 300, votes or {"y": 200, "n": 100})


@pytest.mark.parametrize(
    ("data", "settings", "code"),
    [
        (ForensicsInput("q", ()), FAST, ForensicsCode.NO_PRECINCTS),
        (ForensicsInput("q", (_one(), _one())), FAST, ForensicsCode.DUPLICATE_PRECINCT),
        (ForensicsInput("q", (_one(y=-1, n=3),)), FAST, ForensicsCode.NEGATIVE_COUNT),
        (ForensicsInput("q", (_one(), _one("P2", y=1, x=2))), FAST, ForensicsCode.OPTION_MISMATCH),
        (ForensicsInput("q", (_one(y=5),)), FAST, ForensicsCode.OPTION_MISMATCH),
        (ForensicsInput("q", (_one(),), winner="z"), FAST, ForensicsCode.UNKNOWN_OPTION),
        (ForensicsInput("q", (_one(y=5, n=5),)), FAST, ForensicsCode.WINNER_TIE),
        (ForensicsInput("q", (_one(),)), ForensicsSettings(alpha=1.5, bins=1), ForensicsCode.BAD_SETTING),
    ],
)
def test_input_no_check_can_read_is_refused(
    data: ForensicsInput, settings: ForensicsSettings, code: ForensicsCode
) -> None:
    with pytest.raises(ForensicsError) as caught:
        analyse(data, seed=0, settings=settings)
    assert caught.value.code == code


def test_a_bad_setting_names_every_setting_out_of_range() -> None:
    with pytest.raises(ForensicsError) as caught:
        ForensicsSettings(alpha=0, bins=1, heaping_simulations=0).check()
    assert caught.value.details["settings"] == ["alpha", "bins", "heaping_simulations"]


def test_the_fingerprint_on_too_few_precincts_is_shown_but_not_assessed() -> None:
    small = analyse(election(12, n=300), seed=1, settings=FAST)
    assert isinstance(small.fingerprint, Fingerprint)
    assert not small.fingerprint.assessed
    assert not small.fingerprint.flagged  # whatever the sparse fit says
    stuffed = analyse(election(12, n=300, stuffed=0.3), seed=1, settings=FAST)
    assert isinstance(stuffed.fingerprint, Fingerprint)
    assert not stuffed.fingerprint.flagged  # not assessed: the outliers and the dip speak for small elections
    loose = dataclasses.replace(FAST, flag_min_precincts=100)
    refit = analyse(election(12, n=300, stuffed=0.3), seed=1, settings=loose)
    assert isinstance(refit.fingerprint, Fingerprint)
    assert refit.fingerprint.assessed
    assert refit.fingerprint.flagged
    with pytest.raises(ForensicsError) as caught:
        ForensicsSettings(flag_min_precincts=0).check()
    assert caught.value.details["settings"] == ["flag_min_precincts"]
