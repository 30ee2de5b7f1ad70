"""Fault injection through the store: 100,000 protocols keyed by two operators on SQLite and PostgreSQL.

Operator A keys every protocol correctly. Operator B's keying carries one injected fault per protocol
(×10 digit shift, swapped fields, off-by-one, swapped Yes/No). Every faulty protocol that breaks a control
relation must be refused (and, the batch being atomic, nothing of it written); every fault that breaks
none must be caught by double entry, because only one of the two entries carries it.
"""

from __future__ import annotations

import random

import pytest
from tests.integration.small import FIELDS, event_bytes

from saylau.model import InputError, Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_file
from saylau.services.paper.results import precinct_states, results

N = 100_000
SEED = 20220605


def _territory(n: int) -> tuple[str, list[tuple[str, int]]]:
    rng = random.Random(SEED)
    lines = ["code,kind,parent,name_kk,name_ru,name_en,registered", "KZ,country,,,,Kazakhstan,"]
    precincts = []
    for r in range(17):
        lines.append(f"R{r},region,KZ,,,Region {r},")
        for p in range(r * n // 17, (r + 1) * n // 17):
            registered = rng.randint(200, 2500)
            lines.append(f"P{p},precinct,R{r},,,,{registered}")
            precincts.append((f"P{p}", registered))
    return "\n".join(lines) + "\n", precincts


def _clean(rng: random.Random, registered: int) -> list[int]:
    issued = rng.randint(registered // 3, registered)
    participated = issued - rng.randint(0, min(5, issued))
    invalid = rng.randint(0, participated // 40)
    not_counted = rng.randint(0, (participated - invalid) // 60)
    yes = rng.randint((participated - invalid - not_counted) // 2, participated - invalid - not_counted)
    no = participated - invalid - not_counted - yes
    received = registered + rng.randint(0, 30)
    return [registered, received, issued, received - issued, participated, yes, no, not_counted, invalid]


def _breaks_a_relation(v: list[int]) -> bool:
    reg, rec, iss, can, part, yes, no, nc, inv = v
    return not (part == yes + no + nc + inv and part <= iss and part <= reg and rec == iss + can)


def _fault(rng: random.Random, v: list[int]) -> list[int]:
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


def _csv(rows: list[tuple[str, list[int]]]) -> bytes:
    head = "precinct,question," + ",".join(FIELDS)
    return ("\n".join([head, *(f"{p},q1," + ",".join(map(str, v)) for p, v in rows)]) + "\n").encode()


@pytest.mark.slow
def test_every_fault_is_refused_or_caught_by_double_entry(ctx: Context) -> None:
    territory, precincts = _territory(N)
    create_event(ctx, event_bytes(), "event.json")
    import_territory(ctx, "small", territory.encode(), "territory.csv", "csv")
    advance(ctx, "small", Phase.VOTING, LOCAL_CLI)
    advance(ctx, "small", Phase.COUNTING, LOCAL_CLI)
    rng = random.Random(SEED)
    clean = [(p, _clean(rng, reg)) for p, reg in precincts]
    faulty = [(p, _fault(rng, v)) for p, v in clean]
    breaking = [i for i, (_, v) in enumerate(faulty) if _breaks_a_relation(v)]
    silent = [
        i for i, ((_, v), (_, c)) in enumerate(zip(faulty, clean, strict=True)) if not _breaks_a_relation(v) and v != c
    ]
    assert len(breaking) > N // 2
    assert len(silent) > N // 5

    enter_file(Context(ctx.store, ctx.clock, "A"), "small", _csv(clean), "a.csv", "csv", factor=LOCAL_CLI)

    # B's keying of the relation-breaking protocols: every one refused, named by its line; nothing written
    with pytest.raises(InputError) as err:
        enter_file(
            Context(ctx.store, ctx.clock, "B"),
            "small",
            _csv([faulty[i] for i in breaking]),
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
    report = enter_file(Context(ctx.store, ctx.clock, "B"), "small", _csv(rest), "b2.csv", "csv", factor=LOCAL_CLI)
    assert report.count("mismatch") == len(silent)
    assert report.count("agreed") == N - len(breaking) - len(silent)
    by_precinct = {o.precinct: o for o in report.outcomes}
    for i in silent[:2000]:
        precinct, values = faulty[i]
        changed = {FIELDS[k] for k in range(len(FIELDS)) if values[k] != clean[i][1][k]}
        assert {d.field for d in by_precinct[precinct].differences} == changed
    national = results(ctx, "small").results["KZ"]
    assert national.reported == N - len(breaking) - len(silent)
    expected_yes = sum(clean[i][1][5] for i in range(N) if i not in breaking_set and i not in silent_set)
    assert national.totals["q1"]["yes"] == expected_yes
