"""Parsers at the edge: bytes in, checked domain values out (STYLE.md habit 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from saylau.io.protocols import ParsedProtocol, parse_protocols
from saylau.io.territory import TERRITORY_COLUMNS, parse_territory

if TYPE_CHECKING:
    from saylau.io.event import parse_event

__all__ = ["TERRITORY_COLUMNS", "ParsedProtocol", "parse_event", "parse_protocols", "parse_territory"]


def __getattr__(name: str) -> Any:
    """``parse_event`` on first use: its schema is pydantic's, which the table parsers (``saylau seats``,
    ``saylau referendum outcome``) do not need at start-up (issue 10 item 8; PEP 562)."""
    if name == "parse_event":
        from saylau.io.event import parse_event  # noqa: PLC0415  # lazy: pydantic only when an event is parsed

        globals()["parse_event"] = parse_event  # found directly from now on
        return parse_event
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
