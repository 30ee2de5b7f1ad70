"""A case as values (spec/disputes.md §4): parties, the act complained of, documents, status as a state machine.

Every change returns a new :class:`Case`; a change the state machine does not allow raises
``bad_case_transition`` naming the status it was asked from and to. Pure: the caller passes the day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal, NewType

from saylau.disputes.codes import DisputesCode
from saylau.disputes.effects import CountEffect
from saylau.disputes.errors import CaseTransitionRefused, DisputeError
from saylau.disputes.kinds import ActKind, Period, Role

__all__ = [
    "OPEN",
    "ActComplained",
    "AuthorityKind",
    "Case",
    "CaseId",
    "CaseStatus",
    "CourtAct",
    "Decision",
    "Document",
    "EventRef",
    "Extension",
    "NormRef",
    "Party",
    "ProtocolRef",
    "Representative",
    "Sitting",
    "StatusChange",
    "UnitRef",
]

CaseId = NewType("CaseId", str)
AuthorityKind = Literal["written_consent", "notarised_power_of_attorney"]
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MAX_TEXT = 20_000
_MAX_ITEMS = 200


class CaseStatus(StrEnum):
    FILED = "filed"
    ADMITTED = "admitted"
    REFUSED = "refused"  # refused as inadmissible
    UNDER_EXAMINATION = "under_examination"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


OPEN = frozenset({CaseStatus.FILED, CaseStatus.ADMITTED, CaseStatus.UNDER_EXAMINATION})
_NEXT: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.FILED: frozenset({CaseStatus.ADMITTED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN}),
    CaseStatus.ADMITTED: frozenset({CaseStatus.UNDER_EXAMINATION, CaseStatus.WITHDRAWN}),
    CaseStatus.UNDER_EXAMINATION: frozenset({CaseStatus.DECIDED, CaseStatus.WITHDRAWN}),
    CaseStatus.REFUSED: frozenset(),
    CaseStatus.DECIDED: frozenset(),
    CaseStatus.WITHDRAWN: frozenset(),
}


def _bad(message: str, **details: object) -> DisputeError:
    return DisputeError(message, code=DisputesCode.BAD_CASE, details=details)


@dataclass(frozen=True, slots=True)
class ProtocolRef:
    """A precinct protocol, by version (a correction is a new version)."""

    event: str
    precinct: str
    version: int
    tag: Literal["protocol"] = "protocol"


@dataclass(frozen=True, slots=True)
class UnitRef:
    event: str
    unit: str
    tag: Literal["unit"] = "unit"


@dataclass(frozen=True, slots=True)
class EventRef:
    event: str
    tag: Literal["event"] = "event"


@dataclass(frozen=True, slots=True)
class NormRef:
    """A named norm: the act (law) and its article, paragraph and subparagraph as the law numbers them."""

    act: str
    article: str
    paragraph: str = ""

    def text(self) -> str:
        para = f" para {self.paragraph}" if self.paragraph else ""
        return f"{self.act}, Art. {self.article}{para}"


Reference = ProtocolRef | UnitRef | EventRef | NormRef


@dataclass(frozen=True, slots=True)
class ActComplained:
    """What the case is against: its kind, the reference, the day of the act (or of the decision)."""

    what: ActKind
    ref: Reference
    on: dt.date
    summary: str = ""

    def __post_init__(self) -> None:
        if len(self.summary) > _MAX_TEXT:
            raise _bad(f"the act's summary is over {_MAX_TEXT} characters", field="summary")


@dataclass(frozen=True, slots=True)
class CourtAct:
    """The court act in the citizen's case (Constitutional Court complaints, Arts. 44-45).

    ``None`` in a field: not established from the file (the condition it decides is "to be established").
    ``in_force`` is the day it entered into force, ``"not_in_force"`` when it has not (an appeal pending).
    """

    court: str
    number: str
    on: dt.date
    in_force: dt.date | Literal["not_in_force"] | None
    citizen_participated: bool | None
    norms_applied: tuple[NormRef, ...] | None
    affects_rights_directly: bool | None


@dataclass(frozen=True, slots=True)
class Document:
    """A document of the case, by its SHA-256 and version (a corrected document is a new version)."""

    name: str
    sha256: str
    version: int
    filed_on: dt.date

    def __post_init__(self) -> None:
        if not _SHA256.fullmatch(self.sha256):
            raise _bad(f"document {self.name!r}: sha256 is not 64 lowercase hex digits", field="sha256")
        if self.version < 1:
            raise _bad(f"document {self.name!r}: version {self.version} is not >= 1", field="version")


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str
    role: Role
    pseudonymised: bool = False  # the public docket shows a pseudonym (per the kind's rules)
    precinct: str | None = None  # a voter's precinct on the register, when known


@dataclass(frozen=True, slots=True)
class Representative:
    name: str
    authority: AuthorityKind
    document: Document


@dataclass(frozen=True, slots=True)
class Sitting:
    on: dt.date
    purpose: Literal["preliminary", "admission", "hearing", "deliberation"]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Extension:
    """An extension of the examination limit, with its grounds (required)."""

    granted_on: dt.date
    period: Period
    grounds: str

    def __post_init__(self) -> None:
        if not self.grounds.strip() or len(self.grounds) > _MAX_TEXT:
            raise _bad(f"an extension states its grounds (1..{_MAX_TEXT} characters)", field="grounds")


@dataclass(frozen=True, slots=True)
class Decision:
    number: str
    on: dt.date
    outcome: Literal["upheld", "partly_upheld", "dismissed"]
    reasons: str
    in_force: dt.date
    effects: tuple[CountEffect, ...] = ()

    def __post_init__(self) -> None:
        if not self.reasons.strip() or len(self.reasons) > _MAX_TEXT:
            raise _bad(f"decision {self.number}: reasons empty or over {_MAX_TEXT} characters", field="reasons")
        if self.in_force < self.on:
            raise _bad(f"decision {self.number}: in force {self.in_force} before it was taken {self.on}")
        if any(e.decision != self.number for e in self.effects):
            raise _bad(f"decision {self.number}: an effect names another decision", field="effects")


@dataclass(frozen=True, slots=True)
class StatusChange:
    on: dt.date
    before: CaseStatus | None
    after: CaseStatus
    reason: str


@dataclass(frozen=True, slots=True)
class Case:
    id: CaseId
    kind: str
    version: str  # the kind's version in force on the filing day
    filed_on: dt.date
    filers: tuple[Party, ...]
    act: ActComplained
    language: str
    form: Literal["written", "electronic"]
    representative: Representative | None = None
    court_act: CourtAct | None = None
    documents: tuple[Document, ...] = ()
    status: CaseStatus = CaseStatus.FILED
    history: tuple[StatusChange, ...] = ()
    sittings: tuple[Sitting, ...] = ()
    extensions: tuple[Extension, ...] = ()
    rapporteurs: tuple[str, ...] = ()
    decision: Decision | None = None

    def __post_init__(self) -> None:
        if not self.filers:
            raise _bad(f"case {self.id}: no filer", field="filers")
        if max(len(self.documents), len(self.sittings), len(self.extensions), len(self.filers)) > _MAX_ITEMS:
            raise _bad(f"case {self.id}: over {_MAX_ITEMS} documents, sittings, extensions or filers")
        if self.act.on > self.filed_on:
            raise _bad(f"case {self.id}: the act ({self.act.on}) is after the filing ({self.filed_on})")
        if not self.history:
            object.__setattr__(self, "history", (StatusChange(self.filed_on, None, CaseStatus.FILED, "filed"),))

    @property
    def open(self) -> bool:
        return self.status in OPEN

    def _to(self, after: CaseStatus, on: dt.date, reason: str, **changes: object) -> Case:
        if after not in _NEXT[self.status]:
            raise CaseTransitionRefused(
                f"case {self.id} is {self.status.value}: it cannot become {after.value}",
                details={"case": self.id, "from": self.status.value, "to": after.value},
            )
        last = self.history[-1].on
        if on < last:
            raise _bad(f"case {self.id}: {on} is before its last change ({last})", field="on")
        change = StatusChange(on, self.status, after, reason)
        return replace(self, status=after, history=(*self.history, change), **changes)  # type: ignore[arg-type]

    def admit(self, on: dt.date, reason: str = "admitted") -> Case:
        return self._to(CaseStatus.ADMITTED, on, reason)

    def refuse(self, on: dt.date, reason: str) -> Case:
        """Refused as inadmissible; ``reason`` names the conditions not met."""
        return self._to(CaseStatus.REFUSED, on, reason)

    def examine(self, on: dt.date, rapporteurs: tuple[str, ...] = ()) -> Case:
        return self._to(CaseStatus.UNDER_EXAMINATION, on, "examination opened", rapporteurs=rapporteurs)

    def decide(self, decision: Decision) -> Case:
        return self._to(CaseStatus.DECIDED, decision.on, f"decision {decision.number}", decision=decision)

    def withdraw(self, on: dt.date, reason: str = "withdrawn by the filer") -> Case:
        return self._to(CaseStatus.WITHDRAWN, on, reason)

    def with_sitting(self, sitting: Sitting) -> Case:
        if not self.open:
            raise CaseTransitionRefused(
                f"case {self.id} is {self.status.value}: no sitting can be added",
                details={"case": self.id, "from": self.status.value, "to": "sitting"},
            )
        return replace(self, sittings=(*self.sittings, sitting))

    def extended(self, extension: Extension) -> Case:
        if self.status not in {CaseStatus.ADMITTED, CaseStatus.UNDER_EXAMINATION}:
            raise CaseTransitionRefused(
                f"case {self.id} is {self.status.value}: its examination cannot be extended",
                details={"case": self.id, "from": self.status.value, "to": "extended"},
            )
        return replace(self, extensions=(*self.extensions, extension))

    def with_document(self, document: Document) -> Case:
        """A new document, or a new version of one: versions of a name run 1, 2, 3 ..."""
        versions = [d.version for d in self.documents if d.name == document.name]
        if document.version != len(versions) + 1:
            raise _bad(f"document {document.name!r}: version {document.version}, expected {len(versions) + 1}")
        return replace(self, documents=(*self.documents, document))
