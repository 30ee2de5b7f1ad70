"""A copy of a precinct's protocol compared with the precinct's current accepted official version, field by
field; the precincts where a copy differs are the audit's targeted batches (spec/audit.md §13a)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from saylau.count.layout import event_rules, protocol_layout
from saylau.model import (
    Mode,
    QuestionCode,
    UnitCode,
)
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.store import EventRow, Tx
from saylau.store.observer_repo import CopyRow, ObserverTx

__all__ = [
    "Comparison",
    "FieldDifference",
    "compare",
    "compare_rows",
    "comparison_json",
    "targeted_in",
    "targeted_precincts",
]


@dataclass(frozen=True, slots=True)
class FieldDifference:
    contest: QuestionCode
    field: str
    official: int | None  # None: the official protocol has no such field (the copy has one too many)
    copy: int | None  # None: the copy lacks the field


@dataclass(frozen=True, slots=True)
class Comparison:
    """One copy against its precinct's current accepted version."""

    copy: CopyRow
    status: Literal["equal", "different", "no_official"]
    official_version: int | None
    differences: tuple[FieldDifference, ...]


def compare(
    official: Mapping[QuestionCode, Mapping[str, int]],
    copy: Mapping[QuestionCode, Mapping[str, int]],
    order: Mapping[QuestionCode, Sequence[str]] | None = None,
) -> tuple[FieldDifference, ...]:
    """Every (contest, field) whose figure differs between the two: in ``order`` (the protocol layout's
    contests and fields) where it names them, the others after, alphabetically."""
    layout = order or {}
    contests = [*layout, *sorted(set(official) | set(copy))]
    out: list[FieldDifference] = []
    for contest in dict.fromkeys(contests):
        mine, theirs = official.get(contest, {}), copy.get(contest, {})
        names = [*layout.get(contest, ()), *sorted(set(mine) | set(theirs))]
        for name in dict.fromkeys(names):
            if mine.get(name) != theirs.get(name):
                out.append(FieldDifference(contest, name, mine.get(name), theirs.get(name)))
    return tuple(out)


def compare_rows(tx: Tx, row: EventRow, rows: Sequence[CopyRow]) -> list[Comparison]:
    if not rows:
        return []
    ballot = protocol_layout(row.referendum, event_rules(row.referendum), require_territory(tx, row))
    precincts = sorted({r.precinct for r in rows})
    current = {v.precinct: v for v in tx.versions(row.id, Mode.LIVE, precincts)}
    out = []
    for r in rows:
        official = current.get(r.precinct)
        if official is None:
            out.append(Comparison(r, "no_official", None, ()))
            continue
        diffs = compare(official.counts, r.figures, ballot.fields)
        out.append(Comparison(r, "different" if diffs else "equal", official.version, diffs))
    return out


def comparison_json(c: Comparison) -> dict[str, object]:
    """A copy compared, as JSON (spec/formats.md §16): the copy's facts, its status and each difference."""
    r = c.copy
    return {
        "id": r.id,
        "precinct": r.precinct,
        "submitter": r.submitter,
        "anonymous": r.anonymous,
        "submitted_at": r.submitted_at.isoformat(),
        "figures": {q: dict(v) for q, v in r.figures.items()},
        "figures_sha256": r.figures_sha256,
        "relations_ok": not r.violations,
        "violations": list(r.violations),
        "photo": {"sha256": r.photo_sha256, "media_type": r.photo_media_type, "size": r.photo_size},
        "status": c.status,
        "official_version": c.official_version,
        "differences": [
            {"contest": d.contest, "field": d.field, "official": d.official, "copy": d.copy} for d in c.differences
        ],
    }


def targeted_precincts(ctx: Context, event: str) -> list[UnitCode]:
    """The precincts where at least one copy differs from the current official version: the audit's
    targeted batches (audited in addition to the random draw), sorted."""
    with ctx.store.transaction() as tx:
        return targeted_in(tx, load_event(tx, event))


def targeted_in(tx: Tx, row: EventRow, *, contest: str | None = None) -> list[UnitCode]:
    """``targeted_precincts`` inside a transaction (the audit's draw decides under its lock); ``contest``:
    only the copies that differ on that contest's figures (an election contest's audit, spec/audit.md §13a)."""
    compared = compare_rows(tx, row, list(ObserverTx(tx).copies(row.id)))
    return sorted(
        {
            c.copy.precinct
            for c in compared
            if c.status == "different" and (contest is None or any(d.contest == contest for d in c.differences))
        }
    )
