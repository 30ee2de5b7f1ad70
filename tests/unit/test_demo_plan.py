"""``services.paper.demo.demo_plan``: what a demo run does with the database it is given (which shipped data
sets it counts, whether a SQLite file is rebuilt first), or why it refuses the database untouched."""

from __future__ import annotations

import pytest

from saylau.model import SaylauError
from saylau.services.paper.demo import DEMO_DATASET, ELECTION_DATASET, DemoPlan, demo_plan, shipped_demos
from saylau.store import Contents

WHERE = "./saylau.db"


def _held(*datasets: str, **more: object) -> Contents:
    by_name = {d.dataset: (d.code, d.definition_sha256) for d in shipped_demos()}
    return Contents(events=tuple(by_name[d] for d in datasets), **more)  # type: ignore[arg-type]


def test_an_empty_database_counts_the_data_set_alone() -> None:
    assert demo_plan(Contents(), DEMO_DATASET, sqlite_file=True, where=WHERE) == DemoPlan((DEMO_DATASET,), False)


def test_the_other_demo_is_kept_beside_a_new_one() -> None:
    plan = demo_plan(_held(DEMO_DATASET), ELECTION_DATASET, sqlite_file=True, where=WHERE)
    assert plan == DemoPlan((ELECTION_DATASET,), False)


def test_a_rerun_rebuilds_the_file_and_counts_every_demo_it_held_the_asked_one_last() -> None:
    plan = demo_plan(_held(ELECTION_DATASET, DEMO_DATASET), ELECTION_DATASET, sqlite_file=True, where=WHERE)
    assert plan == DemoPlan((DEMO_DATASET, ELECTION_DATASET), True)


def test_outside_a_sqlite_file_nothing_is_rebuilt() -> None:
    assert demo_plan(_held(DEMO_DATASET), DEMO_DATASET, sqlite_file=False, where="the database") == DemoPlan(
        (DEMO_DATASET,), False
    )


@pytest.mark.parametrize(
    ("held", "named"),
    [
        (Contents(events=(("mine", "0" * 64),)), "mine"),
        (Contents(events=((shipped_demos()[0].code, "0" * 64),)), shipped_demos()[0].code),  # an edited copy
        (Contents(elections=("e1",)), "the e-election e1"),
        (Contents(other_tables=("wp_posts",)), "the table wp_posts"),
        (_held(DEMO_DATASET, accounts=2), "2 account(s)"),  # a rebuild would erase them
    ],
)
def test_a_database_that_is_not_the_demos_is_refused_with_what_it_holds(held: Contents, named: str) -> None:
    with pytest.raises(SaylauError) as err:
        demo_plan(held, DEMO_DATASET, sqlite_file=True, where=WHERE)
    assert err.value.code == "not_a_demo_database"
    assert named in err.value.details["holds"]
    assert err.value.details["database"] == WHERE
