"""`saylau audit plan|cvr|manifest|seed|draw|enter|status|report EVENT`: a risk-limiting audit of a paper event
(spec/audit.md §11-§14)."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from saylau.cli.common import (
    DEFAULT_DB,
    ActorOpt,
    DbOpt,
    EventArg,
    JsonOpt,
    console,
    handle_errors,
    open_context,
    print_json,
    read_input,
)
from saylau.cli.help import HelpTyper

if TYPE_CHECKING:
    from saylau.services.audit.workflow import DrawOutcome, PlanOutcome

# lazy: each command imports the use case it runs, so that the other commands start without them

__all__ = ["audit_app"]


audit_app = HelpTyper(
    help="A risk-limiting audit of a final result: plan, manifest, seed, draw, hand counts, status, report.",
    no_args_is_help=True,
)


def _risk_limit(text: str) -> Fraction:
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise typer.BadParameter(f"a number such as 0.05 or 1/20, not {text!r}") from None
    if not 0 < value < 1:
        raise typer.BadParameter("the risk limit is strictly between 0 and 1 (0.05 is 5%)")
    return value


@audit_app.command("plan")
@handle_errors
def audit_plan(
    event: EventArg,
    risk_limit: Annotated[
        str, typer.Option("--risk-limit", metavar="ALPHA", help="The risk limit: 0.05 (5%) by default.")
    ] = "0.05",
    method: Annotated[
        str,
        typer.Option(
            "--method",
            metavar="METHOD",
            help="macro (batch comparison over protocols), bravo (polling) or comparison (ballots against "
            "precincts' cast-vote records, or their ONE CVR).",
        ),
    ] = "macro",
    question: Annotated[
        str | None, typer.Option("--question", metavar="CODE", help="The question (default: the first).")
    ] = None,
    contest: Annotated[
        str | None,
        typer.Option("--contest", metavar="CODE", help="An election's party-list or district contest (macro)."),
    ] = None,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Plan the audit: the assertions the outcome rests on, the hardest one, the expected sizes."""
    from saylau.services.access.factor import LOCAL_CLI  # noqa: PLC0415
    from saylau.services.audit.workflow import plan_audit  # noqa: PLC0415

    methods: dict[str, Literal["macro", "bravo", "comparison"]] = {"macro": "macro", "bravo": "bravo",
                                                                   "comparison": "comparison"}  # fmt: skip
    if method not in methods:
        raise typer.BadParameter("macro, bravo or comparison", param_hint="--method")
    chosen = methods[method]
    if contest is not None and question is not None:
        raise typer.BadParameter("a question or a contest, not both", param_hint="--contest")
    outcome = plan_audit(
        open_context(db, actor),
        event,
        risk_limit=_risk_limit(risk_limit),
        method=chosen,
        question=question,
        contest=contest,
        factor=LOCAL_CLI,
    )
    if as_json:
        print_json(_plan_json(outcome))
        return
    _print_plan(outcome)


def _plan_json(outcome: PlanOutcome) -> dict[str, object]:
    from saylau.audit import AuditPlan, contest_plan_json, plan_json  # noqa: PLC0415

    estimates = [
        {"assertion": e.assertion, "method": e.method, "unit": e.unit, "sizes": dict(e.sizes)}
        for e in outcome.estimates
    ]
    plan = plan_json(outcome.plan) if isinstance(outcome.plan, AuditPlan) else contest_plan_json(outcome.plan)
    return {"event": outcome.event, "method": outcome.method, "plan": plan, "estimates": estimates}


def _print_plan(outcome: PlanOutcome) -> None:
    from saylau.audit import AuditPlan  # noqa: PLC0415
    from saylau.model.numbers import percent  # noqa: PLC0415

    if not isinstance(outcome.plan, AuditPlan):
        _print_contest_plan(outcome)
        return
    plan = outcome.plan
    console.print(f"Audit of {outcome.event}, question {plan.question}: method {outcome.method}, risk limit "
                  f"{percent(plan.risk_limit)}; reported {'adopted' if plan.adopted else 'not adopted'}")  # fmt: skip
    for a in plan.assertions:
        where = f" in {a.unit}" if a.unit else ""
        console.print(f"  {a.id}: {a.statement}{where} ({a.method}, margin {percent(a.margin)})", highlight=False)
    if plan.hardest is not None:
        console.print(f"hardest: {plan.hardest.id}: {plan.why_hardest}", highlight=False)
    for e in outcome.estimates:
        if plan.hardest is not None and e.assertion not in (plan.hardest.id, "all"):
            continue
        sizes = ", ".join(f"{_label(label)} {n:,}" for label, n in e.sizes)
        console.print(f"  expected {e.method.replace('_', ' ')} ({e.unit}): {sizes}", highlight=False)


def _print_contest_plan(outcome: PlanOutcome) -> None:
    from saylau.audit import AuditPlan  # noqa: PLC0415
    from saylau.model.numbers import percent  # noqa: PLC0415

    plan = outcome.plan
    assert not isinstance(plan, AuditPlan)
    seats = ", ".join(f"{p} {n}" for p, n in plan.seats)
    reported = f"seats {seats}" if plan.kind == "party_list" else f"winner {plan.winner}"
    kind = plan.kind.replace("_", " ")
    limit = percent(plan.risk_limit)
    console.print(f"Audit of {outcome.event}, contest {plan.contest} ({kind}): method {outcome.method}, "
                  f"risk limit {limit}; reported {reported}", highlight=False)  # fmt: skip
    for a in plan.assertions:
        console.print(f"  {a.id}: {a.statement} (margin {percent(a.margin)})", highlight=False)
    if plan.hardest is not None:
        console.print(f"hardest: {plan.hardest.id}: {plan.why_hardest}", highlight=False)
    for e in outcome.estimates:
        sizes = ", ".join(f"{_label(label)} {n:,}" for label, n in e.sizes)
        console.print(f"  expected {e.method.replace('_', ' ')} ({e.unit}): {sizes}", highlight=False)


def _label(label: str) -> str:
    """The planner's size labels in words: ``chance_90`` → "90% chance", ``no_discrepancies`` → "no discrepancies"."""
    if label.startswith("chance_"):
        return f"{label.removeprefix('chance_')}% chance:"
    return label.replace("_", " ") + ":"


@audit_app.command("cvr")
@handle_errors
def audit_cvr(
    event: EventArg,
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="CSV position,reading, one row per ballot (spec/formats.md)."),
    ],
    unit: Annotated[str, typer.Option("--unit", metavar="U", help="The precinct whose ballots these are.")],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Enter a precinct's cast-vote records for a comparison audit, before the manifest: they must agree with
    its final protocol; their SHA-256 goes into the manifest."""
    from saylau.services.access.factor import LOCAL_CLI  # noqa: PLC0415
    from saylau.services.audit.cvr import enter_cvr  # noqa: PLC0415

    outcome = enter_cvr(open_context(db, actor), event, unit, read_input(file), str(file), factor=LOCAL_CLI)
    if as_json:
        print_json({"event": event, "unit": outcome.batch, "sha256": outcome.sha256, "ballots": outcome.ballots,
                    "precincts": outcome.precincts, "expected_first_round": outcome.expected})  # fmt: skip
        return
    console.print(f"{event}: cast-vote records of {outcome.batch} kept ({outcome.ballots:,} ballots, SHA-256 "
                  f"{outcome.sha256}); {outcome.precincts:,} precinct(s) with records", highlight=False)  # fmt: skip
    console.print(f"  expected first round with these records, no discrepancies: {outcome.expected:,} ballots")


@audit_app.command("manifest")
@handle_errors
def audit_manifest(
    event: EventArg,
    out: Annotated[Path | None, typer.Option("--out", metavar="FILE", help="Also write the manifest here.")] = None,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Publish the manifest (every batch with its ballots) and its SHA-256, before the seed is rolled."""
    from saylau.services.access.factor import LOCAL_CLI  # noqa: PLC0415
    from saylau.services.audit.workflow import publish_manifest  # noqa: PLC0415

    text, digest = publish_manifest(open_context(db, actor), event, factor=LOCAL_CLI)
    if out is not None:
        out.write_bytes(text.encode("utf-8"))
    if as_json:
        print_json({"event": event, "sha256": digest, "file": str(out) if out is not None else None})
        return
    console.print(f"{event}: manifest published, SHA-256 {digest}" + (f" (written to {out})" if out else ""))


@audit_app.command("seed")
@handle_errors
def audit_seed(
    event: EventArg,
    digits: Annotated[str, typer.Option("--digits", metavar="D", help="The 20 digits rolled with dice.")],
    operator: Annotated[str, typer.Option("--operator", metavar="NAME", help="The member entering them.")],
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Enter the seed; a second member enters it again, and the two entries must be equal."""
    from saylau.services.access.factor import LOCAL_CLI  # noqa: PLC0415
    from saylau.services.audit.workflow import enter_seed  # noqa: PLC0415

    outcome = enter_seed(open_context(db, operator), event, digits, operator, factor=LOCAL_CLI)
    if as_json:
        print_json({"event": event, "entries": outcome.entries})
        return
    if outcome.entries == 1:
        console.print(f"{event}: first entry of the seed kept; a second member enters it again")
    else:
        console.print(f"{event}: the two entries agree: the seed is in the audit record")


@audit_app.command("draw")
@handle_errors
def audit_draw(event: EventArg, db: DbOpt = DEFAULT_DB, actor: ActorOpt = None, as_json: JsonOpt = False) -> None:
    """Draw the next round from the seed and the manifest: the batches (or ballots) to hand count."""
    from saylau.services.access.factor import LOCAL_CLI  # noqa: PLC0415
    from saylau.services.audit.workflow import draw_round  # noqa: PLC0415

    outcome = draw_round(open_context(db, actor), event, factor=LOCAL_CLI)
    if as_json:
        print_json(_draw_json(outcome))
        return
    d = outcome.draws
    console.print(f"{event}: round {outcome.round}, draws {d.first:,} to {d.first + len(d.batches) - 1:,}")
    if d.positions:
        for batch, position in zip(d.batches, d.positions, strict=True):
            console.print(f"  {batch}: ballot {position:,}", highlight=False)
    else:
        times = Counter(d.batches)
        console.print("drawn: " + ", ".join(f"{b} ×{n}" for b, n in sorted(times.items())), highlight=False)
    console.print(f"to hand count: {', '.join(outcome.to_count) or 'nothing new'}", highlight=False)
    if outcome.decision is not None:
        console.print(f"round measured at once: {outcome.decision.replace('_', ' ')}")


def _draw_json(outcome: DrawOutcome) -> dict[str, object]:
    d = outcome.draws
    draws: list[object] = (
        list(d.batches) if not d.positions else [list(x) for x in zip(d.batches, d.positions, strict=True)]
    )
    return {
        "event": outcome.event,
        "round": outcome.round,
        "first": d.first,
        "draws": draws,
        "to_count": list(outcome.to_count),
        "decision": outcome.decision,
    }


@audit_app.command("enter")
@handle_errors
def audit_enter(
    event: EventArg,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="Hand counts, CSV: batch,yes,no,invalid,not_counted; for a contest batch, its options, invalid; "
            "for a comparison round batch,position,reading (spec/formats.md, Audit hand counts).",
        ),
    ],
    operator: Annotated[str, typer.Option("--operator", metavar="NAME", help="Who keyed the file.")],
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Enter one operator's hand counts; two operators' agreeing entries accept a batch.

    The open round's drawn batches (round 1: also the targeted ones); after an escalation, the full hand
    count of the escalated scope's batches, which ends in whether the reported outcome stands."""
    from saylau.services.access.factor import LOCAL_CLI  # noqa: PLC0415
    from saylau.services.audit.counting import enter_counts  # noqa: PLC0415

    report = enter_counts(open_context(db, operator), event, read_input(file), str(file), operator, factor=LOCAL_CLI)
    if as_json:
        outcomes = [
            {"batch": o.batch, "decision": o.decision, "differences": [d.field for d in o.differences]}
            for o in report.outcomes
        ]
        print_json({"event": event, "round": report.round, "outcomes": outcomes, "waiting": list(report.waiting),
                    "decision": report.decision})  # fmt: skip
        return
    for o in report.outcomes:
        diff = ""
        if o.differences:
            diff = ": differs in " + ", ".join(f"{d.field} ({'/'.join(map(str, d.values))})" for d in o.differences)
        console.print(f"  {o.batch}: {o.decision.replace('_', ' ')}{diff}", highlight=False)
    if report.decision == "stands":
        console.print(f"{event}: the full hand count is complete: the reported outcome stands")
    elif report.decision == "overturned":
        console.print(f"{event}: the full hand count is complete: it overturns the reported outcome; "
                      "a finding for the commission (the results are not changed)")  # fmt: skip
    elif report.decision is not None:
        console.print(f"{event}: round {report.round} complete: {report.decision.replace('_', ' ')}")
    else:
        console.print(f"{event}: {len(report.waiting)} batch(es) of round {report.round} still to be accepted")


@audit_app.command("status")
@handle_errors
def audit_status(event: EventArg, db: DbOpt = DEFAULT_DB, as_json: JsonOpt = False) -> None:
    """Where the audit is: the risk per assertion and what is missing."""
    from saylau.services.audit.reading import status, status_json  # noqa: PLC0415

    st = status(open_context(db, None), event)
    if as_json:
        print_json(status_json(st))
        return
    console.print(f"{event}: audit of {st.question} ({st.method}, risk limit {st.risk_limit}), at {st.step}; "
                  f"{st.round} round(s), {st.draws:,} draw(s)", highlight=False)  # fmt: skip
    for r in st.risks:
        mark = "confirmed" if r["confirmed"] == "yes" else "not confirmed"
        console.print(f"  {r['assertion']}: risk {float(r['risk']):.4f} ({mark})", highlight=False)
    for t in st.targeted:
        seen = "not counted yet" if t["counted"] == "no" else ("differs" if t["differs"] == "yes" else "agrees")
        console.print(f"  targeted {t['batch']}: {seen} (reported, not part of the risk)", highlight=False)
    if st.overturning:
        console.print(f"  the targeted hand counts contradict: {', '.join(st.overturning)}", highlight=False)
    if st.hand_count is not None:
        for row in st.hand_count["tally"]:
            names = ("yes", "no", "invalid", "not_counted")
            if "votes" in row:  # an election contest: the options' votes and the ballots for none
                figures = ", ".join([*(f"{o} {n:,}" for o, n in row["votes"].items()), f"invalid {row['invalid']:,}"])
            else:
                figures = ", ".join(f"{k.replace('_', ' ')} {row[k]:,}" for k in names)
            console.print(f"  full hand count of {row['scope']}: {figures}", highlight=False)
        console.print(f"  the reported outcome {st.hand_count['outcome']}", highlight=False)
    if st.mismatches:
        console.print(f"  mismatched entries (a further entry needed): {', '.join(st.mismatches)}", highlight=False)
    console.print(f"missing: {st.missing}", highlight=False)
    if not st.chain_ok:
        console.print("[bold red]the audit record does not check[/]")


@audit_app.command("report")
@handle_errors
def audit_report(
    event: EventArg,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="The folder to write into.")] = Path("audit"),
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Export the audit record, the manifest and the plan as files a verifier reads."""
    from saylau.services.audit.reading import report  # noqa: PLC0415

    files = report(open_context(db, None), event, out)
    if as_json:
        print_json({"event": event, "files": {k: str(v) for k, v in files.items()}})
        return
    console.print(f"{event}: audit report in {out}: {', '.join(files)}")
