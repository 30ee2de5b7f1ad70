"""Cast-vote records of one precinct for a ballot-level comparison audit (spec/formats.md "Cast-vote
records"; spec/audit.md §18): bytes in, the checked readings and their canonical text out.

CSV with the header ``position,reading``, one row per ballot of the precinct: ``position`` 1 … n (each
once, none missing; the rows in any order), ``reading`` one of the question's categories. The file must
agree with the precinct's accepted protocol: n its ballots, and as many ballots of each reading as the
protocol's figure. Every problem is reported with its line and field; nothing is half-kept. The canonical
text (the header, then the rows by position, ``\\n`` after each) is what is hashed, stored and published.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from saylau.io._common import Problems, decode, parse_count

__all__ = ["CVR_HEADER", "MAX_CVR_BALLOTS", "MAX_CVR_BYTES", "ParsedCvr", "cvr_file_name", "cvr_text", "parse_cvr"]

CVR_HEADER = ("position", "reading")
MAX_CVR_BALLOTS = 100_000  # a precinct's ballots (Kazakh precincts hold at most a few thousand voters)
MAX_CVR_BYTES = 4_000_000


@dataclass(frozen=True, slots=True)
class ParsedCvr:
    readings: tuple[str, ...]  # the reading of ballot 1, 2, … (position − 1)
    text: str  # canonical: exactly what is hashed


def cvr_file_name(batch: str) -> str:
    """The file of a batch's records in an audit report or a release (``cvr/<name>``, spec/audit.md §14):
    the batch id percent-encoded (RFC 3986: every byte of its UTF-8 but A-Z a-z 0-9 - . _ ~ as %XX, so
    that no unit code can make a path: ``/`` is %2F), then ``.csv``."""
    return f"{quote(batch, safe='')}.csv"


def cvr_text(readings: Sequence[str]) -> str:
    """The canonical text of a precinct's cast-vote records."""
    return "position,reading\n" + "".join(f"{i},{r}\n" for i, r in enumerate(readings, start=1))


def parse_cvr(data: bytes, source: str, categories: Sequence[str], expected: Mapping[str, int]) -> ParsedCvr:
    """The readings of ``data``, which must give exactly ``expected`` ballots of each category."""
    problems = Problems(source)
    if len(data) > MAX_CVR_BYTES:
        problems.add("too_large", f"more than {MAX_CVR_BYTES:,} bytes")
        problems.raise_if_any("cast-vote records")
    rows = list(csv.reader(io.StringIO(decode(data, source))))
    header = tuple(c.strip() for c in rows[0]) if rows else ()
    if header != CVR_HEADER:
        problems.add("header", "the header must be position,reading", 1)
        problems.raise_if_any("cast-vote records")
    ballots = sum(expected.values())
    if len(rows) - 1 > MAX_CVR_BALLOTS:
        problems.add("too_many_rows", f"more than {MAX_CVR_BALLOTS:,} ballots")
        problems.raise_if_any("cast-vote records")
    by_position: dict[int, str] = {}
    listed = sum(1 for cells in rows[1:] if any(c.strip() for c in cells))
    if listed != ballots:
        problems.add("count", f"{listed:,} ballot(s) listed, the precinct's final protocol has {ballots:,}")
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(CVR_HEADER):
            problems.add("columns", "2 columns expected: position,reading", line)
            continue
        _row(cells, line, ballots, categories, by_position, problems)
    if not problems:
        _totals(by_position, ballots, categories, expected, problems)
    problems.raise_if_any("cast-vote records")
    readings = tuple(by_position[i] for i in range(1, ballots + 1))
    return ParsedCvr(readings, cvr_text(readings))


def _row(
    cells: list[str],
    line: int,
    ballots: int,
    categories: Sequence[str],
    by_position: dict[int, str],
    problems: Problems,
) -> None:
    position = parse_count(cells[0].strip())
    reading = cells[1].strip()
    if isinstance(position, str):
        problems.add("position", f"the position {position}", line, "position")
    elif not 1 <= position <= ballots:
        problems.add("position", f"a position from 1 to {ballots:,} (the protocol's ballots), not {position:,}",
                     line, "position")  # fmt: skip
    elif position in by_position:
        problems.add("duplicate_position", f"ballot {position:,} is listed twice", line, "position")
    if reading not in categories:
        problems.add("reading", f"one of {', '.join(categories)}, not {reading[:40]!r}", line, "reading")
    if isinstance(position, int) and 1 <= position <= ballots and position not in by_position:
        by_position[position] = reading


def _totals(
    by_position: Mapping[int, str],
    ballots: int,
    categories: Sequence[str],
    expected: Mapping[str, int],
    problems: Problems,
) -> None:
    missing = [i for i in range(1, ballots + 1) if i not in by_position]
    if missing:
        shown = ", ".join(f"{i:,}" for i in missing[:10])
        problems.add("missing_position", f"{len(missing):,} ballot(s) of the protocol's {ballots:,} not listed: "
                     f"{shown}", None, "position")  # fmt: skip
        return
    for c in categories:
        n, want = sum(1 for r in by_position.values() if r == c), expected.get(c, 0)
        if n != want:
            problems.add(
                "totals", f"{n:,} ballot(s) read {c}, the precinct's final protocol has {want:,}", None, "reading"
            )
