"""Ballot intake under faults (issue #9): N ballots over HTTP with malformed ones, duplicates and replays,
the server killed with SIGKILL K times (and PostgreSQL restarted), then the record checked.

The run:

1. an e2e referendum (3 guardians, quorum 2, re-vote "last") set up through the services in this process,
   which keeps the guardians' key shares in memory; ballots encrypted beforehand in a process pool (the
   voters' devices' work, not timed), each with its own credential and a 32-hex-digit ballot id;
2. the workload, seeded: 5 % malformed (bad proof, bad signature, unknown credential, bad ballot id, garbage
   JSON), 2 % duplicates (the same ballot sent twice, next to each other: two clients send them together),
   1 % replays (a ballot sent again much later, most often after it was acknowledged and after a kill);
3. `saylau serve --workers W` in its own process group on a free loopback port; C client threads POST the
   bodies to ``/api/e2e/{election}/ballots``; at K seeded moments (by progress) the whole process group is
   killed with SIGKILL and started again; with ``--db private-postgresql`` the private cluster is also
   restarted (``pg_ctl restart -m immediate``) once. A client retries a request that got no answer
   (connection refused or reset) and a 5xx, up to ``--retries`` times; a ballot whose retry answers
   ``duplicate_ballot_id`` was committed before the kill: "already recorded", never lost;
4. voting closed, tallied, decrypted by a quorum, the record exported and ``saylau-verify`` run on it;
   then every receipt is looked up in the record (same ballot id, tracking code and height).

Printed: sent, acknowledged, recorded, lost (acknowledged but absent or different), duplicated (a ballot
id twice in the record), malformed recorded, refused by code, answers by status, kills, restarts,
ballots/s. Exit status 1 if lost, duplicated or malformed recorded is not 0, the published result is not
the sum of the recorded choices, or the verifier refuses the record.

    .venv/bin/python -m bench.faults.ballots [--ballots 100000] [--kills 10] [--db private-postgresql]
        [--workers 2] [--clients 64] [--seed 1] [--json]

``--db``: ``sqlite`` (a temporary file), ``postgresql`` (a fresh schema on the shared server at
127.0.0.1:5432, never restarted) or ``private-postgresql`` (a cluster of our own on a free port, in a
temporary directory, restarted ``--pg-restarts`` times; the default).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

from bench.faults._infra import HOST, Server, private_postgresql
from bench.web.bench_protocol_intake import pg_schema
from saylau.crypto import codec
from saylau.crypto.ballot import encrypt_ballot
from saylau.crypto.credentials import CredentialSecret, issue_credential, signing_key
from saylau.crypto.group import Element
from saylau.crypto.keys import CeremonyParams, share_public_key
from saylau.crypto.proofs import ProofContext
from saylau.crypto.tally import decrypt_tally_share
from saylau.model import SaylauError
from saylau.record.events import Manifest
from saylau.services.context import Context, utc_now
from saylau.services.e2e.demo import YES_NO, Guardians, key_ceremony
from saylau.services.e2e.lifecycle import (
    close_election,
    export_record,
    publish_result,
    register_credentials,
    setup_election,
    submit_decryption,
    tally_election,
)
from saylau.store import Store, connect, migrate

__all__ = ["Config", "Counts", "run"]

ROOT = Path(__file__).resolve().parents[2]
VERIFIER = ROOT / "verifier" / ".venv" / "bin" / "saylau-verify"
TARGET = 300.0
NO_ANSWER_S = 600.0
Connection = http.client.HTTPConnection
RNG = secrets.token_bytes
CHUNK = 250
MALFORMED_KINDS = ("bad_proof", "bad_signature", "unknown_credential", "bad_ballot_id", "garbage")
GARBAGE = (b"", b"{not json", b"[]", b"null", b'{"ballot_id": "1"}', b"\xff\xfe\x00", b'{"a":' * 400)


@dataclass(frozen=True, slots=True)
class Config:
    ballots: int = 100_000
    kills: int = 10
    pg_restarts: int = 0  # only with a private cluster
    workers: int = 2
    clients: int = 64
    seed: int = 1
    retries: int = 30  # per request: no answer, or a 5xx
    malformed: float = 0.05
    duplicates: float = 0.02
    replays: float = 0.01
    kinds: tuple[str, ...] = MALFORMED_KINDS  # the malformed kinds sent, in turn


@dataclass(slots=True)
class Counts:
    """What the run prints (and ``--json`` writes)."""

    database: str = ""
    sent: int = 0  # workload items (each a ballot body sent until it got a final answer)
    requests: int = 0  # HTTP requests, retries included
    valid: int = 0  # distinct honest ballots in the workload
    acknowledged: int = 0  # distinct ballot ids answered 201 with a receipt
    already_recorded: int = 0  # honest ballots whose retry after a lost answer said duplicate_ballot_id
    recorded: int = 0  # ballot events in the record
    lost: int = 0  # acknowledged, but absent from the record or with another tracking code / height
    duplicated: int = 0  # ballot ids present more than once in the record
    double_acknowledged: int = 0  # ballot ids answered 201 twice
    malformed_recorded: int = 0  # a malformed ballot's id in the record, or a ballot id nobody sent
    honest_unrecorded: int = 0  # honest ballots absent from the record (refused for good, e.g. after 5xx)
    honest_5xx: int = 0  # honest bodies (valid, duplicate, replay) answered a 5xx at least once, then retried
    refused: dict[str, int] = field(default_factory=dict)  # final answers other than 201, by code
    statuses: dict[str, int] = field(default_factory=dict)  # every answer by status (no answer: "none")
    kills: int = 0
    pg_restarts: int = 0
    load_before: float = 0.0
    seconds: float = 0.0
    downtime: float = 0.0  # seconds of kill → answering again, summed
    ballots_per_s: float = 0.0  # acknowledged / seconds (downtime included)
    result_matches: bool = False  # the published yes/no equals the sum of the recorded ballots' choices
    verifier: str = ""
    ok: bool = False


@dataclass(frozen=True, slots=True)
class Item:
    """One body to send; ``ballot_id`` and ``choice`` for the honest ones."""

    kind: str  # valid, duplicate, replay, bad_proof, bad_signature, unknown_credential, bad_ballot_id, garbage
    body: bytes
    ballot_id: str | None = None
    choice: int = 0


# --- the voters' devices (a process pool) ------------------------------------------------------------------


def _encrypt_chunk(fingerprint: str, key_hex: str, ids: list[str], choices: list[int]) -> list[tuple[str, str]]:
    """(public credential hex, canonical ballot JSON) for each id, each with a new credential."""
    key = Element.decode(bytes.fromhex(key_hex))
    out = []
    for ballot_id, choice in zip(ids, choices, strict=True):
        credential, public = issue_credential(fingerprint, RNG)
        voter = signing_key(CredentialSecret(credential.code), fingerprint)
        try:
            ballot, _ = encrypt_ballot(YES_NO, [[choice, 1 - choice]], key, fingerprint, ballot_id, voter, RNG)
        except SaylauError:  # a device that checks the id format refuses to build it: put it in afterwards
            ballot, _ = encrypt_ballot(YES_NO, [[choice, 1 - choice]], key, fingerprint, "0" * 32, voter, RNG)
            plain = json.loads(codec.dumps(ballot))
            plain["ballot_id"] = ballot_id
            out.append((public.hex(), json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False)))
            continue
        out.append((public.hex(), codec.dumps(ballot)))
    return out


def _encrypt_all(fingerprint: str, key: Element, ids: list[str], choices: list[int]) -> list[tuple[str, str]]:
    chunks = [(ids[i : i + CHUNK], choices[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)]
    with ProcessPoolExecutor(max_workers=max(os.cpu_count() or 1, 1)) as pool:
        parts = pool.map(_encrypt_chunk, *zip(*[(fingerprint, key.hex(), a, b) for a, b in chunks], strict=True))
        return [pair for part in parts for pair in part]


# --- the workload ------------------------------------------------------------------------------------------


def _tamper(text: str, where: str) -> bytes:
    """The ballot with two scalars of a proof (or of the signature) swapped: well formed, but false."""
    plain = json.loads(text)
    if where == "proof":
        proof = plain["questions"][0]["selections"][0]["proof"]
        proof["challenges"][0], proof["challenges"][1] = proof["challenges"][1], proof["challenges"][0]
    else:
        sig = plain["signature"]
        sig["challenge"], sig["response"] = sig["response"], sig["challenge"]
    return json.dumps(plain, sort_keys=True, separators=(",", ":")).encode()


def _malformed(kinds: list[str], encrypted: Iterator[tuple[tuple[str, str], int]]) -> list[Item]:
    """The malformed bodies, in ``kinds`` order; the signed ones take the next of ``encrypted``
    (with the choice encrypted)."""
    out = []
    for n, kind in enumerate(kinds):
        if kind == "garbage":
            out.append(Item(kind, GARBAGE[n % len(GARBAGE)]))
            continue
        (_, text), choice = next(encrypted)
        ballot_id = json.loads(text)["ballot_id"]
        body = text.encode() if kind in ("unknown_credential", "bad_ballot_id") else _tamper(text, kind[4:])
        out.append(Item(kind, body, ballot_id, choice))
    return out


def _place(items: list[Item], copies: list[tuple[int, Item]], rng: random.Random, gap: int) -> list[Item]:
    """``items`` with each (original index, copy) put right after its original (gap 0) or at least
    ``gap`` places later (a replay)."""
    later: dict[int, list[Item]] = {}
    for index, copy in copies:
        at = index if gap == 0 else min(index + gap + rng.randrange(gap + 1), len(items) - 1)
        later.setdefault(at, []).append(copy)
    out = []
    for n, item in enumerate(items):
        out.append(item)
        out.extend(later.get(n, []))
    return out


Encrypt = Callable[[list[str], list[int]], list[tuple[str, str]]]


def workload(count: int, cfg: Config, rng: random.Random, encrypt: Encrypt) -> tuple[list[Item], list[str], int]:
    """The items in sending order, the public credentials to register, and how many honest ballots."""
    n_bad, n_dup, n_rep = round(count * cfg.malformed), round(count * cfg.duplicates), round(count * cfg.replays)
    n_valid = count - n_bad - n_dup - n_rep
    kinds = [cfg.kinds[n % len(cfg.kinds)] for n in range(n_bad)]
    rng.shuffle(kinds)
    signed = [k for k in kinds if k != "garbage"]
    ids = [secrets.token_hex(16) for _ in range(n_valid)]
    bad_ids = iter(_bad_id(n) for n in range(len(signed)))  # each form in turn
    ids += [next(bad_ids) if k == "bad_ballot_id" else secrets.token_hex(16) for k in signed]
    choices = [rng.randrange(2) for _ in ids]
    encrypted = encrypt(ids, choices)
    valid = [Item("valid", text.encode(), ids[n], choices[n]) for n, (_, text) in enumerate(encrypted[:n_valid])]
    registered = [public for public, _ in encrypted[:n_valid]]
    registered += [p for (p, _), k in zip(encrypted[n_valid:], signed, strict=True) if k != "unknown_credential"]
    bad = _malformed(kinds, zip(encrypted[n_valid:], choices[n_valid:], strict=True))
    dup = [(n, _copy("duplicate", valid[n])) for n in rng.sample(range(n_valid), n_dup)]
    items = _place(valid, dup, rng, 0)
    gap = max(len(items) // 20, 50)
    rep = [(n, _copy("replay", items[n])) for n in rng.sample(range(max(len(items) - 2 * gap, 1)), n_rep)]
    items = _place(items, rep, rng, gap)
    for item in bad:  # malformed ones anywhere
        items.insert(rng.randrange(len(items) + 1), item)
    return items, registered, n_valid


def _bad_id(n: int) -> str:
    """A ballot id no format can allow (issue #9 finding 2: empty, NUL, > 128 characters, a control
    character), distinct for each n but the first."""
    if n == 0:
        return ""
    return (f"{n}" + "x" * 200, f"nul\x00{n}", f"bell\x07{n}")[(n - 1) % 3]


def _copy(kind: str, item: Item) -> Item:
    return Item(kind, item.body, item.ballot_id, item.choice)


# --- the clients -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Outcome:
    kind: str
    ballot_id: str | None
    status: int  # the final answer (0: none after every retry)
    code: str  # "ok", a problem code, or "status-N"
    receipt: tuple[str, int] | None  # (tracking code, height) when 201
    lost_answer: bool  # some attempt got no answer or a 5xx before the final one
    errors: int = 0  # 5xx answers before the final one


class Clients:
    """``clients`` threads taking the items in order; ``progress`` counts final answers."""

    def __init__(self, port: int, path: str, items: list[Item], cfg: Config):
        self.port, self.path, self.items, self.cfg = port, path, items, cfg
        self.next = 0
        self.progress = 0
        self.lock = threading.Lock()
        self.outcomes: list[Outcome | None] = [None] * len(items)
        self.statuses: Counter[str] = Counter()
        self.requests = 0

    def run(self) -> None:
        threads = [threading.Thread(target=self._client, daemon=True) for _ in range(self.cfg.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def _client(self) -> None:
        conn: http.client.HTTPConnection | None = None
        while True:
            with self.lock:
                n, self.next = self.next, self.next + 1
            if n >= len(self.items):
                break
            conn, outcome = self._send(conn, self.items[n])
            with self.lock:
                self.outcomes[n] = outcome
                self.progress += 1
        if conn is not None:
            conn.close()

    def _send(self, conn: Connection | None, item: Item) -> tuple[Connection | None, Outcome]:
        """Send until a final answer: a request without an answer (the server being killed or restarting)
        is retried for up to ``NO_ANSWER_S`` seconds, a 5xx up to ``cfg.retries`` times."""
        lost, errors, attempt = False, 0, 0
        deadline = time.monotonic() + NO_ANSWER_S
        while time.monotonic() < deadline:
            attempt += 1
            if conn is None:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
            try:
                conn.request("POST", self.path, item.body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                status, answer = response.status, response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn, lost = None, True
                self._count("none")
                time.sleep(min(0.05 * attempt, 0.5))
                continue
            self._count(str(status))
            if status >= 500 and errors < self.cfg.retries:
                lost, errors = True, errors + 1
                time.sleep(min(0.05 * attempt, 0.5))
                continue
            outcome = _outcome(item, status, answer, lost)
            outcome.errors = errors
            return conn, outcome
        return conn, Outcome(item.kind, item.ballot_id, 0, "no_answer", None, True, errors)

    def _count(self, status: str) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.requests += 1


def _outcome(item: Item, status: int, answer: bytes, lost: bool) -> Outcome:
    try:
        doc = json.loads(answer)
    except ValueError:
        doc = {}
    if status == 201:
        receipt = (doc["tracking_code"]["full"], int(doc["height"]))
        return Outcome(item.kind, item.ballot_id, status, "ok", receipt, lost)
    code = doc.get("code") if isinstance(doc, dict) else None
    return Outcome(item.kind, item.ballot_id, status, str(code or f"status-{status}"), None, lost)


# --- the faults --------------------------------------------------------------------------------------------


def _faults(
    clients: Clients, server: Server, kills: list[int], restart_pg: Callable[[], None] | None, pg_at: list[int]
) -> None:
    """Kill (and restart) the server when the clients' progress reaches each of ``kills``; restart
    PostgreSQL at each of ``pg_at``."""
    plan = sorted([(k, "kill") for k in kills] + [(k, "pg") for k in pg_at])
    for at, what in plan:
        while clients.progress < at and clients.next < len(clients.items):
            time.sleep(0.01)
        if clients.next >= len(clients.items) and clients.progress >= len(clients.items):
            return
        if what == "kill":
            server.kill_and_restart()
        elif restart_pg is not None:
            restart_pg()


# --- the run -----------------------------------------------------------------------------------------------


def _setup(ctx: Context, code: str) -> tuple[str, Guardians]:
    fingerprint = setup_election(ctx, Manifest(code, "Fault run", YES_NO, 3, 2, "last"))
    return fingerprint, key_ceremony(ctx, code, fingerprint, CeremonyParams(3, 2), RNG)


def _finish(ctx: Context, code: str, fingerprint: str, council: Guardians, out: Path) -> tuple[int, int]:
    close_election(ctx, code)
    tally = tally_election(ctx, code)
    for share in council.key_shares[:2]:
        public = share_public_key(council.commitments, share.index)
        submit_decryption(ctx, code, decrypt_tally_share(tally, share, public, ProofContext(fingerprint), RNG))
    yes, no = publish_result(ctx, code).counts[0]
    export_record(ctx, code, out)
    return yes, no


def _record_ballots(out: Path) -> dict[str, list[tuple[str, int]]]:
    """ballot id -> [(tracking code, height)] of every ballot event in the exported record."""
    found: dict[str, list[tuple[str, int]]] = {}
    with (out / "events.jsonl").open(encoding="utf-8") as f:
        for line in f:
            event = json.loads(line)
            if event["type"] == "ballot":
                payload = event["payload"]
                found.setdefault(payload["ballot"]["ballot_id"], []).append((payload["tracking_code"], event["height"]))
    return found


def _verify(out: Path) -> str:
    proc = subprocess.run([str(VERIFIER), str(out)], capture_output=True, text=True, check=False)
    text = (proc.stdout + proc.stderr).strip().splitlines()
    return ("accepted" if proc.returncode == 0 else f"REFUSED (exit {proc.returncode})") + (
        f": {text[-1]}" if text else ""
    )


def _tally(
    counts: Counts, items: list[Item], outcomes: list[Outcome], record: dict[str, list[tuple[str, int]]]
) -> tuple[int, int]:
    """Fill the invariants' counts; return the (yes, no) the record's ballots add up to (their choices
    are known: every ballot was encrypted here)."""
    honest = {i.ballot_id: i.choice for i in items if i.kind == "valid"}
    choice = {i.ballot_id: i.choice for i in items if i.ballot_id is not None}
    malformed = {
        i.ballot_id for i in items if i.kind not in ("valid", "duplicate", "replay") and i.ballot_id is not None
    }
    receipts: dict[str, list[tuple[str, int]]] = {}
    refused: Counter[str] = Counter()
    for o in outcomes:
        if o.receipt is not None and o.ballot_id is not None:
            receipts.setdefault(o.ballot_id, []).append(o.receipt)
        elif o.kind == "valid" and o.lost_answer and o.code == "duplicate_ballot_id":
            counts.already_recorded += 1
        else:
            refused[f"{o.kind}: {o.code}"] += 1
    counts.honest_5xx = sum(1 for o in outcomes if o.errors and o.kind in ("valid", "duplicate", "replay"))
    counts.acknowledged = len(receipts)
    counts.double_acknowledged = sum(1 for r in receipts.values() if len(r) > 1)
    counts.lost = sum(1 for b, r in receipts.items() if any(record.get(b, [])[:1] != [x] for x in r))
    counts.duplicated = sum(1 for r in record.values() if len(r) > 1)
    counts.recorded = sum(len(r) for r in record.values())
    counts.malformed_recorded = sum(1 for b in record if b in malformed or b not in honest)
    counts.honest_unrecorded = sum(1 for b in honest if b not in record)
    counts.refused = dict(sorted(refused.items()))
    yes = sum(choice.get(b, 0) for b in record)
    return yes, len(record) - yes


@contextmanager
def database(kind: str, scratch: Path) -> Iterator[tuple[str, Callable[[], None] | None]]:
    """The URL of a fresh database of ``kind``, and how to restart its server (private cluster only)."""
    if kind == "sqlite":
        yield f"sqlite:///{scratch / 'faults.db'}", None
    elif kind == "postgresql":
        with pg_schema() as url:
            yield url, None
    elif kind == "private-postgresql":
        with private_postgresql() as pg:
            yield pg.url, pg.restart
    else:
        yield kind, None  # a URL


def run(
    url: str,
    cfg: Config,
    scratch: Path,
    restart_pg: Callable[[], None] | None = None,
    say: Callable[[str], None] = print,
) -> Counts:
    """The whole fault run on the (empty) database at ``url``; its counts."""
    rng = random.Random(cfg.seed)
    engine = connect(url)
    migrate(engine)
    ctx = Context(Store(engine), utc_now, "faults")
    code = f"faults-{secrets.token_hex(4)}"
    fingerprint, council = _setup(ctx, code)
    started = time.perf_counter()
    items, registered, valid = workload(
        cfg.ballots, cfg, rng, lambda i, c: _encrypt_all(fingerprint, council.joint_key, i, c)
    )
    register_credentials(ctx, code, [Element.decode(bytes.fromhex(p)) for p in registered])
    say(f"{len(items):,} bodies prepared ({valid:,} honest ballots encrypted) in {time.perf_counter() - started:.1f} s")
    counts = Counts(database=engine.dialect.name, sent=len(items), valid=valid)
    server = Server(url, cfg.workers, scratch / "server.log", f"/api/e2e/{quote(code, safe='')}")
    clients = Clients(server.port, f"/api/e2e/{quote(code, safe='')}/ballots", items, cfg)
    span = range(len(items) // 20, max(len(items) * 19 // 20, len(items) // 20 + cfg.kills + 2))
    kills = rng.sample(span, cfg.kills)
    pg_at = rng.sample(span, cfg.pg_restarts if restart_pg is not None else 0)
    server.start()
    counts.load_before = round(os.getloadavg()[0], 2)
    try:
        started = time.perf_counter()
        faults = threading.Thread(target=_faults, args=(clients, server, kills, restart_pg, pg_at), daemon=True)
        faults.start()
        clients.run()
        counts.seconds = time.perf_counter() - started
        faults.join()
    finally:
        server.stop()
    counts.kills, counts.downtime, counts.pg_restarts = server.kills, round(server.downtime, 2), len(pg_at)
    counts.requests, counts.statuses = clients.requests, dict(sorted(clients.statuses.items()))
    outcomes = [o for o in clients.outcomes if o is not None]
    say(f"sent in {counts.seconds:.1f} s; closing, tallying, decrypting, exporting, verifying")
    engine.dispose()  # connections from before a PostgreSQL restart are gone
    out = scratch / "record"
    yes, no = _finish(ctx, code, fingerprint, council, out)
    counts.verifier = _verify(out)
    expected = _tally(counts, items, outcomes, _record_ballots(out))
    counts.result_matches = (yes, no) == expected
    counts.ballots_per_s = round(counts.acknowledged / counts.seconds, 1) if counts.seconds else 0.0
    counts.seconds = round(counts.seconds, 2)
    counts.ok = (
        counts.lost == counts.duplicated == counts.malformed_recorded == counts.double_acknowledged == 0
        and counts.result_matches
        and counts.verifier.startswith("accepted")
    )
    ctx.store.dispose()
    return counts


def report(counts: Counts, cfg: Config) -> str:
    c, rate = counts, counts.ballots_per_s
    up = c.acknowledged / (c.seconds - c.downtime) if c.seconds > c.downtime else 0.0
    return "\n".join(
        [
            f"ballot intake under faults on {c.database}: {cfg.workers} worker(s), {cfg.clients} clients, "
            f"seed {cfg.seed}",
            f"  sent {c.sent:,} bodies ({c.valid:,} honest ballots) in {c.requests:,} requests",
            f"  acknowledged {c.acknowledged:,}; already recorded (answer lost, the retry said duplicate_ballot_id) "
            f"{c.already_recorded:,}",
            f"  recorded {c.recorded:,}; LOST {c.lost}; DUPLICATED {c.duplicated}; MALFORMED RECORDED "
            f"{c.malformed_recorded}; double acknowledged {c.double_acknowledged}",
            f"  honest ballots not recorded (refused for good) {c.honest_unrecorded:,}; "
            f"honest bodies answered 5xx before a retry {c.honest_5xx:,}",
            "  refused (final answer, kind: code): " + ", ".join(f"{k} {v:,}" for k, v in c.refused.items()),
            "  answers by status: " + ", ".join(f"{k} {v:,}" for k, v in c.statuses.items()),
            f"  kills {c.kills} (downtime {c.downtime:.1f} s in all), PostgreSQL restarts {c.pg_restarts}",
            f"  {c.seconds:.1f} s: {rate:,.0f} acknowledged ballots/s downtime included, {up:,.0f}/s while up "
            f"(target ≥ {TARGET:.0f}: {'met' if rate >= TARGET else 'MISSED'}); load average {c.load_before:.2f} "
            f"before, {os.getloadavg()[0]:.2f} after (2 cores)",
            f"  published result = the recorded ballots' choices: {c.result_matches}; saylau-verify: {c.verifier}",
            f"  invariants (acknowledged => recorded once, no malformed recorded): {'HOLD' if c.ok else 'BROKEN'}",
        ]
    )


@contextmanager
def scratch_dir(keep: Path | None) -> Iterator[Path]:
    """``keep`` (made new) or a temporary directory removed afterwards."""
    if keep is not None:
        keep.mkdir(parents=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="saylau-faults-") as tmp:
        yield Path(tmp)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ballots", type=int, default=100_000, help="bodies sent (default 100,000)")
    parser.add_argument("--kills", type=int, default=10, help="SIGKILLs of the server (default 10)")
    parser.add_argument("--db", default="private-postgresql", help="sqlite | postgresql | private-postgresql | a URL")
    parser.add_argument("--pg-restarts", type=int, default=1, help="restarts of the private cluster (default 1)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--malformed-kinds",
        default=",".join(MALFORMED_KINDS),
        help=f"comma-separated, sent in turn (default {','.join(MALFORMED_KINDS)})",
    )
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.add_argument("--keep", type=Path, help="new directory to keep the server's log and the record in")
    args = parser.parse_args()
    if args.ballots < 100 or args.kills < 0 or args.clients < 1:
        parser.error("--ballots must be at least 100, --kills at least 0, --clients at least 1")
    kinds = tuple(k for k in args.malformed_kinds.split(",") if k)
    if not kinds or set(kinds) - set(MALFORMED_KINDS):
        parser.error(f"--malformed-kinds: some of {', '.join(MALFORMED_KINDS)}")
    cfg = Config(args.ballots, args.kills, args.pg_restarts, args.workers, args.clients, args.seed, kinds=kinds)
    say = (lambda _s: None) if args.json else (lambda s: print(s, flush=True))
    with scratch_dir(args.keep) as tmp, database(args.db, tmp) as (url, restart):
        counts = run(url, cfg, tmp, restart, say)
    print(json.dumps(asdict(counts), indent=2) if args.json else report(counts, cfg), flush=True)
    sys.exit(0 if counts.ok else 1)


if __name__ == "__main__":
    main()
