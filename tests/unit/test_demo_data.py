"""The shipped kz-2022 reconstruction: parses, adds up to the official final totals, keeps every relation,
and is reproduced byte for byte by scripts/gen_kz2022.py."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

from saylau.io import ParsedProtocol, parse_event, parse_protocols, parse_territory
from saylau.model import STANDARD_FIELDS, QuestionCode, Referendum, Territory, UnitKind

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "saylau" / "data" / "demo" / "kz-2022"
OFFICIAL = {
    "registered": 11_734_642,
    "participated": 7_985_769,
    "yes": 6_163_516,
    "no": 1_490_470,
    "not_counted": 125_859,
    "invalid": 205_924,
}
Q1 = QuestionCode("q1")


@cache
def _load() -> tuple[Referendum, Territory, tuple[ParsedProtocol, ...]]:
    event = parse_event((DEMO / "event.json").read_bytes(), "event.json")
    territory = parse_territory((DEMO / "territory.csv").read_bytes(), "territory.csv", "csv")
    protocols = parse_protocols((DEMO / "protocols.csv").read_bytes(), "protocols.csv", "csv", [Q1], STANDARD_FIELDS)
    return event, territory, tuple(protocols)


def test_event() -> None:
    event = _load()[0]
    assert (event.code, event.date.isoformat(), event.preset) == ("kz-2022", "2022-06-05", "kz-constitutional")
    assert "RECONSTRUCTION" in event.description
    (q,) = event.contests
    assert q.code == "q1"
    official = {t.lang for t in q.texts if t.official}
    assert official == {"ru"}
    assert {t.lang for t in q.texts} == {"ru", "en", "kk"}
    assert "translation" in (q.text("kk").source or "")  # type: ignore[union-attr]
    assert "RECONSTRUCTION" in (DEMO / "README.md").read_text(encoding="utf-8")


def test_territory_shape() -> None:
    territory = _load()[1]
    top = [territory[c] for c in territory.top_units()]
    assert sum(u.kind is UnitKind.REGION for u in top) == 17
    assert [u.code for u in top if u.kind is UnitKind.ABROAD] == ["ABR"]
    assert len(territory.precincts()) == 10_012
    assert len(territory.precincts("ABR")) == 65
    assert all(territory[u.code].names.keys() >= {"kk", "ru", "en"} for u in top)


def test_national_sums_are_official() -> None:
    _, territory, protocols = _load()
    sums: Counter[str] = Counter()
    for p in protocols:
        sums.update(p.protocol.counts[Q1])
    assert {k: sums[k] for k in OFFICIAL} == OFFICIAL
    assert sum(territory[c].registered or 0 for c in territory.precincts()) == OFFICIAL["registered"]


def test_every_protocol_keeps_the_relations() -> None:
    _, territory, protocols = _load()
    assert len(protocols) == 10_012
    assert {p.protocol.precinct for p in protocols} == set(territory.precincts())
    for p in protocols:
        c = p.protocol.counts[Q1]
        assert c["participated"] == c["yes"] + c["no"] + c["not_counted"] + c["invalid"], p
        assert c["participated"] <= c["issued"], p
        assert c["participated"] <= c["registered"], p
        assert c["received"] == c["issued"] + c["cancelled"], p
        assert c["registered"] == territory[p.protocol.precinct].registered, p


def test_yes_majority_in_every_unit_and_plausible_sizes() -> None:
    _, territory, protocols = _load()
    by_precinct = {p.protocol.precinct: p.protocol.counts[Q1] for p in protocols}
    for unit in territory.top_units():
        part = sum(by_precinct[c]["participated"] for c in territory.precincts(unit))
        yes = sum(by_precinct[c]["yes"] for c in territory.precincts(unit))
        assert 2 * yes > part, unit
    abroad = [by_precinct[c]["registered"] for c in territory.precincts("ABR")]
    assert max(abroad) < 1000
    assert all(20 <= c["registered"] <= 6000 for c in by_precinct.values())


def test_generator_is_reproducible(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "gen_kz2022.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True)
    names = sorted(p.name for p in DEMO.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    for name in names:
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name
