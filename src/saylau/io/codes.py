"""The stable error codes of files and their formats (spec/formats.md §15; the formats: spec/e2e.md).

Reading and writing files, the secret files (``saylau-secret-v1``) and the ceremony's exchange files
(``saylau-exchange-v1``). Their parsers are moving from services into io (issue 10); the codes are the
edge's whichever module raises them today. An input refused by an io parser is ``bad_input`` (model).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["IoCode"]


class IoCode(StrEnum):
    """Codes of files: reading, writing, the secret and exchange file formats."""

    UNREADABLE_FILE = "unreadable_file"  # a file that cannot be read
    UNWRITABLE = "unwritable"  # a file or folder that cannot be written
    OUT_NOT_EMPTY = "out_not_empty"  # an output folder that exists and is not empty
    # secret files: mode 0600, never quoted in a message
    SECRET_FILE = "secret_file"  # SecretFileError without a finer code
    SECRET_FILE_UNREADABLE = "secret_file_unreadable"  # a secret file that is not a regular file or cannot be read
    SECRET_FILE_PERMISSIONS = "secret_file_permissions"  # a secret file open to group or others
    SECRET_FILE_EXISTS = "secret_file_exists"  # a secret file that would be overwritten
    SECRET_FILE_UNWRITABLE = "secret_file_unwritable"  # a secret file that cannot be created
    SECRET_FILE_SYNTAX = "secret_file_syntax"  # a secret file that is not JSON
    SECRET_FILE_FORMAT = "secret_file_format"  # a JSON file that is not a saylau-secret-v1 file
    SECRET_FILE_PURPOSE = "secret_file_purpose"  # a secret file of another purpose than the step needs
    SECRET_FILE_OTHER_ELECTION = "secret_file_other_election"  # a secret file of another election
    SECRET_FILE_SHAPE = "secret_file_shape"  # a secret file with wrong keys or a malformed value (or a float)
    SECRET_FILE_MISMATCH = "secret_file_mismatch"  # secrets that do not match their published commitment or key
    SECRET_FILE_DUPLICATE = "secret_file_duplicate"  # two secret files of the same guardian
    # the ceremony's exchange files
    EXCHANGE_FILE = "exchange_file"  # ExchangeFileError without a finer code
    EXCHANGE_DIR_MISSING = "exchange_dir_missing"  # the exchange folder is not a directory
    EXCHANGE_FILE_UNREADABLE = "exchange_file_unreadable"  # an exchange file that cannot be read
    EXCHANGE_FILE_SYNTAX = "exchange_file_syntax"  # an exchange file that is not JSON
    EXCHANGE_FILE_FORMAT = "exchange_file_format"  # a JSON file that is not a saylau-exchange-v1 file
    EXCHANGE_FILE_PURPOSE = "exchange_file_purpose"  # an exchange file of an unexpected purpose here
    EXCHANGE_FILE_OTHER_ELECTION = "exchange_file_other_election"  # an exchange file of another election
    EXCHANGE_FILE_SHAPE = "exchange_file_shape"  # an exchange file with wrong keys or a malformed value
    EXCHANGE_FILE_MISNAMED = "exchange_file_misnamed"  # a file whose content is for another slot than its name
    EXCHANGE_FILE_CONFLICT = "exchange_file_conflict"  # two files for one slot that differ, or another's commitment
    EXCHANGE_FILE_EXISTS = "exchange_file_exists"  # an exchange file that exists with other content
