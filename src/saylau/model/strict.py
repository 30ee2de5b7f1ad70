"""Strict readers of untrusted text, shared by every parser (forms, CSV, JSON bodies and files).

Numbers are whole, non-negative and written with ASCII digits only (spec/formats.md: ``'１２３'``, ``'²'``
and ``'١'`` are not numbers, though ``str.isdigit`` says so), of bounded length: a 5,000-digit cell would
otherwise hit Python's int-string conversion limit (a ValueError deep in a parser) or cost quadratic time.
JSON is bounded too: nesting (a deeply nested body exhausts the recursion limit), the length of its
integers, and its strings must be valid Unicode (a lone surrogate ``"\\ud800"`` cannot be written out as
UTF-8). Each refusal of JSON by ``strict_json_loads`` is a ``json.JSONDecodeError``, so the callers' one
``except`` covers it.

``strict_json`` is the one strict profile (spec/record.md §2, spec/crypto.md §10.1): the bounds above, and no
floats, no NaN/Infinity constants and no duplicate key at any depth, each refusal a :class:`JsonRefused` with a
stable code and its place. Every reader of a file or body that saylau hashes, signs or keeps secret goes
through it (crypto.codec, io.strict_json and the formats built on it); the shell imports it from
``saylau.io.strict_json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from saylau.model.codes import ModelCode
from saylau.model.errors import SaylauError

__all__ = [
    "MAX_DIGITS",
    "MAX_JSON_DEPTH",
    "JsonRefused",
    "ascii_digits",
    "ascii_int",
    "check_nesting",
    "check_unicode",
    "exact_fraction",
    "strict_decoder",
    "strict_json",
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
# a JSON string (skipped), a number or a constant: the literals that ``strict_json`` may refuse, in text order
_LITERAL = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|NaN|-?Infinity', re.DOTALL)


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


class _OutOfBounds(json.JSONDecodeError):
    """A JSONDecodeError for a bound (``code``: json_depth, json_digits, json_surrogate), so that
    ``strict_json`` tells them apart without reading messages."""

    def __init__(self, msg: str, doc: str, pos: int, code: str = ModelCode.JSON_SYNTAX):
        super().__init__(msg, doc, pos)
        self.code = code


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
            raise _OutOfBounds(message, s, max(s.find(exc.literal, idx), 0), code=ModelCode.JSON_DIGITS) from None
        except RecursionError:  # unreachable after check_nesting; kept so that no input can reach it
            raise _OutOfBounds("nested too deep", s, idx, code=ModelCode.JSON_DEPTH) from None


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
                raise _OutOfBounds(f"nested deeper than {max_depth} levels", text, m.start(), code=ModelCode.JSON_DEPTH)
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
        message = "a lone surrogate (\\ud800-\\udfff) is not a character"
        raise _OutOfBounds(message, text, m.start(), code=ModelCode.JSON_SURROGATE) from None


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


# --- the strict profile ------------------------------------------------------------------------------------


class JsonRefused(SaylauError):
    """JSON text refused by :func:`strict_json`. ``code``: ``json_syntax``, ``json_depth``, ``json_digits``,
    ``json_surrogate``, ``json_float``, ``json_constant`` (``details``: line, column, pos) or
    ``json_duplicate`` (``details``: path, key)."""

    code: str = ModelCode.JSON_SYNTAX


class _Refusal(Exception):
    """Raised by the hooks of the strict profile; ``strict_json`` turns it into a placed JsonRefused."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _refuse_float(literal: str) -> object:
    raise _Refusal(code=ModelCode.JSON_FLOAT)


def _refuse_constant(literal: str) -> object:
    raise _Refusal(code=ModelCode.JSON_CONSTANT)


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _Refusal(code=ModelCode.JSON_DUPLICATE)
    return obj


class _Pairs(list[tuple[str, Any]]):
    """An object as its list of pairs, to find where a duplicate key is (only after one was refused)."""


def _first_duplicate(value: Any, path: str) -> tuple[str, str] | None:
    """(path, key) of the first object, in the order the decoder closes them, with a key twice."""
    items: list[tuple[str, Any]]
    if isinstance(value, _Pairs):
        items = [(f"{path}.{k}", v) for k, v in value]
    elif isinstance(value, list):
        items = [(f"{path}[{i}]", v) for i, v in enumerate(value)]
    else:
        return None
    for inner_path, inner in items:
        if (found := _first_duplicate(inner, inner_path)) is not None:
            return found
    if isinstance(value, _Pairs):
        seen: set[str] = set()
        for key, _ in value:
            if key in seen:
                return path, key
            seen.add(key)
    return None


def _place(text: str, pos: int) -> dict[str, object]:
    line = text.count("\n", 0, pos) + 1
    return {"line": line, "column": pos - text.rfind("\n", 0, pos), "pos": pos}


def _refused(code: str, text: str, max_depth: int, max_digits: int) -> JsonRefused:
    if code == "json_duplicate":
        pairs = strict_json_loads(text, max_depth=max_depth, max_digits=max_digits, object_pairs_hook=_Pairs)
        path, key = _first_duplicate(pairs, "$") or ("$", "")
        message = f"duplicate key {key!r} in the object at {path}"
        return JsonRefused(message, code=code, details={"path": path, "key": key})
    for m in _LITERAL.finditer(text):  # the first float or constant in the text is the one the decoder met first
        literal = m.group()
        if literal.startswith('"'):
            continue
        is_constant = literal[-1] in "Ny"  # NaN, Infinity, -Infinity
        if (code == "json_constant") == is_constant and (is_constant or any(c in literal for c in ".eE")):
            place = _place(text, m.start())
            what = "a constant" if is_constant else "a float"
            message = f"{what} ({literal[:40]}) at line {place['line']} column {place['column']}: numbers are integers"
            return JsonRefused(message, code=code, details=place)
    return JsonRefused("a float or constant", code=code)  # pragma: no cover - the decoder met one


def strict_json(
    text: str, *, max_depth: int = MAX_JSON_DEPTH, max_digits: int = MAX_DIGITS, floats: bool = False
) -> Any:
    """The strict profile of JSON (spec/record.md §2, spec/crypto.md §10.1): ``json.loads(text)`` within the
    bounds of :func:`strict_json_loads` and with no float, no NaN or Infinity and no object with a key twice
    (at any depth). Every refusal is a :class:`JsonRefused` naming its place (line and column, or the path
    of the object with the duplicate key). ``floats=True`` admits decimal numbers as Python floats, for the
    files whose format has them (GeoJSON coordinates, a preset's TOML-equivalent JSON); all else holds."""
    try:
        try:
            return strict_json_loads(
                text,
                max_depth=max_depth,
                max_digits=max_digits,
                parse_float=float if floats else _refuse_float,
                parse_constant=_refuse_constant,
                object_pairs_hook=_unique_object,
            )
        except _Refusal as refusal:  # finding a duplicate's path parses again: a later syntax error wins
            raise _refused(refusal.code, text, max_depth, max_digits) from None
    except json.JSONDecodeError as exc:
        code = exc.code if isinstance(exc, _OutOfBounds) else ModelCode.JSON_SYNTAX
        place = {"line": exc.lineno, "column": exc.colno, "pos": exc.pos}
        raise JsonRefused(str(exc), code=code, details=place) from None
