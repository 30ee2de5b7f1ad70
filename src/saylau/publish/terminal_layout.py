"""Terminal tables that fit the terminal without cutting a figure or wrapping a name.

A ``FitTable`` has a first column of names (units, lists, districts) and figure columns. Its widths
are computed from its cells when it is drawn: a name is never wrapped, a figure never cut; headers
wrap at their spaces if that is what makes the table fit. When even that is too wide, the figure
columns are shared out over several tables, each repeating the names ("… (1 of 2)"), so every figure
is still shown. Lines after the first of a ``soft`` column (a candidate's party) may wrap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

__all__ = ["Col", "FitTable", "Row"]

Cell = Text | str
_UNBOUNDED = 1_000_000


@dataclass(frozen=True, slots=True)
class Col:
    header: str
    justify: Literal["left", "right"] = "right"
    soft: bool = False  # lines after the first may wrap at spaces


@dataclass(frozen=True, slots=True)
class Row:
    name: Cell
    cells: tuple[Cell, ...]
    style: str | None = None
    firm: bool = True  # False: a label (not a name) that may wrap, e.g. "Invalid ballots (% of ballots cast)"
    section: bool = False  # a line above this row


@dataclass(frozen=True, slots=True)
class _Layout:
    widths: list[int]  # by column index, 0: the names
    dense: bool  # two spaces between columns instead of three


@dataclass(slots=True)
class FitTable:
    title: str
    key: str  # the header of the names' column
    columns: tuple[Col, ...]
    rows: list[Row] = field(default_factory=list)
    caption: str | None = None

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        groups = list(self._groups(console, options))
        for n, (columns, layout) in enumerate(groups, 1):
            part = f" ({n} of {len(groups)})" if len(groups) > 1 else ""
            yield self._table(columns, layout, part, last=n == len(groups))

    def _groups(self, console: Console, options: ConsoleOptions) -> Iterator[tuple[list[int], _Layout]]:
        """Column indexes (0: the names) and their layout for each table: one table if it fits with
        whole headers, else with wrapped headers, else with two spaces between columns instead of three;
        else the fewest tables that fit."""
        full = [self._width(i, whole_header=True) for i in range(len(self.columns) + 1)]
        tight = [self._width(i, whole_header=False) for i in range(len(self.columns) + 1)]
        everything = list(range(len(full)))
        for layout in (_Layout(full, dense=False), _Layout(tight, dense=False), _Layout(tight, dense=True)):
            if self._fits(console, options, everything, layout):
                yield everything, layout
                return
        dense = _Layout(tight, dense=True)
        group = [0]
        for i in everything[1:]:
            if len(group) > 1 and not self._fits(console, options, [*group, i], dense):
                yield group, dense
                group = [0]
            group.append(i)
        yield group, dense

    def _fits(self, console: Console, options: ConsoleOptions, columns: list[int], layout: _Layout) -> bool:
        frame = self._frame(columns, layout, "")
        unbounded = options.update_width(_UNBOUNDED)  # rich would squeeze the table into the width it is given
        return Measurement.get(console, unbounded, frame).maximum <= options.max_width

    def _width(self, index: int, *, whole_header: bool) -> int:
        """The column's width: its widest line; with ``whole_header`` False, headers and labels that
        may wrap count by their longest word."""
        header = self.key if index == 0 else self.columns[index - 1].header
        parts = header.splitlines() if whole_header else header.split()
        width = max((cell_len(p) for p in parts), default=1)
        soft = index > 0 and self.columns[index - 1].soft
        for row in self.rows:
            if index == 0:
                cell, may_wrap = row.name, not (row.firm or whole_header)
            else:
                cell, may_wrap = row.cells[index - 1], False
            width = max(width, _cell_width(cell, soft=soft, may_wrap=may_wrap))
        return width

    def _frame(self, columns: list[int], layout: _Layout, part: str) -> Table:
        padding = (0, 1, 0, 0) if layout.dense else (0, 1)  # (rich's collapse_padding would cut a cell)
        table = Table(title=self.title + part, box=box.SIMPLE_HEAD, padding=padding, header_style="bold")
        for i in columns:
            col = Col(self.key, "left") if i == 0 else self.columns[i - 1]
            table.add_column(col.header, justify=col.justify, width=layout.widths[i])
        return table

    def _table(self, columns: list[int], layout: _Layout, part: str, *, last: bool) -> Table:
        table = self._frame(columns, layout, part)
        for row in self.rows:
            if row.section:
                table.add_section()
            cells = [row.name if i == 0 else row.cells[i - 1] for i in columns]
            table.add_row(*(Text(c) if isinstance(c, str) else c for c in cells), style=row.style)
        if last:
            table.caption = self.caption
        return table


def _cell_width(cell: Cell, *, soft: bool, may_wrap: bool) -> int:
    lines = (cell.plain if isinstance(cell, Text) else cell).splitlines() or [""]
    if may_wrap:
        return max((cell_len(w) for line in lines for w in line.split()), default=0)
    if soft:
        rest = [cell_len(w) for line in lines[1:] for w in line.split()]
        return max([cell_len(lines[0]), *rest])
    return max(cell_len(line) for line in lines)
