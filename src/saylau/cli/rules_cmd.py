"""`saylau presets [show NAME]` and `saylau referendum outcome --rules PRESET FILE.csv`.

Exit codes: 0 whatever the outcome; 1 on bad data (the message names file, line and field); 2 on bad
usage (unknown preset, bad --set, bad --date, a setting value not allowed).
"""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from saylau.cli.help import HelpTyper
from saylau.model.errors import InputError, NotFound, SaylauError
from saylau.model.ids import QuestionCode
from saylau.model.numbers import number_str
from saylau.model.outcome import Outcome
from saylau.model.tally import Tally

if TYPE_CHECKING:
    from saylau.rules import Preset, PresetVersion, VersionChoice
    from saylau.rules.dating import DateSource
    from saylau.rules.election_types import DistrictDef, PartyListDef
    from saylau.rules.types import Condition, Kind

# lazy: the rules (presets, decisions) and the table parser are imported where they are used, so that
# `saylau --help` and `saylau seats` start without them (issue 10 item 8)

__all__ = ["presets_app", "referendum_app"]

presets_app = HelpTyper(help="Rule presets: list them, show one.", no_args_is_help=False)
referendum_app = HelpTyper(help="Decide a referendum from a table of unit results.", no_args_is_help=True)

_DATE_SOURCE: dict[DateSource, str] = {
    "--date": "--date",
    "file": "the file's date column",
    "today": "today: no date given",
}

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
KindOpt = Annotated[
    str,
    typer.Option(
        "--kind", metavar="all|referendum|election", help="Which presets to list: all, referendum or election."
    ),
]
PRESET_HELP = "A shipped preset's name (`saylau presets`) or a preset file, TOML or JSON (format: spec/presets.md)."


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _load(name: str) -> Preset:
    from saylau.rules import load_preset  # noqa: PLC0415

    try:
        return load_preset(name)
    except NotFound as exc:
        raise _fail(f"error: {exc.message}", 2) from None
    except InputError as exc:
        raise _fail(f"error: {exc}", 1) from None


@presets_app.callback(invoke_without_command=True)
def presets_list(ctx: typer.Context, as_json: JsonOpt = False, kind: KindOpt = "all") -> None:
    """List the shipped presets (referendums and elections) with their versions' date ranges."""
    if ctx.invoked_subcommand is not None:
        return
    from saylau.rules import list_presets  # noqa: PLC0415
    from saylau.rules.types import KINDS  # noqa: PLC0415

    chosen: Kind | None = next((k for k in KINDS if k == kind), None)
    if chosen is None and kind != "all":
        raise _fail(f"error: --kind must be one of {', '.join(KINDS)}, all; got {kind!r}", 2)
    presets = list_presets(chosen)
    if as_json:
        out = [
            {"name": p.name, "title": p.title, "kind": p.kind, "versions": [_version_head(v) for v in p.versions]}
            for p in presets
        ]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    table = Table("name", "kind", "title", "versions")
    for p in presets:
        table.add_row(p.name, p.kind, p.title, "\n".join(f"{v.id}: {v.date_range()}" for v in p.versions))
    Console().print(table)
    if chosen == "referendum":
        Console().print("election presets: saylau presets --kind election", highlight=False)


@presets_app.command("show")
def presets_show(
    name: Annotated[str, typer.Argument(metavar="PRESET", help=PRESET_HELP)], as_json: JsonOpt = False
) -> None:
    """Show one preset in full: versions, rules, settings, protocol, sources."""
    preset = _load(name)
    if as_json:
        typer.echo(json.dumps(preset_json(preset), ensure_ascii=False, indent=2))
        return
    console = Console()
    console.print(f"[bold]{preset.name}[/bold]: {preset.title} ({preset.kind})")
    console.print(" ".join(preset.description.split()), highlight=False, markup=False)
    for v in preset.versions:
        console.print(f"\n[bold]version {v.id}[/bold] ({v.date_range()}): {v.label}")
        for key in ("validity", "approval"):
            for c in getattr(v, key):
                console.print(f"  {key}: {_cond_text(c)}", highlight=False, markup=False)
        if v.approval_mode == "reject_if_all":
            console.print("  approval mode: rejected only if all approval conditions hold")
        if v.party_list is not None:
            console.print(f"  party list: {_party_list_text(v.party_list)}", highlight=False, markup=False)
        if v.district is not None:
            console.print(f"  district: {_district_text(v.district)}", highlight=False, markup=False)
        for s in v.settings:
            console.print(f"  setting {s.name} = {s.default} (allowed: {', '.join(s.allowed)}): {s.why}", markup=False)
        console.print(f"  protocol {v.protocol.name}: fields {', '.join(f.name for f in v.protocol.fields)}")
        for r in v.protocol.relations:
            when = f" [when {_when(r.when)}]" if r.when else ""
            console.print(f"    {r.relation.describe()}{when} ({r.relation.source})", highlight=False, markup=False)
        for src in v.sources:
            console.print(f"  source: {src.cite}{' - ' + src.url if src.url else ''}", highlight=False)


def _when(when: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{k}={val}" for k, val in when)


def _ref(value: object) -> str:
    from saylau.rules.types import SettingRef  # noqa: PLC0415

    return f"setting {value.setting}" if isinstance(value, SettingRef) else str(value)


def _share_ref(value: object) -> str:
    from saylau.rules.decide import threshold_str  # noqa: PLC0415

    if isinstance(value, Fraction):
        return threshold_str(value)
    return "none" if value is None else _ref(value)


def _party_list_text(p: PartyListDef) -> str:
    seats = f"{p.seats} seats" if p.seats is not None else "seats of the contest"
    op = ">" if p.threshold_strict else ">="
    return (
        f"{seats}, method {_ref(p.method)}, threshold {op} {_share_ref(p.threshold)} of {_ref(p.threshold_base)}, "
        f"ties by {_ref(p.tie_break)} ({p.source})"
    )


def _district_text(d: DistrictDef) -> str:
    return f"{d.rule}; against all first: {_ref(d.against_all_wins)}; tie: {_ref(d.tie)} ({d.source})"


def _party_list_json(p: PartyListDef | None) -> dict[str, Any] | None:
    if p is None:
        return None
    threshold = p.threshold
    return {
        "seats": p.seats,
        "method": _ref(p.method),
        "threshold": f"{threshold.numerator}/{threshold.denominator}"
        if isinstance(threshold, Fraction)
        else _share_ref(threshold),
        "threshold_base": _ref(p.threshold_base),
        "threshold_strict": p.threshold_strict,
        "tie_break": _ref(p.tie_break),
        "quota_overflow": p.quota_overflow,
        "droop_exact": p.droop_exact,
        "first_divisor": f"{p.first_divisor.numerator}/{p.first_divisor.denominator}",
        "source": p.source,
    }


def _district_json(d: DistrictDef | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"rule": d.rule, "against_all_wins": _ref(d.against_all_wins), "tie": _ref(d.tie), "source": d.source}


def _cond_text(c: Condition) -> str:
    from saylau.rules.decide import threshold_str  # noqa: PLC0415

    text = f"{c.num} / {_ref(c.den)} {c.op} {threshold_str(c.threshold)}"
    if c.scope == "units":
        text += f" in units with {c.quota_op} {c.quota} of the weight (rounding: {_ref(c.rounding)})"
    when = f" [when {_when(c.when)}]" if c.when else ""
    return f"{c.label}: {text}{when} ({c.source})"


def _cond_json(c: Condition) -> dict[str, Any]:
    return {
        "id": c.id,
        "label": c.label,
        "scope": c.scope,
        "num": c.num,
        "den": _ref(c.den),
        "op": c.op,
        "threshold": f"{c.threshold.numerator}/{c.threshold.denominator}",
        "quota": None if c.quota is None else f"{c.quota.numerator}/{c.quota.denominator}",
        "quota_op": c.quota_op if c.scope == "units" else None,
        "rounding": _ref(c.rounding) if c.scope == "units" else None,
        "when": dict(c.when),
        "source": c.source,
    }


def _version_head(v: PresetVersion) -> dict[str, Any]:
    return {
        "id": v.id,
        "label": v.label,
        "valid_from": v.valid_from.isoformat(),
        "valid_to": v.valid_to.isoformat() if v.valid_to else None,
    }


def preset_json(preset: Preset) -> dict[str, Any]:
    versions = []
    for v in preset.versions:
        head = _version_head(v)
        head.update(
            sources=[{"cite": s.cite, "url": s.url} for s in v.sources],
            validity=[_cond_json(c) for c in v.validity],
            approval=[_cond_json(c) for c in v.approval],
            approval_mode=v.approval_mode if v.kind == "referendum" else None,
            settings=[
                {
                    "name": s.name,
                    "description": s.description,
                    "allowed": list(s.allowed),
                    "default": s.default,
                    "why": s.why,
                }
                for s in v.settings
            ],
            party_list=_party_list_json(v.party_list),
            district=_district_json(v.district),
            protocol={
                "name": v.protocol.name,
                "kind": v.protocol.kind,
                "fields": [{"name": f.name, "labels": dict(f.labels)} for f in v.protocol.fields],
                "relations": [
                    {
                        "name": r.relation.name,
                        "relation": r.relation.describe(),
                        "source": r.relation.source,
                        "when": dict(r.when),
                    }
                    for r in v.protocol.relations
                ],
            },
        )
        versions.append(head)
    return {
        "name": preset.name,
        "title": preset.title,
        "kind": preset.kind,
        "description": preset.description,
        "versions": versions,
    }


@referendum_app.callback()
def referendum_group() -> None:
    """Referendum commands."""


def _parse_sets(sets: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in sets:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise _fail(f"error: --set expects KEY=VALUE, got {item!r}", 2)
        out[key.strip()] = value.strip()
    return out


def _parse_date(text: str | None) -> dt.date | None:
    from saylau.io.outcome_table import parse_iso_date  # noqa: PLC0415  # lazy: the table parser (issue 10 item 8)

    if text is None:
        return None
    day = parse_iso_date(text)
    if day is None:
        raise _fail(f"error: --date expects YYYY-MM-DD, got {text!r}", 2)
    return day


@referendum_app.command("outcome")
def outcome_cmd(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="The unit results, CSV: unit,registered,participated,yes,no[,not_counted,invalid,weight,date] "
            "(format: spec/presets.md, Unit table).",
        ),
    ],
    rules: Annotated[str, typer.Option("--rules", metavar="PRESET", help=PRESET_HELP)],
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="Day of the vote: the preset version in force then applies. Default: the file's date "
            "column, else today (the output says so). Wins over the file's date.",
        ),
    ] = None,
    sets: Annotated[
        list[str] | None, typer.Option("--set", metavar="KEY=VALUE", help="Override a setting (repeatable).")
    ] = None,
    question: Annotated[str, typer.Option("--question", metavar="CODE", help="Question code in the output.")] = "q1",
    as_json: JsonOpt = False,
) -> None:
    """Decide from a table of unit results (no database needed)."""
    from saylau.io.outcome_table import parse_outcome_file  # noqa: PLC0415
    from saylau.rules import choose_version, decide, outcome_json  # noqa: PLC0415

    overrides = _parse_sets(sets or [])
    day = _parse_date(date)
    preset = _load(rules)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise _fail(f"error: cannot read {file}: {exc.strerror}", 1) from None
    try:
        table = parse_outcome_file(data, str(file))
    except InputError as exc:
        raise _fail(f"error: {exc}", 1) from None
    try:
        choice = choose_version(preset, day, table.date, dt.date.today())
        settings = choice.version.resolve_settings(overrides)
    except SaylauError as exc:
        raise _fail(f"error: {exc.message}", 2) from None
    rows = table.rows
    national = Tally.total(r.tally for r in rows)
    outcome = decide(choice.version, settings, QuestionCode(question), national, rows)
    if as_json:
        body = {"applied_version": choice.plain(), **outcome_json(outcome)}
        body["settings"] = dict(settings)
        body["national"] = {
            k: getattr(national, k) for k in ("registered", "participated", "yes", "no", "not_counted", "invalid")
        }
        typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
        return
    _print_outcome(outcome, dict(settings), choice)


def _print_outcome(outcome: Outcome, settings: dict[str, str], choice: VersionChoice) -> None:
    from saylau.rules import outcome_json  # noqa: PLC0415

    console = Console()
    notice = choice.notice()
    if notice is not None:  # first, before the figures: the result rests on it (issue 17 item 7)
        style = "bold yellow" if choice.assumed else "bold"
        console.print(f"NOTE: {notice}", style=style, highlight=False, soft_wrap=True, markup=False)
    table = Table(show_header=False)
    table.add_row("preset", f"{outcome.preset} (version {outcome.preset_version})")
    table.add_row("rules as of", f"{choice.date.isoformat()} ({_DATE_SOURCE[choice.source]})")
    table.add_row("settings", ", ".join(f"{k}={v}" for k, v in settings.items()) or "none")
    table.add_row("valid", "yes" if outcome.valid else "no")
    table.add_row("adopted", "[green]yes[/green]" if outcome.adopted else "[red]no[/red]")
    j = outcome_json(outcome)
    table.add_row("turnout", f"{j['turnout']} ({j['turnout_exact']})")
    table.add_row(f"yes share (of {outcome.yes_share_base})", f"{j['yes_share']} ({j['yes_share_exact']})")
    if outcome.units_yes is not None and outcome.units_total is not None:
        req = number_str(outcome.units_required) if outcome.units_required is not None else "-"
        table.add_row("units", f"{number_str(outcome.units_yes)} of {number_str(outcome.units_total)}, {req} required")
    console.print(table)
    for line in outcome.explanation:
        console.print(f"- {line}", highlight=False, soft_wrap=True, markup=False)
