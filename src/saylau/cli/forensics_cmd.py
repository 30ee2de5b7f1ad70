"""`saylau forensics EVENT`: the statistical checks of an event's precinct results (spec/forensics.md)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from saylau.cli.common import DEFAULT_DB, DbOpt, JsonOpt, console, handle_errors, open_context, print_json, progress_bar

__all__ = ["forensics_command"]


class PlotFormat(StrEnum):
    SVG = "svg"
    PNG = "png"
    PDF = "pdf"


REPORT_FILE = "report.json"


@handle_errors
def forensics_command(
    event: Annotated[str, typer.Argument(help="The event's code (`saylau event list`).")],
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Folder to write report.json and one plot per figure into (created if missing).",
        ),
    ] = None,
    fmt: Annotated[
        PlotFormat, typer.Option("--format", help="Format of the plots written with --out: svg, png or pdf.")
    ] = PlotFormat.SVG,
) -> None:
    """Check the precinct results for the signs statistics knows: the turnout x share fingerprint, dip
    tests, integer-percentage heaping, digit tests (weak evidence), slopes by region, outlier precincts,
    paper against e-ballots.

    These flag anomalies, not fraud: strategic voting, small and special precincts (abroad) flag too, and
    are listed with the reason they are left out. The report is reproducible: its seed comes from the
    results (spec/forensics.md §12). Public: waits for the embargo to end, as the results."""
    # lazy: only this command loads the checks (numpy, scipy, diptest) and the renderers
    from saylau.publish.forensics_plots import contest_figures, figure_svg  # noqa: PLC0415
    from saylau.publish.site.forensics import check_rows  # noqa: PLC0415
    from saylau.publish.site.i18n_forensics import forensics_strings  # noqa: PLC0415
    from saylau.services.paper.forensics import event_forensics  # noqa: PLC0415

    with progress_bar(quiet=as_json, first="run the checks (a few seconds on a national event)"):
        report = event_forensics(open_context(db, None), event)
    doc: dict[str, Any] = dict(report.document)
    t = forensics_strings("en")
    names = report.names("en")
    written: list[Path] = []
    if out is not None:
        written = _write(out, doc, fmt, t, names, contest_figures, figure_svg)
    if as_json:
        print_json(doc | ({"written": [str(p) for p in written]} if out is not None else {}))
        return
    if doc["synthetic"]:
        console.print(f"[bold]SYNTHETIC DATA[/]: {doc['synthetic_note']}", highlight=False)
    console.print(f"Caveat: {doc['caveat']}\n", highlight=False, markup=False)
    for n in doc["not_examined"]:
        console.print(f"{n['contest']}: not examined ({n['reason']})", highlight=False, markup=False)
    for contest in doc["contests"]:
        console.print(
            f"{event} {contest['contest']}: share of {contest['winner']}; {contest['precincts']:,} precincts, "
            f"{contest['analysed']:,} analysed, {len(contest['exclusions']):,} left out"
            + "".join(f", {r}: {n:,}" for r, n in contest["excluded_by_reason"].items() if n)
            + f"; seed {contest['seed']}",
            highlight=False,
            markup=False,
        )
        for row in check_rows(contest, t):
            weak = f" ({t['weak']})" if row["weak"] else ""
            console.print(
                f"  {row['label'].upper():<12} {row['name']}{weak}: {row['figure']}", highlight=False, markup=False
            )
    for path in written:
        console.print(f"written: {path}", highlight=False, markup=False)


def _write(out: Path, doc: dict[str, Any], fmt: PlotFormat, t: Any, names: Any, figures: Any, svg: Any) -> list[Path]:
    from saylau.io.codes import IoCode  # noqa: PLC0415  # lazy: saylau.io loads its parsers
    from saylau.model import SaylauError  # noqa: PLC0415  # lazy: as the other commands

    try:
        out.mkdir(parents=True, exist_ok=True)
        report = out / REPORT_FILE
        report.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written = [report]
        for contest in doc["contests"]:
            match fmt:
                case PlotFormat.SVG:
                    for name, figure in figures(contest, t, names).items():
                        path = out / f"{contest['contest']}-{name}.svg"
                        path.write_text(svg(figure), encoding="utf-8")
                        written.append(path)
                case PlotFormat.PNG | PlotFormat.PDF:
                    from saylau.publish.forensics_mpl import write_figures  # noqa: PLC0415  # lazy: matplotlib

                    written += write_figures(contest, out, fmt.value, t, names)  # type: ignore[arg-type]
    except OSError as exc:
        raise SaylauError(f"cannot write to {out}: {exc.strerror}", code=IoCode.UNWRITABLE) from exc
    return written
