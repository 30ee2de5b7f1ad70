"""The forensics report of an event as plain values: the JSON document (``forensics.json``) from which
the pages, the SVG plots and the command line's summary are rendered (spec/forensics.md §13).

Every figure of every check is in it, with the exclusions and their reasons, the caveat, the synthetic
flag and the seed. Only ``bool``, ``int``, ``float`` (finite; a value that is not is ``null``), ``str``,
lists and objects: a numpy value left in a report is refused here (``TypeError``), never written.

Every float is published rounded to ``SIGNIFICANT`` (10) significant digits (spec/forensics.md §13): the
figures are computed in binary floating point by numpy, scipy and diptest, whose last bits may differ
between platforms and library builds (vectorised sums, a different libm), and a re-published document
must be the same bytes. Ten digits keep far more precision than any statistic here has (a p-value's
Monte Carlo error, a fitted fraction's noise), and a value within 1e-10 of a rounding boundary is the
only one a platform's last bit can move.
"""

from __future__ import annotations

import dataclasses
import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from saylau.forensics import CAVEAT, SYNTHETIC_NOTE, ForensicsReport, Skipped

__all__ = [
    "FINE_BINS",
    "FORMAT",
    "SIGNIFICANT",
    "Pairs",
    "fine_histogram",
    "forensics_document",
    "plain",
    "report_json",
    "rounded",
]

FORMAT = "saylau-forensics-v1"
FINE_BINS = 1000  # 0.1-point bins, centred on each tenth of a percent: integer percentages show as spikes
SIGNIFICANT = 10  # significant digits of every published float


def rounded(value: float) -> float:
    """``value`` rounded to SIGNIFICANT significant digits (the shortest repr of that decimal)."""
    return float(f"{value:.{SIGNIFICANT}g}") if value else 0.0


@dataclass(frozen=True, slots=True)
class Pairs:
    """(count, of) of each analysed precinct: took part of registered, and the winner's votes of valid votes."""

    turnout: tuple[tuple[int, int], ...]
    share: tuple[tuple[int, int], ...]


def fine_histogram(pairs: Sequence[tuple[int, int]], bins: int = FINE_BINS) -> list[int]:
    """How many k / n fall in each of ``bins`` + 1 bins centred on i / bins (i = 0 … bins): bin i holds
    the ratios that round to i / bins (halves up), in integers: floor((2 bins k + n) / 2n)."""
    out = [0] * (bins + 1)
    for k, n in pairs:
        if n > 0:
            out[min(bins, max(0, (2 * bins * k + n) // (2 * n)))] += 1
    return out


def plain(value: object) -> Any:
    """``value`` (a report, a part of one, a setting) as JSON values: dataclasses become objects (a
    ``Skipped`` one with ``"skipped": true``), tuples and sets lists, enums their value."""
    match value:
        case None | bool() | str() if not isinstance(value, enum.Enum):
            return value
        case enum.Enum():
            return value.value
        case int():
            if type(value) is not int:
                raise TypeError(f"not a plain int: {type(value).__name__}")
            return value
        case float():
            if type(value) is not float:
                raise TypeError(f"not a plain float: {type(value).__name__}")
            return rounded(value) if math.isfinite(value) else None
        case Mapping():
            return {str(plain(k)): plain(v) for k, v in value.items()}
        case frozenset() | set():
            return sorted(plain(v) for v in value)
        case tuple() | list():
            return [plain(v) for v in value]
        case _ if dataclasses.is_dataclass(value) and not isinstance(value, type):
            out = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
            for name in ("flagged", "by_region"):  # properties of Heaping and Outliers
                if name not in out and hasattr(value, name):
                    out[name] = plain(getattr(value, name))
            if isinstance(value, Skipped):
                out["skipped"] = True
            return out
    raise TypeError(f"not a plain value: {type(value).__name__}")


def report_json(report: ForensicsReport, pairs: Pairs | None = None) -> dict[str, Any]:
    """One contest's report; ``pairs`` add the fine histograms (0.1-point bins) of turnout and share."""
    out: dict[str, Any] = plain(report)
    out["flags"] = list(report.flags)
    out["excluded_by_reason"] = plain(report.excluded_by_reason)
    if pairs is not None:
        out["fine"] = {
            "bins": FINE_BINS,
            "turnout": fine_histogram(pairs.turnout),
            "share": fine_histogram(pairs.share),
        }
    return out


def forensics_document(
    *,
    event: str,
    title: str,
    status: str,
    results_sha256: str,
    synthetic: bool,
    reports: Sequence[ForensicsReport],
    pairs: Sequence[Pairs],
    not_examined: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """The document of an event: the caveat first, the synthetic note where set, one report per contest."""
    return {
        "format": FORMAT,
        "event": event,
        "title": title,
        "status": status,
        "results_sha256": results_sha256,
        "caveat": CAVEAT,
        "synthetic": synthetic,
        "synthetic_note": SYNTHETIC_NOTE if synthetic else "",
        "contests": [report_json(r, p) for r, p in zip(reports, pairs, strict=True)],
        "not_examined": [{"contest": c, "reason": why} for c, why in not_examined],
    }
