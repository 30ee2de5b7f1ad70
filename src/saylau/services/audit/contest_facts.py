"""An election contest's audit plan as the pages and ``audit.json`` show it (spec/audit.md §15): the contest's
options with their names, the reported outcome (seats or the winner), and each assertion with the planner's
English statement and the structured ``terms`` the pages say it from in kk, ru and en
(``publish.site.audit_words``)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, assert_never

from saylau.audit import (
    AssertionTerms,
    ContestBatch,
    DivisorSeatTerms,
    OptionAssertion,
    QuotaSeatTerms,
    ThresholdTerms,
    WinnerTerms,
)
from saylau.model import Territory, UnitCode
from saylau.services.audit.contest_reported import ContestAudit

__all__ = ["contest_counts_json", "contest_plan_facts", "terms_json"]


def _fraction(f: Fraction) -> str:
    return f"{f.numerator}/{f.denominator}"


def terms_json(terms: AssertionTerms | None) -> dict[str, Any] | None:
    """An assertion's terms (§15): ``tag`` and the facts of its kind; None when the plan has none."""
    match terms:
        case None:
            return None
        case WinnerTerms():
            return {"tag": terms.tag, "winner": terms.winner, "loser": terms.loser}
        case ThresholdTerms():
            return {"tag": terms.tag, "party": terms.party, "share": _fraction(terms.share), "over": terms.over,
                    "op": ">" if terms.strict else "≥", "base": terms.base}  # fmt: skip
        case DivisorSeatTerms():
            return {"tag": terms.tag, "method": terms.method, "winner": terms.winner, "seat": terms.seat,
                    "divisor": terms.divisor, "loser": terms.loser, "next_seat": terms.next_seat,
                    "next_divisor": terms.next_divisor}  # fmt: skip
        case QuotaSeatTerms():
            return {"tag": terms.tag, "winner": terms.winner, "seat": terms.seat, "loser": terms.loser,
                    "next_seat": terms.next_seat, "m": terms.m, "k": _fraction(terms.k)}  # fmt: skip
        case _:
            assert_never(terms)


def _assertion(a: OptionAssertion) -> dict[str, Any]:
    return {
        "id": a.id,
        "kind": a.kind,
        "statement": a.statement,
        "margin": _fraction(a.margin),
        "margin_percent": round(float(a.margin) * 100, 2),
        "terms": terms_json(a.terms),
    }


def contest_plan_facts(audited: ContestAudit, territory: Territory | None) -> dict[str, Any]:
    """The plan of a contest's audit as the pages show it (``public_json``'s ``plan`` but its SHA-256)."""
    plan, contest = audited.plan, audited.contest
    scope = None if plan.scope == "nation" else plan.scope
    names = dict(territory[UnitCode(scope)].names) if territory is not None and scope and scope in territory else {}
    return {
        "kind": plan.kind,
        "scope": plan.scope,
        "scope_names": names,
        "preset": plan.preset,
        "ballots": plan.ballots,
        "options": [{"code": o.code, "kind": str(o.kind), "names": dict(o.names)} for o in contest.options],
        "votes": dict(plan.votes),
        "seats": dict(plan.seats) if plan.kind == "party_list" else None,
        "winner": plan.winner,
        "assertions": [_assertion(a) for a in plan.assertions],
        "hardest": plan.hardest.id if plan.hardest is not None else None,
        "why_hardest": plan.why_hardest,
    }


def contest_counts_json(c: ContestBatch, options: tuple[str, ...]) -> dict[str, int]:
    """A batch's figures of the contest: each option's votes (ballot order), then ``invalid``."""
    votes = c.as_dict()
    return {**{o: int(votes.get(o, 0)) for o in options}, "invalid": int(c.invalid)}
