"""One database for every command (issue 17 item 2): `saylau demo` counts into ./saylau.db, which `serve`,
`export` and `publish` then use; the referendum and the election demos share it without erasing each
other, and a database holding anything that is not a shipped demo data set is refused, left byte for byte."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from tests.integration.small import event_bytes
from typer.testing import CliRunner

from saylau.cli.main import app

runner = CliRunner()
SAYLAU = Path(sys.executable).with_name("saylau")


def _run(*args: str, ok: bool = True) -> Any:
    result = runner.invoke(app, list(args), terminal_width=200)
    assert (result.exit_code == 0) == ok, result.output
    return result


def _setup(folder: Path, *args: str) -> None:
    """A command in its own process, which closes the database when it ends (no -wal or -shm left), so
    that what the demo leaves of the folder can be compared byte for byte."""
    env = {k: v for k, v in os.environ.items() if k != "SAYLAU_DATABASE_URL"}
    done = subprocess.run([str(SAYLAU), *args], cwd=folder, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def _codes(*db: str) -> list[str]:
    return sorted(e["event"] for e in json.loads(_run("event", "list", *db, "--json").stdout))


def _state(folder: Path) -> dict[str, str]:
    """Every file of ``folder`` with the SHA-256 of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _shipped_event(dataset: str) -> bytes:
    return (resources.files("saylau") / "data" / "demo" / dataset / "event.json").read_bytes()


@pytest.mark.slow
def test_the_demos_share_saylau_db_which_the_other_commands_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SAYLAU_DATABASE_URL", raising=False)
    first = _run("demo")
    assert "Database: sqlite:///saylau.db" in first.output
    assert (tmp_path / "saylau.db").is_file()
    assert not (tmp_path / "saylau-demo.db").exists()
    referendum = tmp_path / "saylau-report" / "kz-2022"
    assert json.loads((referendum / "results.json").read_text(encoding="utf-8"))["event"]["code"] == "kz-2022"

    # export and serve choose ./saylau.db: no demo fallback, no DEMO banner
    exported = _run("export", "--format", "json", "--out", str(tmp_path / "r.json"))
    assert "DEMO" not in exported.output
    assert "No database configured" not in exported.output
    served: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda server, sockets: served.append(server.config.app))
    serve = _run("serve", "--port", "0")
    assert "DEMO" not in serve.output
    events = TestClient(served[0]).get("/api/events")
    assert "x-saylau-demo" not in events.headers
    assert [e["code"] for e in events.json()] == ["kz-2022"]

    # the election demo joins it, in its own report folder; the referendum's report is not touched
    before = _state(referendum)
    second = _run("demo", "--election", "--json")
    assert json.loads(second.stdout)["demo"]["recounted"] == []
    assert _codes() == ["kz-2022", "kz-2023-election"]
    assert (tmp_path / "saylau-report" / "kz-2023-election" / "index.html").is_file()
    assert _state(referendum) == before
    assert "kz-2023-election" in _run("export", "--format", "csv", "--out", "x.csv", ok=False).output  # --event

    # a rerun rebuilds the file and counts the other demo again: both stay
    again = _run("demo", "--json")
    assert "recounting kz-2023-election too, which ./saylau.db held" in again.stderr
    assert json.loads(again.stdout)["demo"]["recounted"] == ["kz-2023-election"]
    assert _codes() == ["kz-2022", "kz-2023-election"]


def test_a_database_with_another_event_is_refused_and_left_untouched(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "event.json").write_bytes(event_bytes())
    _setup(tmp_path, "event", "create", "event.json", "--db", db_url)
    before = _state(tmp_path)
    refused = _run("demo", "--db", db_url, "--out", str(tmp_path / "site"), ok=False)
    message = " ".join(refused.output.split())
    assert "error (not_a_demo_database)" in message
    assert "holds small, which the demo did not make" in message
    assert "--db" in message
    if db_url.startswith("sqlite"):
        assert f"{tmp_path / 'test.db'} holds small" in message  # the file is named
        assert _state(tmp_path) == before  # byte-identical, and no -wal or -shm left beside it
    assert _codes("--db", db_url) == ["small"]
    assert not (tmp_path / "site").exists()


def test_an_edited_copy_of_a_demo_event_is_not_the_demos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Recognised by code and the SHA-256 of the definition: the same code with another text is foreign."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SAYLAU_DATABASE_URL", raising=False)
    doc = json.loads(_shipped_event("kz-2022"))
    doc["title"] += " (edited)"
    (tmp_path / "event.json").write_text(json.dumps(doc), encoding="utf-8")
    _setup(tmp_path, "event", "create", "event.json")
    before = _state(tmp_path)
    refused = _run("demo", ok=False)
    assert "./saylau.db holds kz-2022, which the demo did not make" in " ".join(refused.output.split())
    assert _state(tmp_path) == before


def test_a_rerun_that_would_erase_accounts_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped event.json created by hand is the demo's event: a rerun would rebuild the file, and with
    an account in it the demo refuses instead."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SAYLAU_DATABASE_URL", raising=False)
    (tmp_path / "event.json").write_bytes(_shipped_event("kz-2022"))
    _setup(tmp_path, "event", "create", "event.json")
    _setup(tmp_path, "user", "keygen", "--out", "secret.key")
    password = tmp_path / "password"
    password.write_text("a long enough passphrase, kept 7431\n", encoding="utf-8")
    password.chmod(0o600)
    _setup(
        tmp_path,
        "user",
        "add",
        "ana",
        "--role",
        "central",
        "--key-file",
        "secret.key",
        "--password-file",
        password.name,
    )
    before = _state(tmp_path)
    refused = _run("demo", ok=False)
    assert "./saylau.db holds 1 account(s), which rebuilding it for the demo would erase" in " ".join(
        refused.output.split()
    )
    assert _state(tmp_path) == before


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("not a database\n" * 100, encoding="utf-8")
    before = _state(tmp_path)
    refused = _run("demo", "--db", f"sqlite:///{tmp_path / 'notes.db'}", ok=False)
    assert "database_unavailable" in refused.output
    assert _state(tmp_path) == before


def test_a_database_with_an_e_election_is_refused_untouched(tmp_path: Path) -> None:
    _setup(tmp_path, "e2e", "setup", "--election", "e-ref", "--title", "Yes or no?", "--db", "sqlite:///e.db")
    before = _state(tmp_path)
    refused = _run("demo", "--db", f"sqlite:///{tmp_path / 'e.db'}", "--out", str(tmp_path / "site"), ok=False)
    assert "holds the e-election e-ref, which the demo did not make" in " ".join(refused.output.split())
    assert _state(tmp_path) == before
