"""The demo: the shipped ``kz-2022`` reconstruction counted end to end under double entry, and what a run
does with the database it is given (``demo_plan``: the data sets to count, whether a SQLite file is rebuilt,
or a refusal when the database holds anything but shipped demo data sets)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from saylau.count.layout import event_rules, protocol_layout
from saylau.io import parse_event, parse_protocols
from saylau.model import Mode, Phase, ResultsView, SaylauError
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.codes import PaperCode
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_protocols
from saylau.services.paper.results import results
from saylau.store import Contents
from saylau.store.canonical import sha256_hex

__all__ = [
    "DEMO_DATASET",
    "ELECTION_DATASET",
    "PHASES",
    "DemoPlan",
    "DemoRun",
    "Progress",
    "ShippedDemo",
    "demo_file",
    "demo_plan",
    "run_demo",
    "shipped_demos",
]

DEMO_DATASET = "kz-2022"
ELECTION_DATASET = "kz-2023-election"
OPERATORS = ("demo-operator-1", "demo-operator-2")
CHUNK = 2500
# The phases in the order run_demo announces them (double entry is announced once per operator).
PHASES = (
    "define the event",
    "import the territory",
    "open voting and counting (zero report)",
    "parse the protocols",
    "double entry",
    "close counting (provisional, then final)",
    "aggregate and decide",
)

# label, done, total
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class DemoRun:
    view: ResultsView
    protocols: int
    entries: int
    zero_report_sha256: str | None


def demo_file(name: str, dataset: str = DEMO_DATASET) -> bytes:
    return (resources.files("saylau") / "data" / "demo" / dataset / name).read_bytes()


@dataclass(frozen=True, slots=True)
class ShippedDemo:
    dataset: str
    code: str  # the event's code
    definition_sha256: str  # what the store keeps of the event's definition when the demo creates it


@functools.cache
def shipped_demos() -> tuple[ShippedDemo, ...]:
    """The shipped data sets' events. An event is a shipped demo's (a reconstruction) when its code and
    its stored definition's SHA-256 are one of these: an edited copy, or another event under the code, is not."""
    out = []
    for name in (DEMO_DATASET, ELECTION_DATASET):
        data = demo_file("event.json", name)
        digest = sha256_hex(data.decode("utf-8-sig"))  # as create_event stores the text (Tx.insert_event)
        out.append(ShippedDemo(name, parse_event(data, f"{name}/event.json").code, digest))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class DemoPlan:
    datasets: tuple[str, ...]  # the data sets to count, in order, the one asked for last
    rebuild: bool  # the SQLite file is started from empty first


def demo_plan(held: Contents, dataset: str, *, sqlite_file: bool, where: str) -> DemoPlan:
    """What a demo run of ``dataset`` does with the database that holds ``held`` (``sqlite_file``: it is a
    SQLite file, which a rerun may rebuild; ``where``: the database in words, for a refusal). Refused
    (``not_a_demo_database``, the database untouched) when it holds an event that is not a shipped demo's,
    an e-election or another program's tables, or when a rebuild would erase accounts. A new data set is
    counted alone; a rerun rebuilds the file and counts every shipped data set it held again. Outside a
    SQLite file nothing is rebuilt: the event's uniqueness refuses a rerun (``duplicate_event``)."""
    shipped = {d.code: (d.dataset, d.definition_sha256) for d in shipped_demos()}
    foreign = [code for code, digest in held.events if code not in shipped or shipped[code][1] != digest]
    foreign += [f"the e-election {code}" for code in held.elections]
    foreign += [f"the table {name}" for name in held.other_tables]
    if foreign:
        raise _not_a_demo_database(where, foreign, "which the demo did not make")
    mine = [shipped[code][0] for code, _digest in held.events]
    if dataset not in mine or not sqlite_file:
        return DemoPlan((dataset,), False)
    if held.accounts:
        raise _not_a_demo_database(
            where, [f"{held.accounts} account(s)"], "which rebuilding it for the demo would erase"
        )
    return DemoPlan((*(name for name in mine if name != dataset), dataset), True)


def _not_a_demo_database(where: str, what: Sequence[str], why: str) -> SaylauError:
    return SaylauError(
        f"{where} holds {', '.join(what)}, {why}: the demo writes only into a database holding nothing but "
        "its shipped data sets, and left it untouched; count the demo elsewhere with --db (e.g. --db "
        "sqlite:///demo.db)",
        code=PaperCode.NOT_A_DEMO_DATABASE,
        details={"database": where, "holds": list(what)},
    )


def _protocols_file(dataset: str) -> tuple[str, Literal["csv", "json"]]:
    folder = resources.files("saylau") / "data" / "demo" / dataset
    return ("protocols.csv", "csv") if (folder / "protocols.csv").is_file() else ("protocols.json", "json")


def run_demo(ctx: Context, progress: Progress, dataset: str = DEMO_DATASET) -> DemoRun:
    """Define, import, open, enter every protocol twice by two operators, close, and aggregate.

    ``progress(label, done, total)`` is called as each phase starts (done/total count the phases), and
    during double entry after every chunk (done/total count the entries): no phase runs unannounced."""
    steps = len(PHASES)
    progress(PHASES[0], 0, steps)
    ref = create_event(ctx, demo_file("event.json", dataset), f"{dataset}/event.json")
    code = ref.code
    progress(PHASES[1], 1, steps)
    territory = import_territory(ctx, code, demo_file("territory.csv", dataset), f"{dataset}/territory.csv", "csv")
    progress(PHASES[2], 2, steps)
    advance(ctx, code, Phase.VOTING, LOCAL_CLI)
    zero = advance(ctx, code, Phase.COUNTING, LOCAL_CLI)
    progress(PHASES[3], 3, steps)
    ballot = protocol_layout(ref, event_rules(ref), territory)
    name, fmt = _protocols_file(dataset)
    source = f"{dataset}/{name}"
    questions = [q.code for q in ref.contests]
    parsed = parse_protocols(
        demo_file(name, dataset), source, fmt, questions, ballot.fields, contests_of=ballot.contests_of
    )
    total = 2 * len(parsed)
    done = 0
    for operator in OPERATORS:
        as_operator = Context(ctx.store, ctx.clock, operator)
        label = f"{PHASES[4]} ({operator})"
        progress(label, done, total)
        for start in range(0, len(parsed), CHUNK):
            chunk = parsed[start : start + CHUNK]
            enter_protocols(as_operator, code, chunk, mode=Mode.LIVE, source=source, factor=LOCAL_CLI)
            done += len(chunk)
            progress(label, done, total)
    progress(PHASES[5], 5, steps)
    advance(ctx, code, Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, code, Phase.FINAL, LOCAL_CLI)
    progress(PHASES[6], 6, steps)
    view = results(ctx, code)
    progress("done", steps, steps)
    return DemoRun(view, len(parsed), total, zero.zero_report_sha256)
