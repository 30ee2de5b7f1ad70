"""The format of an e2e election's secret files: a guardian's key material and a voter's credential
(spec/record.md §8). Bytes in, checked values out; reading and writing the files themselves (mode 0600, the
permission checks, the atomic replacement) is ``saylau.services.e2e.files`` over ``services.private_files``.

Each file is the envelope of ``saylau.io.strict_json`` with ``format`` = ``saylau-secret-v1``: one canonical
JSON object (sorted keys, no spaces, then ``\\n``) with a ``purpose`` tag, the election id and the election
fingerprint E. Decoding refuses a file that is not strict JSON (a float, a key twice: spec/record.md §2), of
another purpose, of another election (fingerprint), with unknown or missing keys, or whose secrets do not
match the public values stored beside them.

Purposes: ``guardian-polynomial`` (after ``guardian keygen``: the polynomial coefficients, the authentication
secret and the public commitment), ``guardian-key-share`` (after the ceremony: the key share s_j and its public
key s_j·G; the polynomial is erased), ``voter-credential`` (the 32-byte private credential, nothing else: no
name, no number, so nothing in it links a file to a person).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from saylau.crypto import codec
from saylau.crypto.credentials import CREDENTIAL_BYTES, CredentialSecret, SigningKey
from saylau.crypto.errors import CryptoError, EncodingError
from saylau.crypto.group import Element, Scalar, base_mul
from saylau.crypto.keys import GuardianCommitment, GuardianSecrets, KeyShare
from saylau.io.codes import IoCode
from saylau.io.strict_json import Envelope, EnvelopeCodes
from saylau.model.errors import SaylauError

__all__ = [
    "CREDENTIAL",
    "FORMAT",
    "KEY_SHARE",
    "POLYNOMIAL",
    "SECRET_FILES",
    "CredentialFile",
    "GuardianKeyFile",
    "GuardianPolynomialFile",
    "SecretFileError",
    "credential_bytes",
    "key_share_bytes",
    "parse_credential",
    "parse_key_share",
    "parse_polynomial",
    "polynomial_bytes",
]

FORMAT = "saylau-secret-v1"
POLYNOMIAL = "guardian-polynomial"
KEY_SHARE = "guardian-key-share"
CREDENTIAL = "voter-credential"


class SecretFileError(SaylauError):
    """A secret file that cannot be used: ``code`` says why; the message never quotes its content."""

    code = "secret_file"


SECRET_FILES = Envelope(
    FORMAT,
    {
        POLYNOMIAL: frozenset({"auth_secret", "coefficients", "commitment", "guardian"}),
        KEY_SHARE: frozenset({"guardian", "key_share", "share_key"}),
        CREDENTIAL: frozenset({"credential"}),
    },
    SecretFileError,
    EnvelopeCodes(
        syntax=IoCode.SECRET_FILE_SYNTAX,
        format=IoCode.SECRET_FILE_FORMAT,
        purpose=IoCode.SECRET_FILE_PURPOSE,
        other_election=IoCode.SECRET_FILE_OTHER_ELECTION,
        shape=IoCode.SECRET_FILE_SHAPE,
    ),
    "secret",
)


@dataclass(frozen=True, slots=True, repr=False)
class GuardianPolynomialFile:
    election: str
    fingerprint: str
    secrets: GuardianSecrets
    commitment: GuardianCommitment

    def __repr__(self) -> str:
        return f"GuardianPolynomialFile({self.election}, guardian={self.secrets.index}, <hidden>)"


@dataclass(frozen=True, slots=True, repr=False)
class GuardianKeyFile:
    election: str
    fingerprint: str
    share: KeyShare
    share_key: Element

    def __repr__(self) -> str:
        return f"GuardianKeyFile({self.election}, guardian={self.share.index}, <hidden>)"


@dataclass(frozen=True, slots=True, repr=False)
class CredentialFile:
    election: str
    fingerprint: str
    credential: CredentialSecret

    def __repr__(self) -> str:
        return f"CredentialFile({self.election}, <hidden>)"


# --- encoding --------------------------------------------------------------------------------------------


def polynomial_bytes(
    election: str, fingerprint: str, secrets_: GuardianSecrets, commitment: GuardianCommitment
) -> bytes:
    body = {
        "guardian": secrets_.index,
        "coefficients": [a.hex() for a in secrets_.coefficients],
        "auth_secret": secrets_.auth.secret.hex(),
        "commitment": codec.to_plain(commitment),
    }
    return SECRET_FILES.encode(POLYNOMIAL, election, fingerprint, body)


def key_share_bytes(election: str, fingerprint: str, share: KeyShare, share_key: Element) -> bytes:
    body = {"guardian": share.index, "key_share": share.secret.hex(), "share_key": share_key.hex()}
    return SECRET_FILES.encode(KEY_SHARE, election, fingerprint, body)


def credential_bytes(election: str, fingerprint: str, secret: CredentialSecret) -> bytes:
    return SECRET_FILES.encode(CREDENTIAL, election, fingerprint, {"credential": secret.code.hex()})


# --- decoding --------------------------------------------------------------------------------------------


def _scalar(value: object, source: object, field: str) -> Scalar:
    if not isinstance(value, str) or len(value) != 64:
        raise SecretFileError(f"{source}: {field} is not 64 hex digits", code="secret_file_shape")
    try:
        return Scalar.decode(bytes.fromhex(value))
    except (ValueError, CryptoError) as exc:
        raise SecretFileError(f"{source}: {field} is not a scalar", code="secret_file_shape") from exc


def _index(value: object, source: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SecretFileError(f"{source}: guardian is not a positive integer", code="secret_file_shape")
    return value


def parse_polynomial(data: bytes, source: object, fingerprint: str) -> GuardianPolynomialFile:
    """A ``guardian-polynomial`` file of election ``fingerprint``; its secrets must match its commitment."""
    doc = SECRET_FILES.decode(data, source, POLYNOMIAL, fingerprint)
    index = _index(doc["guardian"], source)
    coefficients = doc["coefficients"]
    if not isinstance(coefficients, list) or not coefficients:
        raise SecretFileError(f"{source}: coefficients is not a list", code="secret_file_shape")
    scalars = tuple(_scalar(a, source, f"coefficients[{k}]") for k, a in enumerate(coefficients))
    auth = _scalar(doc["auth_secret"], source, "auth_secret")
    try:
        commitment = codec.loads(GuardianCommitment, json.dumps(doc["commitment"]))
    except EncodingError as exc:
        raise SecretFileError(f"{source}: commitment: {exc.message}", code="secret_file_shape") from exc
    if (
        commitment.index != index
        or tuple(base_mul(a) for a in scalars) != commitment.commitments
        or base_mul(auth) != commitment.auth_key
    ):
        raise SecretFileError(f"{source}: the secrets do not match the commitment", code="secret_file_mismatch")
    secrets_ = GuardianSecrets(index, scalars, SigningKey(auth, commitment.auth_key))
    return GuardianPolynomialFile(str(doc["election"]), fingerprint, secrets_, commitment)


def parse_key_share(data: bytes, source: object, fingerprint: str) -> GuardianKeyFile:
    """A ``guardian-key-share`` file of election ``fingerprint``; s_j·G must equal its share key."""
    doc = SECRET_FILES.decode(data, source, KEY_SHARE, fingerprint)
    index = _index(doc["guardian"], source)
    secret = _scalar(doc["key_share"], source, "key_share")
    try:
        share_key = Element.decode(bytes.fromhex(str(doc["share_key"])))
    except (ValueError, CryptoError) as exc:
        raise SecretFileError(f"{source}: share_key is not a group element", code="secret_file_shape") from exc
    if base_mul(secret) != share_key:
        raise SecretFileError(f"{source}: the key share does not match its public key", code="secret_file_mismatch")
    return GuardianKeyFile(str(doc["election"]), fingerprint, KeyShare(index, secret), share_key)


def parse_credential(data: bytes, source: object, fingerprint: str) -> CredentialFile:
    """A ``voter-credential`` file of election ``fingerprint``."""
    doc = SECRET_FILES.decode(data, source, CREDENTIAL, fingerprint)
    value = doc["credential"]
    if not isinstance(value, str) or len(value) != 2 * CREDENTIAL_BYTES:
        raise SecretFileError(f"{source}: credential is not {CREDENTIAL_BYTES} hex bytes", code="secret_file_shape")
    try:
        code = bytes.fromhex(value)
    except ValueError as exc:
        raise SecretFileError(f"{source}: credential is not hex", code="secret_file_shape") from exc
    return CredentialFile(str(doc["election"]), fingerprint, CredentialSecret(code))
