"""The voter register on SQLite and PostgreSQL (spec/register.md): an import all or nothing with every bad
row named, the bulk paths (executemany, COPY), a re-import as a diff applied only on request, versions
never rewritten, lists at a date, the protocols' registered checked, a voter's own check, certificates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.elections import SMALL, load

from saylau.model.errors import Conflict, InputError, NotFound
from saylau.register import BirthCheck, IdentifierScheme, Status, check_digit
from saylau.services.access.throttle import TooManyAttempts
from saylau.services.context import Context
from saylau.services.register import (
    ImportOptions,
    check_own_entry,
    check_registered,
    import_register,
    issue_certificate,
    list_extract,
    own_entry,
    person_history,
    voter_lists,
)
from saylau.services.register.codes import RegisterFlowCode

HEADER = "identifier,surname,given_name,patronymic,birth_date,sex,address,precinct,status\n"
APPLY = ImportOptions(apply=True)


def iin(born: dt.date, sex: str, serial: int) -> str:
    """A valid IIN for a birth date, sex and serial, by the published algorithm (spec/register.md §2)."""
    century = {1800: 1, 1900: 3, 2000: 5}[born.year // 100 * 100] + (sex == "f")
    for n in range(serial, serial + 100):
        first = f"{born:%y%m%d}{century}{n:04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
    raise AssertionError("no IIN")


def row(
    n: int, precinct: str = "P1", *, status: str = "active", surname: str = "Әлиев", born: str = "1980-03-0"
) -> str:
    birth = dt.date.fromisoformat(f"{born}{n % 9 + 1}")
    return f'{iin(birth, "m", n * 10)},{surname},Қайрат,,{birth},m,"Астана, көше {n}",{precinct},{status}\n'


def write(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_a_first_import_writes_every_person_once(ctx: Context, tmp_path: Path) -> None:
    path = write(tmp_path, "reg.csv", [row(1), row(2), row(3, "P2"), row(4, "P2", status="deceased")])
    dry = import_register(ctx, path, ImportOptions())
    assert (dry.applied, dry.counts["added"]) == (False, 4)
    with pytest.raises(NotFound):
        person_history(ctx, iin(dt.date(1980, 3, 2), "m", 10))  # nothing written without --apply
    done = import_register(ctx, path, APPLY)
    assert done.applied
    assert done.sha256 == dry.sha256
    history = person_history(ctx, iin(dt.date(1980, 3, 2), "m", 10))
    assert [(v.version, v.entry.surname, v.entry.precinct, v.actor) for v in history] == [
        (1, "әлиев", "P1", "official-1")
    ]
    assert history[0].source == f"reg.csv sha256:{done.sha256}"
    lists = voter_lists(ctx, ctx.clock(), polling_day=dt.date(2022, 6, 5))
    assert lists.counts == {"P1": 2, "P2": 1}  # the deceased is on no list


def test_every_bad_row_is_named_and_nothing_is_written(ctx: Context, tmp_path: Path) -> None:
    good = row(1)
    bad_digit = good[:11] + str((int(good[11]) + 1) % 10) + good[12:]
    rows = [
        good,
        bad_digit,
        row(2).replace("1980-03-03", "1980-03-04"),  # the IIN encodes 3 March
        row(3).replace(",P1,", ",P 1,"),
        row(4).replace("active", "alive"),
        "123,a\n",
        row(5).replace(",m,", ",x,"),
        row(6).replace("Қайрат", "Қай\x00рат"),
        row(1),  # the first row again
    ]
    with pytest.raises(InputError) as caught:
        import_register(ctx, write(tmp_path, "bad.csv", rows), APPLY)
    where = {(p.line, p.field, p.rule) for p in caught.value.problems}
    assert where == {
        (3, "identifier", "bad_identifier"),
        (4, "identifier", "identifier_mismatch"),
        (5, "precinct", "precinct"),
        (6, "status", "status"),
        (7, None, "columns"),
        (8, "sex", "sex"),
        (9, "given_name", "nul"),
    }
    assert all(p.file == "bad.csv" for p in caught.value.problems)
    with pytest.raises(InputError) as twice:  # the bad rows gone: the identifier twice is caught by the UNIQUE
        import_register(ctx, write(tmp_path, "twice.csv", [row(1), row(2), row(1)]), APPLY)
    assert [(p.line, p.rule) for p in twice.value.problems] == [(4, "unique")]
    with pytest.raises(NotFound):
        person_history(ctx, iin(dt.date(1980, 3, 2), "m", 10))
    # the refusals left the tables and their indexes as they were: the next import drops and makes them again
    assert import_register(ctx, write(tmp_path, "ok.csv", [row(1), row(2)]), APPLY).counts["added"] == 2


def test_flagged_mismatches_are_taken_and_reported(ctx: Context, tmp_path: Path) -> None:
    rows = [row(2).replace("1980-03-03", "1980-03-04")]
    outcome = import_register(
        ctx, write(tmp_path, "f.csv", rows), ImportOptions(apply=True, birth_check=BirthCheck.FLAG)
    )
    assert [(p.line, p.rule) for p in outcome.flags] == [(2, "iin_birth_check")]


def test_a_plain_scheme_takes_any_unique_key(ctx: Context, tmp_path: Path) -> None:
    rows = ['X\\1,"O\\Neil, ""Jo""",Jane,,1970-01-01,,"Main St\\1\t2",P1,active\n']  # COPY's escapes
    outcome = import_register(
        ctx, write(tmp_path, "plain.csv", rows), ImportOptions(apply=True, scheme=IdentifierScheme.PLAIN)
    )
    assert outcome.counts["added"] == 1
    assert own_entry(ctx, "X\\1", dt.date(1970, 1, 1)).precinct == "P1"
    (version,) = person_history(ctx, "X\\1")
    assert (version.entry.surname, version.entry.address) == ('o\\neil, "jo"', "Main St\\1 2")


def test_a_reimport_is_a_diff_applied_only_when_asked(ctx: Context, tmp_path: Path) -> None:
    import_register(ctx, write(tmp_path, "v1.csv", [row(1), row(2), row(3), row(4, status="deceased")]), APPLY)
    at_first = ctx.clock()
    second = write(tmp_path, "v2.csv", [row(1), row(2, "P2"), row(3, surname="Әлиева"), row(5)])
    shown = import_register(ctx, second, ImportOptions())
    assert shown.counts == {"added": 1, "moved": 1, "removed": 0, "changed": 1}
    assert shown.diff is not None
    assert not shown.applied
    assert voter_lists(ctx, ctx.clock(), polling_day=dt.date(2022, 6, 5)).counts == {"P1": 3}
    applied = import_register(ctx, second, APPLY)
    assert applied.applied
    assert voter_lists(ctx, ctx.clock(), polling_day=dt.date(2022, 6, 5)).counts == {"P1": 3, "P2": 1}
    # the snapshot at an earlier instant is the register as it then was
    assert voter_lists(ctx, at_first, polling_day=dt.date(2022, 6, 5)).counts == {"P1": 3}
    moved = person_history(ctx, iin(dt.date(1980, 3, 3), "m", 20))
    assert [(v.version, v.entry.precinct) for v in moved] == [(1, "P1"), (2, "P2")]
    assert import_register(ctx, second, ImportOptions()).diff.empty  # type: ignore[union-attr]
    # a person absent from the next file is removed: a new version, status moved; the old one stays
    import_register(ctx, write(tmp_path, "v3.csv", [row(1), row(2, "P2"), row(5)]), APPLY)
    gone = person_history(ctx, iin(dt.date(1980, 3, 4), "m", 30))
    assert [(v.version, v.entry.status, v.reason) for v in gone][-1] == (3, Status.MOVED, "absent from v3.csv")
    assert gone[0].entry.status is Status.ACTIVE


def test_voting_age_is_reached_by_polling_day(ctx: Context, tmp_path: Path) -> None:
    young = [row(1, born="2004-06-0"), row(7, born="2004-06-0")]  # 2 June and 8 June 2004
    import_register(ctx, write(tmp_path, "y.csv", young), APPLY)
    assert voter_lists(ctx, ctx.clock(), polling_day=dt.date(2022, 6, 5)).counts == {"P1": 1}


def test_a_voter_checks_their_own_entry(ctx: Context, tmp_path: Path) -> None:
    import_register(ctx, write(tmp_path, "r.csv", [row(1)]), APPLY)
    ident = iin(dt.date(1980, 3, 2), "m", 10)
    assert own_entry(ctx, ident, dt.date(1980, 3, 2)).status is Status.ACTIVE
    for who, born in ((ident, dt.date(1980, 3, 3)), ("000000000000", dt.date(1980, 3, 2))):
        with pytest.raises(NotFound) as caught:
            own_entry(ctx, who, born)
        assert caught.value.code == RegisterFlowCode.PERSON_NOT_FOUND
        assert caught.value.message == "no such entry for this identifier and birth date"


PROTOCOLS = (
    b"precinct,question,registered,received,issued,cancelled,participated,yes,no,not_counted,invalid\n"
    b"P1,q1,2,2,2,0,2,1,1,0,0\n"
    b"P2,q1,5,5,2,3,2,1,1,0,0\n"
)


def test_certificates_and_the_registered_check(ctx: Context, tmp_path: Path) -> None:
    event = load(ctx, SMALL, operators=("alice", "bob"), protocols=PROTOCOLS)
    import_register(ctx, write(tmp_path, "r.csv", [row(1), row(2), row(3), row(4, "P2")]), APPLY)
    first = issue_certificate(ctx, event, iin(dt.date(1980, 3, 2), "m", 10))
    assert first.precinct == "P1"
    with pytest.raises(Conflict) as again:
        issue_certificate(ctx, event, iin(dt.date(1980, 3, 2), "m", 10))
    assert again.value.code == RegisterFlowCode.CERTIFICATE_TAKEN
    lists = voter_lists(ctx, ctx.clock(), event=event)
    assert (lists.counts, lists.struck) == ({"P1": 2, "P2": 1}, {"P1": 1})
    differing = check_registered(ctx, event, ctx.clock())
    assert [(c.precinct, c.protocol, c.register, c.difference) for c in differing] == [("P2", 5, 1, 4)]


def test_no_certificate_for_a_person_not_active(ctx: Context, tmp_path: Path) -> None:
    event = load(ctx, SMALL)
    import_register(ctx, write(tmp_path, "r.csv", [row(1, status="deprived")]), APPLY)
    with pytest.raises(Conflict) as caught:
        issue_certificate(ctx, event, iin(dt.date(1980, 3, 2), "m", 10))
    assert caught.value.code == RegisterFlowCode.PERSON_NOT_ACTIVE


def test_the_public_check_is_throttled_per_identifier(ctx: Context, tmp_path: Path) -> None:
    import_register(ctx, write(tmp_path, "r.csv", [row(1)]), APPLY)
    ident = iin(dt.date(1980, 3, 2), "m", 10)
    assert check_own_entry(ctx, ident, dt.date(1980, 3, 2), "192.0.2.1").precinct == "P1"
    for _ in range(5):  # five wrong birth dates cost nothing ...
        with pytest.raises(NotFound):
            check_own_entry(ctx, ident, dt.date(1980, 3, 9), "192.0.2.1")
    with pytest.raises(TooManyAttempts) as caught:  # ... the sixth waits, before the register is read
        check_own_entry(ctx, ident, dt.date(1980, 3, 2), "198.51.100.7")
    assert caught.value.retry_after >= 1
    with pytest.raises(NotFound):  # another identifier from that address is not held back
        check_own_entry(ctx, "000000000000", dt.date(1980, 3, 2), "198.51.100.7")


def test_every_member_read_and_write_is_logged_without_identifiers(ctx: Context, tmp_path: Path) -> None:
    event = load(ctx, SMALL)
    import_register(ctx, write(tmp_path, "r.csv", [row(1), row(2)]), APPLY)
    ident = iin(dt.date(1980, 3, 2), "m", 10)
    person_history(ctx, ident)
    voter_lists(ctx, ctx.clock(), polling_day=dt.date(2022, 6, 5))
    voters, pdf = list_extract(ctx, "P1", ctx.clock(), event=event)
    assert (voters, pdf[:5]) == (2, b"%PDF-")
    issue_certificate(ctx, event, ident)
    with ctx.store.transaction() as tx:
        general = tx.audit_rows(None)
        of_event = tx.audit_rows(event)
    actions = [(r["action"], r["outcome"], r["actor"]) for r in general]
    assert actions == [
        ("register.import", "ok", "official-1"),
        ("register.show", "ok", "official-1"),
        ("register.lists", "ok", "official-1"),
    ]
    assert [r["action"] for r in of_event if r["action"].startswith("register.")] == [
        "register.extract",
        "register.certificate",
    ]
    assert ident not in repr(general + of_event)  # the log names the person by number, never by identifier
