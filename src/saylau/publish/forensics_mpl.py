"""The forensics figures as PNG or PDF files, drawn by matplotlib from the plain document (the command
line's ``saylau forensics --out DIR --format png|pdf``; the pages draw SVG themselves: forensics_plots).

matplotlib (and through it numpy) is imported inside :func:`write_figures` only: nothing else in the
presentation loads it. Figures are drawn on ``matplotlib.figure.Figure`` (no pyplot, no global state);
the PDF has no creation date, so the same report gives the same file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["RasterFormat", "write_figures"]

RasterFormat = Literal["png", "pdf"]


def _ran(check: Mapping[str, Any] | None) -> bool:
    return check is not None and not check.get("skipped", False)


def _fingerprint(ax: Axes, fp: Mapping[str, Any], t: Mapping[str, str]) -> None:
    bins = int(fp["bins"])
    counts = [list(col) for col in zip(*fp["counts"], strict=True)]  # rows: share (y), columns: turnout (x)
    ax.imshow(counts, origin="lower", extent=(0, 100, 0, 100), cmap="Blues", aspect="equal", interpolation="nearest")
    fit = fp["fit"]
    ax.set_title(
        f"{t['fig_fingerprint']}\nf_i = {100 * fit['incremental']:.1f}%, f_e = {100 * fit['extreme']:.1f}%"
        f" ({bins} x {bins})",
        fontsize=9,
    )
    ax.set_xlabel(t["axis_turnout"])
    ax.set_ylabel(t["axis_share"])


def _histogram(ax: Axes, counts: list[int], centred: bool, title: str, x_label: str, t: Mapping[str, str]) -> None:
    n = len(counts) - 1 if centred else len(counts)
    edges = [100 * (i - 0.5) / n for i in range(n + 2)] if centred else [100 * i / n for i in range(n + 1)]
    ax.stairs(counts, edges, fill=True, color="#1f4e8c")
    ax.set_xlim(0, 100)
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(x_label)
    ax.set_ylabel(t["axis_precincts"])


def _digits(ax: Axes, test: Mapping[str, Any], t: Mapping[str, str]) -> None:
    used = test["counts_used"] or 1
    digits = list(range(10))
    ax.bar(digits, [d / used for d in test["digits"]], color="#1f4e8c", label=t["axis_share_of_counts"])
    ax.scatter(digits, test["expected"], color="#c0392b", marker="_", s=300, label="expected")
    ax.set_xticks(digits)
    ax.set_title(f"{t['digit_' + test['test']]} ({t['weak']}): p = {test['p_value']:.3f}", fontsize=9)
    ax.set_xlabel(t["axis_digit"])
    ax.set_ylabel(t["axis_share_of_counts"])


def _slopes(ax: Axes, slopes: Mapping[str, Any], names: Mapping[str, str], t: Mapping[str, str]) -> None:
    rows = [r for r in slopes["regions"] if _ran(r)]
    ax.barh([names.get(r["region"], r["region"]) for r in rows], [r["slope"] for r in rows], color="#1f4e8c")
    if _ran(slopes["national"]):
        ax.axvline(slopes["national"]["slope"], color="#c0392b", linestyle="--", label=t["national_slope"])
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.invert_yaxis()
    ax.set_title(t["fig_slopes"], fontsize=9)
    ax.set_xlabel(t["axis_slope"])


def write_figures(
    contest: Mapping[str, Any], out_dir: Path, fmt: RasterFormat, t: Mapping[str, str], names: Mapping[str, str]
) -> list[Path]:
    """Every figure of one contest of the document as ``<contest>-<figure>.<fmt>`` in ``out_dir``."""
    from matplotlib.figure import Figure  # noqa: PLC0415  # lazy: matplotlib loads numpy; only --format png|pdf

    code = contest["contest"]
    caveat = t["caveat"] + (f" {t['synthetic']}" if contest["synthetic"] else "")
    plots: list[tuple[str, Any]] = []
    if _ran(contest["fingerprint"]):
        plots.append(("fingerprint", lambda ax: _fingerprint(ax, contest["fingerprint"], t)))
    fine = contest.get("fine")
    for var, axis in (("turnout", "axis_turnout"), ("share", "axis_share")):
        if _ran(contest[var]):
            counts = fine[var] if fine else contest[var]["counts"]
            title, label = t["fig_" + var], t[axis]
            plots.append((var, lambda ax, c=counts, h=title, x=label: _histogram(ax, c, bool(fine), h, x, t)))
    for test in ("second_digit", "last_digit"):
        if _ran(contest[test]):
            plots.append((test, lambda ax, d=contest[test]: _digits(ax, d, t)))
    if any(_ran(r) for r in contest["slopes"]["regions"]):
        plots.append(("slopes", lambda ax: _slopes(ax, contest["slopes"], names, t)))
    written = []
    for name, draw in plots:
        fig = Figure(figsize=(7, 5.5 if name == "fingerprint" else 4.2), layout="constrained")
        ax = fig.add_subplot()
        draw(ax)
        fig.text(0.01, 0.005, caveat, fontsize=5.5, wrap=True, va="bottom")
        fig.get_layout_engine().set(rect=(0, 0.08, 1, 0.92))  # type: ignore[call-arg, union-attr]
        path = out_dir / f"{code}-{name}.{fmt}"
        metadata = {"CreationDate": None} if fmt == "pdf" else {"Software": None}
        fig.savefig(path, format=fmt, dpi=120, metadata=metadata)
        written.append(path)
    return written
