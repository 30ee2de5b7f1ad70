"""Known-answer tests of the allocation methods: textbook examples and the Kazakh Mazhilis."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from saylau.io.seats_table import parse_seats_table
from saylau.seats import Method, PartyRow, SeatRules, SeatsError, Threshold, allocate

FIXTURES = Path(__file__).parents[1] / "fixtures" / "seats"


def rows(**votes: int) -> list[PartyRow]:
    return [PartyRow(name, v, order=i) for i, (name, v) in enumerate(votes.items(), start=1)]


# Wikipedia, "D'Hondt method", worked example (8 seats; A 100,000, B 80,000, C 30,000, D 20,000).
WIKI_DIVISOR = rows(A=100_000, B=80_000, C=30_000, D=20_000)
# Wikipedia, "Largest remainders method", worked example (10 seats, six parties).
WIKI_LR = rows(Yellows=47_000, Whites=16_000, Reds=15_800, Greens=12_000, Blues=6_100, Pinks=3_100)


def seats(parties: list[PartyRow], n: int, method: Method, **kw: object) -> list[int]:
    return list(allocate(parties, n, SeatRules(method, **kw)).seats.values())  # type: ignore[arg-type]


def test_wikipedia_dhondt() -> None:
    assert seats(WIKI_DIVISOR, 8, Method.DHONDT) == [4, 3, 1, 0]


def test_wikipedia_sainte_lague() -> None:
    # Wikipedia, "Sainte-Laguë method", same votes: A 3, B 3, C 1, D 1.
    assert seats(WIKI_DIVISOR, 8, Method.SAINTE_LAGUE) == [3, 3, 1, 1]


def test_wikipedia_largest_remainder_hare_and_droop() -> None:
    assert seats(WIKI_LR, 10, Method.HARE) == [5, 2, 1, 1, 1, 0]
    hare = allocate(WIKI_LR, 10, SeatRules(Method.HARE))
    assert hare.quota == 10_000
    droop = allocate(WIKI_LR, 10, SeatRules(Method.DROOP))
    assert droop.quota == 9_091  # floor(100,000 / 11) + 1
    assert list(droop.seats.values()) == [5, 2, 2, 1, 0, 0]
    exact = allocate(WIKI_LR, 10, SeatRules(Method.DROOP, droop_exact=True))
    assert exact.quota == Fraction(100_000, 11)


def test_other_divisors() -> None:
    """Quotients worked by hand for the Wikipedia votes (A 100,000, B 80,000, C 30,000, D 20,000; 8 seats)."""
    parties = rows(A=100_000, B=80_000, C=30_000, D=20_000)
    # Norway's 1.4: the 8th seat is an exact tie, A 100,000/7 = D 20,000/1.4; A registered earlier.
    alloc = allocate(parties, 8, SeatRules(Method.MODIFIED_SAINTE_LAGUE))
    assert list(alloc.seats.values()) == [4, 3, 1, 0]
    assert any(s.startswith("tie for seat 8 of 8: broken by registration order") for s in alloc.steps)
    # Sweden's 1.2: D 20,000/1.2 = 16,667 takes a seat; the 8th goes to B 80,000/5 = 16,000.
    assert seats(parties, 8, Method.MODIFIED_SAINTE_LAGUE, first_divisor=Fraction(6, 5)) == [3, 3, 1, 1]
    assert seats(parties, 8, Method.DANISH) == [3, 3, 1, 1]  # 1, 4, 7: B and D tie at 20,000, both seated
    assert seats(parties, 8, Method.IMPERIALI) == [5, 3, 0, 0]  # 2, 3, 4, ...
    assert seats(parties, 8, Method.ADAMS) == [3, 3, 1, 1]  # every party first, then 100,000, 80,000, ...
    assert seats(parties, 8, Method.HUNTINGTON_HILL) == [3, 3, 1, 1]


def test_zero_divisor_methods_give_every_party_a_first_seat() -> None:
    parties = rows(Big=1_000_000, Small=10, Tiny=1, Nothing=0)
    for method in (Method.HUNTINGTON_HILL, Method.ADAMS):
        assert seats(parties, 3, method) == [1, 1, 1, 0]
        # fewer seats than parties with votes: first seats by votes
        assert seats(parties, 2, method) == [1, 1, 0, 0]


def test_huntington_hill_compares_exactly() -> None:
    # 2 seats left between A (1 seat, 141 votes: 141/√2 ≈ 99.70) and B (1 seat, 100 votes: 100/√2) ...
    alloc = allocate(rows(A=141, B=100), 3, SeatRules(Method.HUNTINGTON_HILL))
    assert alloc.seats == {"A": 2, "B": 1}
    assert any("squared" in s for s in alloc.steps)


def test_imperiali_quota_takes_back_from_smallest_remainders() -> None:
    # quota 100/(2+2) = 25: integer parts 3 + 1 = 4 > 2 seats.
    parties = rows(A=75, B=25)
    alloc = allocate(parties, 2, SeatRules(Method.IMPERIALI_QUOTA))
    assert alloc.quota == 25
    assert alloc.house == 2
    assert alloc.seats == {"A": 2, "B": 0}
    assert any("taken back" in s for s in alloc.steps)
    with pytest.raises(SeatsError) as err:
        allocate(parties, 2, SeatRules(Method.IMPERIALI_QUOTA, quota_overflow="error"))
    assert err.value.code == "quota_overflow"


def test_alabama_paradox_with_hare() -> None:
    """Hare is not house-monotone: with 4 seats instead of 3, A loses its seat."""
    parties = rows(A=1_000, B=3_000, C=3_000)
    assert allocate(parties, 3, SeatRules(Method.HARE)).seats == {"A": 1, "B": 1, "C": 1}
    assert allocate(parties, 4, SeatRules(Method.HARE)).seats == {"A": 0, "B": 2, "C": 2}


def test_kazakhstan_mazhilis_2023_official_seats() -> None:
    table = parse_seats_table((FIXTURES / "kz-mazhilis-2023.csv").read_bytes(), "kz-mazhilis-2023.csv")
    assert sum(r.votes for r in table) == 6_366_441  # kazakhstan.md §3: parties + against all
    alloc = allocate(table, 69, SeatRules(Method.HARE, Threshold(Fraction(5, 100))))
    assert alloc.seats == {
        "AMANAT": 40,
        "Auyl": 8,
        "Respublica": 6,
        "People's Party of Kazakhstan": 5,
        "Baytaq": 0,
        "Ak Zhol": 6,
        "Nationwide Social Democratic Party": 4,
        "AGAINST ALL": 0,
    }
    assert alloc.quota == Fraction(5_971_719, 69)
    assert "Baytaq" not in alloc.qualified
    assert alloc.steps[-2:] == (
        "seat 68 of 69: Nationwide Social Democratic Party, remainder 0.8251970664",
        "seat 69 of 69: AMANAT, remainder 0.6492517481",
    )


def test_kazakhstan_mazhilis_2021_official_seats() -> None:
    table = parse_seats_table((FIXTURES / "kz-mazhilis-2021.csv").read_bytes(), "kz-mazhilis-2021.csv")
    alloc = allocate(table, 98, SeatRules(Method.HARE, Threshold(Fraction(7, 100))))
    assert alloc.seats == {"Nur Otan": 76, "Ak Zhol": 12, "People's Party of Kazakhstan": 10, "Auyl": 0, "Adal": 0}


def test_no_votes_and_no_seats() -> None:
    with pytest.raises(SeatsError) as err:
        allocate(rows(A=0, B=0), 3, SeatRules(Method.DHONDT))
    assert err.value.code == "no_votes"
    alloc = allocate(rows(A=0, B=0), 0, SeatRules(Method.HARE))
    assert alloc.seats == {"A": 0, "B": 0}
    assert alloc.quota is None
