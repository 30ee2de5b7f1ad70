"""The stable error codes of the domain model: the generic ones every layer may raise (spec/formats.md §15).

A ``code`` never changes its spelling once released: clients branch on it (§11). A new code is added here
(or to its own context's catalogue) and to spec/formats.md §15; tests/unit/test_error_codes.py fails
until both are done.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ModelCode"]


class ModelCode(StrEnum):
    """Codes of model/errors.py's classes and of the lifecycle's transitions."""

    ERROR = "error"  # the base class's default: an expected failure raised without a code of its own
    BAD_INPUT = "bad_input"  # an input file or body refused; ``problems`` lists each problem (file, line, field, rule)
    CONTROL_RELATION = "control_relation"  # a protocol breaks control relations; details: precinct, violations
    LIFECYCLE = "lifecycle"  # an action not allowed in the current phase (LifecycleError without a finer code)
    BAD_TRANSITION = "bad_transition"  # a phase change the lifecycle does not allow (spec/lifecycle.md)
    NOT_FOUND = "not_found"  # no such event, unit, route or object (also a 404 of the web layer)
    CONFLICT = "conflict"  # contradicts what is recorded (Conflict without a finer code)
    JSON_SYNTAX = "json_syntax"  # JSON text the strict reader refuses as not JSON; details: line, column, pos
    JSON_UTF8 = "json_utf8"  # JSON bytes that are not UTF-8; details.pos
    JSON_DEPTH = "json_depth"  # JSON nested deeper than the reader's bound; details: line, column, pos
    JSON_DIGITS = "json_digits"  # a JSON number with more digits than the reader's bound; details: line, column, pos
    JSON_SURROGATE = "json_surrogate"  # a lone surrogate escape in a JSON string; details: line, column, pos
    JSON_FLOAT = "json_float"  # a float where only integers are allowed; details: line, column, pos
    JSON_CONSTANT = "json_constant"  # NaN or Infinity in JSON; details: line, column, pos
    JSON_DUPLICATE = "json_duplicate"  # an object with a key twice; details: path, key
    CANONICAL_JSON_TYPE = "canonical_json_type"  # a value the canonical encoding does not take (a programming error)
