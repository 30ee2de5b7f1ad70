"""The words and figures for the ballots of a record (spec/record.md §10): one sentence for every output.

Pure. The verifier implements the same sentence on its own, from the spec (it imports nothing from here).
"""

from __future__ import annotations

from dataclasses import dataclass

from saylau.record.errors import RecordError

__all__ = ["BallotFigures"]


@dataclass(frozen=True, slots=True)
class BallotFigures:
    """``cast``: ``ballot`` events (re-votes included); ``spoiled``: ``spoiled`` events (challenged and opened,
    never counted); ``counted``: the last cast ballot of each credential, what the tally adds up."""

    cast: int
    spoiled: int
    counted: int

    def __post_init__(self) -> None:
        if min(self.cast, self.spoiled, self.counted) < 0 or self.counted > self.cast:
            raise RecordError(
                f"ballot figures out of range: {self.cast} cast, {self.counted} counted, {self.spoiled} spoiled"
            )
        if self.cast and not self.counted:
            raise RecordError(f"ballot figures out of range: {self.cast} cast but none counted")

    @property
    def submitted(self) -> int:
        """Every ballot the record holds: cast + spoiled."""
        return self.cast + self.spoiled

    @property
    def replaced(self) -> int:
        """Cast ballots a later one of the same credential supersedes (re-votes)."""
        return self.cast - self.counted

    def sentence(self) -> str:
        """The ballot summary of spec/record.md §10, exactly."""
        noun = "ballot" if self.submitted == 1 else "ballots"
        return (
            f"{self.submitted:,} {noun} submitted: {self.cast:,} cast ({self.counted:,} counted, "
            f"{self.replaced:,} replaced by a re-vote), {self.spoiled:,} spoiled (challenged and opened)"
        )

    def plain(self) -> dict[str, int]:
        """The JSON keys shared with the verifier's report (spec/record.md §10)."""
        return {
            "ballots_submitted": self.submitted,
            "ballots_cast": self.cast,
            "ballots_counted": self.counted,
            "revotes": self.replaced,
            "spoiled": self.spoiled,
        }
