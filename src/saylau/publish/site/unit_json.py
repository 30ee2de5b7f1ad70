"""One unit of the published results document with its children (the drill-down API)."""

from __future__ import annotations

import dataclasses
from typing import Any

from saylau.model import NotFound, ResultsView, UnitCode
from saylau.publish.json_out import to_json

__all__ = ["unit_json"]


def unit_json(view: ResultsView, unit: str) -> dict[str, Any]:
    """The unit's entry of ``publish.to_json`` and its children's, with the path up to the country.

    Only the entries shown are built: ``to_json`` of the view narrowed to the unit and its children (a
    unit's entry depends on its own result, the territory and the channels only), not the whole
    document of every unit."""
    if unit not in view.territory:
        raise NotFound(
            f"no unit {unit!r} in the territory of event {view.event.code!r}",
            details={"event": str(view.event.code), "unit": unit},
        )
    code = UnitCode(unit)
    children = view.territory.children(code)
    shown = {code, *children}
    narrowed = dataclasses.replace(
        view, results={c: r for c, r in view.results.items() if c in shown}, warnings=(), corrections=()
    )
    doc = to_json(narrowed)
    by_code = {u["code"]: u for u in doc["units"]}
    path = [*reversed(view.territory.ancestors(code)), code]
    return {
        "format": doc["format"],
        "format_version": doc["format_version"],
        "event": doc["event"]["code"],
        "status": doc["status"],
        "phase": doc["phase"],
        "generated_at": doc["generated_at"],
        "path": [{"code": c, "name": view.territory[c].name("en")} for c in path],
        "unit": by_code.get(code),
        "children": [by_code[c] for c in children if c in by_code],
    }
