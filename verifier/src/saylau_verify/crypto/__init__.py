"""Own implementation of spec/crypto.md: group, hash encoding, proofs, ballots, tally maths."""

__all__: list[str] = []
