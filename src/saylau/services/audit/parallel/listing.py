"""The copies of a unit's precincts as the public (after the embargo) and the commission see them, and a
copy's photo."""

from __future__ import annotations

from dataclasses import dataclass

from saylau.model import (
    NotFound,
    Territory,
    UnitCode,
    UnitKind,
)
from saylau.services.audit.parallel.compare import Comparison, compare_rows
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.services.paper.embargo import require_public
from saylau.store.observer_repo import CopyRow, ObserverTx
from saylau.store.scans_repo import ScansTx

__all__ = ["MAX_LISTED", "CopyList", "copy_photo", "list_copies"]

MAX_LISTED = 500  # copies a unit's page or list shows at most (the newest); the count of all is given


@dataclass(frozen=True, slots=True)
class CopyList:
    """The copies of a unit's precincts compared: the newest MAX_LISTED, and the number of all."""

    unit: UnitCode
    territory: Territory
    copies: list[Comparison]
    total: int


def list_copies(ctx: Context, code: str, unit: str | None = None, *, public: bool = True) -> CopyList:
    """The copies of the precincts under ``unit`` (default: the whole territory), each compared with its
    precinct's current version. For the public (``public``), not before the embargo ends, like the
    official figures they are compared with."""
    if public:
        require_public(ctx, code)
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        territory = require_territory(tx, row)
        if unit is not None and unit not in territory:
            raise NotFound(f"no unit {unit!r} in event {code!r}", details={"event": code, "unit": unit})
        top = UnitCode(unit) if unit is not None else territory.root
        under = list(territory.precincts(top)) if territory[top].kind is not UnitKind.PRECINCT else [top]
        rows, total = ObserverTx(tx).newest(row.id, None if unit is None else under, MAX_LISTED)
        return CopyList(top, territory, compare_rows(tx, row, rows), total)


def copy_photo(ctx: Context, code: str, copy_id: int) -> tuple[CopyRow, bytes]:
    """A copy's photo with its bytes (public after the embargo, like the copies' page)."""
    require_public(ctx, code)
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        found = ObserverTx(tx).copy(row.id, copy_id)
        if found is None:
            raise NotFound(f"no copy {copy_id} in event {code!r}", details={"event": code, "copy": copy_id})
        return found, ScansTx(tx).content(found.photo_sha256)
