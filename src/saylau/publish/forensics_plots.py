"""The forensics figures as geometry for the SVG templates (``site/_forensics_svg.j2``), computed from one
contest of the plain document (publish.forensics_json): nothing left to compute in a template.

Five figures per contest (spec/forensics.md §13): the fingerprint (turnout × winner's share, a 2-D
histogram as a heat map), the turnout and the share histograms (0.1-point bins, so that integer
percentages stand out as spikes), the two digit tests against their expectation (weak evidence), and
the turnout-against-share slope per region. Each has a title and a description (for screen readers) and
labelled axes; the words come from ``labels`` (publish.site.i18n_forensics, in the page's language).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from saylau.publish.templating import render

__all__ = ["FIGURES", "contest_figures", "figure_svg"]

FIGURES = ("fingerprint", "turnout", "share", "digits", "slopes")
LEFT, TOP, RIGHT, BOTTOM = 56, 16, 16, 44  # margins around every plot area


def _ticks(low: float, high: float, length: float, origin: float, *, flip: bool = False) -> list[dict[str, Any]]:
    """Ticks every 10 points of percentage on [low, high] (in %), placed along ``length`` pixels."""
    out = []
    for pct in range(int(low), int(high) + 1, 10):
        at = (pct - low) / (high - low) * length
        out.append({"label": str(pct), "at": round(origin - at if flip else origin + at, 1)})
    return out


def _frame(width: int, height: int) -> dict[str, Any]:
    return {
        "width": width + LEFT + RIGHT,
        "height": height + TOP + BOTTOM,
        "left": LEFT,
        "top": TOP,
        "right": LEFT + width,
        "bottom": TOP + height,
        "plot_w": width,
        "plot_h": height,
    }


def _fingerprint(fp: Mapping[str, Any], labels: Mapping[str, str], ident: str) -> dict[str, Any]:
    bins = int(fp["bins"])
    size = 300
    cell = size / bins
    frame = _frame(size, size)
    counts: Sequence[Sequence[int]] = fp["counts"]
    peak = max((c for row in counts for c in row), default=0)
    cells = []
    for r, row in enumerate(counts):  # r: turnout (x), c: share (y, up)
        for c, n in enumerate(row):
            if n:
                level = math.log1p(n) / math.log1p(peak)
                cells.append({
                    "x": round(LEFT + r * cell, 2),
                    "y": round(TOP + size - (c + 1) * cell, 2),
                    "w": round(cell, 2),
                    "opacity": round(0.15 + 0.85 * level, 3),
                    "n": n,
                })  # fmt: skip
    fit = fp["fit"]
    desc = labels["fig_fingerprint_desc"].format(
        fi=f"{100 * fit['incremental']:.1f}", fe=f"{100 * fit['extreme']:.1f}", k=f"{fp['turnout_kurtosis']:.2f}"
    )
    return frame | {
        "kind": "heatmap",
        "id": ident,
        "title": labels["fig_fingerprint"],
        "desc": desc,
        "x_label": labels["axis_turnout"],
        "y_label": labels["axis_share"],
        "x_ticks": _ticks(0, 100, size, LEFT),
        "y_ticks": _ticks(0, 100, size, TOP + size, flip=True),
        "cells": cells,
    }


def _histogram(
    counts: Sequence[int], centred: bool, title: str, desc: str, x_label: str, labels: Mapping[str, str], ident: str
) -> dict[str, Any]:
    """A step outline of ``counts``: centred bins i / (len - 1) (the fine ones), else bins of width 1 / len."""
    width, height = 640, 220
    frame = _frame(width, height)
    bins = len(counts) - 1 if centred else len(counts)
    step = width / (bins + 1 if centred else bins)
    peak = max(counts, default=0) or 1
    points: list[tuple[float, float]] = [(LEFT, TOP + height)]
    for i, n in enumerate(counts):
        x0 = LEFT + i * step
        y = TOP + height - n / peak * height
        points += [(x0, y), (x0 + step, y)]
    points.append((LEFT + len(counts) * step, TOP + height))
    path = "M" + " L".join(f"{x:.2f},{y:.2f}" for x, y in points) + " Z"
    origin = LEFT + (step / 2 if centred else 0)
    return frame | {
        "kind": "histogram",
        "id": ident,
        "title": title,
        "desc": desc,
        "x_label": x_label,
        "y_label": labels["axis_precincts"],
        "x_ticks": _ticks(0, 100, width - (step if centred else 0), origin),
        "y_ticks": [{"label": f"{peak:,}", "at": TOP}, {"label": "0", "at": TOP + height}],
        "path": path,
    }


def _digits(tests: Sequence[Mapping[str, Any]], labels: Mapping[str, str], ident: str) -> dict[str, Any]:
    """Observed share of each digit (bars) against the expected one (a tick), one panel per test."""
    panel_w, height = 300, 180
    frame = _frame(2 * panel_w + 40, height)
    top = max((max(t["expected"]) for t in tests), default=0.1)
    for t in tests:
        used = t["counts_used"] or 1
        top = max(top, *(d / used for d in t["digits"]))
    top *= 1.1
    panels = []
    for k, t in enumerate(tests):
        x0 = LEFT + k * (panel_w + 40)
        used = t["counts_used"] or 1
        slot = panel_w / 10
        bars = []
        for d in range(10):
            observed = t["digits"][d] / used
            expected = t["expected"][d]
            y = TOP + height - observed / top * height
            bars.append({
                "digit": d,
                "x": round(x0 + d * slot + slot * 0.15, 2),
                "cx": round(x0 + (d + 0.5) * slot, 2),
                "w": round(slot * 0.7, 2),
                "y": round(y, 2),
                "h": round(TOP + height - y, 2),
                "ey": round(TOP + height - expected / top * height, 2),
                "observed": f"{100 * observed:.1f}",
                "expected": f"{100 * expected:.1f}",
            })  # fmt: skip
        name = labels["digit_" + t["test"]]
        verdict = labels["flagged"] if t["flagged"] else labels["not_flagged"]
        panels.append({"x": x0, "w": panel_w, "name": f"{name} (p = {t['p_value']:.3f}, {verdict})", "bars": bars})
    return frame | {
        "kind": "digits",
        "id": ident,
        "title": labels["fig_digits"],
        "desc": labels["fig_digits_desc"],
        "x_label": labels["axis_digit"],
        "y_label": labels["axis_share_of_counts"],
        "y_ticks": [{"label": f"{100 * top:.0f}%", "at": TOP}, {"label": "0", "at": TOP + height}],
        "panels": panels,
    }


def _slopes(
    rows: Sequence[Mapping[str, Any]], national: Mapping[str, Any] | None, labels: Mapping[str, str], ident: str
) -> dict[str, Any]:
    """One horizontal bar per region from 0 to its slope; the national slope as a dashed line."""
    row_h, width = 18, 360
    label_w = 180
    values = [r["slope"] for r in rows] + ([national["slope"]] if national else [])
    span = max((abs(v) for v in values), default=1.0) or 1.0
    frame = _frame(width + label_w, row_h * max(len(rows), 1))
    zero = LEFT + label_w + width / 2
    bars = []
    for i, r in enumerate(rows):
        end = zero + r["slope"] / span * width / 2
        bars.append({
            "name": r["name"],
            "y": TOP + i * row_h + 3,
            "ty": TOP + i * row_h + 13,
            "x": round(min(zero, end), 2),
            "w": round(abs(end - zero), 2),
            "value": f"{r['slope']:+.2f}",
            "n": r["n"],
        })  # fmt: skip
    nat = round(zero + national["slope"] / span * width / 2, 2) if national else None
    return frame | {
        "kind": "slopes",
        "id": ident,
        "title": labels["fig_slopes"],
        "desc": labels["fig_slopes_desc"],
        "x_label": labels["axis_slope"],
        "zero": zero,
        "label_x": LEFT + label_w - 6,
        "national": nat,
        "national_label": f"{labels['national_slope']}: {national['slope']:+.2f}" if national else "",
        "ticks": [
            {"label": f"{-span:+.2f}", "at": LEFT + label_w},
            {"label": "0", "at": zero},
            {"label": f"{span:+.2f}", "at": LEFT + label_w + width},
        ],
        "bars": bars,
    }


def _ran(check: Mapping[str, Any] | None) -> bool:
    return check is not None and not check.get("skipped", False)


def contest_figures(
    contest: Mapping[str, Any], labels: Mapping[str, str], names: Mapping[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """The figures of one contest of the document that can be drawn (a skipped check has none), by name;
    ``names``: a region's name by its code (default: the code)."""
    names = names or {}
    base = f"fx-{contest['contest']}"
    out: dict[str, dict[str, Any]] = {}
    if _ran(contest["fingerprint"]):
        out["fingerprint"] = _fingerprint(contest["fingerprint"], labels, f"{base}-fingerprint")
    fine = contest.get("fine")
    for var, axis in (("turnout", "axis_turnout"), ("share", "axis_share")):
        dist = contest[var]
        if not _ran(dist):
            continue
        counts = fine[var] if fine else dist["counts"]
        desc = labels["fig_hist_desc"].format(
            mean=f"{100 * dist['mean']:.1f}", sd=f"{100 * dist['sd']:.1f}", p=f"{dist['dip_p']:.3f}"
        )
        title = labels["fig_" + var]
        out[var] = _histogram(counts, bool(fine), title, desc, labels[axis], labels, f"{base}-{var}")
    digits = [contest[t] for t in ("second_digit", "last_digit") if _ran(contest[t])]
    if digits:
        out["digits"] = _digits(digits, labels, f"{base}-digits")
    regions = [r | {"name": names.get(r["region"], r["region"])} for r in contest["slopes"]["regions"] if _ran(r)]
    national = contest["slopes"]["national"]
    if regions:
        out["slopes"] = _slopes(regions, national if _ran(national) else None, labels, f"{base}-slopes")
    return out


def figure_svg(figure: Mapping[str, Any]) -> str:
    """One figure as a standalone SVG file (the command line's ``--out``)."""
    return render("site/forensics_figure.svg.j2", fig=figure)
