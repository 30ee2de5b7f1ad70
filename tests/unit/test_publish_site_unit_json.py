"""The drill-down API's unit document: the same entries as the whole published document's, for every
unit of a referendum and of an election (built from the unit and its children only)."""

from __future__ import annotations

import pytest
from test_publish_election import election_view
from test_publish_golden import view

from saylau.model import NotFound, ResultsView
from saylau.publish.json_out import to_json
from saylau.publish.site.unit_json import unit_json


@pytest.mark.parametrize("make", [view, election_view])
def test_every_unit_is_its_entry_of_the_whole_document(make: object) -> None:
    v: ResultsView = make()  # type: ignore[operator]
    whole = to_json(v)
    by_code = {u["code"]: u for u in whole["units"]}
    for code in v.territory.walk():
        doc = unit_json(v, code)
        assert doc["unit"] == by_code.get(code)
        assert doc["children"] == [by_code[c] for c in v.territory.children(code) if c in by_code]
        assert doc["path"][-1]["code"] == code
        assert doc["path"][0]["code"] == v.territory.root
        assert (doc["format"], doc["format_version"], doc["event"]) == (
            whole["format"],
            whole["format_version"],
            whole["event"]["code"],
        )
        assert (doc["status"], doc["phase"], doc["generated_at"]) == (
            whole["status"],
            whole["phase"],
            whole["generated_at"],
        )


def test_an_unknown_unit_is_not_found() -> None:
    with pytest.raises(NotFound):
        unit_json(view(), "NOWHERE")
