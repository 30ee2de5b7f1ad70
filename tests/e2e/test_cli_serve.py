"""`saylau serve`: a configured database that cannot be reached is an error, never a fallback to the demo;
"Serving on" is said only once the port is bound and listening, and a port in use is one plain error."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from saylau.cli.main import app

SAYLAU = Path(sys.executable).with_name("saylau")


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


def test_a_port_in_use_is_one_plain_error_and_nothing_is_announced(tmp_path: Path) -> None:
    """Issue 17 item 3: a taken port names the port and --port, in one line, before any announcement."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))  # a free port, then taken by this test
        holder.listen()
        port = holder.getsockname()[1]
        result = CliRunner().invoke(
            app, ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--port", str(port)], terminal_width=200
        )
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert f"error (port_in_use): port {port} on 127.0.0.1 is already in use" in lines[0]
    assert "--port" in lines[0]
    assert "Serving on" not in result.output


def test_an_address_not_of_this_host_is_one_plain_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--host", "192.0.2.1", "--port", "0"],  # TEST-NET-1
        terminal_width=200,
    )
    assert result.exit_code == 1, result.output
    assert "error (cannot_listen): cannot listen on 192.0.2.1:0" in result.output
    assert "Serving on" not in result.output


def test_serving_is_announced_once_listening(tmp_path: Path) -> None:
    """The announcement comes after the bind: a client connecting right after it is answered, on the port
    announced (--port 0: a free port, which no other test can take between a probe and the bind)."""
    serve = subprocess.Popen(
        [str(SAYLAU), "serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert serve.stderr is not None
        deadline = time.monotonic() + 120
        line = ""
        while "Serving on" not in line:
            assert time.monotonic() < deadline, line
            assert serve.poll() is None, line
            line = serve.stderr.readline()
        found = re.search(r"Serving on http://127\.0\.0\.1:(\d+)/ ", line)
        assert found, line
        port = int(found.group(1))
        assert port != 0
        with socket.create_connection(("127.0.0.1", port), timeout=30) as client:  # refused if not listening
            client.sendall(b"GET /api/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            client.settimeout(60)
            assert client.recv(64).startswith(b"HTTP/1.1 200 ")
    finally:
        serve.terminate()
        serve.wait(timeout=60)
