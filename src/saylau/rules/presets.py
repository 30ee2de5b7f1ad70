"""Find presets: the ones shipped in ``saylau/data/presets/NAME.toml`` or a user's TOML/JSON file.

Reading package data through importlib.resources or a file the caller names is the only I/O here; the
evaluation (``decide``) is pure.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from saylau.model.errors import InputError, NotFound, Problem
from saylau.model.strict import JsonRefused, strict_json
from saylau.rules.parse import parse_preset, parse_protocols
from saylau.rules.types import Kind, Preset, ProtocolDef

__all__ = ["PROTOCOLS_FILE", "list_presets", "load_preset", "parse_preset_text", "preset_names"]

PROTOCOLS_FILE = "_protocols.toml"  # shared protocol definitions; files starting with "_" are not presets


def _root() -> Traversable:
    return resources.files("saylau").joinpath("data", "presets")


def _decode(data: bytes, source: str, suffix: str) -> dict[str, Any]:
    try:
        text = data.decode("utf-8-sig")
        doc: object = strict_json(text, floats=True) if suffix == ".json" else tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise InputError([Problem("encoding", f"not UTF-8 ({exc.reason})", file=source)]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem("toml_syntax", f"invalid TOML: {exc}", file=source)]) from None
    except JsonRefused as exc:  # a syntax error, or a key given twice (the last would silently win)
        place = exc.details  # as the event files' loader says it (io/_common.load_json)
        where = f" (column {place['column']})" if "column" in place else f" (at {place.get('path', '$')})"
        line = place.get("line")
        problem = Problem(
            "json_syntax", f"invalid JSON: {exc.message}{where}", source, line if isinstance(line, int) else None
        )
        raise InputError([problem]) from None
    except (ValueError, RecursionError):  # tomllib: an integer past Python's 4,300 digits, or nesting too deep
        message = "invalid TOML: a number too long or arrays nested too deep"
        raise InputError([Problem("toml_syntax", message, file=source)]) from None
    if not isinstance(doc, dict):
        raise InputError([Problem("type", "the file must hold one object (a table)", file=source)])
    return doc


@functools.cache
def shared_protocols() -> dict[str, ProtocolDef]:
    data = _root().joinpath(PROTOCOLS_FILE).read_bytes()
    return parse_protocols(_decode(data, PROTOCOLS_FILE, ".toml"), PROTOCOLS_FILE)


def parse_preset_text(data: bytes, source: str, suffix: str = ".toml") -> Preset:
    """A preset from the bytes of a TOML (default) or JSON (``suffix=".json"``) file."""
    return parse_preset(_decode(data, source, suffix), source, shared_protocols())


def preset_names() -> list[str]:
    root = _root()
    names = [p.name[: -len(".toml")] for p in root.iterdir() if p.name.endswith(".toml")]
    return sorted(n for n in names if not n.startswith("_"))


@functools.cache
def _shipped(name: str) -> Preset:
    source = f"{name}.toml"
    preset = parse_preset_text(_root().joinpath(source).read_bytes(), source)
    if preset.name != name:
        raise InputError([Problem("preset_name", f"declares name {preset.name!r}", source, field="name")])
    return preset


def list_presets(kind: Kind | None = "referendum") -> list[Preset]:
    """The shipped presets of ``kind`` (the referendum ones by default, as before elections came);
    ``None`` lists every kind."""
    return [p for p in (_shipped(n) for n in preset_names()) if kind is None or p.kind == kind]


def load_preset(name_or_path: str) -> Preset:
    """A shipped preset by name, or a user's preset file (a path ending in .toml or .json)."""
    if name_or_path.endswith((".toml", ".json")):
        path = Path(name_or_path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise NotFound(
                f"cannot read preset file {name_or_path}: {exc.strerror}",
                code="preset_file_not_found",
                details={"path": name_or_path},
            ) from None
        return parse_preset_text(data, name_or_path, path.suffix.lower())
    names = preset_names()
    if name_or_path not in names:
        raise NotFound(
            f"unknown preset {name_or_path!r}; known presets: {', '.join(names)}",
            code="unknown_preset",
            details={"name": name_or_path, "known": names},
        )
    return _shipped(name_or_path)
