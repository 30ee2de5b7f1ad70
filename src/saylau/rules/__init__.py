"""Legal rules as data and their pure evaluation: presets per country, versions by date, settings.

``load_preset`` / ``list_presets`` find presets; ``choose_version`` picks the version for a vote's day;
``PresetVersion.resolve_settings`` and
``protocol_schema`` configure one; ``decide`` gives a question's outcome, ``outcome_json`` its JSON
form; ``decide_party_list`` and ``decide_district`` decide election contests (spec/contests.md §4).
"""

from saylau.model.numbers import decimal_str, number_str, percent
from saylau.rules.dating import VersionChoice, choose_version
from saylau.rules.decide import Check, decide, describe, evaluate
from saylau.rules.districts import decide_district
from saylau.rules.election_types import ContestMismatch, DistrictDef, PartyListDef
from saylau.rules.elections import decide_party_list, list_seats, seat_rules
from saylau.rules.outcome_json import outcome_json
from saylau.rules.presets import list_presets, load_preset, parse_preset_text, preset_names
from saylau.rules.types import (
    Condition,
    Preset,
    PresetVersion,
    ProtocolDef,
    ProtocolRelation,
    SettingDef,
    SettingRef,
    Settings,
    Source,
)

__all__ = [
    "Check",
    "Condition",
    "ContestMismatch",
    "DistrictDef",
    "PartyListDef",
    "Preset",
    "PresetVersion",
    "ProtocolDef",
    "ProtocolRelation",
    "SettingDef",
    "SettingRef",
    "Settings",
    "Source",
    "VersionChoice",
    "choose_version",
    "decide",
    "decide_district",
    "decide_party_list",
    "decimal_str",
    "describe",
    "evaluate",
    "list_presets",
    "list_seats",
    "load_preset",
    "number_str",
    "outcome_json",
    "parse_preset_text",
    "percent",
    "preset_names",
    "seat_rules",
]
