"""Files that hold secrets (the deployment's secret key, a database password, a guardian's or a voter's
secret file): written with mode 0600, and read only when nobody but their owner can read them, as ssh does
with private keys.

A file readable or writable by its group or by others is refused (``secret_file_permissions``) before its
content is read, and the message never quotes the content.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from saylau.io.secret_files import SecretFileError
from saylau.model import Conflict

__all__ = ["SecretFileError", "read_private_file", "write_secret"]


def read_private_file(path: Path, what: str = "secret file") -> bytes:
    """The bytes of ``path`` when it is a file only its owner may access (mode 0600 or 0400)."""
    try:
        with path.open("rb") as f:
            mode = os.fstat(f.fileno()).st_mode  # the file opened, not a name that may change meanwhile
            if os.name == "posix" and stat.S_IMODE(mode) & 0o077:
                raise SecretFileError(
                    f"{path} ({what}) is open to group or others (mode {stat.S_IMODE(mode):o}): chmod 600 it first",
                    code="secret_file_permissions",
                )
            if not stat.S_ISREG(mode):
                raise SecretFileError(f"{path} ({what}) is not a regular file", code="secret_file_unreadable")
            return f.read()
    except OSError as exc:
        raise SecretFileError(f"cannot read {path} ({what}): {exc.strerror}", code="secret_file_unreadable") from exc


def write_secret(path: Path, data: bytes) -> None:
    """Create ``path`` with mode 0600 (refusing an existing file) and write ``data`` durably."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise Conflict(f"{path} exists: refusing to overwrite a secret file", code="secret_file_exists") from exc
    except OSError as exc:
        raise SecretFileError(f"cannot create {path}: {exc.strerror}", code="secret_file_unwritable") from exc
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
