"""The ballot summary of spec/record.md §10: the producer's sentence and JSON figures (issue 17 item 8)."""

from __future__ import annotations

import pytest

from saylau.record.errors import RecordError
from saylau.record.figures import BallotFigures


def test_the_summary_sentence_is_the_specs() -> None:
    figures = BallotFigures(cast=222, spoiled=13, counted=200)
    assert (figures.submitted, figures.replaced) == (235, 22)
    assert figures.sentence() == (
        "235 ballots submitted: 222 cast (200 counted, 22 replaced by a re-vote), 13 spoiled (challenged and opened)"
    )
    assert figures.plain() == {
        "ballots_submitted": 235,
        "ballots_cast": 222,
        "ballots_counted": 200,
        "revotes": 22,
        "spoiled": 13,
    }


def test_numbers_are_grouped_and_one_ballot_is_singular() -> None:
    assert BallotFigures(1100, 98, 1000).sentence().startswith("1,198 ballots submitted: 1,100 cast (1,000 counted")
    assert BallotFigures(1, 0, 1).sentence().startswith("1 ballot submitted: 1 cast (1 counted, 0 replaced")
    assert BallotFigures(0, 0, 0).sentence().startswith("0 ballots submitted: 0 cast")


@pytest.mark.parametrize(("cast", "spoiled", "counted"), [(-1, 0, 0), (0, -1, 0), (2, 0, 3), (3, 0, 0)])
def test_impossible_figures_are_refused(cast: int, spoiled: int, counted: int) -> None:
    with pytest.raises(RecordError):
        BallotFigures(cast, spoiled, counted)
