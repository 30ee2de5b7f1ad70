"""Strict readers of untrusted text, shared by every parser (forms, CSV, JSON bodies and files).

Numbers are whole, non-negative and written with ASCII digits only (spec/formats.md: ``'１２３'``, ``'²'``
and ``'١'`` are not numbers, though ``str.isdigit`` says so), of bounded length: a 5,000-digit cell would
otherwise hit Python's int-string conversion limit (a ValueError deep in a parser) or cost quadratic time.
JSON is bounded too: nesting (a deeply nested body exhausts the recursion limit), the length of its
integers, and its strings must be valid Unicode (a lone surrogate ``"\\ud800"`` cannot be written out as
UTF-8). Each refusal of JSON is a ``json.JSONDecodeError``, so the callers' one ``except`` covers it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

__all__ = [
    "MAX_DIGITS",
    "MAX_JSON_DEPTH",
    "ascii_digits",
    "ascii_int",
    "check_nesting",
    "check_unicode",
    "exact_fraction",
    "strict_decoder",
    "strict_json_loads",
]

MAX_DIGITS = 18  # every count fits: 10**18 - 1 is above any electorate, and within a signed 64-bit integer
MAX_JSON_DEPTH = 64  # the deepest document saylau reads nests about 6 levels

_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"([0-9]+)(?:\.([0-9]+))?", re.ASCII)
_RATIO = re.compile(r"([0-9]+)/([0-9]+)", re.ASCII)
# a JSON string (valid ones exactly; unrolled so that long strings cost no backtracking), or a bracket
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def ascii_digits(text: str, max_digits: int = MAX_DIGITS) -> bool:
    """True when ``text`` is 1 to ``max_digits`` ASCII digits (nothing else: no sign, space or '²')."""
    return 0 < len(text) <= max_digits and _DIGITS.fullmatch(text) is not None


def ascii_int(text: str, max_digits: int = MAX_DIGITS) -> int | None:
    """``text`` as a whole number when it is 1 to ``max_digits`` ASCII digits, else None."""
    return int(text) if ascii_digits(text, max_digits) else None


def exact_fraction(text: str, max_digits: int = MAX_DIGITS) -> Fraction | None:
    """A non-negative exact number written ``"2"``, ``"0.25"`` or ``"1/2"`` (ASCII digits, each part at
    most ``max_digits`` long; no exponent, which could ask for 10**10**9), else None (also for n/0)."""
    if m := _DECIMAL.fullmatch(text):
        whole, part = m.group(1), m.group(2) or ""
        if len(whole) > max_digits or len(part) > max_digits:
            return None
        return Fraction(int(whole + part), 10 ** len(part))
    if m := _RATIO.fullmatch(text):
        num, den = m.group(1), m.group(2)
        if len(num) > max_digits or len(den) > max_digits or int(den) == 0:
            return None
        return Fraction(int(num), int(den))
    return None


class _LongNumber(ValueError):
    def __init__(self, literal: str):
        super().__init__(literal)
        self.literal = literal


def _bounded_int(max_digits: int) -> Callable[[str], int]:
    def parse(literal: str) -> int:
        if len(literal.lstrip("-")) > max_digits:
            raise _LongNumber(literal)
        return int(literal)

    return parse


class _StrictDecoder(json.JSONDecoder):
    """json.JSONDecoder whose integers are bounded; a refusal is a JSONDecodeError with its place."""

    def __init__(self, *, max_digits: int = MAX_DIGITS, **options: Any):
        super().__init__(parse_int=_bounded_int(max_digits), **options)
        self.max_digits = max_digits

    def raw_decode(self, s: str, idx: int = 0) -> tuple[Any, int]:
        try:
            return super().raw_decode(s, idx)
        except _LongNumber as exc:
            message = f"a number of more than {self.max_digits} digits"
            raise json.JSONDecodeError(message, s, max(s.find(exc.literal, idx), 0)) from None
        except RecursionError:  # unreachable after check_nesting; kept so that no input can reach it
            raise json.JSONDecodeError("nested too deep", s, idx) from None


def strict_decoder(*, max_digits: int = MAX_DIGITS, **options: Any) -> json.JSONDecoder:
    """A JSONDecoder (``options``: json's hooks) whose integers have at most ``max_digits`` digits; call
    ``check_nesting`` on the text first and ``check_unicode`` on what it decodes."""
    return _StrictDecoder(max_digits=max_digits, **options)


def check_nesting(text: str, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Raise a JSONDecodeError at the first bracket nested deeper than ``max_depth`` (strings skipped).
    Linear, and free for small documents (fewer brackets than the bound)."""
    if text.count("[") + text.count("{") <= max_depth:
        return
    depth = 0
    for m in _TOKEN.finditer(text):
        token = m.group()
        if token in ("[", "{"):
            depth += 1
            if depth > max_depth:
                raise json.JSONDecodeError(f"nested deeper than {max_depth} levels", text, m.start())
        elif token in ("]", "}"):
            depth -= 1


def check_unicode(value: Any, text: str) -> None:
    """Raise a JSONDecodeError when ``value``, decoded from ``text``, holds a lone surrogate (which no
    database or file can store as UTF-8). Free unless ``text`` has a \\uD800-\\uDFFF escape."""
    m = _SURROGATE_ESCAPE.search(text)
    if m is None:
        return
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise json.JSONDecodeError("a lone surrogate (\\ud800-\\udfff) is not a character", text, m.start()) from None


def strict_json_loads(
    text: str,
    *,
    max_depth: int = MAX_JSON_DEPTH,
    max_digits: int = MAX_DIGITS,
    **options: Any,
) -> Any:
    """``json.loads(text, **options)`` refusing, as a JSONDecodeError naming the place: nesting deeper
    than ``max_depth``, an integer of more than ``max_digits`` digits, a lone surrogate in a string.
    ``options`` are json.loads's hooks (parse_float, parse_constant, object_pairs_hook)."""
    check_nesting(text, max_depth)
    value = strict_decoder(max_digits=max_digits, **options).decode(text)
    check_unicode(value, text)
    return value
