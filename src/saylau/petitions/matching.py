"""Matching signatures to the register (spec/petitions.md §4), one verdict and one reason per signature.

The checks, in order (the first that fails gives the verdict):

1. ``illegible``: a paper line marked illegible, without a date, or with neither identifier nor birth date;
2. ``online_signature_invalid``: the statement is for another petition, dated more than a day from its
   receipt, or its signature does not verify (Ed25519 or ECDSA P-256);
3. ``before_opening`` / ``after_deadline``: the day signed (paper: the date on the line; online: the day the
   server received it) outside ``[opens, closes]``;
4. ``withdrawn``: a withdrawal made on or before the closing day (a later one is too late and is ignored);
5. ``not_in_register``: no person with the identifier (and the same birth date), nor exactly one person
   with the name key and birth date;
6. ``not_eligible_at_date``: on the day signed, not on the register, a status other than active, or
   younger than the petition's minimum age;
7. ``not_in_scope``: on the day signed, registered at a precinct outside the petition's scope (a signer who
   moved out of the district before signing);
8. ``duplicate``: the same person already counted: among the signatures that passed 1-7, within a channel
   and across paper and online, the first by (day signed, intake order) is ``matched``, the rest duplicates.

The register and the name key are parameters (the register context owns both): ``name_key`` maps a written
name to the key the register stores (transliteration, case, diacritics); the scope is the set of precinct
codes under the petition's unit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol, assert_never

from saylau.petitions.codes import PetitionsCode
from saylau.petitions.errors import PetitionError
from saylau.petitions.model import (
    OnlineSignature,
    PaperSignature,
    Petition,
    Registrant,
    Signature,
    SignatureId,
    Status,
    Withdrawal,
)
from saylau.petitions.online import check_online

__all__ = ["InMemoryRegister", "Match", "MatchStatus", "Matching", "Register", "match_signatures"]


class MatchStatus(StrEnum):
    MATCHED = "matched"
    NOT_IN_REGISTER = "not_in_register"
    NOT_IN_SCOPE = "not_in_scope"
    NOT_ELIGIBLE_AT_DATE = "not_eligible_at_date"
    DUPLICATE = "duplicate"
    WITHDRAWN = "withdrawn"
    ILLEGIBLE = "illegible"
    BEFORE_OPENING = "before_opening"
    AFTER_DEADLINE = "after_deadline"
    ONLINE_SIGNATURE_INVALID = "online_signature_invalid"


class Register(Protocol):
    """The register as the matching reads it."""

    def by_identifier(self, identifier: str) -> Registrant | None: ...

    def by_name(self, name_key: str, birth_date: date) -> Sequence[Registrant]: ...


class InMemoryRegister:
    """A register held in two dicts: by identifier, and by (name key, birth date)."""

    __slots__ = ("_by_id", "_by_name")

    def __init__(self, persons: Iterable[Registrant]):
        self._by_id: dict[str, Registrant] = {}
        self._by_name: dict[tuple[str, date], list[Registrant]] = {}
        for p in persons:
            if p.identifier in self._by_id:
                raise PetitionError(
                    f"the register lists identifier {p.identifier[:32]!r} twice",
                    code=PetitionsCode.PETITION_DUPLICATE_ID,
                    details={"identifier": p.identifier[:32]},
                )
            self._by_id[p.identifier] = p
            self._by_name.setdefault((p.name_key, p.birth_date), []).append(p)

    def __len__(self) -> int:
        return len(self._by_id)

    def by_identifier(self, identifier: str) -> Registrant | None:
        return self._by_id.get(identifier)

    def by_name(self, name_key: str, birth_date: date) -> Sequence[Registrant]:
        return self._by_name.get((name_key, birth_date), ())


@dataclass(frozen=True, slots=True)
class Match:
    """One signature's verdict: the status, the reason in words, the person (their identifier) when found,
    and for a duplicate the signature that counts instead."""

    signature: SignatureId
    status: MatchStatus
    reason: str
    person: str | None = None
    counted: SignatureId | None = None


@dataclass(frozen=True, slots=True)
class Matching:
    """All verdicts, in the order of the signatures given, and the count per status."""

    matches: tuple[Match, ...]

    @property
    def counts(self) -> Mapping[MatchStatus, int]:
        c = Counter(m.status for m in self.matches)
        return {s: c.get(s, 0) for s in MatchStatus}

    @property
    def valid(self) -> int:
        return sum(1 for m in self.matches if m.status is MatchStatus.MATCHED)


_MATCHED_BY_ID = "identifier and birth date match the register"
_MATCHED_BY_NAME = "name and birth date match one person on the register"


def match_signatures(
    petition: Petition,
    signatures: Sequence[Signature],
    withdrawals: Iterable[Withdrawal],
    register: Register,
    name_key: Callable[[str], str],
    scope_precincts: Collection[str],
) -> Matching:
    """Each signature's verdict (the module's steps 1-8)."""
    withdrawn = _withdrawals(withdrawals, signatures)
    found: list[Match | tuple[Signature, Registrant, date]] = []
    for s in signatures:
        found.append(_check(petition, s, withdrawn, register, name_key, scope_precincts))
    return Matching(_duplicates(found))


def _withdrawals(withdrawals: Iterable[Withdrawal], signatures: Sequence[Signature]) -> dict[SignatureId, date]:
    out: dict[SignatureId, date] = {}
    for w in withdrawals:
        if w.signature in out:
            raise PetitionError(
                f"signature {w.signature!r} withdrawn twice",
                code=PetitionsCode.PETITION_DUPLICATE_ID,
                details={"signature": w.signature},
            )
        out[w.signature] = w.withdrawn_on
    ids = {s.id for s in signatures}
    if len(ids) != len(signatures):
        raise PetitionError("two signatures with one id", code=PetitionsCode.PETITION_DUPLICATE_ID)
    unknown = sorted(set(out) - ids)
    if unknown:
        raise PetitionError(
            f"withdrawals of signatures that were not given: {unknown[:5]}",
            code=PetitionsCode.PETITION_BAD_SIGNATURE,
            details={"unknown": unknown[:20]},
        )
    return out


def _check(
    petition: Petition,
    s: Signature,
    withdrawn: Mapping[SignatureId, date],
    register: Register,
    name_key: Callable[[str], str],
    scope: Collection[str],
) -> Match | tuple[Signature, Registrant, date]:
    """Steps 1-7: a final Match, or (signature, person, day) for the duplicate step."""
    day_or_match = _day(petition, s)
    if isinstance(day_or_match, Match):
        return day_or_match
    day = day_or_match
    w = withdrawn.get(s.id)
    if w is not None and w <= petition.closes:
        return Match(s.id, MatchStatus.WITHDRAWN, f"withdrawn on {w}, before the deadline {petition.closes}")
    identifier, name, birth = _who(s)
    person_or_match = _find(s.id, identifier, name, birth, register, name_key)
    if isinstance(person_or_match, Match):
        return person_or_match
    person = person_or_match
    return _eligible(petition, s.id, person, day, scope) or (s, person, day)


def _day(petition: Petition, s: Signature) -> date | Match:
    """The day signed, once steps 1-3 pass."""
    match s:
        case PaperSignature():
            if s.illegible:
                return Match(s.id, MatchStatus.ILLEGIBLE, f"sheet {s.sheet} line {s.line} marked illegible")
            if s.signed_on is None:
                return Match(s.id, MatchStatus.ILLEGIBLE, f"sheet {s.sheet} line {s.line} has no date")
            if s.identifier is None and s.birth_date is None:
                why = f"sheet {s.sheet} line {s.line} has neither identifier nor birth date"
                return Match(s.id, MatchStatus.ILLEGIBLE, why)
            day = s.signed_on
        case OnlineSignature():
            gap = s.received_on - s.statement.signed_on
            if not timedelta(0) <= gap <= timedelta(days=1):
                why = f"the statement is dated {s.statement.signed_on}, received {s.received_on}"
                return Match(s.id, MatchStatus.ONLINE_SIGNATURE_INVALID, why)
            bad = check_online(s, petition.code)
            if bad is not None:
                return Match(s.id, MatchStatus.ONLINE_SIGNATURE_INVALID, bad)
            day = s.received_on
        case _:
            assert_never(s)
    if day < petition.opens:
        return Match(s.id, MatchStatus.BEFORE_OPENING, f"signed {day}, before the petition opened {petition.opens}")
    if day > petition.closes:
        return Match(s.id, MatchStatus.AFTER_DEADLINE, f"signed {day}, after the deadline {petition.closes}")
    return day


def _who(s: Signature) -> tuple[str | None, str, date | None]:
    if isinstance(s, PaperSignature):
        return s.identifier, s.name, s.birth_date
    return s.statement.identifier, s.statement.name, s.statement.birth_date


def _find(
    sid: SignatureId,
    identifier: str | None,
    name: str,
    birth: date | None,
    register: Register,
    name_key: Callable[[str], str],
) -> Registrant | Match:
    """Step 5: exact on the identifier, else on the name key and birth date (exactly one person)."""
    if identifier:
        person = register.by_identifier(identifier)
        if person is not None and (birth is None or person.birth_date == birth):
            return person
        if person is not None:
            why = f"identifier on the register with birth date {person.birth_date}, the signature says {birth}"
            return Match(sid, MatchStatus.NOT_IN_REGISTER, why, person.identifier)
    if birth is None:
        return Match(sid, MatchStatus.NOT_IN_REGISTER, "identifier not on the register and no birth date")
    candidates = register.by_name(name_key(name), birth)
    if len(candidates) == 1:
        return candidates[0]
    what = "no person" if not candidates else f"{len(candidates)} persons"
    prefix = "identifier not on the register; " if identifier else ""
    return Match(sid, MatchStatus.NOT_IN_REGISTER, f"{prefix}{what} with this name and birth date {birth}")


def _eligible(
    petition: Petition, sid: SignatureId, person: Registrant, day: date, scope: Collection[str]
) -> Match | None:
    """Steps 6 and 7 on the day signed."""
    pid = person.identifier
    at = person.at(day)
    if at is None:
        return Match(sid, MatchStatus.NOT_ELIGIBLE_AT_DATE, f"not on the register on {day}", pid)
    if at.status is not Status.ACTIVE:
        return Match(sid, MatchStatus.NOT_ELIGIBLE_AT_DATE, f"status {at.status.value} on {day}", pid)
    if _age(person.birth_date, day) < petition.min_age:
        why = f"under {petition.min_age} on {day} (born {person.birth_date})"
        return Match(sid, MatchStatus.NOT_ELIGIBLE_AT_DATE, why, pid)
    if at.precinct not in scope:
        why = f"registered at precinct {at.precinct} on {day}, outside {petition.scope}"
        return Match(sid, MatchStatus.NOT_IN_SCOPE, why, pid)
    return None


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _duplicates(found: list[Match | tuple[Signature, Registrant, date]]) -> tuple[Match, ...]:
    """Step 8: per person, the first by (day, intake order) is matched, the others duplicates of it."""
    first: dict[str, tuple[date, int, SignatureId]] = {}
    for item in found:
        if not isinstance(item, Match):
            s, person, day = item
            key = (day, s.seq, s.id)
            best = first.get(person.identifier)
            if best is None or key < best:
                first[person.identifier] = key
    out: list[Match] = []
    for item in found:
        if isinstance(item, Match):
            out.append(item)
            continue
        s, person, day = item
        day0, _, counted = first[person.identifier]
        if counted == s.id:
            how = _MATCHED_BY_ID if _who(s)[0] == person.identifier else _MATCHED_BY_NAME
            out.append(Match(s.id, MatchStatus.MATCHED, how, person.identifier))
        else:
            why = f"the same person as signature {counted} (signed {day0}), which counts"
            out.append(Match(s.id, MatchStatus.DUPLICATE, why, person.identifier, counted))
    return tuple(out)
