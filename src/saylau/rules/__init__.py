"""Legal rules as data and their pure evaluation: presets per country, versions by date, settings.

``load_preset`` / ``list_presets`` find presets; ``PresetVersion.resolve_settings`` and
``protocol_schema`` configure one; ``decide`` gives the outcome; ``outcome_json`` its JSON form.
"""

from saylau.model.numbers import decimal_str, number_str, percent
from saylau.rules.decide import Check, decide, describe, evaluate
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
    "Preset",
    "PresetVersion",
    "ProtocolDef",
    "ProtocolRelation",
    "SettingDef",
    "SettingRef",
    "Settings",
    "Source",
    "decide",
    "decimal_str",
    "describe",
    "evaluate",
    "list_presets",
    "load_preset",
    "number_str",
    "outcome_json",
    "parse_preset_text",
    "percent",
    "preset_names",
]
