"""Parsers at the edge: bytes in, checked domain values out (STYLE.md habit 2)."""

from saylau.io.event import parse_event
from saylau.io.protocols import ParsedProtocol, parse_protocols
from saylau.io.territory import TERRITORY_COLUMNS, parse_territory

__all__ = ["TERRITORY_COLUMNS", "ParsedProtocol", "parse_event", "parse_protocols", "parse_territory"]
