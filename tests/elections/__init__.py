"""Test elections as spec files (STYLE.md habit 10), loaded through the production parser and use cases.

Each folder here is one paper election: ``event.json`` (as ``saylau.io.parse_event`` reads it),
``territory.csv`` (as ``saylau.io.parse_territory`` reads it) and ``protocols.csv``, a good protocol for
every precinct in the format ``saylau event enter`` takes. A folder without ``event.json`` names the
folder whose event it shares (see ``paper``). The e2e side (setup, key ceremony, credentials from a seed)
is ``tests.elections.e2e``.

``database``/``context`` build a migrated store and a ``Context`` on a given database URL; ``load`` puts
an election into it with ``create_event``, ``import_territory``, ``advance`` (LOCAL_CLI) and, for each
operator named, ``enter_file`` (two operators agreeing make the protocols accepted: double entry).
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from saylau.io import parse_event, parse_territory
from saylau.model import Phase, Referendum, Territory
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Clock, Context
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_file
from saylau.services.settings import DeploymentSettings
from saylau.store import Store, connect, migrate

__all__ = [
    "FIELDS",
    "HERE",
    "MINI",
    "SMALL",
    "SMALL_TILES",
    "PaperElection",
    "as_operator",
    "context",
    "database",
    "load",
    "paper",
    "protocols_csv",
]

HERE = Path(__file__).resolve().parent
# where ``load`` may stop, in order (later phases need every protocol: they are the tests' own steps)
_STOPS = (Phase.SETUP, Phase.VOTING, Phase.COUNTING)


@dataclass(frozen=True, slots=True)
class PaperElection:
    """One folder's files, as bytes (the exact bytes the services receive and hash)."""

    name: str
    event: bytes
    territory: bytes
    protocols: bytes

    @property
    def referendum(self) -> Referendum:
        return parse_event(self.event, "event.json")

    @property
    def code(self) -> str:
        return self.referendum.code

    @property
    def units(self) -> Territory:
        return parse_territory(self.territory, "territory.csv", "csv")

    def rows(self) -> dict[str, dict[str, dict[str, int]]]:
        """The good protocols as precinct -> contest -> field -> count (the columns a contest leaves empty
        are not its fields)."""
        out: dict[str, dict[str, dict[str, int]]] = {}
        for row in csv.DictReader(io.StringIO(self.protocols.decode())):
            precinct, contest = row.pop("precinct"), row.pop("question")
            out.setdefault(precinct, {})[contest] = {f: int(v) for f, v in row.items() if v != ""}
        return out


def paper(name: str, *, event: str | None = None) -> PaperElection:
    """The election in folder ``name``; ``event`` names the folder whose event.json it shares."""
    folder = HERE / name
    return PaperElection(
        name,
        (HERE / (event or name) / "event.json").read_bytes(),
        (folder / "territory.csv").read_bytes(),
        (folder / "protocols.csv").read_bytes(),
    )


SMALL = paper("small")  # a referendum: 2 regions + abroad, 5 precincts, one question
SMALL_TILES = paper("small-tiles", event="small")  # the same event on the kz-2022 tile codes (the browser's)
MINI = paper("mini-election")  # a Mazhilis-style election: a party list everywhere, two single-member districts

# the referendum protocol's fields (the kz-constitutional preset; kazakhstan.md §2.2)
FIELDS = ("registered", "received", "issued", "cancelled", "participated", "yes", "no", "not_counted", "invalid")


def protocols_csv(rows: dict[str, tuple[int, ...]], reason: str | None = None, question: str = "q1") -> bytes:
    """Referendum protocols as ``enter_file`` reads them: precinct -> the counts in ``FIELDS`` order, and
    for a correction the ``reason`` on every row."""
    lines = ["precinct,question," + ",".join(FIELDS) + (",reason" if reason else "")]
    for precinct, values in rows.items():
        line = f"{precinct},{question}," + ",".join(str(v) for v in values)
        lines.append(line + (f",{reason}" if reason else ""))
    return ("\n".join(lines) + "\n").encode()


@contextmanager
def database(db_url: str) -> Iterator[Store]:
    """A migrated store on ``db_url`` (an empty SQLite file or PostgreSQL schema), disposed afterwards."""
    engine = connect(db_url)
    migrate(engine)
    store = Store(engine)
    try:
        yield store
    finally:
        store.dispose()


@contextmanager
def context(
    db_url: str, clock: Clock, actor: str = "official-1", settings: DeploymentSettings | None = None
) -> Iterator[Context]:
    """A ``Context`` on a migrated store on ``db_url`` (the store disposed afterwards)."""
    with database(db_url) as store:
        yield Context(store, clock, actor, settings or DeploymentSettings())


def as_operator(ctx: Context, who: str) -> Context:
    return dataclasses.replace(ctx, actor=who)


def load(
    ctx: Context,
    election: PaperElection,
    *,
    until: Phase = Phase.COUNTING,
    operators: Sequence[str] = (),
    protocols: bytes | None = None,
    source: str = "protocols.csv",
) -> str:
    """Create the event, import its territory, advance it to ``until`` (setup, voting or counting) and
    have each of ``operators`` enter ``protocols`` (default: the election's good ones); the event code."""
    if until not in _STOPS:
        raise ValueError(f"load stops at setup, voting or counting, not {until}: advance further in the test")
    if operators and until is not Phase.COUNTING:
        raise ValueError("protocols are entered in counting: pass until=Phase.COUNTING with operators")
    code = election.code
    create_event(ctx, election.event, "event.json")
    import_territory(ctx, code, election.territory, "territory.csv", "csv")
    for phase in _STOPS[1 : _STOPS.index(until) + 1]:
        advance(ctx, code, phase, LOCAL_CLI)
    for who in operators:
        data = election.protocols if protocols is None else protocols
        enter_file(as_operator(ctx, who), code, data, source, "csv", factor=LOCAL_CLI)
    return code
