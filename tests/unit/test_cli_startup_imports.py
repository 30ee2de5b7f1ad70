"""Start-up guard (issue 10 item 8): the commands that need no database do not load the database, the
services, the web stack or the renderers. Checked through ``sys.modules`` in a fresh interpreter, never by
timing (bench/bench_startup.py measures the time)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# Never loaded by a command without a database (nor by importing the command line at all).
HEAVY = (
    "sqlalchemy",
    "alembic",
    "psycopg",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "reportlab",
    "rbcl",
    "argon2",
    "pyotp",
    "saylau.store",
    "saylau.services",
    "saylau.api",
    "saylau.publish",
    "saylau.web",
    "saylau.crypto",
    "saylau.record",
    "saylau.io.event",
    "numpy",  # issue 11: forensics only, inside the command that runs the checks
    "scipy",
    "diptest",
    "saylau.forensics",
)

_PROBE = """
import json, sys
argv = json.loads(sys.argv[1])
if argv is None:
    import saylau.cli.main
else:
    sys.argv = ["saylau", *argv]
    from saylau.cli.main import main
    try:
        main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
print(json.dumps(sorted(sys.modules)))
"""


def _loaded(argv: list[str] | None, cwd: Path) -> set[str]:
    """The modules loaded by importing the command line (``argv`` None) or by running ``saylau *argv``."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(argv)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "100"},
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    return set(json.loads(last))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.fixture
def tables(tmp_path: Path) -> Path:
    (tmp_path / "seats.csv").write_text("party,votes\nAlpha,500\nBeta,300\nGamma,200\n", encoding="utf-8")
    (tmp_path / "units.csv").write_text(
        "unit,registered,participated,yes,no,not_counted,invalid,weight\n"
        "a,1000,600,400,150,20,30,\nb,2000,1100,500,500,40,60,\nc,1500,900,700,150,25,25,\n",
        encoding="utf-8",
    )
    return tmp_path


def test_importing_the_command_line_loads_nothing_heavy(tables: Path) -> None:
    modules = _loaded(None, tables)
    assert _heavy(modules) == []
    assert "pydantic" not in modules  # saylau.io's event schema waits until an event is parsed
    assert "saylau.rules" not in modules  # the presets wait for `presets` and `referendum outcome`


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["presets"],
        ["presets", "show", "kz-constitutional"],
        ["seats", "seats.csv", "--seats", "10", "--method", "hare"],
        ["seats", "seats.csv", "--seats", "10", "--method", "hare", "--json"],
        ["referendum", "outcome", "--rules", "kz-constitutional", "units.csv"],
        ["referendum", "outcome", "--rules", "kz-constitutional", "units.csv", "--json"],
    ],
    ids=lambda argv: " ".join(argv[:2]) + (" --json" if "--json" in argv else ""),
)
def test_commands_without_a_database_load_nothing_heavy(tables: Path, argv: list[str]) -> None:
    assert _heavy(_loaded(argv, tables)) == []


def test_a_command_loads_only_its_own_module_of_the_command_line(tables: Path) -> None:
    cli = {m for m in _loaded(["seats", "seats.csv", "--seats", "10", "--method", "hare"], tables) if "_cmd" in m}
    assert cli == {"saylau.cli.seats_cmd"}


def test_a_database_command_does_load_the_store(tables: Path) -> None:
    """The probe sees what a command loads: `event list` opens the database (so the guard above can fail)."""
    modules = _loaded(["event", "list", "--db", f"sqlite:///{tables / 'x.db'}"], tables)
    assert "sqlalchemy" in modules
    assert "saylau.store" in modules
    assert "fastapi" not in modules  # only `serve` loads the web stack


def test_the_web_application_loads_no_statistics(tables: Path) -> None:
    """Every server process (and each worker of `serve --workers N`) imports the application: numpy, scipy
    and diptest (about a second of start-up) wait until a forensics page is first built."""
    done = subprocess.run(
        [sys.executable, "-c", "import json, sys, saylau.api; print(json.dumps(sorted(sys.modules)))"],
        cwd=tables,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    modules = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "fastapi" in modules  # the probe sees the application's imports
    assert {"numpy", "scipy", "diptest", "saylau.forensics.analysis"}.isdisjoint(modules)
    assert "saylau.forensics.results" in modules  # the caveat and the result types are cheap


def test_the_forensics_package_gives_its_analysis_on_first_use() -> None:
    """``saylau.forensics.analyse`` is the function, also once its module is loaded (a module named like
    the function would shadow it: the module is ``analysis``)."""
    from saylau import forensics  # noqa: PLC0415
    from saylau.forensics import analysis  # noqa: PLC0415

    assert forensics.analyse is analysis.analyse
    assert callable(forensics.analyse)
