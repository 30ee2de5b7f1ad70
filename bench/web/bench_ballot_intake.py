"""Verifiable ballot intake on PostgreSQL, with full proof checking. Target (issue #5): ≥ 300 ballots/s sustained.

Ballots are encrypted beforehand (that is the voters' devices' work); only the intake is timed: the proofs
and the credential signature verified, uniqueness, the tracking code, the chained event, the commit.

- default: K client threads (``--clients``, default 8) submitting through ``services.e2e_intake.BallotIntake``
  (group commit: the ballots arriving together share one write transaction);
- ``--clients 1 --serial``: plain ``services.e2e_voting.cast_ballot``, one transaction per ballot;
- ``--http``: uvicorn (``--workers``) on loopback, K client threads POSTing the ballots' JSON to
  /api/e2e/{election}/ballots (the route uses the application's BallotIntake).

.venv/bin/python -m bench.web.bench_ballot_intake [--ballots 2000] [--clients 8] [--serial] [--http] [--db URL]
(default database: a fresh schema in postgresql+psycopg://postgres@127.0.0.1:5432/test, dropped afterwards)
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from urllib.parse import quote

from bench.web.bench_protocol_intake import pg_schema
from bench.web.bench_results_http import HOST, free_port, wait_ready
from saylau.crypto import codec
from saylau.crypto.ballot import EncryptedBallot, encrypt_ballot
from saylau.crypto.credentials import issue_credential, signing_key
from saylau.crypto.keys import CeremonyParams
from saylau.record.events import Manifest
from saylau.services.context import Context, utc_now
from saylau.services.e2e.casting import cast_ballot
from saylau.services.e2e.demo import YES_NO, key_ceremony
from saylau.services.e2e.intake import BallotIntake
from saylau.services.e2e.lifecycle import register_credentials, setup_election
from saylau.store import Store, connect, migrate

__all__ = ["main"]

TARGET = 300.0


def _prepare(ctx: Context, count: int) -> tuple[str, list[EncryptedBallot]]:
    """An open e2e referendum (3 guardians, quorum 2) and ``count`` ballots of distinct voters for it."""
    rng = secrets.token_bytes
    code = f"bench-{secrets.token_hex(4)}"
    fingerprint = setup_election(ctx, Manifest(code, "Bench", YES_NO, 3, 2, "last"))
    council = key_ceremony(ctx, code, fingerprint, CeremonyParams(3, 2), rng)
    issued = [issue_credential(fingerprint, rng) for _ in range(count)]
    register_credentials(ctx, code, [public for _, public in issued])
    start = time.perf_counter()
    ballots = []
    for n, (credential, _) in enumerate(issued):
        choice = n % 2
        voter = signing_key(credential, fingerprint)
        ballot, _ = encrypt_ballot(YES_NO, [[choice, 1 - choice]], council.joint_key, fingerprint, f"b{n}", voter, rng)
        ballots.append(ballot)
    print(f"{count:,} ballots encrypted (not timed) in {time.perf_counter() - start:.1f} s", flush=True)
    return code, ballots


def _drive(clients: int, items: Sequence[object], cast: Callable[[int, object], None]) -> list[float]:
    """``clients`` threads taking the items in order, each cast by ``cast(client, item)``; the
    completion times (perf_counter) of all, sorted."""
    feed = iter(items)
    lock = threading.Lock()
    done: list[float] = []
    errors: list[BaseException] = []

    def client(k: int) -> None:
        try:
            while True:
                with lock:
                    item = next(feed, None)
                if item is None:
                    return
                cast(k, item)
                t = time.perf_counter()
                with lock:
                    done.append(t)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"a cast failed: {errors[0]!r}")
    return sorted(done)


def _report(label: str, done: list[float], start: float, cpu: float, load_before: float, extra: str) -> None:
    count = len(done)
    previous, elapsed = (0, start), done[-1] - start
    for n in range(500, count + 1, 500):
        t = done[n - 1]
        print(f"  ballots {previous[0] + 1:>5}-{n:<5}: {(n - previous[0]) / (t - previous[1]):,.0f} ballots/s")
        previous = (n, t)
    rate = count / elapsed
    print(
        f"{label}: {count:,} ballots in {elapsed:.2f} s = {rate:,.0f} ballots/s "
        f"({elapsed / count * 1000:.2f} ms each; target ≥ {TARGET:.0f} ballots/s: "
        f"{'met' if rate >= TARGET else 'MISSED'})"
    )
    print(
        f"  CPU: {cpu / count * 1000:.2f} ms per ballot {extra}; load average {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after (2 cores)"
    )


def _in_process(ctx: Context, code: str, ballots: list[EncryptedBallot], args: argparse.Namespace) -> None:
    load_before = os.getloadavg()[0]
    intake = BallotIntake(ctx, max_batch=args.max_batch, max_wait=args.max_wait)
    if args.serial:
        label = "ballot intake, cast_ballot one by one"

        def cast(_k: int, ballot: object) -> None:
            assert isinstance(ballot, EncryptedBallot)
            cast_ballot(ctx, code, ballot)
    else:
        label = f"ballot intake, BallotIntake with {args.clients} client thread(s)"

        def cast(_k: int, ballot: object) -> None:
            assert isinstance(ballot, EncryptedBallot)
            intake.cast(code, ballot)

    start, cpu = time.perf_counter(), time.process_time()
    done = _drive(args.clients, ballots, cast)
    cpu = time.process_time() - cpu
    intake.close()
    if not args.serial:
        label += f" ({intake.transactions:,} transactions, {intake.committed / max(intake.transactions, 1):.1f} per)"
    _report(label, done, start, cpu, load_before, "(this process, all threads; the rest is the database)")


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and its children (uvicorn's workers),
    read from /proc (Linux); 0.0 for processes that are gone."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def _over_http(url: str, code: str, ballots: list[EncryptedBallot], args: argparse.Namespace) -> None:
    bodies = [codec.dumps(b).encode() for b in ballots]
    port = free_port()
    env = {**os.environ, "SAYLAU_BENCH_DB": url}
    cmd = [sys.executable, "-m", "uvicorn", "bench.web._app:make_app", "--factory", "--workers", str(args.workers)]
    cmd += ["--host", HOST, "--port", str(port), "--log-level", "warning", "--no-access-log"]
    proc = subprocess.Popen(cmd, env=env)
    path = f"/api/e2e/{quote(code, safe='')}/ballots"
    conns: dict[int, http.client.HTTPConnection] = {}

    def cast(k: int, body: object) -> None:
        assert isinstance(body, bytes)
        conn = conns.setdefault(k, http.client.HTTPConnection(HOST, port, timeout=60))
        conn.request("POST", path, body, {"Content-Type": "application/json"})
        response = conn.getresponse()
        answer = response.read()
        if response.status != 201:
            raise RuntimeError(f"HTTP {response.status}: {answer[:300]!r}")

    try:
        wait_ready(port, f"/api/e2e/{quote(code, safe='')}", proc)
        load_before = os.getloadavg()[0]
        server = _tree_cpu(proc.pid)
        start, cpu = time.perf_counter(), time.process_time()
        done = _drive(args.clients, bodies, cast)
        cpu = time.process_time() - cpu
        server = _tree_cpu(proc.pid) - server
    finally:
        for conn in conns.values():
            conn.close()
        proc.terminate()
        proc.wait(timeout=30)
    label = f"ballot intake over HTTP, uvicorn {args.workers} worker(s), {args.clients} client thread(s)"
    extra = f"in the server (+ {cpu / len(done) * 1000:.2f} ms in the clients)"
    _report(label, done, start, server, load_before, extra)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ballots", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--serial", action="store_true", help="cast_ballot one by one (with --clients 1)")
    parser.add_argument("--http", action="store_true", help="through uvicorn on loopback")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes with --http (default 1)")
    parser.add_argument("--max-batch", type=int, default=256, help="BallotIntake max_batch (default 256)")
    parser.add_argument("--max-wait", type=float, default=0.005, help="BallotIntake max_wait, s (default 0.005)")
    parser.add_argument("--db", help="database URL (default: a fresh PostgreSQL schema)")
    args = parser.parse_args()
    if args.serial and (args.clients != 1 or args.http):
        parser.error("--serial measures cast_ballot alone: use it with --clients 1 and without --http")
    if args.ballots < 1 or args.clients < 1:
        parser.error("--ballots and --clients must be at least 1")
    with nullcontext(args.db) if args.db else pg_schema() as url:
        engine = connect(url)
        migrate(engine)
        ctx = Context(Store(engine), utc_now, "bench")
        code, ballots = _prepare(ctx, args.ballots)
        print(f"database: {engine.dialect.name}", flush=True)
        if args.http:
            _over_http(url, code, ballots, args)
        else:
            _in_process(ctx, code, ballots, args)
        engine.dispose()


if __name__ == "__main__":
    main()
