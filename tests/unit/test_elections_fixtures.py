"""The test elections (tests/elections/) are valid spec files: each event, territory and good protocol file
goes through the production parsers and the count's validation, every precinct has its protocols, and
the seeded generator the e2e factory draws from is deterministic."""

from __future__ import annotations

import pytest
from tests.elections import HERE, MINI, SMALL, SMALL_TILES, PaperElection
from tests.elections.e2e import seeded

from saylau.count.layout import event_rules, protocol_layout
from saylau.count.validate import validate
from saylau.io import parse_protocols

ELECTIONS = [SMALL, SMALL_TILES, MINI]


def test_every_folder_is_an_election_of_the_factory() -> None:
    folders = {p.name for p in HERE.iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert folders == {e.name for e in ELECTIONS}


@pytest.mark.parametrize("election", ELECTIONS, ids=lambda e: e.name)
def test_the_good_protocols_parse_and_validate_for_every_precinct(election: PaperElection) -> None:
    ref, territory = election.referendum, election.units
    assert all(q.scope is None or q.scope in territory for q in ref.contests)
    layout = protocol_layout(ref, event_rules(ref), territory)
    questions = [q.code for q in ref.contests]
    parsed = parse_protocols(
        election.protocols, "protocols.csv", "csv", questions, layout.fields, contests_of=layout.contests_of
    )
    assert sorted({p.protocol.precinct for p in parsed}) == sorted(territory.precincts())
    for p in parsed:
        registered = territory[p.protocol.precinct].registered
        validate(layout.schemas, p.protocol, layout.contests_of(p.protocol.precinct), registered=registered)
    rows = election.rows()
    assert all(tuple(rows[p]) == layout.contests_of(p) for p in territory.precincts())


def test_the_seeded_generator_repeats_itself_and_differs_by_seed() -> None:
    one, again, other = seeded(b"a"), seeded(b"a"), seeded(b"b")
    first = [one(n) for n in (1, 32, 7)]
    assert first == [again(n) for n in (1, 32, 7)]
    assert [len(b) for b in first] == [1, 32, 7]
    assert first != [other(n) for n in (1, 32, 7)]
    assert one(16) != one(16)  # each draw moves on
