"""Golden snapshots of the published outputs for a small hand-built election view: a party list (three
parties and against all) and two single-member districts, with SeatOutcome and DistrictOutcome by hand.

Regenerate after an intended change with:  SAYLAU_UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_publish_election.py
then review the diff of tests/golden/publish/ before committing.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
from fractions import Fraction
from pathlib import Path

from rich.console import Console
from tests.unit.test_publish_golden import view

from saylau.model import (
    DistrictContest,
    DistrictOutcome,
    EventCode,
    Mode,
    Option,
    OptionKind,
    PartyListContest,
    Phase,
    QuestionCode,
    QuestionText,
    Referendum,
    ResultsView,
    SeatOutcome,
    Territory,
    Unit,
    UnitCode,
    UnitKind,
    UnitResult,
)
from saylau.publish import render_html, render_terminal, to_csv, to_json

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "publish"
PL, D1, D2 = QuestionCode("pl"), QuestionCode("d1"), QuestionCode("d2")
AA = Option("aa", OptionKind.AGAINST_ALL, {"en": "Against all", "kk": "Бәріне қарсы"}, 99)
PARTIES = (
    Option("amanat", OptionKind.PARTY, {"en": "Amanat", "kk": "Аманат"}, 1,
           ("A. Bekov", "B. Serikova", "C. Nurlanov", "D. Aliyeva", "E. Omarov", "F. Zhanova")),
    Option("akzhol", OptionKind.PARTY, {"en": "Ak <Zhol>"}, 2, ("G. Tokayev", "H. Sadykova")),
    Option("small", OptionKind.PARTY, {"en": "Small & Co"}, 3, ("I. Ivanov",)),
    AA,
)  # fmt: skip
CANDIDATES = {
    D1: (Option("c1", OptionKind.CANDIDATE, {"en": "Aigerim Sultanova"}, 1, party="amanat"),
         Option("c2", OptionKind.CANDIDATE, {"en": "Bolat <Independent>"}, 2), AA),
    D2: (Option("c3", OptionKind.CANDIDATE, {"en": "Dana Kairat"}, 1, party="akzhol"),
         Option("c4", OptionKind.CANDIDATE, {"en": "Erlan Musin"}, 2, party="amanat"), AA),
}  # fmt: skip
# precinct -> parent, registered, {contest: (option votes in ballot order, invalid)}; None: not reported
PRECINCTS: dict[str, tuple[str, int, dict[QuestionCode, tuple[tuple[int, ...], int]] | None]] = {
    "N-1": ("DN", 1000, {PL: ((400, 150, 20, 30), 10), D1: ((350, 200, 50), 10)}),
    "N-2": ("DN", 800, {PL: ((300, 100, 15, 25), 10), D1: ((200, 190, 50), 10)}),
    "S-1": ("DS", 1200, {PL: ((350, 300, 20, 120), 10), D2: ((250, 240, 300), 10)}),
    "S-2": ("DS", 700, None),
    "C-1": ("CITY", 900, {PL: ((200, 250, 5, 45), 0)}),
}
UNITS = {  # code -> kind, parent, name
    "NORTH": (UnitKind.REGION, "KZ", "North <Region>"),
    "DN": (UnitKind.DISTRICT, "NORTH", "District No. 1 «North»"),
    "SOUTH": (UnitKind.REGION, "KZ", "South & Co"),
    "DS": (UnitKind.DISTRICT, "SOUTH", "District No. 2"),
    "CITY": (UnitKind.REGION, "KZ", "Capital city"),
}


def _texts(text: str) -> tuple[QuestionText, ...]:
    return (QuestionText("en", text, True, "https://example.org/cec"),)


def _event() -> Referendum:
    contests = (
        PartyListContest(PL, _texts("Mazhilis, party lists"), PARTIES, 7),
        DistrictContest(D1, _texts("Mazhilis, district No. 1"), UnitCode("DN"), CANDIDATES[D1]),
        DistrictContest(D2, _texts("Mazhilis, district No. 2"), UnitCode("DS"), CANDIDATES[D2]),
    )
    return Referendum(EventCode("mz-demo"), "Demo Mazhilis election", dt.date(2023, 3, 19), "kz-mazhilis-2023",
                      contests, {}, "Hand-built election fixture.")  # fmt: skip


def _territory() -> Territory:
    units = [Unit(UnitCode("KZ"), UnitKind.COUNTRY, None, {"en": "Kazakhstan", "kk": "Қазақстан"})]
    units += [Unit(UnitCode(c), k, UnitCode(p), {"en": n}) for c, (k, p, n) in UNITS.items()]
    units += [Unit(UnitCode(c), UnitKind.PRECINCT, UnitCode(p), {}, reg) for c, (p, reg, _) in PRECINCTS.items()]
    return Territory.build(units)


def _precinct_counts(event: Referendum, precinct: str) -> dict[QuestionCode, dict[str, int]]:
    """Every contest's fields; zeros for a contest not on this precinct's ballot (as the aggregator)."""
    _, registered, data = PRECINCTS[precinct]
    out: dict[QuestionCode, dict[str, int]] = {}
    for q in event.contests:
        votes, invalid = (data or {}).get(q.code, ((0,) * len(q.options), 0))
        on_ballot = data is not None and q.code in data
        participated = sum(votes) + invalid
        out[q.code] = {"registered": registered if on_ballot else 0, "received": participated + 10 if on_ballot else 0,
                       "issued": participated, "cancelled": 10 if on_ballot else 0, "participated": participated,
                       "invalid": invalid, **dict(zip(q.option_fields, votes, strict=True))}  # fmt: skip
    return out


def _results(event: Referendum, territory: Territory) -> dict[UnitCode, UnitResult]:
    results: dict[UnitCode, UnitResult] = {}
    for code in territory.walk():
        under = territory.precincts(code)
        done = [p for p in under if PRECINCTS[p][2] is not None]
        totals: dict[QuestionCode, dict[str, int]] = {}
        for p in done:
            for q, counts in _precinct_counts(event, p).items():
                acc = totals.setdefault(q, dict.fromkeys(counts, 0))
                for f, v in counts.items():
                    acc[f] += v
        if not done:
            totals = {q.code: dict.fromkeys(_precinct_counts(event, "N-1")[q.code], 0) for q in event.contests}
        missing = tuple(p for p in under if p not in done)
        results[code] = UnitResult(code, len(under), len(done), missing, totals)
    return results


def _seats() -> SeatOutcome:
    return SeatOutcome(
        contest=PL, preset="kz-mazhilis-2023", preset_version="2023",
        seats={"amanat": 4, "akzhol": 3, "small": 0}, qualified=("amanat", "akzhol"), quota=Fraction(2050, 7),
        elected={"amanat": PARTIES[0].candidates[:4], "akzhol": PARTIES[1].candidates, "small": ()},
        vacant={"amanat": 0, "akzhol": 1, "small": 0},
        steps=("threshold 5% of 2330 = 116.5: Small & Co (60) out", "Hare quota 2050/7 = 292.8571",
               "remainders: Ak <Zhol> 0.7317 > Amanat 0.2683: 1 seat to Ak <Zhol>"),
        explanation=("Art. 97-1: lists with at least 5% of the votes for lists and against all share the seats.",
                     "Ak <Zhol> has 3 seats but 2 candidates: 1 seat stays vacant."),
    )  # fmt: skip


def _districts() -> dict[QuestionCode, DistrictOutcome]:
    return {
        D1: DistrictOutcome(D1, "kz-mazhilis-2023", "2023", "c1", {"c1": 550, "c2": 390, "aa": 100},
                            ("Art. 9(2): plurality: Aigerim Sultanova has the most votes.",)),
        D2: DistrictOutcome(D2, "kz-mazhilis-2023", "2023", None, {"c3": 250, "c4": 240, "aa": 300},
                            ("Against all has the most votes: no one is elected; a repeat election is due.",)),
    }  # fmt: skip


def election_view(mode: Mode = Mode.LIVE) -> ResultsView:
    event, territory = _event(), _territory()
    return ResultsView(event, territory, Phase.PROVISIONAL, mode, "provisional", _results(event, territory), {},
                       dt.datetime(2023, 3, 20, 6, 0, tzinfo=dt.UTC), seat_outcomes={PL: _seats()},
                       district_outcomes=_districts())  # fmt: skip


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SAYLAU_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"{path} missing: run with SAYLAU_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


def test_json_golden() -> None:
    doc = to_json(election_view())
    _golden("election.json", json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    pl = doc["event"]["questions"][0]
    assert pl["kind"] == "party_list"
    assert pl["seats"] == 7
    assert pl["options"][1] == {"code": "akzhol", "kind": "party", "names": {"en": "Ak <Zhol>"}, "order": 2,
                                "party": None, "candidates": ["G. Tokayev", "H. Sadykova"]}  # fmt: skip
    national = doc["units"][0]["questions"]
    assert national["pl"]["base"] == 2330
    assert national["pl"]["option_shares"]["amanat"] == {"decimal": "0.5365", "fraction": "125/233"}
    assert "d1" not in national  # see test_district_scope
    seats = doc["outcomes"]["pl"]
    assert seats["quota"] == "292.8571428571"
    assert seats["quota_exact"] == "2050/7"
    assert seats["seats_total"] == 7
    assert seats["vacant"]["akzhol"] == 1
    assert doc["outcomes"]["d1"]["winner_share"] == "0.5288461538"
    assert doc["outcomes"]["d2"]["winner"] is None


def test_district_scope() -> None:
    """A district contest appears on its scope unit and below: the units above would only repeat the
    district's figures, the units beside it have zeros."""
    units = {u["code"]: u for u in to_json(election_view())["units"]}
    assert "d1" in units["DN"]["questions"]
    assert "d1" in units["N-1"]["questions"]
    assert "d1" not in units["SOUTH"]["questions"]
    assert "d1" not in units["CITY"]["questions"]
    assert "d1" not in units["NORTH"]["questions"]  # above the scope: it would only repeat DN
    assert set(units["C-1"]["questions"]) == {"pl"}


def test_csv_golden() -> None:
    text = to_csv(election_view())
    _golden("election.csv", text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert "amanat" not in rows[0]  # option votes are in the long table
    assert rows[0]["invalid_share"] == "0.0127"
    assert rows[0]["yes_share"] == ""


def test_csv_options_golden() -> None:
    text = to_csv(election_view(), table="options")
    _golden("election_options.csv", text)
    rows = list(csv.DictReader(io.StringIO(text)))
    first = rows[0]
    assert (first["unit"], first["contest"], first["option"], first["votes"], first["base"], first["share"]) == (
        "KZ", "pl", "amanat", "1250", "2330", "0.5365")  # fmt: skip
    assert {r["contest"] for r in rows if r["unit"] == "CITY"} == {"pl"}


def test_html_golden_and_self_contained() -> None:
    html = render_html(election_view())
    _golden("election.html", html)
    assert re.findall(r'href="([^"]*)"', html) == ["results.json", "results.csv", "options.csv"]
    rest = re.sub(r'href="(results\.json|results\.csv|options\.csv)"', "", html)
    assert not re.search(r"(src|href)\s*=|https?://(?!example\.org)|<script|@import|url\(", rest)
    assert "Ak &lt;Zhol&gt;" in html
    assert "Ak <Zhol>" not in html
    assert "Bolat &lt;Independent&gt;" in html
    assert "<details>" in html
    assert "No one elected" in html


def test_terminal_election() -> None:
    out = io.StringIO()
    render_terminal(election_view(), Console(file=out, width=140, color_system=None))
    text = out.getvalue()
    for expected in ("Mazhilis, party lists", "Ak <Zhol>", "53.65", "Quota: 292.8571", "… and 1 more",
                     "Vacant seats: 1", "Single-member districts", "District No.", "1 «North»", "Aigerim Sultanova",
                     "no one elected", "Dana Kairat", "Turnout by unit", "4/5"):  # fmt: skip
        assert expected in text, expected
    assert "Question pl" not in text
    assert "Party lists pl" not in text


def test_terminal_narrow_keeps_figures() -> None:
    out = io.StringIO()
    render_terminal(election_view(), Console(file=out, width=80, color_system=None))
    assert "2,330" in out.getvalue()
    assert "292.8571" in out.getvalue()


def test_referendum_view_has_no_option_rows() -> None:

    assert to_csv(view(), table="options").splitlines() == [
        "unit,name_en,kind,parent,contest,contest_kind,option,option_kind,option_name_en,party,votes,base,share"
    ]


def test_undecided_contests_render() -> None:
    """Before seats and winners are decided every format still renders the counts."""
    undecided = dataclasses.replace(election_view(), seat_outcomes={}, district_outcomes={})
    out = io.StringIO()
    render_terminal(undecided, Console(file=out, width=140, color_system=None))
    assert "not decided" in out.getvalue()
    assert "Seats:" not in out.getvalue()
    assert "Not decided" in render_html(undecided)
    assert set(to_json(undecided)["outcomes"]) == set()
    assert to_csv(undecided) == to_csv(election_view())
