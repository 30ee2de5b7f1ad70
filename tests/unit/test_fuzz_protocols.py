"""100,000 valid Kazakh protocols from a fixed seed, each given one injected fault.

A fault that breaks a control relation must be refused by ``validate`` with exactly the broken relations
named; a fault that breaks none (a swapped Yes/No, say) must be caught by double entry against a clean
entry by another operator, the Mismatch naming exactly the changed fields.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

import pytest
from kz_schema import KZ_SCHEMA, Q1, synthetic_territory

from saylau.count import Aggregator, EntryRecord, Mismatch, decide, validate
from saylau.model import STANDARD_FIELDS, ProtocolRejected, UnitCode
from saylau.model.protocol import Protocol

SEED = 20220605
FIELDS = STANDARD_FIELDS
Counts = dict[str, int]

# The relations, written again independently of Relation.holds, as the oracle.
ORACLE: dict[str, Callable[[Counts], bool]] = {
    "ballots_sum": lambda c: c["participated"] == c["yes"] + c["no"] + c["not_counted"] + c["invalid"],
    "in_boxes": lambda c: c["participated"] <= c["issued"],
    "turnout_cap": lambda c: c["participated"] <= c["registered"],
    "ballots_received": lambda c: c["received"] == c["issued"] + c["cancelled"],
}


def clean_protocol(rng: random.Random, register: int) -> Counts:
    registered = register + rng.randint(0, register // 50)  # supplementary list
    participated = rng.randint(0, registered)
    invalid = rng.randint(0, participated // 40)
    not_counted = rng.randint(0, (participated - invalid) // 80)
    yes = rng.randint(0, participated - invalid - not_counted)
    issued = participated + rng.randint(0, 3)  # a ballot taken away now and then
    cancelled = rng.randint(0, 400)
    return {
        "registered": registered,
        "received": issued + cancelled,
        "issued": issued,
        "cancelled": cancelled,
        "participated": participated,
        "yes": yes,
        "no": participated - invalid - not_counted - yes,
        "not_counted": not_counted,
        "invalid": invalid,
    }


def inject(rng: random.Random, clean: Counts, kind: str) -> Counts:
    faulty = dict(clean)
    field = rng.choice(FIELDS)
    if kind == "shift":  # a digit too many or too few
        faulty[field] = clean[field] * 10 if rng.random() < 0.5 else clean[field] // 10
    elif kind == "swap":
        a, b = rng.sample(FIELDS, 2)
        faulty[a], faulty[b] = clean[b], clean[a]
    elif kind == "off_by_one":
        faulty[field] = max(0, clean[field] + rng.choice((-1, 1)))
    else:  # "yes_no": the two answers swapped
        faulty["yes"], faulty["no"] = clean["no"], clean["yes"]
    return faulty


def check_fault(precinct: UnitCode, register: int, clean: Counts, faulty: Counts) -> str:
    broken = {name for name, holds in ORACLE.items() if not holds(faulty)}
    if broken:
        with pytest.raises(ProtocolRejected) as caught:
            validate(KZ_SCHEMA, Protocol(precinct, {Q1: faulty}), [Q1], registered=register)
        named = {v.rsplit("[", 1)[1].rstrip("]") for v in caught.value.violations}
        assert named == broken, (clean, faulty, caught.value.violations)
        return "refused"
    validate(KZ_SCHEMA, Protocol(precinct, {Q1: faulty}), [Q1], registered=register)
    decision = decide([EntryRecord("A", {Q1: clean})], EntryRecord("B", {Q1: faulty}))
    assert isinstance(decision, Mismatch), (clean, faulty)
    changed = {f for f in FIELDS if clean[f] != faulty[f]}
    assert {d.field for d in decision.differences} == changed
    assert all(d.values == (clean[d.field], faulty[d.field]) for d in decision.differences)
    return "double_entry"


def test_every_fault_is_refused_or_caught_by_double_entry() -> None:
    rng = random.Random(SEED)
    territory = synthetic_territory(regions=17, districts=20, precincts=294, abroad=40)
    precincts = territory.precincts()
    assert len(precincts) == 100_000
    aggregator = Aggregator(territory, [Q1], FIELDS)
    outcomes: Counter[tuple[str, str]] = Counter()
    kinds = ("shift", "swap", "off_by_one", "yes_no")
    for n, precinct in enumerate(precincts):
        register = territory[precinct].registered or 0
        clean = clean_protocol(rng, register)
        validate(KZ_SCHEMA, Protocol(precinct, {Q1: clean}), [Q1], registered=register)
        aggregator.set(precinct, {Q1: clean})
        kind = kinds[n % len(kinds)]
        faulty = inject(rng, clean, kind)
        if faulty == clean:
            outcomes[kind, "no_change"] += 1
            continue
        outcomes[kind, check_fault(precinct, register, clean, faulty)] += 1
    national, _ = aggregator.outcome_input(Q1)
    assert national.participated == national.yes + national.no + national.not_counted + national.invalid
    assert aggregator.result(territory.root).complete
    # every kind of fault occurred in bulk, and both safeguards were exercised
    assert outcomes["yes_no", "double_entry"] > 20_000
    for kind in ("shift", "swap", "off_by_one"):
        assert outcomes[kind, "refused"] > 5_000, outcomes
    assert outcomes["shift", "double_entry"] + outcomes["off_by_one", "double_entry"] > 1_000, outcomes
