"""Verifiable ballot intake on PostgreSQL: ``services.e2e_voting.cast_ballot`` with full proof checking.

Ballots are encrypted beforehand (that is the voters' devices' work); only the intake is timed: the
proofs and the credential signature verified, uniqueness, the tracking code, the chained event, the
commit — one transaction per ballot. Target (issue #5): ≥ 300 ballots/s sustained.

.venv/bin/python -m bench.web.bench_ballot_intake [--ballots 2000] [--db URL]
(default: a fresh schema in postgresql+psycopg://postgres@127.0.0.1:5432/test, dropped afterwards)
"""

from __future__ import annotations

import argparse
import secrets
import time
from contextlib import nullcontext

from bench.web.bench_protocol_intake import pg_schema
from saylau.crypto.ballot import encrypt_ballot
from saylau.crypto.credentials import issue_credential, signing_key
from saylau.crypto.keys import CeremonyParams
from saylau.record.events import Manifest
from saylau.services import Context, utc_now
from saylau.services.e2e import register_credentials, setup_election
from saylau.services.e2e_demo import YES_NO, key_ceremony
from saylau.services.e2e_voting import cast_ballot
from saylau.store import Store, connect, migrate

__all__ = ["main"]

TARGET = 300.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ballots", type=int, default=2000)
    parser.add_argument("--db", help="database URL (default: a fresh PostgreSQL schema)")
    args = parser.parse_args()
    rng = secrets.token_bytes
    with nullcontext(args.db) if args.db else pg_schema() as url:
        engine = connect(url)
        migrate(engine)
        ctx = Context(Store(engine), utc_now, "bench")
        code = f"bench-{secrets.token_hex(4)}"
        fingerprint = setup_election(ctx, Manifest(code, "Bench", YES_NO, 3, 2, "last"))
        council = key_ceremony(ctx, code, fingerprint, CeremonyParams(3, 2), rng)
        issued = [issue_credential(fingerprint, rng) for _ in range(args.ballots)]
        register_credentials(ctx, code, [public for _, public in issued])
        start = time.perf_counter()
        ballots = []
        for n, (credential, _) in enumerate(issued):
            choice = n % 2
            voter = signing_key(credential, fingerprint)
            ballot, _ = encrypt_ballot(
                YES_NO, [[choice, 1 - choice]], council.joint_key, fingerprint, f"b{n}", voter, rng
            )
            ballots.append(ballot)
        print(f"{args.ballots:,} ballots encrypted (not timed) in {time.perf_counter() - start:.1f} s", flush=True)
        marks = []
        start = time.perf_counter()
        for n, ballot in enumerate(ballots, start=1):
            cast_ballot(ctx, code, ballot)
            if n % 500 == 0:
                marks.append((n, time.perf_counter() - start))
        elapsed = time.perf_counter() - start
        engine.dispose()
    backend = engine.dialect.name
    previous = (0, 0.0)
    for n, t in marks:
        print(f"  ballots {previous[0] + 1:>5}-{n:<5}: {(n - previous[0]) / (t - previous[1]):,.0f} ballots/s")
        previous = (n, t)
    rate = args.ballots / elapsed
    print(
        f"ballot intake on {backend}: {args.ballots:,} ballots in {elapsed:.2f} s = {rate:,.0f} ballots/s "
        f"({elapsed / args.ballots * 1000:.2f} ms each; target ≥ {TARGET:.0f} ballots/s: "
        f"{'met' if rate >= TARGET else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
