"""Admissibility: each condition of the case's kind evaluated → met | not met | to be established (spec §5).

Every verdict carries its reason in words, with the date arithmetic shown ("filed 2023-06-05, 1 year after
2022-06-05 ends 2023-06-05: on the boundary day: met"). A fact the file does not establish, or a day the
calendar cannot tell, makes a condition "to be established" rather than a guess. Pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, assert_never

from saylau.disputes.calendar import WorkCalendar
from saylau.disputes.case import Case, CourtAct, EventRef, NormRef, ProtocolRef, UnitRef
from saylau.disputes.codes import DisputesCode
from saylau.disputes.errors import DisputeError
from saylau.disputes.kinds import ConditionId, KindVersion, Uncertain

__all__ = ["Admissibility", "Condition", "Verdict", "check", "filing_window"]

Verdict = Literal["met", "not_met", "to_be_established"]


@dataclass(frozen=True, slots=True)
class Condition:
    id: ConditionId
    verdict: Verdict
    reason: str
    uncertain: Uncertain | None = None

    def plain(self) -> dict[str, Any]:
        u = self.uncertain
        return {
            "id": self.id,
            "verdict": self.verdict,
            "reason": self.reason,
            "uncertain": None if u is None else {"rule": u.rule, "why": u.why, "source": u.source},
        }


@dataclass(frozen=True, slots=True)
class Admissibility:
    case: str
    kind: str
    version: str
    conditions: tuple[Condition, ...]

    @property
    def verdict(self) -> Verdict:
        """not met if any condition is not met; else to be established if any is; else met."""
        verdicts = {c.verdict for c in self.conditions}
        if "not_met" in verdicts:
            return "not_met"
        return "to_be_established" if "to_be_established" in verdicts else "met"

    def failing(self) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions if c.verdict != "met")

    def plain(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "kind": self.kind,
            "version": self.version,
            "verdict": self.verdict,
            "conditions": [c.plain() for c in self.conditions],
        }


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def filing_window(case: Case, kv: KindVersion) -> tuple[dt.date, str] | str:
    """The day the filing period runs from and what it is, or why it cannot be told."""
    if kv.filing_from == "act":
        return case.act.on, f"the {case.act.what}"
    ca = case.court_act
    if ca is None:
        return "no court act is named"
    if ca.in_force == "not_in_force":
        return f"court act {ca.number} of {ca.on.isoformat()} has not entered into force: the period has not begun"
    if ca.in_force is None:
        return f"court act {ca.number} of {ca.on.isoformat()} has no established day of entry into force"
    return ca.in_force, f"court act {ca.number} in force"


def _deadline(case: Case, kv: KindVersion, cal: WorkCalendar) -> tuple[Verdict, str]:
    period, filed = kv.filing, case.filed_on
    if period is None:
        return "met", "no filing period applies to this kind"
    window = filing_window(case, kv)
    if isinstance(window, str):
        return "to_be_established", f"the filing period runs from a day not established: {window}"
    start, what = window
    try:
        last = period.raw_end(start, cal)
    except DisputeError as exc:
        if exc.code != DisputesCode.CALENDAR_UNKNOWN:
            raise
        return "to_be_established", f"{period.text()} after {start.isoformat()} cannot be counted: {exc.message}"
    head = f"filed {filed.isoformat()}, {period.text()} after {start.isoformat()} ({what}) ends {last.isoformat()}"
    if filed == last:
        return "met", f"{head}: on the boundary day: met"
    if filed < last:
        return "met", f"{head}: {_days((last - filed).days)} before the last day: met"
    if period.roll and period.unit != "working_days":
        try:
            rolled = cal.next_working_day(last)
        except DisputeError as exc:
            if exc.code != DisputesCode.CALENDAR_UNKNOWN:
                raise
            late = _days((filed - last).days)
            return "to_be_established", (
                f"{head}; filed {late} after it, in time only if that day is a day off, which the calendar "
                f"cannot tell ({exc.message})"
            )
        if rolled != last:
            head += f", a day off ({cal.why_off(last)}): the period ends on the next working day {rolled.isoformat()}"
            if filed <= rolled:
                return "met", f"{head}: met"
            last = rolled
    return "not_met", f"{head}: {_days((filed - last).days)} after the last day: not met"


def _in_force(ca: CourtAct | None, filed: dt.date) -> tuple[Verdict, str]:
    if ca is None:
        return "not_met", "no court act in a case with the citizen's participation is named"
    name = f"court act {ca.number} of {ca.on.isoformat()} ({ca.court})"
    if ca.in_force is None:
        return "to_be_established", f"{name}: its entry into force is not established"
    if ca.in_force == "not_in_force":
        return "not_met", f"{name} has not entered into force"
    if ca.in_force > filed:
        return "not_met", f"{name} enters into force on {ca.in_force.isoformat()}, after the filing {filed.isoformat()}"
    return "met", f"{name} in force since {ca.in_force.isoformat()}"


def _applied(case: Case) -> tuple[Verdict, str]:
    ca, ref = case.court_act, case.act.ref
    if ca is None:
        return "not_met", "no court act in a case with the citizen's participation is named"
    if ca.citizen_participated is False:
        return "not_met", f"the citizen took no part in case {ca.number}"
    if not isinstance(ref, NormRef):
        return "not_met", "no norm is named"
    if ca.norms_applied is None or ca.citizen_participated is None:
        return "to_be_established", f"whether {ref.text()} was applied in case {ca.number} is not established"
    if ref in ca.norms_applied:
        return "met", f"{ref.text()} was applied in case {ca.number}, with the citizen's participation"
    applied = "; ".join(n.text() for n in ca.norms_applied) or "none named"
    return "not_met", f"{ref.text()} was not applied in case {ca.number} (applied: {applied})"


def _affects(case: Case) -> tuple[Verdict, str]:
    ca = case.court_act
    flag = None if ca is None else ca.affects_rights_directly
    if flag is None:
        return (
            "to_be_established",
            "whether the norm directly affects the citizen's rights: the judges' study (Art. 48)",
        )
    if flag:
        return "met", "the norm directly affects the citizen's constitutional rights and freedoms"
    return "not_met", "the norm does not directly affect the citizen's constitutional rights and freedoms"


def _voter_of_precinct(case: Case) -> tuple[Verdict, str]:
    voters, ref = [p for p in case.filers if p.role == "voter"], case.act.ref
    if not voters:
        return "met", "no filer files as a voter"
    if isinstance(ref, EventRef):
        return "met", f"the act concerns the whole of {ref.event}: any of its voters may file"
    where = ref.precinct if isinstance(ref, ProtocolRef) else ref.unit if isinstance(ref, UnitRef) else None
    if where is None:
        return "not_met", "a voter complains of an act that is no precinct's, unit's or event's"
    unknown = [p.name for p in voters if p.precinct is None]
    elsewhere = [f"{p.name} ({p.precinct})" for p in voters if p.precinct is not None and p.precinct != where]
    if elsewhere and isinstance(ref, ProtocolRef):
        return "not_met", f"not a voter of precinct {where}: {', '.join(elsewhere)}"
    if unknown or elsewhere:
        names = ", ".join(unknown + elsewhere)
        return "to_be_established", f"whether {names} vote(s) in {where} is not established from the register"
    return "met", f"each voter filing votes in {where}"


def _simple(cid: ConditionId, case: Case, kv: KindVersion) -> tuple[Verdict, str]:
    match cid:
        case "filer_role":
            wrong = [f"{p.name} ({p.role})" for p in case.filers if p.role not in kv.filers]
            if wrong:
                return "not_met", f"may not file ({', '.join(kv.filers)} may): {', '.join(wrong)}"
            return "met", "each filer may file: " + ", ".join(f"{p.name} ({p.role})" for p in case.filers)
        case "act_kind":
            ok = case.act.what in kv.against
            return (
                "met" if ok else "not_met"
            ), f"against a {case.act.what}; this kind is against {', '.join(kv.against)}"
        case "named_norm":
            ref = case.act.ref
            if isinstance(ref, NormRef) and ref.act.strip() and ref.article.strip():
                return "met", f"the norm is named: {ref.text()}"
            return "not_met", "the complaint names no norm (act and article)"
        case "language":
            ok = case.language in kv.languages
            return ("met" if ok else "not_met"), f"in {case.language!r}; accepted: {', '.join(kv.languages)}"
        case "form":
            ok = case.form in kv.forms
            return ("met" if ok else "not_met"), f"{case.form}; accepted: {', '.join(kv.forms)}"
        case "representative":
            rep = case.representative
            if rep is None:
                return "met", "filed in person"
            doc = f"{rep.document.name} v{rep.document.version} (sha256 {rep.document.sha256[:12]}…)"
            if rep.authority in kv.representatives:
                return "met", f"{rep.name} represents the filer by {rep.authority.replace('_', ' ')}: {doc}"
            allowed = ", ".join(kv.representatives) or "no representative"
            return "not_met", f"{rep.name}'s authority ({rep.authority}) is not accepted ({allowed})"
        case _:  # the conditions with facts of their own are evaluated in check()
            raise DisputeError(f"condition {cid} has no simple rule", code=DisputesCode.DISPUTE)


_RULE: dict[ConditionId, str] = {"filing_deadline": "filing", "directly_affects_rights": "conditions"}


def check(case: Case, kv: KindVersion, cal: WorkCalendar) -> Admissibility:
    """Every condition of ``kv`` evaluated for ``case`` (the kind's version in force on the filing day)."""
    if (case.kind, case.version) != (kv.kind, kv.id):
        raise DisputeError(
            f"case {case.id} is of {case.kind} version {case.version}, not {kv.kind} version {kv.id}",
            code=DisputesCode.BAD_CASE,
            details={"case": case.id},
        )
    out: list[Condition] = []
    for cid in kv.conditions:
        match cid:
            case "filing_deadline":
                verdict, reason = _deadline(case, kv, cal)
            case "court_act_in_force":
                verdict, reason = _in_force(case.court_act, case.filed_on)
            case "voter_of_precinct":
                verdict, reason = _voter_of_precinct(case)
            case "applied_in_citizens_case":
                verdict, reason = _applied(case)
            case "directly_affects_rights":
                verdict, reason = _affects(case)
            case "filer_role" | "act_kind" | "named_norm" | "language" | "form" | "representative":
                verdict, reason = _simple(cid, case, kv)
            case _ as never:
                assert_never(never)
        out.append(Condition(cid, verdict, reason, kv.uncertainty(_RULE.get(cid, cid))))
    return Admissibility(case.id, kv.kind, kv.id, tuple(out))
