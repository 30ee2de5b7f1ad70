"""`saylau observe submit|list` on SQLite and PostgreSQL: a copy from a protocol file with its photo, by an
observer's account or under a label, listed with each difference; refusals are plain errors."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pyotp
import pytest
from tests.elections import SMALL, load
from tests.integration.small import FIELDS, GOOD
from typer.testing import CliRunner

from saylau.cli.main import app as cli
from saylau.services.access.accounts import Role, create_account
from saylau.services.audit.parallel import targeted_precincts
from saylau.services.context import Context
from saylau.services.secret_key import SecretKey
from saylau.services.settings import DeploymentSettings

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
SWAPPED = (*GOOD["P2"][:5], 380, 200, *GOOD["P2"][7:])


@pytest.fixture
def counted(ctx: Context) -> Context:
    ctx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=SecretKey(bytes(range(32)))))
    load(ctx, SMALL, operators=("op1", "op2"))
    create_account(ctx, "obs", Role.OBSERVER, "correct horse battery staple 42", [], pyotp.random_base32())
    return ctx


def copy_file(tmp_path: Path, precinct: str, values: tuple[int, ...]) -> Path:
    path = tmp_path / f"{precinct}.csv"
    header = "precinct,question," + ",".join(FIELDS)
    path.write_text(f"{header}\n{precinct},q1," + ",".join(map(str, values)) + "\n", encoding="utf-8")
    return path


def test_submit_and_list(counted: Context, db_url: str, tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    runner = CliRunner()
    args = ["observe", "submit", "small", "P2", str(copy_file(tmp_path, "P2", SWAPPED)), "--photo", str(photo)]
    r = runner.invoke(cli, [*args, "--observer", "obs", "--db", db_url, "--json"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.output)
    assert got["status"] == "different"
    assert got["differences"] == [
        {"contest": "q1", "field": "yes", "official": 400, "copy": 380},
        {"contest": "q1", "field": "no", "official": 180, "copy": 200},
    ]
    p1 = ["observe", "submit", "small", "P1", str(copy_file(tmp_path, "P1", GOOD["P1"])), "--photo", str(photo)]
    r = runner.invoke(cli, [*p1, "--label", "a citizen", "--db", db_url])
    assert r.exit_code == 0, r.output
    assert "equal to official version 1" in r.output
    r = runner.invoke(cli, ["observe", "list", "small", "--db", db_url])
    assert r.exit_code == 0, r.output
    assert "q1.yes: official 400, copy 380" in r.output
    assert "precincts that differ: P2" in r.output
    r = runner.invoke(cli, ["observe", "list", "small", "--unit", "R2", "--db", db_url, "--json"])
    assert json.loads(r.output) == {"total": 0, "copies": []}
    assert targeted_precincts(counted, "small") == ["P2"]


def test_refusals_are_plain_errors(counted: Context, db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "photo.gif"
    bad.write_bytes(b"GIF89a" + bytes(20))
    runner = CliRunner()
    args = ["observe", "submit", "small", "P1", str(copy_file(tmp_path, "P1", GOOD["P1"])), "--photo", str(bad)]
    r = runner.invoke(cli, [*args, "--observer", "obs", "--db", db_url])
    assert r.exit_code == 1
    assert "scan_type" in r.output
    assert "photo" in r.output
    r = runner.invoke(cli, [*args, "--db", db_url])
    assert r.exit_code != 0
    assert "--observer or --label" in r.output
