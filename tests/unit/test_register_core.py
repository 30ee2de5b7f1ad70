"""The register's pure core: IIN check digits and encoded facts, names across scripts, the diff of two
imports (spec/register.md §2-§5)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.register import (
    BirthCheck,
    Entry,
    IdentifierScheme,
    RegisterCode,
    RegisterError,
    Status,
    check_digit,
    check_identifier,
    diff,
    iin_facts,
    match_key,
)


def make_iin(first11: str) -> str:
    """A valid IIN from its first 11 digits by the published algorithm (spec/register.md §2)."""
    digit = check_digit(first11)
    assert digit is not None
    return first11 + str(digit)


# worked by hand: 850412 3 0001 -> weights 1..11: 8+10+0+16+5+12+21+0+0+0+11 = 83, 83 mod 11 = 6
def test_check_digit_by_hand() -> None:
    assert check_digit("85041230001") == 6
    assert iin_facts("850412300016").birth_date == dt.date(1985, 4, 12)
    assert iin_facts("850412300016").sex == "m"


def test_second_weighting() -> None:
    # 00000000010: weights 1..11 give 10*... = 10 (remainder 10) -> weights 3..11,1,2 give 1*1 = 1
    assert check_digit("00000000010") == 1
    # 00000000001: first 11, second 2; and a case where both give 10 has no IIN
    firsts = [f"{n:011d}" for n in range(0, 20000)]
    assert any(check_digit(f) is None for f in firsts)


def test_century_and_sex() -> None:
    assert iin_facts(make_iin("99123110123")).birth_date == dt.date(1899, 12, 31)
    assert iin_facts(make_iin("99123120123")).sex == "f"
    assert iin_facts(make_iin("99123140123")).birth_date == dt.date(1999, 12, 31)
    born = iin_facts(make_iin("05022860001"))
    assert (born.birth_date, born.sex) == (dt.date(2005, 2, 28), "f")
    assert iin_facts(make_iin("00022950001")).birth_date == dt.date(2000, 2, 29)  # a leap day


@pytest.mark.parametrize(
    ("iin", "fragment"),
    [
        ("85041230001", "12 digits"),
        ("8504123000167", "12 digits"),
        ("85041230001a", "12 digits"),
        ("８５０４１２３０００１６", "12 digits"),  # full-width digits are not ASCII
        ("850412300017", "check digit is 7"),
        (make_iin("85041270001"), "7th digit 7"),
        (make_iin("85041200001"), "7th digit 0"),
        (make_iin("85023030001"), "not a date"),
        (make_iin("01022950001"), "not a date"),  # 2001 has no 29 February
        (make_iin("85130130001"), "not a date"),
    ],
)
def test_invalid_iins(iin: str, fragment: str) -> None:
    with pytest.raises(RegisterError) as caught:
        iin_facts(iin)
    assert caught.value.code == RegisterCode.BAD_IDENTIFIER
    assert fragment in caught.value.message


def test_no_check_digit_is_invalid() -> None:
    first = next(f"{n:011d}" for n in range(0, 100000) if check_digit(f"{n:011d}") is None)
    for last in "0123456789":
        with pytest.raises(RegisterError, match="remainder 10 twice"):
            iin_facts(first + last)


def test_birth_date_and_sex_mismatch() -> None:
    iin = make_iin("85041230001")
    assert check_identifier(IdentifierScheme.KZ_IIN, iin, dt.date(1985, 4, 12), "m") == []
    with pytest.raises(RegisterError) as caught:
        check_identifier(IdentifierScheme.KZ_IIN, iin, dt.date(1985, 4, 13), "m")
    assert caught.value.code == RegisterCode.IDENTIFIER_MISMATCH
    with pytest.raises(RegisterError, match="encodes sex m, stated f"):
        check_identifier(IdentifierScheme.KZ_IIN, iin, dt.date(1985, 4, 12), "f")
    flagged = check_identifier(IdentifierScheme.KZ_IIN, iin, dt.date(1985, 4, 13), "f", BirthCheck.FLAG)
    assert len(flagged) == 2
    # a bad check digit is refused under either setting
    with pytest.raises(RegisterError):
        check_identifier(IdentifierScheme.KZ_IIN, iin[:-1] + "0", dt.date(1985, 4, 12), None, BirthCheck.FLAG)


def test_plain_scheme() -> None:
    born = dt.date(1990, 1, 1)
    assert check_identifier(IdentifierScheme.PLAIN, "AB-123", born, None) == []
    for bad in ("", " AB", "a\nb", "x" * 65):
        with pytest.raises(RegisterError):
            check_identifier(IdentifierScheme.PLAIN, bad, born, None)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_one_wrong_digit_is_caught(first11: str) -> None:
    """A valid IIN with its check digit changed is never valid."""
    digit = check_digit(first11)
    if digit is None:
        return
    for other in set(range(10)) - {digit}:
        with pytest.raises(RegisterError):
            iin_facts(first11 + str(other))


@pytest.mark.parametrize(
    "spellings",
    [
        ("Жұмабек", "Zhumabek", "Jumabek", "Jūmabek", "ЖУМАБЕК"),
        ("Хасанов", "Khasanov", "Hasanov", "Xasanov"),
        ("Юлия", "Yuliya", "Iuliia", "Yulia"),
        ("Әсел", "Asel", "Äsel", "Əsel"),
        ("Қайрат", "Kairat", "Qairat", "Kayrat", "Qaırat"),
        ("Бекзат Нұрланұлы", "BEKZAT  NURLANULY", "Bekzat Nurlanuly"),
        ("Айгүл", "Aigul", "Aygül", "Aıgúl"),
        ("Елена", "Yelena", "Elena"),
        ("Семён", "Semyon", "Semen"),
        ("Евгений", "Yevgeniy", "Evgenii", "Evgeny"),
        ("Шамиль", "Shamil", "Şamil"),
        ("Ыбырай", "Ybyrai", "Ibyray"),
        ("Аңсар", "Ansar", "Angsar", "Añsar"),
        ("Сәбит Мұқанов", "Sabit Muqanov", "Sabit Mukanov"),
        ("Щукин", "Shchukin", "Shukin"),
        ("Ғалым", "Galym", "Ğalym"),
        ("Өмір", "Omir", "Ömir"),
        ("Һашим", "Hashim"),
        ("Эдуард", "Eduard"),
        ("Объедков", "Obedkov"),
        ("Ян О'Нил", "Yan ONil", "Ian O’Nil"),
    ],
)
def test_transliteration_variants_share_a_key(spellings: tuple[str, ...]) -> None:
    keys = {match_key(s) for s in spellings}
    assert len(keys) == 1, dict(zip(spellings, map(match_key, spellings), strict=True))


def test_different_names_differ() -> None:
    assert match_key("Асқар") != match_key("Аскер")
    assert match_key("Иванов") != match_key("Ivanova")
    assert match_key("  ") == ""


@given(st.text(max_size=60))
def test_key_is_idempotent_and_plain(text: str) -> None:
    key = match_key(text)
    assert match_key(key) == key
    assert all(c == " " or "a" <= c <= "z" for c in key)


# the diff of two imports


def entry(ident: str, precinct: str = "P1", status: Status = Status.ACTIVE, surname: str = "S") -> Entry:
    return Entry(ident, surname, "G", "", dt.date(1980, 1, 1), None, "addr", precinct, status)


def test_diff_kinds() -> None:
    current = {
        "a": entry("a"),
        "b": entry("b"),
        "c": entry("c"),
        "d": entry("d", status=Status.DECEASED),
        "e": entry("e"),
    }
    incoming = {"a": entry("a"), "b": entry("b", "P2"), "c": entry("c", surname="T"), "f": entry("f")}
    result = diff(current, incoming)
    assert [e.identifier for e in result.added] == ["f"]
    assert [(o.precinct, n.precinct) for o, n in result.moved] == [("P1", "P2")]
    assert [n.surname for _, n in result.changed] == ["T"]
    assert [e.identifier for e in result.removed] == ["e"]  # d is deceased already: not removed again
    assert result.counts() == {"added": 1, "moved": 1, "removed": 1, "changed": 1}
    assert diff(incoming, incoming).empty


_ENTRIES = st.dictionaries(
    st.sampled_from("abcdefgh"),
    st.tuples(st.sampled_from(["P1", "P2"]), st.sampled_from(list(Status)), st.sampled_from(["S", "T"])),
    max_size=8,
).map(lambda d: {k: entry(k, p, status, surname) for k, (p, status, surname) in d.items()})


@given(_ENTRIES, _ENTRIES)
def test_diff_properties(current: dict[str, Entry], incoming: dict[str, Entry]) -> None:
    result = diff(current, incoming)
    added = {e.identifier for e in result.added}
    moved = {n.identifier for _, n in result.moved}
    changed = {n.identifier for _, n in result.changed}
    removed = {e.identifier for e in result.removed}
    # the kinds are disjoint, and every incoming person that differs is in exactly one of them
    assert not added & (moved | changed)
    assert not moved & changed
    assert not removed & set(incoming)
    assert added == set(incoming) - set(current)
    assert added | moved | changed == {i for i in incoming if current.get(i) != incoming[i]}
    # applying the diff to the current register gives the import (removed: no longer active)
    applied = dict(current)
    applied.update({e.identifier: e for e in result.added})
    applied.update({n.identifier: n for _, n in (*result.moved, *result.changed)})
    for gone in result.removed:
        applied.pop(gone.identifier)
    assert {i: applied[i] for i in incoming} == incoming
    assert all(applied[i].status is not Status.ACTIVE for i in set(applied) - set(incoming))
    assert diff(incoming, incoming).empty
