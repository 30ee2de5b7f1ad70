"""Double entry under injected keying faults, at full scale: 100,000 protocols keyed by two operators.

Operator A keys every protocol correctly. Operator B's keying carries one injected fault per protocol
(×10 digit shift, swapped fields, off-by-one, swapped Yes/No). Every faulty protocol that breaks a control
relation must be refused (the batch is atomic: nothing of it written), every fault that breaks none must be
caught by double entry (only one of the two entries carries it), and the national result must be the sum
of the protocols both operators keyed alike. The workload is seeded; the test
``tests/integration/test_fault_injection.py`` runs the same workload at 5,000 protocols on SQLite and
PostgreSQL. Each batch goes through ``services.paper.protocols.enter_file`` (the production path: one
transaction, the store's executemany bulk inserts).

    .venv/bin/python -m bench.faults.double_entry [--protocols 100000] [--db sqlite|postgresql|URL] [--json]

Prints the time of each step and whether every check holds; exits 1 if one does not.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.faults.protocols import EVENT, FIELDS
from bench.web.bench_protocol_intake import pg_schema
from saylau.model import InputError, Phase, QuestionCode, UnitCode
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context, utc_now
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_file
from saylau.services.paper.results import precinct_states, results
from saylau.store import Store, connect, migrate

__all__ = ["SEED", "Figures", "Workload", "protocols_csv", "run", "workload"]

SEED = 20220605
CODE = str(EVENT["code"])

Values = list[int]  # a protocol's counts in FIELDS order


@dataclass(frozen=True, slots=True)
class Workload:
    territory: bytes  # 17 regions, n precincts
    clean: list[tuple[str, Values]]  # A's keying: every protocol right
    faulty: list[tuple[str, Values]]  # B's keying: one injected fault per protocol
    breaking: list[int]  # indexes of B's protocols that break a control relation
    silent: list[int]  # indexes of B's protocols that differ from A's but break none


def _territory(n: int, rng: random.Random) -> tuple[bytes, list[tuple[str, int]]]:
    lines = ["code,kind,parent,name_kk,name_ru,name_en,registered", "KZ,country,,,,Kazakhstan,"]
    precincts = []
    for r in range(17):
        lines.append(f"R{r},region,KZ,,,Region {r},")
        for p in range(r * n // 17, (r + 1) * n // 17):
            registered = rng.randint(200, 2500)
            lines.append(f"P{p},precinct,R{r},,,,{registered}")
            precincts.append((f"P{p}", registered))
    return ("\n".join(lines) + "\n").encode(), precincts


def _clean(rng: random.Random, registered: int) -> Values:
    issued = rng.randint(registered // 3, registered)
    participated = issued - rng.randint(0, min(5, issued))
    invalid = rng.randint(0, participated // 40)
    not_counted = rng.randint(0, (participated - invalid) // 60)
    yes = rng.randint((participated - invalid - not_counted) // 2, participated - invalid - not_counted)
    no = participated - invalid - not_counted - yes
    received = registered + rng.randint(0, 30)
    return [registered, received, issued, received - issued, participated, yes, no, not_counted, invalid]


def breaks_a_relation(v: Values) -> bool:
    reg, rec, iss, can, part, yes, no, nc, inv = v
    return not (part == yes + no + nc + inv and part <= iss and part <= reg and rec == iss + can)


def _fault(rng: random.Random, v: Values) -> Values:
    out = list(v)
    kind = rng.randrange(4)
    i = rng.randrange(len(out))
    if kind == 0:
        out[i] = out[i] * 10 if rng.random() < 0.5 else out[i] // 10
    elif kind == 1:
        j = rng.randrange(len(out))
        out[i], out[j] = out[j], out[i]
    elif kind == 2:
        out[i] = max(0, out[i] + rng.choice((-1, 1)))
    else:
        out[5], out[6] = out[6], out[5]
    return out


def workload(n: int, seed: int = SEED) -> Workload:
    """The seeded territory and both operators' keying of ``n`` protocols."""
    rng = random.Random(seed)
    territory, precincts = _territory(n, rng)
    rng = random.Random(seed)
    clean = [(p, _clean(rng, reg)) for p, reg in precincts]
    faulty = [(p, _fault(rng, v)) for p, v in clean]
    breaking = [i for i, (_, v) in enumerate(faulty) if breaks_a_relation(v)]
    silent = [
        i for i, ((_, v), (_, c)) in enumerate(zip(faulty, clean, strict=True)) if v != c and not breaks_a_relation(v)
    ]
    return Workload(territory, clean, faulty, breaking, silent)


def protocols_csv(rows: list[tuple[str, Values]]) -> bytes:
    head = "precinct,question," + ",".join(FIELDS)
    return ("\n".join([head, *(f"{p},q1," + ",".join(map(str, v)) for p, v in rows)]) + "\n").encode()


@dataclass(slots=True)
class Figures:
    database: str = ""
    protocols: int = 0
    breaking: int = 0
    silent: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # step -> wall time
    refused_all_breaking: bool = False  # one problem per breaking protocol, each naming its line
    nothing_written_when_refused: bool = False
    mismatches: int = 0
    agreed: int = 0
    reported: int = 0
    totals_match: bool = False
    ok: bool = False


@contextmanager
def _step(figures: Figures, name: str, say: bool) -> Iterator[None]:
    started = time.perf_counter()
    yield
    figures.seconds[name] = round(time.perf_counter() - started, 2)
    if say:
        print(f"  {name}: {figures.seconds[name]:.2f} s", flush=True)


def run(url: str, n: int, say: bool = True) -> Figures:
    engine = connect(url)
    migrate(engine)
    ctx = Context(Store(engine), utc_now, "official-1")
    figures = Figures(database=engine.dialect.name, protocols=n)
    with _step(figures, "generate the keying", say):
        w = workload(n)
    figures.breaking, figures.silent = len(w.breaking), len(w.silent)
    with _step(figures, "define, import the territory, open counting", say):
        create_event(ctx, json.dumps(EVENT).encode(), "event.json")
        import_territory(ctx, CODE, w.territory, "territory.csv", "csv")
        advance(ctx, CODE, Phase.VOTING, LOCAL_CLI)
        advance(ctx, CODE, Phase.COUNTING, LOCAL_CLI)
    as_a, as_b = Context(ctx.store, ctx.clock, "A"), Context(ctx.store, ctx.clock, "B")
    with _step(figures, f"A keys {n:,} protocols (one batch)", say):
        enter_file(as_a, CODE, protocols_csv(w.clean), "a.csv", "csv", factor=LOCAL_CLI)
    with _step(figures, f"B's {len(w.breaking):,} relation-breaking protocols refused", say):
        try:
            enter_file(as_b, CODE, protocols_csv([w.faulty[i] for i in w.breaking]), "b1.csv", "csv", factor=LOCAL_CLI)
        except InputError as err:
            lines = sorted(p.line for p in err.problems)
            figures.refused_all_breaking = lines == [k + 2 for k in range(len(w.breaking))] and all(
                p.rule == "control_relation" for p in err.problems
            )
    figures.nothing_written_when_refused = {s.state for s in precinct_states(ctx, CODE)} == {"awaiting_second"}
    skip, held = set(w.breaking), set(w.silent)
    rest = [w.faulty[i] if i in held else w.clean[i] for i in range(n) if i not in skip]
    with _step(figures, f"B keys the other {len(rest):,} (silent faults held as mismatches)", say):
        report = enter_file(as_b, CODE, protocols_csv(rest), "b2.csv", "csv", factor=LOCAL_CLI)
    figures.mismatches, figures.agreed = report.count("mismatch"), report.count("agreed")
    with _step(figures, "aggregate", say):
        national = results(ctx, CODE).results[UnitCode("KZ")]
    figures.reported = national.reported
    expected_yes = sum(w.clean[i][1][5] for i in range(n) if i not in skip and i not in held)
    figures.totals_match = national.totals[QuestionCode("q1")]["yes"] == expected_yes
    agreed = n - len(w.breaking) - len(w.silent)
    figures.ok = (
        figures.refused_all_breaking
        and figures.nothing_written_when_refused
        and figures.mismatches == len(w.silent)
        and figures.agreed == agreed
        and figures.reported == agreed
        and figures.totals_match
    )
    ctx.store.dispose()
    return figures


@contextmanager
def _database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="saylau-double-entry-") as folder:
            yield f"sqlite:///{Path(folder) / 'faults.db'}"
    elif kind == "postgresql":
        with pg_schema() as url:
            yield url
    else:
        yield kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--protocols", type=int, default=100_000)
    parser.add_argument("--db", default="postgresql", help="sqlite | postgresql (a fresh schema on :5432) | a URL")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.protocols < 100:
        parser.error("--protocols ≥ 100")
    with _database(args.db) as url:
        if not args.json:
            print(f"double entry under injected faults: {args.protocols:,} protocols on {args.db}", flush=True)
        started = time.perf_counter()
        figures = run(url, args.protocols, say=not args.json)
    total = time.perf_counter() - started
    if args.json:
        print(json.dumps(asdict(figures) | {"total_s": round(total, 2)}, indent=2))
    else:
        print(
            f"{figures.breaking:,} refused (control relations), {figures.silent:,} held as mismatches, "
            f"{figures.agreed:,} agreed, {figures.reported:,} reported; national totals match: "
            f"{figures.totals_match}; {total:.1f} s in all ({figures.protocols * 2 / total:,.0f} entries/s)",
            flush=True,
        )
        print(f"checks: {'HOLD' if figures.ok else 'BROKEN'}", flush=True)
    sys.exit(0 if figures.ok else 1)


if __name__ == "__main__":
    main()
