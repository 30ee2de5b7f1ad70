"""A large valid e2e record, built fast, then verified by ``saylau-verify`` with time, throughput and peak memory.

A benchmark, not a test (issue #4: "verification of a 1,000,000-ballot record on this 2-core machine"). Building
a million ballots through ``saylau e2e demo`` (database, one transaction per ballot) takes hours; this script runs
the producer's own code paths without the database:

* the key ceremony with ``saylau.crypto.keys`` (3 guardians, quorum 2);
* credentials with ``issue_credential`` / ``signing_key`` and ballots with ``encrypt_ballot`` (OS randomness), in
  a process pool on all cores, each worker also summing its chunk with ``saylau.crypto.tally.aggregate``;
* every event with ``saylau.record.events`` (``make_event`` and the ``*_payload`` builders), tracking codes with
  ``saylau.crypto.tracking``, partial decryptions with ``decrypt_tally_share`` and the result with
  ``combine_tally``; ``events.jsonl`` is written line by line exactly as ``saylau.record.chain.record_files``
  writes it (below 5,000 ballots the script also builds the file with ``record_files`` and compares the bytes).

Run from the repository root (verifier installed in ``verifier/.venv``)::

    .venv/bin/python bench/e2e/big_record.py --ballots 20000 --out /tmp/rec20k      # validate + extrapolate
    .venv/bin/python bench/e2e/big_record.py --ballots 1000000 --out /tmp/rec1m     # the real figure

``--out`` must be new or empty. ``--jobs`` is passed to ``saylau-verify`` (default 0 = all cores);
``--no-verify`` only builds. The voters' choices come from ``--seed`` (simulation only; nonces from the OS).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from saylau.crypto import codec
from saylau.crypto.ballot import QuestionSpec, ballot_hash, encrypt_ballot
from saylau.crypto.credentials import CredentialSecret, issue_credential, signing_key
from saylau.crypto.elgamal import Ciphertext, add_ciphertexts
from saylau.crypto.group import Element
from saylau.crypto.keys import (
    CeremonyParams,
    GuardianCommitment,
    KeyShare,
    combine_key_shares,
    generate_guardian,
    joint_public_key,
    share_for,
    share_public_key,
)
from saylau.crypto.proofs import ProofContext
from saylau.crypto.tally import EncryptedTally, aggregate, combine_tally, decrypt_tally_share
from saylau.crypto.tracking import genesis_code, next_tracking_code
from saylau.record import events as ev
from saylau.record.chain import record_files
from saylau.record.encoding import FORMAT, canon
from saylau.record.events import Event, EventType, Manifest

__all__ = ["main"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VERIFIER = ROOT / "verifier" / ".venv" / "bin" / "saylau-verify"
QUESTIONS = (QuestionSpec("q1", ("yes", "no"), 1, 1),)
GUARDIANS, QUORUM = 3, 2
CHUNK = 500
PRODUCER_CHECK_BELOW = 5000
MILLION = 1_000_000
RNG = secrets.token_bytes


# --- the ceremony ------------------------------------------------------------------------------------------


def _ceremony(context: ProofContext) -> tuple[list[GuardianCommitment], list[KeyShare], Element, list[Element]]:
    params = CeremonyParams(GUARDIANS, QUORUM)
    guardians = [generate_guardian(i, params, context, RNG) for i in range(1, GUARDIANS + 1)]
    shares = [share_for(s, j, context, RNG) for s, _ in guardians for j in range(1, GUARDIANS + 1)]
    keys = [combine_key_shares(j, [s for s in shares if s.recipient == j]) for j in range(1, GUARDIANS + 1)]
    commitments = [c for _, c in guardians]
    share_keys = [share_public_key(commitments, j) for j in range(1, GUARDIANS + 1)]
    return commitments, keys, joint_public_key(commitments), share_keys


# --- workers -----------------------------------------------------------------------------------------------


def _credentials(fingerprint: str, count: int) -> list[tuple[bytes, str]]:
    """The credential authority: ``count`` (private credential, public credential hex)."""
    out = []
    for _ in range(count):
        secret, public = issue_credential(fingerprint, RNG)
        out.append((secret.code, public.hex()))
    return out


@dataclass(frozen=True, slots=True)
class Chunk:
    lines: list[tuple[str, str]]  # (canonical ballot JSON, ballot_hash) in cast order
    yes: int
    tally: list[tuple[str, str]]  # this chunk's sum per option (alpha hex, beta hex)


def _ballots(fingerprint: str, key_hex: str, seed: int, credentials: list[bytes]) -> Chunk:
    """A voter's device for each credential: encrypt a yes/no choice, prove, sign (``encrypt_ballot``)."""
    key = Element.decode(bytes.fromhex(key_hex))
    choices = random.Random(seed)  # the simulated voters' choices only; every nonce comes from the OS
    ballots, lines, yes = [], [], 0
    for code in credentials:
        voter = signing_key(CredentialSecret(code), fingerprint)
        chosen = choices.random() < 0.55
        yes += chosen
        ballot, _ = encrypt_ballot(
            QUESTIONS, [[int(chosen), int(not chosen)]], key, fingerprint, RNG(12).hex(), voter, RNG
        )
        ballots.append(ballot)
        lines.append((canon(codec.to_plain(ballot)), ballot_hash(ballot, fingerprint)))
    total = aggregate(QUESTIONS, ballots)
    return Chunk(lines, yes, [(c.alpha.hex(), c.beta.hex()) for c in total.questions[0]])


# --- writing -----------------------------------------------------------------------------------------------


class Writer:
    """``events.jsonl`` line by line, each line ``canon(event.plain())`` as ``record_files`` writes it."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream, self.head, self.events = stream, None, 0
        self.kept: list[Event] | None = None

    def add(self, event_type: EventType, payload: object) -> Event:
        event = ev.make_event(self.head, event_type, payload)
        self.stream.write(canon(event.plain()) + "\n")
        self.head, self.events = event, self.events + 1
        if self.kept is not None:
            self.kept.append(event)
        return event


def _windowed(pool: ProcessPoolExecutor, tasks: list[tuple[object, ...]], window: int) -> Iterator[Chunk]:
    """Results in task order with at most ``window`` tasks in flight (bounded memory)."""
    pending: deque[Future[Chunk]] = deque()
    todo = iter(tasks)
    for task in todo:
        pending.append(pool.submit(_ballots, *task))
        if len(pending) >= window:
            break
    while pending:
        yield pending.popleft().result()
        for task in todo:
            pending.append(pool.submit(_ballots, *task))
            break


def build(out: Path, ballots: int, workers: int, seed: int) -> dict[str, object]:
    started = time.perf_counter()
    election = f"bench-{secrets.token_hex(4)}"
    manifest = Manifest(election, "Bench referendum", QUESTIONS, GUARDIANS, QUORUM, "last")
    fingerprint = manifest.fingerprint()
    context = ProofContext(fingerprint)
    commitments, keys, joint, share_keys = _ceremony(context)
    sizes = [min(CHUNK, ballots - i) for i in range(0, ballots, CHUNK)]
    out.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        issued = [c for part in pool.map(_credentials, [fingerprint] * len(sizes), sizes) for c in part]
        publics = [Element.decode(bytes.fromhex(p)) for _, p in issued]
        with (out / "events.jsonl").open("w", encoding="utf-8", newline="\n") as stream:
            w = Writer(stream)
            w.kept = [] if ballots < PRODUCER_CHECK_BELOW else None
            w.add(EventType.SETUP, ev.setup_payload(manifest))
            for c in commitments:
                w.add(EventType.GUARDIAN, ev.guardian_payload(c))
            w.add(EventType.JOINT_KEY, ev.joint_key_payload(joint, share_keys))
            w.add(EventType.CREDENTIALS, ev.credentials_payload(publics))
            encrypting = time.perf_counter()
            tasks: list[tuple[object, ...]] = []
            offset = 0
            for n, size in enumerate(sizes):
                tasks.append(
                    (fingerprint, joint.hex(), seed * 1_000_003 + n, [c for c, _ in issued[offset : offset + size]])
                )
                offset += size
            tracking = genesis_code(fingerprint)
            counted: list[str] = []
            sums: list[list[Ciphertext]] = [[], []]
            yes = 0
            for chunk in _windowed(pool, tasks, 4 * workers):
                yes += chunk.yes
                for o, (a, b) in enumerate(chunk.tally):
                    sums[o].append(
                        Ciphertext(
                            Element.decode(bytes.fromhex(a), allow_identity=True),
                            Element.decode(bytes.fromhex(b), allow_identity=True),
                        )
                    )
                for text, digest in chunk.lines:
                    tracking = next_tracking_code(fingerprint, tracking, digest)
                    w.add(
                        EventType.BALLOT,
                        {"ballot": json.loads(text), "ballot_hash": digest, "tracking_code": tracking.full},
                    )
                    counted.append(digest)
            encrypted = time.perf_counter() - encrypting
            tally = EncryptedTally(ballots, (tuple(add_ciphertexts(s) for s in sums),))
            w.add(EventType.CLOSE, ev.close_payload(ballots, tracking))
            w.add(EventType.TALLY, ev.tally_payload(counted, tally))
            tally_shares = [decrypt_tally_share(tally, keys[j - 1], share_keys[j - 1], context, RNG) for j in (1, 2)]
            for share in tally_shares:
                w.add(EventType.DECRYPTION, ev.decryption_payload(share))
            publics_by_guardian = {j: share_keys[j - 1] for j in range(1, GUARDIANS + 1)}
            counts = combine_tally(tally, tally_shares, publics_by_guardian, QUORUM, context, max(ballots, 1))
            if counts != ((yes, ballots - yes),):
                raise SystemExit(f"decrypted {counts}, the simulated voters chose {(yes, ballots - yes)}")
            w.add(EventType.RESULT, ev.result_payload(counts, (1, 2)))
    assert w.head is not None
    head_manifest = {
        "events": w.events,
        "fingerprint": fingerprint,
        "format": FORMAT,
        "head": w.head.hash,
        "manifest": manifest.plain(),
    }
    (out / "manifest.json").write_text(canon(head_manifest) + "\n", encoding="utf-8", newline="\n")
    if w.kept is not None:  # small runs: byte-for-byte what the producer's exporter writes for these events
        files = record_files(w.kept)
        for name, text in files.items():
            if (out / name).read_text(encoding="utf-8") != text:
                raise SystemExit(f"{name} differs from saylau.record.chain.record_files")
    return {
        "ballots": ballots,
        "events": w.events,
        "counts": [list(c) for c in counts],
        "build_seconds": round(time.perf_counter() - started, 1),
        "encrypt_ms_per_ballot_wall": round(1000 * encrypted / max(ballots, 1), 3),
        "record_bytes": sum(p.stat().st_size for p in out.iterdir()),
        "producer_checked": w.kept is not None,
    }


# --- verifying ---------------------------------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Resident bytes of process ``root`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(stat[1]), []).append(int(entry.name))
            rss[int(entry.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def verify(out: Path, jobs: int) -> dict[str, object]:
    """``saylau-verify OUT --jobs J --json``: wall time, and the peak resident memory of its process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(VERIFIER), str(out), "--jobs", str(jobs), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = [0]

    def watch() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    stdout, stderr = proc.communicate()
    elapsed = time.perf_counter() - started
    watcher.join()
    if proc.returncode != 0:
        raise SystemExit(f"saylau-verify exit {proc.returncode}:\n{stdout[-3000:]}\n{stderr[-3000:]}")
    report = json.loads(stdout)
    return {"status": report["status"], "wall_seconds": round(elapsed, 2), "peak_rss_mb": round(peak[0] / 2**20, 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=None, help="new or empty directory (default: a temporary one)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="encryption processes")
    parser.add_argument("--jobs", type=int, default=0, help="saylau-verify --jobs (0 = all cores)")
    parser.add_argument("--seed", type=int, default=1, help="the simulated voters' choices")
    parser.add_argument("--no-verify", action="store_true")
    args = parser.parse_args(argv)
    if args.ballots < 1:
        parser.error("--ballots must be at least 1")
    with tempfile.TemporaryDirectory(prefix="saylau-big-") as scratch:
        out = args.out or Path(scratch) / "record"
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            parser.error(f"{out} is not a new or empty directory")
        built = build(out, args.ballots, args.workers, args.seed)
        print(
            f"built {built['ballots']:,} ballots ({built['events']:,} events) in {built['build_seconds']} s "
            f"({built['encrypt_ms_per_ballot_wall']} ms per ballot wall, {args.workers} processes); "
            f"result {built['counts']}; record {built['record_bytes'] / 2**20:.1f} MiB "
            f"({built['record_bytes'] / built['ballots']:.0f} bytes per ballot) in {out}"
            + ("; events.jsonl identical to record_files'" if built["producer_checked"] else "")
        )
        if args.no_verify:
            return
        if not VERIFIER.exists():
            raise SystemExit(f"the verifier is not installed at {VERIFIER} (see verifier/README.md)")
        checked = verify(out, args.jobs)
        seconds = float(checked["wall_seconds"])  # type: ignore[arg-type]
        rate = args.ballots / seconds
        print(
            f"saylau-verify --jobs {args.jobs}: {checked['status']} in {seconds:.2f} s wall "
            f"({rate:,.0f} ballots/s, {1000 * seconds / args.ballots:.3f} ms per ballot, everything included; "
            f"cores: {os.cpu_count()}); peak memory {checked['peak_rss_mb']} MiB (verifier and its workers)"
        )
        if args.ballots != MILLION:
            scale = MILLION / args.ballots
            print(
                f"EXTRAPOLATED to {MILLION:,} ballots (linear): verification ≈ {seconds * scale / 60:.1f} min, "
                f"record ≈ {built['record_bytes'] * scale / 2**30:.2f} GiB, "  # type: ignore[operator]
                f"build ≈ {float(built['build_seconds']) * scale / 60:.0f} min; "  # type: ignore[arg-type]
                f"measure it: .venv/bin/python bench/e2e/big_record.py --ballots {MILLION} --out DIR"
            )


if __name__ == "__main__":
    sys.exit(main())
