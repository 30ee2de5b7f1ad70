"""Two operators keying the same precincts at the same moment: exactly one version per precinct results."""

from __future__ import annotations

import threading

from tests.integration.small import GOOD, TERRITORY, event_bytes, protocols_csv

from saylau.model import Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_file
from saylau.services.paper.results import precinct_states


def test_simultaneous_first_and_second_entries_agree_into_one_version(ctx: Context) -> None:
    create_event(ctx, event_bytes(), "event.json")
    import_territory(ctx, "small", TERRITORY.encode(), "territory.csv", "csv")
    advance(ctx, "small", Phase.VOTING, LOCAL_CLI)
    advance(ctx, "small", Phase.COUNTING, LOCAL_CLI)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def key(operator: str) -> None:
        try:
            barrier.wait()
            enter_file(
                Context(ctx.store, ctx.clock, operator), "small", protocols_csv(GOOD), "p.csv", "csv", factor=LOCAL_CLI
            )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=key, args=(op,)) for op in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    states = precinct_states(ctx, "small")
    assert {s.state for s in states} == {"accepted"}  # neither entry was left waiting for the other
    assert {s.version for s in states} == {1}
