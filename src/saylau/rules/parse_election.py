"""Parse the election sections of a preset version (``party_list``, ``district``; spec/presets.md).

A value may be literal or ``{ setting = "NAME" }``; a referenced setting must exist in the version and
every value it allows must be valid at that key (a threshold setting allows shares such as "5%").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Literal, TypeVar

from saylau.model.errors import SaylauError
from saylau.rules.election_types import (
    AGAINST_ALL_RULES,
    DISTRICT_TIES,
    AgainstAllRule,
    DistrictDef,
    DistrictTie,
    PartyListDef,
    SettingRef,
)
from saylau.rules.reader import Node
from saylau.rules.types import SettingDef
from saylau.seats import Method, parse_share
from saylau.seats.types import OverflowMode, ThresholdBase, TieBreakMode

__all__ = ["district_section", "party_list_section", "share_value"]

T = TypeVar("T")
_BASES: tuple[ThresholdBase, ...] = ("all", "parties")
_TIE_BREAKS: tuple[TieBreakMode, ...] = ("order", "lot")
_RULES: tuple[Literal["plurality"], ...] = ("plurality",)
_OVERFLOWS: tuple[OverflowMode, ...] = ("take_back", "error")


def share_value(text: str) -> Fraction | None:
    """A threshold written "5%" or "1/20" as an exact fraction; None if it is not one."""
    try:
        return parse_share(text)
    except SaylauError:
        return None


def _method(text: str) -> Method | None:
    return next((m for m in Method if m.value == text), None)


def _among(allowed: tuple[T, ...]) -> Callable[[str], T | None]:
    def pick(text: str) -> T | None:
        return next((a for a in allowed if a == text), None)

    return pick


def _value_or_ref(
    node: Node, key: str, known: Mapping[str, SettingDef], convert: Callable[[str], T | None], what: str
) -> T | SettingRef | None:
    """``key`` as a literal string (converted) or a setting reference; None when absent or wrong."""
    value = node.raw(key)
    if value is None:
        return None
    path = node.sub(key)
    if isinstance(value, dict):
        ref = Node(value, path, node.sink)
        name = ref.text("setting")
        ref.close()
        sdef = known.get(name)
        if sdef is None:
            node.sink.add(ref.sub("setting"), "unknown_setting", f"no setting {name!r} in this version")
            return None
        bad = [v for v in sdef.allowed if convert(v) is None]
        if bad:
            node.sink.add(ref.sub("setting"), "setting_values", f"values {bad} of {name} are not {what}")
            return None
        return SettingRef(name)
    converted = convert(value) if isinstance(value, str) else None
    if converted is None:
        node.sink.add(path, "choice", f"{value!r} is not {what}")
    return converted


def _flag(node: Node, key: str) -> bool:
    value = node.raw(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        node.sink.add(node.sub(key), "type", f"expected true or false, found {type(value).__name__}")
        return False
    return value


def _seats(node: Node) -> int | None:
    value = node.raw("seats")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        node.sink.add(node.sub("seats"), "seats", f"{value!r} is not a whole number of seats > 0")
        return None
    return value


def party_list_section(node: Node, known: Mapping[str, SettingDef]) -> PartyListDef:
    methods = ", ".join(m.value for m in Method)
    method = _value_or_ref(node, "method", known, _method, f"a seat method ({methods})")
    if method is None and not node.has("method"):
        node.sink.add(node.sub("method"), "missing_key", "required key 'method' is missing")
    first = node.fraction("first_divisor", required=False)
    if first is not None and first <= 0:
        node.sink.add(node.sub("first_divisor"), "first_divisor", "the first divisor must be positive")
    return PartyListDef(
        source=node.text("source"),
        method=method or Method.HARE,
        seats=_seats(node),
        threshold=_value_or_ref(node, "threshold", known, share_value, 'a share ("5%" or "1/20")'),
        threshold_base=_value_or_ref(node, "threshold_base", known, _among(_BASES), "all or parties") or "all",
        threshold_strict=_flag(node, "threshold_strict"),
        tie_break=_value_or_ref(node, "tie_break", known, _among(_TIE_BREAKS), "order or lot") or "order",
        quota_overflow=node.choice("quota_overflow", _OVERFLOWS, "take_back") or "take_back",
        droop_exact=_flag(node, "droop_exact"),
        first_divisor=first if first is not None and first > 0 else Fraction(7, 5),
    )


def district_section(node: Node, known: Mapping[str, SettingDef]) -> DistrictDef:
    rule = node.choice("rule", _RULES)
    against: AgainstAllRule | SettingRef | None = _value_or_ref(
        node, "against_all_wins", known, _among(AGAINST_ALL_RULES), " or ".join(AGAINST_ALL_RULES)
    )
    tie: DistrictTie | SettingRef | None = _value_or_ref(
        node, "tie", known, _among(DISTRICT_TIES), ", ".join(DISTRICT_TIES)
    )
    return DistrictDef(
        source=node.text("source"),
        rule=rule or "plurality",
        against_all_wins="no_winner" if against is None else against,
        tie="repeat" if tie is None else tie,
    )
