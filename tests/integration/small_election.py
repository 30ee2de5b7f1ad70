"""The small mixed election (tests/elections/mini-election/) as the service tests use it: a party list
everywhere, two single-member districts. The files are the source; this module only reads them."""

from __future__ import annotations

import json
from typing import Any

from tests.elections import MINI

EVENT: dict[str, Any] = json.loads(MINI.event)
TERRITORY = MINI.territory.decode()


def event_bytes() -> bytes:
    return MINI.event


def protocols_csv() -> bytes:
    """Every precinct's protocols: the list everywhere, smd-1 in P1 and P2, smd-2 in P3 (none abroad)."""
    return MINI.protocols
