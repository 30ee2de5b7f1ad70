"""`saylau seats` end to end, through the Typer app."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from saylau.cli.main import app

FIXTURES = Path(__file__).parents[1] / "fixtures" / "seats"
KZ = str(FIXTURES / "kz-mazhilis-2023.csv")
runner = CliRunner()


def seats(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["seats", *args])
    return result.exit_code, result.output


def test_kz_2023_json() -> None:
    code, out = seats(KZ, "--seats", "69", "--method", "hare", "--threshold", "5%", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["seats"] == {
        "AMANAT": 40,
        "Auyl": 8,
        "Respublica": 6,
        "People's Party of Kazakhstan": 5,
        "Baytaq": 0,
        "Ak Zhol": 6,
        "Nationwide Social Democratic Party": 4,
        "AGAINST ALL": 0,
    }
    assert "Baytaq" not in data["qualified"]
    assert "AGAINST ALL" not in data["qualified"]
    assert data["quota"] == "86546.6521739130"
    assert data["quota_exact"] == "1990573/23"
    assert data["steps"][-1] == "seat 69 of 69: AMANAT, remainder 0.6492517481"
    assert "list_seats" not in data


def test_kz_2021_and_divisor_quota_null() -> None:
    code, out = seats(
        str(FIXTURES / "kz-mazhilis-2021.csv"), "--seats", "98", "--method", "hare", "--threshold", "7%", "--json"
    )
    assert code == 0
    assert json.loads(out)["seats"] == {
        "Nur Otan": 76,
        "Ak Zhol": 12,
        "People's Party of Kazakhstan": 10,
        "Auyl": 0,
        "Adal": 0,
    }
    code, out = seats(KZ, "--seats", "69", "--method", "dhondt", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["quota"] is None
    assert data["quota_exact"] is None
    assert sum(data["seats"].values()) == 69


def test_readable_table() -> None:
    code, out = seats(KZ, "--seats", "69", "--method", "hare", "--threshold", "5%")
    assert code == 0
    assert "AMANAT" in out
    assert "53.90%" in out
    assert "seat 68 of 69: Nationwide Social Democratic Party" in out


def test_compensatory_json(tmp_path: Path) -> None:
    mmp = str(FIXTURES / "mmp.csv")
    code, out = seats(mmp, "--seats", "20", "--method", "sainte-lague", "--threshold", "6%", "--compensatory", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["seats"]["Green"] == 4
    assert data["list_seats"]["Green"] == 0
    assert data["overhang"]["Green"] == 1
    assert "Minority" in data["qualified"]  # exempt from the threshold (20 votes: no seat by Sainte-Laguë)
    assert "Tiny" not in data["qualified"]
    assert data["seats"]["BLANK"] == 0
    code, out = seats(
        mmp,
        "--seats",
        "20",
        "--method",
        "sainte-lague",
        "--threshold",
        "6%",
        "--compensatory",
        "--overhang",
        "drop",
        "--json",
    )
    assert code == 0
    assert json.loads(out)["overhang"]["Green"] == 0
    assert json.loads(out)["seats"]["Green"] == 3
    code, out = seats(mmp, "--seats", "9", "--method", "hare", "--compensatory")
    assert code == 1
    assert "district_seats_exceed_house" in out


def test_tie_break_lot_and_unresolved(tmp_path: Path) -> None:
    table = tmp_path / "tie.csv"
    table.write_text("party,votes\nX,100\nY,100\n")
    code, out = seats(str(table), "--seats", "1", "--method", "dhondt")
    assert code == 1
    assert "X, Y" in out
    code, out = seats(str(table), "--seats", "1", "--method", "dhondt", "--tie-break", "lot", "--seed", "s", "--json")
    assert code == 0
    assert any("lot with seed 's'" in s for s in json.loads(out)["steps"])
    code, out = seats(str(table), "--seats", "1", "--method", "dhondt", "--tie-break", "lot")
    assert code == 2


def test_bad_usage_exits_2() -> None:
    assert seats(KZ, "--seats", "69", "--method", "nope")[0] == 2
    code, out = seats(KZ, "--seats", "69", "--method", "hare", "--threshold", "5")
    assert code == 2
    assert "bare number" in out
    assert seats(KZ, "--seats", "69", "--method", "hare", "--threshold-base", "x", "--threshold", "5%")[0] == 2
    assert seats(KZ, "--seats", "69", "--method", "hare", "--overhang", "drop")[0] == 2
    assert seats(KZ, "--seats", "69", "--method", "modified-sainte-lague", "--first-divisor", "0")[0] == 2


def test_bad_data_names_file_line_and_field() -> None:
    code, out = seats(str(FIXTURES / "bad.csv"), "--seats", "3", "--method", "hare")
    assert code == 1
    assert "bad.csv:1" in out
    assert "field 'colour'" in out
    code, out = seats(str(FIXTURES / "bad_rows.csv"), "--seats", "3", "--method", "hare")
    assert code == 1
    assert "bad_rows.csv:3, field 'votes'" in out
    assert "'12.5' is not a whole number" in out
    assert "bad_rows.csv:4, field 'party'" in out
    assert "bad_rows.csv:4, field 'district_seats'" in out


def test_negative_votes(tmp_path: Path) -> None:
    table = tmp_path / "neg.csv"
    table.write_text("party,votes\nA,-5\n")
    code, out = seats(str(table), "--seats", "3", "--method", "hare")
    assert code == 1
    assert "neg.csv:2, field 'votes': votes must not be negative" in out
    assert seats(str(tmp_path / "missing.csv"), "--seats", "3", "--method", "hare")[0] == 1
