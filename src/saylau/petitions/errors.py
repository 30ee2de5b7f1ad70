"""The petitions' one error class: an expected failure with a stable code and the facts (STYLE habit 4)."""

from __future__ import annotations

from saylau.model.errors import SaylauError
from saylau.petitions.codes import PetitionsCode

__all__ = ["PetitionError"]


class PetitionError(SaylauError):
    """A petition, signature, keying, preset or sample the core cannot take (the code says which)."""

    code: str = PetitionsCode.PETITION
