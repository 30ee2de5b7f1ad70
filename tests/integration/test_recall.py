"""A recall vote in one single-member district (Election Law Art. 113-16), counted like a referendum."""

from __future__ import annotations

import json

import pytest
from tests.integration.small import FIELDS

from saylau.model import InputError, Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_file
from saylau.services.paper.results import results

TERRITORY = """code,kind,parent,name_kk,name_ru,name_en,registered
KZ,country,,,,Kazakhstan,
KAR,region,KZ,,,Karaganda Region,
KAR-D7,district,KAR,,,Maslikhat district No. 7,
P1,precinct,KAR-D7,,,Precinct 1,1200
P2,precinct,KAR-D7,,,Precinct 2,900
"""


def _event(date: str, body: str) -> bytes:
    return json.dumps(
        {
            "code": "recall-7",
            "title": "Recall of the deputy of district No. 7",
            "date": date,
            "preset": "kz-recall",
            "settings": {"body": body},
            "questions": [
                {
                    "code": "recall",
                    "texts": [{"lang": "en", "text": "Do you support the recall of deputy A. B.?", "official": True}],
                }
            ],
        }
    ).encode()


def _protocols(rows: dict[str, tuple[int, ...]]) -> bytes:
    lines = ["precinct,question," + ",".join(FIELDS)]
    lines += [f"{p},recall," + ",".join(map(str, v)) for p, v in rows.items()]
    return ("\n".join(lines) + "\n").encode()


def _count(ctx: Context, rows: dict[str, tuple[int, ...]], date: str = "2024-03-03", body: str = "maslikhat"):
    create_event(ctx, _event(date, body), "recall.json")
    import_territory(ctx, "recall-7", TERRITORY.encode(), "territory.csv", "csv")
    advance(ctx, "recall-7", Phase.VOTING, LOCAL_CLI)
    advance(ctx, "recall-7", Phase.COUNTING, LOCAL_CLI)
    for operator in ("alice", "bob"):
        enter_file(
            Context(ctx.store, ctx.clock, operator), "recall-7", _protocols(rows), "p.csv", "csv", factor=LOCAL_CLI
        )
    return results(ctx, "recall-7").outcomes["recall"]


def test_the_deputy_is_recalled_when_a_third_took_part_and_most_voted_for_recall(ctx: Context) -> None:
    # 700 of 2,100 took part: exactly one third, which is enough (>= 1/3, para 3); 400 of 700 for recall
    outcome = _count(
        ctx, {"P1": (1200, 1200, 400, 800, 400, 230, 160, 0, 10), "P2": (900, 900, 300, 600, 300, 170, 125, 0, 5)}
    )
    assert outcome.valid
    assert outcome.adopted  # recalled
    assert any("113-16" in line for line in outcome.explanation)


def test_below_a_third_the_vote_is_not_valid(ctx: Context) -> None:
    outcome = _count(
        ctx, {"P1": (1200, 1200, 400, 800, 399, 300, 99, 0, 0), "P2": (900, 900, 300, 600, 300, 250, 50, 0, 0)}
    )
    assert not outcome.valid
    assert not outcome.adopted


def test_no_mazhilis_recall_after_the_mazhilis_ended(ctx: Context) -> None:
    with pytest.raises(InputError) as err:
        create_event(ctx, _event("2026-09-06", "mazhilis"), "recall.json")
    assert err.value.problems[0].field == "body"
