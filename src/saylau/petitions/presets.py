"""Petition presets as dated data (spec/petitions.md §5): ``saylau/data/petitions/NAME.toml``, each with
versions valid from a date, the threshold, the verification rule (and the other rules a commission may
choose), the minimum age and, for a recall, the days to the recall vote; every setting the law does not fix
is marked ``uncertain`` with its reason.

Reading the package's data files is the only I/O here, as for the rules presets (saylau.rules.presets).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from importlib import resources
from typing import Any, Literal

from saylau.model.strict import exact_fraction
from saylau.petitions.codes import PetitionsCode
from saylau.petitions.errors import PetitionError
from saylau.petitions.model import (
    CountThreshold,
    FullCheck,
    Petition,
    PetitionKind,
    RandomSample,
    Sequential,
    ShareThreshold,
    Threshold,
    VerificationRule,
)

__all__ = [
    "PetitionPreset",
    "PresetVersion",
    "ThresholdSetting",
    "load_petition_preset",
    "parse_petition_preset",
    "petition_from_preset",
    "petition_preset_names",
]


@dataclass(frozen=True, slots=True)
class ThresholdSetting:
    kind: Literal["share", "given"]
    share: Fraction | None
    uncertain: bool
    why: str
    source: str


@dataclass(frozen=True, slots=True)
class PresetVersion:
    id: str
    label: str
    valid_from: date
    valid_to: date | None
    sources: tuple[tuple[str, str], ...]
    min_age: int
    threshold: ThresholdSetting
    rule: VerificationRule
    rule_uncertain: bool
    options: tuple[VerificationRule, ...]
    recall_vote_days: int | None
    recall_vote_uncertain: bool


@dataclass(frozen=True, slots=True)
class PetitionPreset:
    name: str
    title: str
    kind: PetitionKind
    description: str
    versions: tuple[PresetVersion, ...]

    def at(self, day: date) -> PresetVersion:
        """The version in force on ``day``."""
        for v in self.versions:
            if v.valid_from <= day and (v.valid_to is None or day <= v.valid_to):
                return v
        raise PetitionError(
            f"preset {self.name}: no version applies on {day}",
            code=PetitionsCode.PETITION_NO_VERSION,
            details={"preset": self.name, "date": day.isoformat()},
        )


def _root() -> Any:
    return resources.files("saylau").joinpath("data", "petitions")


def petition_preset_names() -> tuple[str, ...]:
    return tuple(sorted(p.name.removesuffix(".toml") for p in _root().iterdir() if p.name.endswith(".toml")))


@functools.cache
def load_petition_preset(name: str) -> PetitionPreset:
    if name not in petition_preset_names():
        raise PetitionError(
            f"no petitions preset {name!r} (known: {', '.join(petition_preset_names())})",
            code=PetitionsCode.PETITION_NO_VERSION,
            details={"preset": name},
        )
    source = f"{name}.toml"
    return parse_petition_preset(_root().joinpath(source).read_text(encoding="utf-8"), source)


class _Reader:
    """Reads one table, refusing unknown keys and wrong types, naming the file and the field."""

    def __init__(self, table: Mapping[str, Any], source: str, path: str):
        self.table, self.source, self.path = table, source, path
        self.seen: set[str] = set()

    def fail(self, key: str, message: str) -> PetitionError:
        where = f"{self.path}.{key}" if self.path else key
        return PetitionError(
            f"{self.source}: field {where!r}: {message}",
            code=PetitionsCode.PETITION_BAD_PRESET,
            details={"file": self.source, "field": where},
        )

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        self.seen.add(key)
        if key not in self.table:
            if default is ...:
                raise self.fail(key, "is required")
            return default
        value = self.table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(key, f"must be {getattr(kind, '__name__', kind)}")
        return value

    def fraction(self, key: str, default: Fraction | None = None) -> Fraction:
        text = self.get(key, str, None)
        if text is None and default is not None:
            return default
        value = exact_fraction(text) if isinstance(text, str) else None
        if value is None:
            raise self.fail(key, 'must be a fraction or decimal as a string ("3/100", "0.03")')
        return value

    def sub(self, key: str) -> _Reader:
        """A required sub-table."""
        return _Reader(self.get(key, dict), self.source, f"{self.path}.{key}".lstrip("."))

    def optional(self, key: str) -> _Reader | None:
        table = self.get(key, dict, None)
        return None if table is None else _Reader(table, self.source, f"{self.path}.{key}".lstrip("."))

    def tables(self, key: str) -> list[_Reader]:
        """An array of tables (empty when absent)."""
        items = self.get(key, list, [])
        if not all(isinstance(x, dict) for x in items):
            raise self.fail(key, "must be an array of tables")
        return [_Reader(x, self.source, f"{self.path}.{key}[{i}]".lstrip(".")) for i, x in enumerate(items)]

    def done(self) -> None:
        extra = sorted(set(self.table) - self.seen)
        if extra:
            raise self.fail(extra[0], "is not a field of this table")


def parse_petition_preset(text: str, source: str) -> PetitionPreset:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PetitionError(f"{source}: invalid TOML: {exc}", code=PetitionsCode.PETITION_BAD_PRESET) from None
    top = _Reader(doc, source, "")
    kind_text = top.get("kind", str)
    if kind_text not in {k.value for k in PetitionKind}:
        raise top.fail("kind", f"one of {[k.value for k in PetitionKind]}")
    parsed = tuple(_version(v) for v in top.tables("versions"))
    if not parsed:
        raise top.fail("versions", "one table or more")
    preset = PetitionPreset(
        top.get("name", str),
        top.get("title", str),
        PetitionKind(kind_text),
        top.get("description", str).strip(),
        parsed,
    )
    top.done()
    return preset


def _version(r: _Reader) -> PresetVersion:
    sources = tuple(_source(t) for t in r.tables("sources"))
    elig = r.sub("eligibility")
    min_age = elig.get("min_age", int)
    elig.get("source", str)
    elig.done()
    threshold = _threshold(r.sub("threshold"))
    ver = r.sub("verification")
    rule = _rule(ver)
    options = tuple(_rule(o) for o in r.tables("options"))
    vote = r.optional("recall_vote")
    days = None if vote is None else vote.get("after_days", int)
    vote_uncertain = False
    if vote is not None:
        vote_uncertain = vote.get("uncertain", bool)
        vote.get("why", str)
        vote.get("source", str, "")
        vote.done()
    valid_to = r.get("valid_to", date, None)
    version = PresetVersion(
        r.get("id", str),
        r.get("label", str),
        r.get("valid_from", date),
        valid_to,
        sources,
        min_age,
        threshold,
        rule,
        ver.get("uncertain", bool, False),
        options,
        days,
        vote_uncertain,
    )
    ver.get("why", str, "")
    ver.done()
    r.done()
    return version


def _source(t: _Reader) -> tuple[str, str]:
    out = (t.get("cite", str), t.get("url", str))
    t.done()
    return out


def _threshold(t: _Reader) -> ThresholdSetting:
    kind = t.get("kind", str)
    if kind not in ("share", "given"):
        raise t.fail("kind", '"share" (of the registered voters) or "given" (a count per petition)')
    share = t.fraction("share") if kind == "share" else None
    if kind == "share" and t.get("as_of", str) != "opening":
        raise t.fail("as_of", '"opening": the register count on the petition\'s opening day')
    setting = ThresholdSetting(kind, share, t.get("uncertain", bool), t.get("why", str), t.get("source", str))
    t.done()
    return setting


def _rule(r: _Reader) -> VerificationRule:
    name = r.get("rule", str)
    r.get("why", str, "")
    r.get("uncertain", bool, False)
    rule: VerificationRule
    if name == "full":
        rule = FullCheck()
    elif name == "random_sample":
        rule = RandomSample(
            r.fraction("share"), r.get("minimum", int), r.fraction("qualify_above"), r.fraction("fail_below")
        )
    elif name == "sequential":
        rule = Sequential(r.fraction("alpha"), r.fraction("beta"), r.fraction("margin"), r.get("max_sample", int))
    else:
        raise r.fail("rule", '"full", "random_sample" or "sequential"')
    r.done()
    return rule


def petition_from_preset(
    preset: PetitionPreset,
    *,
    code: str,
    scope: str,
    opens: date,
    closes: date,
    count: int | None = None,
    rule: VerificationRule | None = None,
) -> Petition:
    """A petition under the preset's version in force on the opening day; ``count`` for a "given" threshold
    (or to replace an uncertain share), ``rule`` one of the version's rule and options."""
    v = preset.at(opens)
    threshold: Threshold
    if count is not None and (v.threshold.kind == "given" or v.threshold.uncertain):
        threshold = CountThreshold(count)
    elif v.threshold.kind == "share" and v.threshold.share is not None and count is None:
        threshold = ShareThreshold(v.threshold.share, opens)
    else:
        raise PetitionError(
            f"preset {preset.name}: the threshold is {v.threshold.kind}"
            + (": give the count" if v.threshold.kind == "given" else ", fixed by law: no count may replace it"),
            code=PetitionsCode.PETITION_BAD_DEFINITION,
            details={"preset": preset.name, "threshold": v.threshold.kind},
        )
    chosen = rule or v.rule
    if chosen != v.rule and chosen not in v.options:
        raise PetitionError(
            f"preset {preset.name}: rule {chosen.kind} is not the preset's rule nor one of its options",
            code=PetitionsCode.PETITION_BAD_DEFINITION,
            details={"preset": preset.name, "rule": chosen.kind},
        )
    return Petition(code, preset.kind, scope, opens, closes, threshold, chosen, v.min_age, f"{preset.name}/{v.id}")
