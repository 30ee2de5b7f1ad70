"""E2e referendum throughput: ballots cast per second (full verification, chained, committed) and the
record size per ballot.

Run: .venv/bin/python bench/bench_e2e.py [VOTERS] [DB_URL]   (default 2000 voters, a temporary SQLite file)
"""

from __future__ import annotations

import secrets
import sys
import tempfile
import time
from pathlib import Path

from saylau.crypto.ballot import encrypt_ballot
from saylau.crypto.credentials import issue_credential, signing_key
from saylau.crypto.keys import CeremonyParams
from saylau.record.events import Manifest
from saylau.services.context import Context, utc_now
from saylau.services.e2e.casting import cast_ballot
from saylau.services.e2e.demo import YES_NO, key_ceremony
from saylau.services.e2e.lifecycle import close_election, export_record, register_credentials, setup_election
from saylau.store import Store, connect, migrate

__all__ = ["main"]


def main(voters: int = 2000, url: str | None = None) -> None:
    rng = secrets.token_bytes
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as scratch:
        engine = connect(url or f"sqlite:///{Path(scratch) / 'bench.db'}")
        migrate(engine)
        ctx = Context(Store(engine), utc_now, "bench")
        code = f"bench-{secrets.token_hex(4)}"
        fingerprint = setup_election(ctx, Manifest(code, "Bench", YES_NO, 3, 2, "last"))
        council = key_ceremony(ctx, code, fingerprint, CeremonyParams(3, 2), rng)
        issued = [issue_credential(fingerprint, rng) for _ in range(voters)]
        register_credentials(ctx, code, [p for _, p in issued])
        ballots = []
        for n, (credential, _) in enumerate(issued):
            key = signing_key(credential, fingerprint)
            choice = n % 2
            ballot, _ = encrypt_ballot(
                YES_NO, [[choice, 1 - choice]], council.joint_key, fingerprint, f"b{n}", key, rng
            )
            ballots.append(ballot)
        start = time.perf_counter()
        for ballot in ballots:
            cast_ballot(ctx, code, ballot)
        elapsed = time.perf_counter() - start
        close_election(ctx, code)
        out = export_record(ctx, code, Path(scratch) / "record")
        size = (out / "events.jsonl").stat().st_size
        engine.dispose()
    backend = "PostgreSQL" if url and url.startswith("postgres") else "SQLite"
    print(
        f"e2e cast on {backend}: {voters} ballots in {elapsed:.2f} s = {voters / elapsed:.0f} ballots/s "
        f"({elapsed / voters * 1000:.2f} ms each: verification, uniqueness, tracking code, chained event, commit)"
    )
    print(f"record: {size / 1e6:.2f} MB events.jsonl after close = {size / voters:.0f} bytes per ballot")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000, sys.argv[2] if len(sys.argv) > 2 else None)
