"""Plain-language printing of entry reports and precinct states, and writing a report folder."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from saylau.cli.common import console
from saylau.model import QuestionContest, ResultsView, SaylauError

if TYPE_CHECKING:
    from saylau.services.paper.protocols import EntryReport
    from saylau.services.paper.results import PrecinctState

__all__ = ["entry_report_json", "print_entry_report", "print_states", "write_report"]


def entry_report_json(report: EntryReport) -> dict[str, object]:
    return {
        "event": report.event,
        "mode": report.mode.value,
        "operator": report.operator,
        "agreed": report.count("agreed"),
        "awaiting_second": report.count("awaiting_second"),
        "mismatch": report.count("mismatch"),
        "protocols": [
            {
                "precinct": o.precinct,
                "decision": o.decision,
                "version": o.version,
                "differences": [
                    {"question": d.question, "field": d.field, "values": list(d.values)} for d in o.differences
                ],
                "warnings": [{"code": w.code, "message": w.message} for w in o.warnings],
            }
            for o in report.outcomes
        ],
    }


def print_entry_report(report: EntryReport) -> None:
    console.print(
        f"{len(report.outcomes):,} protocol(s) entered by {report.operator} into {report.event} ({report.mode}): "
        f"{report.count('agreed'):,} accepted (two entries agree), "
        f"{report.count('awaiting_second'):,} awaiting a second entry, {report.count('mismatch'):,} in mismatch",
        highlight=False,
    )
    for o in report.outcomes:
        if o.decision == "mismatch":
            fields = "; ".join(f"{d.question}.{d.field}: {' vs '.join(map(str, d.values))}" for d in o.differences)
            console.print(
                f"  [yellow]mismatch[/] {o.precinct}: {fields} — a further entry must resolve it", highlight=False
            )
        for w in o.warnings:
            console.print(f"  [cyan]warning[/] {o.precinct}: {w.message} ({w.code})", highlight=False)


def print_states(states: Sequence[PrecinctState]) -> None:
    counts = Counter(s.state for s in states)
    console.print(
        f"{len(states):,} precincts: {counts['accepted']:,} accepted, {counts['awaiting_second']:,} awaiting a "
        f"second entry, {counts['mismatch']:,} in mismatch, {counts['missing']:,} missing",
        highlight=False,
    )
    for s in states:
        if s.state != "accepted":
            who = f" (entered by {', '.join(s.operators)})" if s.operators else ""
            console.print(f"  {s.state:<16} {s.precinct}{who}", highlight=False)


def write_report(view: ResultsView, out: Path, progress: Callable[[str, int, int], None] | None = None) -> Path:
    """index.html, results.json (compact: no indentation) and results.csv (and options.csv for elections),
    each written to a temporary name, flushed to disk, then renamed. ``progress(label, done, total)``, when
    given, is told before each file is rendered and before each is saved (done/total count the files)."""
    from saylau.publish import render_html, to_csv, to_json  # noqa: PLC0415  # lazy: jinja2 only for a report

    renderers: list[tuple[str, Callable[[], str]]] = [
        ("index.html", lambda: render_html(view)),
        ("results.json", lambda: json.dumps(to_json(view), ensure_ascii=False, separators=(",", ":")) + "\n"),
        ("results.csv", lambda: to_csv(view)),
    ]
    if any(not isinstance(q, QuestionContest) for q in view.event.contests):
        renderers.append(("options.csv", lambda: to_csv(view, table="options")))  # votes per unit, contest, option
    texts: dict[str, str] = {}
    for done, (name, render) in enumerate(renderers):  # every file rendered before any is written
        if progress is not None:
            progress(f"write the report: render {name}", done, len(renderers))
        texts[name] = render()
    try:
        out.mkdir(parents=True, exist_ok=True)
        for done, (name, text) in enumerate(texts.items()):
            if progress is not None:
                progress(f"write the report: save {name}", done, len(texts))
            _write_atomic(out / name, text)
    except OSError as exc:
        raise SaylauError(f"cannot write the report to {out}: {exc.strerror}", code="unwritable") from exc
    return out / "index.html"


def _write_atomic(path: Path, text: str) -> None:
    """``text`` at ``path`` all or nothing: a temporary name beside it, fsync, then rename."""
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as fh:
        fh.write(text.encode("utf-8"))
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
