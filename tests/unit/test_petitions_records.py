"""The petitions' service's conversions (pure): the register's versions to dated residences, the stored
definition to the core's petition, the page's percentage in exact integers."""

from __future__ import annotations

import datetime as dt

from saylau.petitions import CountThreshold, RandomSample, Status
from saylau.services.petitions.desk import percent_of
from saylau.services.petitions.records import petition_of, plain, registrants
from saylau.store.petition_repo import PetitionRow, RegisterVersionRow

UTC = dt.UTC


def _v(ident: str, n: int, precinct: str, when: str, status: str = "active") -> RegisterVersionRow:
    return RegisterVersionRow(
        ident, n, "key", dt.date(1980, 1, 1), precinct, status, dt.datetime.fromisoformat(when).replace(tzinfo=UTC)
    )


def test_versions_become_residences_each_until_the_day_before_the_next() -> None:
    rows = [
        _v("A", 1, "P1", "2024-03-01T09:00"),
        _v("A", 2, "P2", "2024-03-20T09:00"),
        _v("A", 3, "P9", "2024-03-20T18:00"),  # the same day: the later holds
        _v("B", 1, "P1", "2024-03-01T09:00", "deceased"),
    ]
    a, b = registrants(rows)
    assert [(r.precinct, r.since, r.until) for r in a.history] == [
        ("P1", dt.date(2024, 3, 1), dt.date(2024, 3, 19)),
        ("P9", dt.date(2024, 3, 20), None),
    ]
    assert a.at(dt.date(2024, 3, 19)).precinct == "P1"  # type: ignore[union-attr]
    assert a.at(dt.date(2024, 2, 28)) is None  # before the register knew them
    assert b.history[0].status is Status.DECEASED


def test_the_stored_definition_gives_back_the_petition() -> None:
    definition = {"preset": "kz-recall", "scope": "D7", "opens": "2024-03-10", "closes": "2024-04-10", "count": 80,
                  "rule": "random_sample"}  # fmt: skip
    row = PetitionRow(1, "d7", "recall", "D7", "kz-recall/2023", definition, dt.datetime(2024, 3, 1, tzinfo=UTC))
    p = petition_of(row)
    assert (p.threshold, p.rule, p.preset) == (CountThreshold(80), RandomSample(), "kz-recall/2023")
    assert plain(p.rule)["share"] == "3/100"


def test_the_percentage_rounds_half_up_and_the_bar_stops_at_100() -> None:
    assert percent_of(5, 3) == ("166.7", 100)
    assert percent_of(1, 8) == ("12.5", 12)
    assert percent_of(1, 16) == ("6.3", 6)  # 6.25 halves up
    assert percent_of(0, 80) == ("0.0", 0)
