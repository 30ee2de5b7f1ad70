"""Which preset version decides a vote: --date, else the file's date, else today, said so (issue 17 item 7)."""

from __future__ import annotations

import datetime as dt

import pytest

from saylau.model import NotFound
from saylau.rules import choose_version, load_preset

KZ = load_preset("kz-constitutional")  # version 2022 until 2026-03-14, version 2026 from 2026-03-15
VOTE = dt.date(2022, 6, 5)
LATER = dt.date(2027, 1, 1)


def test_the_files_date_picks_the_version_in_force_on_the_day_of_the_vote() -> None:
    choice = choose_version(KZ, None, VOTE, LATER)
    assert (choice.version.id, choice.date, choice.source, choice.assumed) == ("2022", VOTE, "file", False)
    assert choice.notice() is None
    assert choice.plain()["valid_to"] == "2026-03-14"


def test_without_any_date_todays_version_applies_and_says_so() -> None:
    choice = choose_version(KZ, None, None, LATER)
    assert (choice.version.id, choice.date, choice.source, choice.assumed) == ("2026", LATER, "today", True)
    notice = choice.notice()
    assert notice is not None
    assert "No date of the vote given" in notice
    assert "today, 2027-01-01" in notice
    assert "version 2026 of kz-constitutional (in force 2026-03-15 .. open)" in notice
    assert choice.plain() == {
        "id": "2026",
        "valid_from": "2026-03-15",
        "valid_to": None,
        "date": "2027-01-01",
        "date_source": "today",
        "assumed": True,
        "file_date": None,
        "notice": notice,
    }


def test_the_option_wins_over_the_files_date_and_says_so() -> None:
    choice = choose_version(KZ, LATER, VOTE, LATER)
    assert (choice.version.id, choice.source, choice.file_date, choice.assumed) == ("2026", "--date", VOTE, False)
    assert choice.notice() == (
        "--date 2027-01-01 overrides the file's date 2022-06-05: "
        "version 2026 of kz-constitutional (in force 2026-03-15 .. open) was applied."
    )
    same = choose_version(KZ, VOTE, VOTE, LATER)
    assert (same.version.id, same.source, same.notice()) == ("2022", "--date", None)


def test_a_day_before_every_version_is_refused_whatever_its_source() -> None:
    for option, file_date, today in ((dt.date(1990, 1, 1), None, LATER), (None, dt.date(1990, 1, 1), LATER)):
        with pytest.raises(NotFound) as info:
            choose_version(KZ, option, file_date, today)
        assert info.value.code == "no_version_on_date"
