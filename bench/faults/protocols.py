"""Protocol intake (double entry) under faults (issue #9): N protocols keyed by two operators in batch files,
each batch entered by `saylau protocols import EVENT FILE --operator X` (a new process), K of them killed
with SIGKILL at random moments; then the database checked.

Why the command and not the commission's HTTP upload: the upload route and the command both end in the same
write, ``services.protocols.enter_file`` (one transaction for the whole batch, all or nothing), and a batch
is acknowledged the same way (the report, printed or answered, only after the commit). The command needs no
session or TOTP; killing its process kills the writer itself, mid-transaction or between the commit and
the acknowledgement, which is the window that matters.

The run (seeded): a referendum with N precincts (one question, the kz-constitutional preset) in counting;
operator A keys every protocol, in batches of ``--batch`` in precinct order; operator B keys them again in
another order, ≈ 3 % with yes and no swapped (double entry must hold them as mismatches). ≈ 5 % of batches
carry one protocol that breaks a control relation: the whole batch is refused (nothing of it written) and
the operator sends the corrected batch again. Both operators run at the same time. K of the batch
processes, picked at random, are killed after a random delay (0.2–1.1 × the typical duration of a
batch process; one that ends first passes its kill to the next);
a killed batch is sent again; if its first attempt had in fact committed, the retry is refused whole
(``same_operator`` / ``correction_needs_reason``): "already recorded", never lost.

Checked from the database: every acknowledged batch present whole (each of its protocols has that
operator's entry with that batch's source), no batch half-written (a batch's entries are all there or none),
no (precinct, operator) entered twice, no refused batch's entry present, and the national results equal
the sum of the protocols both operators keyed alike.

    .venv/bin/python -m bench.faults.protocols [--protocols 10000] [--batch 100] [--kills 10]
        [--db sqlite|postgresql|private-postgresql|URL] [--seed 1] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import text

from bench.faults._infra import saylau_exe
from bench.faults.ballots import database, scratch_dir
from saylau.model import Phase, QuestionCode, UnitCode
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context, utc_now
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.results import results
from saylau.store import Store, connect, migrate

__all__ = ["Config", "Counts", "run"]

CODE = "faults"
FIELDS = ("registered", "received", "issued", "cancelled", "participated", "yes", "no", "not_counted", "invalid")
EVENT = {
    "code": CODE,
    "title": "Fault run referendum",
    "date": "2022-06-05",
    "preset": "kz-constitutional",
    "settings": {},
    "description": "bench/faults/protocols.py",
    "questions": [{"code": "q1", "texts": [{"lang": "en", "text": "Do you accept?", "official": True, "source": "t"}]}],
}
ALREADY = ("same_operator", "correction_needs_reason")
DB_DOWN = ("OperationalError", "cannot reach the database", "database system is", "server closed the connection")


@dataclass(frozen=True, slots=True)
class Config:
    protocols: int = 10_000
    batch: int = 100
    kills: int = 10
    pg_restarts: int = 0
    seed: int = 1
    mismatch: float = 0.03
    bad_batches: float = 0.05


@dataclass(frozen=True, slots=True)
class Batch:
    name: str  # the file name, kept as each entry's source
    operator: str
    rows: tuple[tuple[str, tuple[int, ...]], ...]
    bad: bool = False  # one row breaks a control relation: refused whole


@dataclass(slots=True)
class Counts:
    database: str = ""
    protocols: int = 0
    batches: int = 0  # batch files (corrected resends included)
    attempts: int = 0  # processes started
    acknowledged: int = 0  # batches whose process printed its report (exit 0)
    already_recorded: int = 0  # a killed batch whose retry was refused whole as already entered
    refused: dict[str, int] = field(default_factory=dict)  # batches refused, by rule
    entries: int = 0  # protocol entries in the database
    lost: int = 0  # entries of acknowledged (or already recorded) batches missing
    half_written: int = 0  # batches with some but not all of their entries present
    duplicated: int = 0  # (precinct, operator) entered more than once
    refused_written: int = 0  # entries present from a batch that was refused
    accepted: int = 0  # precincts with an accepted version
    expected_accepted: int = 0
    totals_match: bool = False  # national yes/no/participated = the sum of the protocols keyed alike
    kills: int = 0
    db_errors: int = 0  # batch processes that failed on the database (restarting): sent again
    pg_restarts: int = 0
    seconds: float = 0.0
    protocols_per_s: float = 0.0  # accepted protocols (two entries each) per second
    load_before: float = 0.0
    ok: bool = False


# --- the workload ------------------------------------------------------------------------------------------


def _territory(n: int, rng: random.Random) -> tuple[bytes, list[tuple[str, int]]]:
    lines = ["code,kind,parent,name_kk,name_ru,name_en,registered", "KZ,country,,,,Country,"]
    regions = max(1, min(17, n // 10))
    precincts = []
    for r in range(regions):
        lines.append(f"R{r},region,KZ,,,Region {r},")
        for p in range(r * n // regions, (r + 1) * n // regions):
            registered = rng.randint(200, 2500)
            lines.append(f"P{p},precinct,R{r},,,,{registered}")
            precincts.append((f"P{p}", registered))
    return ("\n".join(lines) + "\n").encode(), precincts


def _clean(rng: random.Random, registered: int) -> tuple[int, ...]:
    issued = rng.randint(registered // 3, registered)
    participated = issued - rng.randint(0, min(5, issued))
    invalid = rng.randint(0, participated // 40)
    not_counted = rng.randint(0, (participated - invalid) // 60)
    yes = rng.randint((participated - invalid - not_counted) // 2, participated - invalid - not_counted)
    no = participated - invalid - not_counted - yes
    received = registered + rng.randint(0, 30)
    return (registered, received, issued, received - issued, participated, yes, no, not_counted, invalid)


def _split(operator: str, rows: list[tuple[str, tuple[int, ...]]], cfg: Config, rng: random.Random) -> list[Batch]:
    """Batches of ``cfg.batch`` rows; a few made bad (one row breaks participated = yes + no + …) and each
    of those followed by its corrected resend."""
    out = []
    for k in range(0, len(rows), cfg.batch):
        part = tuple(rows[k : k + cfg.batch])
        name = f"{operator}-{k // cfg.batch:05d}"
        if rng.random() < cfg.bad_batches:
            i = rng.randrange(len(part))
            broken = (*part[i][1][:4], part[i][1][4] + 1, *part[i][1][5:])
            out.append(Batch(f"{name}-bad.csv", operator, (*part[:i], (part[i][0], broken), *part[i + 1 :]), True))
        out.append(Batch(f"{name}.csv", operator, part))
    return out


def workload(cfg: Config, rng: random.Random) -> tuple[bytes, list[Batch], list[Batch], dict[str, tuple[int, ...]]]:
    """The territory, A's and B's batches, and the protocols both key alike (precinct -> values)."""
    territory, precincts = _territory(cfg.protocols, rng)
    clean = [(p, _clean(rng, reg)) for p, reg in precincts]
    keyed_b = []
    alike = {}
    for p, v in clean:
        if rng.random() < cfg.mismatch and v[5] != v[6]:
            keyed_b.append((p, (*v[:5], v[6], v[5], *v[7:])))
        else:
            keyed_b.append((p, v))
            alike[p] = v
    rng.shuffle(keyed_b)
    return territory, _split("A", clean, cfg, rng), _split("B", keyed_b, cfg, rng), alike


def _csv(batch: Batch) -> bytes:
    head = "precinct,question," + ",".join(FIELDS)
    return ("\n".join([head, *(f"{p},q1," + ",".join(map(str, v)) for p, v in batch.rows)]) + "\n").encode()


# --- the operators -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Attempt:
    batch: Batch
    outcome: str  # "ok", "killed", "already", or the refusal's rule


class Operator:
    """One operator sending its batches in order, one `saylau protocols import` process each; an attempt
    picked for a kill is killed after a delay."""

    def __init__(self, url: str, folder: Path, batches: list[Batch], kill_at: set[int], rng: random.Random):
        self.url, self.folder, self.batches, self.kill_at, self.rng = url, folder, batches, kill_at, rng
        self.attempts: list[Attempt] = []
        self.durations: list[float] = []
        self.kills = 0
        self.db_errors = 0

    def run(self) -> None:
        for batch in self.batches:
            path = self.folder / batch.name
            path.write_bytes(_csv(batch))
            killed_before = False
            while True:
                outcome = self._attempt(batch, path)
                if outcome == "killed":
                    killed_before = True
                    continue
                if outcome == "db_down":  # the database was restarting: whether it committed is unknown
                    killed_before, self.db_errors = True, self.db_errors + 1
                    time.sleep(0.5)
                    continue
                if outcome in ALREADY and killed_before:
                    outcome = "already"
                self.attempts.append(Attempt(batch, outcome))
                break

    def _attempt(self, batch: Batch, path: Path) -> str:
        n = len(self.attempts) + self.kills
        cmd = [saylau_exe(), "protocols", "import", CODE, str(path), "--operator", batch.operator]
        cmd += ["--db", self.url, "--json"]
        started = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        timer = None
        if n in self.kill_at and not self.durations:  # no duration measured yet to aim the kill: the next
            self._pass_kill(n)
        elif n in self.kill_at:
            self.kill_at.discard(n)
            typical = sorted(self.durations)[len(self.durations) // 2]
            timer = threading.Timer(typical * self.rng.uniform(0.2, 1.1), _kill, (proc,))
            timer.start()
        out, err = proc.communicate(timeout=600)
        if timer is not None:
            timer.cancel()
        if proc.returncode == -signal.SIGKILL:
            self.kills += 1
            return "killed"
        if timer is not None:  # it ended before the kill: the next process not already picked gets it
            self._pass_kill(n)
        self.durations.append(time.monotonic() - started)
        if proc.returncode == 0:
            json.loads(out)  # the report: printed only after the commit
            return "ok"
        message = err.decode(errors="replace")
        for rule in (*ALREADY, "control_relation"):
            if rule in message:
                return rule
        if any(m in message for m in DB_DOWN):
            return "db_down"
        raise SystemExit(f"{batch.name}: unexpected failure (exit {proc.returncode}): {message[-2000:]}")

    def _pass_kill(self, n: int) -> None:
        """The kill meant for process ``n`` goes to the next process not already picked (adding n + 1 to
        a set that holds it would lose the kill)."""
        self.kill_at.discard(n)
        later = n + 1
        while later in self.kill_at:
            later += 1
        self.kill_at.add(later)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            return


# --- the checks --------------------------------------------------------------------------------------------


def _entries(url: str) -> Counter[tuple[str, str, str]]:
    """(precinct, operator, source) -> how many entries, read from the database."""
    engine = connect(url)
    query = text(
        "SELECT u.code, e.operator, e.source FROM protocol_entry e JOIN unit u ON u.id = e.precinct_id "
        "JOIN event v ON v.id = e.event_id WHERE v.code = :code"
    )
    with engine.connect() as conn:
        rows = conn.execute(query, {"code": CODE}).all()
    engine.dispose()
    return Counter((r[0], r[1], Path(r[2] or "").name) for r in rows)


def _check(counts: Counts, attempts: list[Attempt], found: Counter[tuple[str, str, str]]) -> None:
    counts.entries = sum(found.values())
    counts.duplicated = sum(1 for n in Counter((p, o) for p, o, _ in found.elements()).values() if n > 1)
    refused: Counter[str] = Counter()
    for a in attempts:
        present = sum(1 for p, _ in a.batch.rows if found[(p, a.batch.operator, a.batch.name)])
        if a.outcome in ("ok", "already"):
            counts.acknowledged += a.outcome == "ok"
            counts.already_recorded += a.outcome == "already"
            counts.lost += len(a.batch.rows) - present
        else:
            refused[a.outcome] += 1
            counts.refused_written += present
        counts.half_written += 0 < present < len(a.batch.rows)
    counts.refused = dict(sorted(refused.items()))


def _totals(ctx: Context, alike: dict[str, tuple[int, ...]], counts: Counts) -> None:
    national = results(ctx, CODE).results[UnitCode("KZ")]
    counts.accepted, counts.expected_accepted = national.reported, len(alike)
    want = {f: sum(v[FIELDS.index(f)] for v in alike.values()) for f in ("yes", "no")}
    got = {f: national.totals[QuestionCode("q1")][f] for f in ("yes", "no")}
    counts.totals_match = national.reported == len(alike) and got == want


# --- the run -----------------------------------------------------------------------------------------------


def _fault_restarts(restart_pg: Callable[[], None] | None, times: int, seconds: float, rng: random.Random) -> None:
    if restart_pg is None:
        return
    for delay in sorted(rng.uniform(0.2 * seconds, 0.8 * seconds) for _ in range(times)):
        time.sleep(delay)
        restart_pg()


def run(
    url: str,
    cfg: Config,
    scratch: Path,
    restart_pg: Callable[[], None] | None = None,
    say: Callable[[str], None] = print,
) -> Counts:
    rng = random.Random(cfg.seed)
    engine = connect(url)
    migrate(engine)
    ctx = Context(Store(engine), utc_now, "faults")
    territory, batches_a, batches_b, alike = workload(cfg, rng)
    create_event(ctx, json.dumps(EVENT).encode(), "event.json")
    import_territory(ctx, CODE, territory, "territory.csv", "csv")
    advance(ctx, CODE, Phase.VOTING, LOCAL_CLI)
    advance(ctx, CODE, Phase.COUNTING, LOCAL_CLI)
    total = len(batches_a) + len(batches_b)
    # (operator, its n-th process), not among its last three (a kill that comes late passes to the next)
    slots = [(k, n) for k, batches in enumerate((batches_a, batches_b)) for n in range(max(len(batches) - 3, 1))]
    picks = rng.sample(slots, min(cfg.kills, len(slots)))
    operators = [
        Operator(url, scratch, batches, {n for j, n in picks if j == k}, random.Random(cfg.seed * 7 + k))
        for k, batches in enumerate((batches_a, batches_b))
    ]
    counts = Counts(database=engine.dialect.name, protocols=cfg.protocols, batches=total)
    counts.load_before = round(os.getloadavg()[0], 2)
    say(f"{cfg.protocols:,} protocols in {total} batch files (A {len(batches_a)}, B {len(batches_b)})")
    started = time.perf_counter()
    threads = [threading.Thread(target=o.run) for o in operators]
    if restart_pg is not None and cfg.pg_restarts:
        estimate = total * 1.5  # s: a batch process on this machine, both operators together
        t = threading.Thread(target=_fault_restarts, args=(restart_pg, cfg.pg_restarts, estimate / 2, rng))
        threads.append(t)
        counts.pg_restarts = cfg.pg_restarts
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts.seconds = round(time.perf_counter() - started, 2)
    counts.kills = sum(o.kills for o in operators)
    counts.db_errors = sum(o.db_errors for o in operators)
    counts.attempts = sum(len(o.attempts) for o in operators) + counts.kills + counts.db_errors
    engine.dispose()
    _check(counts, [a for o in operators for a in o.attempts], _entries(url))
    _totals(ctx, alike, counts)
    counts.protocols_per_s = round(counts.accepted / counts.seconds, 1) if counts.seconds else 0.0
    counts.ok = (
        counts.lost == counts.half_written == counts.duplicated == counts.refused_written == 0 and counts.totals_match
    )
    ctx.store.dispose()
    return counts


def report(c: Counts) -> str:
    return "\n".join(
        [
            f"protocol intake (double entry) under faults on {c.database}: {c.protocols:,} protocols, "
            f"{c.batches} batch files, {c.attempts} `saylau protocols import` processes",
            f"  acknowledged batches {c.acknowledged}; already recorded (killed after the commit) {c.already_recorded}",
            "  refused batches (by rule): " + (", ".join(f"{k} {v}" for k, v in c.refused.items()) or "none"),
            f"  entries in the database {c.entries:,}; LOST {c.lost}; HALF-WRITTEN batches {c.half_written}; "
            f"DUPLICATED {c.duplicated}; entries of refused batches {c.refused_written}",
            f"  accepted protocols {c.accepted:,} (expected {c.expected_accepted:,}); national totals = the sum "
            f"of the protocols keyed alike: {c.totals_match}",
            f"  kills {c.kills}, PostgreSQL restarts {c.pg_restarts} (batches failed on it and sent again "
            f"{c.db_errors}); {c.seconds:.1f} s, "
            f"{c.protocols_per_s:,.1f} accepted protocols/s (a process per batch); load average {c.load_before:.2f} "
            f"before, {os.getloadavg()[0]:.2f} after (2 cores)",
            f"  invariants (acknowledged => present once, no half-written batch): {'HOLD' if c.ok else 'BROKEN'}",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--protocols", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=100, help="protocols per batch file (default 100)")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--db", default="private-postgresql", help="sqlite | postgresql | private-postgresql | a URL")
    parser.add_argument("--pg-restarts", type=int, default=0, help="restarts of the private cluster (default 0)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", type=Path, help="new directory to keep the batch files in")
    args = parser.parse_args()
    if args.protocols < 10 or args.batch < 1 or args.kills < 0:
        parser.error("--protocols ≥ 10, --batch ≥ 1, --kills ≥ 0")
    cfg = Config(args.protocols, args.batch, args.kills, args.pg_restarts, args.seed)
    say = (lambda _s: None) if args.json else (lambda s: print(s, flush=True))
    with scratch_dir(args.keep) as tmp, database(args.db, tmp) as (url, restart):
        counts = run(url, cfg, tmp, restart, say)
    print(json.dumps(asdict(counts), indent=2) if args.json else report(counts), flush=True)
    sys.exit(0 if counts.ok else 1)


if __name__ == "__main__":
    main()
