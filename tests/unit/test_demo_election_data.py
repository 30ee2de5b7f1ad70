"""The shipped kz-2023-election reconstruction: parses with the production parsers (per-contest fields, district
scopes), adds up to the official national list votes, keeps every relation in every contest, and is reproduced
byte for byte by scripts/gen_kz2023_election.py."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Collection
from functools import cache
from pathlib import Path

from saylau.io import ParsedProtocol, parse_event, parse_protocols, parse_territory
from saylau.model import ContestKind, OptionKind, QuestionCode, Referendum, Territory, UnitCode, UnitKind

ABROAD = UnitCode("ABR")
ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "saylau" / "data" / "demo" / "kz-2023-election"
BALLOT = ("registered", "received", "issued", "cancelled", "participated", "invalid")
LIST = QuestionCode("list")
# Official final list votes, CEC 27 March 2023 (tests/fixtures/seats/kz-mazhilis-2023.csv).
OFFICIAL = {
    "amanat": 3_431_510,
    "auyl": 693_938,
    "respublica": 547_154,
    "ppk": 432_920,
    "baytaq": 146_431,
    "ak_zhol": 535_139,
    "nsdp": 331_058,
    "against_all": 248_291,
}
FIXTURE = ROOT / "tests" / "fixtures" / "seats" / "kz-mazhilis-2023.csv"


@cache
def _load() -> tuple[Referendum, Territory, tuple[ParsedProtocol, ...]]:
    event = parse_event((DEMO / "event.json").read_bytes(), "event.json")
    territory = parse_territory((DEMO / "territory.csv").read_bytes(), "territory.csv", "csv")
    contests = [q.code for q in event.contests]
    fields = {q.code: (*BALLOT, *q.option_fields) for q in event.contests}
    protocols = parse_protocols(
        (DEMO / "protocols.csv").read_bytes(),
        "protocols.csv",
        "csv",
        contests,
        fields,
        contests_of=_contests_of(event, territory),
    )
    return event, territory, tuple(protocols)


def _contests_of(event: Referendum, territory: Territory) -> Callable[[str], Collection[QuestionCode]]:
    """The contests on each precinct's ballot: those without a scope, and the districts whose unit holds it."""
    on_ballot: dict[UnitCode, list[QuestionCode]] = {p: [] for p in territory.precincts()}
    for q in event.contests:
        for p in territory.precincts(q.scope) if q.scope else territory.precincts():
            on_ballot[p].append(q.code)

    def contests_of(precinct: str) -> Collection[QuestionCode]:
        return on_ballot.get(UnitCode(precinct), ())

    return contests_of


def test_event_has_the_list_and_29_districts() -> None:
    event = _load()[0]
    assert (event.code, event.date.isoformat(), event.preset) == ("kz-2023-election", "2023-03-19", "kz-mazhilis-2023")
    assert event.title == "Mazhilis election of 19 March 2023 (reconstruction)"
    assert "RECONSTRUCTION" in event.description
    assert "fictional" in event.description
    assert "RECONSTRUCTION" in (DEMO / "README.md").read_text(encoding="utf-8")
    lst, *districts = event.contests
    assert (lst.code, lst.kind, lst.seats, lst.scope) == ("list", ContestKind.PARTY_LIST, 69, None)
    parties = [o for o in lst.options if o.kind is OptionKind.PARTY]
    assert {o.code for o in parties} | {"against_all"} == set(OFFICIAL)
    assert sorted(o.order for o in parties) == list(range(1, 8))  # type: ignore[type-var]
    assert all(20 <= len(o.candidates) <= 89 for o in parties)
    assert [o.kind for o in lst.options][-1] is OptionKind.AGAINST_ALL
    assert [q.code for q in districts] == [f"smd-{n:02d}" for n in range(1, 30)]
    party_codes = {o.code for o in parties}
    for q in districts:
        assert (q.kind, q.seats) == (ContestKind.DISTRICT, 1)
        candidates = [o for o in q.options if o.kind is OptionKind.CANDIDATE]
        assert 2 <= len(candidates) <= 6
        assert q.options[-1].kind is OptionKind.AGAINST_ALL
        assert all(o.party is None or o.party in party_codes for o in candidates)
    names = [n for o in parties for n in o.candidates] + [o.name() for q in districts for o in q.options[:-1]]
    assert all(n.endswith("(fictional)") for n in names)
    assert len(names) == len(set(names))


def test_territory_shape() -> None:
    event, territory, _ = _load()
    top = [territory[c] for c in territory.top_units()]
    assert sum(u.kind is UnitKind.REGION for u in top) == 20
    assert [u.code for u in top if u.kind is UnitKind.ABROAD] == ["ABR"]
    assert all(u.names.keys() >= {"kk", "ru", "en"} for u in top)
    assert {u.names["en"] for u in top} >= {"Abai Region", "Ulytau Region", "Zhetysu Region", "Astana city"}
    smd_units = territory.level(UnitKind.DISTRICT)
    assert len(smd_units) == 29
    assert all(territory[u].parent in territory.top_units() for u in smd_units)
    assert sorted(q.scope for q in event.contests[1:]) == sorted(smd_units)  # type: ignore[type-var]
    assert len(territory.precincts()) == 10_223
    assert len(territory.precincts(ABROAD)) == 77
    assert all(territory[p].parent == "ABR" for p in territory.precincts(ABROAD))
    assert all(territory[p].parent in smd_units for p in territory.precincts() if not p.startswith("ABR-"))
    registered = sum(territory[p].registered or 0 for p in territory.precincts())
    assert registered == 12_032_550


def test_national_list_votes_are_official() -> None:
    event, _, protocols = _load()
    sums: Counter[str] = Counter()
    for p in protocols:
        sums.update(p.protocol.counts[LIST])
    assert {k: sums[k] for k in OFFICIAL} == OFFICIAL
    assert sum(OFFICIAL.values()) == 6_366_441
    fixture = dict(line.rsplit(",", 1) for line in FIXTURE.read_text(encoding="utf-8").splitlines()[1:])
    names = {o.name("en").upper(): sums[o.code] for o in event.contests[0].options}
    assert names == {name.upper(): int(votes) for name, votes in fixture.items()}  # same names, same votes
    assert sums["participated"] == 6_521_860
    assert 54_00 <= sums["participated"] * 10_000 // sums["registered"] <= 54_40  # 54.19% at 22:10 (CEC)
    assert 100 <= sums["invalid"] * 10_000 // sums["participated"] <= 300  # 1-3% invalid


def test_every_protocol_keeps_the_relations() -> None:
    event, territory, protocols = _load()
    assert len(protocols) == 10_223
    assert {p.protocol.precinct for p in protocols} == set(territory.precincts())
    options = {q.code: q.option_fields for q in event.contests}
    for p in protocols:
        for contest, c in p.protocol.counts.items():
            assert c["participated"] == sum(c[o] for o in options[contest]) + c["invalid"], (p, contest)
            assert c["participated"] <= c["issued"], (p, contest)
            assert c["participated"] <= c["registered"], (p, contest)
            assert c["received"] == c["issued"] + c["cancelled"], (p, contest)
            assert c["registered"] == territory[p.protocol.precinct].registered, (p, contest)


def test_district_contests_cover_exactly_their_scopes() -> None:
    event, territory, protocols = _load()
    voting: dict[str, set[UnitCode]] = {}
    for p in protocols:
        for contest in p.protocol.counts:
            voting.setdefault(contest, set()).add(p.protocol.precinct)
    assert voting["list"] == set(territory.precincts())
    for q in event.contests[1:]:
        assert q.scope is not None
        assert voting[q.code] == set(territory.precincts(q.scope)), q.code
    abroad = {p.protocol.precinct: set(p.protocol.counts) for p in protocols if p.protocol.precinct.startswith("ABR")}
    assert all(contests == {"list"} for contests in abroad.values())


def test_district_winners_are_plausible() -> None:
    event, _, protocols = _load()
    totals: dict[str, Counter[str]] = {q.code: Counter() for q in event.contests[1:]}
    for p in protocols:
        for contest, counts in p.protocol.counts.items():
            if contest != "list":
                totals[contest].update(counts)
    winners: Counter[str | None] = Counter()
    for q in event.contests[1:]:
        votes = {o.code: totals[q.code][o.code] for o in q.options}
        (first, a), (_, b) = sorted(votes.items(), key=lambda kv: -kv[1])[:2]
        assert a > b, q.code  # no tie
        winner = next(o for o in q.options if o.code == first)
        assert winner.kind is OptionKind.CANDIDATE, q.code
        winners[winner.party] += 1
    assert winners["amanat"] > 29 // 2
    assert set(winners) <= {"amanat", "nsdp", None}


def test_generator_is_reproducible(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "gen_kz2023_election.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True)
    names = sorted(p.name for p in DEMO.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    for name in names:
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name
