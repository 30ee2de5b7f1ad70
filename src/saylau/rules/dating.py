"""Which version of a preset decides a vote: the one in force on the vote's day (spec/presets.md §Which version).

The day comes from ``--date`` (it wins: asking "what would these rules say?" is a legitimate question), else
from the input file's ``date``, else it is today's date: the result then rests on an assumption, which
:meth:`VersionChoice.notice` says in words. Pure: the caller passes ``today`` (only the CLI reads the clock).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from saylau.rules.types import Preset, PresetVersion

__all__ = ["DateSource", "VersionChoice", "choose_version"]

DateSource = Literal["--date", "file", "today"]


@dataclass(frozen=True, slots=True)
class VersionChoice:
    """The version applied, the day it was chosen for, where that day came from, and the file's own date."""

    preset: str
    version: PresetVersion
    date: dt.date
    source: DateSource
    file_date: dt.date | None

    @property
    def assumed(self) -> bool:
        """True when no date was given and today's version was applied to the data."""
        return self.source == "today"

    def version_text(self) -> str:
        v = self.version
        return f"version {v.id} of {self.preset} (in force {v.date_range()})"

    def notice(self) -> str | None:
        """The sentence to put first in the output when the version rests on an assumption or an override."""
        if self.source == "today":
            return (
                f"No date of the vote given (--date, or a date column in the file): applied the rules in force "
                f"today, {self.date.isoformat()}: {self.version_text()}. For a past vote, give its date."
            )
        if self.source == "--date" and self.file_date is not None and self.file_date != self.date:
            return (
                f"--date {self.date.isoformat()} overrides the file's date {self.file_date.isoformat()}: "
                f"{self.version_text()} was applied."
            )
        return None

    def plain(self) -> dict[str, Any]:
        """The JSON form (`applied_version` in `saylau referendum outcome --json`)."""
        v = self.version
        return {
            "id": v.id,
            "valid_from": v.valid_from.isoformat(),
            "valid_to": v.valid_to.isoformat() if v.valid_to else None,
            "date": self.date.isoformat(),
            "date_source": self.source,
            "assumed": self.assumed,
            "file_date": self.file_date.isoformat() if self.file_date else None,
            "notice": self.notice(),
        }


def choose_version(preset: Preset, option: dt.date | None, file_date: dt.date | None, today: dt.date) -> VersionChoice:
    """The version in force on ``option`` (--date), else on the file's date, else on ``today``.

    Raises NotFound (code ``no_version_on_date``) when the preset has no version in force on that day.
    """
    source: DateSource
    if option is not None:
        day, source = option, "--date"
    elif file_date is not None:
        day, source = file_date, "file"
    else:
        day, source = today, "today"
    return VersionChoice(preset.name, preset.version_on(day), day, source, file_date)
