"""Import of a register file (spec/register.md §1, §5): every row checked, every bad row named (file,
line, field, rule), all or nothing; a re-import is a diff (added, moved, removed, changed) shown before it
is applied, and applied only when asked.

A first import (an empty register) streams: rows are checked and written in batches inside one
transaction, so memory stays flat at national scale (bench/bench_register.py); an identifier twice is
caught by the database's UNIQUE, and the file is then read again to name the lines. A re-import reads the
register's current entries and the file into memory and diffs them (saylau.register.model.diff).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saylau.model.errors import InputError, Problem, SaylauError
from saylau.register import BirthCheck, Entry, IdentifierScheme, RegisterDiff, Status, diff
from saylau.register.rows import CheckedRow, RowChecker
from saylau.services.context import Context
from saylau.store.register_repo import IdentifierTaken, RegisterTx, Stamp

__all__ = ["MAX_PROBLEMS", "MAX_ROWS", "ImportOptions", "ImportOutcome", "Progress", "import_register"]

MAX_ROWS = 30_000_000  # more rows than any country's register: a file beyond is refused
MAX_PROBLEMS = 100  # problems reported before the check stops
_BATCH = 50_000
_FIELD_MAX = 4096  # a field longer than this is refused by the reader before any rule

Progress = Callable[[str, int, int], None]  # (label, bytes read, file size)


@dataclass(frozen=True, slots=True)
class ImportOptions:
    scheme: IdentifierScheme = IdentifierScheme.KZ_IIN
    birth_check: BirthCheck = BirthCheck.REFUSE
    apply: bool = False
    reason: str = "register import"
    source: str | None = None  # the source document; default: the file's name and SHA-256


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    file: str
    sha256: str
    rows: int
    applied: bool
    counts: dict[str, int]  # added, moved, removed, changed
    diff: RegisterDiff | None  # None for a first import (every row is added)
    flags: tuple[Problem, ...] = field(default=())  # mismatches kept under BirthCheck.FLAG


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _unreadable(path: Path, exc: OSError) -> SaylauError:
    return SaylauError(f"cannot read {path}: {exc.strerror}", code="unreadable_file")


class _Reader:
    """The file's checked rows, streamed; problems collected (at most MAX_PROBLEMS), flags kept."""

    def __init__(self, path: Path, checker: RowChecker, progress: Progress | None):
        self.path, self.checker, self.progress = path, checker, progress
        self.problems: list[Problem] = []
        self.flags: list[Problem] = []
        self.rows = 0

    def __iter__(self) -> Iterator[tuple[int, CheckedRow]]:
        name = self.checker.file
        try:
            with self.path.open("rb") as raw:
                size = self.path.stat().st_size
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
                reader = csv.reader(text, strict=True)
                try:
                    yield from self._rows(reader, raw, size)
                except UnicodeDecodeError:
                    self.problems.append(Problem("utf8", "not UTF-8 text", name, reader.line_num + 1))
                except csv.Error as exc:
                    self.problems.append(Problem("csv", f"not CSV: {exc}", name, reader.line_num))
        except OSError as exc:
            raise _unreadable(self.path, exc) from exc

    def _rows(self, reader: Any, raw: io.BufferedReader, size: int) -> Iterator[tuple[int, CheckedRow]]:
        header = next(reader, None)
        self.problems.extend(self.checker.header(header or []))
        if self.problems:
            return
        check = self.checker.row
        for fields in reader:
            line = reader.line_num
            self.rows += 1
            if self.rows > MAX_ROWS:
                self.problems.append(Problem("rows", f"more than {MAX_ROWS:,} rows", self.checker.file, line))
                return
            if fields and max(map(len, fields)) > _FIELD_MAX:
                self.problems.append(Problem("field", f"a field over {_FIELD_MAX} characters", self.checker.file, line))
            else:
                checked = check(line, fields)
                if isinstance(checked, list):
                    self.problems.extend(checked)
                    if len(self.problems) >= MAX_PROBLEMS:
                        return
                else:
                    if checked.flags:
                        self.flags.extend(
                            Problem("iin_birth_check", f, self.checker.file, line, "identifier") for f in checked.flags
                        )
                    yield line, checked
            if self.progress is not None and self.rows % _BATCH == 0:
                self.progress("checking rows", raw.tell(), size)


def import_register(
    ctx: Context, path: Path, options: ImportOptions, progress: Progress | None = None
) -> ImportOutcome:
    """Check the file and, with ``options.apply``, write it in one transaction (nothing on any problem)."""
    sha = _sha_or_error(path)
    checker = RowChecker(path.name, options.scheme, options.birth_check)
    with ctx.store.transaction(write=True) as tx:
        reg = RegisterTx(tx)
        reg.lock()
        if reg.is_empty():
            return _first_import(ctx, reg, path, sha, checker, options, progress)
        return _reimport(ctx, reg, path, sha, checker, options, progress)


def _sha_or_error(path: Path) -> str:
    try:
        return _sha256(path)
    except OSError as exc:
        raise _unreadable(path, exc) from exc


def _refuse(reader: _Reader) -> InputError:
    n = len(reader.problems)
    more = " (the check stopped there)" if n >= MAX_PROBLEMS else ""
    return InputError(reader.problems, summary=f"{n} problem(s) in {reader.checker.file}{more}; nothing was imported")


def _stamp(ctx: Context, path: Path, sha: str, options: ImportOptions, import_id: int | None) -> Stamp:
    source = options.source or f"{path.name} sha256:{sha}"
    return Stamp(ctx.clock(), ctx.actor, options.reason, source[:400], import_id)


def _first_import(
    ctx: Context,
    reg: RegisterTx,
    path: Path,
    sha: str,
    checker: RowChecker,
    options: ImportOptions,
    progress: Progress | None,
) -> ImportOutcome:
    reader = _Reader(path, checker, progress)
    stamp = _stamp(ctx, path, sha, options, None)
    import_id = (
        reg.insert_import(path.name, sha, 0, options.scheme.value, ctx.actor, stamp.valid_from)
        if options.apply
        else None
    )
    stamp = Stamp(stamp.valid_from, stamp.actor, stamp.reason, stamp.source, import_id)
    with reg.bulk_load() if options.apply else contextlib.nullcontext():
        added = _stream(reg, reader, options, stamp, path, checker)
    counts = {"added": reader.rows, "moved": 0, "removed": 0, "changed": 0}
    if import_id is not None:
        reg.set_import_rows(import_id, added)
        _log(ctx, reg, path, sha, counts)
    return ImportOutcome(path.name, sha, reader.rows, options.apply, counts, None, tuple(reader.flags))


def _log(ctx: Context, reg: RegisterTx, path: Path, sha: str, counts: dict[str, int]) -> None:
    details = {"file": path.name, "sha256": sha, **counts}
    reg.tx.audit(None, ctx.actor, "register.import", "ok", details, ctx.clock())


def _stream(
    reg: RegisterTx, reader: _Reader, options: ImportOptions, stamp: Stamp, path: Path, checker: RowChecker
) -> int:
    """Check every row and, with apply, write them in batches; the rows written."""
    next_id = reg.next_person_id()
    batch: list[Entry] = []
    added = 0
    try:
        for _line, checked in reader:
            if not options.apply or reader.problems:
                continue
            batch.append(checked.entry)
            if len(batch) >= _BATCH:
                next_id = _write_new(reg, batch, next_id, stamp)
                added += len(batch)
                batch = []
        if reader.problems:
            raise _refuse(reader)
        if options.apply:
            next_id = _write_new(reg, batch, next_id, stamp)
            added += len(batch)
    except IdentifierTaken:
        raise _duplicates(path, checker) from None
    if not options.apply:
        _no_duplicates_in_memory(path, checker)
    return added


def _write_new(reg: RegisterTx, entries: list[Entry], next_id: int, stamp: Stamp) -> int:
    ids = range(next_id, next_id + len(entries))
    reg.add_persons([(pid, e.identifier) for pid, e in zip(ids, entries, strict=True)])
    reg.add_versions([(pid, 1, e) for pid, e in zip(ids, entries, strict=True)], stamp)
    return next_id + len(entries)


def _duplicates(path: Path, checker: RowChecker) -> InputError:
    """The lines whose identifier an earlier line has (read again: the happy path keeps no set)."""
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for line, checked in _Reader(path, checker, None):
        ident = checked.entry.identifier
        if ident in seen:
            problems.append(
                Problem("unique", f"identifier also on line {seen[ident]}", checker.file, line, "identifier")
            )
            if len(problems) >= MAX_PROBLEMS:
                break
        else:
            seen[ident] = line
    if not problems:  # the UNIQUE met a person already in the register (a concurrent import)
        problems.append(Problem("unique", "an identifier already in the register", checker.file))
    return InputError(problems, summary=f"{len(problems)} problem(s) in {checker.file}; nothing was imported")


def _no_duplicates_in_memory(path: Path, checker: RowChecker) -> None:
    error = _duplicates(path, checker)
    if error.problems and error.problems[0].line is not None:
        raise error


def _reimport(
    ctx: Context,
    reg: RegisterTx,
    path: Path,
    sha: str,
    checker: RowChecker,
    options: ImportOptions,
    progress: Progress | None,
) -> ImportOutcome:
    reader = _Reader(path, checker, progress)
    incoming: dict[str, Entry] = {}
    lines: dict[str, int] = {}
    for line, checked in reader:
        ident = checked.entry.identifier
        if ident in incoming:
            reader.problems.append(
                Problem("unique", f"identifier also on line {lines[ident]}", checker.file, line, "identifier")
            )
        else:
            incoming[ident], lines[ident] = checked.entry, line
    if reader.problems:
        raise _refuse(reader)
    current = {row.entry.identifier: row for row in reg.current()}
    changes = diff({i: row.entry for i, row in current.items()}, incoming)
    if options.apply and not changes.empty:
        now = ctx.clock()
        import_id = reg.insert_import(path.name, sha, reader.rows, options.scheme.value, ctx.actor, now)
        stamp = _stamp(ctx, path, sha, options, import_id)
        _write_new(reg, list(changes.added), reg.next_person_id(), stamp)
        updated = [
            (current[n.identifier].person_id, current[n.identifier].version + 1, n)
            for _, n in (*changes.moved, *changes.changed)
        ]
        reg.add_versions(updated, stamp)
        gone = [
            (current[e.identifier].person_id, current[e.identifier].version + 1, _moved(e)) for e in changes.removed
        ]
        reason = f"absent from {path.name}"
        reg.add_versions(gone, Stamp(stamp.valid_from, stamp.actor, reason, stamp.source, import_id))
        _log(ctx, reg, path, sha, changes.counts())
    return ImportOutcome(path.name, sha, reader.rows, options.apply, changes.counts(), changes, tuple(reader.flags))


def _moved(entry: Entry) -> Entry:
    return Entry(
        entry.identifier, entry.surname, entry.given_name, entry.patronymic, entry.birth_date, entry.sex,
        entry.address, entry.precinct, Status.MOVED,
    )  # fmt: skip
