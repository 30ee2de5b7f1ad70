"""The stable error codes of access: accounts, log-ins, one-time codes, the throttle (spec/formats.md §11,
§13–§15).

Over HTTP every refusal of access is ``forbidden`` (403) and every missing or wrong log-in
``not_authenticated`` (401); the finer code below is then ``details.reason``.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["AccessCode"]


class AccessCode(StrEnum):
    """Codes raised by saylau.services.access."""

    NOT_AUTHENTICATED = "not_authenticated"  # no valid session or log-in (401)
    FORBIDDEN = "forbidden"  # a refusal of access (403)
    BAD_CREDENTIALS = "bad_credentials"  # a wrong name or password (reason of not_authenticated; homonym: e2e)
    TOTP_REQUIRED = "totp_required"  # the action needs a valid one-time code (reason of forbidden)
    FACTOR_NOT_ACTOR = "factor_not_actor"  # a one-time code of another account than the actor's (reason of forbidden)
    OWN_ACCOUNT = "own_account"  # an administrator acting on their own account (reason of forbidden)
    DUPLICATE_ACCOUNT = "duplicate_account"  # an account of that name already exists
    TOO_MANY_ATTEMPTS = "too_many_attempts"  # throttled: too many failures; served as http_429; details.retry_after
