"""A national voter register: N persons (default 12,000,000) generated from a fixed seed as a register
file (spec/register.md §1), imported on SQLite and on PostgreSQL (targets: ≤ 3 min, ≤ 2 GB each).

Each import runs in its own process (so that its peak memory is its own) through the production use case
(saylau.services.register.import_register: every row checked, IIN check digits and birth dates included,
written in one transaction: executemany on SQLite, COPY on PostgreSQL).

    .venv/bin/python -m bench.bench_register [--persons N] [--db sqlite] [--db postgresql://...]

``--db sqlite`` (a fresh file) and ``--db URL`` may be repeated; by default both SQLite and the local
PostgreSQL (postgresql://postgres@127.0.0.1:5432/test, in a schema of its own, dropped afterwards).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._util import peak_mb
from saylau.register import check_digit

PRECINCTS = 10_000
SURNAMES = ("Әлиев", "Нұрланов", "Иванов", "Сейітқали", "Жұмабаев", "Ким", "Петров", "Қасымов", "Омаров", "Ахметов")
GIVEN = ("Қайрат", "Айгүл", "Ерлан", "Әсел", "Мария", "Дмитрий", "Нұржан", "Ғалым", "Юлия", "Сәуле")
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SCHEMA = "bench_register"


def generate(path: Path, persons: int, seed: int = 12) -> None:
    """``persons`` rows with valid IINs (birth date and sex encoded), unique, in ``PRECINCTS`` precincts."""
    rng = random.Random(seed)
    start = dt.date(1930, 1, 1).toordinal()
    span = dt.date(2006, 12, 31).toordinal() - start
    serials: dict[tuple[int, int], int] = {}
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("identifier,surname,given_name,patronymic,birth_date,sex,address,precinct,status\n")
        written = 0
        while written < persons:
            born = dt.date.fromordinal(start + rng.randrange(span))
            female = rng.random() < 0.5
            key = (born.toordinal(), female)
            serial = serials.get(key, 0)
            serials[key] = serial + 1
            first = f"{born:%y%m%d}{(3 if born.year < 2000 else 5) + female}{serial:04d}"
            digit = check_digit(first)
            if digit is None:
                continue
            precinct = rng.randrange(PRECINCTS)
            out.write(
                f"{first}{digit},{rng.choice(SURNAMES)},{rng.choice(GIVEN)},,{born.isoformat()},{'mf'[female]},"
                f"көше {rng.randrange(300)} үй {rng.randrange(200)},P{precinct:05d},active\n"
            )
            written += 1


def child(url: str, path: Path) -> None:
    """One import in this process: prints its seconds and peak memory as JSON."""
    from saylau.services.context import Context, utc_now  # noqa: PLC0415
    from saylau.services.register import ImportOptions, import_register  # noqa: PLC0415
    from saylau.store import Store, connect, migrate  # noqa: PLC0415

    engine = connect(url)
    migrate(engine)
    ctx = Context(Store(engine), utc_now, "bench")
    began = time.perf_counter()
    outcome = import_register(ctx, path, ImportOptions(apply=True))
    seconds = time.perf_counter() - began
    engine.dispose()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "rows": outcome.rows}))


def _pg_schema(url: str, create: bool) -> str:
    from sqlalchemy import create_engine, text  # noqa: PLC0415

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        if create:
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()
    return f"{url}?options=-csearch_path%3D{SCHEMA}"


def run(label: str, url: str, path: Path, persons: int) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_register", "--child", url, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    rate = figures["rows"] / figures["seconds"]
    scaled = 12_000_000 / rate
    met = figures["seconds"] <= 180 and figures["peak_mb"] <= 2048
    print(
        f"{label}: {figures['rows']:,} persons imported in {figures['seconds']:.1f} s ({rate:,.0f}/s; "
        f"12 M at this rate: {scaled:.0f} s), peak memory {figures['peak_mb']:.0f} MB "
        f"(target ≤ 180 s, ≤ 2048 MB: {'met' if met else 'MISSED'})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=12_000_000)
    parser.add_argument("--db", action="append", help="sqlite, or a PostgreSQL URL (repeatable)")
    parser.add_argument("--child", nargs=2, metavar=("URL", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    targets = args.db or ["sqlite", PG_URL]
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "register.csv"
        began = time.perf_counter()
        generate(csv_path, args.persons)
        size = csv_path.stat().st_size / 1e6
        print(f"generated {args.persons:,} persons ({size:,.0f} MB) in {time.perf_counter() - began:.1f} s", flush=True)
        for target in targets:
            if target == "sqlite":
                run("SQLite", f"sqlite:///{Path(tmp) / 'register.db'}", csv_path, args.persons)
                continue
            url = target.replace("postgresql://", "postgresql+psycopg://", 1)
            try:
                run("PostgreSQL (COPY)", _pg_schema(url, create=True), csv_path, args.persons)
            finally:
                _pg_schema(url, create=False)


if __name__ == "__main__":
    main()
