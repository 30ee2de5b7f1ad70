"""Two operators keying the same precincts at the same moment: exactly one version per precinct results."""

from __future__ import annotations

import threading

from tests.elections import SMALL, load
from tests.integration.small import GOOD, protocols_csv

from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.protocols import enter_file
from saylau.services.paper.results import precinct_states


def test_simultaneous_first_and_second_entries_agree_into_one_version(ctx: Context) -> None:
    load(ctx, SMALL)
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
