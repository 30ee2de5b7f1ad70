"""Secrets stay private (issue 9, Low): a new SQLite database and its WAL are 0600; the secret key file and
the database password file are refused when group or others may read them; the database password never
appears in a command line nor in the environment of `serve --workers` processes."""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from tests.integration.small import event_bytes
from tests.pgschema import temporary_schema
from typer.testing import CliRunner

from saylau.cli.main import app
from saylau.services.private_files import SecretFileError, read_private_file
from saylau.services.secret_key import SecretKey
from saylau.store import connect, migrate

SAYLAU = Path(sys.executable).parent / "saylau"
runner = CliRunner()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_database_and_its_wal_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask, under which files are world-readable by default
    try:
        engine = connect(f"sqlite:///{tmp_path / 'new.db'}")
        migrate(engine)
        with engine.connect() as conn:  # keep a connection open: the -wal and -shm files exist meanwhile
            conn.exec_driver_sql("CREATE TABLE probe (x INTEGER)")
            conn.exec_driver_sql("INSERT INTO probe VALUES (1)")
            conn.commit()
            files = sorted(tmp_path.iterdir())
            assert {p.name for p in files} >= {"new.db", "new.db-wal", "new.db-shm"}
            assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
        engine.dispose()
    finally:
        os.umask(old)


def test_an_existing_database_file_keeps_its_owners_mode(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    path.touch(mode=0o640)
    path.chmod(0o640)
    connect(f"sqlite:///{path}").dispose()
    assert _mode(path) == 0o640


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_secret_file_open_to_others_is_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "key"
    path.write_text(SecretKey.generate().to_text(), encoding="ascii")
    path.chmod(mode)
    with pytest.raises(SecretFileError) as caught:
        read_private_file(path, "the secret key")
    assert caught.value.code == "secret_file_permissions"
    path.chmod(0o600)
    assert read_private_file(path, "the secret key")


def test_user_add_refuses_a_world_readable_key_file(tmp_path: Path) -> None:
    key = tmp_path / "saylau.key"
    key.write_text(SecretKey.generate().to_text() + "\n", encoding="ascii")
    key.chmod(0o644)
    db = f"sqlite:///{tmp_path / 'a.db'}"
    args = ["user", "add", "ana", "--role", "central", "--key-file", str(key), "--db", db]
    result = runner.invoke(app, args, env={"SAYLAU_NEW_PASSWORD": "correct horse battery"}, terminal_width=200)
    assert result.exit_code == 1, result.output
    assert "secret_file_permissions" in result.output
    assert "chmod 600" in result.output
    key.chmod(0o600)
    result = runner.invoke(app, args, env={"SAYLAU_NEW_PASSWORD": "correct horse battery"}, terminal_width=200)
    assert result.exit_code == 0, result.output


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **(env or {})}
    full.pop("SAYLAU_DATABASE_URL", None) if env is None or "SAYLAU_DATABASE_URL" not in env else None
    return subprocess.run([str(SAYLAU), *args], capture_output=True, text=True, env=full, timeout=120, check=False)


def test_a_password_in_the_command_line_is_refused() -> None:
    with temporary_schema("pw") as url:
        secret_url = url.replace("postgres@", "postgres:Pw-in-argv-7731@")
        done = _cli("event", "list", "--db", secret_url)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "password_in_command_line" in done.stderr
        assert "ps" in done.stderr
        # the same URL from the environment is the operator's choice (not shown by ps): accepted
        done = _cli("event", "list", env={"SAYLAU_DATABASE_URL": secret_url})
        assert done.returncode == 0, done.stderr


def test_the_password_file_is_read_only_when_private(tmp_path: Path) -> None:
    password = tmp_path / "db-password"
    password.write_text("Pw-from-file-19\n", encoding="utf-8")
    password.chmod(0o644)
    with temporary_schema("pw") as url:
        env = {"SAYLAU_DATABASE_URL": url, "SAYLAU_DATABASE_PASSWORD_FILE": str(password)}
        done = _cli("event", "list", env=env)
        assert done.returncode == 1
        assert "secret_file_permissions" in done.stderr
        password.chmod(0o600)
        done = _cli("event", "list", env=env)  # trust auth here: any password connects
        assert done.returncode == 0, done.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_serve_workers_never_hold_the_database_password(tmp_path: Path) -> None:
    secret = "Pw-never-in-workers-4471"
    with temporary_schema("pw") as url:
        secret_url = url.replace("postgres@", f"postgres:{secret}@")
        (tmp_path / "event.json").write_bytes(event_bytes())
        assert (
            _cli("event", "create", str(tmp_path / "event.json"), env={"SAYLAU_DATABASE_URL": secret_url}).returncode
            == 0
        )
        port = _free_port()
        env = {**os.environ, "SAYLAU_DATABASE_URL": secret_url}
        server = subprocess.Popen(
            [str(SAYLAU), "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/events", timeout=2) as response:
                        assert b"small" in response.read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.3)
            workers = _descendants(server.pid)
            assert len(workers) >= 2
            for pid in workers:
                proc = Path("/proc") / str(pid)
                environ = (proc / "environ").read_bytes().split(b"\0")
                assert [v for v in environ if secret.encode() in v] == [], pid
                assert secret.encode() not in (proc / "cmdline").read_bytes(), pid
            assert secret.encode() not in (Path("/proc") / str(server.pid) / "cmdline").read_bytes()
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)


def test_the_cli_hashes_passwords_with_rfc_9106_parameters(tmp_path: Path) -> None:
    """The suite hashes with cheap parameters in its own process (tests/conftest.py); a real command does
    not: the stored hash is argon2id with RFC 9106's low-memory parameters (m = 64 MiB, t = 3, p = 4)."""
    key = tmp_path / "saylau.key"
    key.write_text(SecretKey.generate().to_text() + "\n", encoding="ascii")
    key.chmod(0o600)
    path = tmp_path / "a.db"
    args = ["user", "add", "ana", "--role", "central", "--key-file", str(key), "--db", f"sqlite:///{path}"]
    done = _cli(*args, env={"SAYLAU_NEW_PASSWORD": "correct horse battery"})
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(path) as conn:
        (stored,) = conn.execute("SELECT password_hash FROM account WHERE name = 'ana'").fetchone()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
