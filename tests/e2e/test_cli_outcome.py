"""`saylau referendum outcome` and `saylau presets` end to end, through the Typer app."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli.main import app
from saylau.rules import load_preset

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rules"
KZ = str(FIXTURES / "kz2022_units.csv")
runner = CliRunner()


def outcome(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["referendum", "outcome", *args])
    return result.exit_code, result.output


def test_kz_2022_json() -> None:
    code, out = outcome("--rules", "kz-constitutional", KZ, "--date", "2022-06-05", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["valid"] is True
    assert data["adopted"] is True
    assert data["turnout"] == "0.6805294103"
    assert data["turnout_exact"] == "7985769/11734642"
    assert data["yes_share"] == "0.7718124579"
    assert data["yes_share_exact"] == "6163516/7985769"
    assert data["yes_share_base"] == "participants"
    assert (data["units_yes"], data["units_total"], data["units_required"]) == ("17", "17", "12")
    assert data["explanation"][0].startswith("valid: 68.05% took part > 50%")
    assert "77.18% Yes nationally > 50% of participants" in data["explanation"][1]


def test_set_rounding_and_readable_output() -> None:
    code, out = outcome(
        "--rules", "kz-constitutional", KZ, "--date", "2022-06-05", "--set", "unit_quota_rounding=floor", "--json"
    )
    assert code == 0
    assert json.loads(out)["units_required"] == "11"
    code, out = outcome("--rules", "kz-constitutional", KZ, "--date", "2022-06-05")
    assert code == 0
    assert "adopted" in out
    assert "Referendum Law Art. 31 para 2" in out


def test_swiss_half_cantons_from_a_table(tmp_path: Path) -> None:
    lines = ["unit,registered,participated,yes,no,weight"]
    lines += [f"c{i},100,50,30,20," for i in range(10)] + [f"c{i},100,50,20,30," for i in range(10, 20)]
    lines += [f"h{i},100,50,30,20,0.5" for i in range(3)] + [f"h{i},100,50,20,30,0.5" for i in range(3, 6)]
    table = tmp_path / "ch.csv"
    table.write_text("\n".join(lines) + "\n")
    code, out = outcome("--rules", "ch-double-majority", str(table), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["adopted"] is False
    assert (data["units_yes"], data["units_total"], data["units_required"]) == ("11.5", "23", "11.5")


def test_bad_data_exits_1_naming_line_and_field(tmp_path: Path) -> None:
    table = tmp_path / "bad.csv"
    table.write_text("unit,registered,participated,yes,no\na,10,8,5,2\nb,10,12,5,2\n")
    code, out = outcome("--rules", "kz-ordinary", str(table))
    assert code == 1
    assert f"{table}:3" in out
    assert "field 'participated'" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--rules", "no-such-preset", KZ],
        ["--rules", "kz-constitutional", KZ, "--set", "rounding"],
        ["--rules", "kz-constitutional", KZ, "--set", "unit_quota_rounding=round"],
        ["--rules", "kz-constitutional", KZ, "--set", "colour=red"],
        ["--rules", "kz-constitutional", KZ, "--date", "5 June 2022"],
        ["--rules", "kz-constitutional", KZ, "--date", "1990-01-01"],
        ["--rules", "kz-constitutional", KZ, "--date", "20220605"],
    ],
)
def test_bad_usage_exits_2(args: list[str]) -> None:
    code, out = outcome(*args)
    assert code == 2, out


def test_unknown_preset_lists_known_ones() -> None:
    code, out = outcome("--rules", "no-such-preset", KZ)
    assert code == 2
    assert "kz-constitutional" in out


def test_user_preset_file() -> None:
    code, out = outcome("--rules", str(FIXTURES / "user-preset.toml"), KZ, "--json")
    data = json.loads(out)
    assert code == 0
    assert data["preset"] == "example-supermajority"
    assert data["yes_share_base"] == "valid"
    assert data["adopted"] is True  # 6,163,516 / 7,653,986 valid votes >= 2/3
    code, out = outcome("--rules", str(FIXTURES / "user-preset.json"), KZ, "--json", "--date", "2024-01-01")
    assert code == 0
    assert json.loads(out)["preset"] == "example-json"


def test_presets_list_and_show() -> None:
    result = runner.invoke(app, ["presets", "--json"])
    assert result.exit_code == 0
    names = [p["name"] for p in json.loads(result.output)]
    assert len(names) == 20
    assert {"kz-recall", "kz-mazhilis-2023", "kz-kurultai-2026"} <= set(names)
    result = runner.invoke(app, ["presets", "--kind", "referendum", "--json"])
    assert len(json.loads(result.output)) == 16
    result = runner.invoke(app, ["presets", "show", "kz-constitutional", "--json"])
    data = json.loads(result.output)
    v2022 = data["versions"][0]
    assert v2022["valid_to"] == "2026-03-14"
    assert {s["name"]: s["default"] for s in v2022["settings"]}["unit_quota_rounding"] == "ceil"
    assert any(r["relation"] == "received == issued + cancelled" for r in v2022["protocol"]["relations"])
    result = runner.invoke(app, ["presets", "show", "ie-ordinary"])
    assert result.exit_code == 0
    assert "47.2" in result.output
    assert runner.invoke(app, ["presets"]).exit_code == 0
    assert runner.invoke(app, ["presets", "show", "nope"]).exit_code == 2


def _dated(tmp_path: Path, day: str) -> str:
    """The 2022 table with a date column giving ``day`` on every row."""
    lines = (FIXTURES / "kz2022_units.csv").read_text().splitlines()
    table = tmp_path / "dated.csv"
    table.write_text("\n".join([f"{lines[0]},date", *(f"{line},{day}" for line in lines[1:] if line)]) + "\n")
    return str(table)


def test_without_a_date_the_output_says_first_that_todays_rules_applied() -> None:
    before = dt.date.today()
    code, out = outcome("--rules", "kz-constitutional", KZ)
    after = dt.date.today()
    assert code == 0, out
    first = out.splitlines()[0]
    assert first.startswith("NOTE: No date of the vote given")
    today = load_preset("kz-constitutional").version_on(after)  # 2026 (from 2026-03-15) when written
    assert f"version {today.id} of kz-constitutional (in force {today.date_range()})" in " ".join(out.split())
    code, out = outcome("--rules", "kz-constitutional", KZ, "--json")
    applied = json.loads(out)["applied_version"]
    assert next(iter(json.loads(out))) == "applied_version"  # the first key
    assert (applied["id"], applied["date_source"], applied["assumed"]) == (today.id, "today", True)
    assert applied["date"] in {before.isoformat(), after.isoformat()}
    assert applied["notice"].startswith("No date of the vote given")


def test_the_files_date_picks_the_version_of_the_day_of_the_vote(tmp_path: Path) -> None:
    table = _dated(tmp_path, "2022-06-05")
    code, out = outcome("--rules", "kz-constitutional", table, "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["preset_version"] == "2022"
    assert data["turnout_exact"] == "7985769/11734642"
    assert data["applied_version"] == {
        "id": "2022",
        "valid_from": "1995-11-02",
        "valid_to": "2026-03-14",
        "date": "2022-06-05",
        "date_source": "file",
        "assumed": False,
        "file_date": "2022-06-05",
        "notice": None,
    }
    code, out = outcome("--rules", "kz-constitutional", table)
    assert code == 0
    assert "NOTE" not in out
    assert "2022-06-05 (the file's date column)" in out


def test_the_option_gives_the_date_and_wins_over_the_files_saying_so(tmp_path: Path) -> None:
    code, out = outcome("--rules", "kz-constitutional", KZ, "--date", "2022-06-05", "--json")
    applied = json.loads(out)["applied_version"]
    assert (applied["id"], applied["date_source"], applied["assumed"], applied["notice"]) == (
        "2022",
        "--date",
        False,
        None,
    )
    table = _dated(tmp_path, "2022-06-05")
    code, out = outcome("--rules", "kz-constitutional", table, "--date", "2026-06-01")
    assert code == 0, out
    assert out.splitlines()[0].startswith("NOTE: --date 2026-06-01 overrides the file's date 2022-06-05")
    code, out = outcome("--rules", "kz-constitutional", table, "--date", "2026-06-01", "--json")
    applied = json.loads(out)["applied_version"]
    assert (applied["id"], applied["date"], applied["file_date"]) == ("2026", "2026-06-01", "2022-06-05")
    assert applied["notice"].startswith("--date 2026-06-01 overrides")


def test_a_bad_or_out_of_range_date_in_the_file(tmp_path: Path) -> None:
    code, out = outcome("--rules", "kz-constitutional", _dated(tmp_path, "5 June 2022"))
    assert code == 1
    assert "field 'date'" in out
    code, out = outcome("--rules", "kz-constitutional", _dated(tmp_path, "1990-01-01"))
    assert code == 2
    assert "no version in force on 1990-01-01" in out
