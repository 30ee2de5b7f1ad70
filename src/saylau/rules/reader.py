"""A closed reader for parsed TOML/JSON: every key is consumed or reported, every problem names its path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any, TypeVar

from saylau.model.errors import Problem
from saylau.model.strict import exact_fraction

__all__ = ["Node", "Sink"]

T = TypeVar("T")


class Sink:
    """Collects the problems of one preset file."""

    __slots__ = ("problems", "source")

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def add(self, path: str, rule: str, message: str) -> None:
        self.problems.append(Problem(rule=rule, message=message, file=self.source, field=path or "(top)"))


class Node:
    """A table at ``path``. Read keys with the typed getters, then call :meth:`close`."""

    __slots__ = ("_data", "_seen", "path", "sink")

    def __init__(self, data: dict[str, Any], path: str, sink: Sink):
        self._data = data
        self._seen: set[str] = set()
        self.path = path
        self.sink = sink

    @classmethod
    def of(cls, value: object, path: str, sink: Sink) -> Node | None:
        if not isinstance(value, dict):
            sink.add(path, "type", f"expected a table, found {type(value).__name__}")
            return None
        return cls(value, path, sink)

    def sub(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return key in self._data

    def raw(self, key: str) -> object:
        self._seen.add(key)
        return self._data.get(key)

    def _get(self, key: str, kind: type[T], kind_name: str, default: T | None) -> T | None:
        self._seen.add(key)
        if key not in self._data:
            if default is None:
                self.sink.add(self.sub(key), "missing_key", f"required key {key!r} is missing")
            return default
        value = self._data[key]
        if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
            self.sink.add(self.sub(key), "type", f"expected {kind_name}, found {type(value).__name__}")
            return default
        return value

    def text(self, key: str, default: str | None = None) -> str:
        value = self._get(key, str, "a string", default)
        return value if value is not None else ""

    def choice(self, key: str, allowed: tuple[T, ...], default: T | None = None) -> T | None:
        self._seen.add(key)
        if key not in self._data:
            if default is None:
                self.sink.add(self.sub(key), "missing_key", f"required key {key!r} is missing")
            return default
        value = self._data[key]
        for item in allowed:
            if value == item:
                return item
        self.sink.add(self.sub(key), "choice", f"{value!r} is not one of {', '.join(map(str, allowed))}")
        return None

    def fraction(self, key: str, required: bool = True) -> Fraction | None:
        """A fraction written as a string: "1/2", "2/3", "0.25". Floats are refused (exact law)."""
        self._seen.add(key)
        if key not in self._data:
            if required:
                self.sink.add(self.sub(key), "missing_key", f"required key {key!r} is missing")
            return None
        value = self._data[key]
        if isinstance(value, int) and not isinstance(value, bool):
            return Fraction(value)
        if isinstance(value, str) and (exact := exact_fraction(value.strip())) is not None:
            return exact  # ASCII digits of bounded length, no exponent (model.strict)
        self.sink.add(self.sub(key), "fraction", f'{value!r} is not an exact fraction (write "1/2" or "0.5")')
        return None

    def date(self, key: str, required: bool = True) -> dt.date | None:
        self._seen.add(key)
        value = self._data.get(key)
        if value is None:
            if required:
                self.sink.add(self.sub(key), "missing_key", f"required key {key!r} is missing")
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.sink.add(self.sub(key), "date", f"{value!r} is not a date (YYYY-MM-DD)")
        return None

    def strings(self, key: str, required: bool = True) -> tuple[str, ...]:
        self._seen.add(key)
        value = self._data.get(key)
        if value is None:
            if required:
                self.sink.add(self.sub(key), "missing_key", f"required key {key!r} is missing")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.sink.add(self.sub(key), "type", "expected a list of strings")
            return ()
        return tuple(value)

    def string_table(self, key: str) -> tuple[tuple[str, str], ...]:
        """An optional table of string values, e.g. ``when = { received_balance = "exact" }``."""
        self._seen.add(key)
        value = self._data.get(key)
        if value is None:
            return ()
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            self.sink.add(self.sub(key), "type", "expected a table of strings")
            return ()
        return tuple((str(k), v) for k, v in value.items())

    def tables(self, key: str, required: bool = False) -> Iterator[Node]:
        """Each table of an array of tables; problems for anything else."""
        self._seen.add(key)
        value = self._data.get(key)
        if value is None:
            if required:
                self.sink.add(self.sub(key), "missing_key", f"required key {key!r} is missing")
            return
        if not isinstance(value, list):
            self.sink.add(self.sub(key), "type", "expected a list of tables")
            return
        for i, item in enumerate(value):
            node = Node.of(item, f"{self.sub(key)}[{i}]", self.sink)
            if node is not None:
                yield node

    def each(self, key: str, build: Callable[[Node], T | None], required: bool = False) -> tuple[T, ...]:
        out: list[T] = []
        for node in self.tables(key, required):
            built = build(node)
            node.close()
            if built is not None:
                out.append(built)
        return tuple(out)

    def close(self) -> None:
        """Report every key that no getter asked for (the schema is closed)."""
        for key in self._data:
            if key not in self._seen:
                self.sink.add(self.sub(key), "unknown_key", f"unknown key {key!r}")
