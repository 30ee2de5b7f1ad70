"""Double entry of paper sheets (spec/petitions.md §2): two operators key each sheet line independently; the
line is accepted only when both keyings agree field by field, and a mismatch names the line and the fields.

As the protocols' double entry (saylau.count.double_entry): the second keying is by another operator, and
nothing is accepted on one keying alone.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from saylau.petitions.codes import PetitionsCode
from saylau.petitions.errors import PetitionError
from saylau.petitions.model import MAX_FIELD, PaperSignature, SignatureId

__all__ = ["KEYED_FIELDS", "Keying", "reconcile"]

KEYED_FIELDS = ("identifier", "name", "birth_date", "signed_on", "illegible")


@dataclass(frozen=True, slots=True)
class Keying:
    """One operator's keying of one sheet line (``identifier``/``birth_date``/``signed_on`` None: left blank)."""

    operator: str
    sheet: str
    collector: str
    line: int
    identifier: str | None
    name: str
    birth_date: date | None
    signed_on: date | None
    illegible: bool = False

    def __post_init__(self) -> None:
        texts = {"operator": self.operator, "sheet": self.sheet, "collector": self.collector, "name": self.name}
        texts["identifier"] = self.identifier or ""
        bad = sorted(k for k, v in texts.items() if len(v) > MAX_FIELD or not v.isprintable())
        bad += [k for k in ("operator", "sheet", "collector") if not texts[k].strip()]
        if bad or not 1 <= self.line <= 10_000:
            raise PetitionError(
                f"sheet {self.sheet[:64]!r} line {self.line}: fields {bad or ['line']} are empty, too long "
                f"(> {MAX_FIELD}), hold control characters, or the line is not 1..10000",
                code=PetitionsCode.PETITION_BAD_SIGNATURE,
                details={"sheet": self.sheet[:64], "line": self.line, "fields": bad or ["line"]},
            )


def reconcile(first: Keying, second: Keying, *, seq: int) -> PaperSignature:
    """The agreed sheet line, or ``petition_keying_mismatch`` naming the sheet, line and every differing field."""
    where = {"sheet": first.sheet, "line": first.line}
    if (first.sheet, first.collector, first.line) != (second.sheet, second.collector, second.line):
        raise PetitionError(
            f"keyings of different lines compared: {first.sheet}:{first.line} and {second.sheet}:{second.line}",
            code=PetitionsCode.PETITION_KEYING_MISMATCH,
            details={**where, "fields": ["sheet", "collector", "line"]},
        )
    if first.operator == second.operator:
        raise PetitionError(
            f"sheet {first.sheet} line {first.line}: both keyings by {first.operator!r}; a second operator keys it",
            code=PetitionsCode.PETITION_SAME_OPERATOR,
            details=where,
        )
    differ = [
        f.name for f in fields(Keying) if f.name in KEYED_FIELDS and getattr(first, f.name) != getattr(second, f.name)
    ]
    if differ:
        raise PetitionError(
            f"sheet {first.sheet} line {first.line}: the two keyings differ in {', '.join(differ)}",
            code=PetitionsCode.PETITION_KEYING_MISMATCH,
            details={**where, "fields": differ, "operators": [first.operator, second.operator]},
        )
    return PaperSignature(
        id=SignatureId(f"paper:{first.sheet}:{first.line}"),
        sheet=first.sheet,
        collector=first.collector,
        line=first.line,
        identifier=first.identifier,
        name=first.name,
        birth_date=first.birth_date,
        signed_on=first.signed_on,
        illegible=first.illegible,
        seq=seq,
    )
