"""`saylau audit status` and `saylau audit enter` through the command line, SQLite and PostgreSQL: a
targeted batch (an observer's differing copy) shown beside the draw (text and `--json` key `targeted`), and
the full hand count after an escalation ending in the reported outcome overturned, the results unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pyotp
from tests.conftest import FixedClock
from tests.elections import FIELDS, SMALL, context, load
from tests.integration.small import GOOD
from typer.testing import CliRunner

from saylau.model import Phase, QuestionCode
from saylau.services.access.accounts import Role, create_account
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.audit.parallel import observer_account, submit_copy
from saylau.services.paper.lifecycle import advance
from saylau.services.secret_key import SecretKey
from saylau.services.settings import DeploymentSettings

runner = CliRunner()
SEED = "31415926535897932384"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def _run(*args: str) -> tuple[int, str]:
    from saylau.cli.main import app  # noqa: PLC0415  # the command tree, as the console script builds it

    result = runner.invoke(app, list(args), terminal_width=200)
    return result.exit_code, result.output


def _final_with_copy(db_url: str) -> None:
    settings = DeploymentSettings(secret_key=SecretKey(bytes(range(32))))
    with context(db_url, FixedClock(), settings=settings) as ctx:
        load(ctx, SMALL, operators=("alice", "bob"))
        create_account(ctx, "obs", Role.OBSERVER, "correct horse battery staple 42", [], pyotp.random_base32())
        values = dict(zip(FIELDS, GOOD["P2"], strict=True)) | {"yes": 380, "no": 200}
        submit_copy(ctx, "small", "P2", {QuestionCode("q1"): values}, PNG, observer_account(ctx, "obs"))
        advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
        advance(ctx, "small", Phase.FINAL, LOCAL_CLI)


def _enter(db: list[str], path: Path, rows: str) -> str:
    path.write_text("batch,yes,no,invalid,not_counted\n" + rows, encoding="utf-8")
    out = ""
    for who in ("counter-a", "counter-b"):
        rc, out = _run("audit", "enter", "small", str(path), "--operator", who, *db)
        assert rc == 0, out
    return out


def test_targeted_batches_and_the_full_hand_count(db_url: str, tmp_path: Path) -> None:
    _final_with_copy(db_url)
    db = ["--db", db_url]
    for args in (("plan",), ("manifest",), ("seed", "--digits", SEED, "--operator", "m1"),
                 ("seed", "--digits", SEED, "--operator", "m2"), ("draw",)):  # fmt: skip
        rc, out = _run("audit", args[0], "small", *args[1:], *db)
        assert rc == 0, out
    rc, out = _run("audit", "status", "small", *db)
    assert rc == 0, out
    assert "targeted P2: not counted yet (reported, not part of the risk)" in out
    # P2's paper agrees with the protocol; P3's paper puts Yes ahead in R2: escalation
    out = _enter(db, tmp_path / "round1.csv", "P2,400,180,10,10\nP3,500,360,10,10\n")
    assert "round 1 complete: escalate" in out
    rc, out = _run("audit", "status", "small", "--json", *db)
    got = json.loads(out)
    assert got["targeted"] == [{"batch": "P2", "counted": "yes", "differs": "no"}]
    assert got["finish"]["outcome"] == "full_hand_count"
    assert got["waiting"] == ["P3"]
    out = _enter(db, tmp_path / "full.csv", "P3,500,360,10,10\n")
    assert "overturns the reported outcome" in out
    rc, out = _run("audit", "status", "small", *db)
    assert "full hand count of R2: yes 500, no 360, invalid 10, not counted 10" in out
    assert "the reported outcome overturned" in out
    rc, out = _run("results", "small", "--json", *db)
    assert rc == 0, out
    assert '"yes": 1440' in out or '"yes":1440' in out  # the results as reported: the hand count changes nothing
