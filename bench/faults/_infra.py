"""What both fault runs need: a free port, a private PostgreSQL cluster that may be restarted, and a
`saylau serve` server that is killed with SIGKILL (its whole process group) and started again."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = ["HOST", "PrivatePostgres", "Server", "free_port", "private_postgresql", "saylau_exe"]

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def saylau_exe() -> str:
    """The `saylau` script of the interpreter running this (the worktree's .venv)."""
    exe = Path(sys.executable).parent / "saylau"
    if not exe.exists():
        raise SystemExit(f"{exe} not found: run from the project's virtual environment")
    return str(exe)


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit(f"no /usr/lib/postgresql/*/bin/{name}: PostgreSQL server binaries are needed")
    return found[-1]


class PrivatePostgres:
    """A throw-away PostgreSQL cluster of our own (never the shared one on port 5432): initdb into a
    temporary directory, run as the ``postgres`` OS user when we are root (postgres refuses root)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="saylau-faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.restarts = 0
        self._as: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@{HOST}:{self.port}/postgres"

    def _run(self, *cmd: str) -> None:
        subprocess.run([*self._as, *cmd], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def _ctl(self, *cmd: str) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses={HOST} -c fsync=on -c synchronous_commit=on"
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", opts, "-w", "-t", "60", *cmd)

    def start(self) -> None:
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self._ctl("start")

    def restart(self) -> None:
        """An immediate shutdown (no checkpoint: crash recovery from the WAL on start), then start."""
        self._ctl("-m", "immediate", "restart")
        self.restarts += 1

    def stop(self) -> None:
        try:
            self._ctl("-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def private_postgresql() -> Iterator[PrivatePostgres]:
    pg = PrivatePostgres()
    pg.start()
    try:
        yield pg
    finally:
        pg.stop()


class Server:
    """`saylau serve --workers N` on a free loopback port, in its own process group."""

    def __init__(self, db_url: str, workers: int, log: Path, ready_path: str) -> None:
        self.db_url, self.workers, self.log_path, self.ready_path = db_url, workers, log, ready_path
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.kills = 0
        self.downtime = 0.0  # seconds between a kill and the server answering again

    def start(self, timeout: float = 120.0) -> None:
        cmd = [saylau_exe(), "serve", "--db", self.db_url, "--host", HOST, "--port", str(self.port)]
        cmd += ["--workers", str(self.workers)]
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=log, start_new_session=True)
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise SystemExit(f"saylau serve exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}{self.ready_path}", timeout=10) as r:
                    r.read()
                    return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"saylau serve did not answer within {timeout:.0f} s; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL to the whole process group (the supervisor and every worker), then reap it."""
        assert self.proc is not None
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.kills += 1
        _wait_group_gone(self.proc.pid)

    def kill_and_restart(self) -> None:
        started = time.monotonic()
        self.kill()
        self.start()
        self.downtime += time.monotonic() - started

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.proc is not None:
            _wait_group_gone(self.proc.pid)


def _wait_group_gone(pgid: int, timeout: float = 10.0) -> None:
    """Until no live process of group ``pgid`` is left (the workers die with their supervisor). A zombie
    holds no socket, file or lock: it is gone here, though it waits for init to reap it (which can take a
    second or more in a container)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _live_in_group(pgid):
            return
        time.sleep(0.02)


def _live_in_group(pgid: int) -> bool:
    """Is a process of group ``pgid`` alive (not a zombie)? From /proc where there is one, else kill(0)."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, pgrp, ...
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            return True
    return False
