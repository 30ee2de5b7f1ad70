"""The stable error codes of the legal rules: presets, versions, contests (spec/formats.md §15)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["RulesCode"]


class RulesCode(StrEnum):
    """Codes raised by saylau.rules."""

    CONTEST_KIND_MISMATCH = "contest_kind_mismatch"  # a preset asked to decide a contest of a kind it does not cover
    NO_SEATS = "no_seats"  # an election contest without seats, and its preset gives no default
    OPTION_FIELDS = "option_fields"  # option codes not unique, empty, or clashing with a ballot field
    NO_VERSION_ON_DATE = "no_version_on_date"  # the preset has no version in force on the event's date
    PRESET_FILE_NOT_FOUND = "preset_file_not_found"  # a preset file that cannot be read
    UNKNOWN_PRESET = "unknown_preset"  # no preset of that name; details list the known ones
