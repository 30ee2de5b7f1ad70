"""The stable error codes of the services' kernel and of the bridge linking an e2e election to a paper
count (spec/formats.md §15). Each context has its own catalogue: services/paper, services/e2e, services/access.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ServicesCode"]


class ServicesCode(StrEnum):
    """Codes raised by the kernel (lookup, secret key, settings) and by services.channels."""

    NO_TERRITORY = "no_territory"  # an event without its territory yet: import it first
    # the key sealing TOTP secrets (§12)
    SECRET_KEY = "secret_key"  # SecretKeyError without a finer code
    SECRET_KEY_MISSING = "secret_key_missing"  # no secret key configured where one is needed
    SECRET_KEY_INVALID = "secret_key_invalid"  # a secret key that is not 32 bytes of base64url text
    SECRET_KEY_WRONG = "secret_key_wrong"  # a secret sealed with another key than the one given
    SECRET_PLAINTEXT = "secret_plaintext"  # a TOTP secret still stored in plaintext: run `saylau user rekey`
    SECRET_DAMAGED = "secret_damaged"  # a sealed TOTP secret that does not open
    # the bridge: an e2e election as a channel of a paper count
    CLOSED = "closed"  # the event's phase admits no new channel
    CHANNEL_AFTER_RESULT = "channel_after_result"  # the e2e election already has a result: link it before
    CHANNEL_LINKED = "channel_linked"  # the e2e election is already linked to a unit
    CHANNEL_TAKEN = "channel_taken"  # the unit already has an electronic channel
