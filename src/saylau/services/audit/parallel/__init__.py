"""Use cases: the observers' parallel check. A copy of a precinct's protocol (its figures and a photo) is
submitted by an observer (an account of role ``observer``) or by any citizen (anonymous, under a label that
holds no contact), kept append-only, and compared with the precinct's current accepted official version.

A copy never changes the count: it is evidence. The figures are parsed with the event's protocol layout
(the same form fields or protocol file as the commission's entry), the control relations are checked and
the ones broken are kept with the copy (a copy that breaks them is kept, marked). Every field where a copy
differs from the official version is listed, or "no official entry yet"; the precincts where a copy differs
are the audit's targeted batches (``targeted_precincts``), audited besides the random draw, as Colorado
targets contests besides the state-wide random selection (colorado-rla ``AuditReason``: "concern regarding
accuracy"; spec/formats.md §16).

Bounds: the photo (PNG or JPEG, at most the scans' ``max_bytes`` setting), at most ``MAX_COPIES`` copies per
account per precinct, anonymous copies throttled per client address (and per address and precinct), a
label of at most 64 characters, every count a whole number below ``MAX_COUNT``, pages of ``MAX_LISTED``.
"""

from __future__ import annotations

from saylau.services.audit.parallel.codes import CopyCode
from saylau.services.audit.parallel.compare import (
    Comparison,
    FieldDifference,
    compare,
    comparison_json,
    targeted_in,
    targeted_precincts,
)
from saylau.services.audit.parallel.forms import CopyForm, copy_form, parse_copy_file, parse_copy_form
from saylau.services.audit.parallel.listing import MAX_LISTED, CopyList, copy_photo, list_copies
from saylau.services.audit.parallel.submit import (
    ANON_ADDRESS,
    ANON_PRECINCT,
    COPY_PHASES,
    MAX_COPIES,
    PHOTO_TYPES,
    submit_copy,
)
from saylau.services.audit.parallel.submitters import Anonymous, Submitter, observer_account, require_observer

__all__ = [
    "ANON_ADDRESS",
    "ANON_PRECINCT",
    "COPY_PHASES",
    "MAX_COPIES",
    "MAX_LISTED",
    "PHOTO_TYPES",
    "Anonymous",
    "Comparison",
    "CopyCode",
    "CopyForm",
    "CopyList",
    "FieldDifference",
    "Submitter",
    "compare",
    "comparison_json",
    "copy_form",
    "copy_photo",
    "list_copies",
    "observer_account",
    "parse_copy_file",
    "parse_copy_form",
    "require_observer",
    "submit_copy",
    "targeted_in",
    "targeted_precincts",
]
