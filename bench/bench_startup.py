"""Start-up time of the ``saylau`` command (issue 10 item 8): the installed entry point, run as a subprocess.

Each figure is the median wall time of ``--runs`` runs (20 by default) of one command line, from spawn to
exit, beside the median CPU time (user + system) of the process, which depends less on what else the
machine runs: on a shared machine the wall time is the CPU time plus the wait for a core. The commands
that need no database (``seats``, ``referendum outcome``, ``presets``, ``--help``) must finish in ≤ 0.3 s;
commands on a database (a tiny SQLite file made once before the runs, not timed) in ≤ 0.8 s. The inputs
are tiny (3-row tables, a 4-unit territory), so the figure is the start-up.

    .venv/bin/python -m bench.bench_startup [--runs N] [--saylau PATH]

``--saylau`` defaults to the ``saylau`` script beside this interpreter (the venv's entry point).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main"]

NO_DB_TARGET_S = 0.3
DB_TARGET_S = 0.8
EVENT = "bench-startup"

SEATS_CSV = "party,votes\nAlpha,500\nBeta,300\nGamma,200\n"
UNITS_CSV = (
    "unit,registered,participated,yes,no,not_counted,invalid,weight\n"
    "akmola,516875,381505,301175,64481,6012,9837,\n"
    "aktobe,536019,311212,215464,82819,4904,8025,\n"
    "almaty_region,1340048,975956,780212,155197,15381,25166,\n"
)
TERRITORY_CSV = (
    "code,kind,parent,name_kk,name_ru,name_en,registered\n"
    "KZ,country,,Қазақстан,Казахстан,Kazakhstan,\n"
    "R1,region,KZ,,,Region 1,\n"
    "R1-01,district,R1,,,District 1,\n"
    "R1-01-001,precinct,R1-01,,,,1000\n"
)
EVENT_JSON = {
    "code": EVENT,
    "title": "Start-up benchmark",
    "date": "2026-06-05",
    "preset": "kz-constitutional",
    "settings": {},
    "questions": [
        {
            "code": "q1",
            "texts": [
                {"lang": "kk", "text": "Сұрақ?", "official": True},
                {"lang": "ru", "text": "Вопрос?", "official": True},
                {"lang": "en", "text": "Question?", "official": False},
            ],
        }
    ],
}


def _saylau_default() -> str:
    beside = Path(sys.executable).parent / "saylau"
    return str(beside) if beside.exists() else shutil.which("saylau") or "saylau"


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv``, which must succeed."""
    cpu = _cpu_children()
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode(errors='replace')}")
    return elapsed, _cpu_children() - cpu


def _setup(folder: Path, saylau: str, env: dict[str, str]) -> str:
    """The input files and a SQLite database holding one event with its territory; its URL."""
    (folder / "seats.csv").write_text(SEATS_CSV, encoding="utf-8")
    (folder / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    (folder / "territory.csv").write_text(TERRITORY_CSV, encoding="utf-8")
    (folder / "event.json").write_text(json.dumps(EVENT_JSON, ensure_ascii=False), encoding="utf-8")
    db = f"sqlite:///{folder / 'bench.db'}"
    _run([saylau, "event", "create", "event.json", "--db", db], folder, env)
    _run([saylau, "territory", "import", EVENT, "territory.csv", "--db", db], folder, env)
    return db


def _commands(db: str) -> list[tuple[str, list[str], float]]:
    return [
        ("saylau --help", ["--help"], NO_DB_TARGET_S),
        ("saylau presets", ["presets"], NO_DB_TARGET_S),
        ("saylau seats (3 rows)", ["seats", "seats.csv", "--seats", "10", "--method", "hare"], NO_DB_TARGET_S),
        (
            "saylau referendum outcome (3 units)",
            ["referendum", "outcome", "--rules", "kz-constitutional", "units.csv"],
            NO_DB_TARGET_S,
        ),
        ("saylau event list --db", ["event", "list", "--db", db], DB_TARGET_S),
        ("saylau protocols status --db", ["protocols", "status", EVENT, "--db", db], DB_TARGET_S),
        ("saylau results --db", ["results", EVENT, "--db", db], DB_TARGET_S),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--saylau", default=_saylau_default())
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAYLAU_")}
    env["COLUMNS"] = "100"
    with tempfile.TemporaryDirectory(prefix="saylau-bench-startup-") as scratch:
        folder = Path(scratch)
        db = _setup(folder, args.saylau, env)
        print(f"{args.saylau}, median of {args.runs} runs; load average {os.getloadavg()[0]:.2f} at start")
        print(f"| {'command':<36} | median s | target s | met? | median CPU s |")
        print(f"| {'-' * 36} | -------: | -------: | ---- | -----------: |")
        missed = 0
        for label, argv, target in _commands(db):
            runs = [_run([args.saylau, *argv], folder, env) for _ in range(args.runs)]
            median = statistics.median(wall for wall, _ in runs)
            cpu = statistics.median(used for _, used in runs)
            met = median <= target
            missed += not met
            verdict = "yes" if met else "NO"
            print(f"| {label:<36} | {median:>8.3f} | {target:>8.1f} | {verdict:<4} | {cpu:>12.3f} |", flush=True)
        print(f"load average {os.getloadavg()[0]:.2f} at end; {missed} target(s) missed")


if __name__ == "__main__":
    main()
