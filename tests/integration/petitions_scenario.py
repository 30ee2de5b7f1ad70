"""A small recall petition on the register and territory of a two-district region (shared by the petitions'
service and CLI tests): who signs, where they live, and when."""

from __future__ import annotations

import datetime as dt
import json

from saylau.register import check_digit

TERRITORY = """code,kind,parent,name_kk,name_ru,name_en,registered
KZ,country,,,,Kazakhstan,
KAR,region,KZ,,,Karaganda Region,
KAR-D7,district,KAR,,,Maslikhat district No. 7,
P1,precinct,KAR-D7,,,Precinct 1,4
P2,precinct,KAR-D7,,,Precinct 2,2
KAR-D8,district,KAR,,,Maslikhat district No. 8,
P9,precinct,KAR-D8,,,Precinct 9,2
"""

REGISTER_HEADER = "identifier,surname,given_name,patronymic,birth_date,sex,address,precinct,status\n"
SHEET_HEADER = "line,identifier,name,birth_date,signed_on,illegible\n"


def event_json(code: str, date: str = "2024-03-03") -> bytes:
    return json.dumps(
        {
            "code": code,
            "title": "Base event holding the region's territory",
            "date": date,
            "preset": "kz-recall",
            "settings": {"body": "maslikhat"},
            "questions": [{"code": "recall", "texts": [{"lang": "en", "text": "Recall?", "official": True}]}],
        }
    ).encode()


def iin(born: dt.date, sex: str, serial: int) -> str:
    """A valid IIN by the published algorithm (spec/register.md §2)."""
    century = {1900: 3, 2000: 5}[born.year // 100 * 100] + (sex == "f")
    for n in range(serial, serial + 100):
        first = f"{born:%y%m%d}{century}{n:04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
    raise AssertionError("no IIN")


# (surname, given name, patronymic, birth date, sex, precinct)
PEOPLE = [
    ("Әлиев", "Қайрат", "Серікұлы", dt.date(1970, 1, 5), "m", "P1"),
    ("Иванова", "Мария", "Петровна", dt.date(1980, 2, 6), "f", "P1"),
    ("Сейітов", "Нұрлан", "", dt.date(1975, 3, 7), "m", "P2"),
    ("Петров", "Иван", "Иванович", dt.date(1965, 4, 8), "m", "P2"),
    ("Жақсыбекова", "Айгүл", "", dt.date(1990, 5, 9), "f", "P1"),  # moves to P9 on 20 March
    ("Омаров", "Ерлан", "", dt.date(1985, 6, 10), "m", "P9"),
    ("Әлиева", "Жанар", "Серікқызы", dt.date(1992, 7, 11), "f", "P1"),  # signs by name only, in Latin
]
IDS = [iin(p[3], p[4], 10 * (i + 1)) for i, p in enumerate(PEOPLE)]


def register_csv(moved: bool = False) -> str:
    rows = []
    for ident, (sur, given, patr, born, sex, precinct) in zip(IDS, PEOPLE, strict=True):
        where = "P9" if moved and ident == IDS[4] else precinct
        rows.append(f'{ident},{sur},{given},{patr},{born},{sex},"Қарағанды, {where}",{where},active\n')
    return REGISTER_HEADER + "".join(rows)


def sheet_csv(*, differ: bool = False) -> str:
    """Sheet S1: P0 matched, P1 withdrawn later, P4 after moving out, P2 after the deadline, P6 by name."""
    lines = [
        f"1,{IDS[0]},Әлиев Қайрат Серікұлы,1970-01-05,2024-03-12,",
        f"2,{IDS[1]},Иванова Мария Петровна,1980-02-06,2024-03-13,",
        f"3,{IDS[4]},Жақсыбекова Айгүл,1990-05-09,2024-03-25,",
        f"4,{IDS[2]},Сейітов Нұрлан,1975-03-07,2024-04-15,",
        f"5,,Alieva Zhanar Serikkyzy,1992-07-{12 if differ else 11},2024-03-14,",
    ]
    return SHEET_HEADER + "\n".join(lines) + "\n"
