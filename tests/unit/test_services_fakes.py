"""Use cases' rules against an in-memory fake of the few store reads they make, no database: where the
rule is about what the reads return (no event, no territory, missing precincts, open entry rounds), a
fake of two or three methods says it more plainly than a database on two engines. The database paths
stay covered by the integration tests (test_lifecycle.py, test_api_json.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

import pytest
from tests.elections import SMALL

from saylau.model import LifecycleError, Mode, NotFound, Phase, Referendum, Territory
from saylau.services.lookup import load_event, require_territory
from saylau.services.paper.lifecycle import _check_preconditions
from saylau.store import EventRow, Tx


@dataclass(frozen=True)
class Row:
    id: int
    referendum: Referendum


@dataclass(frozen=True)
class Version:
    precinct: str
    version: int


@dataclass(frozen=True)
class Entry:
    precinct: str
    round: int


@dataclass
class FakeTx:
    """The reads of ``store.Tx`` that lookup and the lifecycle's preconditions make."""

    events: dict[str, Row] = field(default_factory=dict)
    territories: dict[int, Territory] = field(default_factory=dict)
    live_versions: list[Version] = field(default_factory=list)
    live_entries: list[Entry] = field(default_factory=list)

    def find_event(self, code: str) -> Row | None:
        return self.events.get(code)

    def event_codes(self) -> list[str]:
        return list(self.events)

    def territory(self, event_id: int) -> Territory | None:
        return self.territories.get(event_id)

    def versions(self, event_id: int, mode: Mode) -> list[Version]:
        return self.live_versions if mode is Mode.LIVE else []

    def entries(self, event_id: int, mode: Mode) -> list[Entry]:
        return self.live_entries if mode is Mode.LIVE else []

    def count_versions(self, event_id: int, mode: Mode) -> int:
        return len(self.versions(event_id, mode))

    def current_versions(self, event_id: int, mode: Mode) -> dict[str, int]:
        current: dict[str, int] = {}
        for v in self.versions(event_id, mode):
            current[v.precinct] = max(v.version, current.get(v.precinct, 0))
        return current

    def entry_rounds(self, event_id: int, mode: Mode) -> set[tuple[str, int]]:
        return {(e.precinct, e.round) for e in self.entries(event_id, mode)}


def _tx(fake: FakeTx) -> Tx:
    return cast(Tx, fake)


def _row(row: Row) -> EventRow:
    return cast(EventRow, row)


SMALL_ROW = Row(1, SMALL.referendum)
TERR = SMALL.units


def _accepted(precincts: Sequence[str]) -> list[Version]:
    return [Version(p, 1) for p in precincts]


def test_an_unknown_event_is_not_found_and_the_known_ones_are_listed() -> None:
    fake = FakeTx(events={"small": SMALL_ROW, "other": Row(2, SMALL.referendum)})
    found: object = load_event(_tx(fake), "small")
    assert found is SMALL_ROW
    with pytest.raises(NotFound) as err:
        load_event(_tx(fake), "nope")
    assert err.value.code == "not_found"
    assert "'nope'" in err.value.message
    assert "(events: small, other)" in err.value.message
    assert err.value.details == {"event": "nope"}


def test_an_empty_database_says_there_are_no_events_yet() -> None:
    with pytest.raises(NotFound) as err:
        load_event(_tx(FakeTx()), "small")
    assert "(events: none yet)" in err.value.message


def test_an_event_without_its_territory_is_refused_by_name() -> None:
    with pytest.raises(LifecycleError) as err:
        require_territory(_tx(FakeTx()), _row(SMALL_ROW))
    assert err.value.code == "no_territory"
    assert "'small'" in err.value.message
    fake = FakeTx(territories={1: TERR})
    assert require_territory(_tx(fake), _row(SMALL_ROW)) is TERR


def test_counting_opens_only_while_no_live_protocol_exists() -> None:
    """The zero report taken when counting opens must be zero."""
    _check_preconditions(_tx(FakeTx()), _row(SMALL_ROW), TERR, Phase.COUNTING)
    with pytest.raises(LifecycleError) as err:
        _check_preconditions(_tx(FakeTx(live_versions=_accepted(["P1"]))), _row(SMALL_ROW), TERR, Phase.COUNTING)
    assert "zero report" in err.value.message


@pytest.mark.parametrize("target", [Phase.FINAL, Phase.CERTIFIED])
def test_final_needs_every_precinct_accepted_and_no_round_open(target: Phase) -> None:
    everyone = _accepted(TERR.precincts())
    _check_preconditions(_tx(FakeTx(live_versions=everyone)), _row(SMALL_ROW), TERR, target)

    missing = FakeTx(live_versions=_accepted(["P1", "P3", "P4"]))
    with pytest.raises(LifecycleError) as err:
        _check_preconditions(_tx(missing), _row(SMALL_ROW), TERR, target)
    assert err.value.code == "incomplete"
    assert err.value.details == {"missing": ["P2", "P5"], "open_rounds": []}
    assert "2 precinct(s) without an accepted protocol (P2, P5), 0 entry round(s)" in err.value.message

    # P1's second round (a correction keyed once) is open: a newer entry than its current version
    reopened = FakeTx(live_versions=everyone, live_entries=[Entry("P1", 1), Entry("P1", 2), Entry("P3", 1)])
    with pytest.raises(LifecycleError) as err:
        _check_preconditions(_tx(reopened), _row(SMALL_ROW), TERR, target)
    assert err.value.details == {"missing": [], "open_rounds": ["P1"]}


def test_a_long_list_of_missing_precincts_is_cut_in_the_message_but_not_in_the_details() -> None:
    many = [f"X{i:02}" for i in range(12)]

    class Wide:
        """A territory of twelve precincts (only ``precincts`` is read)."""

        def precincts(self) -> tuple[str, ...]:
            return tuple(many)

    with pytest.raises(LifecycleError) as err:
        _check_preconditions(_tx(FakeTx()), _row(SMALL_ROW), cast(Territory, Wide()), Phase.FINAL)
    assert err.value.details is not None
    assert err.value.details["missing"] == many
    assert "(X00, X01, X02, X03, X04, X05, X06, X07, X08, X09 …)" in err.value.message
