"""CSV cells that a spreadsheet never runs as a formula (OWASP "CSV injection"; spec/formats.md §5).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a single
quote ``'`` before it (``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``): spreadsheets show it as text. Numbers
are written as they are (a count or a share is never negative, and is never prefixed); only text cells
(names, titles, codes, reasons, header names) can start with such a character.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TextIO

__all__ = ["FORMULA_STARTS", "SafeCells", "csv_writer", "neutralise", "safe_cells"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writer(Protocol):
    def writerow(self, row: Iterable[object], /) -> object: ...


def neutralise(cell: object) -> object:
    """``cell`` as written to a published CSV: a text cell that a spreadsheet would read as a formula gets
    a leading ``'``; anything else (numbers included) is unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


@dataclass(frozen=True, slots=True)
class SafeCells:
    """Cells already passed through ``neutralise``; made by ``safe_cells`` only. A long table repeats the
    same leading cells on many rows (a unit's code and name, an option's name): neutralised once."""

    cells: tuple[object, ...]


def safe_cells(cells: Iterable[object]) -> SafeCells:
    return SafeCells(tuple(neutralise(c) for c in cells))


class _SafeWriter:
    def __init__(self, writer: _Writer):
        self._writer = writer

    def writerow(self, row: Iterable[object]) -> None:
        # neutralise() inlined: a report writes some 2,000,000 cells
        self._writer.writerow([("'" + c) if isinstance(c, str) and c.startswith(FORMULA_STARTS) else c for c in row])

    def writerow_after(self, first: SafeCells, second: SafeCells, rest: Iterable[object]) -> None:
        """One row: the cells of ``first`` and ``second`` (already safe), then ``rest`` neutralised here."""
        tail = [("'" + c) if isinstance(c, str) and c.startswith(FORMULA_STARTS) else c for c in rest]
        self._writer.writerow([*first.cells, *second.cells, *tail])


def csv_writer(out: TextIO) -> _SafeWriter:
    """A ``csv.writer`` on ``out`` (LF line ends) whose every row goes through ``neutralise``."""
    return _SafeWriter(csv.writer(out, lineterminator="\n"))
