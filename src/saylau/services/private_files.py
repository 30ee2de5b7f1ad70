"""Files that hold secrets (the deployment's secret key, a database password, a guardian's or a voter's
secret file): read only when nobody but their owner can read them, as ssh does with private keys.

A file readable or writable by its group or by others is refused (``secret_file_permissions``) before its
content is read, and the message never quotes the content.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from saylau.model import SaylauError

__all__ = ["SecretFileError", "read_private_file"]


class SecretFileError(SaylauError):
    """A secret file that cannot be used: ``code`` says why; the message never quotes its content."""

    code = "secret_file"


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
