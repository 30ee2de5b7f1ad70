"""Thresholds, tie-breaks, compensatory (MMP) seats and candidate lists."""

from __future__ import annotations

import hashlib
from fractions import Fraction

import pytest

from saylau.model.errors import InputError
from saylau.seats import (
    Method,
    PartyRow,
    SeatRules,
    SeatsError,
    Threshold,
    TieUnresolved,
    allocate,
    elect_from_lists,
    lot_ticket,
    parse_share,
)

FIVE = Threshold(Fraction(5, 100))


def test_parse_share() -> None:
    assert parse_share("5%") == Fraction(1, 20)
    assert parse_share("0.5%") == Fraction(1, 200)
    assert parse_share("1/150") == Fraction(1, 150)
    for bad in ("5", "0.05", "5 %", "-5%", "1/0", "150%", "abc"):
        with pytest.raises(SeatsError) as err:
            parse_share(bad)
        assert err.value.code == "bad_threshold"


def test_threshold_base_all_counts_against_all_and_never_seats_it() -> None:
    # A has exactly 5% of all rows (with AGAINST ALL): it qualifies with >=, not with >.
    parties = [PartyRow("A", 50), PartyRow("B", 850), PartyRow("against all", 100)]
    alloc = allocate(parties, 10, SeatRules(Method.HARE, FIVE))
    assert alloc.qualified == ("A", "B")
    assert alloc.seats["against all"] == 0
    strict = allocate(parties, 10, SeatRules(Method.HARE, Threshold(Fraction(1, 20), strict=True)))
    assert strict.qualified == ("B",)
    assert strict.seats == {"A": 0, "B": 10, "against all": 0}
    # base "parties": 50 / 900 > 5%
    by_parties = allocate(parties, 10, SeatRules(Method.HARE, Threshold(Fraction(1, 18), "parties", strict=False)))
    assert by_parties.qualified == ("A", "B")


def test_ineligible_rows_and_quota_over_qualified_votes() -> None:
    parties = [
        PartyRow("A", 600),
        PartyRow("B", 300),
        PartyRow("C", 60),
        PartyRow("BLANK", 40),
        PartyRow("X", 99, eligible=False),
    ]
    alloc = allocate(parties, 9, SeatRules(Method.HARE, FIVE))
    assert alloc.qualified == ("A", "B", "C")
    assert alloc.quota == Fraction(960, 9)  # over the qualified parties' votes only
    assert alloc.seats["BLANK"] == alloc.seats["X"] == 0


def test_exempt_and_alternative_threshold() -> None:
    parties = [
        PartyRow("Big", 900),
        PartyRow("Minority", 10, threshold_exempt=True),
        PartyRow("Local", 20, district_seats=1),
        PartyRow("Small", 30),
    ]
    rules = SeatRules(Method.SAINTE_LAGUE, FIVE, alt_threshold_districts=1)
    assert allocate(parties, 10, rules).qualified == ("Big", "Minority", "Local")
    assert allocate(parties, 10, SeatRules(Method.SAINTE_LAGUE, FIVE, alt_threshold_districts=3)).qualified == (
        "Big",
        "Minority",
    )


def test_tie_by_order_lot_and_unresolved() -> None:
    parties = [PartyRow("Late", 100, order=2), PartyRow("Early", 100, order=1)]
    alloc = allocate(parties, 1, SeatRules(Method.DHONDT))
    assert alloc.seats == {"Late": 0, "Early": 1}
    assert any("registration order" in s for s in alloc.steps)
    with pytest.raises(TieUnresolved) as err:
        allocate([PartyRow("X", 100), PartyRow("Y", 100)], 1, SeatRules(Method.HARE))
    assert err.value.parties == ("X", "Y")
    assert err.value.code == "tie_unresolved"
    lot = allocate(parties, 1, SeatRules(Method.HARE, tie_break="lot", seed="2023-03-27 CEC"))
    winner = min(("Late", "Early"), key=lambda p: lot_ticket("2023-03-27 CEC", p))
    assert lot.seats[winner] == 1
    assert any("lot with seed '2023-03-27 CEC'" in s for s in lot.steps)
    # the draw is reproducible and does not depend on input order
    again = allocate(parties[::-1], 1, SeatRules(Method.HARE, tie_break="lot", seed="2023-03-27 CEC"))
    assert again.seats == lot.seats


def test_lot_ticket_vector() -> None:
    """Test vector (spec/seats.md §5): anyone can recompute it with sha256 and length prefixes."""

    parts = [b"saylau/seats/lot/v1", b"seed", "Ауыл".encode()]
    data = b"".join(len(p).to_bytes(8, "big") + p for p in parts)
    assert lot_ticket("seed", "Ауыл") == hashlib.sha256(data).hexdigest()


def test_ties_that_do_not_matter_need_no_break() -> None:
    alloc = allocate([PartyRow("X", 100), PartyRow("Y", 100)], 2, SeatRules(Method.DHONDT))
    assert alloc.seats == {"X": 1, "Y": 1}


MMP = [
    PartyRow("Red", 450, district_seats=5, order=1),
    PartyRow("Blue", 350, district_seats=1, order=2),
    PartyRow("Green", 150, district_seats=4, order=3),
    PartyRow("Tiny", 50, order=4),
]


def test_compensatory_keep_overhang() -> None:
    """Sainte-Laguë for 20 seats over Red 450, Blue 350, Green 150 (Tiny 5% < 6%), worked by hand:
    the 20th quotient is Red's 450/19 ≈ 23.7: Red 10, Blue 7, Green 3. Green won 4 districts."""
    alloc = allocate(MMP, 20, SeatRules(Method.SAINTE_LAGUE, Threshold(Fraction(6, 100)), compensatory=True))
    rows = {r.party: r for r in alloc.rows}
    assert alloc.qualified == ("Red", "Blue", "Green")
    assert (rows["Red"].seats, rows["Red"].list_seats, rows["Red"].overhang) == (10, 5, 0)
    assert (rows["Blue"].seats, rows["Blue"].list_seats, rows["Blue"].overhang) == (7, 6, 0)
    assert (rows["Green"].seats, rows["Green"].list_seats, rows["Green"].overhang) == (4, 0, 1)
    assert (rows["Tiny"].seats, rows["Tiny"].qualified) == (0, False)
    assert alloc.house == 21
    assert alloc.steps[-1] == "the house grows by 1 overhang seat(s) to 21"


def test_compensatory_overhang_keep_and_drop() -> None:
    parties = [PartyRow("A", 800, district_seats=2, order=1), PartyRow("B", 200, district_seats=5, order=2)]
    keep = allocate(parties, 10, SeatRules(Method.DHONDT, compensatory=True))
    assert keep.seats == {"A": 8, "B": 5}  # B entitled to 2, keeps its 5 districts: house grows to 13
    assert {r.party: r.overhang for r in keep.rows} == {"A": 0, "B": 3}
    assert {r.party: r.list_seats for r in keep.rows} == {"A": 6, "B": 0}
    assert keep.house == 13
    drop = allocate(parties, 10, SeatRules(Method.DHONDT, compensatory=True, overhang="drop"))
    assert drop.seats == {"A": 8, "B": 2}
    assert any("3 district winner(s) get no seat" in s for s in drop.steps)
    with pytest.raises(SeatsError) as err:
        allocate(parties, 6, SeatRules(Method.DHONDT, compensatory=True))
    assert err.value.code == "district_seats_exceed_house"


def test_bad_rows_are_reported_together() -> None:
    with pytest.raises(InputError) as err:
        allocate(
            [PartyRow("A", -1), PartyRow("A", 5), PartyRow("BLANK", 3, district_seats=1)], 3, SeatRules(Method.HARE)
        )
    assert {p.rule for p in err.value.problems} == {"negative", "duplicate_party", "district_seats_not_party"}


def test_candidates_from_lists() -> None:
    out = elect_from_lists({"A": 2, "B": 3, "C": 1}, {"A": ["a1", "a2", "a3"], "B": ["b1"]})
    by = {o.party: o for o in out}
    assert by["A"].elected == ("a1", "a2")
    assert not by["A"].exhausted
    assert (by["B"].elected, by["B"].vacant, by["B"].exhausted) == (("b1",), 2, True)
    assert (by["C"].elected, by["C"].vacant) == ((), 1)
    with pytest.raises(InputError):
        elect_from_lists({"A": 1}, {"A": ["x", "x"]})
