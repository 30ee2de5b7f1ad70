"""Secret files of an e2e election: a guardian's key material and a voter's credential (spec/record.md §8).

Each file is one canonical JSON object (sorted keys, no spaces, then ``\\n``), created with mode 0600 (never
overwritten in place: a new file is written beside it and renamed), carrying ``format`` =
``saylau-secret-v1``, a ``purpose`` tag, the election id and the election fingerprint E. Reading refuses a
file of another purpose, another election (fingerprint), with unknown or missing keys, that is readable by
group or others, or whose secrets do not match the public values stored beside them.

Purposes: ``guardian-polynomial`` (after ``guardian keygen``: the polynomial coefficients, the authentication
secret and the public commitment), ``guardian-key-share`` (after the ceremony: the key share s_j and its public
key s_j·G; the polynomial is erased), ``voter-credential`` (the 32-byte private credential, nothing else: no
name, no number, so nothing in it links a file to a person).

These files never enter the database, the record or the logs; the use cases here audit only public facts.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saylau.crypto import codec
from saylau.crypto.credentials import CREDENTIAL_BYTES, CredentialSecret, SigningKey, issue_credential
from saylau.crypto.errors import CryptoError, EncodingError
from saylau.crypto.group import Element, Rng, Scalar, base_mul
from saylau.crypto.keys import GuardianCommitment, GuardianSecrets, KeyShare
from saylau.model import Conflict
from saylau.model.strict import strict_json_loads
from saylau.record.encoding import canon
from saylau.services.private_files import SecretFileError, read_private_file, write_secret

__all__ = [
    "CREDENTIAL",
    "FORMAT",
    "KEY_SHARE",
    "POLYNOMIAL",
    "CredentialFile",
    "GuardianKeyFile",
    "GuardianPolynomialFile",
    "SecretFileError",
    "key_share_bytes",
    "polynomial_bytes",
    "read_all_polynomials",
    "read_credential",
    "read_key_share",
    "read_polynomial",
    "replace_secret",
    "write_credential_files",
    "write_key_share",
    "write_polynomial",
    "write_secret",
]

FORMAT = "saylau-secret-v1"
POLYNOMIAL = "guardian-polynomial"
KEY_SHARE = "guardian-key-share"
CREDENTIAL = "voter-credential"
_BASE = {"election", "fingerprint", "format", "purpose"}
_KEYS = {
    POLYNOMIAL: _BASE | {"auth_secret", "coefficients", "commitment", "guardian"},
    KEY_SHARE: _BASE | {"guardian", "key_share", "share_key"},
    CREDENTIAL: _BASE | {"credential"},
}


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


# --- writing ---------------------------------------------------------------------------------------------


def _text(purpose: str, election: str, fingerprint: str, body: dict[str, Any]) -> bytes:
    doc = {"format": FORMAT, "purpose": purpose, "election": election, "fingerprint": fingerprint, **body}
    if set(doc) != _KEYS[purpose]:  # pragma: no cover - a programming error
        raise SecretFileError(f"bad {purpose} document", code="secret_file_shape")
    return (canon(doc) + "\n").encode("utf-8")


def replace_secret(path: Path, data: bytes) -> None:
    """Atomically replace ``path`` by a new 0600 file holding ``data`` (the old content is gone)."""
    temporary = path.with_name(f".{path.name}.new")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    write_secret(temporary, data)
    os.replace(temporary, path)


def polynomial_bytes(
    election: str, fingerprint: str, secrets_: GuardianSecrets, commitment: GuardianCommitment
) -> bytes:
    body = {
        "guardian": secrets_.index,
        "coefficients": [a.hex() for a in secrets_.coefficients],
        "auth_secret": secrets_.auth.secret.hex(),
        "commitment": codec.to_plain(commitment),
    }
    return _text(POLYNOMIAL, election, fingerprint, body)


def write_polynomial(
    path: Path, election: str, fingerprint: str, secrets_: GuardianSecrets, commitment: GuardianCommitment
) -> None:
    write_secret(path, polynomial_bytes(election, fingerprint, secrets_, commitment))


def key_share_bytes(election: str, fingerprint: str, share: KeyShare, share_key: Element) -> bytes:
    body = {"guardian": share.index, "key_share": share.secret.hex(), "share_key": share_key.hex()}
    return _text(KEY_SHARE, election, fingerprint, body)


def write_key_share(path: Path, election: str, fingerprint: str, share: KeyShare, share_key: Element) -> None:
    """Replace the guardian's polynomial file by its key-share file (the polynomial is erased)."""
    replace_secret(path, key_share_bytes(election, fingerprint, share, share_key))


def write_credential_files(election: str, fingerprint: str, voters: int, out_dir: Path, rng: Rng) -> list[Element]:
    """The credential authority: ``voter-00001.json`` … in a new 0700 directory; returns the public credentials.

    The files are numbered only so they can be handed out; nothing records which file goes to whom.
    """
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise Conflict(f"{out_dir} is not an empty directory", code="out_not_empty")
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(out_dir, 0o700)
    publics: list[Element] = []
    width = max(5, len(str(voters)))
    for n in range(1, voters + 1):
        secret, public = issue_credential(fingerprint, rng)
        body = {"credential": secret.code.hex()}
        write_secret(out_dir / f"voter-{n:0{width}d}.json", _text(CREDENTIAL, election, fingerprint, body))
        publics.append(public)
    return publics


# --- reading ---------------------------------------------------------------------------------------------


def _no_float(text: str) -> object:
    raise SecretFileError("floats are not allowed in a secret file", code="secret_file_shape")


def _load(path: Path, purpose: str, fingerprint: str) -> dict[str, Any]:
    raw = read_private_file(path, purpose)
    try:
        doc = strict_json_loads(raw.decode("utf-8"), parse_float=_no_float, parse_constant=_no_float)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SecretFileError(f"{path} is not a JSON secret file", code="secret_file_syntax") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SecretFileError(f"{path} is not a {FORMAT} file", code="secret_file_format")
    if doc.get("purpose") != purpose:
        raise SecretFileError(
            f"{path} holds a {doc.get('purpose')!r} secret, this step needs a {purpose!r} one",
            code="secret_file_purpose",
        )
    if doc.get("fingerprint") != fingerprint:
        raise SecretFileError(
            f"{path} belongs to another election ({doc.get('election')!r})", code="secret_file_other_election"
        )
    if set(doc) != _KEYS[purpose]:
        raise SecretFileError(f"{path} must have exactly the keys {sorted(_KEYS[purpose])}", code="secret_file_shape")
    return doc


def _scalar(value: object, path: Path, field: str) -> Scalar:
    if not isinstance(value, str) or len(value) != 64:
        raise SecretFileError(f"{path}: {field} is not 64 hex digits", code="secret_file_shape")
    try:
        return Scalar.decode(bytes.fromhex(value))
    except (ValueError, CryptoError) as exc:
        raise SecretFileError(f"{path}: {field} is not a scalar", code="secret_file_shape") from exc


def _index(value: object, path: Path) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SecretFileError(f"{path}: guardian is not a positive integer", code="secret_file_shape")
    return value


def read_polynomial(path: Path, fingerprint: str) -> GuardianPolynomialFile:
    """A ``guardian-polynomial`` file of election ``fingerprint``; its secrets must match its commitment."""
    doc = _load(path, POLYNOMIAL, fingerprint)
    index = _index(doc["guardian"], path)
    coefficients = doc["coefficients"]
    if not isinstance(coefficients, list) or not coefficients:
        raise SecretFileError(f"{path}: coefficients is not a list", code="secret_file_shape")
    scalars = tuple(_scalar(a, path, f"coefficients[{k}]") for k, a in enumerate(coefficients))
    auth = _scalar(doc["auth_secret"], path, "auth_secret")
    try:
        commitment = codec.loads(GuardianCommitment, json.dumps(doc["commitment"]))
    except EncodingError as exc:
        raise SecretFileError(f"{path}: commitment: {exc.message}", code="secret_file_shape") from exc
    if (
        commitment.index != index
        or tuple(base_mul(a) for a in scalars) != commitment.commitments
        or base_mul(auth) != commitment.auth_key
    ):
        raise SecretFileError(f"{path}: the secrets do not match the commitment", code="secret_file_mismatch")
    secrets_ = GuardianSecrets(index, scalars, SigningKey(auth, commitment.auth_key))
    return GuardianPolynomialFile(str(doc["election"]), fingerprint, secrets_, commitment)


def read_key_share(path: Path, fingerprint: str) -> GuardianKeyFile:
    """A ``guardian-key-share`` file of election ``fingerprint``; s_j·G must equal its share key."""
    doc = _load(path, KEY_SHARE, fingerprint)
    index = _index(doc["guardian"], path)
    secret = _scalar(doc["key_share"], path, "key_share")
    try:
        share_key = Element.decode(bytes.fromhex(str(doc["share_key"])))
    except (ValueError, CryptoError) as exc:
        raise SecretFileError(f"{path}: share_key is not a group element", code="secret_file_shape") from exc
    if base_mul(secret) != share_key:
        raise SecretFileError(f"{path}: the key share does not match its public key", code="secret_file_mismatch")
    return GuardianKeyFile(str(doc["election"]), fingerprint, KeyShare(index, secret), share_key)


def read_credential(path: Path, fingerprint: str) -> CredentialFile:
    """A ``voter-credential`` file of election ``fingerprint``."""
    doc = _load(path, CREDENTIAL, fingerprint)
    value = doc["credential"]
    if not isinstance(value, str) or len(value) != 2 * CREDENTIAL_BYTES:
        raise SecretFileError(f"{path}: credential is not {CREDENTIAL_BYTES} hex bytes", code="secret_file_shape")
    try:
        code = bytes.fromhex(value)
    except ValueError as exc:
        raise SecretFileError(f"{path}: credential is not hex", code="secret_file_shape") from exc
    return CredentialFile(str(doc["election"]), fingerprint, CredentialSecret(code))


def read_all_polynomials(paths: Sequence[Path], fingerprint: str) -> list[GuardianPolynomialFile]:
    files = [read_polynomial(p, fingerprint) for p in paths]
    indices = [f.secrets.index for f in files]
    if len(set(indices)) != len(indices):
        raise SecretFileError(f"two files for the same guardian: indices {indices}", code="secret_file_duplicate")
    return files
