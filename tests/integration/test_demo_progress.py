"""The demo says what it is doing before every phase, and writes a compact report (issue 17 item 4)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from tests.unit import test_publish_election as election_fixture
from tests.unit import test_publish_golden as referendum_fixture
from typer.testing import CliRunner

from saylau.cli import common, demo_cmd
from saylau.cli.main import app
from saylau.cli.views import write_report
from saylau.model import ResultsView
from saylau.publish import to_csv, to_json
from saylau.services.context import Context, utc_now
from saylau.services.paper import demo
from saylau.store import Store, connect, migrate

# The work run_demo does, in order, each after the announcement of its phase (demo.PHASES).
WORK = {
    "create_event": demo.PHASES[0],
    "import_territory": demo.PHASES[1],
    "parse_protocols": demo.PHASES[3],
    "enter_protocols": demo.PHASES[4],
    "results": demo.PHASES[6],
}


def _recording(log: list[tuple[str, Any]], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        log.append(("call", name))
        return fn(*args, **kwargs)

    return wrapper


def test_run_demo_announces_every_phase_before_its_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log: list[tuple[str, Any]] = []
    for name in (*WORK, "advance"):
        monkeypatch.setattr(demo, name, _recording(log, name, getattr(demo, name)))
    engine = connect(f"sqlite:///{tmp_path / 'demo.db'}")
    migrate(engine)
    ctx = Context(Store(engine), utc_now, "demo")
    try:
        run = demo.run_demo(ctx, lambda label, done, total: log.append(("progress", (label, done, total))))
    finally:
        ctx.store.dispose()
    assert log[0] == ("progress", (demo.PHASES[0], 0, len(demo.PHASES)))  # before any work
    assert log[-1] == ("progress", ("done", len(demo.PHASES), len(demo.PHASES)))
    announced = None
    for kind, value in log:
        if kind == "progress":
            announced = value[0]
        elif value == "advance":  # voting and counting open, then provisional and final close
            assert announced in (demo.PHASES[2], demo.PHASES[5]), log
        else:
            assert announced is not None, value
            assert announced.startswith(WORK[value]), (value, announced)
    labels = [value[0] for kind, value in log if kind == "progress"]
    phases = [p for p in demo.PHASES if any(label.startswith(p) for label in labels)]
    assert phases == list(demo.PHASES)  # every phase, in order
    entered = [value for kind, value in log if kind == "progress" and value[0].startswith(demo.PHASES[4])]
    assert [done for _, done, _ in entered] == sorted(done for _, done, _ in entered)
    assert entered[-1][1:] == (run.entries, run.entries)
    assert sum(1 for kind, value in log if (kind, value) == ("call", "enter_protocols")) == 2 * -(
        -run.protocols // demo.CHUNK
    )  # a line after every chunk of each operator


@pytest.mark.parametrize(
    ("view", "names"),
    [
        (referendum_fixture.view, ["index.html", "results.json", "results.csv"]),
        (election_fixture.election_view, ["index.html", "results.json", "results.csv", "options.csv"]),
    ],
)
def test_write_report_is_compact_atomic_and_tells_its_progress(
    tmp_path: Path, view: Callable[[], ResultsView], names: list[str]
) -> None:
    results = view()
    seen: list[tuple[str, int, int]] = []
    index = write_report(results, tmp_path / "out", lambda label, done, total: seen.append((label, done, total)))
    assert index == tmp_path / "out" / "index.html"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(names)  # no temporary file left
    text = (tmp_path / "out" / "results.json").read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert text.count("\n") == 1  # one line, no indentation
    assert json.loads(text) == json.loads(json.dumps(to_json(results)))  # the same document
    assert (tmp_path / "out" / "results.csv").read_text(encoding="utf-8") == to_csv(results)
    n = len(names)
    assert seen == [(f"write the report: render {name}", i, n) for i, name in enumerate(names)] + [
        (f"write the report: save {name}", i, n) for i, name in enumerate(names)
    ]


def test_the_demo_command_shows_its_progress_line_before_loading_and_opening_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bar opens first (the demo's imports and the migrations run under it), then every phase of the
    count and of the report writes its line. The count itself is replaced by a hand-built result here."""
    log: list[tuple[str, Any]] = []

    @contextmanager
    def recording_bar(*, quiet: bool, first: str = "working") -> Iterator[Callable[[str, int, int], None]]:
        log.append(("bar", first))
        yield lambda label, done, total: log.append(("progress", label))
        log.append(("bar closed", None))

    def fake_run_demo(ctx: Context, progress: Callable[[str, int, int], None], dataset: str) -> demo.DemoRun:
        log.append(("call", "run_demo"))
        progress(demo.PHASES[0], 0, len(demo.PHASES))
        return demo.DemoRun(referendum_fixture.view(), 7, 14, None)

    def recording_open(url: str, actor: str | None) -> Context:
        log.append(("call", "open_context"))
        return common.open_context(url, actor)

    monkeypatch.setattr(demo_cmd, "progress_bar", recording_bar)
    monkeypatch.setattr(demo_cmd, "open_context", recording_open)
    monkeypatch.setattr(demo, "run_demo", fake_run_demo)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SAYLAU_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    assert log[0] == ("bar", "load the count and the demo data")
    assert log[1:4] == [("progress", "open the database"), ("call", "open_context"), ("call", "run_demo")]
    assert [value for kind, value in log[5:] if kind == "progress"] == [
        *(f"write the report: render {name}" for name in ("index.html", "results.json", "results.csv")),
        *(f"write the report: save {name}" for name in ("index.html", "results.json", "results.csv")),
    ]
    assert log[-1] == ("bar closed", None)
    assert (tmp_path / "report" / "results.json").is_file()
