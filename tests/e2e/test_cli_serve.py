"""`saylau serve`: a configured database that cannot be reached is an error, never a fallback to the demo."""

from __future__ import annotations

from typer.testing import CliRunner

from saylau.cli.main import app


def test_serve_with_an_unreachable_database_exits_1() -> None:
    result = CliRunner().invoke(
        app, ["serve", "--db", "postgresql://nobody@127.0.0.1:1/none", "--port", "8999"], terminal_width=200
    )
    assert result.exit_code == 1
    assert "database_unavailable" in result.output


def test_serve_with_an_unreachable_database_from_the_environment_exits_1() -> None:
    result = CliRunner().invoke(
        app, ["serve"], env={"SAYLAU_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}, terminal_width=200
    )
    assert result.exit_code == 1
    assert "database_unavailable" in result.output
