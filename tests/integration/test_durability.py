"""Acknowledged writes survive a crash: durable settings, and a process killed right after an entry."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from sqlalchemy import text
from tests.elections import SMALL, load
from tests.integration.small import GOOD, protocols_csv

from saylau.services.context import Context
from saylau.services.paper.results import precinct_states
from saylau.store import Store


def test_durable_settings(store: Store) -> None:
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        else:
            assert conn.execute(text("SHOW synchronous_commit")).scalar_one() == "on"
            assert conn.execute(text("SHOW fsync")).scalar_one() == "on"


def test_an_acknowledged_batch_survives_the_process_being_killed(ctx: Context, db_url: str, tmp_path) -> None:
    load(ctx, SMALL)
    batch = tmp_path / "a.csv"
    batch.write_bytes(protocols_csv(GOOD))
    script = textwrap.dedent(f"""
        import os, signal
        from saylau.services.access.factor import LOCAL_CLI
        from saylau.services.context import Context, utc_now
        from saylau.services.paper.protocols import enter_file
        from saylau.store import Store, connect
        ctx = Context(Store(connect({db_url!r})), utc_now, "alice")
        report = enter_file(ctx, "small", open({str(batch)!r}, "rb").read(), "a.csv", "csv", factor=LOCAL_CLI)
        print("ACK", len(report.outcomes), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # no clean shutdown, no connection close
    """)
    proc = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "ACK 5", proc.stderr
    assert proc.returncode == -9
    assert {s.state for s in precinct_states(ctx, "small")} == {"awaiting_second"}
