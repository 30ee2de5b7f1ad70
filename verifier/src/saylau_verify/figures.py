"""The ballot summary of spec/record.md §10, from the record's own events (written from the spec alone).

submitted = `ballot` + `spoiled` events; cast = `ballot` events; counted = distinct credentials among the cast
ballots (each one's last ballot is what V20 requires the tally to add); replaced = cast − counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from saylau_verify.views import Views

__all__ = ["BallotFigures", "ballot_figures"]


@dataclass(frozen=True, slots=True)
class BallotFigures:
    cast: int
    spoiled: int
    counted: int

    @property
    def submitted(self) -> int:
        return self.cast + self.spoiled

    @property
    def replaced(self) -> int:
        return self.cast - self.counted

    def sentence(self) -> str:
        """``{submitted} ballots submitted: {cast} cast ({counted} counted, {replaced} replaced by a re-vote),
        {spoiled} spoiled (challenged and opened)``, numbers grouped by three with ","."""
        noun = "ballot" if self.submitted == 1 else "ballots"
        return (
            f"{self.submitted:,} {noun} submitted: {self.cast:,} cast ({self.counted:,} counted, "
            f"{self.replaced:,} replaced by a re-vote), {self.spoiled:,} spoiled (challenged and opened)"
        )

    def as_dict(self) -> dict[str, int]:
        """The report's keys for these figures (the same keys as the producer's, spec/record.md §10)."""
        return {
            "ballots_submitted": self.submitted,
            "ballots_cast": self.cast,
            "ballots_counted": self.counted,
            "revotes": self.replaced,
            "spoiled": self.spoiled,
        }


def ballot_figures(views: Views) -> BallotFigures:
    counted = len({c.ballot.credential for c in views.cast})
    return BallotFigures(len(views.cast), len(views.spoiled), counted)
