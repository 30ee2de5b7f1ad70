"""The results as ONE self-contained HTML file: inline CSS, CSS bars, no script, no external resource."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from saylau.model.ids import QuestionCode, UnitCode
from saylau.model.outcome import Outcome
from saylau.model.protocol import Counts
from saylau.model.referendum import QuestionContest
from saylau.model.results import ChannelSource, Correction, ResultsView, UnitResult
from saylau.publish.figures import percent_str, refuse_test, share, units_in_order
from saylau.publish.html_contests import districts, party_lists
from saylau.publish.json_out import channel_source_json, channels_below
from saylau.publish.templating import render
from saylau.publish.times import date_text, time_text

__all__ = ["render_html", "report_files"]

_LANG_NAMES = {"kk": "Kazakh", "ru": "Russian", "en": "English"}


def report_files(view: ResultsView) -> tuple[str, ...]:
    """The data files a report folder holds beside its index.html (as ``cli.views.write_report`` writes
    them): the results as JSON and CSV, and for an election the votes of every option."""
    election = any(not isinstance(q, QuestionContest) for q in view.event.contests)
    return ("results.json", "results.csv", *(("options.csv",) if election else ()))


_FILES = {
    "results.json": "every unit, contest and outcome, shares also as exact fractions",
    "results.csv": "one row per unit and contest",
    "options.csv": "the votes of every list and candidate, per unit",
}


def render_html(view: ResultsView, *, beside: Sequence[str] | None = None) -> str:
    """The public results page. Refused (``test_not_publishable``) for test data.

    ``beside``: the files next to the page that it links to (relative links); by default those of a
    report folder (``report_files``); ``()`` for a page that stands alone."""
    refuse_test(view)
    files = report_files(view) if beside is None else tuple(beside)
    return render("file/results.html.j2", page=_page(view, files))


def _page(view: ResultsView, files: tuple[str, ...]) -> dict[str, Any]:
    top = [(code, r) for code, depth, r in units_in_order(view) if depth == 1]
    national = view.results.get(view.territory.root)
    return {
        "event": view.event,
        "date": date_text(view.event.date),
        "status": view.status,
        "phase": str(view.phase),
        "provisional": view.status == "provisional",
        "generated_at": time_text(view.generated_at),
        "files": [{"name": f, "about": _FILES.get(f, "")} for f in files],
        "questions": [_question(view, q, national, top) for q in view.event.contests if isinstance(q, QuestionContest)],
        "party_lists": party_lists(view),
        "districts": districts(view),
        "warnings": view.warnings,
        "corrections": [_correction(c) for c in view.corrections],
        "channels": [_source(s) for s in view.channels],
    }


def _question(
    view: ResultsView, q: QuestionContest, national: UnitResult | None, top: list[tuple[UnitCode, UnitResult]]
) -> dict[str, Any]:
    outcome = view.outcomes.get(q.code)
    texts = [
        {"lang": _LANG_NAMES[t.lang], "code": t.lang, "text": t.text, "official": t.official, "source": t.source}
        for t in q.texts
    ]
    return {
        "code": q.code,
        "texts": texts,
        "national": _row(view, view.territory.root, national, q.code) if national else None,
        "units": [row for code, r in top if (row := _row(view, code, r, q.code)) is not None],
        "outcome": _outcome(outcome) if outcome else None,
    }


def _row(view: ResultsView, code: UnitCode, result: UnitResult, q: QuestionCode) -> dict[str, Any] | None:
    counts = result.totals.get(q)
    if counts is None:
        return None
    unit = view.territory[code]
    row: dict[str, Any] = {
        "code": code,
        "name": unit.name("en"),
        "kind": str(unit.kind),
        "registered": _n(counts, "registered"),
        "participated": _n(counts, "participated"),
        "turnout": percent_str(share(counts, "participated", "registered")),
        "reported": f"{result.reported:,}",
        "expected": f"{result.expected:,}",
        "reported_pct": percent_str(share({"r": result.reported, "e": result.expected}, "r", "e")),
        "complete": result.complete,
    }
    for fld in ("yes", "no", "not_counted", "invalid"):
        row[fld] = _n(counts, fld)
        row[fld + "_pct"] = percent_str(share(counts, fld, "participated"))
    row["channels"] = _channels(view, code, result, q)
    return row


def _channels(view: ResultsView, code: UnitCode, result: UnitResult, q: QuestionCode) -> list[dict[str, Any]]:
    """The line "of which electronic ballots: …" (spec/counting.md §5): what a channel brought to the row."""
    out = []
    for name, by_question in result.channels.items():
        counts = by_question.get(q)
        if counts is None or not any(counts.values()):
            continue
        elections = [s.election for s in channels_below(view).get(code, []) if s.channel == name]
        fields = ("participated", "yes", "no", "not_counted", "invalid")
        out.append({"name": name, "elections": elections, **{f: _n(counts, f) for f in fields}})
    return out


def _source(s: ChannelSource) -> dict[str, Any]:
    """The JSON description of the source (json_out), with head and ballots formatted for reading."""
    return channel_source_json(s) | {"head": s.head or "", "ballots": f"{s.ballots:,}" if s.ballots is not None else ""}


def _n(counts: Counts, fld: str) -> str:
    return f"{counts.get(fld, 0):,}"


def _outcome(outcome: Outcome) -> dict[str, Any]:
    return {
        "adopted": outcome.adopted,
        "valid": outcome.valid,
        "turnout": percent_str(outcome.turnout),
        "yes_share": percent_str(outcome.yes_share),
        "yes_share_base": outcome.yes_share_base,
        "preset": f"{outcome.preset} {outcome.preset_version}",
        "explanation": outcome.explanation,
    }


def _correction(c: Correction) -> dict[str, Any]:
    changes = []
    for q in sorted(set(c.previous) | set(c.current)):
        before: Mapping[str, int] = c.previous.get(q, {})
        after: Mapping[str, int] = c.current.get(q, {})
        for fld in [*before, *(f for f in after if f not in before)]:
            if before.get(fld) != after.get(fld):
                changes.append({"question": q, "field": fld, "before": before.get(fld), "after": after.get(fld)})
    return {"precinct": c.precinct, "version": c.version, "reason": c.reason, "changes": changes}
