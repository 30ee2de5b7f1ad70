"""CSV cells that a spreadsheet never runs as a formula (OWASP "CSV injection"; spec/formats.md §5).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a single
quote ``'`` before it (``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``): spreadsheets show it as text. Numbers
are written as they are (a count or a share is never negative, and is never prefixed); only text cells
(names, titles, codes, reasons, header names) can start with such a character.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Protocol, TextIO

__all__ = ["FORMULA_STARTS", "csv_writer", "neutralise"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writer(Protocol):
    def writerow(self, row: Iterable[object], /) -> object: ...


def neutralise(cell: object) -> object:
    """``cell`` as written to a published CSV: a text cell that a spreadsheet would read as a formula gets
    a leading ``'``; anything else (numbers included) is unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


class _SafeWriter:
    def __init__(self, writer: _Writer):
        self._writer = writer

    def writerow(self, row: Iterable[object]) -> None:
        # neutralise() inlined: a report writes some 2,000,000 cells
        self._writer.writerow([("'" + c) if isinstance(c, str) and c.startswith(FORMULA_STARTS) else c for c in row])


def csv_writer(out: TextIO) -> _SafeWriter:
    """A ``csv.writer`` on ``out`` (LF line ends) whose every row goes through ``neutralise``."""
    return _SafeWriter(csv.writer(out, lineterminator="\n"))
