"""The register core's one error class: an expected failure with a stable code and the facts (STYLE habit 4)."""

from __future__ import annotations

from saylau.model.errors import SaylauError
from saylau.register.codes import RegisterCode

__all__ = ["RegisterError"]


class RegisterError(SaylauError):
    """A register input the rules refuse (the code says which)."""

    code: str = RegisterCode.REGISTER
