"""The small referendum (tests/elections/small/) as the constants the service tests use: 2 regions +
abroad, 5 precincts, one question. The files are the source; this module only reads them."""

from __future__ import annotations

import json
from typing import Any

from tests.elections import FIELDS, SMALL, protocols_csv

__all__ = ["EVENT", "FIELDS", "GOOD", "TERRITORY", "event_bytes", "protocols_csv"]

EVENT: dict[str, Any] = json.loads(SMALL.event)
TERRITORY = SMALL.territory.decode()

# precinct -> (registered, received, issued, cancelled, participated, yes, no, not_counted, invalid)
GOOD = {p: tuple(contests["q1"][f] for f in FIELDS) for p, contests in SMALL.rows().items()}


def event_bytes() -> bytes:
    return SMALL.event
