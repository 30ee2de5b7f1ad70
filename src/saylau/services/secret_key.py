"""The deployment's secret key, and TOTP secrets sealed under it at rest (AES-256-GCM, ``cryptography``).

The key is 32 random bytes written as base64url text (``saylau user keygen``), handed to ``saylau serve``
and ``saylau user`` by the setting SAYLAU_SECRET_KEY or a key file; never stored in the database. A sealed
secret is ``aesgcm1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`` with a fresh 96-bit nonce from the
OS and the purpose tag and account name as associated data, so a sealed value copied to another account
does not open. The key id (8 hex digits of a tagged SHA-256 of the key) tells a wrong key from a damaged
value. NIST SP 800-38D for GCM; one key seals far fewer than 2^32 values.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from saylau.model import SaylauError

__all__ = [
    "SEALED_PREFIX",
    "SecretKey",
    "SecretKeyError",
    "is_sealed",
]

SEALED_PREFIX = "aesgcm1:"
_KEY_BYTES = 32
_NONCE_BYTES = 12
_PURPOSE = b"saylau-totp-secret-v1\x00"


class SecretKeyError(SaylauError):
    """No key, a malformed key, a value sealed under another key, or a plaintext secret (codes differ)."""

    code = "secret_key"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def is_sealed(value: str) -> bool:
    return value.startswith(SEALED_PREFIX)


@dataclass(frozen=True, slots=True)
class SecretKey:
    raw: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.raw) != _KEY_BYTES:
            raise SecretKeyError(f"a secret key is {_KEY_BYTES} bytes, not {len(self.raw)}", code="secret_key_invalid")

    @classmethod
    def generate(cls) -> SecretKey:
        return cls(secrets.token_bytes(_KEY_BYTES))

    @classmethod
    def from_text(cls, text: str, source: str = "the secret key") -> SecretKey:
        """The key from its base64url text (as ``saylau user keygen`` writes it; surrounding space ignored)."""
        try:
            raw = _unb64(text.strip())
        except (binascii.Error, ValueError) as exc:
            raise SecretKeyError(f"{source} is not base64url text", code="secret_key_invalid") from exc
        if len(raw) != _KEY_BYTES:
            raise SecretKeyError(
                f"{source} holds {len(raw)} bytes; a key is {_KEY_BYTES} bytes (make one with `saylau user keygen`)",
                code="secret_key_invalid",
            )
        return cls(raw)

    def to_text(self) -> str:
        return _b64(self.raw)

    @property
    def key_id(self) -> str:
        return hashlib.sha256(b"saylau-secret-key-id\x00" + self.raw).hexdigest()[:8]

    def seal(self, secret: str, account: str) -> str:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = AESGCM(self.raw).encrypt(nonce, secret.encode("utf-8"), _aad(account))
        return f"{SEALED_PREFIX}{self.key_id}:{_b64(nonce + sealed)}"

    def open(self, value: str, account: str) -> str:
        """The secret sealed in ``value`` for ``account``; a clear error for plaintext, another key or damage."""
        if not is_sealed(value):
            raise SecretKeyError(
                f"the one-time-code secret of {account!r} is stored in plaintext: run `saylau user rekey` once",
                code="secret_plaintext",
            )
        key_id, _, body = value[len(SEALED_PREFIX) :].partition(":")
        if key_id != self.key_id:
            raise SecretKeyError(
                f"the one-time-code secret of {account!r} was sealed with key {key_id}, not with the key given "
                f"({self.key_id})",
                code="secret_key_wrong",
                details={"account": account, "sealed_with": key_id, "given": self.key_id},
            )
        try:
            data = _unb64(body)
            plain = AESGCM(self.raw).decrypt(data[:_NONCE_BYTES], data[_NONCE_BYTES:], _aad(account))
        except (binascii.Error, ValueError, InvalidTag) as exc:
            raise SecretKeyError(
                f"the sealed one-time-code secret of {account!r} is damaged (it does not open)", code="secret_damaged"
            ) from exc
        return plain.decode("utf-8")


def _aad(account: str) -> bytes:
    name = account.encode("utf-8")
    return _PURPOSE + len(name).to_bytes(4, "big") + name
