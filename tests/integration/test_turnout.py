"""Intraday turnout reports: imported all or nothing, published per unit and hour (API and CLI)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.elections import SMALL, load
from typer.testing import CliRunner

from saylau.api import create_app
from saylau.cli.main import app
from saylau.cli.turnout_cmd import turnout_app
from saylau.model import InputError, Phase
from saylau.services.context import Context
from saylau.services.paper.turnout import import_turnout, turnout

REPORT = b"unit,at,registered,voted\nR1,10:00,1800,250\nR2,10:00,1200,200\nR1,12:00,1800,700\n"


def _event(ctx: Context) -> None:
    load(ctx, SMALL, until=Phase.VOTING)


def test_reports_are_published_by_hour_and_unit(ctx: Context) -> None:
    _event(ctx)
    assert import_turnout(ctx, "small", REPORT, "t.csv") == 3
    figures = turnout(ctx, "small")
    assert [(f.unit, f.at, f.voted) for f in figures] == [
        ("R1", "10:00", 250),
        ("R2", "10:00", 200),
        ("R1", "12:00", 700),
    ]
    assert str(figures[0].share) == "5/36"


def test_bad_reports_change_nothing_and_name_line_and_field(ctx: Context) -> None:
    _event(ctx)
    bad = b"unit,at,registered,voted\nR1,10:00,1800,250\nNOPE,10:00,10,1\nR2,25:00,10,1\nR2,12:00,10,11\n"
    with pytest.raises(InputError) as err:
        import_turnout(ctx, "small", bad, "t.csv")
    found = {(p.line, p.field) for p in err.value.problems}
    assert (4, "at") in found
    assert (5, "voted") in found
    import_turnout(ctx, "small", REPORT, "t.csv")
    with pytest.raises(InputError) as err:
        import_turnout(ctx, "small", b"unit,at,registered,voted\nR1,10:00,1800,260\nNOPE,12:00,1,1\n", "u.csv")
    assert {p.rule for p in err.value.problems} == {"already_reported", "unknown_unit"}
    assert len(turnout(ctx, "small")) == 3


def test_turnout_from_the_command_line(db_url: str, ctx: Context, tmp_path) -> None:
    _event(ctx)
    (tmp_path / "t.csv").write_bytes(REPORT)
    runner = CliRunner()
    result = runner.invoke(turnout_app, ["import", "small", str(tmp_path / "t.csv"), "--db", db_url])
    assert result.exit_code == 0, result.output
    result = runner.invoke(turnout_app, ["show", "small", "--db", db_url, "--json"])
    assert result.exit_code == 0, result.output
    assert '"turnout_exact": "5/36"' in result.output


def test_turnout_api(ctx: Context) -> None:

    _event(ctx)
    import_turnout(ctx, "small", REPORT, "t.csv")
    client = TestClient(create_app(ctx))
    body = client.get("/api/events/small/turnout").json()
    assert body[0] == {
        "unit": "R1",
        "at": "10:00",
        "registered": 1800,
        "voted": 250,
        "turnout": "0.1389",
        "turnout_exact": "5/36",
    }
    assert client.get("/api/events/nope/turnout").status_code == 404


def test_embargo_from_the_command_line_keeps_the_export_back(db_url: str, ctx: Context, tmp_path) -> None:

    _event(ctx)
    runner = CliRunner()
    result = runner.invoke(app, ["embargo", "set", "small", "--kz", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "2022-06-05T20:00:00+05:00" in result.output  # the western regions close an hour after Astana
    result = runner.invoke(app, ["embargo", "show", "small", "--db", db_url])
    assert "5 western regions" in result.output
    # the wall clock is long past 2022-06-05: the export is allowed
    result = runner.invoke(app, ["export", "--format", "json", "--out", str(tmp_path / "r.json"), "--db", db_url])
    assert result.exit_code == 0, result.output
