"""Verification by sample (spec/petitions.md §6-§9): California's projection, duplicate correction and three
zones on constructed cases, Wald's sequential test, the escalation to a full count, the outcome and the recall
vote, and the presets as dated data."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from tests.unit.petitions_helpers import CLOSES, SCOPE, name_key, person, petition

from saylau.crypto.sampler import Seed
from saylau.petitions import (
    CountThreshold,
    FullCheck,
    InMemoryRegister,
    Match,
    Matching,
    MatchStatus,
    PaperSignature,
    PetitionError,
    RandomSample,
    Sequential,
    SequentialState,
    SignatureId,
    Verification,
    Withdrawal,
    Zone,
    california_estimate,
    california_zone,
    draw_sample,
    load_petition_preset,
    parse_petition_preset,
    petition_from_preset,
    petition_preset_names,
    recall_vote,
    sample_size,
    sequential_test,
    verify_petition,
)
from saylau.petitions.model import Signature

SEED = Seed("31415926535897932384")
CA = RandomSample()


def constructed(valid: int, duplicates: int, other: int) -> Matching:
    """A sample's verdicts with the given counts (the order does not matter to the projection)."""
    statuses = [MatchStatus.MATCHED] * valid + [MatchStatus.DUPLICATE] * duplicates
    statuses += [MatchStatus.NOT_IN_REGISTER] * other
    return Matching(tuple(Match(SignatureId(f"s{i}"), s, "constructed") for i, s in enumerate(statuses)))


def test_the_secretary_of_states_worked_example() -> None:
    """2 CCR §20540: raw 24,034, sample 722 (3%), 516 valid, 2 duplicates found in the sample.

    - rate 516 / 722 = 71.468…% → 71.47% (two places, §20530(c)); 24,034 × 0.7147 = 17,177.0998 → 17,178 (up);
    - value of a signature 24,034 / 722 = 33.28808… → 33.2881 (four places, §20531(a));
      weight 33.2881 × 32.2881 = 1,074.80953…; 2 × weight = 2,149.619… → 2,150 (up, §20531(c));
    - projected 17,178 − 2,150 = 15,028 (§20532), as the regulation's example finds.
    """
    assert sample_size(CA, 24_034) == 722  # ⌈0.03 × 24,034⌉ = ⌈721.02⌉
    e = california_estimate(24_034, constructed(516, 2, 204))
    assert (e.sample, e.valid, e.duplicates) == (722, 516, 2)
    assert e.rate == Fraction(7147, 10_000)
    assert e.uncorrected == 17_178
    assert e.signature_value == Fraction(332_881, 10_000)
    assert e.duplicate_weight == Fraction(332_881 * 322_881, 10**8)
    assert e.estimated_duplicates == 2_150
    assert e.projected == 15_028
    assert e.ci_low < e.projected < e.ci_high


def test_the_three_zones_at_their_boundaries() -> None:
    """Projected 15,028 (the example). Qualifies when 15,028 > 1.10 × R: R = 13,661 gives 15,027.1 (qualified),
    R = 13,662 gives 15,028.2 (not above: full count). Fails when 15,028 < 0.95 × R: R = 15,819 gives 15,028.05
    (failed), R = 15,818 gives 15,027.1 (not below: full count)."""
    e = california_estimate(24_034, constructed(516, 2, 204))
    assert california_zone(e, 13_661, CA) is Zone.QUALIFIED
    assert california_zone(e, 13_662, CA) is Zone.FULL_COUNT
    assert california_zone(e, 15_818, CA) is Zone.FULL_COUNT
    assert california_zone(e, 15_819, CA) is Zone.FAILED


def test_the_duplicate_correction_lowers_the_projection() -> None:
    """Raw 10,000, sample 500 (500 > 3% = 300), 400 valid: rate 80.00%, uncorrected 8,000; value 20.0000,
    weight 20 × 19 = 380. No duplicate: 8,000. Three duplicates in the sample: 8,000 − 3 × 380 = 6,860."""
    assert sample_size(CA, 10_000) == 500
    assert california_estimate(10_000, constructed(400, 0, 100)).projected == 8_000
    with_dups = california_estimate(10_000, constructed(400, 3, 97))
    assert (with_dups.estimated_duplicates, with_dups.projected) == (1_140, 6_860)
    assert sample_size(CA, 300) == 300  # fewer than 500: every signature


def test_the_sequential_test_on_constructed_runs() -> None:
    """raw 10,000, required 5,000: p* = 1/2, p0 = 0.475, p1 = 0.525, α = β = 1%: accept at Λ ≥ 99, reject at
    Λ ≤ 1/99. Each valid signature multiplies Λ by 0.525/0.475 = 1.1053 and ln 99 / ln 1.1053 = 45.9, so 46
    valid in a row qualify; 46 not valid in a row fail (0.475/0.525 = 0.9048); alternating never decides."""
    rule = Sequential(max_sample=100)
    up = sequential_test(rule, 10_000, 5_000, [True] * 60)
    assert (up.state, up.examined, up.valid) == (SequentialState.QUALIFIED, 46, 46)
    assert up.accept_above == 99
    assert up.ratio >= 99
    down = sequential_test(rule, 10_000, 5_000, [False] * 60)
    assert (down.state, down.examined) == (SequentialState.FAILED, 46)
    assert sequential_test(rule, 10_000, 5_000, [True, False] * 20).state is SequentialState.CONTINUE
    assert sequential_test(rule, 10_000, 5_000, [True, False] * 60).state is SequentialState.FULL_COUNT
    assert sequential_test(rule, 100, 200, [True] * 5).state is SequentialState.FAILED  # cannot qualify
    assert sequential_test(rule, 100, 101, [True] * 5).state is SequentialState.FAILED  # 101 of 100: neither


def test_a_sample_is_reproducible_from_the_seed_and_a_larger_one_extends_it() -> None:
    ids = [SignatureId(f"paper:S{i // 20}:{i % 20 + 1}") for i in range(2_000)]
    first = draw_sample(SEED, ids, 100)
    assert first == draw_sample(SEED, list(reversed(ids)), 100)
    assert draw_sample(SEED, ids, 150)[:100] == first
    assert draw_sample(Seed("27182818284590452353"), ids, 100) != first


# ---- end to end in the core: a district of 2,000 voters, 1,200 signatures, 900 of them valid

REG = InMemoryRegister([person(f"V{i:04d}", f"Voter {i}", date(1970, 1, 1)) for i in range(2_000)])


def signatures() -> list[Signature]:
    """1,200 lines: every 4th line's identifier is not on the register (300), the others are 900 persons."""
    out: list[Signature] = []
    for i in range(1_200):
        ident = f"X{i}" if i % 4 == 3 else f"V{i:04d}"
        sid = SignatureId(f"paper:S{i // 20}:{i % 20 + 1}")
        out.append(
            PaperSignature(sid, f"S{i // 20}", "c1", i % 20 + 1, ident, f"Voter {i}", None, date(2024, 3, 5), False, i)
        )
    return out


def run(required: int, rule: RandomSample | Sequential | FullCheck) -> Verification:
    p = petition(rule)
    p = type(p)(p.code, p.kind, p.scope, p.opens, p.closes, CountThreshold(required), rule)
    return verify_petition(p, signatures(), (), REG, name_key, SCOPE, 2_000, SEED)


def test_a_sample_in_the_grey_zone_escalates_to_a_full_count_which_qualifies_a_recall() -> None:
    """Required 900: the 500-signature sample projects about 900 (between 855 and 990): every signature is
    checked, 900 are valid, the petition qualifies; the recall vote follows 60 days after the decision."""
    p = petition(CA)
    p = type(p)(p.code, p.kind, p.scope, p.opens, p.closes, CountThreshold(900), CA)
    v = verify_petition(p, signatures(), (), REG, name_key, SCOPE, 2_000, SEED)
    assert v.zone is Zone.FULL_COUNT
    assert v.estimate is not None
    assert v.sample is not None
    assert len(v.sample.matches) == 500
    assert 855 <= v.estimate.projected <= 990
    assert v.full is not None
    assert v.full.valid == 900
    assert v.outcome.qualified
    assert v.outcome.decided_by == "full_count"
    assert v.outcome.valid == 900
    assert "every signature checked; qualified by a full count: 900 valid of 1200 signatures" in v.outcome.words
    assert "300 not_in_register" in v.outcome.words
    vote = recall_vote(p, v, date(2024, 4, 10), 60)
    assert (vote.event_code, vote.preset, vote.district, vote.vote_on) == (
        "recall-d1-recall",
        "kz-recall",
        "D1",
        date(2024, 6, 9),
    )


def test_withdrawals_outside_the_sample_do_not_trouble_it_and_those_inside_count_as_not_valid() -> None:
    """Every 10th signature is withdrawn (120): the sample sees only its own, as not valid (2 CCR §20530(b)(1))."""
    sigs = signatures()
    gone = [Withdrawal(s.id, date(2024, 3, 20)) for s in sigs[::10]]
    p = petition(CA)
    p = type(p)(p.code, p.kind, p.scope, p.opens, p.closes, CountThreshold(600), CA)
    v = verify_petition(p, sigs, gone, REG, name_key, SCOPE, 2_000, SEED)
    assert v.sample is not None
    drawn = {m.signature for m in v.sample.matches}
    withdrawn = {m.signature for m in v.sample.matches if m.status is MatchStatus.WITHDRAWN}
    assert withdrawn == {w.signature for w in gone} & drawn
    assert withdrawn  # some of the 120 are in the 500 drawn
    with pytest.raises(PetitionError) as err:
        verify_petition(p, sigs, [Withdrawal(SignatureId("paper:none"), CLOSES)], REG, name_key, SCOPE, 2_000, SEED)
    assert err.value.code == "petition_bad_signature"


def test_a_sample_qualifies_or_fails_without_a_full_count() -> None:
    qualified = run(600, CA)
    assert qualified.zone is Zone.QUALIFIED
    assert qualified.full is None
    assert qualified.outcome.qualified
    assert "more than 110.00% of the 600 required" in qualified.outcome.words
    failed = run(1_000, CA)
    assert failed.zone is Zone.FAILED
    assert not failed.outcome.qualified
    with pytest.raises(PetitionError) as err:
        recall_vote(petition(), failed, CLOSES, 60)
    assert err.value.code == "petition_not_qualified"


def test_the_sequential_rule_decides_or_escalates() -> None:
    easy = run(450, Sequential())  # valid rate 3/4 against 0.375 needed: qualifies on a few signatures
    assert easy.outcome.words.startswith("qualified by the sequential test: ")
    assert "reached ≥ (1 − β)/α = 99" in easy.outcome.words
    assert easy.sample is not None
    assert easy.sequential is not None
    assert len(easy.sample.matches) == easy.sequential.examined < 100
    assert easy.outcome.decided_by == "sequential"
    assert easy.outcome.qualified
    close = run(900, Sequential(max_sample=200))  # the rate needed is the true one: undecided, full count
    assert close.outcome.decided_by == "full_count"
    assert close.full is not None
    assert close.full.valid == 900


# ---- presets as dated data


def test_the_kz_recall_preset_marks_what_the_law_does_not_fix() -> None:
    preset = load_petition_preset("kz-recall")
    v = preset.at(date(2026, 9, 1))
    assert v.threshold.kind == "share"
    assert v.threshold.share == Fraction(1, 4)
    assert v.threshold.uncertain
    assert v.rule == FullCheck()
    assert v.rule_uncertain
    assert (v.recall_vote_days, v.recall_vote_uncertain, v.min_age) == (60, True, 18)
    assert {o.kind for o in v.options} == {"random_sample", "sequential"}
    p = petition_from_preset(preset, code="r1", scope="D1", opens=date(2026, 9, 1), closes=date(2026, 10, 1))
    assert p.preset == "kz-recall/2023"
    assert p.threshold.kind == "share"
    chosen = petition_from_preset(
        preset, code="r1", scope="D1", opens=date(2026, 9, 1), closes=date(2026, 10, 1), count=5_000, rule=v.options[0]
    )
    assert chosen.threshold == CountThreshold(5_000)
    assert chosen.rule == CA
    with pytest.raises(PetitionError) as early:
        preset.at(date(2022, 12, 31))
    assert early.value.code == "petition_no_version"


def test_the_california_preset_is_the_random_sample_rule() -> None:
    preset = load_petition_preset("us-ca-random-sample")
    v = preset.at(date(2024, 1, 1))
    assert v.rule == RandomSample(Fraction(3, 100), 500, Fraction(11, 10), Fraction(95, 100))
    assert v.threshold.kind == "given"
    assert not v.threshold.uncertain
    with pytest.raises(PetitionError) as err:
        petition_from_preset(preset, code="i1", scope="CA", opens=date(2024, 1, 1), closes=date(2024, 6, 1))
    assert err.value.code == "petition_bad_definition"
    with pytest.raises(PetitionError) as other:
        petition_from_preset(
            preset, code="i1", scope="CA", opens=date(2024, 1, 1), closes=date(2024, 6, 1), count=9, rule=FullCheck()
        )
    assert other.value.code == "petition_bad_definition"


def test_a_preset_file_with_an_unknown_field_names_it() -> None:
    bad = 'name = "x"\ntitle = "t"\nkind = "recall"\ndescription = "d"\n[[versions]]\nid = "1"\nlabel = "l"\n'
    bad += 'valid_from = 2024-01-01\nsources = []\n[versions.eligibility]\nmin_age = 18\nsource = "s"\n'
    bad += '[versions.threshold]\nkind = "share"\nshare = "1/4"\nas_of = "opening"\nuncertain = true\nwhy = "w"\n'
    bad += 'source = "s"\ntypo = 1\n[versions.verification]\nrule = "full"\n'
    with pytest.raises(PetitionError) as err:
        parse_petition_preset(bad, "x.toml")
    assert err.value.code == "petition_bad_preset"
    assert err.value.details == {"file": "x.toml", "field": "versions[0].threshold.typo"}


GOOD = """name = "x"
title = "t"
kind = "recall"
description = "d"
[[versions]]
id = "1"
label = "l"
valid_from = 2024-01-01
[[versions.sources]]
cite = "c"
url = "u"
[versions.eligibility]
min_age = 18
source = "s"
[versions.threshold]
kind = "share"
share = "1/4"
as_of = "opening"
uncertain = true
why = "w"
source = "s"
[versions.verification]
rule = "full"
"""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (('cite = "c"', "cite = 1"), "versions[0].sources[0].cite"),
        (('[versions.eligibility]\nmin_age = 18\nsource = "s"\n', ""), "versions[0].eligibility"),
        (('rule = "full"', 'rule = "magic"'), "versions[0].verification.rule"),
        (('share = "1/4"', "share = 0.25"), "versions[0].threshold.share"),
        (('kind = "recall"', 'kind = "plebiscite"'), "kind"),
    ],
)
def test_a_broken_preset_is_refused_naming_its_field(change: tuple[str, str], field: str) -> None:
    assert parse_petition_preset(GOOD, "x.toml").versions[0].sources == (("c", "u"),)
    with pytest.raises(PetitionError) as err:
        parse_petition_preset(GOOD.replace(*change), "x.toml")
    assert err.value.code == "petition_bad_preset"
    assert err.value.details["field"] == field


def test_every_shipped_petitions_preset_parses_with_its_sources() -> None:
    for name in petition_preset_names():
        preset = load_petition_preset(name)
        assert preset.versions
        assert all(v.sources for v in preset.versions)
