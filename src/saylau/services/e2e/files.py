"""Reading and writing the secret files of an e2e election (spec/record.md §8): their format (bytes ↔ values)
is ``saylau.io.secret_files``; here they are created with mode 0600 (never overwritten in place: a new file is
written beside it and renamed) and read only when nobody but their owner may read them
(``services.private_files``).

These files never enter the database, the record or the logs; the use cases here audit only public facts.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from saylau.crypto.credentials import issue_credential
from saylau.crypto.group import Element, Rng
from saylau.crypto.keys import GuardianCommitment, GuardianSecrets, KeyShare
from saylau.io.secret_files import (
    CREDENTIAL,
    KEY_SHARE,
    POLYNOMIAL,
    CredentialFile,
    GuardianKeyFile,
    GuardianPolynomialFile,
    SecretFileError,
    credential_bytes,
    key_share_bytes,
    parse_credential,
    parse_key_share,
    parse_polynomial,
    polynomial_bytes,
)
from saylau.model import Conflict
from saylau.services.private_files import read_private_file, write_secret

__all__ = [
    "read_all_polynomials",
    "read_credential",
    "read_key_share",
    "read_polynomial",
    "replace_secret",
    "write_credential_files",
    "write_key_share",
    "write_polynomial",
]


def replace_secret(path: Path, data: bytes) -> None:
    """Atomically replace ``path`` by a new 0600 file holding ``data`` (the old content is gone)."""
    temporary = path.with_name(f".{path.name}.new")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    write_secret(temporary, data)
    os.replace(temporary, path)


def write_polynomial(
    path: Path, election: str, fingerprint: str, secrets_: GuardianSecrets, commitment: GuardianCommitment
) -> None:
    write_secret(path, polynomial_bytes(election, fingerprint, secrets_, commitment))


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
        write_secret(out_dir / f"voter-{n:0{width}d}.json", credential_bytes(election, fingerprint, secret))
        publics.append(public)
    return publics


def read_polynomial(path: Path, fingerprint: str) -> GuardianPolynomialFile:
    """A ``guardian-polynomial`` file of election ``fingerprint``; its secrets must match its commitment."""
    return parse_polynomial(read_private_file(path, POLYNOMIAL), path, fingerprint)


def read_key_share(path: Path, fingerprint: str) -> GuardianKeyFile:
    """A ``guardian-key-share`` file of election ``fingerprint``; s_j·G must equal its share key."""
    return parse_key_share(read_private_file(path, KEY_SHARE), path, fingerprint)


def read_credential(path: Path, fingerprint: str) -> CredentialFile:
    """A ``voter-credential`` file of election ``fingerprint``."""
    return parse_credential(read_private_file(path, CREDENTIAL), path, fingerprint)


def read_all_polynomials(paths: Sequence[Path], fingerprint: str) -> list[GuardianPolynomialFile]:
    files = [read_polynomial(p, fingerprint) for p in paths]
    indices = [f.secrets.index for f in files]
    if len(set(indices)) != len(indices):
        raise SecretFileError(f"two files for the same guardian: indices {indices}", code="secret_file_duplicate")
    return files
