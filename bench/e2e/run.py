"""Per-ballot costs of saylau, the ElectionGuard Python SDK 1.4.0 and belenios-tool 2.0, side by side (issue #4).

Run from the repository root, after ``bash bench/e2e/setup.sh`` (peers) — see bench/e2e/README.md:

    .venv/bin/python bench/e2e/run.py            # all parts, ~3 minutes
    .venv/bin/python bench/e2e/run.py --quick    # small sizes, ~1 minute (figures noisier)

Prints one table: system, encryption ms/ballot, verification ms/ballot (one core), bytes/ballot, and the
verification ratios peer / saylau with the issue's targets marked met or MISSED. A peer that is not installed
or fails to run is listed with the reason; no figure is ever filled in by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from saylau.crypto import codec
from saylau.crypto.ballot import QuestionSpec, encrypt_ballot, verify_ballot
from saylau.crypto.credentials import issue_credential, signing_key
from saylau.crypto.errors import Invalid
from saylau.crypto.group import base_mul, random_scalar

__all__ = ["main"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PEERS = Path(os.environ.get("SAYLAU_BENCH_PEERS", HERE / ".peers"))
SAYLAU = ROOT / ".venv" / "bin" / "saylau"
VERIFIER = ROOT / "verifier" / ".venv" / "bin" / "saylau-verify"
EG_PYTHON = PEERS / "eg-venv" / "bin" / "python"
ELECTION = "ab" * 32
YES_NO = (QuestionSpec("q1", ("yes", "no"), 1, 1),)
ENCRYPT_TARGET_MS = 1.0
VERIFY_TARGET_MS = 0.5
RATIO_TARGETS = {"electionguard": 50.0, "belenios": 10.0}
MILLION = 1_000_000
BELENIOS_GROUP = "BELENIOS-2048"  # the group of belenios' own demo; 2.0 has finite-field groups only


@dataclass
class Row:
    system: str
    encrypt_ms: float | None = None
    verify_ms: float | None = None
    bytes_: float | None = None
    notes: list[str] = field(default_factory=list)
    error: str | None = None


def _one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)  # type: ignore[call-overload,no-any-return]


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# --- saylau, producer's crypto API (in this process, one core) ---------------------------------------------


def saylau_api(repeat: int) -> Row:
    rng = secrets.token_bytes
    key = base_mul(random_scalar(rng))
    credential, _ = issue_credential(ELECTION, rng)
    voter = signing_key(credential, ELECTION)
    choices = [[[1, 0]] if i % 2 == 0 else [[0, 1]] for i in range(repeat)]
    encrypt_ballot(YES_NO, choices[0], key, ELECTION, "warm-up", voter, rng)
    start = time.perf_counter()
    ballots = [encrypt_ballot(YES_NO, c, key, ELECTION, f"ballot-{i}", voter, rng)[0] for i, c in enumerate(choices)]
    enc = (time.perf_counter() - start) / repeat
    start = time.perf_counter()
    verdicts = [verify_ballot(b, YES_NO, key, ELECTION) for b in ballots]
    ver = (time.perf_counter() - start) / repeat
    row = Row("saylau (crypto API, in-process)", enc * 1e3, ver * 1e3, float(len(codec.dumps(ballots[0]).encode())))
    bad = [v for v in verdicts if isinstance(v, Invalid)]
    if bad:
        row.error = f"{len(bad)} of its own ballots do not verify: {bad[0]}"
    sent = len(ballots[0].questions[0].selections)
    row.notes.append(
        f"encrypt_ballot / verify_ballot over {repeat} ballots; {sent} ciphertext(s) sent per yes/no question; "
        "bytes = canonical JSON of one EncryptedBallot"
    )
    return row


# --- saylau, a real record and the independent verifier -------------------------------------------------------


@dataclass
class Record:
    path: Path
    voters: int
    demo_s: float
    ballot_events: int
    ballot_bytes: int


def saylau_record(voters: int, workdir: Path) -> Record:
    out = workdir / f"saylau-{voters}"
    start = time.perf_counter()
    _run([str(SAYLAU), "e2e", "demo", "--voters", str(voters), "--out", str(out), "--json"])
    demo_s = time.perf_counter() - start
    count = size = 0
    with (out / "events.jsonl").open("rb") as events:
        for line in events:
            if json.loads(line)["type"] in {"ballot", "spoiled"}:
                count += 1
                size += len(line)
    return Record(out, voters, demo_s, count, size)


def verify_record(record: Record, jobs: int) -> tuple[float, float, dict[str, object]]:
    """Wall seconds, the verifier's own seconds, its JSON report. --jobs 1 runs pinned to one core (taskset)."""
    cmd = [str(VERIFIER), str(record.path), "--jobs", str(jobs), "--json"]
    if jobs == 1 and shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    report = json.loads(done.stdout)
    return wall, float(report["seconds"]), report


def _verifier_problem(report: dict[str, object]) -> str | None:
    if report.get("status") == "ok":
        return None
    findings = report.get("findings") or []
    first = findings[0] if isinstance(findings, list) and findings else {}
    return f"verifier status {report.get('status')!r}, {len(findings)} finding(s), first: {first}"  # type: ignore[arg-type]


def saylau_verifier_row(record: Record) -> tuple[Row, dict[str, object]]:
    row = Row("saylau (e2e demo record + saylau-verify --jobs 1)")
    wall, own, report = verify_record(record, 1)
    ballots = int(report.get("ballots", record.ballot_events))  # type: ignore[call-overload]
    row.verify_ms = own / ballots * 1e3
    row.bytes_ = record.ballot_bytes / record.ballot_events
    row.notes.append(
        f"{record.voters} voters, {ballots} ballot events (cast + spoiled); verify = the whole record check "
        f"(chain, ballots, tally, decryptions) / ballots: {own:.2f} s by its own clock, {wall:.2f} s with start-up; "
        "bytes = ballot lines of events.jsonl / ballots; encrypt not shown: the whole demo (setup, voting, storage, "
        f"tally, record) took {record.demo_s:.1f} s = {record.demo_s / record.ballot_events * 1e3:.2f} ms / ballot"
    )
    problem = _verifier_problem(report)
    if problem:
        row.error = f"the verifier REJECTED the record, so its time is not a valid measurement: {problem}"
    return row, report


def million(record: Record) -> str:
    wall, own, report = verify_record(record, 2)
    ballots = int(report.get("ballots", record.ballot_events))  # type: ignore[call-overload]
    per = own / ballots
    if ballots >= MILLION:
        text = f"{ballots}-ballot record, both cores (--jobs 2): MEASURED {own:.1f} s ({wall:.1f} s wall)"
        problem = _verifier_problem(report)
        return text + (f"\n  NOT VALID: {problem}" if problem else "")
    text = (
        f"1,000,000-ballot record, both cores (--jobs 2): EXTRAPOLATED from a {ballots}-ballot record verified in "
        f"{own:.2f} s ({wall:.2f} s wall) → {per * MILLION:.0f} s ≈ {per * MILLION / 60:.1f} min "
        "(linear in ballots; the record's fixed part is included in the rate, so this slightly overstates); "
        "to measure it: .venv/bin/python bench/e2e/big_record.py --ballots 1000000 --out DIR"
    )
    problem = _verifier_problem(report)
    if problem:
        text += f"\n  NOT VALID: {problem}"
    return text


# --- ElectionGuard 1.4.0 (its own venv, see setup.sh) ---------------------------------------------------------


def electionguard(repeat: int) -> Row:
    row = Row("ElectionGuard Python SDK 1.4.0")
    if not EG_PYTHON.exists():
        row.error = f"not installed: {EG_PYTHON} missing (run bash bench/e2e/setup.sh)"
        return row
    done = subprocess.run(
        [str(EG_PYTHON), str(HERE / "eg_bench.py"), str(repeat)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tempfile.gettempdir(),
    )
    if done.returncode != 0:
        row.error = f"failed (exit {done.returncode}): {(done.stderr or done.stdout).strip().splitlines()[-1:]}"
        return row
    data = json.loads(done.stdout.strip().splitlines()[-1])
    row.encrypt_ms, row.verify_ms, row.bytes_ = data["encrypt_ms"], data["verify_ms"], float(data["bytes"])
    patched = (PEERS / "eg-venv" / "PATCHED-809").exists()
    row.notes.append(
        f"encrypt_ballot / CiphertextBallot.is_valid_encryption over {data['ballots']} ballots, Python "
        f"{data['python']}, one guardian key, {data['selections_with_placeholders']} selections incl. placeholder; "
        "bytes = SubmittedBallot JSON (to_raw)"
        + ("; patched for Python 3.11 (issue #809 / PR #810, see setup.sh)" if patched else "")
    )
    return row


# --- belenios-tool 2.0 (Debian) ------------------------------------------------------------------------------


def _belenios(args: list[str], cwd: Path, stdin: str | None = None) -> str:
    env = {**os.environ, "BELENIOS_USE_URANDOM": "1"}
    return _run(["belenios-tool", *args], cwd=cwd, env=env, input=stdin).stdout


def _belenios_verify_s(directory: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        times.append(_timed(lambda: _belenios(["election", "verify", "--dir", "."], directory)))
    return min(times)


def belenios(small: int, large: int, workdir: Path) -> Row:
    row = Row(f"belenios-tool {_belenios_version()} ({BELENIOS_GROUP})")
    if not shutil.which("belenios-tool"):
        row.error = "not installed: belenios-tool not on PATH (run bash bench/e2e/setup.sh, needs apt)"
        return row
    try:
        return _belenios_election(row, small, large, workdir)
    except (subprocess.CalledProcessError, OSError) as exc:
        stderr = getattr(exc, "stderr", "") or ""
        row.error = f"failed: {exc}; {stderr.strip()[-300:]}"
        return row


def _belenios_version() -> str:
    if not shutil.which("dpkg-query"):
        return "?"
    done = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "belenios-tool"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "?"


def _belenios_election(row: Row, small: int, large: int, workdir: Path) -> Row:
    d = workdir / "belenios"
    d.mkdir()
    uuid = _belenios(["setup", "generate-token"], d).strip()
    group = ["--group", BELENIOS_GROUP]
    _belenios(["setup", "generate-credentials", "--uuid", uuid, *group, "--count", str(large)], d)
    (next(d.glob("*.pubcreds"))).rename(d / "public_creds.json")
    (next(d.glob("*.privcreds"))).rename(d / "private_creds.txt")
    _belenios(["setup", "generate-trustee-key", *group], d)
    (d / "public_keys.jsons").write_text(next(d.glob("*.pubkey")).read_text())
    _belenios(["setup", "make-trustees"], d)
    template = {
        "description": "Benchmark referendum",
        "name": "Referendum",
        "questions": [{"answers": ["Yes", "No"], "min": 1, "max": 1, "question": "Do you approve the proposal?"}],
        "administrator": "bench",
        "credential_authority": "bench",
    }
    (d / "template.json").write_text(json.dumps(template))
    _belenios(["setup", "make-election", "--uuid", uuid, *group, "--template", "template.json"], d)
    _belenios(["archive", "init"], d)
    for name in ("election.json", "trustees.json", "public_creds.json", "public_keys.jsons"):
        (d / name).unlink(missing_ok=True)
    creds = [line.split()[1] for line in (d / "private_creds.txt").read_text().splitlines() if line.strip()]
    overhead = min(_timed(lambda: _belenios(["sha256-b64"], d, "")) for _ in range(5))
    gen_s: list[float] = []
    sizes: list[int] = []
    verify_small = 0.0
    snapshot = workdir / "belenios-small"
    for i, cred in enumerate(creds[:large]):
        (d / "cred.txt").write_text(cred + "\n")
        (d / "choice.json").write_text("[[1,0]]" if i % 2 == 0 else "[[0,1]]")
        start = time.perf_counter()
        ballot = _belenios(["election", "generate-ballot", "--privcred", "cred.txt", "--ballot", "choice.json"], d)
        gen_s.append(time.perf_counter() - start)
        sizes.append(len(ballot.strip().encode()))
        _belenios(["archive", "add-event", "--type=Ballot"], d, ballot)
        if i + 1 == small:
            shutil.copytree(d, snapshot)
    (d / "cred.txt").unlink()
    verify_small = _belenios_verify_s(snapshot, 3)
    verify_large = _belenios_verify_s(d, 3)
    per_verify = (verify_large - verify_small) / (large - small)
    row.encrypt_ms = (statistics.median(gen_s) - overhead) * 1e3
    row.verify_ms = per_verify * 1e3
    row.bytes_ = statistics.mean(sizes)
    row.notes.append(
        f"verify = (election verify on {large} ballots − on {small} ballots) / {large - small}: "
        f"{verify_large:.3f} s − {verify_small:.3f} s (best of 3 each), so start-up and setup cancel; "
        f"encrypt = median generate-ballot process ({statistics.median(gen_s) * 1e3:.1f} ms) − a trivial "
        f"belenios-tool call ({overhead * 1e3:.1f} ms); bytes = the ballot JSON it prints"
    )
    return row


# --- table ----------------------------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _ratio(peer: Row, base: Row | None, target: float) -> str:
    if base is None or base.error or base.verify_ms is None:
        return "n/a (saylau figure missing)"
    if peer.error or peer.verify_ms is None:
        return "n/a (peer not measured)"
    ratio = peer.verify_ms / base.verify_ms
    return f"{ratio:.1f}× (target ≥ {target:g}×: {'met' if ratio >= target else 'MISSED'})"


def print_table(rows: list[Row], api: Row, record: Row | None) -> None:
    header = f"{'system':<52} {'encrypt ms':>11} {'verify ms':>10} {'bytes':>7}"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row.system:<52} {_fmt(row.encrypt_ms):>11} {_fmt(row.verify_ms):>10} {_fmt(row.bytes_, 0):>7}")
        if row.error:
            print(f"    !! {row.error}")
        for note in row.notes:
            print(f"    {note}")
    print()
    if api.encrypt_ms is not None and api.verify_ms is not None:
        enc_ok = "met" if api.encrypt_ms <= ENCRYPT_TARGET_MS else "MISSED"
        ver_ok = "met" if api.verify_ms <= VERIFY_TARGET_MS else "MISSED"
        print(f"saylau encryption {api.encrypt_ms:.3f} ms (target ≤ {ENCRYPT_TARGET_MS:g} ms: {enc_ok})")
        print(f"saylau verification {api.verify_ms:.3f} ms (target ≤ {VERIFY_TARGET_MS:g} ms: {ver_ok})")
    print("verification speed-up, peer ms / saylau ms per ballot:")
    for row in rows:
        key = next((k for k in RATIO_TARGETS if k in row.system.lower()), None)
        if key is None:
            continue
        target = RATIO_TARGETS[key]
        print(
            f"  {row.system}: vs saylau API {_ratio(row, api, target)}; vs saylau-verify {_ratio(row, record, target)}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes (noisier)")
    parser.add_argument("--voters", type=int, help="voters in the saylau demo record (default 10000; quick 1000)")
    parser.add_argument(
        "--million",
        type=Path,
        metavar="DIR",
        help="an existing record (e.g. saylau e2e demo --voters 1000000 --out DIR, ~1 h) to verify for real, --jobs 2",
    )
    parser.add_argument("--skip", action="append", default=[], choices=["record", "electionguard", "belenios"])
    args = parser.parse_args(argv)
    voters = args.voters or (1000 if args.quick else 10_000)
    api_repeat, eg_repeat = (300, 10) if args.quick else (2000, 40)
    bel_small, bel_large = (20, 80) if args.quick else (100, 400)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"saylau e2e bench, {now}, {platform.node()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}\n",
        flush=True,
    )
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="saylau-e2e-bench-") as tmp:
        work = Path(tmp)
        record_row: Row | None = None
        million_text = "1,000,000-ballot verification: not measured (--skip record)"
        if "record" not in args.skip:
            if not VERIFIER.exists():
                record_row = Row("saylau (e2e demo record + saylau-verify)", error=f"{VERIFIER} missing")
                million_text = "1,000,000-ballot verification: not measured (verifier missing)"
            else:
                record = saylau_record(voters, work)
                record_row, _ = saylau_verifier_row(record)
                million_text = million(record)
        if args.million is not None:
            events = sum(1 for _ in (args.million / "events.jsonl").open("rb"))
            million_text = million(Record(args.million, 0, 0.0, events, 0))
        _one_core()  # the in-process part and the peers' children run on one core
        api = saylau_api(api_repeat)
        rows.append(api)
        if record_row is not None:
            rows.append(record_row)
        if "electionguard" not in args.skip:
            rows.append(electionguard(eg_repeat))
        if "belenios" not in args.skip:
            rows.append(belenios(bel_small, bel_large, work))
    print_table(rows, api, record_row)
    print()
    print(million_text)


if __name__ == "__main__":
    sys.exit(main())
