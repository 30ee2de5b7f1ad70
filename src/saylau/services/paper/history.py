"""Use case: a precinct's published version history, every accepted protocol version and correction with
its reason, as JSON or CSV (issue 5, open data: "every accepted protocol and correction downloadable").

Live data only, and not before the embargo ends (like the other public results).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from saylau.model import Mode, NotFound, UnitCode, UnitKind
from saylau.model.protocol import STANDARD_FIELDS
from saylau.publish.csv_cells import csv_writer
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.services.paper.embargo import check_public
from saylau.store import VersionRow

__all__ = ["PrecinctHistory", "history_csv", "history_json", "precinct_history"]


@dataclass(frozen=True, slots=True)
class PrecinctHistory:
    event: str
    precinct: UnitCode
    name: str
    versions: tuple[VersionRow, ...]  # in the order accepted: the last is the current one


def precinct_history(ctx: Context, code: str, precinct: str) -> PrecinctHistory:
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        territory = require_territory(tx, row)
        if precinct not in territory or territory[UnitCode(precinct)].kind is not UnitKind.PRECINCT:
            raise NotFound(
                f"no precinct {precinct!r} in the territory of event {code!r}",
                details={"event": code, "precinct": precinct},
            )
        check_public(tx, row, ctx.clock())  # figures: not before the last polls close
        unit = UnitCode(precinct)
        versions = tuple(tx.versions(row.id, Mode.LIVE, [unit]))
    return PrecinctHistory(code, unit, territory[unit].name("en"), versions)


def history_json(h: PrecinctHistory) -> dict[str, Any]:
    return {
        "event": h.event,
        "precinct": h.precinct,
        "name": h.name,
        "versions": [
            {
                "version": v.version,
                "accepted_at": v.accepted_at.isoformat(timespec="seconds"),
                "correction": v.version > 1,
                "reason": v.reason,
                "counts": {str(q): dict(c) for q, c in v.counts.items()},
                "counts_sha256": v.counts_sha256,
                "warnings": [{"code": w.code, "message": w.message} for w in v.warnings],
            }
            for v in h.versions
        ],
    }


def history_csv(h: PrecinctHistory) -> str:
    """One row per version and contest: ``precinct,version,accepted_at,reason,contest,<fields>,counts_sha256``
    (the standard fields first, then any other sorted; a field a contest does not have is empty)."""
    seen = {f for v in h.versions for c in v.counts.values() for f in c}
    fields = [f for f in STANDARD_FIELDS if f in seen] + sorted(seen - set(STANDARD_FIELDS))
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["precinct", "version", "accepted_at", "reason", "contest", *fields, "counts_sha256"])
    for v in h.versions:
        for q, counts in v.counts.items():
            cells = [str(counts[f]) if f in counts else "" for f in fields]
            at = v.accepted_at.isoformat(timespec="seconds")
            writer.writerow([h.precinct, v.version, at, v.reason or "", str(q), *cells, v.counts_sha256])
    return out.getvalue()
