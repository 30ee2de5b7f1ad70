"""An election contest's targeted batches from ``copies.json`` (spec/audit.md §13a, §14), as the verifier reads
the text: a copy differs on the contest's figures when, for the contest's code, some field named in either the
copy or the official protocol listed beside it has different figures (a field missing on one side differs from
a figure on the other); the official figures must be the manifest's (§11: ``registered``, each option's votes,
``invalid`` = ``participated`` − the options' votes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from saylau_verify.audit.copies import Copies

__all__ = ["ContestFigures", "contest_disagreements", "contest_targeted"]


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
