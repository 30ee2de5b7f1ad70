"""A mixed election through the services: party lists and single-member districts, double entry."""

from __future__ import annotations

import pytest
from tests.elections import MINI, load
from tests.integration.small_election import TERRITORY, event_bytes, protocols_csv

from saylau.model import InputError
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.protocols import enter_file
from saylau.services.paper.results import results


def _count(ctx: Context):
    load(ctx, MINI, operators=("alice", "bob"), source="p.csv")
    return results(ctx, "mini-election")


def test_party_list_seats_and_district_winners(ctx: Context) -> None:
    view = _count(ctx)
    national = view.results["KZ"]
    assert national.reported == national.expected == 4
    assert national.totals["list"]["amanat"] == 1190
    seats = view.seat_outcomes["list"]
    assert sum(seats.seats.values()) == 10
    assert seats.seats["against_all"] == 0
    assert seats.seats["amanat"] > seats.seats["auyl"]
    assert seats.elected["amanat"][0] == "Amanat candidate 1"
    assert view.district_outcomes["smd-1"].winner == "c_one"  # 550 to 450
    assert view.district_outcomes["smd-2"].winner == "c_four"  # 340 to 300
    assert "smd-1" not in view.results["E2"].totals  # not on that district's ballots
    assert "smd-1" not in view.results["KZ"].totals  # a district contest is reported in its district only


def test_a_precinct_keyed_with_another_districts_contest_is_refused(ctx: Context) -> None:
    load(ctx, MINI)
    bad = protocols_csv().replace(b"P3,smd-2,", b"P3,smd-1,")
    with pytest.raises(InputError) as err:
        enter_file(ctx, "mini-election", bad, "p.csv", "csv", factor=LOCAL_CLI)
    assert {p.rule for p in err.value.problems} >= {"missing_question"}


def test_scopes_must_be_units_of_the_territory(ctx: Context) -> None:
    create_event(ctx, event_bytes(), "election.json")
    with pytest.raises(InputError) as err:
        import_territory(ctx, "mini-election", TERRITORY.replace("E2,", "E9,").encode(), "t.csv", "csv")
    assert "smd-2" in err.value.message or any("smd-2" in p.message for p in err.value.problems)
