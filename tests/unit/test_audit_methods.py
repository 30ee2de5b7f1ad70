"""Oracle figures of the existing tools (shared/reference/audits-and-forensics.md §3.4) and the laws of the
risk measures (spec/audit.md §4-6)."""

from __future__ import annotations

import random
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.audit import (
    AuditError,
    BallotCounts,
    Batch,
    Manifest,
    Rates,
    Seed,
    Shares,
    bravo_asn,
    bravo_risk,
    bravo_round_size,
    comparison_risk,
    comparison_sample_size,
    counts_of,
    draw_pps,
    estimate_sizes,
    macro_plan,
    macro_risk,
    macro_sample_size,
    minerva_first_round,
    n_min,
    overstatement,
    plan_question,
    polling_shares,
    share_assertion,
)
from saylau.model.ids import QuestionCode
from saylau.model.tally import Tally, UnitRow
from saylau.rules import load_preset

ALPHA = F(1, 20)
KZ = Shares(F(77, 100), F(23, 100))  # 77% Yes / 23% No, no blank ballots
UK = load_preset("uk").versions[0]  # Yes > 1/2 of valid votes: the plain majority assorter


# ---- ballot comparison (super-simple, Stark 2010)


def test_comparison_77_23_needs_12_ballots_and_13_with_arlos_default_rates() -> None:
    assert comparison_sample_size(ALPHA, F(54, 100), 10_000_000) == 12  # rlacalc nmin, colorado-rla: 11.5
    assert comparison_sample_size(ALPHA, F(54, 100), 10_000_000, Rates()) == 13  # Arlo supersimple
    assert comparison_sample_size(F(1, 10), F(54, 100), 10_000_000, Rates()) == 10  # Arlo at 10%


def test_comparison_51_49() -> None:
    """The reference gives 339 (Arlo, with its default rates); the zero-discrepancy bound is 312."""
    assert comparison_sample_size(ALPHA, F(2, 100), 10_000_000) == 312
    assert abs(comparison_sample_size(ALPHA, F(2, 100), 10_000_000, Rates()) - 339) <= 1


@pytest.mark.parametrize(("f", "shangrla"), [(F(1, 2), 12), (F(2, 3), 30), (F(3, 4), 150)])
def test_supermajority_rows(f: F, shangrla: int) -> None:
    """SHANGRLA's comparison figures for 77% Yes under a qualified majority f: the assorter margin v/u,
    with no error inflation (γ → 1), is within a ballot; super-simple's γ = 1.03905 asks a few more."""
    a = share_assertion(id="q", condition="q", unit=None, num="yes", den="valid", f=f, op=">",
                        tally=Tally(20_000_000, 10_000_000, 7_700_000, 2_300_000), reason="r")  # fmt: skip
    assert a.assorter is not None
    assert a.assorter.value("yes") == 1 / (2 * f)
    assert a.assorter.value("no") == 0
    no_inflation = n_min(ALPHA, a.margin, gamma=F(1) + F(1, 10**9))
    assert abs(no_inflation - shangrla) <= 1
    assert n_min(ALPHA, a.margin) >= no_inflation


@settings(max_examples=200, deadline=None)
@given(
    margin=st.fractions(F(1, 100), 1),
    errors=st.lists(st.sampled_from([F(-2), F(-1), F(0), F(1), F(2)]), max_size=30),
    added=st.sampled_from([F(1, 2), F(1), F(2)]),
    where=st.integers(0, 30),
)
def test_comparison_risk_never_falls_when_a_discrepancy_is_added(
    margin: F, errors: list[F], added: F, where: int
) -> None:
    base = comparison_risk(margin, errors)
    worse = [*errors]
    if worse:
        i = where % len(worse)
        worse[i] = min(F(2), worse[i] + added)
    assert comparison_risk(margin, worse) >= base


# ---- ballot polling (BRAVO, Minerva)


def test_bravo_asn() -> None:
    assert bravo_asn(KZ, ALPHA) == 21
    assert bravo_asn(KZ, F(1, 10)) == 17
    assert bravo_asn(Shares(F(51, 100), F(49, 100)), ALPHA) == 15028


def test_bravo_round_sizes() -> None:
    """90%: 49, as Arlo and r2b2's EOR-BRAVO; 80%: 35 (Arlo 36); 70%: 27, the exact smallest round
    (Arlo's planner says 30)."""
    assert bravo_round_size(KZ, ALPHA, F(9, 10)) == 49
    assert abs(bravo_round_size(KZ, ALPHA, F(8, 10)) - 36) <= 1
    assert bravo_round_size(KZ, ALPHA, F(7, 10)) == 27


def test_minerva_first_round() -> None:
    """r2b2: 14 / 19 / 21 / 31 / 38 at 50 / 70 / 80 / 90 / 95%; the 90 and 95% figures are the rounds from
    which every larger round reaches the chance (``stable``); the smallest such rounds are 28 and 35."""
    assert [minerva_first_round(KZ, ALPHA, F(c, 100)) for c in (50, 70, 80)] == [14, 19, 21]
    assert [minerva_first_round(KZ, ALPHA, F(c, 100), stable=True) for c in (90, 95)] == [31, 38]
    assert minerva_first_round(KZ, ALPHA, F(9, 10)) <= 31


def test_bravo_risk() -> None:
    assert bravo_risk(KZ, 0, 0) == 1.0
    assert bravo_risk(KZ, 8, 0) < 0.05 < bravo_risk(KZ, 6, 0)  # 1.54^7 = 20.5
    assert bravo_risk(KZ, 20, 5) > bravo_risk(KZ, 20, 4)


# ---- batch comparison (MACRO)


def _election(batches: int, size: int, blank: F = F(0)) -> tuple[Manifest, Tally]:
    counted = size - int(size * blank)
    yes = counted * 77 // 100
    out = [Batch(f"P{i:06d}", None, BallotCounts(yes, counted - yes, size - counted)) for i in range(batches)]
    n = batches * size
    return Manifest.of(out), Tally(2 * n, n, yes * batches, (counted - yes) * batches, 0, (size - counted) * batches)


@pytest.mark.parametrize(("batches", "size"), [(10_000, 1_000), (500, 200), (50_000, 400)])
def test_macro_needs_8_draws_at_any_number_of_batches(batches: int, size: int) -> None:
    manifest, nat = _election(batches, size)
    plan = macro_plan(manifest, plan_question(UK, {}, QuestionCode("Q"), nat, []).assertions)
    assert abs(float(plan.u) - 2.85) < 0.01  # U = 1 + N / V
    assert macro_sample_size(plan, ALPHA) == 8


def test_macro_needs_9_draws_with_3_percent_blank() -> None:
    manifest, nat = _election(1_000, 1_000, F(3, 100))
    plan = macro_plan(manifest, plan_question(UK, {}, QuestionCode("Q"), nat, []).assertions)
    assert macro_sample_size(plan, ALPHA) == 9
    assert macro_sample_size(plan, F(1, 10)) in (7, 8)


def _small_plan() -> tuple:  # type: ignore[type-arg]
    batches = [Batch(f"B{i:02d}", None, BallotCounts(104, 96)) for i in range(100)]
    nat = Tally(40_000, 20_000, 10_400, 9_600)
    manifest = Manifest.of(batches)
    return manifest, macro_plan(manifest, plan_question(UK, {}, QuestionCode("Q"), nat, []).assertions)


@settings(max_examples=100, deadline=None)
@given(draws=st.lists(st.integers(0, 99), min_size=1, max_size=40), hit=st.integers(0, 39), shift=st.integers(1, 50))
def test_macro_risk_never_falls_when_a_discrepancy_is_added(draws: list[int], hit: int, shift: int) -> None:
    manifest, plan = _small_plan()
    ids = [manifest.batches[i].id for i in draws]
    clean = {i: manifest.batches[manifest.index()[i]].reported for i in ids}
    worse = dict(clean)
    target = ids[hit % len(ids)]
    worse[target] = BallotCounts(104 - min(shift, 104), 96 + min(shift, 104))  # Yes ballots found to be No
    base = macro_risk(plan, ids, clean, ALPHA).measurements[0].risk
    assert macro_risk(plan, ids, worse, ALPHA).measurements[0].risk >= base


def test_a_wrong_outcome_is_escalated_at_least_1_minus_alpha_of_the_time() -> None:
    """Reported Yes 52%, but in 10 of 100 batches the protocols moved 42 No votes to Yes: No truly wins by
    40 votes. Over 2,000 public seeds the planned MACRO sample escalates at least 95% of the time."""
    manifest, plan = _small_plan()
    truth = {b.id: b.reported for b in manifest.batches}
    for b in manifest.batches[::10]:
        truth[b.id] = BallotCounts(62, 138)
    n = macro_sample_size(plan, ALPHA)
    ids = [b.id for b in manifest.batches]
    escalated = 0
    for i in range(2_000):
        draws = draw_pps(Seed(f"{i:020d}"), ids, plan.weights, n)
        escalated += not macro_risk(plan, draws, {d: truth[d] for d in draws}, ALPHA).confirmed
    assert escalated >= 0.95 * 2_000


def test_macro_refuses_unknown_batches_and_impossible_hand_counts() -> None:
    manifest, plan = _small_plan()
    with pytest.raises(AuditError) as err:
        macro_risk(plan, ["nope"], {"nope": BallotCounts(1, 1)}, ALPHA)
    assert err.value.code == "unknown_batch"
    with pytest.raises(AuditError) as err:
        macro_risk(plan, ["B00"], {"B00": BallotCounts(300, 1)}, ALPHA)
    assert err.value.code == "bad_hand_count"
    with pytest.raises(AuditError) as err:
        Manifest.of([manifest.batches[0], manifest.batches[0]])
    assert err.value.code == "bad_manifest"
    with pytest.raises(AuditError) as err:
        macro_sample_size(plan, F(0))
    assert err.value.code == "bad_risk_limit"


def test_overstatements_in_votes_for_a_majority_and_a_supermajority() -> None:
    tally = Tally(20_000, 10_000, 7_700, 2_000, 0, 300)
    majority = share_assertion(id="m", condition="m", unit=None, num="yes", den="valid", f=F(1, 2), op=">",
                               tally=tally, reason="r")  # fmt: skip
    assert overstatement(majority, "yes", "no") == 2
    assert overstatement(majority, "yes", "invalid") == 1
    assert overstatement(majority, "no", "yes") == -2
    assert overstatement(majority, "yes", None) == 2  # a ballot not found counts against the outcome
    two_thirds = share_assertion(id="s", condition="s", unit=None, num="yes", den="valid", f=F(2, 3), op=">",
                                 tally=tally, reason="r")  # fmt: skip
    assert overstatement(two_thirds, "yes", "no") == 2  # u = 3/4: Yes → No takes the assorter from u to 0
    assert overstatement(two_thirds, "invalid", "no") == F(4, 3)  # 1/2 of u = 3/4, in votes


def test_bravo_for_a_supermajority_uses_the_threshold() -> None:
    two_thirds = Shares(F(77, 100), F(23, 100), F(2, 3))
    assert bravo_risk(two_thirds, 1, 0) == pytest.approx(float(F(2, 3) / F(77, 100)), rel=1e-8)
    assert bravo_asn(two_thirds, ALPHA) > bravo_asn(KZ, ALPHA)
    with pytest.raises(AuditError) as err:
        Shares(F(60, 100), F(40, 100), F(2, 3))  # 60% does not reach two thirds: nothing to confirm
    assert err.value.code == "bad_parameter"


def test_macro_over_units_confines_a_discrepancy_to_its_unit() -> None:
    """A double majority: a wrong protocol in unit A raises the risk of A's assertion (and the national one),
    never that of unit B."""
    version = load_preset("ch-double-majority").versions[0]
    batches = [Batch(f"{u}{i:02d}", u, BallotCounts(70, 30)) for u in "ABC" for i in range(20)]
    units = [UnitRow(u, Tally(4_000, 2_000, 1_400, 600)) for u in "ABC"]
    plan = plan_question(version, {}, QuestionCode("Q"), Tally(12_000, 6_000, 4_200, 1_800), units)
    assert {a.unit for a in plan.assertions} == {None, "A", "B"}  # 2 of 3 cantons make the majority
    macro = macro_plan(Manifest.of(batches), plan.assertions)
    draws = ["A00", "B00", "A01", "C05"]
    clean = {d: BallotCounts(70, 30) for d in draws}
    wrong = {**clean, "A00": BallotCounts(40, 60)}
    before = {m.assertion: m.risk for m in macro_risk(macro, draws, clean, ALPHA).measurements}
    after = {m.assertion: m.risk for m in macro_risk(macro, draws, wrong, ALPHA).measurements}
    unit_a = next(a.id for a in plan.assertions if a.unit == "A")
    unit_b = next(a.id for a in plan.assertions if a.unit == "B")
    national = next(a.id for a in plan.assertions if a.unit is None)
    assert after[unit_a] > before[unit_a]
    assert after[national] > before[national]
    assert after[unit_b] == before[unit_b]
    assert macro.weights[0] > 0


def test_the_planner_gives_every_method_for_a_77_23_referendum() -> None:
    manifest, nat = _election(10_000, 1_000)
    plan = plan_question(UK, {}, QuestionCode("Q"), nat, [])
    got = {(e.method, label): n for e in estimate_sizes(plan, {None: counts_of(nat)}, manifest) for label, n in e.sizes}
    assert got == {
        ("ballot_comparison", "no_discrepancies"): 12,
        ("ballot_comparison", "default_rates"): 13,
        ("bravo", "asn"): 21,
        ("bravo", "chance_70"): 27,
        ("bravo", "chance_80"): 35,
        ("bravo", "chance_90"): 49,
        ("minerva", "chance_70"): 19,
        ("minerva", "chance_80"): 21,
        ("minerva", "chance_90"): 28,
        ("batch_comparison", "no_discrepancies"): 8,
        ("alpha_comparison", "no_discrepancies"): 10,
        ("alpha_comparison", "default_rates"): 11,
        ("alpha_polling", "reported_shares"): 19,
        ("oneaudit", "no_discrepancies"): 19,  # every precinct 77/23: the ONE CVRs explain nothing
    }


def test_polling_shares_of_a_complement_and_of_a_quorum() -> None:
    """Not (Yes > 2/3 of valid) is No ≥ 1/3 of valid: the loser's side wins with threshold 1/3; a quorum over
    the register is not two-sided."""
    tally = Tally(1_000_000, 100_000, 60_000, 40_000)
    failing = share_assertion(id="s", condition="s", unit=None, num="yes", den="valid", f=F(2, 3), op=">",
                              tally=tally, reason="r")  # fmt: skip
    shares = polling_shares(failing, counts_of(tally))
    assert shares == Shares(F(40, 100), F(60, 100), F(1, 3))
    quorum = share_assertion(id="q", condition="q", unit=None, num="yes", den="registered", f=F(1, 20), op=">=",
                             tally=tally, reason="r")  # fmt: skip
    assert polling_shares(quorum, counts_of(tally)) is None


def test_a_wrong_polling_outcome_is_escalated_at_least_1_minus_alpha_of_the_time() -> None:
    """Reported 70% Yes / 30% No, but the paper says 49/51: over 2,000 seeded simulations of the sequential
    BRAVO test, run up to the round with a 90% chance for the reported shares, at least 95% never stop."""
    reported = Shares(F(70, 100), F(30, 100))
    cap = bravo_round_size(reported, ALPHA, F(9, 10))
    rng = random.Random(20220605)  # a test's seeded simulation of the paper, not a draw
    stopped = 0
    for _ in range(2_000):
        w = lo = 0
        for _ in range(cap):
            if rng.random() < 0.49:
                w += 1
                if bravo_risk(reported, w, lo) <= ALPHA:  # T rises only on a winner ballot
                    stopped += 1
                    break
            else:
                lo += 1
    assert stopped <= 0.05 * 2_000
