"""Fault injection through the store: 5,000 protocols keyed by two operators on SQLite and PostgreSQL (the
seeded workload of bench/faults/double_entry.py, which runs it at 100,000 and prints the figures).

Operator A keys every protocol correctly. Operator B's keying carries one injected fault per protocol
(×10 digit shift, swapped fields, off-by-one, swapped Yes/No). Every faulty protocol that breaks a control
relation must be refused (and, the batch being atomic, nothing of it written); every fault that breaks
none must be caught by double entry, because only one of the two entries carries it.
"""

from __future__ import annotations

import pytest
from bench.faults.double_entry import protocols_csv, workload
from tests.integration.small import FIELDS, event_bytes

from saylau.model import InputError, Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_file
from saylau.services.paper.results import precinct_states, results

N = 5_000  # the full 100,000: python -m bench.faults.double_entry


def test_every_fault_is_refused_or_caught_by_double_entry(ctx: Context) -> None:
    w = workload(N)
    clean, faulty, breaking, silent = w.clean, w.faulty, w.breaking, w.silent
    create_event(ctx, event_bytes(), "event.json")
    import_territory(ctx, "small", w.territory, "territory.csv", "csv")
    advance(ctx, "small", Phase.VOTING, LOCAL_CLI)
    advance(ctx, "small", Phase.COUNTING, LOCAL_CLI)
    assert len(breaking) > N // 2
    assert len(silent) > N // 5

    enter_file(Context(ctx.store, ctx.clock, "A"), "small", protocols_csv(clean), "a.csv", "csv", factor=LOCAL_CLI)

    # B's keying of the relation-breaking protocols: every one refused, named by its line; nothing written
    with pytest.raises(InputError) as err:
        enter_file(
            Context(ctx.store, ctx.clock, "B"),
            "small",
            protocols_csv([faulty[i] for i in breaking]),
            "b1.csv",
            "csv",
            factor=LOCAL_CLI,
        )
    assert sorted(p.line for p in err.value.problems) == [k + 2 for k in range(len(breaking))]
    assert all(p.rule == "control_relation" and p.file == "b1.csv" for p in err.value.problems)
    assert {s.state for s in precinct_states(ctx, "small")} == {"awaiting_second"}

    # B's keying of everything else: the silent faults are held as mismatches, the rest agree
    silent_set, breaking_set = set(silent), set(breaking)
    rest = [faulty[i] if i in silent_set else clean[i] for i in range(N) if i not in breaking_set]
    report = enter_file(
        Context(ctx.store, ctx.clock, "B"), "small", protocols_csv(rest), "b2.csv", "csv", factor=LOCAL_CLI
    )
    assert report.count("mismatch") == len(silent)
    assert report.count("agreed") == N - len(breaking) - len(silent)
    by_precinct = {o.precinct: o for o in report.outcomes}
    for i in silent:
        precinct, values = faulty[i]
        changed = {FIELDS[k] for k in range(len(FIELDS)) if values[k] != clean[i][1][k]}
        assert {d.field for d in by_precinct[precinct].differences} == changed
    national = results(ctx, "small").results["KZ"]
    assert national.reported == N - len(breaking) - len(silent)
    expected_yes = sum(clean[i][1][5] for i in range(N) if i not in breaking_set and i not in silent_set)
    assert national.totals["q1"]["yes"] == expected_yes
