"""Build :class:`Preset` values from parsed TOML/JSON documents (schema in spec/presets.md).

Pure: takes the already-decoded document (a dict), a source name for messages, and the shared protocol
definitions; returns the preset or raises one InputError listing every problem with its key path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any, Literal, TypeVar

from saylau.model.errors import InputError
from saylau.model.protocol import STANDARD_FIELDS, FieldDef, Relation
from saylau.rules.parse_election import district_section, party_list_section
from saylau.rules.reader import Node, Sink
from saylau.rules.types import (
    KINDS,
    OPS,
    OPTIONS_PLACEHOLDER,
    QUANTITIES,
    ROUNDINGS,
    Condition,
    Kind,
    Preset,
    PresetVersion,
    ProtocolDef,
    ProtocolRelation,
    Quantity,
    Rounding,
    Scope,
    SettingDef,
    SettingRef,
    Source,
)

__all__ = ["parse_preset", "parse_protocols"]

T = TypeVar("T")
_REL_OPS: tuple[Literal["==", "<=", ">="], ...] = ("==", "<=", ">=")
_SCOPES: tuple[Scope, ...] = ("national", "units")
# Placeholders used only when a problem has already been recorded (the InputError is then raised).
_EPOCH = dt.date(1, 1, 1)
_HALF = Fraction(1, 2)
_EMPTY_PROTOCOL = ProtocolDef(name="none", fields=(), relations=())


def parse_protocols(doc: Mapping[str, Any], source: str) -> dict[str, ProtocolDef]:
    """A document whose top-level keys name shared protocol definitions."""
    sink = Sink(source)
    out: dict[str, ProtocolDef] = {}
    for name, value in doc.items():
        node = Node.of(value, name, sink)
        if node is not None:
            out[name] = _protocol(node, name)
            node.close()
    _raise(sink, source)
    return out


def parse_preset(doc: Mapping[str, Any], source: str, protocols: Mapping[str, ProtocolDef]) -> Preset:
    sink = Sink(source)
    top = Node(dict(doc), "", sink)
    name = top.text("name")
    title = top.text("title")
    kind = top.choice("kind", KINDS, "referendum") or "referendum"
    description = top.text("description")
    versions = top.each("versions", lambda n: _version(n, protocols, kind), required=True)
    top.close()
    if not versions and not sink.problems:
        sink.add("versions", "empty", "a preset needs at least one version")
    _check_ranges(versions, sink)
    _raise(sink, source)
    versions = tuple(dataclasses.replace(v, preset=name, kind=kind) for v in versions)
    return Preset(name=name, title=title, kind=kind, description=description, versions=versions)


def _raise(sink: Sink, source: str) -> None:
    if sink.problems:
        raise InputError(sink.problems, summary=f"preset file {source} refused")


def _check_ranges(versions: tuple[PresetVersion, ...], sink: Sink) -> None:
    ids = [v.id for v in versions]
    if len(set(ids)) != len(ids):
        sink.add("versions", "unique_id", f"version ids must be unique: {ids}")
    ordered = sorted(versions, key=lambda v: v.valid_from)
    for i, v in enumerate(ordered):
        if v.valid_to is not None and v.valid_to < v.valid_from:
            sink.add(f"versions[{v.id}].valid_to", "date_range", "valid_to is before valid_from")
        if i + 1 < len(ordered) and (v.valid_to is None or v.valid_to >= ordered[i + 1].valid_from):
            sink.add(f"versions[{v.id}]", "overlap", f"version {v.id} overlaps {ordered[i + 1].id}")


def _version(node: Node, protocols: Mapping[str, ProtocolDef], kind: Kind) -> PresetVersion | None:
    vid = node.text("id")
    protocol = _protocol_ref(node, protocols, kind)
    own = node.each("settings", _setting)
    settings = own + (protocol.settings if protocol else ())
    names = [s.name for s in settings]
    if len(set(names)) != len(names):
        node.sink.add(node.sub("settings"), "unique_setting", f"setting names repeat: {names}")
    known = {s.name: s for s in settings}
    election = kind == "election"
    version = PresetVersion(
        id=vid,
        label=node.text("label", vid),
        valid_from=node.date("valid_from") or _EPOCH,
        valid_to=node.date("valid_to", required=False),
        sources=node.each("sources", _source, required=True),
        validity=node.each("validity", lambda n: _condition(n, known)),
        approval=node.each("approval", lambda n: _condition(n, known), required=not election),
        approval_mode=node.choice("approval_mode", ("all", "reject_if_all"), "all") or "all",
        settings=settings,
        protocol=protocol or _EMPTY_PROTOCOL,
        yes_share_base=_quantity_or_ref(node, "yes_share_base", known, required=False),
        notes=node.text("notes", ""),
        party_list=_section(node, "party_list", election, lambda n: party_list_section(n, known)),
        district=_section(node, "district", election, lambda n: district_section(n, known)),
    )
    if election:
        _check_election(node, version)
    return version


def _section(node: Node, key: str, election: bool, build: Callable[[Node], T]) -> T | None:
    """An election section: an error in a referendum preset; parsed (and closed) in an election one."""
    value = node.raw(key)
    if value is None:
        return None
    if not election:
        node.sink.add(node.sub(key), "election_only", f"{key!r} belongs to election presets (kind = 'election')")
        return None
    sub = Node.of(value, node.sub(key), node.sink)
    if sub is None:
        return None
    built = build(sub)
    sub.close()
    return built


def _check_election(node: Node, version: PresetVersion) -> None:
    """An election is decided by its sections: no turnout or approval conditions (kazakhstan.md §3)."""
    for key in ("validity", "approval", "approval_mode", "yes_share_base"):
        if node.has(key):
            node.sink.add(node.sub(key), "election_conditions", f"{key!r} is for referendums; an election has none")
    if version.party_list is None and version.district is None:
        node.sink.add(node.path, "election_sections", "an election version needs 'party_list' or 'district'")


def _protocol_ref(node: Node, protocols: Mapping[str, ProtocolDef], kind: Kind) -> ProtocolDef | None:
    value = node.raw("protocol")
    if value is None:
        value = "election" if kind == "election" else "standard"
    if isinstance(value, str):
        found = protocols.get(value)
        if found is None:
            known = ", ".join(sorted(protocols)) or "none"
            node.sink.add(node.sub("protocol"), "unknown_protocol", f"no shared protocol {value!r}; known: {known}")
    else:
        sub = Node.of(value, node.sub("protocol"), node.sink)
        if sub is None:
            return None
        found = _protocol(sub, "inline")
        sub.close()
    if found is not None and found.kind != kind:
        msg = f"protocol {found.name!r} is for {found.kind} presets, this preset is a {kind} preset"
        node.sink.add(node.sub("protocol"), "protocol_kind", msg)
    return found


_REQUIRED_FIELDS: Mapping[Kind, tuple[str, ...]] = {
    "referendum": ("registered", "participated", "yes", "no"),
    "election": ("registered", "participated", "invalid"),  # the contest adds its option fields
}


def _protocol(node: Node, name: str) -> ProtocolDef:
    kind = node.choice("kind", KINDS, "referendum") or "referendum"
    fields = node.each("fields", _field, required=True)
    names = {f.name for f in fields}
    missing = [f for f in _REQUIRED_FIELDS[kind] if f not in names]
    if missing:
        node.sink.add(node.sub("fields"), "required_fields", f"the protocol lacks fields {missing}")
    usable = names | {OPTIONS_PLACEHOLDER} if kind == "election" else names
    relations = node.each("relations", lambda n: _relation(n, usable))
    settings = node.each("settings", _setting)
    node.text("title", "")
    known = {s.name: s for s in settings}
    for i, rel in enumerate(relations):
        _check_when(node, f"relations[{i}]", rel.when, known)
    return ProtocolDef(name=name, fields=fields, relations=relations, settings=settings, kind=kind)


def _field(node: Node) -> FieldDef:
    name = node.text("name")
    labels = node.string_table("labels")
    if name and name not in STANDARD_FIELDS and not name.isidentifier():
        node.sink.add(node.sub("name"), "field_name", f"{name!r} is not a valid field name")
    return FieldDef(name=name, labels=dict(labels))


def _relation(node: Node, fields: set[str]) -> ProtocolRelation:
    left, right = node.strings("left"), node.strings("right")
    for key, side in (("left", left), ("right", right)):
        unknown = [f for f in side if f not in fields]
        if unknown:
            node.sink.add(node.sub(key), "unknown_field", f"fields {unknown} are not in the protocol")
    relation = Relation(
        name=node.text("name"),
        left=left,
        op=node.choice("op", _REL_OPS) or "==",
        right=right,
        source=node.text("source"),
    )
    return ProtocolRelation(relation=relation, when=node.string_table("when"))


def _setting(node: Node) -> SettingDef | None:
    name = node.text("name")
    allowed = node.strings("allowed")
    default = node.text("default")
    if allowed and default not in allowed:
        node.sink.add(node.sub("default"), "setting_default", f"default {default!r} is not in {list(allowed)}")
    return SettingDef(
        name=name, description=node.text("description"), allowed=allowed, default=default, why=node.text("why")
    )


def _source(node: Node) -> Source:
    url = node.text("url", "")
    return Source(cite=node.text("cite"), url=url or None)


def _condition(node: Node, known: Mapping[str, SettingDef]) -> Condition | None:
    scope = node.choice("scope", _SCOPES, "national") or "national"
    quota = node.fraction("quota", required=scope == "units")
    if scope == "national" and quota is not None:
        node.sink.add(node.sub("quota"), "quota", "quota applies to scope = 'units' only")
    num = node.choice("num", QUANTITIES)
    den = _quantity_or_ref(node, "den", known, required=True)
    rounding = _rounding(node, known)
    when = node.string_table("when")
    _check_when(node, "when", when, known)
    cond = Condition(
        id=node.text("id"),
        label=node.text("label"),
        scope=scope,
        num=num or "yes",
        den=den or "participants",
        op=node.choice("op", OPS) or ">",
        threshold=node.fraction("threshold") or _HALF,
        source=node.text("source"),
        quota=quota,
        quota_op=node.choice("quota_op", OPS, ">=") or ">=",
        rounding=rounding,
        when=when,
    )
    return cond


def _rounding(node: Node, known: Mapping[str, SettingDef]) -> Rounding | SettingRef:
    value = node.raw("rounding")
    if value is None:
        return "exact"
    if isinstance(value, dict):
        return _ref(node, "rounding", value, known, ROUNDINGS) or "exact"
    for item in ROUNDINGS:
        if value == item:
            return item
    node.sink.add(node.sub("rounding"), "choice", f"{value!r} is not one of {', '.join(ROUNDINGS)}")
    return "exact"


def _quantity_or_ref(
    node: Node, key: str, known: Mapping[str, SettingDef], required: bool
) -> Quantity | SettingRef | None:
    value = node.raw(key)
    if value is None:
        if required:
            node.sink.add(node.sub(key), "missing_key", f"required key {key!r} is missing")
        return None
    if isinstance(value, dict):
        return _ref(node, key, value, known, QUANTITIES)
    for item in QUANTITIES:
        if value == item:
            return item
    node.sink.add(node.sub(key), "choice", f"{value!r} is not one of {', '.join(QUANTITIES)}")
    return None


def _ref(
    node: Node, key: str, value: dict[str, Any], known: Mapping[str, SettingDef], allowed: tuple[str, ...]
) -> SettingRef | None:
    """``{ setting = "name" }``: the setting must exist and each of its values must be allowed here."""
    sub = Node(value, node.sub(key), node.sink)
    name = sub.text("setting")
    sub.close()
    sdef = known.get(name)
    if sdef is None:
        node.sink.add(sub.sub("setting"), "unknown_setting", f"no setting {name!r} in this version")
        return None
    bad = [v for v in sdef.allowed if v not in allowed]
    if bad:
        node.sink.add(sub.sub("setting"), "setting_values", f"values {bad} of {name} are not valid for {key}")
        return None
    return SettingRef(name)


def _check_when(node: Node, key: str, when: tuple[tuple[str, str], ...], known: Mapping[str, SettingDef]) -> None:
    for name, value in when:
        sdef = known.get(name)
        if sdef is None:
            node.sink.add(node.sub(f"{key}.{name}"), "unknown_setting", f"no setting {name!r} in this version")
        elif value not in sdef.allowed:
            msg = f"{value!r} is not an allowed value of {name} ({', '.join(sdef.allowed)})"
            node.sink.add(node.sub(f"{key}.{name}"), "setting_value", msg)
