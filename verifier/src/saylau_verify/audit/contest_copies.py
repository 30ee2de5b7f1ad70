"""An election contest's targeted batches (spec/audit.md §13a, §14) and check A8 of its report: round 1's from
``copies.json`` as the verifier reads the text, each round's ``targeted`` and ``overturning`` from the entries.
A copy differs on the contest's figures when, for the contest's code, some field named in either the copy or
the official protocol listed beside it has different figures (a field missing on one side differs from
a figure on the other); the official figures must be the manifest's (§11: ``registered``, each option's votes,
``invalid`` = ``participated`` − the options' votes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from saylau_verify.audit import copies
from saylau_verify.audit.copies import Copies
from saylau_verify.findings import Finding

if TYPE_CHECKING:  # contest.py imports this module; its types are only named here
    from saylau_verify.audit.checks import Round
    from saylau_verify.audit.contest import CManifest, ContestState

__all__ = ["ContestFigures", "c8_targeted", "contest_disagreements", "contest_targeted", "overturning"]


def _a(step: int, subject: str, message: str) -> Finding:
    return Finding(step, subject, message, "A")


@dataclass(frozen=True, slots=True)
class ContestFigures:
    """A manifest batch's figures of the contest."""

    registered: int
    votes: Mapping[str, int]
    invalid: int


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _differs(official: Mapping[str, int], copy: Mapping[str, int]) -> bool:
    return any(official.get(name) != copy.get(name) for name in set(official) | set(copy))


def contest_targeted(copies: Copies, contest: str, batches: Mapping[str, ContestFigures]) -> list[str]:
    """The manifest's batches whose precinct has a copy that differs from its listed official protocol on the
    contest's figures, sorted by their ids' UTF-8 bytes."""
    found = {
        c.precinct
        for c in copies.copies
        if c.precinct in copies.official
        and c.precinct in batches
        and _differs(copies.official[c.precinct][1].get(contest, {}), c.figures.get(contest, {}))
    }
    return sorted(found, key=_utf8)


def contest_disagreements(copies: Copies, contest: str, batches: Mapping[str, ContestFigures]) -> list[str]:
    """The official protocols listed whose figures of the contest are not the manifest's batch's."""
    out: list[str] = []
    for precinct, (version, figures) in copies.official.items():
        batch = batches.get(precinct)
        if batch is None:
            continue
        fields = figures.get(contest, {})
        wrong = [o for o, n in batch.votes.items() if fields.get(o, 0) != n]
        if fields.get("registered") != batch.registered:
            wrong.insert(0, "registered")
        participated = fields.get("participated")
        if participated is None or participated - sum(fields.get(o, 0) for o in batch.votes) != batch.invalid:
            wrong.append("invalid (participated − the options' votes)")
        if wrong:
            out.append(f"precinct {precinct} version {version}: {', '.join(wrong)} differ from the manifest")
    return out


def _figures(m: CManifest) -> dict[str, ContestFigures]:
    return {b.id: ContestFigures(b.registered, b.votes, b.invalid) for b in m.batches}


def _targeted_counts(state: ContestState, rounds: Sequence[Round]) -> dict[str, dict[str, Any]]:
    """The hand counts (entries of ``rounds``) of round 1's targeted batches, in the order listed."""
    first = rounds[0].draw.payload["targeted"] if rounds else []
    hand: dict[str, dict[str, Any]] = {}
    for r in rounds:
        for e in r.entries:
            hand.setdefault(e.payload["batch"], e.payload)
    return {b: hand[b] for b in first if b in hand}


def overturning(state: ContestState, rounds: Sequence[Round]) -> list[str]:
    """§13a: the assertions (plan order) whose claim fails on the manifest's sums with the targeted batches'
    hand counts in place of their reported figures."""
    m, plan = state.manifest, state.plan
    counted = _targeted_counts(state, rounds)
    if m is None or plan is None or not counted:
        return []
    votes = {o: sum((counted[b.id]["votes"] if b.id in counted else b.votes).get(o, 0) for b in m.batches)
             for o in m.options}  # fmt: skip
    return [a.id for a in plan.assertions if not a.total(votes) > a.k]


def _contest_copies(state: ContestState, m: CManifest) -> list[Finding]:
    """§13a: round 1's targeted batches recomputed from copies.json (whose SHA-256 and number of copies round 1's
    draw holds) on the contest's figures; nothing to recompute for a draw made before those keys."""
    draws = [d.payload for d in state.base.of("draw")]
    out, read = copies.round1_copies(draws, state.base.files, m.event)
    if read is None:
        return out
    out += [_a(8, "copies.json official", x) for x in contest_disagreements(read, m.contest, _figures(m))]
    expected = contest_targeted(read, m.contest, _figures(m))
    if draws[0]["targeted"] != expected:
        out.append(_a(8, "draw round 1", f"targeted {draws[0]['targeted']!r}, the copies give {expected!r}"))
    return out


def c8_targeted(state: ContestState) -> list[Finding]:
    """(8) §13a for a contest: targeted batches only in round 1's draw, sorted, in the manifest, the ones the
    copies give; each round's ``targeted`` (does its hand count differ from the manifest?) and ``overturning``."""
    m = state.manifest
    if not state.typed_ok or m is None:
        return []
    out: list[Finding] = []
    rounds = state.base.rounds()
    for r in rounds:
        listed = r.draw.payload["targeted"]
        if listed and r.number != 1:
            out.append(_a(8, f"draw round {r.number}", "targeted batches outside round 1"))
        if listed != sorted(set(listed), key=_utf8):
            out.append(_a(8, f"draw round {r.number}", "targeted batches not unique and sorted by UTF-8 bytes"))
    out += _contest_copies(state, m)
    batches = {b.id: b for b in m.batches}
    unknown = [b for b in (rounds[0].draw.payload["targeted"] if rounds else []) if b not in batches]
    if unknown:
        return [*out, _a(8, "draw round 1", f"targeted batches not in the manifest: {unknown}")]
    for r in rounds:
        if r.measured is None:
            continue
        upto = rounds[: r.number]
        counted = _targeted_counts(state, upto)
        expected = [
            {"batch": b, "differs": "yes" if (p["votes"], p["invalid"]) != (batches[b].votes, batches[b].invalid)
             else "no"}
            for b, p in counted.items()
        ]  # fmt: skip
        p = r.measured.payload
        if p["targeted"] != expected:
            out.append(_a(8, f"round {r.number}", f"targeted {p['targeted']!r}, the entries give {expected!r}"))
        against = overturning(state, upto)
        if p["overturning"] != against:
            out.append(_a(8, f"round {r.number}", f"overturning {p['overturning']!r}, the entries give {against!r}"))
    return out
