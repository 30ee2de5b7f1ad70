"""Each shipped preset on hand-made tables, at the boundaries of its rules."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from saylau.io.outcome_table import parse_outcome_table
from saylau.model import Outcome, QuestionCode, Tally, UnitRow
from saylau.rules import decide, list_presets, load_preset, outcome_json

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rules"
Q = QuestionCode("q1")
KZ_2022 = Tally(11_734_642, 7_985_769, 6_163_516, 1_490_470, 125_859, 205_924)


def run(
    name: str,
    units: list[UnitRow],
    day: dt.date | None = None,
    national: Tally | None = None,
    **settings: str,
) -> Outcome:
    version = load_preset(name).version_on(day)
    total = national or Tally.total(u.tally for u in units)
    return decide(version, version.resolve_settings(settings), Q, total, units)


def one(registered: int, participated: int, yes: int, no: int, invalid: int = 0) -> list[UnitRow]:
    return [UnitRow("all", Tally(registered, participated, yes, no, 0, invalid))]


def kz_units(n_yes: int, n_total: int = 17) -> list[UnitRow]:
    """``n_yes`` units with a Yes majority (60/100), the rest with 40/100; turnout 100/150 everywhere."""
    rows = [UnitRow(f"u{i}", Tally(150, 100, 60 if i < n_yes else 40, 40 if i < n_yes else 60)) for i in range(n_total)]
    return rows


def test_all_sixteen_presets_ship_with_sources_and_ranges() -> None:
    names = {p.name for p in list_presets()}
    assert names == {
        "kz-constitutional", "kz-ordinary", "kz-recall", "ch-double-majority", "ch-people", "it-abrogative",
        "it-constitutional", "ie-constitutional", "ie-ordinary", "uk", "ru-2020", "kg", "uz", "tw",
        "lt-consultative", "mk",
    }  # fmt: skip
    for preset in list_presets():
        assert preset.title
        assert preset.description
        assert preset.kind == "referendum"
        for v in preset.versions:
            assert v.sources
            assert all(s.cite for s in v.sources)
            assert all(s.default in s.allowed and s.why for s in v.settings)


def test_kz_2022_national_figures_through_the_unit_table() -> None:
    rows = parse_outcome_table((FIXTURES / "kz2022_units.csv").read_bytes(), "kz2022_units.csv")
    assert Tally.total(r.tally for r in rows) == KZ_2022
    out = run("kz-constitutional", list(rows), dt.date(2022, 6, 5))
    assert (out.valid, out.adopted, out.preset_version) == (True, True, "2022")
    assert out.turnout == Fraction(7_985_769, 11_734_642)
    assert out.yes_share == Fraction(6_163_516, 7_985_769)
    assert (out.units_yes, out.units_total, out.units_required) == (Fraction(17), Fraction(17), Fraction(12))
    assert out.explanation[0] == "valid: 68.05% took part > 50% of registered voters (Referendum Law Art. 31 para 2)"
    assert out.explanation[1].startswith("adopted: 77.18% Yes nationally > 50% of participants")
    assert "Yes majority in 17 of 17 units, 12 required" in out.explanation[1]
    data = outcome_json(out)
    assert data["turnout"] == "0.6805294103"
    assert data["turnout_exact"] == "7985769/11734642"
    assert data["yes_share"] == "0.7718124579"
    assert data["yes_share_base"] == "participants"


@pytest.mark.parametrize(
    ("n_yes", "rounding", "adopted"),
    [(12, "ceil", True), (11, "ceil", False), (11, "floor", True), (10, "floor", False)],
)
def test_kz_two_thirds_of_17_with_the_rounding_setting(n_yes: int, rounding: str, adopted: bool) -> None:
    units = kz_units(n_yes)
    national = Tally(17 * 150, 17 * 100, 1000, 700)  # 1000/1700 Yes nationally
    out = run("kz-constitutional", units, dt.date(2022, 6, 5), national, unit_quota_rounding=rounding)
    assert out.adopted is adopted
    assert out.units_required == (12 if rounding == "ceil" else 11)


def test_kz_exactly_half_is_not_more_than_half() -> None:
    assert not run("kz-constitutional", one(100, 50, 50, 0), dt.date(2022, 6, 5)).valid
    out = run("kz-constitutional", one(100, 60, 30, 20, invalid=10), dt.date(2022, 6, 5))
    assert out.valid
    assert not out.adopted
    assert "50.00% Yes nationally ≤ 50% of participants" in out.explanation[1]


def test_kz_2026_unit_turnout_condition_on_by_default() -> None:
    units = [UnitRow(f"u{i}", Tally(100, 60 if i < 11 else 40, 30, 10)) for i in range(17)]
    national = Tally(1700, 1700 // 2 + 100, 600, 170)
    new = run("kz-constitutional", units, None, national)
    assert new.preset_version == "2026"
    assert not new.valid
    assert "Turnout > 50% in 11 of 17 units, 12 required" in new.explanation[0]
    assert run("kz-constitutional", units, None, national, unit_turnout_condition="off").valid
    assert run("kz-constitutional", units, dt.date(2022, 6, 5), national).valid  # off in 2022


def test_kz_version_dates() -> None:
    preset = load_preset("kz-constitutional")
    assert preset.version_on(dt.date(2026, 3, 14)).id == "2022"
    assert preset.version_on(dt.date(2026, 3, 15)).id == "2026"
    with pytest.raises(Exception, match="no version in force"):
        preset.version_on(dt.date(1990, 1, 1))


def test_kz_ordinary() -> None:
    assert run("kz-ordinary", one(100, 51, 26, 25)).adopted
    assert not run("kz-ordinary", one(100, 51, 25, 25, invalid=1)).adopted


@pytest.mark.parametrize(("participated", "valid"), [(32, False), (33, True), (34, True)])
def test_kz_recall_one_third_boundary(participated: int, valid: bool) -> None:
    out = run("kz-recall", one(99, participated, participated, 0))
    assert out.valid is valid  # at least one third of 99 = 33


def test_kz_recall_needs_more_than_half_for_recall() -> None:
    assert run("kz-recall", one(99, 33, 17, 16)).adopted
    assert not run("kz-recall", one(99, 34, 17, 17)).adopted


def test_swiss_half_cantons_11_5_to_11_5_fails() -> None:
    yes, no = Tally(100, 50, 30, 20), Tally(100, 50, 20, 30)
    rows = [UnitRow(f"c{i}", yes) for i in range(10)] + [UnitRow(f"c{i}", no) for i in range(10, 20)]
    rows += [UnitRow(f"h{i}", yes, Fraction(1, 2)) for i in range(3)]
    rows += [UnitRow(f"h{i}", no, Fraction(1, 2)) for i in range(3, 6)]
    national = Tally(2600, 1300, 800, 500)  # a clear popular majority
    out = run("ch-double-majority", rows, national=national)
    assert (out.units_yes, out.units_total, out.units_required) == (Fraction(23, 2), Fraction(23), Fraction(23, 2))
    assert not out.adopted
    assert out.valid
    rows[10] = UnitRow("c10", yes)
    assert run("ch-double-majority", rows, national=national).adopted
    assert outcome_json(run("ch-double-majority", rows, national=national))["units_yes"] == "12.5"


def test_swiss_people_majority_of_valid_votes() -> None:
    assert not run("ch-double-majority", [UnitRow("a", Tally(100, 60, 25, 25, 0, 10))]).adopted
    assert run("ch-people", one(100, 60, 26, 25, invalid=9)).adopted  # 26/51 of valid votes


def test_irish_ordinary_rejected_only_if_both() -> None:
    # majority against, but against < 1/3 of the register: approved
    assert run("ie-ordinary", one(300, 150, 50, 99)).adopted
    # majority against and against = exactly 1/3 of the register: rejected
    assert not run("ie-ordinary", one(300, 200, 99, 100)).adopted
    # against >= 1/3 of register but no majority against: approved
    assert run("ie-ordinary", one(300, 250, 130, 100)).adopted
    assert run("ie-constitutional", one(300, 100, 51, 49)).adopted


def test_taiwan_quarter_of_the_register() -> None:
    assert run("tw", one(400, 150, 100, 50)).adopted  # Yes = 1/4 of eligible, Yes > No
    assert not run("tw", one(404, 150, 100, 50)).adopted  # Yes < 1/4
    assert not run("tw", one(400, 250, 120, 120)).adopted  # Yes = No


def test_italy_abrogative_and_others() -> None:
    assert not run("it-abrogative", one(100, 50, 50, 0)).valid
    assert run("it-abrogative", one(100, 51, 26, 20, invalid=5)).adopted  # 26/46 of valid votes
    assert run("it-constitutional", one(100, 10, 6, 4)).adopted
    assert run("uk", one(100, 70, 35, 34, invalid=1)).adopted
    assert run("mk", one(100, 51, 26, 25)).adopted
    assert not run("mk", one(100, 50, 40, 10)).valid
    assert run("kg", one(100, 31, 16, 15)).adopted
    assert not run("kg", one(100, 30, 30, 0)).valid


def test_lithuania_at_least_half() -> None:
    assert run("lt-consultative", one(100, 60, 30, 30)).adopted
    assert not run("lt-consultative", one(100, 60, 29, 30, invalid=1)).adopted


def test_denominator_settings_uz_and_ru() -> None:
    rows = one(100, 60, 40, 18, invalid=2)
    assert run("uz", rows).adopted
    assert run("uz", rows).yes_share_base == "participants"
    strict = run("uz", rows, yes_share_base="registered")
    assert not strict.adopted
    assert strict.yes_share == Fraction(40, 100)
    ru = one(100, 100, 50, 48, invalid=2)
    assert not run("ru-2020", ru, dt.date(2020, 7, 1)).adopted
    valid = run("ru-2020", ru, dt.date(2020, 7, 1), yes_share_base="valid")
    assert valid.adopted
    assert valid.yes_share == Fraction(50, 98)
