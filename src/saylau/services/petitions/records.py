"""A petition's stored records to the core's values and back (spec/petitions.md §10): the definition, a
signature's record (paper line or online statement), and the register's versions as dated histories."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from enum import Enum
from fractions import Fraction
from typing import Any, cast

from saylau.crypto.signatures import SignatureAlgorithm
from saylau.petitions import (
    FullCheck,
    OnlineSignature,
    PaperSignature,
    Petition,
    RandomSample,
    Registrant,
    Residence,
    Sequential,
    Signature,
    SignatureId,
    Statement,
    Status,
    VerificationRule,
    load_petition_preset,
    petition_from_preset,
)
from saylau.petitions.presets import PresetVersion
from saylau.store.petition_repo import PetitionRow, RegisterVersionRow, SignatureRow

__all__ = ["petition_of", "plain", "preset_version", "registrants", "rule_named", "signature_of"]


def rule_named(preset: str, opens: dt.date, kind: str | None) -> VerificationRule:
    """The preset version's rule (``kind`` None) or the option of that kind."""
    v = load_petition_preset(preset).at(opens)
    if kind is None or kind == v.rule.kind:
        return v.rule
    for option in v.options:
        if option.kind == kind:
            return option
    defaults: dict[str, VerificationRule] = {
        "full": FullCheck(),
        "random_sample": RandomSample(),
        "sequential": Sequential(),
    }
    return defaults.get(kind, v.rule)


def preset_version(row: PetitionRow) -> PresetVersion:
    d = row.definition
    return load_petition_preset(d["preset"]).at(dt.date.fromisoformat(d["opens"]))


def petition_of(row: PetitionRow) -> Petition:
    """The petition as created: its preset's version on the opening day, the count (if given), the rule."""
    d = row.definition
    opens = dt.date.fromisoformat(d["opens"])
    return petition_from_preset(
        load_petition_preset(d["preset"]),
        code=row.code,
        scope=d["scope"],
        opens=opens,
        closes=dt.date.fromisoformat(d["closes"]),
        count=d.get("count"),
        rule=rule_named(d["preset"], opens, d.get("rule")),
    )


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def signature_of(row: SignatureRow) -> Signature:
    rec = row.record
    if row.channel == "paper":
        return PaperSignature(
            id=SignatureId(row.signature),
            sheet=rec["sheet"],
            collector=rec["collector"],
            line=rec["line"],
            identifier=rec["identifier"],
            name=rec["name"],
            birth_date=_day(rec["birth_date"]),
            signed_on=_day(rec["signed_on"]),
            illegible=rec["illegible"],
            seq=row.seq,
        )
    st = rec["statement"]
    statement = Statement(
        st["petition"], st["identifier"], st["name"], dt.date.fromisoformat(st["birth_date"]),
        dt.date.fromisoformat(st["signed_on"]),
    )  # fmt: skip
    return OnlineSignature(
        id=SignatureId(row.signature),
        statement=statement,
        algorithm=cast(SignatureAlgorithm, rec["algorithm"]),
        public_key=bytes.fromhex(rec["public_key"]),
        signature=bytes.fromhex(rec["signature"]),
        received_on=dt.date.fromisoformat(rec["received_on"]),
        seq=row.seq,
    )


def registrants(rows: Iterable[RegisterVersionRow]) -> Iterator[Registrant]:
    """Each person's versions (in order) as dated residences: a version holds from the day it was recorded to
    the day before the next one (two on one day: the later holds). The name key and birth date are the
    latest version's."""
    person: list[RegisterVersionRow] = []
    for row in rows:
        if person and person[0].identifier != row.identifier:
            yield _registrant(person)
            person = []
        person.append(row)
    if person:
        yield _registrant(person)


def _registrant(versions: list[RegisterVersionRow]) -> Registrant:
    history: list[Residence] = []
    for i, v in enumerate(versions):
        since = v.valid_from.date()
        following = versions[i + 1].valid_from.date() if i + 1 < len(versions) else None
        if following is not None and following <= since:
            continue  # superseded the same day
        until = None if following is None else following - dt.timedelta(days=1)
        history.append(Residence(v.precinct, Status(v.status), since, until))
    last = versions[-1]
    return Registrant(last.identifier, last.name_key, last.birth_date, tuple(history))


def plain(value: Any) -> Any:
    """A value as canonical JSON takes it: fractions as "p/q" strings, dates ISO, enums their value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value
